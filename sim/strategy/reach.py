"""What the player can reach now, as one strategy run keeps it (``Reach``), and the world's
look-ups the strategies read often (``Guide``, built once per world).

What opens a zone, a boss or a farm only ever grows: the player's bosses, zones, items and
questlines are sets that are only added to, and the Great Runes held only rise. So the
zones open now are found again only when that access state has grown (its stamp changed),
and then only among the zones still closed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.strategy.view import PlayerView, PlayView
from sim.world.access import satisfied
from sim.world.schema import Boss, World, Zone

__all__ = ["Guide", "Reach", "guide_of"]


@dataclass(frozen=True, slots=True)
class Guide:
    """A world as the strategies read it, built once per world."""

    by_level: tuple[Zone, ...]  # every zone, the lowest level first (ties by name)
    side_zones: tuple[Zone, ...]  # the zones off the main path, in the world's order
    # the zones with optional bosses and those bosses, in the world's order
    optional_bosses: tuple[tuple[str, tuple[Boss, ...]], ...]


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
    )


def guide_of(world: World) -> Guide:
    """The strategies' look-ups for ``world``, built on first use and kept with the world."""
    return world.derived("strategy_guide", _guide)


def stamp_of(player: PlayerView) -> tuple[int, ...]:
    """A stamp of the access state: the sizes of its sets and the Great Runes held (every
    part only grows, so an unchanged stamp is an unchanged state)."""
    p = player
    return (len(p.bosses), len(p.zones), len(p.items), len(p.quests), p.great_runes)


class Reach:
    """The zones, bosses and farms one player can enter now; the zones kept between changes
    of the access state."""

    __slots__ = ("world", "player", "guide", "_stamp", "_open", "_closed")

    def __init__(self, pt: PlayView) -> None:
        self.world = pt.world
        self.player = pt.player
        self.guide = guide_of(pt.world)
        self._stamp: tuple[int, ...] = ()
        self._open: set[str] = set()
        self._closed: list[Zone] = list(pt.world.zones.values())

    def stamp(self) -> tuple[int, ...]:
        return stamp_of(self.player)

    def zones(self) -> set[str]:
        """The zones whose requirements hold now (explored or not); do not change it."""
        p = self.player
        stamp = (len(p.bosses), len(p.zones), len(p.items), len(p.quests), p.great_runes)
        if stamp != self._stamp:
            self._stamp = stamp
            closed = []
            for zone in self._closed:
                if satisfied(zone.requires, p):
                    self._open.add(zone.name)
                else:
                    closed.append(zone)
            self._closed = closed
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
