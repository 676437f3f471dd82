"""Times to an event (a level, the end of the game) with right censoring at the horizon.

In the ``replications`` table a NaN ``hours_to_level_<L>`` or ``finish_hours``
means the player had not got there when play stopped at ``horizon_hours``: the
time is *at least* the horizon. These helpers turn such a column into
(time, censored) pairs and into Kaplan–Meier curves, never dropping the
replications that did not arrive.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from sim.analysis.metrics import describe, km_curve
from sim.columns import hours_to_level_column, is_hours_to_level

__all__ = [
    "is_time_metric",
    "event_times",
    "describe_time",
    "survival_table",
    "stack",
]


def is_time_metric(column: str) -> bool:
    """True for the columns that are times to an event and can be censored."""
    return is_hours_to_level(column) or column == "finish_hours"


def event_times(
    replications: pd.DataFrame, column: str, horizon: float | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(hours, censored) of one time-to-event column.

    A censored time is the horizon played, or, for a player who quit before getting
    there (``quit_hours`` set), the hour it left: the Kaplan–Meier curve is then the
    pace of the players who keep playing, and a quitter is never counted as slow.
    """
    x = replications[column].to_numpy(dtype=float)
    censored = np.isnan(x)
    if horizon is not None:
        h = np.full(x.shape, float(horizon))
    elif "horizon_hours" in replications:
        h = replications["horizon_hours"].to_numpy(dtype=float)
    else:
        raise ValueError("no horizon: pass horizon= or include the horizon_hours column")
    if "quit_hours" in replications:
        q = replications["quit_hours"].to_numpy(dtype=float)
        h = np.where(np.isnan(q), h, np.minimum(q, h))
    return np.where(censored, h, x), censored


def describe_time(replications: pd.DataFrame, column: str, horizon: float | None = None) -> dict:
    """``describe`` of a time-to-event column with Kaplan–Meier treatment of the censored."""
    t, c = event_times(replications, column, horizon)
    tau = float(np.max(t)) if t.size else None
    return describe(t, censored=c, horizon=tau)


def stack(frames: Mapping[str, pd.DataFrame], key: str = "scenario") -> pd.DataFrame:
    """Frames of several runs as one tidy frame with a ``key`` column naming each run."""
    if not frames:
        return pd.DataFrame(columns=[key])
    # one copy of the rows (the concatenation), the key column added after it
    out = pd.concat(list(frames.values()), ignore_index=True)
    names = np.repeat(np.array(list(frames), dtype=object), [len(f) for f in frames.values()])
    out[key] = names
    return out


def survival_table(replications: pd.DataFrame, level: int, by: str = "scenario") -> pd.DataFrame:
    """Kaplan–Meier share of players who reached ``level`` by each play time, per ``by`` group.

    Tidy: ``by, hours, reached, lower, upper`` (``reached`` = 1 - survival; the band is
    lifelines' 95% pointwise interval). Each curve starts at 0 hours with 0 reached
    and ends at its horizon.
    """
    from lifelines import KaplanMeierFitter

    column = hours_to_level_column(level)
    rows = []
    groups = replications.groupby(by, sort=False) if by in replications else [("", replications)]
    for name, g in groups:
        t, c = event_times(g, column)
        if t.size == 0:
            continue
        horizon = float(np.max(t))
        ts, surv = km_curve(t, c)
        if (~c).any():
            kmf = KaplanMeierFitter().fit(t, event_observed=~c)
            band = kmf.confidence_interval_.reindex(ts, method="ffill").to_numpy()
            lower, upper = 1 - band[:, 1], 1 - band[:, 0]
        else:
            lower = upper = np.zeros(0)
        rows.append(
            pd.DataFrame(
                {by: name, "hours": [0.0], "reached": [0.0], "lower": [0.0], "upper": [0.0]}
            )
        )
        rows.append(
            pd.DataFrame(
                {by: name, "hours": ts, "reached": 1 - surv, "lower": lower, "upper": upper}
            )
        )
        last = 1 - (surv[-1] if surv.size else 1.0)
        lo_last = lower[-1] if lower.size else 0.0
        hi_last = upper[-1] if upper.size else 0.0
        rows.append(
            pd.DataFrame(
                {
                    by: name,
                    "hours": [horizon],
                    "reached": [last],
                    "lower": [lo_last],
                    "upper": [hi_last],
                }
            )
        )
    if not rows:
        return pd.DataFrame(columns=[by, "hours", "reached", "lower", "upper"])
    out = pd.concat(rows, ignore_index=True)
    return out.drop_duplicates([by, "hours"], keep="last").reset_index(drop=True)
