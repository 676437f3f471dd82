"""Uncertain inputs: ranges with reasons, resolved for a scenario and applied to it.

The packaged ranges live in ``sim/data/uncertainty.csv`` (one row per input, with
the kind of its range: a published range, the calibration's uncertainty, or a
stated guess). A scenario's ``[uncertainty]`` section adds inputs or overrides
packaged ones key by key. An input moves one or more scenario key paths: ``set``
writes its value there, ``scale`` multiplies the scenario's own value.

A sampled value reaches the scenario the way ``--set`` does: the scenario is dumped,
the overrides are written into that data, and the data is validated again into a
new frozen Scenario (``sim.scenario.load``), so a sampled value outside a bound is
an error, never a silent model state.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sim.errors import InputError, did_you_mean
from sim.scenario.load import scenario_from_dict, set_values
from sim.scenario.schema import Scenario, UncertainInput

__all__ = [
    "Input",
    "DATA_FILE",
    "packaged_inputs",
    "resolve_inputs",
    "select_inputs",
    "from_unit",
    "apply_values",
    "input_rows",
    "values_as_written",
]

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "uncertainty.csv"


@dataclass(frozen=True)
class Input:
    """One uncertain input: its name, the key paths it moves, its range and why."""

    name: str
    keys: tuple[str, ...]
    mode: str
    low: float
    high: float
    distribution: str
    kind: str
    reason: str
    source: str = ""

    @property
    def range(self) -> list[float]:
        return [self.low, self.high]

    def value(self, u: float) -> float:
        """The input's value at quantile ``u`` of its distribution."""
        if self.distribution == "loguniform":
            return float(
                math.exp(math.log(self.low) + u * (math.log(self.high) - math.log(self.low)))
            )
        return float(self.low + u * (self.high - self.low))


def packaged_inputs(path: Path = DATA_FILE) -> dict[str, Input]:
    """The packaged ranges (``sim/data/uncertainty.csv``), by name, each validated."""
    out: dict[str, Input] = {}
    with path.open(newline="", encoding="utf-8") as f:
        for i, row in enumerate(csv.DictReader(f), start=1):
            try:
                spec = UncertainInput.model_validate(
                    {
                        "keys": tuple(k.strip() for k in row["keys"].split(";") if k.strip()),
                        "mode": row["mode"],
                        "low": float(row["low"]),
                        "high": float(row["high"]),
                        "distribution": row["distribution"],
                        "kind": row["kind"],
                        "reason": row["reason"],
                    }
                )
            except (ValueError, KeyError) as err:
                raise InputError.one(str(path), f"row {i}", row.get("name"), str(err)) from None
            out[row["name"]] = _input(row["name"], spec, row.get("source", ""))
    return out


def _input(name: str, spec: UncertainInput, source: str = "") -> Input:
    return Input(
        name=name,
        keys=spec.keys or (name,),
        mode=spec.mode,
        low=spec.low,
        high=spec.high,
        distribution=spec.distribution,
        kind=spec.kind,
        reason=spec.reason,
        source=source,
    )


def resolve_inputs(scenario: Scenario, file: str | None = None) -> dict[str, Input]:
    """The scenario's uncertain inputs: the packaged ranges (unless ``packaged = false``)
    with the scenario's ``[uncertainty.inputs]`` entries over them, every key path checked."""
    u = scenario.uncertainty
    inputs = packaged_inputs() if u.packaged else {}
    for name, spec in u.inputs.items():
        base = inputs.get(name)
        if base is None:
            inputs[name] = _input(name, spec, "scenario")
            continue
        given = {k: getattr(spec, k) for k in spec.model_fields_set}
        merged = UncertainInput(
            **{**{k: getattr(base, k) for k in UncertainInput.model_fields}, **given}
        )
        inputs[name] = _input(name, merged, "scenario (over the packaged range)")
    data = scenario.model_dump(mode="json")
    for name, inp in inputs.items():
        for key in inp.keys:
            value = _lookup(data, key)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise InputError.one(
                    file,
                    f"uncertainty.inputs.{name}.keys",
                    key,
                    "the key path of a numeric scenario value, e.g. model.travel.explore_scale",
                )
    return inputs


def _lookup(data: dict[str, Any], key: str) -> Any:
    node: Any = data
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def select_inputs(inputs: dict[str, Input], names: Sequence[str] | None) -> list[Input]:
    """The inputs named (all of them, in file order, when ``names`` is empty)."""
    if not names:
        return list(inputs.values())
    out = []
    for name in names:
        if name not in inputs:
            raise InputError.one(
                None,
                "--params",
                name,
                "names of uncertain inputs: " + ", ".join(inputs),
                did_you_mean(name, inputs),
            )
        out.append(inputs[name])
    if len(set(names)) != len(names):
        raise InputError.one(None, "--params", ",".join(names), "each input named once")
    return out


def from_unit(inputs: Sequence[Input], unit: np.ndarray) -> np.ndarray:
    """Map points of the unit cube (rows) to input values through each input's distribution."""
    unit = np.atleast_2d(np.asarray(unit, float))
    return np.column_stack([[inp.value(u) for u in unit[:, j]] for j, inp in enumerate(inputs)])


def values_as_written(scenario: Scenario, inputs: Sequence[Input]) -> list[float]:
    """Each input's value in the scenario as written (1.0 for a scale)."""
    data = scenario.model_dump(mode="json")
    return [1.0 if inp.mode == "scale" else float(_lookup(data, inp.keys[0])) for inp in inputs]


def apply_values(
    scenario: Scenario, inputs: Sequence[Input], values: Sequence[float], file: str | None = None
) -> Scenario:
    """``scenario`` with each input at its value, validated like ``--set`` overrides.

    The sampled design itself is left out of the result (it is the batch's, not the run's)."""
    data = scenario.model_dump(mode="json")
    data["uncertainty"] = {
        k: v for k, v in data["uncertainty"].items() if not k.startswith("sample_")
    }
    changed: dict[str, float] = {}
    for inp, value in zip(inputs, values, strict=True):
        for key in inp.keys:
            v = float(value) * float(_lookup(data, key)) if inp.mode == "scale" else float(value)
            changed[key] = v
    return scenario_from_dict(set_values(data, changed), file)


def input_rows(inputs: dict[str, Input]) -> list[dict[str, Any]]:
    """Flat rows for ``runesim data uncertainty`` and notebooks."""
    return [
        {
            "name": i.name,
            "keys": "; ".join(i.keys),
            "mode": i.mode,
            "low": i.low,
            "high": i.high,
            "distribution": i.distribution,
            "kind": i.kind,
            "source": i.source,
            "notes": i.reason,  # the reason for the range (csv and json; too long for the terminal)
        }
        for i in inputs.values()
    ]
