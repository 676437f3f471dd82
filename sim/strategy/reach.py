"""What the player can reach now, as one strategy run keeps it (``Reach``), and the world's
look-ups the strategies read often (``Guide``, built once per world).

What opens a zone, a boss or a farm only ever grows: the player's bosses, zones, items and
questlines are sets that are only added to, and the Great Runes held only rise. So the
zones open now are found again only when that access state has grown (its stamp changed),
and then only among the zones still closed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.route_steps import Boss as BossStep
from sim.route_steps import Explore
from sim.strategy.view import PlayerView, PlayView
from sim.world.access import satisfied, token_checks, token_met
from sim.world.schema import Boss, World, Zone

__all__ = ["Guide", "Reach", "guide_of"]


@dataclass(frozen=True, slots=True)
class Guide:
    """A world as the strategies read it, built once per world."""

    by_level: tuple[Zone, ...]  # every zone, the lowest level first (ties by name)
    side_zones: tuple[Zone, ...]  # the zones off the main path, in the world's order
    # the zones with optional bosses and those bosses, in the world's order
    optional_bosses: tuple[tuple[str, tuple[Boss, ...]], ...]
    # the steps asked for most, made once (steps are frozen values): fight each boss, explore
    # each whole zone
    fight: dict[str, BossStep]
    explore: dict[str, Explore]
    boss_order: dict[str, tuple[float, str]]  # each boss's place, the lowest level first


def _guide(world: World) -> Guide:
    by_zone: dict[str, list[Boss]] = {}
    for boss in world.bosses.values():
        by_zone.setdefault(boss.zone, []).append(boss)
    optional = tuple(
        (zone, tuple(b for b in bosses if b.optional))
        for zone, bosses in by_zone.items()
        if any(b.optional for b in bosses)
    )
    return Guide(
        by_level=tuple(sorted(world.zones.values(), key=lambda z: (z.level, z.name))),
        side_zones=tuple(z for z in world.zones.values() if not z.main_path),
        optional_bosses=optional,
        fight={name: BossStep(name) for name in world.bosses},
        explore={name: Explore(name, 1.0) for name in world.zones},
        boss_order={name: (b.level, name) for name, b in world.bosses.items()},
    )


def guide_of(world: World) -> Guide:
    """The strategies' look-ups for ``world``, built on first use and kept with the world."""
    return world.derived("strategy_guide", _guide)


def stamp_of(player: PlayerView) -> int:
    """A stamp of the access state: the sizes of its sets plus the Great Runes held. Every
    part only grows, so the sum grows whenever any part does: an unchanged stamp is an
    unchanged state."""
    p = player
    return len(p.bosses) + len(p.zones) + len(p.items) + len(p.quests) + p.great_runes


_SETS = ("bosses", "zones", "items", "quests")  # the access state's sets (token kinds)


class Reach:
    """The zones, bosses and farms one player can enter now; the zones kept between changes
    of the access state.

    A closed zone waits on its first unmet token: it is looked at again only when a name
    that token lists joins the player's sets (or the Great Runes reach its count).
    """

    __slots__ = ("world", "player", "guide", "_stamp", "_open", "_seen", "_watch", "_runes")

    def __init__(self, pt: PlayView) -> None:
        self.world = pt.world
        self.player = pt.player
        self.guide = guide_of(pt.world)
        self._stamp = -1
        self._open: set[str] = set()
        # the names of each set already looked at: a name joining later may open a zone
        self._seen: dict[str, set[str]] | None = None
        # the closed zones waiting on (set, name), and on a count of Great Runes
        self._watch: dict[tuple[str, str], list[Zone]] = {}
        self._runes: list[tuple[int, Zone]] = []

    def stamp(self) -> int:
        """``stamp_of`` the player."""
        return stamp_of(self.player)

    def _look(self, zones: list[Zone]) -> None:
        """Open the zones whose requirements hold; set the others waiting on their first
        unmet token (the state is ``_seen``: only names joining later can meet it)."""
        p = self.player
        for zone in zones:
            if zone.name in self._open:
                continue
            for token in zone.requires:
                if not token_met(token, p):
                    for attr, name, count in token_checks(token):
                        if count >= 0:
                            self._runes.append((count, zone))
                        else:
                            self._watch.setdefault((attr, name), []).append(zone)
                    break
            else:
                self._open.add(zone.name)

    def zones(self) -> set[str]:
        """The zones whose requirements hold now (explored or not); do not change it."""
        p = self.player
        stamp = stamp_of(p)
        if stamp == self._stamp:
            return self._open
        self._stamp = stamp
        seen = self._seen
        if seen is None:
            self._seen = {attr: set(getattr(p, attr)) for attr in _SETS}
            self._look(list(self.world.zones.values()))
            return self._open
        again: list[Zone] = []
        watch = self._watch
        for attr in _SETS:
            now = getattr(p, attr)
            had = seen[attr]
            if len(now) != len(had):
                new = now - had
                had |= new
                for name in new:
                    waiting = watch.pop((attr, name), None)
                    if waiting is not None:
                        again += waiting
        if self._runes and any(p.great_runes >= count for count, _ in self._runes):
            again += [zone for count, zone in self._runes if p.great_runes >= count]
            self._runes = [(c, z) for c, z in self._runes if p.great_runes < c]
        if again:
            self._look(again)
        return self._open

    def zone(self, name: str) -> bool:
        """Whether the zone ``name`` is open (``sim.world.access.zone_open``)."""
        return name in self.zones()

    def boss(self, name: str) -> bool:
        """Whether the boss ``name`` is open: its zone, then its own needs (``boss_open``)."""
        boss = self.world.bosses[name]
        return boss.zone in self.zones() and satisfied(boss.requires, self.player)

    def farm(self, spot: str) -> bool:
        """Whether the farming spot ``spot`` is open: its zone, then its own (``farm_open``)."""
        farm = self.world.farms[spot]
        return farm.zone in self.zones() and satisfied(farm.requires, self.player)
