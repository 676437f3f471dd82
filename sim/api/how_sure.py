"""How sure are we, for notebooks: unknown inputs, their share of the spread, sensitivity."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from sim.api.runs import as_scenario as _scenario
from sim.api.runs import out_dir as _out
from sim.experiments.comparison import ComparisonResult
from sim.scenario.schema import Scenario

__all__ = [
    "uncertain_inputs",
    "compare_sampled",
    "uncertainty_table",
    "sensitivity_plan",
    "run_sensitivity",
    "indices_bars",
]

# --- how sure are we: unknown inputs and sensitivity (sim.experiments) --------------------


def uncertain_inputs() -> pd.DataFrame:
    """The packaged uncertain inputs (``sim/data/uncertainty.csv``), one row each."""
    from sim.experiments.inputs import input_rows, packaged_inputs

    return pd.DataFrame(input_rows(packaged_inputs()))


def compare_sampled(
    *scenarios: Scenario | str | Path,
    outer: int,
    inner: int,
    seed: int | None = None,
    jobs: int = 1,
    out: str | Path | None = None,
) -> ComparisonResult:
    """A paired comparison over ``outer`` draws of the uncertain inputs x ``inner``
    replications each; its JSON's ``uncertainty`` block splits luck from the inputs."""
    from sim.experiments.uncertainty import compare_sampled as _compare_sampled

    resolved = [_scenario(s) for s in scenarios]
    path = _out(out, "uncertainty")
    return _compare_sampled(resolved, path, outer=outer, inner=inner, seed=seed, jobs=jobs)


def uncertainty_table(data: dict[str, Any], metrics: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per metric and strategy (or paired difference): mean, luck and input sd."""
    from sim.experiments.uncertainty import uncertainty_table as _table

    return _table(data, metrics)


def sensitivity_plan(
    scenario: Scenario | str | Path, other: Scenario | str | Path | None, metric: str, **kw: Any
) -> Any:
    """A sensitivity design (Sobol by default) of ``metric`` (of ``other`` − ``scenario`` when
    given); ``.cost()`` says how many replications it needs. See ``run_sensitivity``."""
    from sim.experiments.sensitivity import plan

    return plan(_scenario(scenario), None if other is None else _scenario(other), metric, **kw)


def run_sensitivity(plan: Any, jobs: int = 1, out: str | Path | None = None) -> dict[str, Any]:
    """Run a ``sensitivity_plan``: indices per input with intervals, and the verdict's flips."""
    from sim.experiments.sensitivity import run_sensitivity as _run

    result: dict[str, Any] = _run(plan, _out(out, "sensitivity"), jobs=jobs)
    return result


def indices_bars(parameters: list[dict[str, Any]], title: str = "") -> Any:
    """Inputs ranked by their total index, with 95% intervals (Axes)."""
    from sim.experiments.sensitivity_plots import indices_bars as _plot

    return _plot(parameters, title=title)
