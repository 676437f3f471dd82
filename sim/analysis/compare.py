"""Compare runs of strategies made with the same seed and n: pair the replications.

Frames in, dicts out. ``comparison_data`` summarises each metric per strategy and the
paired differences of every later strategy against the first; ``key_errors`` gives the
relative 95% half-width of the mean of each key metric (``KEY_METRICS`` and the level at
each recorded play time within the horizon), the rule ``sim.experiments.compare`` grows
runs by.
Reading stored runs is ``sim.experiments.comparison``'s job, running them
``sim.experiments.compare``'s.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from sim.analysis.for_whom import split_by_traits
from sim.analysis.headline import headline, key_level
from sim.analysis.metrics import describe, shared_draws
from sim.analysis.paired import SHARE_METRICS, compare_metric, pair_resamples
from sim.analysis.survival import describe_time, is_time_metric
from sim.columns import (
    hours_of_column,
    hours_to_level_column,
    is_hours_to_level,
    is_level_at_hours,
)

__all__ = [
    "comparison_data",
    "key_errors",
    "metric_columns",
    "relative_error",
    "KEY_METRICS",
]

KEY_METRICS = ("final_level", "runes_earned")
_TAIL_METRICS = (
    "finish_hours",
    "deaths",
    "runes_earned",
    "runes_lost",
    "finished",
)  # finished: mean = share


def metric_columns(replications: pd.DataFrame) -> list[str]:
    """The compared metrics present in a replications table, in report order."""
    cols = [c for c in replications.columns if is_hours_to_level(c)]
    cols += [c for c in replications.columns if is_level_at_hours(c)]
    return cols + [c for c in _TAIL_METRICS if c in replications.columns]


def _describe_metric(rep: pd.DataFrame, column: str) -> dict:
    if is_time_metric(column):
        return describe_time(rep, column)
    out = describe(rep[column].to_numpy(float))
    if column in SHARE_METRICS:  # 0/1 per player: the mean is the share, with its interval
        out["share"] = out["mean"]
        out["share_ci95"] = list(out["mean_ci95"])
    return out


def relative_error(values: np.ndarray) -> float:
    """Half-width of the 95% t interval of the mean over |mean| (inf when undefined)."""
    x = np.asarray(values, float)
    x = x[~np.isnan(x)]
    if x.size < 2 or np.mean(x) == 0:
        return math.inf
    half = stats.t.ppf(0.975, x.size - 1) * np.std(x, ddof=1) / math.sqrt(x.size)
    return float(half / abs(np.mean(x)))


def _key_columns(rep: pd.DataFrame, horizon: float) -> list[str]:
    cols = [c for c in KEY_METRICS if c in rep]
    for c in rep.columns:
        hours = hours_of_column(c)
        if hours is not None and hours <= horizon:
            cols.append(c)
    return cols


def key_errors(reps: dict[str, pd.DataFrame]) -> dict[str, dict[str, float]]:
    out = {}
    for name, rep in reps.items():
        horizon = float(rep["horizon_hours"].max()) if len(rep) else 0.0
        out[name] = {c: relative_error(rep[c].to_numpy(float)) for c in _key_columns(rep, horizon)}
    return out


def comparison_data(
    reps: dict[str, pd.DataFrame],
    *,
    seed: int,
    margin_hours: float = 1.0,
    margin_levels: float = 2.0,
    preferred_level: int | None = None,
) -> dict[str, Any]:
    """The comparison of runs' replications (the first is the baseline), as the JSON contract
    of ``comparison.json`` without its claims and run names: each metric per strategy, the
    paired differences against the first, the headline, the split by player traits.
    ``preferred_level``: the level a later run aims for (a rush's target), if any."""
    names = list(reps)
    base = names[0]
    pairs = _pairs(reps)
    metrics: dict[str, dict] = {}
    with shared_draws():  # the metrics with values for every player read one set of draws
        for col in metric_columns(reps[base]):
            metrics[col] = _metric(reps, col, base, names, seed, margin_hours, margin_levels)
    margins = {"margin_hours": margin_hours, "margin_levels": margin_levels}
    level = key_level(reps[base], preferred_level)
    head = headline(reps, seed=seed, level=level, **margins)
    data: dict[str, Any] = {
        "headline": head.text,
        "headline_figures": head.figures,
        "strategies": names,
        "pairs": pairs,
        "seed": seed,
        "margins": {"hours": margin_hours, "levels": margin_levels},
        "metrics": metrics,
    }
    if len(names) > 1 and level is not None:
        data["for_whom"] = split_by_traits(reps, hours_to_level_column(level), seed=seed, **margins)
    return data


def _metric(
    reps: dict[str, pd.DataFrame],
    col: str,
    base: str,
    names: list[str],
    seed: int,
    margin_hours: float,
    margin_levels: float,
) -> dict[str, Any]:
    """One metric per strategy and its paired differences against the first."""
    entry: dict[str, Any] = {s: _describe_metric(r, col) for s, r in reps.items() if col in r}
    diffs = [
        compare_metric(
            reps[base],
            reps[b],
            col,
            margin_hours=margin_hours,
            margin_levels=margin_levels,
            seed=seed,
            names=(base, b),
            resamples=pair_resamples(reps[base], reps[b], seed),
        )
        for b in names[1:]
        if col in reps[b]
    ]
    if diffs:
        entry["diff"] = diffs[0]
    if len(diffs) > 1:
        entry["diffs"] = diffs
    return entry


def _pairs(reps: dict[str, pd.DataFrame]) -> int:
    common: set[int] | None = None
    for r in reps.values():
        ids = set(r["replication"].tolist())
        common = ids if common is None else common & ids
    return len(common or ())
