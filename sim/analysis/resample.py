"""Bootstrap resamples held as counts: how often each observation is drawn in each resample.

A resample of n observations drawn with replacement is summarised by its counts (one small
integer per observation); the ``resamples`` x n matrix of counts is drawn once and then
serves every statistic as matrix products, which is far cheaper than gathering and sorting
the resampled values again for each statistic:

* the **mean** of each resample (over a subset of the observations: the counts of the
  subset over their sum) is one product with the values;
* the **median** of each resample is read from the counts in sorted order: the counts of
  the observations below a window around the middle (one product), then those inside it
  (a few columns), accumulated until the middle order statistics; a resample whose middle
  falls outside the window (some six standard deviations) is sorted in full. It
  equals ``numpy.median`` of the resampled values.

The counts come from ``Generator.integers(0, n, (rows, n))`` drawn in blocks, the draws
``scipy.stats.bootstrap`` makes with the same generator. ``bca_mean_interval`` is scipy's
BCa interval for a mean (Efron & Tibshirani 14.3, 15.4) with the jackknife in closed form
(the leave-one-out means are ``(sum - x_i) / (n - 1)``), O(n) instead of O(n^2).
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import ndtr, ndtri

__all__ = [
    "Counts",
    "Medians",
    "PairResamples",
    "paired_resamples",
    "bca_mean_interval",
    "percentile_interval",
]

_DRAW_VALUES = 250_000  # indices drawn at once: the memory a draw takes stays flat in n
_PRODUCT_VALUES = 1 << 20  # counts turned into floats at once for a product
_DENSE_VALUES = 1 << 25  # up to this many counts, kept as floats for the products (256 MB)


class Counts:
    """The counts of ``resamples`` resamples of ``n`` observations, drawn from ``rng``."""

    def __init__(
        self, n: int, rng: np.random.Generator, resamples: int, *, dtype: type = np.int64
    ) -> None:
        self.n, self.resamples = int(n), int(resamples)
        blocks = []
        step = max(1, _DRAW_VALUES // max(self.n, 1))
        for k in range(0, self.resamples, step):
            rows = min(step, self.resamples - k)
            idx = rng.integers(0, self.n, (rows, self.n), dtype=dtype)
            flat = (idx + np.arange(rows, dtype=np.int64)[:, None] * self.n).ravel()
            blocks.append(np.bincount(flat, minlength=rows * self.n).reshape(rows, self.n))
        small = all(b.max(initial=0) < 256 for b in blocks)
        self.counts = np.concatenate(blocks).astype(np.uint8 if small else np.uint32)
        self._dense: np.ndarray | None = None
        self._by_observation: np.ndarray | None = None

    def matmul(self, v: np.ndarray) -> np.ndarray:
        """counts @ v: for values ``v`` (n, k), each resample's weighted sums (resamples, k)."""
        v = np.asarray(v, float)
        if self.counts.size <= _DENSE_VALUES:
            if self._dense is None:
                self._dense = self.counts.astype(np.float64)
            return self._dense @ v
        step = max(1, _PRODUCT_VALUES // max(self.n, 1))
        return np.concatenate(
            [
                self.counts[k : k + step].astype(np.float64) @ v
                for k in range(0, self.resamples, step)
            ]
        )

    def row(self, r: int) -> np.ndarray:
        """The counts of resample ``r`` (n,)."""
        return self.counts[r].astype(np.int64)

    def columns(self, cols: np.ndarray) -> np.ndarray:
        """The counts of the observations ``cols`` in every resample, one row per observation
        (len(cols), resamples)."""
        if self._by_observation is None:  # an observation's counts side by side: cheap to take
            self._by_observation = np.ascontiguousarray(self.counts.T)
        return self._by_observation[cols]


class Medians:
    """Prepares the medians of resamples of ``values`` (no NaN), which are the observations at
    ``positions`` (distinct, in 0..n-1) of a ``Counts``."""

    def __init__(self, values: np.ndarray, positions: np.ndarray, n: int) -> None:
        values = np.asarray(values, float)
        order = np.argsort(values, kind="stable")
        self.sorted = values[order]
        self.where = np.asarray(positions)[order]
        m = values.size
        half = int(3 * math.sqrt(m)) + 2  # six standard deviations of a middle rank, or more
        self.lo, self.hi = max(m // 2 - half, 0), min(m // 2 + half + 1, m)
        self.below = np.zeros(n)  # the observations below the window: counted by a product
        self.below[self.where[: self.lo]] = 1.0

    def of(self, counts: Counts, below: np.ndarray, total: np.ndarray) -> np.ndarray:
        """Each resample's median, given ``counts @ self.below`` and the number of this
        sample's observations drawn (``total``; NaN where it is 0)."""
        below = np.rint(below).astype(np.int64)
        total = np.rint(total).astype(np.int64)
        window = counts.columns(self.where[self.lo : self.hi])  # (window, resamples)
        cum = below[None, :] + np.cumsum(window, axis=0, dtype=np.int64)
        k1, k2 = (total - 1) // 2, total // 2  # the middle order statistics, 0-based
        j1 = np.argmax(cum > k1[None, :], axis=0)
        j2 = np.argmax(cum > k2[None, :], axis=0)
        med = (self.sorted[self.lo + j1] + self.sorted[self.lo + j2]) / 2
        missed = ((below > k1) | (cum[-1] <= k2)) & (total > 0)
        for r in np.flatnonzero(missed):  # the middle outside the window: sort this one in full
            med[r] = np.median(np.repeat(self.sorted, counts.row(int(r))[self.where]))
        med[total <= 0] = np.nan
        return med


def percentile_interval(boot: np.ndarray, alpha: float = 0.025) -> tuple[float, float]:
    """The percentile interval: the alpha and 1 - alpha quantiles of the resampled statistic."""
    boot = boot[np.isfinite(boot)]
    if boot.size == 0:
        return math.nan, math.nan
    lo, hi = np.quantile(boot, [alpha, 1 - alpha])
    return float(lo), float(hi)


def bca_mean_interval(x: np.ndarray, boot: np.ndarray, alpha: float = 0.025) -> tuple[float, float]:
    """BCa interval of the mean of ``x`` from its resampled means ``boot`` (NaN when it cannot
    be computed, e.g. when every resampled mean lies on one side of the estimate)."""
    x = np.asarray(x, float)
    boot = boot[np.isfinite(boot)]
    n = x.size
    if n < 2 or boot.size == 0:
        return math.nan, math.nan
    theta = np.mean(x)
    share = (np.count_nonzero(boot < theta) + np.count_nonzero(boot <= theta)) / (2 * boot.size)
    with np.errstate(divide="ignore", invalid="ignore"):
        z0 = ndtri(share)
        loo = (np.sum(x) - x) / (n - 1)  # the leave-one-out means
        u = (n - 1) * (np.mean(loo) - loo)
        accel = (np.sum(u**3) / n**3) / 6 / (np.sum(u**2) / n**2) ** 1.5
        z = float(ndtri(alpha))
        levels = [float(ndtr(z0 + (z0 + zz) / (1 - accel * (z0 + zz)))) for zz in (z, -z)]
    if not all(math.isfinite(v) for v in levels):
        return math.nan, math.nan
    lo, hi = np.quantile(boot, levels)
    return float(lo), float(hi)


class PairResamples:
    """Resamples of a comparison's pairs (replication ids ``ids``, ascending), drawn once and
    shared by every metric and every group of players: a metric's statistic in a resample is
    over the drawn pairs that have it (or belong to the group)."""

    def __init__(self, ids: np.ndarray, counts: Counts) -> None:
        self.ids = np.asarray(ids)
        self.counts = counts

    def positions(self, replications: np.ndarray) -> np.ndarray | None:
        """Where the given replication ids are among the pairs (None if one is not)."""
        reps = np.asarray(replications)
        p = np.searchsorted(self.ids, reps)
        if p.size and (p.max() >= self.ids.size or not np.array_equal(self.ids[p], reps)):
            return None
        return p


def paired_resamples(
    a: np.ndarray, b: np.ndarray, counts: Counts, positions: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each resample's mean of ``b - a`` and medians of ``a`` and of ``b`` (no NaN in either),
    the pairs being observations ``positions`` of ``counts``; NaN where none was drawn."""
    n = counts.n
    keep = np.zeros(n)
    keep[positions] = 1.0
    diff = np.zeros(n)
    diff[positions] = b - a
    med_a, med_b = Medians(a, positions, n), Medians(b, positions, n)
    sums = counts.matmul(np.column_stack([keep, diff, med_a.below, med_b.below]))
    total = sums[:, 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(total > 0, sums[:, 1] / total, np.nan)
    return mean, med_a.of(counts, sums[:, 2], total), med_b.of(counts, sums[:, 3], total)
