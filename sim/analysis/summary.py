"""The figures of ``summary.json``: a run's headline metrics, from its rows (frames in, dict out).

``summary.json`` holds only what follows from the stored rows, so two runs of the
same scenario and seed give the same summary whatever the executor.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.bosses import boss_table, finish_shares
from sim.analysis.metrics import describe, shared_draws
from sim.columns import hours_to_level_column

__all__ = ["PLAIN_METRICS", "summarise", "players_summary", "summary_columns"]

# summary metrics read straight from a replications column: name -> censored where NaN
PLAIN_METRICS = {
    "final_level": False,
    "deaths": False,
    "runes_earned": False,
    "runes_lost": False,
    "finish_hours": True,
}


def summary_columns(levels: tuple[int, ...]) -> list[str]:
    """The replications columns ``summarise`` reads."""
    return ["replication", "hours_played", *PLAIN_METRICS, *map(hours_to_level_column, levels)]


def summarise(
    frame: pd.DataFrame, scenario: Mapping[str, Any], levels: tuple[int, ...], failed: int = 0
) -> dict[str, Any]:
    """``summary.json`` contents from the replications rows of a run.

    ``replications`` counts every replication run; the metrics are over the
    ``replications - failed`` that finished without an error.
    """
    horizon = float(scenario.get("horizon_hours", np.nan))
    played = frame["hours_played"].to_numpy(dtype=float)
    metrics: dict[str, Any] = {}
    with shared_draws():  # the metrics every player has read one set of resample draws
        for name, censorable in PLAIN_METRICS.items():
            metrics[name] = _describe(frame[name], played, horizon if censorable else None)
        for lv in levels:
            column = frame[hours_to_level_column(lv)]
            metrics[f"hours_to_level.{lv}"] = _describe(column, played, horizon)
    return {
        "scenario": scenario.get("name"),
        "replications": int(len(frame)) + failed,
        "failed": failed,
        "seed": scenario.get("seed"),
        "metrics": metrics,
    }


def players_summary(replications: pd.DataFrame, events: pd.DataFrame) -> dict[str, Any]:
    """``finished`` (shares who reached an ending, quit, still played at the horizon) and
    ``bosses`` (the per-boss table of ``sim.analysis.bosses``), from the replications'
    ``finish_hours`` and ``quit_hours`` and the events."""
    table = boss_table(events, len(replications))
    return {"finished": finish_shares(replications), "bosses": table.to_dict(orient="records")}


def _describe(column: pd.Series, played: np.ndarray, horizon: float | None) -> dict[str, Any]:
    """``describe`` one column; with a ``horizon``, NaN means censored at the hours played."""
    values = column.to_numpy(dtype=float)
    if horizon is None:
        return dict(describe(values))
    censored = np.isnan(values)
    # a replication that never got there was watched for the hours it played
    times = np.where(censored, played, values)
    return dict(describe(times, censored=censored, horizon=horizon))
