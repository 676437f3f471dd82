"""Farming loops: kill the same enemies, rest or warp, repeat, until a level or a time.

A loop's published time holds for the endgame character it was timed with
(``model.power.reference_level`` / ``reference_upgrade``). A weaker player needs more
hits per kill: the loop is slower by the ratio of the damage the area's HP asks for
to the damage the player deals (``loop_slowdown``). Enemy HP by area tier and weapon
attack by upgrade come from the game's params (rules.toml ``[scaling]``).
"""

from __future__ import annotations

from sim.model.buffs import maybe_eat_fowl_foot
from sim.model.playthrough import HOUR, Died, Playthrough, Proc
from sim.scenario.schema import Power
from sim.world.schema import Farm, World

__all__ = [
    "farm",
    "loop_slowdown",
    "damage",
    "expected_farm_rate",
    "typical_upgrade",
    "farm_rates_at",
]


def damage(world: World, power: Power, level: float, upgrade: float) -> float:
    """The player's damage per hit, relative units: weapon rate x level ** exponent."""
    sc = world.rules.scaling
    weapon = sc.weapon_rate(upgrade) if sc is not None else 1.0
    return weapon * max(level, 1.0) ** power.damage_level_exponent


def loop_slowdown(world: World, power: Power, farm: Farm, level: float, upgrade: float) -> float:
    """How many times the published loop time a player at ``level`` (+ skill) and ``upgrade`` takes.

    The reference player fells the farm's enemies at the published pace in the farm's zone;
    a zone of another tier asks for damage in proportion to its enemies' HP.
    """
    sc = world.rules.scaling
    if sc is None:
        return 1.0
    tier = world.zones[farm.zone].tier
    needed = damage(world, power, power.reference_level, power.reference_upgrade)
    needed *= sc.hp_rate(tier) / sc.hp_rate(power.reference_tier)
    return max(1.0, needed / damage(world, power, level, upgrade))


def expected_farm_rate(
    world: World, power: Power, farm: Farm, level: float, upgrade: float
) -> tuple[float, float]:
    """(loop seconds, runes per hour) at a level and upgrade, before deaths and buffs."""
    per_loop = sum(k.count * world.enemy(k.enemy, farm.zone).runes for k in farm.kills)
    seconds = farm.loop_seconds * loop_slowdown(world, power, farm, level, upgrade)
    return seconds, per_loop * 3600.0 / seconds


def typical_upgrade(world: World, power: Power, level: float) -> float:
    """The weapon upgrade a player usually has at ``level``: that of the highest-tier zone whose
    level it has reached (the model's ``upgrade_per_tier`` rule)."""
    tiers = [z.tier for z in world.zones.values() if z.level <= level]
    return min(power.upgrade_max, power.upgrade_per_tier * max(tiers, default=1))


def farm_rates_at(
    world: World, power: Power, level: float, upgrade: float | None = None
) -> dict[str, dict]:
    """Per farm: the upgrade assumed, the model's loop seconds and runes per hour at ``level``."""
    up = typical_upgrade(world, power, level) if upgrade is None else upgrade
    out = {}
    for name, f in world.farms.items():
        seconds, rate = expected_farm_rate(world, power, f, level, up)
        out[name] = {
            "model_level": level,
            "model_upgrade": up,
            "model_loop_seconds": seconds,
            "model_runes_per_hour": rate,
        }
    return out


def farm(
    pt: Playthrough, spot: str, until_level: int | None = None, hours: float | None = None
) -> Proc:
    """Farm a spot: each loop takes the published time, slower while the player's damage falls
    short."""
    f = pt.world.farms[spot]
    zone = pt.world.zones[f.zone]
    pt.set_place(zone.name, "farm")
    pt.log("farm_start", spot, float(until_level or 0))
    kt = pt.scenario.model.kill_time
    power = pt.scenario.model.power
    g_combat = pt.g_combat  # the combat stream's standard gammas (of shape kt.shape)
    kills = [(pt.index.enemies[(k.enemy, f.zone)], k.count) for k in f.kills]
    start = pt.env.now
    while (until_level is None or pt.player.level < until_level) and (
        hours is None or pt.env.now - start < hours
    ):
        maybe_eat_fowl_foot(pt)
        p = pt.player
        gap = pt.zone_gap(zone)
        g = min(max(gap, kt.gap_min), kt.gap_max)
        mean = (
            f.loop_seconds
            * kt.farm_loop_scale
            * loop_slowdown(pt.world, power, f, p.level + p.skill, p.upgrade)
            / HOUR
        )
        p_die = pt.combat.death_chance("farm", g)
        loop = mean / kt.shape * g_combat.one() if kt.form == "gamma" else mean
        try:
            yield from pt.wait(loop, lambda mean=mean: mean / kt.shape * g_combat.one())
        except Died:
            yield from pt.respawn(gap, p_die)
            continue
        if pt.u_death() < p_die:
            pt.die("farm")
            yield from pt.respawn(gap, p_die)  # the grace is steps away: the loop's own risk
            continue
        for enemy, count in kills:
            pt.earn_kill(enemy.runes * count, "farm", spot, zone, count)
        pt.rest()
    pt.log("farm_end", spot, float(pt.player.level))
