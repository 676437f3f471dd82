"""Boss fights: attempt after attempt until a win; every loss is a death.

A boss is as hard as its level plus its own ``difficulty`` (bosses.csv, sourced per
row); co-op partners and spirit ashes make it easier for players who use them;
every loss in a row may be the one after which the player quits.
"""

from __future__ import annotations

from sim.model.playthrough import Died, Playthrough, Proc
from sim.world.schema import Boss, Zone

__all__ = ["fight_boss", "help_levels"]


def help_levels(pt: Playthrough) -> float:
    """Levels of power the player's help is worth: co-op partners (online) or spirit ashes,
    the better of the two (summoned cooperators and ashes are not counted together)."""
    t = pt.traits
    tr = pt.scenario.traits
    return max(tr.coop_levels if t.online else 0.0, tr.ashes_levels if t.ashes else 0.0)


def _facts(pt: Playthrough, name: str) -> tuple[Boss, Zone, str, int, float, float, bool]:
    """A boss, its zone, the zone's name and tier, the boss's level and difficulty, and whether
    it waits at the end of a side dungeon: read once per world."""
    facts = pt.index.boss_facts
    hit = facts.get(name)
    if hit is None:
        boss = pt.world.bosses[name]
        zone = pt.world.zones[boss.zone]
        dungeon = boss.optional and boss.kind == "dungeon"
        hit = facts[name] = (boss, zone, zone.name, zone.tier, boss.level, boss.difficulty, dungeon)
    return hit


def fight_boss(pt: Playthrough, name: str) -> Proc:
    """Fight a boss until it falls or the attempts run out; returns whether it fell."""
    boss, zone, where, tier, level, difficulty, dungeon = _facts(pt, name)
    pt.set_place(where, "boss")
    combat, p = pt.combat, pt.player
    shape, scale, most, approach = combat.boss_fight
    if dungeon and approach > 0:  # a side dungeon's boss: the dungeon is crossed first
        yield from pt.wait(approach / 60.0)
    rng = pt.rng.boss
    extra = difficulty - help_levels(pt)
    # pt.boss_gap(boss), with what stays fixed during the fight worked out once
    needed = level + pt.ng_difficulty
    u_boss = pt.u_boss
    p.streak = 0
    attempt = 0
    while attempt < most:
        attempt += 1
        gap = combat.gap(needed, tier, p.level, p.upgrade) + extra
        minutes = rng.gamma(shape, scale)
        try:
            yield from pt.wait(minutes / 60.0)
        except Died:  # not exposed in a boss arena, kept for safety
            yield from pt.respawn(pt.zone_gap(zone))
            continue
        if u_boss() < combat.boss_win_chance(gap, attempt):
            pt.ledger.earn(pt.boss_runes(boss), "boss", name, where, "boss")
            p.bosses.add(name)
            p.streak = 0
            if boss.great_rune:
                p.great_runes += 1
            pt.log("boss_win", name, float(attempt))
            pt.rest()
            return True
        p.boss_deaths += 1
        p.streak += 1
        pt.log("boss_loss", name, float(attempt))
        pt.die("boss")
        pt.check_quit_after_loss(name)
        yield from pt.respawn(pt.zone_gap(zone))
    return False
