"""Farming loops: kill the same enemies, rest or warp, repeat, until a level or a time."""

from __future__ import annotations

import math

from sim.model.buffs import maybe_eat_fowl_foot
from sim.model.playthrough import HOUR, Died, Playthrough, Proc

__all__ = ["farm"]


def farm(pt: Playthrough, spot: str, until_level: int | None = None, hours: float | None = None) -> Proc:
    """Farm a spot: each loop takes the published loop time, stretched when underpowered."""
    f = pt.world.farms[spot]
    zone = pt.world.zones[f.zone]
    pt.set_place(zone.name, "farm")
    pt.log("farm_start", spot, float(until_level or 0))
    kt = pt.scenario.model.kill_time
    rng = pt.rng.combat
    kills = [(pt.index.enemies[(k.enemy, f.zone)], k.count) for k in f.kills]
    start = pt.env.now
    while (until_level is None or pt.player.level < until_level) and (hours is None or pt.env.now - start < hours):
        maybe_eat_fowl_foot(pt)
        gap = pt.zone_gap(zone)
        g = min(max(gap, kt.gap_min), kt.gap_max)
        mean = f.loop_seconds * math.exp(kt.gap_scale * max(g, 0.0)) / HOUR
        p_die = pt.combat.death_chance("farm", g)
        loop = rng.gamma(kt.shape, mean / kt.shape) if kt.form == "gamma" else mean
        try:
            yield from pt.wait(loop, lambda mean=mean: rng.gamma(kt.shape, mean / kt.shape))
        except Died:
            yield from pt.respawn(gap, p_die)
            continue
        if pt.u_death() < p_die:
            pt.die()
            yield from pt.respawn(gap, p_die)  # the grace is steps away: the loop's own risk
            continue
        for enemy, count in kills:
            pt.earn_kill(enemy.runes * count, "farm", spot, zone, count)
        pt.rest()
    pt.log("farm_end", spot, float(pt.player.level))
