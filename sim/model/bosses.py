"""Boss fights: attempt after attempt until a win; every loss is a death.

A boss is as hard as its level plus its own ``difficulty`` (bosses.csv, sourced per
row); co-op partners and spirit ashes make it easier for players who use them;
every loss in a row may be the one after which the player quits.
"""

from __future__ import annotations

from sim.model.playthrough import Died, Playthrough, Proc

__all__ = ["fight_boss", "help_levels"]


def help_levels(pt: Playthrough) -> float:
    """Levels of power the player's help is worth: co-op partners (online) or spirit ashes,
    the better of the two (summoned cooperators and ashes are not counted together)."""
    t = pt.traits
    tr = pt.scenario.traits
    return max(tr.coop_levels if t.online else 0.0, tr.ashes_levels if t.ashes else 0.0)


def fight_boss(pt: Playthrough, name: str) -> Proc:
    """Fight a boss until it falls or the attempts run out; returns whether it fell."""
    boss = pt.world.bosses[name]
    zone = pt.world.zones[boss.zone]
    where = zone.name
    pt.set_place(where, "boss")
    b = pt.scenario.model.boss
    # a side dungeon's boss is behind the dungeon: its traversal is play time before the fight
    if b.dungeon_minutes > 0 and boss.optional and boss.kind == "dungeon":
        yield from pt.wait(b.dungeon_minutes / 60.0)
    rng = pt.rng.boss
    extra = boss.difficulty - help_levels(pt)
    # pt.boss_gap(boss), with what stays fixed during the fight worked out once
    needed, tier, combat, p = boss.level + pt.ng_difficulty, zone.tier, pt.combat, pt.player
    shape, scale, most = b.attempt_shape, b.attempt_minutes / b.attempt_shape, b.max_attempts
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
