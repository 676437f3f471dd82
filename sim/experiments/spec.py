"""A route search, as written in a spec file (``scenarios/optimize_*.toml``).

::

    name = "optimize_level80"
    base = "rush_mohgwyn"                 # a scenario: player, model, horizon, seed
    against = ["rush_mohgwyn", "natural"]  # compared with the best on fresh seeds (base too)

    [objective]                            # minimise the median hours to level 80
    metric = "hours_to_level_80"
    statistic = "median"                   # median | mean | p10 | p90 | reached

    [[constraints]]                        # optional: p90 of deaths at most 60
    metric = "deaths"
    statistic = "p90"
    at_most = 60

    [search]                               # trials, replications per candidate, ...
    trials = 40

    [route]                                # the space: blocks of route steps, in order
    then = "natural"
    [[route.blocks]]
    name = "limgrave"
    steps = ['explore "Limgrave" {share}%']
    optional = true                        # included or skipped
    movable = false                        # may move before or after other blocks
    params = { share = [10, 100, 10] }     # integers lo..hi (step), or a list of choices

A step's ``{name}`` is filled with the block's parameter ``name``. Every problem is
an ``InputError`` naming the spec file and the key path (``objective.metric``,
``constraints[0].metric``, ``route.blocks[2].params.share``).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from sim.errors import InputError, InputProblem, did_you_mean
from sim.experiments.spec_file import SPEC_KEYS, looks_like_spec

__all__ = [
    "Spec",
    "Objective",
    "Constraint",
    "Block",
    "Space",
    "Search",
    "load_spec",
    "resolve_scenario",
    "with_search",
    "looks_like_spec",
    "SPEC_KEYS",
]

Statistic = Literal["median", "mean", "p10", "p90", "reached"]
_FIELD = re.compile(r"{(\w+)}")


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Objective(_Section):
    metric: str = "hours_to_level_80"
    statistic: Statistic = "median"
    direction: Literal["minimize", "maximize"] | None = None  # default: the metric's better side


class Constraint(_Section):
    metric: str
    statistic: Statistic = "p90"
    at_most: float | None = None
    at_least: float | None = None

    @model_validator(mode="after")
    def _one_bound(self) -> Constraint:
        if (self.at_most is None) == (self.at_least is None):
            raise ValueError("exactly one of at_most or at_least")
        return self


Param = list[int] | list[str]


class Block(_Section):
    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9_]+$")]
    steps: Annotated[tuple[str, ...], Field(min_length=1)]
    optional: bool = False
    movable: bool = False
    params: dict[str, Param] = {}


class Space(_Section):
    then: Literal["natural", "stop"] = "natural"  # after the steps, in best.toml and the comparison
    blocks: tuple[Block, ...] = ()


class Search(_Section):
    trials: int = Field(default=40, ge=1)
    replications: int = Field(
        default=30, ge=2
    )  # per candidate, on the same seeds (common random numbers)
    block: int = Field(default=10, ge=1)  # the pruner looks after each block of replications
    sampler: Literal["tpe", "cmaes", "random"] = "tpe"
    startup_trials: int = Field(
        default=8, ge=0
    )  # random candidates before TPE and the pruner start
    seed: int | None = Field(default=None, ge=0)  # default: the base scenario's seed
    stop_after_route: bool = True  # during the search a candidate stops after its steps (faster)
    fresh_replications: int = Field(default=200, ge=2)  # for the comparison on fresh seeds
    fresh_seed: int | None = Field(default=None, ge=0)  # default: the selection seed + 1
    # False: every evaluation is for players who keep playing (quitting switched off)
    with_quitting: bool = False


class Spec(_Section):
    name: str
    description: str = ""
    base: str
    against: tuple[str, ...] = ("rush_mohgwyn", "natural")
    objective: Objective = Objective()
    constraints: tuple[Constraint, ...] = ()
    search: Search = Search()
    route: Space = Space()


def resolve_scenario(name: str, spec_dir: Path) -> Path:
    """A scenario named in a spec: a path relative to the spec, or a shipped scenario's name."""
    import sim

    candidates = [spec_dir / name, spec_dir / f"{name}.toml"]
    root = Path(sim.__file__).resolve().parent.parent / "scenarios"
    candidates += [root / name, root / f"{name}.toml"]
    for c in candidates:
        if c.is_file():
            return c
    raise FileNotFoundError(name)


def _problems(err: ValidationError) -> list[InputProblem]:
    out = []
    for e in err.errors():
        loc = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in e.get("loc", ()))
        loc = loc.replace(".[", "[")
        kind = e.get("type", "")
        if kind == "extra_forbidden":
            out.append(InputProblem(loc, e.get("input"), "no such key here"))
        elif kind == "missing":
            out.append(InputProblem(loc, "(missing)", "a value: this key is required"))
        else:
            msg = e.get("msg", "a valid value")
            out.append(InputProblem(loc, e.get("input"), msg[0].lower() + msg[1:]))
    return out


def with_search(spec: Spec, search: dict[str, Any], file: str | None = None) -> Spec:
    """``spec`` with keys of its ``[search]`` table replaced, validated again."""
    data = spec.model_dump()
    data["search"] = {**data["search"], **search}
    try:
        return Spec.model_validate(data)
    except ValidationError as err:
        raise InputError(file, _problems(err)) from None


def load_spec(path: str | Path) -> tuple[Spec, Path]:
    """Read and validate a spec file; returns the spec and the base scenario's path.

    Names of metrics, the shape of the space and the feasibility of its routes are
    checked by ``sim.experiments.space.check_spec`` (they need the world).
    """
    p = Path(path)
    file = str(path)
    if not p.is_file():
        raise InputError.one(file, "", file, "an existing spec file (.toml)")
    try:
        data: dict[str, Any] = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise InputError.one(file, "(TOML syntax)", str(err), "a valid TOML file") from None
    data.setdefault("name", p.stem)
    try:
        spec = Spec.model_validate(data)
    except ValidationError as err:
        raise InputError(file, _problems(err)) from None
    try:
        base = resolve_scenario(spec.base, p.parent)
    except FileNotFoundError:
        shipped = [
            q.stem for q in (Path(__file__).resolve().parents[2] / "scenarios").glob("*.toml")
        ]
        raise InputError.one(
            file,
            "base",
            spec.base,
            "a scenario file (relative to the spec) or a shipped scenario name",
            did_you_mean(spec.base, shipped),
        ) from None
    for i, name in enumerate(spec.against):
        try:
            resolve_scenario(name, p.parent)
        except FileNotFoundError:
            raise InputError.one(
                file, f"against[{i}]", name, "a scenario file or a shipped scenario name"
            ) from None
    _check_blocks(spec, file)
    return spec, base


def _check_blocks(spec: Spec, file: str) -> None:
    blocks = spec.route.blocks
    if not blocks:
        raise InputError.one(
            file, "route.blocks", [], "at least one block of route steps to search over"
        )
    names = [b.name for b in blocks]
    for i, b in enumerate(blocks):
        if names.count(b.name) > 1:
            raise InputError.one(
                file, f"route.blocks[{i}].name", b.name, "a name no other block has"
            )
        used = set()
        for j, text in enumerate(b.steps):
            for field in _FIELD.findall(text):
                if field not in b.params:
                    raise InputError.one(
                        file,
                        f"route.blocks[{i}].steps[{j}]",
                        text,
                        "placeholders naming this block's params "
                        f"({', '.join(b.params) or 'none'})",
                    )
                used.add(field)
        for key, value in b.params.items():
            where = f"route.blocks[{i}].params.{key}"
            if key not in used:
                raise InputError.one(
                    file, where, value, "a parameter some step of the block uses as {" + key + "}"
                )
            if not value:
                raise InputError.one(
                    file, where, value, "[lo, hi], [lo, hi, step] or a list of choices"
                )
            nums = [v for v in value if isinstance(v, int)]
            if len(nums) == len(value) and (
                len(nums) not in (2, 3) or nums[0] > nums[1] or (len(nums) == 3 and nums[2] < 1)
            ):
                raise InputError.one(
                    file, where, value, "[lo, hi] or [lo, hi, step] with lo <= hi, step >= 1"
                )
    free = any(
        b.optional or b.movable or any(_size(v) > 1 for v in b.params.values()) for b in blocks
    )
    if not free:
        raise InputError.one(
            file,
            "route.blocks",
            names,
            "a space to search: at least one optional or movable block, or a parameter with two "
            "or more values",
        )


def _size(value: list) -> int:
    if all(isinstance(v, int) for v in value) and len(value) in (2, 3):
        step = value[2] if len(value) == 3 else 1
        return (value[1] - value[0]) // step + 1
    return len(value)
