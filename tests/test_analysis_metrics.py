"""describe(): plain summaries and Kaplan–Meier summaries of times to an event."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.analysis.metrics import describe

KEYS = {"mean", "median", "p10", "p90", "ci95", "mean_ci95", "reached"}


def test_plain_keys_and_json_safe():
    """A plain summary has the six keys and serialises to JSON without NaN."""
    d = describe([1.0, 2.0, 3.0, 4.0])
    assert set(d) == KEYS
    json.dumps(d, allow_nan=False)


def test_plain_ci95_is_the_order_statistic_interval_of_the_median():
    """The plain ci95 is the median's: order statistics 6 and 15 of 20 (Binomial(20, 1/2))."""
    x = np.arange(1.0, 21.0)
    d = describe(x)
    assert d["ci95"] == [6.0, 15.0]
    assert d["ci95"][0] <= d["median"] <= d["ci95"][1]


def test_plain_mean_ci95_brackets_the_mean_and_is_near_the_t_interval():
    """mean_ci95 is the mean's interval: it contains the mean and is close to the t interval."""
    rng = np.random.default_rng(4)
    x = rng.normal(50, 10, 400)
    d = describe(x)
    half = 1.966 * x.std(ddof=1) / math.sqrt(x.size)
    lo, hi = d["mean_ci95"]
    assert lo < d["mean"] < hi
    assert lo == pytest.approx(x.mean() - half, abs=0.3) and hi == pytest.approx(
        x.mean() + half, abs=0.3
    )


def test_plain_nan_is_missing_and_lowers_reached():
    """NaN in a plain metric is left out of the statistics and counted in `reached`."""
    d = describe([1.0, np.nan, 3.0, np.nan, 5.0])
    assert d["mean"] == 3.0
    assert d["reached"] == 0.6


def test_empty_sample_is_all_none():
    """An empty sample gives None everywhere rather than raising."""
    d = describe([])
    assert d["mean"] is None and d["ci95"] == [None, None] and d["reached"] is None


def test_single_value_has_no_interval():
    """One replication has a mean but no interval."""
    d = describe([3.0])
    assert d["mean"] == 3.0 and d["ci95"] == [None, None] and d["mean_ci95"] == [None, None]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 200).map(float), min_size=1, max_size=40))
def test_km_median_equals_plain_median_without_censoring(xs):
    """With nothing censored, the Kaplan–Meier median equals the plain median."""
    km = describe(xs, censored=[False] * len(xs))
    assert km["median"] == pytest.approx(float(np.median(xs)))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 200).map(float), min_size=1, max_size=40))
def test_km_matches_plain_summary_without_censoring(xs):
    """With nothing censored, KM p10/p90 equal the plain ones and the restricted mean is the
    mean."""
    km = describe(xs, censored=[False] * len(xs))
    plain = describe(xs)
    assert km["p10"] == pytest.approx(plain["p10"])
    assert km["p90"] == pytest.approx(plain["p90"])
    assert km["mean"] == pytest.approx(plain["mean"])


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 100).map(float), st.booleans()), min_size=1, max_size=40
    ).filter(lambda rows: not all(c for _, c in rows))
)
def test_censored_median_never_below_observed_events_median(rows):
    """A censored sample never reports a smaller median than the median of its observed events."""
    t = np.array([r[0] for r in rows])
    c = np.array([r[1] for r in rows])
    d = describe(t, censored=c)
    observed = float(np.median(t[~c]))
    assert d["median"] is None or d["median"] >= observed - 1e-9


def test_censored_at_horizon_median_is_none_when_most_never_arrive():
    """When more than half never reach the level, the median is undefined (None), not the
    horizon."""
    d = describe([5.0, 150.0, 150.0], censored=[False, True, True])
    assert d["median"] is None
    assert d["reached"] == pytest.approx(1 / 3)


def test_censored_nan_values_take_the_horizon():
    """Censored NaN times count as the horizon in the restricted mean; they are not dropped."""
    d = describe(
        [1.0, 2.0, 3.0, np.nan, np.nan], censored=[False, False, False, True, True], horizon=10
    )
    # survival 1 on [0,1), 0.8 on [1,2), 0.6 on [2,3), 0.4 on [3,10)
    assert d["mean"] == pytest.approx(1 + 0.8 + 0.6 + 0.4 * 7)
    assert d["reached"] == 0.6


def test_censored_nan_without_horizon_raises():
    """A NaN censored time without a horizon is an error, not a silent zero."""
    with pytest.raises(ValueError, match="horizon"):
        describe([1.0, np.nan], censored=[False, True])


def test_censored_ci_brackets_the_median():
    """The Kaplan–Meier ci95 is an interval for the median and contains it."""
    rng = np.random.default_rng(1)
    t = rng.gamma(4.0, 5.0, size=200)
    c = t > 30
    t = np.minimum(t, 30)
    d = describe(t, censored=c)
    lo, hi = d["ci95"]
    assert lo <= d["median"] <= hi
    json.dumps(d, allow_nan=False)
