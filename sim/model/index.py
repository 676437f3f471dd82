"""Look-ups the simulator needs often, built once per world: encounters, loot, bosses by zone."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from sim.world.schema import Boss, Enemy, World, Zone

__all__ = ["EncounterType", "ZonePlan", "WorldIndex", "index_for"]


@dataclass(frozen=True, slots=True)
class EncounterType:
    """A pack of one enemy fought as one encounter."""

    enemy: Enemy
    pack: int  # enemies in the pack

    @property
    def runes(self) -> int:
        return self.enemy.runes * self.pack


@dataclass(frozen=True, slots=True)
class ZonePlan:
    """A zone's encounters in the order a visit meets them, and where its loot lies."""

    zone: Zone
    types: tuple[EncounterType, ...]
    order: tuple[int, ...]  # index into types, one per encounter, spread evenly over the zone
    respawning: tuple[int, ...]  # positions in ``order`` whose enemies respawn at a grace
    loot: tuple[tuple[float, str, int], ...]  # (position as a share of the visit, item, runes)
    runes: tuple[int, ...] = ()  # runes of each encounter type (``types[i].runes``)
    packs: tuple[int, ...] = ()  # enemies in each encounter type's pack (``types[i].pack``)
    grind: tuple[int, ...] = ()  # the types of the respawning encounters, in visit order
    grind_counts: tuple[tuple[int, int], ...] = ()  # (type, respawning encounters of it)
    name: str = ""  # the zone's name and area tier (``zone.name``, ``zone.tier``), read often
    tier: int = 0
    # (kind, enemy, zone, activity) income keys of each type, by activity (filled on first use)
    keys: dict[str, list[tuple[str, str, str, str]]] = field(
        default_factory=dict, compare=False, hash=False
    )

    # the loot of a whole visit (``loot_slots(1.0)``, filled on first use)
    whole: list[tuple[int, str, int, int]] = field(default_factory=list, compare=False, hash=False)
    # the loot of a whole visit by encounter (``loot_by_slot(1.0)``, filled on first use)
    whole_by_slot: dict[int, list[tuple[str, int, int]]] = field(
        default_factory=dict, compare=False, hash=False
    )

    def loot_slots(self, share: float) -> list[tuple[int, str, int, int]]:
        """The loot on a visit fighting ``share`` of the zone: ``(k, item, runes, j)``, found
        after the visit's ``k``-th encounter (0: before the first), loot number ``j``. Kept
        for whole visits only (a player's share of the main path is their own)."""
        if share == 1.0 and self.whole:
            return self.whole
        n = len(self.visit(share))
        slots = [
            (min(n, int(pos / share * n) + 1) if n else 0, item, runes, j)
            for j, (pos, item, runes) in enumerate(self.loot)
            if pos <= share
        ]
        if share == 1.0:
            self.whole[:] = slots
        return slots

    def loot_by_slot(self, share: float) -> dict[int, list[tuple[str, int, int]]]:
        """``loot_slots(share)`` as ``k -> [(item, runes, j), ...]`` in slot order, kept for
        whole visits: the caller copies the dict before taking from it, never changes a list."""
        whole = share == 1.0
        if whole and self.whole_by_slot:
            return self.whole_by_slot
        hit = self.whole_by_slot if whole else {}
        for k, item, runes, j in self.loot_slots(share):
            hit.setdefault(k, []).append((item, runes, j))
        return hit

    def income_keys(self, activity: str) -> list[tuple[str, str, str, str]]:
        """The ledger's income key of each encounter type's kills during ``activity``."""
        keys = self.keys.get(activity)
        if keys is None:
            keys = self.keys[activity] = [
                ("enemy", t.enemy.name, self.zone.name, activity) for t in self.types
            ]
        return keys

    def visit(self, share: float) -> tuple[int, ...]:
        """The encounters of a visit fighting ``share`` of the zone (a prefix of the spread
        order)."""
        n = len(self.order)
        k = n if share >= 1 else int(round(share * n))
        return self.order[:k]


class WorldIndex:
    """Per-world look-ups, shared by every replication that runs on the world."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.enemies = {(e.name, e.zone): e for e in world.enemies}
        self.bosses_by_zone: dict[str, list[Boss]] = {}
        for b in world.bosses.values():
            self.bosses_by_zone.setdefault(b.zone, []).append(b)
        self.plans = {name: self._plan(zone) for name, zone in world.zones.items()}
        # boss -> what a fight reads of it and its zone (``sim.model.bosses``, filled on use)
        self.boss_facts: dict[str, tuple[Boss, Zone, str, int, float, float, bool]] = {}
        # income key -> its static columns (``sim.model.replication._income``, filled on use)
        self.income_columns: dict[tuple[str, str, str, str], tuple] = {}

    def _plan(self, zone: Zone) -> ZonePlan:
        types: list[EncounterType] = []
        positions: list[tuple[float, int, bool]] = []
        for entry in (r for r in self.world.rosters if r.zone == zone.name):
            enemy = self.enemies[(entry.enemy, zone.name)]
            packs = math.ceil(entry.count / entry.pack_size)
            base = entry.count // packs
            extra = entry.count - base * packs  # the first `extra` packs hold one more
            for j in range(packs):
                size = base + (1 if j < extra else 0)
                t = EncounterType(enemy, size)
                try:
                    ti = types.index(t)
                except ValueError:
                    types.append(t)
                    ti = len(types) - 1
                # spread each roster entry evenly over the zone; ties keep roster order
                positions.append(((j + 0.5) / packs, ti, entry.respawns))
        positions.sort(key=lambda p: p[0])
        order = tuple(p[1] for p in positions)
        # rules.death.respawn_on_rest: resting at a grace brings the field's enemies back
        respawns = self.world.rules.death.respawn_on_rest
        respawning = tuple(i for i, p in enumerate(positions) if p[2] and respawns)
        runes = self.world.rules.golden_runes
        items = [
            (lo.item, runes[lo.item])
            for lo in self.world.loot
            if lo.zone == zone.name
            for _ in range(lo.count)
        ]
        loot = tuple(((i + 0.5) / len(items), item, value) for i, (item, value) in enumerate(items))
        runes_of = tuple(t.runes for t in types)
        grind = tuple(order[i] for i in respawning)
        counts = tuple((t, grind.count(t)) for t in sorted(set(grind)))
        sizes = tuple(t.pack for t in types)
        return ZonePlan(
            zone,
            tuple(types),
            order,
            respawning,
            loot,
            runes_of,
            sizes,
            grind,
            counts,
            zone.name,
            zone.tier,
        )


def index_for(world: World) -> WorldIndex:
    """The index of ``world``, built on first use and kept with the world."""
    return world.derived("index", WorldIndex)
