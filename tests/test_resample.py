"""Resampled statistics from counts equal the statistics of the resampled values."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy import stats

from sim.analysis.resample import Counts, Medians, bca_mean_interval, paired_resamples


@pytest.mark.parametrize("n", [1, 2, 3, 24, 25, 301])
@pytest.mark.parametrize("ties", [False, True])
def test_medians_from_counts_equal_numpy_medians_of_the_same_draws(n, ties):
    rng = np.random.default_rng(n)
    x = rng.integers(0, 4, n).astype(float) if ties else rng.normal(size=n)
    counts = Counts(n, np.random.default_rng(9), 200)
    drawn = np.random.default_rng(9).integers(0, n, (200, n))  # the same draws
    m = Medians(x, np.arange(n), n)
    sums = counts.matmul(np.column_stack([np.ones(n), m.below, x]))
    assert np.array_equal(m.of(counts, sums[:, 1], sums[:, 0]), np.median(x[drawn], axis=1))
    assert np.allclose(sums[:, 2] / n, x[drawn].mean(axis=1), rtol=1e-12)


def test_a_median_outside_the_window_is_sorted_in_full():
    x = np.random.default_rng(1).normal(size=400)
    counts = Counts(400, np.random.default_rng(2), 50)
    m = Medians(x, np.arange(400), 400)
    m.lo, m.hi, m.below = 0, 3, np.zeros(400)  # a window no middle falls in
    sums = counts.matmul(np.column_stack([np.ones(400), m.below]))
    want = [np.median(np.repeat(x, counts.row(r))) for r in range(50)]
    assert np.array_equal(m.of(counts, sums[:, 1], sums[:, 0]), want)


def test_bca_interval_of_a_mean_is_scipys():
    x = np.random.default_rng(3).exponential(3.0, 300)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = stats.bootstrap(
            (x,), np.mean, method="BCa", n_resamples=999, random_state=np.random.default_rng(4)
        ).confidence_interval
    boot = Counts(300, np.random.default_rng(4), 999).matmul(x[:, None])[:, 0] / 300
    assert np.allclose(bca_mean_interval(x, boot), (ref.low, ref.high), rtol=1e-12)


def test_a_subset_of_pairs_is_summarised_over_its_drawn_pairs():
    """Pairs 0..9 of 30: each resample's statistics over the drawn pairs among them."""
    rng = np.random.default_rng(5)
    a, b = rng.normal(size=10), rng.normal(size=10)
    where = np.arange(10) * 3
    counts = Counts(30, np.random.default_rng(6), 100)
    mean, med_a, med_b = paired_resamples(a, b, counts, where)
    for r in range(100):
        c = counts.row(r)[where]
        if c.sum() == 0:
            assert np.isnan(mean[r]) and np.isnan(med_a[r])
            continue
        assert np.isclose(mean[r], np.repeat(b - a, c).mean())
        assert med_a[r] == np.median(np.repeat(a, c)) and med_b[r] == np.median(np.repeat(b, c))
