"""Exact rune costs of levelling up, from the game's level curve in ``sim/data/rules.toml``.

With ``L`` the level you are at and ``x = L + offset``::

    cost(L -> L+1) = floor((max(0, x - boundary) * slope_above + slope) * x**2 + adjustment)

(CalcCorrectGraph row 200 "Soul Level - Souls Required": slope 0.1, slope_above 0.02,
boundary 92, adjustment 1; offset 81). The cost is indexed by the level you are *at*:
``level_cost(1) == 673`` is the price of reaching level 2.

Convention and its known doubt: the coefficients are read as decimal strings and the
curve is evaluated exactly with ``fractions.Fraction``. At 169 levels the product
before ``+ adjustment`` is an exact integer, so exact arithmetic gives product + 1.
The game computes in floating point; evaluated left to right in doubles the product
lands just under the integer at 36 of those levels (24, 29, 209, 224, ...), which
would make those steps one rune cheaper (``level_cost(24)`` is 3,970 here, 3,969 in
doubles). No in-game figure for those levels settles it, so each carries a +-1 rune
doubt; the exact convention is used throughout.

All costs for levels 1..712 are computed once, when the module is imported, so the
simulator's hot path is a tuple lookup. The only other import-time work is reading
``rules.toml``.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import tomllib
from fractions import Fraction
from pathlib import Path
from typing import Any

__all__ = [
    "MAX_LEVEL",
    "COSTS",
    "TOTALS",
    "curve_cost",
    "level_cost",
    "level_total",
    "affordable_levels",
    "levels_table",
]

RULES_FILE = Path(__file__).resolve().parent.parent / "data" / "rules.toml"


@functools.cache
def _level_curve() -> dict[str, Any]:
    """The ``[level_curve]`` table of ``rules.toml`` (read once)."""
    with RULES_FILE.open("rb") as f:
        return dict(tomllib.load(f)["level_curve"])


def curve_cost(
    level: int,
    *,
    offset: int,
    slope: str,
    slope_above: str,
    boundary: int,
    adjustment: int,
    **_: Any,
) -> int:
    """Runes from ``level`` to ``level + 1`` under the given curve, in exact arithmetic.

    ``slope`` and ``slope_above`` are decimal strings (``"0.1"``) so that no binary
    floating-point error enters; extra keys of a ``[level_curve]`` table are ignored.
    """
    x = level + offset
    rate = max(0, x - boundary) * Fraction(slope_above) + Fraction(slope)
    # floor of a non-negative Fraction: integer division of numerator by denominator
    value = rate * x * x + adjustment
    return value.numerator // value.denominator


_CURVE = _level_curve()
MAX_LEVEL: int = int(_CURVE["max_level"])

# COSTS[L] = runes from L to L + 1 for 1 <= L < MAX_LEVEL; COSTS[0] = 0 (no level 0).
COSTS: tuple[int, ...] = (0,) + tuple(curve_cost(L, **_CURVE) for L in range(1, MAX_LEVEL))
# TOTALS[L] = runes from level 1 to level L + 1 = COSTS[1] + ... + COSTS[L]; TOTALS[0] = 0.
TOTALS: tuple[int, ...] = tuple(itertools.accumulate(COSTS))


def level_cost(level: int) -> int:
    """Runes to go from ``level`` to ``level + 1`` (1 <= level < MAX_LEVEL)."""
    if not 1 <= level < MAX_LEVEL:
        raise ValueError(f"level {level!r}: expected 1 <= level < {MAX_LEVEL}")
    return COSTS[level]


def level_total(level: int) -> int:
    """Runes to go from level 1 to ``level + 1``: ``level_cost(1) + ... + level_cost(level)``.

    ``level_total(0) == 0``; ``level_total(149)`` is the price of reaching 150 from 1.
    """
    if not 0 <= level < MAX_LEVEL:
        raise ValueError(f"level {level!r}: expected 0 <= level < {MAX_LEVEL}")
    return TOTALS[level]


def affordable_levels(level: int, runes: int) -> tuple[int, int]:
    """Buy levels one at a time from ``level`` while the next one is affordable.

    Returns ``(levels bought, runes spent)``; ``runes spent`` is the exact sum of the
    bought steps' costs and never exceeds ``runes``. Nothing is bought at MAX_LEVEL.
    """
    if not 1 <= level <= MAX_LEVEL:
        raise ValueError(f"level {level!r}: expected 1 <= level <= {MAX_LEVEL}")
    if runes < 0:
        raise ValueError(f"runes {runes!r}: expected >= 0")
    base = TOTALS[level - 1]
    # costs are positive, so TOTALS is strictly increasing: the last affordable
    # cumulative total is found by bisection instead of a loop over levels
    reached = bisect.bisect_right(TOTALS, base + runes) - 1
    return reached - (level - 1), TOTALS[reached] - base


def levels_table() -> list[dict[str, int]]:
    """One row per level 1..MAX_LEVEL-1: ``level``, ``cost`` (to the next), ``total`` (from 1)."""
    return [{"level": L, "cost": COSTS[L], "total": TOTALS[L]} for L in range(1, MAX_LEVEL)]
