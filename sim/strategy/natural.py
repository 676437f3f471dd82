"""Natural progression: the main path in the usual order, some optional content, grinding when
stuck."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from sim.route_steps import Boss, Explore, Farm, Grind, Step
from sim.strategy.view import PlayView
from sim.world.access import boss_open, farm_open, satisfied, token_met, zone_open

if TYPE_CHECKING:
    from sim.world.schema import Boss as WorldBoss
    from sim.world.schema import Zone as WorldZone

__all__ = [
    "natural",
    "unlock",
    "get_ready",
    "accessible_zone",
    "accessible_boss",
    "accessible_farm",
    "best_grind_zone",
    "ready_gap",
]


def ready_gap(pt: PlayView) -> float:
    """The gap this player fights at: the scenario's readiness plus the player's caution trait."""
    return pt.scenario.natural.ready_gap + pt.traits.caution


def accessible_zone(pt: PlayView, zone: str) -> bool:
    return zone_open(pt.world, zone, pt.player)


def accessible_boss(pt: PlayView, name: str) -> bool:
    return boss_open(pt.world, name, pt.player)


def accessible_farm(pt: PlayView, spot: str) -> bool:
    return farm_open(pt.world, spot, pt.player)


def best_grind_zone(pt: PlayView) -> str | None:
    """The explored zone whose respawning enemies pay the most runes per hour right now."""
    rates = [(pt.grind_rate(z), z) for z in sorted(pt.player.zones)]
    rates = [r for r in rates if r[0] > 0]
    return max(rates)[1] if rates else None


def get_ready(pt: PlayView, level_needed: float, tier: int) -> Iterator[Step]:
    """Get strong enough: explore side content the player is ready for, then grind (or farm,
    if the scenario names a spot) for at most ``natural.grind_hours_max``."""
    cfg = pt.scenario.natural
    world = pt.world
    tried: set[str] = set()

    gap = ready_gap(pt)
    grind_hours = cfg.grind_hours_max * pt.traits.tolerance

    def target() -> int:
        return pt.combat.level_for_gap(
            level_needed + pt.ng_difficulty, tier, pt.player.upgrade, gap
        )

    while pt.player.level < target():
        side = [
            z
            for z in world.zones.values()
            if z.name not in pt.player.zones
            and z.name not in tried
            and pt.zone_gap(z) <= gap  # the cheaper test first (both are pure)
            and accessible_zone(pt, z.name)
        ]
        if not side:
            break
        zone = min(side, key=lambda z: (z.level, z.name))
        tried.add(zone.name)
        yield Explore(zone.name, 1.0)
    if pt.player.level >= target() or grind_hours <= 0:
        return
    if cfg.farm and accessible_farm(pt, cfg.farm):
        yield Farm(cfg.farm, until_level=target(), hours=grind_hours)
        return
    zone_name = best_grind_zone(pt)
    if zone_name is not None:
        yield Grind(zone_name, until_level=target(), hours=grind_hours)


class _Optional:
    """Optional content: each zone and boss is chosen (or not) once, then taken when ready."""

    def __init__(self, pt: PlayView) -> None:
        self.pt = pt
        self.decided: set[str] = set()
        self.pending: list[str] = []  # chosen optional zones, waiting to be reachable and ready
        self.pending_bosses: list[str] = []
        # the optional bosses not decided yet, by zone (a boss leaves its list once decided)
        self.undecided: dict[str, list[WorldBoss]] = {
            z: [b for b in bosses if b.optional] for z, bosses in pt.index.bosses_by_zone.items()
        }
        # the optional zones not decided yet, in the world's order
        self.side_zones: list[WorldZone] = [z for z in pt.world.zones.values() if not z.main_path]
        self.explored: list[str] = []  # the explored zones, sorted (zones are only ever added)
        # the access state each scan last saw: what opens a zone or boss only grows, so an
        # unchanged state opens nothing new and the scan is skipped
        self.zones_seen: tuple[int, ...] = ()
        self.bosses_seen: tuple[int, ...] = ()
        self.joined = False  # bosses joined pending_bosses since it was last sorted

    def _access(self) -> tuple[int, ...]:
        """A stamp of the access state: the sizes of its sets and the Great Runes held."""
        p = self.pt.player
        return (len(p.bosses), len(p.zones), len(p.items), len(p.quests), p.great_runes)

    def _choose(self, key: str) -> bool:
        self.decided.add(key)
        return self.pt.u_route() < self.pt.traits.appetite

    def steps(self) -> Iterator[Step]:
        """Optional bosses already within reach first (a festival that has begun), then the
        chosen zones the player is ready for, then the bosses those zones opened."""
        pt = self.pt
        gap = ready_gap(pt)
        yield from self._bosses(gap)
        stamp = self._access()
        if stamp != self.zones_seen:
            self.zones_seen = stamp
            for zone in list(self.side_zones):
                if accessible_zone(pt, zone.name):  # a choice (and a draw) only once it opens
                    self.side_zones.remove(zone)
                    if self._choose(zone.name):
                        self.pending.append(zone.name)
        for name in list(self.pending):
            zone = pt.world.zones[name]
            if name in pt.player.zones:
                self.pending.remove(name)
            elif pt.zone_gap(zone) <= gap:
                yield Explore(name, 1.0)
                if name in pt.player.zones:
                    self.pending.remove(name)
        yield from self._bosses(gap)

    def _bosses(self, gap: float) -> Iterator[Step]:
        pt = self.pt
        stamp = self._access()
        if stamp != self.bosses_seen:
            self.bosses_seen = stamp
            self._open_bosses()
        # the easiest first: a boss the guides place lower comes before the harder ones (the
        # list stays in that order as bosses leave it: sorted again only when some joined)
        if self.joined:
            self.pending_bosses.sort(key=lambda n: (pt.world.bosses[n].level, n))
            self.joined = False
        for name in list(self.pending_bosses):
            if name in pt.player.bosses:
                self.pending_bosses.remove(name)
            elif pt.boss_gap(pt.world.bosses[name]) <= gap:
                yield Boss(name)
                self.pending_bosses.remove(name)  # one try when ready; a wall is left alone

    def _open_bosses(self) -> None:
        """Decide on the optional bosses of the explored zones that have opened."""
        pt = self.pt
        zones = pt.player.zones
        if len(self.explored) != len(zones):
            self.explored = sorted(zones)
        for zone_name in self.explored:
            waiting = self.undecided.get(zone_name)
            if not waiting:
                continue
            for boss in list(waiting):
                if satisfied(boss.requires, pt.player):  # a choice (and a draw) once it opens
                    waiting.remove(boss)
                    if self._choose("boss:" + boss.name):
                        self.pending_bosses.append(boss.name)
                        self.joined = True


def unlock(pt: PlayView, tokens: tuple[str, ...]) -> Iterator[Step]:
    """Steps toward requirements not yet met: beat the boss, explore the zone, or explore a
    zone that grants the item a token names (first open alternative of each token)."""
    world = pt.world
    for token in tokens:
        if token_met(token, pt.player):
            continue
        for alt in token.split("|"):
            kind, _, name = alt.strip().partition(":")
            if kind == "boss" and name in world.bosses and accessible_boss(pt, name):
                boss = world.bosses[name]
                yield from get_ready(pt, boss.level, world.zones[boss.zone].tier)
                yield Boss(name)
                break
            if kind == "zone" and name in world.zones and accessible_zone(pt, name):
                zone = world.zones[name]
                yield from get_ready(pt, zone.level, zone.tier)
                yield Explore(name, 1.0)
                break
            if kind == "item":
                givers = [
                    z
                    for z in world.zones.values()
                    if alt.strip() in z.grants and accessible_zone(pt, z.name)
                ]
                if givers:
                    zone = givers[0]
                    yield from get_ready(pt, zone.level, zone.tier)
                    yield Explore(zone.name, 1.0)
                    break


def natural(pt: PlayView) -> Iterator[Step]:
    """Follow the main path; get ready before each boss and zone; take optional content by
    chance."""
    world = pt.world
    optional = _Optional(pt)
    for rs in world.route:
        if rs.action == "explore":
            zone = world.zones[rs.target]
            yield from unlock(pt, zone.requires)
            while rs.target not in pt.player.zones and accessible_zone(pt, rs.target):
                yield from get_ready(pt, zone.level, zone.tier)
                yield Explore(rs.target, pt.traits.main_share)
        else:
            boss = world.bosses[rs.target]
            tier = world.zones[boss.zone].tier
            yield from unlock(pt, world.zones[boss.zone].requires + boss.requires)
            while boss.name not in pt.player.bosses and accessible_boss(pt, boss.name):
                yield from get_ready(pt, boss.level, tier)
                yield Boss(boss.name)
        yield from optional.steps()
