"""Summary statistics of one metric over replications, with right censoring where it applies.

``describe`` is the one summary every result speaks: the mean, the median, the 10th
and 90th percentiles, a 95% interval and the share of replications that reached
the event. Two kinds of metric:

* **plain** (``censored=None``): a value per replication, e.g. deaths or the level
  after 10 hours. Percentiles are the inverse of the empirical distribution,
  averaged at jumps (numpy ``averaged_inverted_cdf``, Hyndman–Fan type 2), so they
  agree exactly with the Kaplan–Meier percentiles of an uncensored sample.
  ``ci95`` is the Student t interval for the mean. NaN values are missing:
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
  there as the full horizon. Censored values are never dropped nor set to zero.

Every number returned is a plain ``float`` or ``None``, so the dict is JSON-safe.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import stats

__all__ = ["describe", "km_curve", "km_quantile", "restricted_mean", "EMPTY"]

EMPTY: dict = {
    "mean": None,
    "median": None,
    "p10": None,
    "p90": None,
    "ci95": [None, None],
    "reached": None,
}

_EPS = 1e-12


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


def _describe_plain(x: np.ndarray) -> dict:
    n_all = x.size
    x = x[~np.isnan(x)]
    n = x.size
    if n == 0:
        return dict(EMPTY, ci95=[None, None])
    mean = float(np.mean(x))
    lo = hi = None
    if n > 1:
        sem = float(np.std(x, ddof=1)) / math.sqrt(n)
        half = float(stats.t.ppf(0.975, n - 1)) * sem
        lo, hi = mean - half, mean + half
    p10, p50, p90 = np.percentile(x, [10, 50, 90], method="averaged_inverted_cdf")
    return {
        "mean": _num(mean),
        "median": _num(p50),
        "p10": _num(p10),
        "p90": _num(p90),
        "ci95": [_num(lo), _num(hi)],
        "reached": n / n_all,
    }


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
    """Area under the Kaplan–Meier curve from 0 to ``horizon``: the restricted mean time."""
    area, s, last = 0.0, 1.0, 0.0
    for t, s_after in zip(ts, surv, strict=True):
        if t >= horizon:
            break
        area += s * (t - max(last, 0.0))
        s, last = s_after, t
    return area + s * (horizon - last)


def _median_ci(times: np.ndarray, censored: np.ndarray) -> list[float | None]:
    """95% interval of the Kaplan–Meier median, from lifelines' confidence bands."""
    from lifelines import KaplanMeierFitter  # imported here: workers that never need it start fast
    from lifelines.utils import median_survival_times

    kmf = KaplanMeierFitter().fit(times, event_observed=~censored)
    band = median_survival_times(kmf.confidence_interval_)
    lo, hi = (float(v) for v in band.iloc[0])
    return [_num(min(lo, hi)), _num(max(lo, hi))]


def _describe_censored(x: np.ndarray, c: np.ndarray, horizon: float | None) -> dict:
    n = x.size
    if n == 0:
        return dict(EMPTY, ci95=[None, None])
    tau = float(horizon) if horizon is not None else float(np.max(x))
    ts, surv = km_curve(x, c)
    median = km_quantile(ts, surv, 0.5)
    lo, hi = _median_ci(x, c) if (~c).any() else [None, None]
    if median is not None:
        lo = median if lo is None else min(lo, median)
        hi = None if hi is None else max(hi, median)
    return {
        "mean": _num(restricted_mean(ts, surv, tau)),
        "median": _num(median),
        "p10": _num(km_quantile(ts, surv, 0.1)),
        "p90": _num(km_quantile(ts, surv, 0.9)),
        "ci95": [_num(lo), _num(hi)],
        "reached": float(np.count_nonzero(~c)) / n,
    }
