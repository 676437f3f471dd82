"""The bootstrap intervals of paired differences (see ``sim.analysis.paired``): one generator
per (run seed, label), so the same comparison gives the same intervals."""

from __future__ import annotations

import math
import warnings
import zlib
from functools import lru_cache
from typing import Protocol

import numpy as np
import pandas as pd
from scipy import stats

from sim.analysis.resample import (
    Counts,
    PairResamples,
    bca_mean_interval,
    paired_resamples,
    percentile_interval,
)

__all__ = [
    "RESAMPLES",
    "bootstrap_mean_ci",
    "unpaired_mean_ci",
    "median_difference_ci",
    "pair_resamples",
    "intervals",
]

RESAMPLES = 1999  # resamples of the pairs behind a comparison's intervals


def _rng(seed: int, label: str) -> np.random.Generator:
    # one fixed stream per (run seed, metric): the same comparison gives the same interval
    return np.random.default_rng([int(seed), zlib.crc32(label.encode())])


class _Interval(Protocol):
    """The ``low`` and ``high`` of a ``scipy.stats`` confidence interval."""

    @property
    def low(self) -> float: ...
    @property
    def high(self) -> float: ...


def _interval(res_ci: _Interval) -> tuple[float, float]:
    return float(res_ci.low), float(res_ci.high)


def bootstrap_mean_ci(
    a: np.ndarray, b: np.ndarray, *, seed: int = 0, label: str = "", n_resamples: int = 4999
) -> tuple[list[float], str]:
    """95% interval of mean(b - a) over pairs, and the method used (BCa, percentile, exact)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    d = b - a
    if d.size == 0:
        return [math.nan, math.nan], "none"
    if np.all(d == d[0]):
        return [float(d[0]), float(d[0])], "exact (all differences equal)"
    if d.size < 3:
        return [math.nan, math.nan], "none (fewer than 3 pairs)"
    # the draws scipy.stats.bootstrap(paired=True) makes with this generator
    boot = Counts(d.size, _rng(seed, label), n_resamples).matmul(d[:, None])[:, 0] / d.size
    return _mean_interval(d, boot)


def _mean_interval(d: np.ndarray, boot: np.ndarray) -> tuple[list[float], str]:
    """The BCa interval of mean(d) from its resampled means, else the percentile interval."""
    for method, (lo, hi) in (
        ("BCa", bca_mean_interval(d, boot)),
        ("percentile", percentile_interval(boot)),
    ):
        if math.isfinite(lo) and math.isfinite(hi):
            return [lo, hi], method
    return [math.nan, math.nan], "none"


def unpaired_mean_ci(
    a: np.ndarray, b: np.ndarray, *, seed: int = 0, label: str = "", n_resamples: int = 4999
) -> list[float]:
    """95% BCa interval of mean(b) - mean(a) treating the runs as independent samples.

    What the interval would be without common random numbers; the report uses it
    to show how much pairing tightened the comparison.
    """
    a, b = np.asarray(a, float), np.asarray(b, float)

    def diff_of_means(x: np.ndarray, y: np.ndarray, axis: int = -1) -> np.ndarray:
        return np.mean(y, axis=axis) - np.mean(x, axis=axis)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = stats.bootstrap(
            (a, b),
            diff_of_means,
            paired=False,
            vectorized=True,
            method="BCa",
            n_resamples=n_resamples,
            batch=1000,
            random_state=_rng(seed, "unpaired:" + label),
        )
    return list(_interval(res.confidence_interval))


def median_difference_ci(
    a: np.ndarray, b: np.ndarray, *, seed: int = 0, label: str = "", n_resamples: int = 1999
) -> list[float]:
    """95% paired percentile bootstrap interval of median(b) - median(a), pairs resampled
    together."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    if a.size < 3:
        return [math.nan, math.nan]
    counts = Counts(a.size, _rng(seed, "median:" + label), n_resamples)
    _, med_a, med_b = paired_resamples(a, b, counts, np.arange(a.size))
    lo, hi = np.percentile(med_b - med_a, [2.5, 97.5])
    return [float(lo), float(hi)]


@lru_cache(maxsize=4)
def _pair_draws(seed: int, ids: bytes) -> PairResamples:
    pairs = np.frombuffer(ids, dtype=np.int64)
    return PairResamples(pairs, Counts(pairs.size, _rng(seed, "pairs"), RESAMPLES))


def pair_resamples(rep_a: pd.DataFrame, rep_b: pd.DataFrame, seed: int) -> PairResamples:
    """The resamples of the pairs of two runs (their common replications), drawn once per seed
    and pair set and shared by every metric and group compared on them."""
    ids = np.intersect1d(rep_a["replication"].to_numpy(np.int64), rep_b["replication"])
    return _pair_draws(int(seed), ids.astype(np.int64).tobytes())


def intervals(
    a: np.ndarray,
    b: np.ndarray,
    dom: float,
    all_equal: bool,
    seed: int,
    label: str,
    resamples: tuple[Counts, np.ndarray] | None,
) -> tuple[list[float], str, list[float]]:
    """The interval of the mean difference (and its method) and of the difference of medians,
    from one set of resamples of the pairs."""
    nan = [math.nan, math.nan]
    if a.size == 0:
        return nan, "none", nan
    if all_equal:
        d0 = float(b[0] - a[0])
        return [d0, d0], "exact (all differences equal)", [dom, dom]
    if a.size < 3:
        return nan, "none (fewer than 3 pairs)", nan
    counts, where = resamples or (Counts(a.size, _rng(seed, label), RESAMPLES), np.arange(a.size))
    mean_b, med_a, med_b = paired_resamples(a, b, counts, where)
    ci, method = _mean_interval(b - a, mean_b)
    return ci, method, list(percentile_interval(med_b - med_a))
