"""The answer in one or two sentences, computed once from the replications tables.

``headline`` takes the ``replications`` frames of the compared runs (the first is
the baseline) and returns the sentences and every figure in them, each labelled
with its statistic. ``compare`` prints it first, ``comparison.json`` stores it as
``headline`` (text) and ``headline_figures``, and the report opens on it. With one
run it describes that run alone.

The figures come from the same functions as the tables (``compare_metric`` for
paired differences, ``describe`` for one run), so the headline and the tables
always agree. A milestone fewer than half reached is given as a share, never as a
median or a mean.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from sim.analysis.metrics import describe
from sim.analysis.paired import compare_metric, pair_resamples
from sim.analysis.survival import describe_time
from sim.columns import hours_to_level_column, level_of_column

__all__ = ["Headline", "headline", "key_level"]


@dataclass
class Headline:
    """The headline text and its figures (one dict per figure, with the statistic named)."""

    text: str
    figures: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "figures": self.figures}


def key_level(replications: pd.DataFrame, preferred: int | None = None) -> int | None:
    """The level the headline is about: ``preferred`` if recorded, else 80, else the middle one."""
    levels = sorted(lv for lv in map(level_of_column, replications.columns) if lv is not None)
    if not levels:
        return None
    for lv in (preferred, 80):
        if lv is not None and lv in levels:
            return lv
    return levels[len(levels) // 2]


def _h(x: float) -> str:
    return f"{x:.1f} h"


def _n(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() or abs(x) >= 100 else f"{x:,.1f}"


def _ci(ci: Sequence[float | None], fmt: Callable[[float], str] = _h, signed: bool = False) -> str:
    lo, hi = ci
    if lo is None or hi is None:
        return "interval not computable"
    if signed:
        return f"95% CI {lo:+.1f} to {hi:+.1f}"
    a, b = sorted((abs(lo), abs(hi)))
    if (lo >= 0) != (hi >= 0):
        return f"95% CI {lo:+.1f} to {hi:+.1f}"
    low, high = fmt(a), fmt(b)
    unit = " h" if high.endswith(" h") else ""
    return f"95% CI {low.removesuffix(' h')}–{high.removesuffix(' h')}{unit}"


def _figure(metric: str, d: dict, names: tuple[str, str]) -> dict[str, Any]:
    return {
        "metric": metric,
        "statistic": "median per strategy; difference of medians (paired)",
        "strategies": [names[1], names[0]],
        "medians": [d.get("median_b"), d.get("median_a")],
        "difference": d.get("difference_of_medians"),
        "ci95": d.get("difference_of_medians_ci95"),
        "interval": "95% paired percentile bootstrap of the difference of medians",
        "reached": d.get("reached"),
        "verdict": d.get("verdict"),
    }


def _clear(d: dict) -> bool:
    lo, hi = d.get("difference_of_medians_ci95") or [None, None]
    return lo is not None and hi is not None and (lo > 0 or hi < 0)


def _shares(reps: Mapping[str, pd.DataFrame], name: str, col: str) -> float:
    return float(describe_time(reps[name], col)["reached"] or 0.0)


def _level_sentence(lv: int, d: dict, a: str, b: str) -> str:
    mb, ma, dom = d["median_b"], d["median_a"], d["difference_of_medians"]
    if _clear(d):
        how = f"{_h(abs(dom))} {'sooner' if dom < 0 else 'later'}"
    else:
        how = "no clear difference"
    who = (
        "For the same player, if they keep playing,"
        if d.get("quit_pairs")
        else "For the same player,"
    )
    return (
        f"{who} {b} reaches level {lv} in {_h(mb)} instead of {_h(ma)} "
        f"(medians): {how} (paired, {_ci(d['difference_of_medians_ci95'])})."
    )


def _ending_sentence(reps: Mapping[str, pd.DataFrame], a: str, b: str) -> str:
    """Who reaches an ending at all: quitting and the horizon, reported apart from pace."""
    if "finished" not in reps[a] or "finished" not in reps[b]:
        return ""
    fa, fb = float(reps[a]["finished"].mean()), float(reps[b]["finished"].mean())
    quit = "quit_hours" in reps[a] and "quit_hours" in reps[b]
    qa = float(reps[a]["quit_hours"].notna().mean()) if quit else 0.0
    qb = float(reps[b]["quit_hours"].notna().mean()) if quit else 0.0
    left = f" ({qb:.0%} and {qa:.0%} quit along the way)" if quit and (qa or qb) else ""
    return f"{fb:.0%} of {b} players reach an ending against {fa:.0%} of {a} players{left}."


def _shares_sentence(lv: int, a: str, b: str, reps: Mapping[str, pd.DataFrame]) -> str:
    col = hours_to_level_column(lv)
    ra, rb = _shares(reps, a, col), _shares(reps, b, col)
    return (
        f"Level {lv} is reached within the horizon by {rb:.0%} of {b} players and {ra:.0%} of "
        f"{a} players (fewer than half on one side, so no median)."
    )


def _finish_clause(d: dict) -> str:
    if d.get("difference_of_medians") is None:
        rb, ra = d.get("reached") or [None, None]
        if rb is None or ra is None:
            return ""
        return (
            f"finishes the game in {rb:.0%} of playthroughs against {ra:.0%} (fewer than half on "
            "one side)"
        )
    mb, ma, dom = d["median_b"], d["median_a"], d["difference_of_medians"]
    ci = _ci(d["difference_of_medians_ci95"])
    if not _clear(d):
        return f"finishes the game in about the same time ({_h(mb)} vs {_h(ma)}, medians; {ci})"
    word = "sooner" if dom < 0 else "later"
    return f"finishes the game {_h(abs(dom))} {word} ({_h(mb)} vs {_h(ma)}, medians; {ci})"


def _deaths_clause(d: dict) -> str:
    if d.get("difference_of_medians") is None:
        return ""
    mb, ma, dom = d["median_b"], d["median_a"], d["difference_of_medians"]
    ci = _ci(d["difference_of_medians_ci95"], fmt=_n)
    if not _clear(d):
        return f"dies about as often ({_n(mb)} vs {_n(ma)} deaths, medians; {ci})"
    word = "fewer" if dom < 0 else "more"
    return f"has {_n(abs(dom))} {word} deaths ({_n(mb)} vs {_n(ma)}, medians; {ci})"


def _pair(
    reps: Mapping[str, pd.DataFrame], a: str, b: str, *, seed: int, level: int | None, **kw: Any
) -> tuple[str, list[dict]]:
    sentences, figures, after = [], [], []
    kw = {**kw, "resamples": pair_resamples(reps[a], reps[b], seed)}  # the tables' resamples
    if level is not None and hours_to_level_column(level) in reps[b]:
        # the key level, or the highest level below it that both sides reach by half or more
        recorded = (lv for lv in map(level_of_column, reps[a].columns) if lv is not None)
        levels = sorted((lv for lv in recorded if lv <= level), reverse=True)
        for lv in levels:
            col = hours_to_level_column(lv)
            if col not in reps[b]:
                continue
            d = compare_metric(reps[a], reps[b], col, seed=seed, names=(a, b), **kw)
            if d.get("difference_of_medians") is not None:
                sentences.append(_level_sentence(lv, d, a, b))
                figures.append(_figure(col, d, (a, b)))
                break
            if lv == level:
                after.append(_shares_sentence(lv, a, b, reps))
    clauses = []
    for col, clause in (("finish_hours", _finish_clause), ("deaths", _deaths_clause)):
        if col in reps[a] and col in reps[b]:
            d = compare_metric(reps[a], reps[b], col, seed=seed, names=(a, b), **kw)
            text = clause(d)
            if text:
                clauses.append(text)
                figures.append(_figure(col, d, (a, b)))
    if clauses:
        subject = "It" if sentences else f"For the same player, {b}"
        sentences.append(f"{subject} {' and '.join(clauses)}.")
    ending = _ending_sentence(reps, a, b)
    return " ".join(sentences + after + ([ending] if ending else [])), figures


def _single(rep: pd.DataFrame, name: str, level: int | None) -> tuple[str, list[dict]]:
    parts, figures = [], []
    if level is not None:
        col = hours_to_level_column(level)
        d = describe_time(rep, col)
        figures.append({"metric": col, "statistic": "median", **d})
        if d["median"] is None:
            parts.append(f"only {(d['reached'] or 0):.0%} of {name} players reach level {level}")
        else:
            parts.append(
                f"the typical {name} player reaches level {level} in {_h(d['median'])} "
                f"(median, {_ci(d['ci95'])})"
            )
    if "finish_hours" in rep:
        d = describe_time(rep, "finish_hours")
        figures.append({"metric": "finish_hours", "statistic": "median", **d})
        if d["median"] is None:
            parts.append(f"{(d['reached'] or 0):.0%} finish the game within the horizon")
        else:
            parts.append(f"finishes the game in {_h(d['median'])} (median, {_ci(d['ci95'])})")
    if "deaths" in rep:
        d = describe(rep["deaths"].to_numpy(float))
        figures.append({"metric": "deaths", "statistic": "median", **d})
        if d["median"] is not None:
            parts.append(f"dies {_n(d['median'])} times (median)")
    if not parts:
        return f"{name}: nothing to summarise.", figures
    text = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    return text[0].upper() + text[1:] + ".", figures


def headline(
    replications: Mapping[str, pd.DataFrame],
    *,
    seed: int = 0,
    level: int | None = None,
    margin_hours: float | None = 1.0,
    margin_levels: float | None = 2.0,
) -> Headline:
    """One or two sentences answering the comparison (every later run against the first).

    ``replications`` maps run names to their ``replications`` tables; ``level`` is the
    milestone the first sentence is about (default: 80 when recorded). ``seed`` seeds
    the paired bootstrap exactly as the comparison's tables do.
    """
    names = list(replications)
    if not names:
        return Headline("No runs to summarise.")
    base = names[0]
    lv = key_level(replications[base], level)
    if len(names) == 1:
        text, figures = _single(replications[base], base, lv)
    else:
        texts, figures = [], []
        kw = {"margin_hours": margin_hours, "margin_levels": margin_levels}
        for b in names[1:]:
            t, f = _pair(replications, base, b, seed=seed, level=lv, **kw)
            texts.append(t)
            figures += f
        text = " ".join(texts)
    pairs = min(len(r) for r in replications.values())
    kind = "paired playthroughs" if len(names) > 1 else "playthroughs"
    text += f" Based on {pairs:,} {kind}; medians, with 95% intervals."
    return Headline(text=text, figures=figures)
