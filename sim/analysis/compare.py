"""Compare stored runs of strategies run with the same seed and n: pair the replications.

``analyse`` summarises each metric per strategy and the paired differences of every
later strategy against the first; ``key_errors`` gives the relative 95% half-width of
the mean of each key metric (``KEY_METRICS`` and the level at each recorded play time
within the horizon), the rule ``sim.experiments.compare`` grows runs by.
Running the scenarios is ``sim.experiments.compare.compare``'s job.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from sim.analysis.claims import Claim, measure_claims, runs_from_dirs
from sim.analysis.for_whom import split_by_traits
from sim.analysis.headline import headline, key_level
from sim.analysis.metrics import describe
from sim.analysis.paired import compare_metric
from sim.analysis.survival import describe_time, is_time_metric, stack
from sim.columns import (
    hours_of_column,
    hours_to_level_column,
    is_hours_to_level,
    is_level_at_hours,
    level_at_hours_column,
)

__all__ = [
    "ComparisonResult",
    "analyse",
    "key_errors",
    "load_comparison",
    "metric_columns",
    "relative_error",
    "KEY_METRICS",
    "COMPARISON_FILE",
]

COMPARISON_FILE = "comparison.json"
KEY_METRICS = ("final_level", "runes_earned")
_TAIL_METRICS = ("finish_hours", "deaths", "runes_earned", "runes_lost", "finished")  # finished: mean = share


def metric_columns(replications: pd.DataFrame) -> list[str]:
    """The compared metrics present in a replications table, in report order."""
    cols = [c for c in replications.columns if is_hours_to_level(c)]
    cols += [c for c in replications.columns if is_level_at_hours(c)]
    return cols + [c for c in _TAIL_METRICS if c in replications.columns]


def _describe_metric(rep: pd.DataFrame, column: str) -> dict:
    if is_time_metric(column):
        return describe_time(rep, column)
    return describe(rep[column].to_numpy(float))


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


@dataclass
class ComparisonResult:
    """Stored runs compared: frames per table (with a ``scenario`` column), the JSON, the claims."""

    run_dirs: dict[str, Path]
    data: dict
    claims: list[Claim] = field(default_factory=list)
    out: Path | None = None

    @property
    def strategies(self) -> list[str]:
        return list(self.data["strategies"])

    def _table(self, name: str) -> pd.DataFrame:
        from sim.store import read_table

        return stack({s: read_table(d, name) for s, d in self.run_dirs.items()})

    @cached_property
    def replications(self) -> pd.DataFrame:
        return self._table("replications")

    @cached_property
    def trajectories(self) -> pd.DataFrame:
        return self._table("trajectories")

    @cached_property
    def events(self) -> pd.DataFrame:
        return self._table("events")

    @cached_property
    def income(self) -> pd.DataFrame:
        return self._table("income")

    @cached_property
    def activity(self) -> pd.DataFrame:
        return self._table("activity")

    def manifests(self) -> dict[str, dict]:
        from sim.store import read_manifest

        return {s: read_manifest(d) for s, d in self.run_dirs.items()}

    def json(self) -> dict:
        """The comparison as the stable JSON contract (see ``docs/architecture.md``)."""
        return self.data

    @property
    def headline(self) -> str:
        """The answer in one or two sentences (see ``sim.analysis.headline``)."""
        return str(self.data.get("headline", ""))

    def table(self) -> pd.DataFrame:
        """One row per metric: each strategy's median, the paired difference of medians with its
        95% interval, and the verdict. A milestone fewer than half reached has no median: its
        ``<strategy>`` cell is None and ``<strategy> note`` says "— (4% reached)"."""
        rows = []
        for metric, m in self.data["metrics"].items():
            row: dict[str, Any] = {"metric": metric}
            for s in self.strategies:
                d = m.get(s, {})
                row[f"{s} median"] = d.get("median")
                row[f"{s} reached"] = d.get("reached")
                row[f"{s} note"] = d.get("note", "")
            diffs = m.get("diffs") or ([m["diff"]] if "diff" in m else [])
            for diff in diffs:
                b = diff["of"][0]
                lo, hi = diff.get("difference_of_medians_ci95") or [None, None]
                row[f"{b} − {diff['of'][1]} (difference of medians)"] = diff.get(
                    "difference_of_medians"
                )
                row[f"{b} 95% CI low"] = lo
                row[f"{b} 95% CI high"] = hi
                row[f"verdict ({b})"] = diff.get("verdict")
            rows.append(row)
        return pd.DataFrame(rows)


def analyse(
    run_dirs: dict[str, Path],
    *,
    seed: int | None = None,
    margin_hours: float = 1.0,
    margin_levels: float = 2.0,
) -> ComparisonResult:
    """Compare stored runs (the first is the baseline) without running anything."""
    from sim.store import read_manifest, read_table

    run_dirs = {k: Path(v) for k, v in run_dirs.items()}
    reps = {s: read_table(d, "replications") for s, d in run_dirs.items()}
    if seed is None:
        seed = int(read_manifest(next(iter(run_dirs.values()))).get("seed", 0))
    names = list(reps)
    base = names[0]
    pairs = _pairs(reps)
    metrics: dict[str, dict] = {}
    for col in metric_columns(reps[base]):
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
            )
            for b in names[1:]
            if col in reps[b]
        ]
        if diffs:
            entry["diff"] = diffs[0]
        if len(diffs) > 1:
            entry["diffs"] = diffs
        metrics[col] = entry
    margins = {"margin_hours": margin_hours, "margin_levels": margin_levels}
    level = key_level(reps[base], _preferred_level(run_dirs))
    head = headline(reps, seed=seed, level=level, **margins)
    data = {
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
    result = ComparisonResult(run_dirs=run_dirs, data=data)
    result.claims = measure_claims(runs_from_dirs(run_dirs), seed=seed)
    data["claims"] = [c.to_dict() for c in result.claims]
    return result


def _preferred_level(run_dirs: dict[str, Path]) -> int | None:
    """The level a later run aims for (a rush's target level), from its manifest, if any."""
    from sim.store import read_manifest

    for d in list(run_dirs.values())[1:]:
        try:
            scenario = read_manifest(d).get("scenario") or {}
        except (FileNotFoundError, ValueError):
            continue
        section = scenario.get(str(scenario.get("strategy", ""))) or {}
        target = section.get("target_level") if isinstance(section, dict) else None
        if isinstance(target, int):
            return target
    return None


def _pairs(reps: dict[str, pd.DataFrame]) -> int:
    common: set[int] | None = None
    for r in reps.values():
        ids = set(r["replication"].tolist())
        common = ids if common is None else common & ids
    return len(common or ())


def _mid_game(reps: dict[str, pd.DataFrame], seed: int) -> dict | None:
    """Rush Mohgwyn against natural at the mid-game play time, when both were run."""
    by_strategy: dict[str, str] = {}
    for name, r in reps.items():
        if len(r):
            by_strategy.setdefault(str(r["strategy"].iloc[0]), name)
    if not {"natural", "rush_mohgwyn"} <= by_strategy.keys():
        return None
    a, b = by_strategy["natural"], by_strategy["rush_mohgwyn"]
    hours = sorted(h for h in map(hours_of_column, reps[a].columns) if h is not None)
    if not hours:
        return None
    mid = 20.0 if 20.0 in hours else hours[len(hours) // 2]
    col = level_at_hours_column(mid)
    d = compare_metric(reps[a], reps[b], col, seed=seed, names=(a, b))
    d["metric"] = col
    return d


def load_comparison(out: Path) -> ComparisonResult:
    """A comparison written by ``compare``, read back from ``out/comparison.json``."""
    out = Path(out)
    data = json.loads((out / COMPARISON_FILE).read_text(encoding="utf-8"))
    runs = data.get("runs") or {s: s for s in data["strategies"]}
    result = ComparisonResult(run_dirs={s: out / d for s, d in runs.items()}, data=data, out=out)
    result.claims = [Claim(**c) for c in data.get("claims", [])]
    return result
