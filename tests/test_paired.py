"""Paired differences B - A over replications with common random numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.analysis.paired import (
    bootstrap_mean_ci,
    compare_metric,
    paired_diff,
    paired_trajectory_difference,
    unpaired_mean_ci,
)
from tests.frames import make_run


def _correlated(n=200, seed=3):
    rng = np.random.default_rng(seed)
    player = rng.normal(50, 10, n)  # shared skill and luck: most of the spread
    a = player + rng.normal(0, 1, n)
    b = player - 2 + rng.normal(0, 1, n)
    return a, b


def test_paired_ci_narrower_than_unpaired_on_correlated_pairs():
    """On positively correlated pairs the paired interval is narrower than the unpaired one."""
    a, b = _correlated()
    (plo, phi), method = bootstrap_mean_ci(a, b, seed=1, label="x")
    ulo, uhi = unpaired_mean_ci(a, b, seed=1, label="x")
    assert method == "BCa"
    assert (phi - plo) < 0.5 * (uhi - ulo)


def test_bootstrap_is_reproducible_from_the_seed():
    """The same run seed and metric give the same interval."""
    a, b = _correlated()
    assert bootstrap_mean_ci(a, b, seed=9, label="m") == bootstrap_mean_ci(a, b, seed=9, label="m")


def test_all_equal_differences_give_a_point_interval():
    """When BCa degenerates (every difference equal) the interval is that difference, not NaN."""
    a = np.arange(10.0)
    ci, method = bootstrap_mean_ci(a, a + 2.0)
    assert ci == [2.0, 2.0]
    assert method.startswith("exact")


def test_verdict_faster_when_interval_below_zero():
    """A time interval wholly below zero reads 'B faster by X h'."""
    a, b = _correlated()
    d = paired_diff(a, b, kind="hours", margin=0.5, names=("natural", "rush"))
    dom = d["difference_of_medians"]
    assert dom == d["median_b"] - d["median_a"]
    assert d["verdict"].startswith(
        f"rush faster by {-dom:.1f} h (difference of medians, paired, 95% CI"
    )
    assert f"mean of paired differences {d['mean']:+.1f} h" in d["verdict"]
    assert d["of"] == ["rush", "natural"]


def test_verdict_equivalent_when_interval_inside_margin():
    """An interval inside ±margin reads 'equivalent within ±margin'."""
    a, b = _correlated()
    d = paired_diff(a, a + (b - a - np.mean(b - a)) * 0.1, kind="levels", margin=2.0)
    assert d["verdict"].startswith("equivalent within ±2.0 levels")


def test_verdict_no_clear_difference_when_interval_spans_zero_and_margin():
    """An interval across zero and wider than the margin reads 'no clear difference'."""
    rng = np.random.default_rng(0)
    a = rng.normal(0, 10, 30)
    b = rng.normal(0, 10, 30)
    d = paired_diff(a, b - np.mean(b - a), kind="levels", margin=0.1)
    assert d["verdict"].startswith("no clear difference")


def test_censored_pairs_are_counted_and_named_in_the_verdict():
    """Censored times count as the horizon and the verdict says in how many pairs."""
    rep_a = pd.DataFrame(
        {
            "replication": [0, 1, 2, 3],
            "hours_to_level_80": [10.0, 12, np.nan, 11],
            "horizon_hours": 20.0,
        }
    )
    rep_b = pd.DataFrame(
        {
            "replication": [0, 1, 2, 3],
            "hours_to_level_80": [5.0, 6, 7, np.nan],
            "horizon_hours": 20.0,
        }
    )
    d = compare_metric(rep_a, rep_b, "hours_to_level_80")
    assert d["censored_pairs"] == 2
    assert "censored at the 20.0 h horizon in 2 pairs" in d["verdict"]
    assert d["median"] == np.median([-5.0, -6.0, 7.0 - 20.0, 20.0 - 11.0])


def test_pairs_join_on_replication_not_row_order():
    """Pairs are matched on the replication index even when the rows are in another order."""
    rep_a = pd.DataFrame({"replication": [0, 1, 2], "deaths": [1, 2, 3]})
    rep_b = pd.DataFrame({"replication": [2, 1, 0], "deaths": [13, 12, 11]})
    d = compare_metric(rep_a, rep_b, "deaths")
    assert d["mean"] == 10 and d["median"] == 10


def test_trajectory_difference_is_zero_for_a_run_against_itself():
    """A run compared with itself differs by zero at every grid time."""
    run = make_run("natural", n=5)
    d = paired_trajectory_difference(run.trajectories, run.trajectories)
    assert (d["mean"] == 0).all() and (d["hi"] == 0).all()
