"""Trajectories on their time grid: one row per replication and grid time, summarised per time.

A stored ``trajectories`` table has, for every replication, one row per grid time, in
order; such a table is a (replications x times) matrix, and its summaries per time are
column statistics of that matrix, with no grouping of the rows. A table that is not on
one grid (hand-made, filtered) is summarised by sorting instead, with the same results.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["as_grid", "quantiles_by_time"]


def as_grid(frame: pd.DataFrame, value: str) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """(replications, hours, values as a replications x hours matrix) when every replication has
    the same grid times in order and the rows are grouped by replication; else None."""
    reps = frame["replication"].to_numpy()
    hours = frame["hours"].to_numpy(float)
    n = reps.size
    if n == 0:
        return None
    starts = np.flatnonzero(np.r_[True, reps[1:] != reps[:-1]])
    times = starts[1] if starts.size > 1 else n
    if n % times or starts.size != n // times or not np.array_equal(starts, np.arange(0, n, times)):
        return None
    grid = hours.reshape(-1, times)
    ids = reps[starts]
    if not (np.all(grid == grid[0]) and np.all(np.diff(ids) > 0)):
        return None
    return ids, grid[0].copy(), frame[value].to_numpy(float).reshape(-1, times)


def quantiles_by_time(frame: pd.DataFrame, value: str, qs: np.ndarray) -> pd.DataFrame:
    """The ``qs`` quantiles (linear interpolation) of ``value`` at each grid time: index
    ``hours``, one column per quantile (missing values left out)."""
    qs = np.asarray(qs, float)
    grid = as_grid(frame, value) if len(frame) else None
    if grid is not None and not np.isnan(grid[2]).any():
        _, hours, m = grid
        q = np.quantile(m, qs, axis=0).T
        return pd.DataFrame(q, index=pd.Index(hours, name="hours"), columns=list(qs))
    f = frame[["hours", value]].dropna()
    h, v = f["hours"].to_numpy(float), f[value].to_numpy(float)
    order = np.lexsort((v, h))
    h, v = h[order], v[order]
    times, start, count = np.unique(h, return_index=True, return_counts=True)
    cols = []
    for q in qs:
        pos = start + q * (count - 1)
        lo = np.floor(pos).astype(np.int64)
        hi = np.minimum(lo + 1, start + count - 1)
        cols.append(v[lo] + (v[hi] - v[lo]) * (pos - lo))
    data = np.column_stack(cols) if cols else np.empty((times.size, 0))
    return pd.DataFrame(data, index=pd.Index(times, name="hours"), columns=list(qs))
