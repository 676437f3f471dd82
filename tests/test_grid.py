"""Trajectories on one grid are summarised as matrices, with the results of grouping the rows."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.analysis.grid import as_grid, quantiles_by_time
from sim.analysis.paired import paired_trajectory_difference
from tests.frames import make_run


def _traj(strategy: str) -> pd.DataFrame:
    return make_run(strategy, n=12, seed=4, horizon=20.0).trajectories


def test_quantiles_per_time_equal_grouped_quantiles_on_and_off_the_grid():
    t = _traj("natural")
    qs = np.array([0.1, 0.5, 0.9])
    want = t.groupby("hours")["level"].quantile(qs).unstack()
    assert as_grid(t, "level") is not None
    shuffled = t.sample(frac=1.0, random_state=2)
    assert as_grid(shuffled, "level") is None
    for frame in (t, shuffled):
        got = quantiles_by_time(frame, "level", qs)
        assert np.array_equal(got.index, want.index)
        assert np.allclose(got.to_numpy(), want.to_numpy(), rtol=0, atol=1e-9)


def test_paired_difference_on_the_grid_equals_the_joined_rows():
    a, b = _traj("natural"), _traj("rush_mohgwyn")
    fast = paired_trajectory_difference(a, b)
    joined = paired_trajectory_difference(a.sample(frac=1.0, random_state=1), b)
    assert list(fast.columns) == list(joined.columns)
    assert fast.dtypes.equals(joined.dtypes)
    assert np.allclose(fast.to_numpy(float), joined.to_numpy(float), rtol=0, atol=1e-9)
