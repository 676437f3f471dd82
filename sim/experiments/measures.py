"""The metrics routes are ranked and searched on: names, which way is better, values per
replication.

A metric is a numeric column of the ``replications`` table (``docs/architecture.md``).
Whether lower or higher is better is fixed per metric: hours to a level, finishing
time, deaths and runes lost are better low; levels, runes earned and bosses defeated
are better high. A time to an event that was never reached (censored) counts as the
horizon, so a route whose players do not get there ranks as slow as the horizon
allows, never as missing.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from sim.analysis.paired import metric_kind
from sim.analysis.survival import is_time_metric
from sim.errors import InputError, did_you_mean
from sim.scenario.schema import Scenario

__all__ = [
    "NOT_METRICS",
    "STATISTICS",
    "metric_names",
    "check_metric",
    "lower_is_better",
    "metric_values",
    "statistic",
]

# columns of the replications table that describe the run rather than measure it
NOT_METRICS = frozenset(
    {
        "replication",
        "seed",
        "seed_entropy",
        "scenario",
        "strategy",
        "skill",
        "start_level",
        "horizon_hours",
        "sim_events",
    }
)
# better low although their kind says otherwise, and better high although their kind says low
_LOWER = frozenset({"runes_lost", "runes_in_bloodstain", "invasions", "boss_deaths", "deaths"})
_HIGHER = frozenset({"invasions_won", "bosses_defeated", "final_level", "quit_hours", "finished"})
# times that are NaN when the event never happened by the horizon (never quitting: the horizon)
_TIMES = frozenset({"quit_hours"})

STATISTICS = ("median", "mean", "p10", "p90", "reached")


def metric_names(
    levels: Sequence[int] = (20, 40, 60, 80, 100, 120, 150),
    level_hours: Sequence[float] = (1, 2, 5, 10, 20, 40, 60),
) -> list[str]:
    """The metrics a scenario recording ``levels`` and ``level_hours`` produces, in table order."""
    from sim.store.schemas import schema

    fields = schema("replications", tuple(levels), tuple(level_hours))
    numeric = [f.name for f in fields if str(f.type) in ("int64", "double", "bool")]
    # traits are drawn per player: inputs of a replication, not outcomes of the route
    return [n for n in numeric if n not in NOT_METRICS and not n.startswith("trait_")]


def check_metric(
    metric: str,
    scenarios: Sequence[Scenario],
    key: str = "--metric",
    file: str | None = None,
) -> None:
    """Raise InputError (at ``key``, in ``file`` if given) unless every scenario records
    ``metric``."""
    for s in scenarios:
        names = metric_names(s.record.levels, s.record.level_hours)
        if metric not in names:
            raise InputError.one(
                file,
                key,
                metric,
                "a metric of the replications table: " + ", ".join(names),
                did_you_mean(metric, names),
            )


def lower_is_better(metric: str) -> bool:
    """True when a lower value of ``metric`` is the better route."""
    if metric in _LOWER:
        return True
    if metric in _HIGHER:
        return False
    return metric_kind(metric) in ("hours", "deaths")


def metric_values(replications: pd.DataFrame, metric: str) -> tuple[np.ndarray, np.ndarray]:
    """(values, censored) of ``metric`` per replication, in replication order.

    Times never reached count as the row's ``horizon_hours`` (``censored`` marks them);
    other missing values (a level at an hour past the horizon) count as the final level.
    """
    frame = replications.sort_values("replication", kind="stable")
    x = frame[metric].to_numpy(dtype=float)
    censored = np.isnan(x)
    if (is_time_metric(metric) or metric in _TIMES) and "horizon_hours" in frame:
        x = np.where(censored, frame["horizon_hours"].to_numpy(dtype=float), x)
    elif censored.any() and "final_level" in frame:
        x = np.where(censored, frame["final_level"].to_numpy(dtype=float), x)
        censored = np.zeros_like(censored)
    return x, censored


def statistic(values: np.ndarray, censored: np.ndarray, name: str) -> float:
    """One statistic of a metric over replications: median, mean, p10, p90, or the share reached."""
    values = np.asarray(values, float)
    if values.size == 0:
        return float("nan")
    if name == "reached":
        return float(1.0 - np.mean(np.asarray(censored, bool)))
    if name == "mean":
        return float(np.mean(values))
    q = {"median": 0.5, "p10": 0.1, "p90": 0.9}[name]
    return float(np.quantile(values, q))
