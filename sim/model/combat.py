"""Power against difficulty: the gap, and what it does to kill times, deaths and boss wins.

Pure functions of the scenario's model parameters; the forms are the ones the
scenario names (gamma kill times, logistic death chance), with the parameters
in ``sim/scenario/schema.py`` and their calibration in ``docs/calibration.md``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from sim.scenario.schema import Model

if TYPE_CHECKING:
    from sim.model.index import ZonePlan

__all__ = ["Combat", "sigmoid"]

T = TypeVar("T")
P = TypeVar("P")

# what depends only on a zone and the model, shared by the replications of a scenario:
# (id of the zone's part, id of the model) -> (that part, the model, the value); the objects
# are kept with the value, so an id is never reused while its entry stands
_KEPT: dict[tuple[int, int], tuple[Any, Model, Any]] = {}


def _kept(part: P, model: Model, make: Callable[[P], T]) -> T:
    """``make(part)``, kept for the pair (``part``, ``model``); ``make`` is called on a miss only
    (a plain function or bound method: a hit builds nothing)."""
    key = (id(part), id(model))
    hit = _KEPT.get(key)
    if hit is None or hit[0] is not part or hit[1] is not model:
        if len(_KEPT) > 4096:  # many worlds or scenarios in one process
            _KEPT.clear()
        hit = _KEPT[key] = (part, model, make(part))
    return hit[2]


def sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


class Combat:
    """The model's fight rules for one player (skill fixed for the replication)."""

    def __init__(self, model: Model, skill: float) -> None:
        self.m = model
        self.skill = skill
        kt = model.kill_time
        self._base = {
            "common": kt.common_seconds,
            "elite": kt.elite_seconds,
            "field_boss": kt.field_boss_seconds,
        }
        d = model.death
        self._offset = {
            "common": 0.0,
            "elite": d.elite_offset,
            "field_boss": d.field_boss_offset,
            "farm": d.farm_offset,
        }
        self._upgrade: dict[int, float] = {}  # tier -> upgrade_for_tier
        # the parameters the rules below read at every fight, read once
        self.gap_min, self.gap_max, self.gap_scale = kt.gap_min, kt.gap_max, kt.gap_scale
        self._fixed = d.form == "fixed"
        self._intercept, self._slope = d.intercept, d.slope
        self._weight = model.power.upgrade_weight
        b = model.boss
        self._win = (b.win_intercept, b.win_slope, b.learning)
        # a boss attempt's minutes (gamma shape and scale), the attempts at most, and the
        # minutes of a side dungeon before its boss
        self.boss_fight = (
            b.attempt_shape,
            b.attempt_minutes / b.attempt_shape,
            b.max_attempts,
            b.dungeon_minutes,
        )
        travel = model.travel
        # kill times are gamma (or fixed at the mean), their shape, encounters between graces
        self.encounters = (kt.form == "gamma", kt.shape, travel.encounters_per_grace)
        self.explore_scale = travel.explore_scale
        self.runback_hours = travel.runback_seconds / 3600.0
        self.runback_shape = travel.runback_shape
        self.runback_scale = travel.runback_seconds / travel.runback_shape  # in seconds

    # power -----------------------------------------------------------------
    def upgrade_for_tier(self, tier: int) -> float:
        """The weapon upgrade a player normally has in hand in an area of this tier."""
        up = self._upgrade.get(tier)
        if up is None:
            p = self.m.power
            up = self._upgrade[tier] = min(p.upgrade_max, p.upgrade_per_tier * tier)
        return up

    def gap(self, level_needed: float, tier: int, level: int, upgrade: float) -> float:
        """Difficulty minus power, in levels: positive means the place is too hard."""
        up = self._upgrade.get(tier)
        if up is None:
            up = self.upgrade_for_tier(tier)
        return (level_needed - level) + self._weight * (up - upgrade) - self.skill

    def level_for_gap(self, level_needed: float, tier: int, upgrade: float, gap: float) -> int:
        """The lowest level at which the gap is at most ``gap``."""
        w = self.m.power.upgrade_weight
        return math.ceil(
            level_needed + w * (self.upgrade_for_tier(tier) - upgrade) - self.skill - gap
        )

    # encounters --------------------------------------------------------------
    def zone_rates(self, types: tuple, gap: float) -> tuple[list[float], list[float]]:
        """Mean kill hours and death chance of each encounter type (EncounterType) at ``gap``:
        one exponential and one sigmoid per enemy class, not per encounter type."""
        g = min(max(gap, self.gap_min), self.gap_max)
        factor = math.exp(self.gap_scale * g) / 3600.0
        seconds, classes, present = _kept(types, self.m, self._make_per_type)
        means = list(map(factor.__mul__, seconds))  # s * factor for each s
        if self._fixed:
            return means, [self.m.death.fixed_probability] * len(classes)
        # death_chance of each class at this gap (the same sum, term by term)
        logit = self._intercept + self._slope * g
        offset = self._offset
        if len(present) == 1:
            return means, [sigmoid(logit + offset[present[0]])] * len(classes)
        chance = {cls: sigmoid(logit + offset[cls]) for cls in present}
        return means, list(map(chance.__getitem__, classes))

    def _per_type(self, types: tuple) -> tuple[list[float], list[str], tuple[str, ...]]:
        """Each encounter type's kill seconds at gap 0 (base x difficulty x pack, in that
        order), its enemy class, and the classes present; kept per tuple of types (a zone's,
        for the world's life) and model."""
        return _kept(types, self.m, self._make_per_type)

    def _make_per_type(self, types: tuple) -> tuple[list[float], list[str], tuple[str, ...]]:
        base = self._base
        seconds = [base[t.enemy.enemy_class] * t.enemy.difficulty * t.pack for t in types]
        classes = [t.enemy.enemy_class for t in types]
        return seconds, classes, tuple(dict.fromkeys(classes))

    def grind_sums(self, plan: ZonePlan) -> tuple[tuple[str, int, float, int], ...]:
        """A zone's respawning encounters summed by enemy class: ``(class, runes, kill
        seconds at gap 0, encounters)``; kept per zone and model like ``_per_type``."""
        return _kept(plan, self.m, self._make_grind_sums)

    def _make_grind_sums(self, plan: ZonePlan) -> tuple[tuple[str, int, float, int], ...]:
        seconds, classes, present = self._per_type(plan.types)
        sums = []
        for cls in present:
            counted = [(t, n) for t, n in plan.grind_counts if classes[t] == cls]
            if counted:
                runes = sum(n * plan.runes[t] for t, n in counted)
                secs = sum(n * seconds[t] for t, n in counted)
                sums.append((cls, runes, secs, sum(n for _, n in counted)))
        return tuple(sums)

    def death_chance(self, enemy_class: str, gap: float) -> float:
        """Chance that one encounter kills the player."""
        if self._fixed:
            return self.m.death.fixed_probability
        g = min(max(gap, self.gap_min), self.gap_max)
        return sigmoid(self._intercept + self._slope * g + self._offset[enemy_class])

    def runback_death_chance(self, gap: float) -> float:
        """Chance of dying again on the run back to the bloodstain."""
        p = self.death_chance("common", gap)
        return 1.0 - (1.0 - p) ** self.m.travel.runback_encounters

    # bosses ------------------------------------------------------------------
    def boss_win_chance(self, gap: float, attempt: int) -> float:
        """Chance to win attempt number ``attempt`` (1-based): rises with power and practice."""
        intercept, slope, learning = self._win
        return sigmoid(intercept - slope * gap + learning * math.log(attempt))
