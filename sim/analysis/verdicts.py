"""The plain sentences of a paired comparison: B faster/slower/higher/lower by X, equivalent,
unclear.

Each sentence names the statistic it is read on (the difference of medians, or the
mean of the paired differences) and its 95% interval, so no figure is left without
its label.
"""

from __future__ import annotations

import math

__all__ = ["UNITS", "verdict", "mean_text", "shares_text", "short_verdict", "fmt", "signed"]

UNITS = {
    "hours": "h",
    "levels": "levels",
    "deaths": "deaths",
    "runes": "runes",
    "count": "",
    "share": "percentage points",
}


def fmt(x: float, kind: str) -> str:
    if kind == "share":  # a share (0..1) or a difference of shares, in percent(age points)
        return f"{100 * x:.1f}"
    if kind in ("runes", "count"):
        return f"{x:,.0f}"
    return f"{x:.1f}"


def signed(x: float, kind: str) -> str:
    if kind == "share":
        return f"{100 * x:+.1f}"
    return f"{x:+,.0f}" if kind in ("runes", "count") else f"{x:+.1f}"


def verdict(
    mean: float,
    ci: list[float],
    *,
    kind: str,
    margin: float | None,
    names: tuple[str, str] = ("A", "B"),
    censored_pairs: int = 0,
    horizon: float | None = None,
    both_censored_all: bool = False,
    statistic: str = "mean of paired differences",
    also: str = "",
    all_equal: bool = False,
) -> str:
    """A plain sentence: B faster/slower/higher/lower by X (95% CI a-b), equivalent, or unclear.

    ``mean`` and ``ci`` are the figure the verdict is read on (``statistic`` names it);
    ``also`` is appended (the other statistic, labelled). Equivalence ("within
    ±margin") is claimed only when the whole interval lies inside the margin; a
    difference only when the interval excludes zero.
    """
    a_name, b_name = names
    unit = UNITS.get(kind, "")
    u = f" {unit}" if unit else ""
    lo, hi = ci
    if both_censored_all:
        h = f"{fmt(horizon, 'hours')} h " if horizon is not None else ""
        return f"neither reached it within the {h}horizon in any pair"
    if all_equal:
        text = f"identical in every pair ({b_name} − {a_name} = {signed(mean, kind)}{u})"
    elif not (math.isfinite(lo) and math.isfinite(hi)):
        text = f"not enough pairs to compare {b_name} with {a_name}"
    else:
        label = f"{statistic}, " if statistic else ""
        if hi < 0 or lo > 0:
            if kind == "hours":
                word = "faster" if hi < 0 else "slower"
            else:
                word = "lower" if hi < 0 else "higher"
            mag = abs(mean)
            a_, b_ = sorted((abs(lo), abs(hi)))
            effect = (
                f"{b_name} {word} by {fmt(mag, kind)}{u} ({label}95% CI "
                f"{fmt(a_, kind)}–{fmt(b_, kind)})"
            )
        else:
            effect = None
        if margin is not None and -margin <= lo and hi <= margin:
            text = f"equivalent within ±{fmt(margin, kind)}{u}"
            text += (
                f" ({label}{signed(mean, kind)}, 95% CI {signed(lo, kind)} to {signed(hi, kind)})"
            )
        elif effect:
            text = effect
        else:
            text = (
                f"no clear difference ({label}{signed(mean, kind)}{u}, 95% CI {signed(lo, kind)} "
                f"to {signed(hi, kind)})"
            )
    if also:
        text += "; " + also
    if censored_pairs:
        h = f" {fmt(horizon, 'hours')} h" if horizon is not None else ""
        text += (
            f"; censored at the{h} horizon in {censored_pairs} pair"
            f"{'s' if censored_pairs != 1 else ''}, counted as the horizon (a bound)"
        )
    return text


def mean_text(mean: float, ci: list[float], kind: str) -> str:
    """'mean of paired differences +X unit (95% CI a to b)', or '' when not computable."""
    unit = UNITS.get(kind, "")
    u = f" {unit}" if unit else ""
    if not (math.isfinite(mean) and math.isfinite(ci[0]) and math.isfinite(ci[1])):
        return ""
    return (
        f"mean of paired differences {signed(mean, kind)}{u} "
        f"(95% CI {signed(ci[0], kind)} to {signed(ci[1], kind)})"
    )


def shares_text(names: tuple[str, str], reached: tuple[float, float]) -> str:
    """The verdict when fewer than half of one side reached a milestone: the shares that did."""
    (a_name, b_name), (ra, rb) = names, reached
    return (
        f"fewer than half reached it, so no median or mean: "
        f"{b_name} {rb:.0%} reached it, {a_name} {ra:.0%}"
    )


def short_verdict(text: str) -> str:
    """The verdict's first clause ('B faster by 8.8 h'), for narrow tables."""
    for sep in (" (", ";", ":"):
        i = text.find(sep)
        if i > 0:
            text = text[:i]
    return text
