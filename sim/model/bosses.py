"""Boss fights: attempt after attempt until a win; every loss is a death."""

from __future__ import annotations

from sim.model.playthrough import Died, Playthrough, Proc

__all__ = ["fight_boss"]


def fight_boss(pt: Playthrough, name: str) -> Proc:
    """Fight a boss until it falls or the attempts run out; returns whether it fell."""
    boss = pt.world.bosses[name]
    zone = pt.world.zones[boss.zone]
    pt.set_place(zone.name, "boss")
    b = pt.scenario.model.boss
    rng = pt.rng.boss
    attempt = 0
    while attempt < b.max_attempts:
        attempt += 1
        gap = pt.boss_gap(boss)
        minutes = rng.gamma(b.attempt_shape, b.attempt_minutes / b.attempt_shape)
        try:
            yield from pt.wait(minutes / 60.0)
        except Died:  # not exposed in a boss arena, kept for safety
            yield from pt.respawn(pt.zone_gap(zone))
            continue
        if pt.u_boss() < pt.combat.boss_win_chance(gap, attempt):
            pt.ledger.earn(pt.boss_runes(boss), "boss", boss.name, zone.name, "boss")
            pt.player.bosses.add(boss.name)
            if boss.great_rune:
                pt.player.great_runes += 1
            pt.log("boss_win", boss.name, float(attempt))
            pt.rest()
            return True
        pt.player.boss_deaths += 1
        pt.log("boss_loss", boss.name, float(attempt))
        pt.die()
        yield from pt.respawn(pt.zone_gap(zone))
    return False
