"""Luck against unknown inputs: the spread of a metric split over a nested two-level design.

Outer sample ``p = 1..P`` draws the uncertain inputs; inner replications ``r = 1..R``
(independent luck) run at those inputs: ``y_pr = mu + a_p + e_pr``. The one-way
random-effects analysis of variance gives the usual unbiased estimators

- luck variance  ``s2_luck  = MSW = sum (y_pr - ybar_p)^2 / (P (R - 1))``
- input variance ``s2_input = (MSB - MSW) / R`` with ``MSB = R sum (ybar_p - ybar)^2 / (P - 1)``

(``s2_input`` is reported truncated at 0 when sampling noise makes it negative, and the
untruncated estimate is kept alongside). Unbalanced designs (a failed replication)
use the ANOVA estimator with ``n0 = (N - sum n_p^2 / N) / (P - 1)``.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

__all__ = ["decompose"]


def decompose(values: np.ndarray, groups: np.ndarray) -> dict:
    """Split the variance of ``values`` (one per replication) by outer sample ``groups``.

    Returns ``mean``, ``luck_variance``, ``input_variance`` (>= 0), ``input_variance_raw``,
    ``total_variance`` (their sum), ``luck_share``, ``input_share``, ``outer_samples``,
    ``inner`` (mean replications per sample), ``ci95`` (t interval of the mean over the
    outer samples' means: what the unknown inputs and luck leave of the average) and
    ``outer_p10`` / ``outer_p90`` (spread of the per-sample means)."""
    y = np.asarray(values, float)
    g = np.asarray(groups)
    keep = ~np.isnan(y)
    y, g = y[keep], g[keep]
    labels, inverse, counts = np.unique(g, return_inverse=True, return_counts=True)
    P, N = len(labels), y.size
    out: dict = {"outer_samples": int(P), "inner": float(N / P) if P else 0.0}
    if P < 2 or N - P < 1:
        out.update(mean=float(np.mean(y)) if N else None, luck_variance=None, input_variance=None)
        return out
    means = np.bincount(inverse, weights=y) / counts
    grand = float(np.mean(y))
    ssw = float(np.sum((y - means[inverse]) ** 2))
    ssb = float(np.sum(counts * (means - grand) ** 2))
    msw = ssw / (N - P)
    msb = ssb / (P - 1)
    n0 = (N - float(np.sum(counts**2)) / N) / (P - 1)
    raw = (msb - msw) / n0
    s2_input = max(raw, 0.0)
    total = msw + s2_input
    half = stats.t.ppf(0.975, P - 1) * float(np.std(means, ddof=1)) / math.sqrt(P)
    out.update(
        mean=grand,
        luck_variance=msw,
        input_variance=s2_input,
        input_variance_raw=raw,
        total_variance=total,
        luck_share=msw / total if total > 0 else None,
        input_share=s2_input / total if total > 0 else None,
        luck_sd=math.sqrt(msw),
        input_sd=math.sqrt(s2_input),
        ci95=[float(np.mean(means) - half), float(np.mean(means) + half)],
        outer_p10=float(np.quantile(means, 0.1)),
        outer_p90=float(np.quantile(means, 0.9)),
    )
    return out
