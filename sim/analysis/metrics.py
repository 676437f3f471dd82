"""Summary statistics of one metric over replications, with right censoring where it applies.

``describe`` is the one summary every result speaks: the median with the 95%
interval **of the median** (``ci95``), the mean with the 95% interval **of the mean**
(``mean_ci95``), the 10th and 90th percentiles and the share of replications that
reached the event. The two intervals are never mixed: ``ci95`` is always the
median's. Both intervals stay inside the range of the data, so a quantity that
cannot be negative (runes lost, deaths, hours) never gets a negative bound.

**Fewer than half reached it.** When under half the replications reached a
milestone (or have a value at all), no median and no mean are given (both None,
with their intervals): the median is not known and any mean would be dominated by
the horizon. ``note`` then says so, e.g. ``"— (4% reached)"``, and every output
(``run``, ``compare``, JSON, report, API) shows that text instead of a number.

Two kinds of metric:

* **plain** (``censored=None``): a value per replication, e.g. deaths or the level
  after 10 hours. Percentiles are the inverse of the empirical distribution,
  averaged at jumps (numpy ``averaged_inverted_cdf``, Hyndman–Fan type 2), so they
  agree exactly with the Kaplan–Meier percentiles of an uncensored sample.
  ``ci95`` is the distribution-free interval of the median from order statistics
  (binomial, at least 95% coverage); ``mean_ci95`` is a BCa bootstrap interval of the
  mean (a fixed generator, so the same values give the same interval). NaN values are missing:
  they are left out and ``reached`` is the share that is not missing.
* **time to event** (``censored`` given): ``values`` are hours, ``censored`` marks
  the replications that had not reached the event when play stopped at the
  horizon (their value is the horizon, or NaN and ``horizon`` is given). The
  percentiles come from the Kaplan–Meier curve (the time where survival first
  reaches 0.9, 0.5, 0.1; where the curve is flat at exactly that level the midpoint
  to the next event, as in R's ``survival``); a percentile the curve never reaches is
  None. ``ci95`` is the 95% interval of the **median** (lifelines, log(-log)
  Greenwood bands). ``mean`` is the **restricted mean up to the horizon**: the
  expected hours spent before the event, counting a replication that never got
  there as the full horizon; ``mean_ci95`` is its 95% interval from the
  Kaplan–Meier variance of the restricted mean, on the log scale (so it stays
  positive). Censored values are never dropped nor set to zero.

Every number returned is a plain ``float`` or ``None``, so the dict is JSON-safe.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

import numpy as np
from scipy import stats

from sim.analysis.resample import bca_mean_interval, percentile_interval

__all__ = [
    "describe",
    "shared_draws",
    "km_curve",
    "km_quantile",
    "restricted_mean",
    "reached_note",
    "MIN_REACHED",
    "EMPTY",
]

EMPTY: dict = {
    "mean": None,
    "median": None,
    "p10": None,
    "p90": None,
    "ci95": [None, None],
    "mean_ci95": [None, None],
    "reached": None,
}

# below this share reached, a milestone has no median and no mean
MIN_REACHED = 0.5

_EPS = 1e-12

# values one batch of bootstrap resamples holds at once: the memory an interval takes stays
# flat as the replications grow (the draws do not depend on it)
_BATCH_VALUES = 250_000


def _num(x: object) -> float | None:
    """A JSON-safe float: None for NaN, infinities and missing values."""
    if x is None:
        return None
    x = float(x)  # type: ignore[arg-type]
    return x if math.isfinite(x) else None


def describe(
    values: Sequence[float] | np.ndarray,
    *,
    censored: Sequence[bool] | np.ndarray | None = None,
    horizon: float | None = None,
) -> dict:
    """Summarise a metric over replications: mean, median, p10, p90, ci95, reached.

    ``censored`` switches to the Kaplan–Meier treatment of a time to event (see the
    module docstring); ``horizon`` is the hours played by a censored replication,
    needed only when censored values are NaN (default: the largest value given).
    """
    x = np.asarray(values, dtype=float)
    if censored is None:
        return _describe_plain(x)
    c = np.asarray(censored, dtype=bool)
    if c.shape != x.shape:
        raise ValueError(f"censored has shape {c.shape}, values {x.shape}")
    if np.isnan(x[~c]).any():
        raise ValueError("an uncensored time to event is NaN")
    if np.isnan(x[c]).any():
        if horizon is None:
            raise ValueError("censored times are NaN: pass horizon= (the hours played)")
        x = np.where(c & np.isnan(x), float(horizon), x)
    return _describe_censored(x, c, horizon)


def reached_note(reached: float | None) -> str:
    """The text shown instead of a median or mean when fewer than half got there."""
    share = 0.0 if reached is None else float(reached)
    pct = f"{share:.0%}" if share == 0 or share >= 0.01 else "<1%"
    return f"— ({pct} reached)"


def _withhold(d: dict, share: float | None = None) -> dict:
    """No median and no mean for a milestone fewer than half reached; say so in ``note``.

    ``share`` is the share that decides (default ``reached``): for a time to event the
    Kaplan–Meier share of players who get there if they keep playing.
    """
    reached = d.get("reached")
    decides = reached if share is None else share
    if reached is not None and decides is not None and decides < MIN_REACHED:
        d.update(
            mean=None,
            median=None,
            ci95=[None, None],
            mean_ci95=[None, None],
            note=reached_note(reached),
        )
    return d


def median_ci(x: np.ndarray) -> list[float | None]:
    """Distribution-free 95% interval of the median: order statistics from Binomial(n, 1/2)."""
    xs = np.sort(np.asarray(x, float))
    n = xs.size
    if n < 2:
        return [None, None]
    j = max(int(stats.binom.ppf(0.025, n, 0.5)), 1)  # 1-based rank of the lower bound
    return [_num(xs[j - 1]), _num(xs[n - j])]


def mean_ci(x: np.ndarray, n_resamples: int = 1999) -> list[float | None]:
    """95% BCa bootstrap interval of the mean; it stays within the range of the data.

    A fixed generator makes the interval a function of the values alone. Falls back
    to the percentile interval when BCa cannot be computed.
    """
    x = np.asarray(x, float)
    if x.size < 2:
        return [None, None]
    if np.all(x == x[0]):
        return [_num(x[0]), _num(x[0])]
    boot = _resampled_means(x, n_resamples)
    for lo, hi in (bca_mean_interval(x, boot), percentile_interval(boot)):
        if math.isfinite(lo) and math.isfinite(hi):
            # a bootstrap quantile is a resampled mean: never outside [min, max]
            return [_num(max(lo, float(x.min()))), _num(min(hi, float(x.max())))]
    return [None, None]


def _resampled_means(x: np.ndarray, resamples: int) -> np.ndarray:
    """The means of ``resamples`` resamples of ``x`` drawn with the fixed generator (32-bit
    indices: the draws cost a third of 64-bit ones), a block of rows at a time, so the
    memory taken stays flat as the replications grow; the blocks do not change the draws.
    Inside ``shared_draws()`` the draws of the last size are kept for the next values."""
    n = x.size
    step = max(1, _BATCH_VALUES // n)
    key = (n, resamples, step)
    if _SHARED is not None and key in _SHARED:
        blocks: Iterable[np.ndarray] = _SHARED[key]
    else:
        rng = np.random.default_rng(20220225)
        rows = (min(step, resamples - k) for k in range(0, resamples, step))
        blocks = (rng.integers(0, n, (r, n), dtype=np.int32) for r in rows)
        if _SHARED is not None and resamples * n <= _SHARED_VALUES:
            blocks = list(blocks)
            _SHARED.clear()
            _SHARED[key] = blocks
    return np.concatenate([np.mean(x[idx], axis=-1) for idx in blocks])


# the draws of ``_resampled_means`` kept while ``shared_draws()`` is open (None: not kept)
_SHARED: dict[tuple[int, int, int], list[np.ndarray]] | None = None
_SHARED_VALUES = 1 << 25  # kept up to this many indices (128 MB), else drawn again


@contextmanager
def shared_draws() -> Iterator[None]:
    """Within: the mean intervals of values of one size read one set of draws (the draws are
    those of each call alone: the intervals do not change)."""
    global _SHARED
    outer = _SHARED is not None
    if not outer:
        _SHARED = {}
    try:
        yield
    finally:
        if not outer:
            _SHARED = None


def _describe_plain(x: np.ndarray) -> dict:
    n_all = x.size
    x = x[~np.isnan(x)]
    n = x.size
    if n == 0:
        return dict(EMPTY, ci95=[None, None], mean_ci95=[None, None])
    p10, p50, p90 = np.percentile(x, [10, 50, 90], method="averaged_inverted_cdf")
    withheld = n / n_all < MIN_REACHED  # no intervals to compute: ``_withhold`` drops them
    return _withhold(
        {
            "mean": _num(float(np.mean(x))),
            "median": _num(p50),
            "p10": _num(p10),
            "p90": _num(p90),
            "ci95": [None, None] if withheld else median_ci(x),
            "mean_ci95": [None, None] if withheld else mean_ci(x),
            "reached": n / n_all,
        }
    )


def km_curve(times: np.ndarray, censored: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The Kaplan–Meier curve as (event times, survival just after each event time)."""
    times = np.asarray(times, dtype=float)
    event = ~np.asarray(censored, dtype=bool)
    ts, deaths = np.unique(times[event], return_counts=True)
    at_risk = times.size - np.searchsorted(np.sort(times), ts, side="left")
    surv = np.cumprod(1.0 - deaths / at_risk)
    return ts, surv


def km_quantile(ts: np.ndarray, surv: np.ndarray, p: float) -> float | None:
    """Time by which a fraction ``p`` had the event, on a Kaplan–Meier curve; None if never.

    Where the curve sits exactly on ``1 - p`` up to the next event, the midpoint of
    the two event times is taken, so an uncensored sample gives the usual median.
    """
    target = 1.0 - p
    hit = np.nonzero(surv <= target + _EPS)[0]
    if hit.size == 0:
        return None
    i = int(hit[0])
    if abs(surv[i] - target) <= _EPS and i + 1 < ts.size:
        return float((ts[i] + ts[i + 1]) / 2)
    return float(ts[i])


def restricted_mean(ts: np.ndarray, surv: np.ndarray, horizon: float) -> float:
    """Area under the Kaplan–Meier curve from 0 to ``horizon``: the restricted mean time.

    The steps before the first event time at or after the horizon are added in order (a
    running sum, as a loop over them would), then the last step up to the horizon."""
    ts, surv = np.asarray(ts, float), np.asarray(surv, float)
    if ts.shape != surv.shape:
        raise ValueError(f"ts has shape {ts.shape}, surv {surv.shape}")
    past = np.flatnonzero(ts >= horizon)
    k = int(past[0]) if past.size else ts.size
    if k == 0:
        return float(0.0 + 1.0 * (horizon - 0.0))
    t = ts[:k]
    before = np.concatenate([[1.0], surv[: k - 1]])  # the curve's level over each step
    start = np.maximum(np.concatenate([[0.0], t[:-1]]), 0.0)
    area = np.cumsum(np.concatenate([[0.0], before * (t - start)]))[-1]
    return float(area + surv[k - 1] * (horizon - t[-1]))


def _median_ci(times: np.ndarray, censored: np.ndarray) -> list[float | None]:
    """95% interval of the Kaplan–Meier median, from lifelines' confidence bands."""
    from lifelines import KaplanMeierFitter  # imported here: workers that never need it start fast
    from lifelines.utils import median_survival_times

    kmf = KaplanMeierFitter().fit(times, event_observed=~censored)
    band = median_survival_times(kmf.confidence_interval_)
    lo, hi = (float(v) for v in band.iloc[0])
    return [_num(min(lo, hi)), _num(max(lo, hi))]


def restricted_mean_ci(
    times: np.ndarray, censored: np.ndarray, horizon: float
) -> list[float | None]:
    """95% interval of the restricted mean up to ``horizon`` (Kaplan–Meier variance, log scale).

    Var = sum over event times t_i < horizon of A_i^2 d_i / (Y_i (Y_i - d_i)), with A_i
    the area under the curve from t_i to the horizon, d_i the events and Y_i the number
    at risk at t_i; the interval is exp(log(mean) ± 1.96 se / mean), always positive.
    """
    t = np.asarray(times, float)
    event = ~np.asarray(censored, bool)
    ts, d = np.unique(t[event], return_counts=True)
    keep = ts < horizon
    ts, d = ts[keep], d[keep]
    if ts.size == 0:
        return [None, None]
    y = t.size - np.searchsorted(np.sort(t), ts, side="left")
    surv = np.cumprod(1.0 - d / y)
    ends = np.append(ts[1:], horizon)
    pieces = surv * (ends - ts)  # area of the step after each event time
    areas = np.cumsum(pieces[::-1])[::-1]
    ok = y > d
    var = float(np.sum(areas[ok] ** 2 * d[ok] / (y[ok] * (y[ok] - d[ok]))))
    rmst = restricted_mean(ts, surv, horizon)
    if rmst <= 0:
        return [None, None]
    half = 1.959963984540054 * math.sqrt(var) / rmst
    return [_num(rmst * math.exp(-half)), _num(rmst * math.exp(half))]


def _describe_censored(x: np.ndarray, c: np.ndarray, horizon: float | None) -> dict:
    n = x.size
    if n == 0:
        return dict(EMPTY, ci95=[None, None], mean_ci95=[None, None])
    tau = float(horizon) if horizon is not None else float(np.max(x))
    ts, surv = km_curve(x, c)
    share = 1.0 - float(surv[-1]) if len(surv) else 0.0
    if share < MIN_REACHED:  # no median, mean nor intervals to compute: ``_withhold`` drops them
        return _withhold(
            {
                "mean": None,
                "median": None,
                "p10": _num(km_quantile(ts, surv, 0.1)),
                "p90": _num(km_quantile(ts, surv, 0.9)),
                "ci95": [None, None],
                "mean_ci95": [None, None],
                "reached": float(np.count_nonzero(~c)) / n,
            },
            share=share,
        )
    median = km_quantile(ts, surv, 0.5)
    lo, hi = _median_ci(x, c) if (~c).any() else [None, None]
    if median is not None:
        lo = median if lo is None else min(lo, median)
        hi = None if hi is None else max(hi, median)
    return _withhold(
        {
            "mean": _num(restricted_mean(ts, surv, tau)),
            "median": _num(median),
            "p10": _num(km_quantile(ts, surv, 0.1)),
            "p90": _num(km_quantile(ts, surv, 0.9)),
            "ci95": [_num(lo), _num(hi)],
            "mean_ci95": restricted_mean_ci(x, c, tau),
            "reached": float(np.count_nonzero(~c)) / n,
        },
        # players censored before the horizon (quitters) do not count as never getting there
        share=share,
    )
