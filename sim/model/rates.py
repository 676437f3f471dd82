"""Encounter rates at the player's current power: kill times and death chances per zone, and
the runes per hour grinding a zone would pay (what the strategies weigh)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from sim.model.player import HOUR

if TYPE_CHECKING:
    from sim.model.index import ZonePlan
    from sim.model.playthrough import Playthrough

__all__ = ["zone_rates", "expected_grind_rate", "field_hazard"]


def zone_rates(pt: Playthrough, plan: ZonePlan) -> tuple[list[float], list[float], float]:
    """Mean kill hours and death chance of each encounter type at the player's current gap.

    They change only when the level or the weapon does, so they are kept per zone and power.
    """
    p = pt.player
    key = (plan.name, p.level, p.upgrade)
    hit = pt.rate_cache.get(key)
    if hit is not None:
        return hit
    gap = pt.zone_gap(plan.zone)
    means, deaths = pt.combat.zone_rates(plan.types, gap)
    hit = pt.rate_cache[key] = (means, deaths, gap)
    return hit


def field_hazard(pt: Playthrough) -> tuple[float, float]:
    """Falls and status deaths per hour of exploring (after the player's care), and the
    share of them that are falls (fixed for a replication: kept on the playthrough)."""
    hit = pt.field_rates
    if hit is not None:
        return hit
    fd = pt.scenario.field
    field_rate = (fd.falls_per_hour + fd.status_per_hour) / pt.traits.care
    fall_share = (
        fd.falls_per_hour / (fd.falls_per_hour + fd.status_per_hour) if field_rate > 0 else 0.0
    )
    pt.field_rates = field_rate, fall_share
    return field_rate, fall_share


def expected_grind_rate(pt: Playthrough, zone_name: str) -> float:
    """Expected runes per hour from grinding a zone's respawning enemies at the current gap.

    Per respawning encounter: runes r * (1 - d) in hours travel + mean + d * runback, with
    the mean kill time and the death chance d of its class at the gap; summed by enemy class
    (one exponential and a sigmoid per class, not the zone's full rates).
    """
    plan = pt.index.plans[zone_name]
    if not plan.respawning:
        return 0.0
    combat = pt.combat
    gap = pt.zone_gap(plan.zone)
    g = min(max(gap, combat.gap_min), combat.gap_max)
    factor = math.exp(combat.gap_scale * g) / HOUR
    travel = plan.zone.explore_hours * combat.explore_scale / len(plan.order)
    runback = combat.runback_hours
    runes = 0.0
    hours = travel * len(plan.grind)
    for cls, paid, seconds, count in combat.grind_sums(plan):
        d = combat.death_chance(cls, gap)
        runes += paid * (1.0 - d)
        hours += factor * seconds + runback * count * d
    return runes / hours if hours > 0 else 0.0
