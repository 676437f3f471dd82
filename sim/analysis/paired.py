"""Paired differences B - A between two strategies run with the same seeds.

Replication k of every strategy starts from the same random streams (common
random numbers), so the player's skill and luck are shared and the difference
``B_k - A_k`` removes most of the noise the two runs have in common. The
comparison joins the two ``replications`` tables on ``replication`` and reports
the median and mean of the differences with a 95% interval for the **mean**
difference (BCa bootstrap) and for the **difference of medians** (percentile
bootstrap), both read from one set of 1,999 resamples of the pairs
(``sim.analysis.resample``) drawn from a generator seeded from the run seed, so a
report is reproducible. A comparison draws them once for all its pairs
(``pair_resamples``) and every metric and group of players reads its statistics from
them: in each resample, over the drawn pairs that have the metric (or are in the
group). BCa needs spread in the data; when it cannot be computed the percentile
interval is used, and when every difference is equal the interval is that value.
The verdict names both, labelled.

**Fewer than half reached it.** A milestone that fewer than half of either side
reached has no median and no mean (see ``sim.analysis.metrics``); the comparison
then gives no difference either and the verdict compares the shares that got there.

**Players who quit.** A player who quit before a milestone has no time to it: the
pair is left out of that metric's difference (``quit_pairs`` counts them), so time
differences are the pace of players who keep playing; who quits is reported apart
(the ``finished`` metric and the headline's share reaching an ending).

**Censored times.** A time to a level that was not reached by the horizon is
counted as the horizon in its pair. With one side censored the pair's difference
is then a bound (the true gap is at least as wide); with both censored it is 0.
The verdict says in how many pairs this happened. A paired test that models the
censoring (e.g. a stratified log-rank) would answer "is there a difference" but
not "how many hours", which is what the comparison is for.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from sim.analysis.grid import as_grid
from sim.analysis.paired_boot import (
    RESAMPLES,
    bootstrap_mean_ci,
    intervals,
    median_difference_ci,
    pair_resamples,
    unpaired_mean_ci,
)
from sim.analysis.resample import Counts, PairResamples
from sim.analysis.survival import is_time_metric
from sim.analysis.verdicts import mean_text as _mean_text
from sim.analysis.verdicts import shares_text as _shares_text
from sim.analysis.verdicts import verdict
from sim.columns import is_level_at_hours

__all__ = [
    "SHARE_METRICS",
    "metric_kind",
    "bootstrap_mean_ci",
    "unpaired_mean_ci",
    "paired_diff",
    "compare_metric",
    "paired_trajectory_difference",
    "median_difference_ci",
    "pair_resamples",
    "RESAMPLES",
    "verdict",
]


# yes/no per player (0 or 1): summarised as the share of players, compared as a difference of
# shares (a median of zeros and ones says nothing)
SHARE_METRICS = ("finished",)


def metric_kind(column: str) -> str:
    """The kind of a replications column: hours (lower is faster), levels, deaths, runes,
    share (a 0/1 column) or count."""
    if column in SHARE_METRICS:
        return "share"
    if is_time_metric(column) or column.endswith("_hours") and not column.startswith("level_at"):
        return "hours"
    if is_level_at_hours(column) or column.endswith("_level"):
        return "levels"
    if "deaths" in column:
        return "deaths"
    if column.startswith("runes"):
        return "runes"
    return "count"


def paired_diff(
    a: np.ndarray,
    b: np.ndarray,
    *,
    kind: str,
    margin: float | None = None,
    seed: int = 0,
    label: str = "",
    names: tuple[str, str] = ("A", "B"),
    censored_pairs: int = 0,
    horizon: float | None = None,
    both_censored_all: bool = False,
    reached: tuple[float, float] | None = None,
    resamples: tuple[Counts, np.ndarray] | None = None,
) -> dict:
    """Both paired statistics of b - a (NaN pairs left out), each with its interval, and the
    verdict.

    ``median``/``mean``: median and mean of the paired differences, ``ci95`` the BCa
    interval of the mean; ``difference_of_medians`` (median(b) - median(a), what the
    tables show) with ``difference_of_medians_ci95``, on which the verdict is read.
    ``reached`` (share of a and of b that got there): below one half on either side,
    no statistic is given and the verdict compares the shares.

    ``kind="share"`` (a 0/1 metric): also ``share_a``, ``share_b`` and
    ``difference_of_shares`` (share_b - share_a, the mean of the paired differences) with
    ``difference_of_shares_ci95`` (the paired interval of that mean), on which the verdict
    is read instead.

    ``resamples`` (counts, positions): the comparison's resamples of its pairs and where
    these pairs are among them (``compare_metric`` passes them); without, the pairs given
    are resampled on their own, from a generator seeded by ``seed`` and ``label``.
    """
    a, b = np.asarray(a, float), np.asarray(b, float)
    keep = ~(np.isnan(a) | np.isnan(b))
    a, b = a[keep], b[keep]
    if resamples is not None:
        resamples = (resamples[0], np.asarray(resamples[1])[keep])
    d = b - a
    out: dict = {"of": [names[1], names[0]], "pairs": int(d.size)}
    if reached is not None and min(reached) < 0.5:
        out.update(
            median=None,
            mean=None,
            ci95=[None, None],
            difference_of_medians=None,
            difference_of_medians_ci95=[None, None],
            reached=[float(reached[1]), float(reached[0])],
            verdict=(
                verdict(
                    0.0, [0.0, 0.0], kind=kind, margin=None, horizon=horizon, both_censored_all=True
                )
                if both_censored_all
                else _shares_text(names, reached)
            ),
            method="none (fewer than half reached it)",
        )
        if censored_pairs:
            out["censored_pairs"] = int(censored_pairs)
        return out
    mean = float(np.mean(d)) if d.size else math.nan
    med_a = float(np.median(a)) if a.size else math.nan
    med_b = float(np.median(b)) if b.size else math.nan
    dom = med_b - med_a
    all_equal = bool(d.size) and bool(np.all(d == d[0]))
    ci, method, dom_ci = intervals(a, b, dom, all_equal, seed, label, resamples)
    out.update(
        {
            "median": _clean(float(np.median(d))) if d.size else None,
            "mean": _clean(mean),
            "ci95": [_clean(ci[0]), _clean(ci[1])],
            "median_a": _clean(med_a),
            "median_b": _clean(med_b),
            "difference_of_medians": _clean(dom),
            "difference_of_medians_ci95": [_clean(dom_ci[0]), _clean(dom_ci[1])],
            "verdict_statistic": "difference of medians",
            "verdict": verdict(
                dom,
                dom_ci,
                kind=kind,
                margin=margin,
                names=names,
                censored_pairs=censored_pairs,
                horizon=horizon,
                both_censored_all=both_censored_all,
                statistic="difference of medians, paired",
                also="" if all_equal else _mean_text(mean, ci, kind),
                all_equal=all_equal,
            ),
            "method": method,
        }
    )
    if kind == "share":
        out.update(_share_fields(a, b, mean, ci, names=names, all_equal=all_equal))
    if censored_pairs:
        out["censored_pairs"] = int(censored_pairs)
    return out


def _share_fields(
    a: np.ndarray,
    b: np.ndarray,
    mean: float,
    ci: list[float],
    *,
    names: tuple[str, str],
    all_equal: bool,
) -> dict:
    """A 0/1 metric's shares and their paired difference, and the verdict read on it."""
    return {
        "share_a": _clean(float(np.mean(a))) if a.size else None,
        "share_b": _clean(float(np.mean(b))) if b.size else None,
        "difference_of_shares": _clean(mean),
        "difference_of_shares_ci95": [_clean(ci[0]), _clean(ci[1])],
        "verdict_statistic": "difference of shares",
        "verdict": verdict(
            mean,
            ci,
            kind="share",
            margin=None,
            names=names,
            statistic="difference of shares, paired",
            all_equal=all_equal,
        ),
    }


def _clean(x: float) -> float | None:
    return x if math.isfinite(x) else None


def compare_metric(
    rep_a: pd.DataFrame,
    rep_b: pd.DataFrame,
    column: str,
    *,
    margin_hours: float | None = 1.0,
    margin_levels: float | None = 2.0,
    seed: int = 0,
    names: tuple[str, str] = ("A", "B"),
    resamples: PairResamples | None = None,
) -> dict:
    """Paired comparison of one ``replications`` column, joined on ``replication``.

    Times to an event that were censored count as the horizon in their pair (see the
    module docstring); the verdict names the number of such pairs. A pair in which a
    player quit before the event is left out (``quit_pairs`` counts them). ``resamples``:
    the comparison's resamples of its pairs (``pair_resamples``), read instead of
    resampling these pairs on their own.
    """
    kind = metric_kind(column)
    extra = [c for c in ("horizon_hours", "quit_hours") if c in rep_a and c in rep_b]
    cols = ["replication", column, *extra]
    j = rep_a[cols].merge(
        rep_b[cols], on="replication", suffixes=("_a", "_b"), validate="one_to_one"
    )
    a = j[f"{column}_a"].to_numpy(float)
    b = j[f"{column}_b"].to_numpy(float)
    quit_pairs = 0
    nobody = bool(len(j)) and bool(np.all(np.isnan(a) & np.isnan(b)))
    if is_time_metric(column) and "quit_hours_a" in j and not nobody:
        # a player who quit before getting there has no time to compare: the pair is left
        # out, so the difference is the pace of players who keep playing on both sides
        qa = np.isnan(a) & ~np.isnan(j["quit_hours_a"].to_numpy(float))
        qb = np.isnan(b) & ~np.isnan(j["quit_hours_b"].to_numpy(float))
        gone = qa | qb
        quit_pairs = int(np.count_nonzero(gone))
        j, a, b = j[~gone], a[~gone], b[~gone]
    censored_pairs, horizon, both_all = 0, None, False
    reached = (float(np.mean(~np.isnan(a))), float(np.mean(~np.isnan(b)))) if len(j) else None
    if is_time_metric(column) and "horizon_hours_a" in j:
        ha = j["horizon_hours_a"].to_numpy(float)
        hb = j["horizon_hours_b"].to_numpy(float)
        censored_pairs = int(np.count_nonzero(np.isnan(a) | np.isnan(b)))
        both_all = bool(len(j)) and bool(np.all(np.isnan(a) & np.isnan(b)))
        a, b = np.where(np.isnan(a), ha, a), np.where(np.isnan(b), hb, b)
        horizon = float(np.max(np.concatenate([ha, hb]))) if len(j) else None
    margin = {"hours": margin_hours, "levels": margin_levels}.get(kind)
    out = paired_diff(
        a,
        b,
        kind=kind,
        margin=margin,
        seed=seed,
        label=column,
        names=names,
        censored_pairs=censored_pairs,
        horizon=horizon,
        both_censored_all=both_all,
        reached=reached,
        resamples=_where(resamples, j["replication"].to_numpy()),
    )
    if quit_pairs:
        out["quit_pairs"] = quit_pairs
    return out


def _where(
    resamples: PairResamples | None, replications: np.ndarray
) -> tuple[Counts, np.ndarray] | None:
    where = resamples.positions(replications) if resamples is not None else None
    return None if resamples is None or where is None else (resamples.counts, where)


def paired_trajectory_difference(
    traj_a: pd.DataFrame, traj_b: pd.DataFrame, value: str = "level"
) -> pd.DataFrame:
    """Per grid time, the paired difference B - A of ``value`` over replications.

    Tidy: ``hours, mean, median, p10, p90, lo, hi, pairs`` with ``lo, hi`` the 95% t
    interval of the mean difference (a pointwise band, one per grid time).
    """
    fast = _grid_difference(traj_a, traj_b, value)
    if fast is not None:
        return fast
    j = traj_a[["replication", "hours", value]].merge(
        traj_b[["replication", "hours", value]], on=["replication", "hours"], suffixes=("_a", "_b")
    )
    j["d"] = j[f"{value}_b"].astype(float) - j[f"{value}_a"].astype(float)
    g = j.groupby("hours")["d"]
    out = pd.DataFrame(
        {
            "mean": g.mean(),
            "median": g.median(),
            "p10": g.quantile(0.1),
            "p90": g.quantile(0.9),
            "sd": g.std(ddof=1),
            "pairs": g.size(),
        }
    ).reset_index()
    t = stats.t.ppf(0.975, np.maximum(out["pairs"] - 1, 1))
    half = t * out["sd"].fillna(0.0) / np.sqrt(out["pairs"])
    out["lo"], out["hi"] = out["mean"] - half, out["mean"] + half
    return out.drop(columns="sd")


def _grid_difference(traj_a: pd.DataFrame, traj_b: pd.DataFrame, value: str) -> pd.DataFrame | None:
    """``paired_trajectory_difference`` of two runs on one grid (the same replications and grid
    times, no missing value): column statistics of the difference matrix; else None."""
    ga, gb = as_grid(traj_a, value), as_grid(traj_b, value)
    if ga is None or gb is None:
        return None
    if not (np.array_equal(ga[0], gb[0]) and np.array_equal(ga[1], gb[1])):
        return None
    d = gb[2] - ga[2]
    if np.isnan(d).any():
        return None
    pairs = d.shape[0]
    p10, med, p90 = np.quantile(d, [0.1, 0.5, 0.9], axis=0)
    out = pd.DataFrame(
        {
            "hours": ga[1],
            "mean": d.mean(axis=0),
            "median": med,
            "p10": p10,
            "p90": p90,
            "pairs": np.full(d.shape[1], pairs, dtype=np.int64),
        }
    )
    sd = d.std(axis=0, ddof=1) if pairs > 1 else np.zeros(d.shape[1])
    half = stats.t.ppf(0.975, max(pairs - 1, 1)) * sd / np.sqrt(pairs)
    out["lo"], out["hi"] = out["mean"] - half, out["mean"] + half
    return out
