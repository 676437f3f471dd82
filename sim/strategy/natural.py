"""Natural progression: the main path in the usual order, some optional content, grinding when stuck."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sim.strategy.steps import Boss, Explore, Farm, Grind, Step
from sim.world.access import satisfied

__all__ = ["natural", "get_ready", "accessible_zone", "best_grind_zone"]


def accessible_zone(pt: Any, zone: str) -> bool:
    return satisfied(pt.world.zones[zone].requires, pt.player)


def accessible_boss(pt: Any, name: str) -> bool:
    boss = pt.world.bosses[name]
    return accessible_zone(pt, boss.zone) and satisfied(boss.requires, pt.player)


def accessible_farm(pt: Any, spot: str) -> bool:
    farm = pt.world.farms[spot]
    return accessible_zone(pt, farm.zone) and satisfied(farm.requires, pt.player)


def best_grind_zone(pt: Any) -> str | None:
    """The explored zone whose respawning enemies pay the most runes per hour right now."""
    from sim.model.explore import expected_grind_rate

    rates = [(expected_grind_rate(pt, z), z) for z in sorted(pt.player.zones)]
    rates = [r for r in rates if r[0] > 0]
    return max(rates)[1] if rates else None


def get_ready(pt: Any, level_needed: float, tier: int) -> Iterator[Step]:
    """Grind (or farm, if the scenario names a spot) until the gap is small enough."""
    cfg = pt.scenario.natural
    target = pt.combat.level_for_gap(level_needed + pt.ng_difficulty, tier, pt.player.upgrade, cfg.ready_gap)
    if pt.player.level >= target or cfg.grind_hours_max <= 0:
        return
    if cfg.farm and accessible_farm(pt, cfg.farm):
        yield Farm(cfg.farm, until_level=target, hours=cfg.grind_hours_max)
        return
    zone = best_grind_zone(pt)
    if zone is not None:
        yield Grind(zone, until_level=target, hours=cfg.grind_hours_max)


def _optional(pt: Any, decided: set[str]) -> Iterator[Step]:
    """Optional zones that just became reachable, and optional bosses of explored zones."""
    cfg = pt.scenario.natural
    world = pt.world
    u = pt.rng.route
    for zone in world.zones.values():
        if zone.main_path or zone.name in decided or zone.name in pt.player.zones:
            continue
        if not accessible_zone(pt, zone.name):
            continue
        decided.add(zone.name)
        if u.random() < cfg.optional_share:
            yield from get_ready(pt, zone.level, zone.tier)
            yield Explore(zone.name, 1.0)
    for zone_name in sorted(pt.player.zones):
        for boss in pt.index.bosses_by_zone.get(zone_name, ()):
            key = "boss:" + boss.name
            if not boss.optional or key in decided or boss.name in pt.player.bosses:
                continue
            if not satisfied(boss.requires, pt.player):
                continue
            decided.add(key)
            if u.random() < cfg.optional_share and pt.boss_gap(boss) <= cfg.ready_gap:
                yield Boss(boss.name)


def natural(pt: Any) -> Iterator[Step]:
    """Follow the main path; fight each boss once ready; take optional content by chance."""
    cfg = pt.scenario.natural
    world = pt.world
    decided: set[str] = set()
    for rs in world.route:
        if rs.action == "explore":
            if rs.target not in pt.player.zones and accessible_zone(pt, rs.target):
                yield Explore(rs.target, cfg.main_share)
        else:
            boss = world.bosses[rs.target]
            tier = world.zones[boss.zone].tier
            while boss.name not in pt.player.bosses and accessible_boss(pt, boss.name):
                yield from get_ready(pt, boss.level, tier)
                yield Boss(boss.name)
        yield from _optional(pt, decided)
