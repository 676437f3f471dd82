"""Exploring and grinding a zone: encounter after encounter, golden runes picked up on the way."""

from __future__ import annotations

import math
from typing import Any

from sim.model.fast import fight_run
from sim.model.index import ZonePlan
from sim.model.playthrough import Died, Playthrough, Proc
from sim.model.rates import expected_grind_rate, field_hazard
from sim.model.rates import zone_rates as _rates
from sim.world.schema import Zone

__all__ = ["explore", "grind", "fight_encounters", "expected_grind_rate"]


def fight_encounters(
    pt: Playthrough,
    plan: ZonePlan,
    visit: tuple[int, ...],
    travel_hours: float,
    loot_at: dict[int, list[tuple[str, int, int]]] | None = None,
    retreat_deaths: int | None = None,
) -> Proc:
    """Fight the encounters ``visit`` in order; rest at a grace every few encounters.

    A death drops the runes held, sends the player back to the grace and along the
    run back; the encounter that killed it is fought again. After ``retreat_deaths``
    deaths the player gives up on the place for now: returns False (True when cleared).
    """
    if getattr(pt, "fast", False):  # the fast engine: one timeout per run of encounters
        return (
            yield from fight_run(pt, plan, visit, travel_hours, loot_at, retreat_deaths, _rates)
        )
    zone = plan.zone
    n = len(visit)
    kt = pt.scenario.model.kill_time
    g_combat = pt.g_combat  # the combat stream's standard gammas (of shape kt.shape)
    shape = kt.shape
    z = [g / shape for g in g_combat.take(n)] if kt.form == "gamma" else [1.0] * n
    per_grace = pt.scenario.model.travel.encounters_per_grace
    u_death = pt.u_death
    u_field = pt.u_field
    field_rate, fall_share = field_hazard(pt)  # field_rate: per hour of exploring
    types = plan.types
    means, deaths, gap = _rates(pt, plan)
    died = 0
    i = 0
    while i < n:
        ti = visit[i]
        mean = means[ti]
        redraw = None
        if pt.invadable:  # only an interrupted fight ever redraws its time

            def redraw(mean: float = mean) -> float:
                if kt.form != "gamma":
                    return mean + travel_hours
                return mean / shape * g_combat.one() + travel_hours

        mishap = False  # a fall or a status effect: bad luck, not a sign the place is too hard
        try:
            hours = z[i] * mean + travel_hours
            yield from pt.wait(hours, redraw)
            fell = u_death() < deaths[ti]
            if fell:
                pt.die("enemy")
            elif field_rate > 0:
                fell = mishap = _field_death(pt, u_field, hours * field_rate, fall_share)
        except Died:  # a lost duel: the death is booked
            fell = True
        if fell:
            died += 0 if mishap else 1
            yield from pt.respawn(gap)
            if retreat_deaths is not None and died >= retreat_deaths and not mishap:
                pt.log("retreat", f"after {died} deaths", float(i))
                return False
            means, deaths, gap = _rates(pt, plan)
            z[i] = g_combat.one() / shape if kt.form == "gamma" else 1.0
            continue
        t = types[ti]
        pt.earn_kill(t.runes, "enemy", t.enemy.name, zone, t.pack)
        i += 1
        if loot_at and i in loot_at:
            for item, runes, j in loot_at.pop(i):
                pt.pick_up(item, runes)
                pt.loot_taken[zone.name].add(j)
        if i % per_grace == 0:
            pt.rest()
            means, deaths, gap = _rates(pt, plan)
    return True


def _field_death(pt: Playthrough, u_field: Any, hazard: float, fall_share: float) -> bool:
    """A fall or a status effect during the encounter's time (Poisson hazard): die if it strikes."""
    p = 1.0 - math.exp(-hazard)
    u = u_field()
    if u >= p:
        return False
    pt.die("fall" if u < p * fall_share else "status")
    return True


def explore(pt: Playthrough, zone_name: str, share: float = 1.0) -> Proc:
    """Explore a zone: fight ``share`` of its encounters, pick up its golden runes, take its time.

    Too many deaths in one visit (``natural.retreat_deaths``) and the player leaves the
    zone unexplored, to come back stronger; returns whether the zone was explored.
    """
    zone: Zone = pt.world.zones[zone_name]
    plan = pt.index.plans[zone_name]
    pt.set_place(zone_name, "explore")
    visit = plan.visit(share)
    hours = zone.explore_hours * pt.scenario.model.travel.explore_scale * share
    n = len(visit)
    taken = pt.loot_taken.setdefault(zone_name, set())  # found on an earlier visit that retreated
    loot_at: dict[int, list[tuple[str, int, int]]]
    if taken:
        loot_at = {}
        for k, item, runes, j in plan.loot_slots(share):
            if j not in taken:
                loot_at.setdefault(k, []).append((item, runes, j))
    else:  # the visit's loot, all of it still there
        loot_at = dict(plan.loot_by_slot(share))
    if n == 0:
        yield from pt.wait(hours)
    for item, runes, j in loot_at.pop(0, []):
        pt.pick_up(item, runes)
        taken.add(j)
    cleared = yield from fight_encounters(
        pt, plan, visit, hours / n if n else 0.0, loot_at, pt.scenario.natural.retreat_deaths
    )
    pt.rest()
    if cleared:
        pt.explored(zone)
    return cleared


def grind(
    pt: Playthrough, zone_name: str, until_level: int | None = None, hours: float | None = None
) -> Proc:
    """Grind a zone: fight its respawning enemies again and again, resting in between."""
    zone = pt.world.zones[zone_name]
    plan = pt.index.plans[zone_name]
    visit = tuple(plan.order[i] for i in plan.respawning)
    if not visit:
        return
    pt.set_place(zone_name, "grind")
    pt.log("grind", zone_name, float(until_level or 0))
    start = pt.env.now
    travel = zone.explore_hours * pt.scenario.model.travel.explore_scale / len(plan.order)
    while (until_level is None or pt.player.level < until_level) and (
        hours is None or pt.env.now - start < hours
    ):
        cleared = yield from fight_encounters(
            pt, plan, visit, travel, None, pt.scenario.natural.retreat_deaths
        )
        pt.rest()
        if not cleared:
            return
