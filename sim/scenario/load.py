"""Read a scenario file: TOML, then ``--set`` overrides, then validation into a frozen Scenario.

Every failure is an ``InputError`` naming the file, the key path, the value and
what was expected (with "did you mean" for near-miss keys), never a traceback.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from sim.errors import InputError, InputProblem, did_you_mean
from sim.scenario.limits import FieldProblem, safe_label
from sim.scenario.schema import Scenario

__all__ = [
    "load_scenario",
    "scenario_from_dict",
    "with_overrides",
    "apply_overrides",
    "set_values",
    "parse_override",
]


def parse_override(text: str) -> tuple[list[str], Any]:
    """``key.path=value`` -> (["key", "path"], value); the value is read as TOML, else as text."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key or any(not part for part in key.split(".")):
        raise InputError.one("--set", text, text, "key.path=value, e.g. player.skill.sd=6")
    raw = raw.strip()
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw  # a bare word: a string such as strategy=rush_mohgwyn
    except RecursionError:
        raise InputError.one(
            "--set", key, "(nested too deep)", "a value nested a few levels deep"
        ) from None
    return key.split("."), value


def apply_overrides(data: dict[str, Any], overrides: Sequence[str]) -> dict[str, Any]:
    """Return a copy of ``data`` with each ``key.path=value`` set."""
    return _set_paths(data, [parse_override(text) for text in overrides])


def set_values(data: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """Return a copy of ``data`` with each value set at its key path (``"player.skill.sd"``);
    missing tables on the way are made."""
    pairs = []
    for key, value in values.items():
        path = str(key).split(".")
        if not path or any(not part for part in path):
            raise InputError.one(None, ".".join(path), value, "a key path such as player.skill.sd")
        pairs.append((path, value))
    return _set_paths(data, pairs)


def _set_paths(data: Mapping[str, Any], pairs: Sequence[tuple[list[str], Any]]) -> dict[str, Any]:
    """A copy of ``data`` with each (key path, value) set in order."""
    out = _deep_copy(data)
    for path, value in pairs:
        node = out
        for part in path[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        node[path[-1]] = value
    return out


def with_overrides(
    scenario: Scenario, values: Mapping[str, Any], file: str | None = None
) -> Scenario:
    """A validated, frozen copy of ``scenario`` with ``values`` set (key paths such as
    ``"seed"`` or ``"player.skill.sd"``): the one way to change a scenario once loaded.
    A bad value is an ``InputError`` naming ``file`` (the scenario's name if not given)."""
    if not values:
        return scenario
    data = set_values(scenario.model_dump(mode="json"), values)
    return scenario_from_dict(data, file if file is not None else scenario.name)


MAX_DEPTH = 16  # tables and arrays within each other; a scenario needs four


def _check_depth(data: Any, file: str | None) -> None:
    """Refuse documents nested deeper than any scenario needs (without recursing)."""
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        node, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise InputError.one(
                file, path, "(nested too deep)", f"at most {MAX_DEPTH} levels of tables and arrays"
            )
        if isinstance(node, Mapping):
            stack.extend((v, f"{path}.{k}" if path else str(k), depth + 1) for k, v in node.items())
        elif isinstance(node, list | tuple):
            stack.extend((v, f"{path}[{i}]", depth + 1) for i, v in enumerate(node))


def _deep_copy(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _deep_copy(v) if isinstance(v, Mapping) else v for k, v in data.items()}


def _fields_at(loc: tuple[Any, ...]) -> list[str]:
    """Names a scenario accepts at ``loc`` (for "did you mean")."""
    model: type[BaseModel] | None = Scenario
    for part in loc:
        if model is None or not isinstance(part, str) or part not in model.model_fields:
            return []
        ann = model.model_fields[part].annotation
        model = ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None
    return list(model.model_fields) if model is not None else []


def _key_path(loc: tuple[Any, ...]) -> str:
    """``("record", "levels", 0)`` -> ``record.levels[0]``."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def _problems(err: ValidationError) -> list[InputProblem]:
    problems = []
    for e in err.errors():
        loc = tuple(e.get("loc", ()))
        path = _key_path(loc)
        kind = e.get("type", "")
        value = e.get("input")
        error = e.get("ctx", {}).get("error")
        if isinstance(error, FieldProblem):
            # a validator's own key path (a cross-field rule names the field it blames)
            key = error.key
            if key:
                path = f"{path}{key}" if key.startswith("[") or not path else f"{path}.{key}"
            problems.append(InputProblem(path, error.value, error.expected))
            continue
        if kind == "extra_forbidden":
            key = str(loc[-1]) if loc else ""
            allowed = _fields_at(loc[:-1])
            problems.append(
                InputProblem(
                    path,
                    value,
                    "no such key here; known keys: " + ", ".join(allowed),
                    tuple(did_you_mean(key, allowed)),
                )
            )
        elif kind == "missing":
            problems.append(InputProblem(path, "(missing)", "a value: this key is required"))
        else:
            msg = e.get("msg", "a valid value")
            if kind == "literal_error" and "expected" in e.get("ctx", {}):
                expected = "one of " + str(e["ctx"]["expected"])
                choices = [
                    c.strip(" '") for c in str(e["ctx"]["expected"]).replace(" or ", ",").split(",")
                ]
                problems.append(
                    InputProblem(path, value, expected, tuple(did_you_mean(str(value), choices)))
                )
                continue
            msg = msg.removeprefix("Input should be ")
            problems.append(
                InputProblem(path, value, msg[0].lower() + msg[1:] if msg else "a valid value")
            )
    return problems


def scenario_from_dict(data: Mapping[str, Any], file: str | None = None) -> Scenario:
    """Validate a scenario mapping into a frozen Scenario (InputError on any problem)."""
    _check_depth(data, file)
    try:
        return Scenario.model_validate(dict(data))
    except ValidationError as err:
        raise InputError(file, _problems(err)) from None


def load_scenario(
    path: str | Path,
    overrides: Sequence[str] = (),
    world: Any = None,
    check: bool = True,
    values: Mapping[str, Any] | None = None,
) -> Scenario:
    """Read, override and validate a scenario file, then check its names and route against
    ``world`` (the packaged world unless given; ``check=False`` skips that).

    ``overrides`` are ``--set`` texts (``key.path=value``); ``values`` maps key paths to
    values already typed (``{"seed": 7}``), applied after them. Both are applied to the
    file's data, which is then validated once."""
    p = Path(path)
    file = str(path)
    try:
        found = p.is_file()
    except (OSError, ValueError):  # a NUL byte or an over-long path
        found = False
    if not found:
        raise InputError.one(file, "", file, "an existing scenario file (.toml)")
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise InputError.one(file, "(TOML syntax)", str(err), "a valid TOML file") from None
    except UnicodeDecodeError:
        raise InputError.one(file, "", "(binary data)", "a UTF-8 TOML text file") from None
    except RecursionError:
        raise InputError.one(
            file, "(TOML syntax)", "(nested too deep)", "a scenario file nested a few levels deep"
        ) from None
    except OSError as err:
        raise InputError.one(
            file, "", file, f"a readable scenario file ({err.strerror or err})"
        ) from None
    # a file's stem may hold any character: the default name is made a safe label
    data.setdefault("name", safe_label(p.stem))
    data = apply_overrides(data, overrides)
    if values:
        data = set_values(data, values)
    scenario = scenario_from_dict(data, file)
    if check:
        from sim.scenario.check import check_scenario

        if world is None:
            from sim.world.load import load_world

            world = load_world()
        check_scenario(scenario, world, file)
    return scenario
