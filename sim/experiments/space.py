"""The route space of a spec: what an optimiser chooses, and the route a choice makes.

A candidate is a dict of choices: ``include.<block>`` (optional blocks),
``position.<block>`` (movable blocks: a number, blocks are sorted by it; fixed
blocks sit at their index) and ``<block>.<param>`` (a step's ``{param}``). The
route is the included blocks' steps in that order with the parameters filled in.
Every route is checked against the world's access rules (``sim.scenario.check``)
before it is simulated; a route the player could not follow is infeasible.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import numpy as np

from sim.errors import InputError
from sim.experiments.measures import check_metric
from sim.experiments.spec import Block, Spec
from sim.scenario.load import scenario_from_dict, set_values
from sim.scenario.schema import Scenario

__all__ = [
    "Candidate",
    "dimensions",
    "route_of",
    "candidate_scenario",
    "feasible",
    "check_spec",
    "base_data",
    "check_spec_file",
]

Candidate = dict[str, Any]


def dimensions(spec: Spec) -> list[tuple[str, str, Any]]:
    """(name, kind, domain) of every choice: kind is ``bool``, ``float`` (lo, hi), ``int``
    (lo, hi, step) or ``choice`` (values)."""
    dims: list[tuple[str, str, Any]] = []
    last = max(0, len(spec.route.blocks) - 1)
    for b in spec.route.blocks:
        if b.optional:
            dims.append((f"include.{b.name}", "bool", (True, False)))
        if b.movable:
            dims.append((f"position.{b.name}", "float", (-0.5, last + 0.5)))
        for key, value in b.params.items():
            if all(isinstance(v, int) for v in value) and len(value) in (2, 3):
                dims.append(
                    (
                        f"{b.name}.{key}",
                        "int",
                        (value[0], value[1], value[2] if len(value) == 3 else 1),
                    )
                )
            else:
                dims.append((f"{b.name}.{key}", "choice", tuple(value)))
    return dims


def _fill(block: Block, choice: Candidate) -> list[str]:
    values = {k: choice[f"{block.name}.{k}"] for k in block.params}
    return [text.format(**values) for text in block.steps]


def route_of(spec: Spec, choice: Candidate) -> list[str]:
    """The route steps a choice makes."""
    keyed = []
    for i, b in enumerate(spec.route.blocks):
        if b.optional and not choice[f"include.{b.name}"]:
            continue
        key = float(choice[f"position.{b.name}"]) if b.movable else float(i)
        keyed.append((key, i, b))
    keyed.sort(key=lambda t: (t[0], t[1]))
    return [step for _, _, b in keyed for step in _fill(b, choice)]


def base_data(base_path: Path) -> dict[str, Any]:
    """The base scenario file as a mapping (what ``best.toml`` is written from)."""
    data = tomllib.loads(base_path.read_text(encoding="utf-8"))
    data.setdefault("name", base_path.stem)
    return data


def candidate_scenario(
    spec: Spec, base: dict[str, Any], steps: list[str], *, then: str, seed: int
) -> Scenario:
    """The base scenario following ``steps`` (raises InputError if the steps do not validate),
    for players who keep playing (quitting off) unless the spec's search keeps quitters."""
    from sim.experiments.evaluate import KEEP_PLAYING

    data = set_values(base, {} if spec.search.with_quitting else KEEP_PLAYING)
    data.update(name=spec.name, strategy="route", seed=seed)
    data["route"] = {"steps": list(steps), "then": then}
    return scenario_from_dict(data)


def feasible(scenario: Scenario, world: Any) -> str | None:
    """None if the route passes the world's access rules, else the reason."""
    from sim.scenario.check import check_scenario

    try:
        check_scenario(scenario, world)
    except InputError as err:
        return err.message
    return None


def random_choice(spec: Spec, rng: np.random.Generator) -> Candidate:
    """A uniformly random choice over the space (for the feasibility pre-check)."""
    out: Candidate = {}
    for name, kind, dom in dimensions(spec):
        if kind == "bool":
            out[name] = bool(rng.integers(2))
        elif kind == "float":
            out[name] = float(rng.uniform(*dom))
        elif kind == "int":
            lo, hi, step = dom
            out[name] = int(lo + step * rng.integers((hi - lo) // step + 1))
        else:
            out[name] = dom[int(rng.integers(len(dom)))]
    return out


def check_spec(
    spec: Spec, base: Scenario, base_raw: dict[str, Any], world: Any, file: str, *, tries: int = 300
) -> None:
    """Metrics exist; at least one route of the space is feasible (random candidates, no
    simulation)."""
    checks = [("objective.metric", spec.objective.metric)]
    checks += [(f"constraints[{i}].metric", c.metric) for i, c in enumerate(spec.constraints)]
    for key, metric in checks:
        check_metric(metric, [base], key, file)
    rng = np.random.default_rng(0)
    first = None
    for _ in range(tries):
        steps = route_of(spec, random_choice(spec, rng))
        if not steps:
            continue
        try:
            scenario = candidate_scenario(spec, base_raw, steps, then="stop", seed=base.seed)
        except InputError as err:
            first = first or err.message
            continue
        reason = feasible(scenario, world)
        if reason is None:
            return
        first = first or reason
    raise InputError.one(
        file,
        "route.blocks",
        f"{tries} random routes of the space",
        "a space with at least one route the world's access rules allow; none passed, e.g. "
        + (first or "every block skipped"),
    )


def check_spec_file(path: str | Path, world: Any) -> str:
    """Check a spec file as ``runesim optimize`` does before searching (its keys, its base
    scenario, its metrics, a feasible route in its space), run nothing; a line saying what it is."""
    from sim.experiments.spec import load_spec
    from sim.scenario.load import load_scenario

    spec, base_path = load_spec(path)
    base = load_scenario(base_path, world=world)
    check_spec(spec, base, base_data(base_path), world, str(path))
    obj = spec.objective
    return (
        f"ok: {path} (route-search spec: base {base.name}, {len(dimensions(spec))} choices, "
        f"{obj.statistic} {obj.metric}, {spec.search.trials} trials, seed "
        f"{spec.search.seed if spec.search.seed is not None else base.seed})"
    )
