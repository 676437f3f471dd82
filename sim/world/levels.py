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

A ``LevelCosts`` holds one curve's costs, computed once, so the simulator's hot path is a
tuple lookup; the simulator takes the curve of the loaded world (``levels_of(world)``, kept
with the world). The module functions (``level_cost``, ``level_total``,
``affordable_levels``, ``levels_table``) use the packaged ``rules.toml``, read on first use.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import tomllib
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

__all__ = [
    "LevelCosts",
    "levels_of",
    "packaged_levels",
    "curve_cost",
    "level_cost",
    "level_total",
    "affordable_levels",
    "levels_table",
]

RULES_FILE = Path(__file__).resolve().parent.parent / "data" / "rules.toml"


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


class LevelCosts:
    """The rune costs of one level curve (a ``[level_curve]`` table or ``LevelCurve``)."""

    def __init__(self, curve: Mapping[str, Any] | Any) -> None:
        table = dict(curve) if isinstance(curve, Mapping) else curve.model_dump()
        self.max_level: int = int(table["max_level"])
        # costs[L] = runes from L to L + 1 for 1 <= L < max_level; costs[0] = 0 (no level 0)
        self.costs: tuple[int, ...] = (0,) + tuple(
            curve_cost(L, **table) for L in range(1, self.max_level)
        )
        # totals[L] = runes from level 1 to level L + 1 = costs[1] + ... + costs[L]; totals[0] = 0
        self.totals: tuple[int, ...] = tuple(itertools.accumulate(self.costs))

    def cost(self, level: int) -> int:
        """Runes to go from ``level`` to ``level + 1`` (1 <= level < max_level)."""
        if not 1 <= level < self.max_level:
            raise ValueError(f"level {level!r}: expected 1 <= level < {self.max_level}")
        return self.costs[level]

    def total(self, level: int) -> int:
        """Runes to go from level 1 to ``level + 1``: ``cost(1) + ... + cost(level)``.

        ``total(0) == 0``; ``total(149)`` is the price of reaching 150 from 1.
        """
        if not 0 <= level < self.max_level:
            raise ValueError(f"level {level!r}: expected 0 <= level < {self.max_level}")
        return self.totals[level]

    def affordable(self, level: int, runes: int) -> tuple[int, int]:
        """Buy levels one at a time from ``level`` while the next one is affordable.

        Returns ``(levels bought, runes spent)``; ``runes spent`` is the exact sum of the
        bought steps' costs and never exceeds ``runes``. Nothing is bought at max_level.
        """
        if not 1 <= level <= self.max_level:
            raise ValueError(f"level {level!r}: expected 1 <= level <= {self.max_level}")
        if runes < 0:
            raise ValueError(f"runes {runes!r}: expected >= 0")
        if level == self.max_level or runes < self.costs[level]:
            return 0, 0  # not even the next level (most rests): no search
        base = self.totals[level - 1]
        # costs are positive, so totals is strictly increasing: the last affordable
        # cumulative total is found by bisection instead of a loop over levels
        reached = bisect.bisect_right(self.totals, base + runes) - 1
        return reached - (level - 1), self.totals[reached] - base

    def table(self) -> list[dict[str, int]]:
        """One row per level 1..max_level-1: ``level``, ``cost`` (to the next), ``total``."""
        return [
            {"level": L, "cost": self.costs[L], "total": self.totals[L]}
            for L in range(1, self.max_level)
        ]


@functools.cache
def packaged_levels() -> LevelCosts:
    """The costs of the packaged ``rules.toml`` curve (read on first use)."""
    with RULES_FILE.open("rb") as f:
        return LevelCosts(tomllib.load(f)["level_curve"])


def levels_of(world: Any) -> LevelCosts:
    """The costs of ``world``'s own level curve, computed once and kept with the world."""
    costs: LevelCosts = world.derived("levels", lambda w: LevelCosts(w.rules.level_curve))
    return costs


def level_cost(level: int) -> int:
    """Runes to go from ``level`` to ``level + 1`` under the packaged curve."""
    return packaged_levels().cost(level)


def level_total(level: int) -> int:
    """Runes from level 1 to ``level + 1`` under the packaged curve (``level_total(0) == 0``)."""
    return packaged_levels().total(level)


def affordable_levels(level: int, runes: int) -> tuple[int, int]:
    """``(levels bought, runes spent)`` from ``level`` with ``runes``, packaged curve."""
    return packaged_levels().affordable(level, runes)


def levels_table() -> list[dict[str, int]]:
    """One row per level of the packaged curve: ``level``, ``cost``, ``total``."""
    return packaged_levels().table()
