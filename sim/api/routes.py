"""Which route is best, for notebooks: ranking (Kim–Nelson) and route search (Optuna)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from sim.api.runs import as_scenario as _scenario
from sim.api.runs import out_dir as _out
from sim.scenario.schema import Scenario

__all__ = [
    "rank",
    "ranking",
    "ranking_intervals",
    "optimize",
    "optimize_trials",
    "against",
    "convergence",
]

# --- which route is best: ranking (sim.experiments) ---------------------------------------


def rank(
    *scenarios: Scenario | str | Path,
    metric: str = "hours_to_level_80",
    epsilon: float = 0.5,
    max_n: int = 200,
    jobs: int = 1,
    **kw: Any,
) -> Any:
    """Rank scenarios on one metric (Kim–Nelson on common random numbers); ``.table()`` is a
    frame."""
    from sim.experiments.rank import rank as _rank

    return _rank(
        [_scenario(s) for s in scenarios],
        metric=metric,
        epsilon=epsilon,
        max_n=max_n,
        jobs=jobs,
        **kw,
    )


def ranking(result_or_dir: Any) -> pd.DataFrame:
    """The ranking of a ``rank`` result or a stored ranking directory as a DataFrame, best first."""
    from sim.experiments.report import rank_table

    if hasattr(result_or_dir, "json"):
        return rank_table(result_or_dir.json())
    return rank_table(json.loads((Path(result_or_dir) / "rank.json").read_text(encoding="utf-8")))


def ranking_intervals(
    table: pd.DataFrame, metric: str = "hours_to_level_80", epsilon: float = 0.5, ax: Any = None
) -> Any:
    """Plot each route's paired difference from the best with its interval (Axes)."""
    from sim.experiments.plots import ranking_intervals as _plot

    return _plot(table, metric=metric, epsilon=epsilon, ax=ax)


# --- which route is best: route search (sim.experiments) -----------------------------------


def optimize(
    spec_path: str | Path,
    trials: int | None = None,
    seed: int | None = None,
    jobs: int = 1,
    out: str | Path | None = None,
    **search: Any,
) -> Any:
    """Search a spec's route space (Optuna); ``search`` overrides its ``[search]`` keys
    (``replications=8, fresh_replications=20``). The result has ``.trials`` (a frame) and
    ``.json()``."""
    from sim.experiments.optimize import optimize as _optimize

    path = _out(out, "optimize")
    return _optimize(spec_path, path, trials=trials, seed=seed, jobs=jobs, search=search or None)


def optimize_trials(result_or_dir: Any) -> pd.DataFrame:
    """One row per candidate of a route search (result or stored directory): state, value, route."""
    if hasattr(result_or_dir, "trials"):
        return result_or_dir.trials
    return pd.read_csv(Path(result_or_dir) / "trials.csv")


def against(result_or_dir: Any) -> pd.DataFrame:
    """The best route against the other scenarios on fresh seeds, one row per scenario."""
    data = (
        result_or_dir.json()
        if hasattr(result_or_dir, "json")
        else json.loads((Path(result_or_dir) / "optimize.json").read_text(encoding="utf-8"))
    )
    rows = [
        {
            "against": k,
            "diff": v["diff"],
            "ci95_low": v["ci95"][0],
            "ci95_high": v["ci95"][1],
            "verdict": v["verdict"],
        }
        for k, v in data["against"].items()
    ]
    return pd.DataFrame(rows, columns=["against", "diff", "ci95_low", "ci95_high", "verdict"])


def convergence(trials: pd.DataFrame, objective: str = "objective", ax: Any = None) -> Any:
    """Plot each candidate's objective value and the best feasible value so far (Axes)."""
    from sim.experiments.plots import convergence as _plot

    return _plot(trials, objective=objective, ax=ax)
