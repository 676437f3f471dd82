"""Natural progression: the main path in the usual order, some optional content, grinding when
stuck."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from sim.route_steps import Explore, Farm, Grind, Step
from sim.strategy.reach import Reach
from sim.strategy.view import PlayView
from sim.world.access import boss_open, farm_open, satisfied, token_met, zone_open

if TYPE_CHECKING:
    from sim.world.schema import Boss as WorldBoss
    from sim.world.schema import Zone as WorldZone

__all__ = [
    "natural",
    "unlock",
    "get_ready",
    "behind",
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
    """The explored zone whose respawning enemies pay the most runes per hour right now (the
    higher name on a tie: the largest ``(rate, zone)``, whatever order the zones come in)."""
    best: tuple[float, str] | None = None
    for zone in pt.player.zones:
        rate = pt.grind_rate(zone)
        if rate > 0 and (best is None or (rate, zone) > best):
            best = (rate, zone)
    return best[1] if best is not None else None


def behind(pt: PlayView, level_needed: float, tier: int) -> bool:
    """Whether the player is below the level ``get_ready`` aims at (else it does nothing)."""
    p = pt.player
    target = pt.combat.level_for_gap(
        level_needed + pt.ng_difficulty, tier, p.upgrade, ready_gap(pt)
    )
    return p.level < target


def get_ready(
    pt: PlayView, level_needed: float, tier: int, reach: Reach | None = None
) -> Iterator[Step]:
    """Get strong enough: explore side content the player is ready for, then grind (or farm,
    if the scenario names a spot) for at most ``natural.grind_hours_max``."""
    if reach is None:
        reach = Reach(pt)
    cfg = pt.scenario.natural
    player = pt.player
    gap = ready_gap(pt)
    grind_hours = cfg.grind_hours_max * pt.traits.tolerance
    needed = level_needed + pt.ng_difficulty
    level_for_gap = pt.combat.level_for_gap
    target = level_for_gap(needed, tier, player.upgrade, gap)
    if player.level < target:
        # the side zone to explore: the lowest (then first by name) of those not explored nor
        # tried here, open and within the gap (both tests are pure: the cheaper one first)
        tried: set[str] = set()
        zone_gap = pt.zone_gap
        by_level = reach.guide.by_level
        while player.level < target:
            opened = reach.zones()
            explored = player.zones
            for zone in by_level:
                name = zone.name
                if (
                    name in opened
                    and name not in explored
                    and name not in tried
                    and zone_gap(zone) <= gap
                ):
                    break
            else:
                break  # no side zone left to try
            tried.add(name)
            yield reach.guide.explore[name]
            target = level_for_gap(needed, tier, player.upgrade, gap)
    if player.level >= target or grind_hours <= 0:
        return
    if cfg.farm and reach.farm(cfg.farm):
        yield Farm(cfg.farm, until_level=target, hours=grind_hours)
        return
    zone_name = best_grind_zone(pt)
    if zone_name is not None:
        yield Grind(zone_name, until_level=target, hours=grind_hours)


class _Optional:
    """Optional content: each zone and boss is chosen (or not) once, then taken when ready."""

    def __init__(self, pt: PlayView, reach: Reach) -> None:
        self.pt = pt
        self.reach = reach
        self.gap = ready_gap(pt)
        self.pending: list[str] = []  # chosen optional zones, waiting to be reachable and ready
        self.pending_bosses: list[str] = []
        guide = reach.guide
        # the optional bosses not decided yet, by zone (a boss leaves its list once decided,
        # a zone leaves the mapping once its list is empty)
        self.undecided: dict[str, list[WorldBoss]] = {
            z: list(bosses) for z, bosses in guide.optional_bosses
        }
        # the optional zones not decided yet, in the world's order
        self.side_zones: list[WorldZone] = list(guide.side_zones)
        # the explored zones with undecided bosses, sorted (zones are only ever added)
        self.explored: list[str] = []
        self.explored_count = 0  # the number of explored zones ``explored`` was made from
        # the access state each scan last saw: what opens a zone or boss only grows, so an
        # unchanged state opens nothing new and the scan is skipped
        self.zones_seen = -1
        self.bosses_seen = -1
        self.joined = False  # bosses joined pending_bosses since it was last sorted
        # (level, upgrade) at which every pending boss was last found too hard (None: not
        # since a boss joined): a boss's gap changes only with the player's level and weapon
        self.too_hard: tuple[int, float] | None = None

    def steps(self) -> Iterator[Step]:
        """Optional bosses already within reach first (a festival that has begun), then the
        chosen zones the player is ready for, then the bosses those zones opened."""
        pt = self.pt
        gap = self.gap
        if self._bosses_due():
            yield from self._bosses(gap)
        stamp = self.reach.stamp()
        if stamp != self.zones_seen:
            self.zones_seen = stamp
            opened = self.reach.zones()
            closed = []
            for zone in self.side_zones:
                if zone.name in opened:  # a choice (and a draw) only once it opens
                    if pt.u_route() < pt.traits.appetite:
                        self.pending.append(zone.name)
                else:
                    closed.append(zone)
            self.side_zones = closed
        if self.pending:
            explored = pt.player.zones
            for name in list(self.pending):
                zone = pt.world.zones[name]
                if name in explored:
                    self.pending.remove(name)
                elif pt.zone_gap(zone) <= gap:
                    yield self.reach.guide.explore[name]
                    if name in explored:
                        self.pending.remove(name)
        if self._bosses_due():
            yield from self._bosses(gap)

    def _bosses_due(self) -> bool:
        """Decide on the optional bosses that have opened (if the access state grew); whether
        a pending boss may be ready now."""
        stamp = self.reach.stamp()
        if stamp != self.bosses_seen:
            self.bosses_seen = stamp
            self._open_bosses()
        if not self.pending_bosses:
            return False
        p = self.pt.player
        return (p.level, p.upgrade) != self.too_hard

    def _bosses(self, gap: float) -> Iterator[Step]:
        pt = self.pt
        bosses = pt.world.bosses
        # the easiest first: a boss the guides place lower comes before the harder ones (the
        # list stays in that order as bosses leave it: sorted again only when some joined)
        if self.joined:
            self.pending_bosses.sort(key=self.reach.guide.boss_order.__getitem__)
            self.joined = False
        p = pt.player
        power = (p.level, p.upgrade)
        fight = self.reach.guide.fight
        fought = False
        for name in list(self.pending_bosses):
            if name in p.bosses:
                self.pending_bosses.remove(name)
            elif pt.boss_gap(bosses[name]) <= gap:
                fought = True
                yield fight[name]
                self.pending_bosses.remove(name)  # one try when ready; a wall is left alone
        self.too_hard = None if fought else power

    def _open_bosses(self) -> None:
        """Decide on the optional bosses of the explored zones that have opened."""
        pt = self.pt
        zones = pt.player.zones
        undecided = self.undecided
        if self.explored_count != len(zones):
            self.explored_count = len(zones)
            self.explored = sorted(z for z in zones if z in undecided)
        if not self.explored:
            return
        player = pt.player
        draw = pt.u_route
        appetite = pt.traits.appetite
        emptied = False
        for zone_name in self.explored:
            waiting = []
            for boss in undecided[zone_name]:
                # a choice (and a draw) once it opens; most optional bosses need nothing
                if not boss.requires or satisfied(boss.requires, player):
                    if draw() < appetite:
                        self.pending_bosses.append(boss.name)
                        self.joined = True
                        self.too_hard = None
                else:
                    waiting.append(boss)
            if waiting:
                undecided[zone_name] = waiting
            else:
                del undecided[zone_name]
                emptied = True
        if emptied:
            self.explored = [z for z in self.explored if z in undecided]


def unlock(pt: PlayView, tokens: tuple[str, ...], reach: Reach | None = None) -> Iterator[Step]:
    """Steps toward requirements not yet met: beat the boss, explore the zone, or explore a
    zone that grants the item a token names (first open alternative of each token)."""
    if reach is None:
        reach = Reach(pt)
    world = pt.world
    for token in tokens:
        if token_met(token, pt.player):
            continue
        for alt in token.split("|"):
            kind, _, name = alt.strip().partition(":")
            if kind == "boss" and name in world.bosses and reach.boss(name):
                boss = world.bosses[name]
                tier = world.zones[boss.zone].tier
                if behind(pt, boss.level, tier):
                    yield from get_ready(pt, boss.level, tier, reach)
                yield reach.guide.fight[name]
                break
            if kind == "zone" and name in world.zones and reach.zone(name):
                zone = world.zones[name]
                if behind(pt, zone.level, zone.tier):
                    yield from get_ready(pt, zone.level, zone.tier, reach)
                yield reach.guide.explore[name]
                break
            if kind == "item":
                item = alt.strip()
                opened = reach.zones()
                giver = next(
                    (z for z in world.zones.values() if item in z.grants and z.name in opened),
                    None,
                )
                if giver is not None:
                    if behind(pt, giver.level, giver.tier):
                        yield from get_ready(pt, giver.level, giver.tier, reach)
                    yield reach.guide.explore[giver.name]
                    break


def natural(pt: PlayView, reach: Reach | None = None) -> Iterator[Step]:
    """Follow the main path; get ready before each boss and zone; take optional content by
    chance."""
    if reach is None:
        reach = Reach(pt)
    world = pt.world
    player = pt.player
    optional = _Optional(pt, reach)
    for rs in world.route:
        if rs.action == "explore":
            zone = world.zones[rs.target]
            if not satisfied(zone.requires, player):
                yield from unlock(pt, zone.requires, reach)
            while rs.target not in player.zones and reach.zone(rs.target):
                if behind(pt, zone.level, zone.tier):
                    yield from get_ready(pt, zone.level, zone.tier, reach)
                yield Explore(rs.target, pt.traits.main_share)
        else:
            boss = world.bosses[rs.target]
            tier = world.zones[boss.zone].tier
            needs = world.zones[boss.zone].requires + boss.requires
            if not satisfied(needs, player):
                yield from unlock(pt, needs, reach)
            while boss.name not in player.bosses and reach.boss(boss.name):
                if behind(pt, boss.level, tier):
                    yield from get_ready(pt, boss.level, tier, reach)
                yield reach.guide.fight[boss.name]
        yield from optional.steps()
