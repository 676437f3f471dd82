"""The world's data as flat rows, one list of dicts per table, for ``runesim data`` and notebooks.

Every value in a row is a plain scalar (str, int, float, bool or None), so the rows
go straight into a CSV writer, ``json.dumps`` or ``pandas.DataFrame``. Tuples such as
``requires`` are joined with ``"; "``. The leading columns of each table are a
contract (see ``COLUMNS``); more columns may follow them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sim.errors import InputError, did_you_mean

if TYPE_CHECKING:  # the schema is heavy: `runesim --help` names the tables without it
    from pydantic import BaseModel

    from sim.world.schema import World

__all__ = ["TABLES", "COLUMNS", "data_rows"]

Row = dict[str, Any]

# The first columns of each table, in order (a contract for csv/json output).
COLUMNS: dict[str, tuple[str, ...]] = {
    "zones": (
        "name",
        "region",
        "tier",
        "kind",
        "level",
        "explore_hours",
        "invasions",
        "requires",
        "source",
    ),
    "enemies": ("name", "zone", "class", "runes", "source"),
    "bosses": ("name", "zone", "region", "runes", "kind", "source"),
    "farms": ("name", "zone", "runes_per_loop", "loop_seconds", "runes_per_hour", "source"),
    "levels": ("level", "cost", "total"),
    "rules": ("key", "value", "source"),
    "loot": ("zone", "item", "count", "runes_each", "runes", "source"),
    "classes": ("name", "level", "source"),
    "route": ("order", "action", "target", "zone", "source"),
    "quests": ("quest", "step", "action", "zone", "description", "source"),
    "calibration": ("name", "metric", "low", "high", "unit", "source"),
}
TABLES: tuple[str, ...] = tuple(COLUMNS)


def _plain(value: Any) -> Any:
    """A field value as a flat scalar: tuples of tokens joined with "; "."""
    if isinstance(value, tuple | list):
        return "; ".join(str(v) for v in value)
    return value


def _flat(record: BaseModel, first: Row, skip: tuple[str, ...] = ()) -> Row:
    """``first`` (the contract columns, in order), then the record's other fields."""
    row = dict(first)
    for name in type(record).model_fields:
        if name not in row and name not in skip:
            row[name] = _plain(getattr(record, name))
    return row


def _zones(world: World) -> list[Row]:
    return [
        _flat(
            z,
            {
                "name": z.name,
                "region": z.region,
                "tier": z.tier,
                "kind": z.kind,
                "level": z.level,
                "explore_hours": z.explore_hours,
                "invasions": z.invasions,
                "requires": _plain(z.requires),
                "source": z.source,
            },
        )
        for z in world.zones.values()
    ]


def _enemies(world: World) -> list[Row]:
    return [
        _flat(
            e,
            {
                "name": e.name,
                "zone": e.zone,
                "class": e.enemy_class,
                "runes": e.runes,
                "source": e.source,
                "kind": e.kind,
                "difficulty": e.difficulty,
            },
            skip=("enemy_class",),
        )
        for e in world.enemies
    ]


def _bosses(world: World) -> list[Row]:
    return [
        _flat(
            b,
            {
                "name": b.name,
                "zone": b.zone,
                "region": b.region,
                "runes": b.runes,
                "kind": b.kind,
                "source": b.source,
            },
        )
        for b in world.bosses.values()
    ]


def _farms(world: World) -> list[Row]:
    rows = []
    for f in world.farms.values():
        # one loop pays each kill at the rate the game sets for that enemy in the farm's zone
        per_loop = sum(k.count * world.enemy(k.enemy, f.zone).runes for k in f.kills)
        first = {
            "name": f.name,
            "zone": f.zone,
            "runes_per_loop": per_loop,
            "loop_seconds": f.loop_seconds,
            "runes_per_hour": per_loop * 3600 / f.loop_seconds,
            "source": f.source,
            "published_runes_per_hour": f.published_runes_per_hour,
            "kills": _plain(tuple(f"{k.count} x {k.enemy}" for k in f.kills)),
        }
        rows.append(_flat(f, first))
    return rows


def _levels(world: World) -> list[Row]:
    from sim.world.levels import levels_of

    return levels_of(world).table()


def _figures(prefix: str, value: Any, source: str) -> list[Row]:
    """Rows for one rules value: dicts by key, sequences by index, scalars as they are."""
    if isinstance(value, dict):
        return [r for k, v in value.items() for r in _figures(f"{prefix}.{k}", v, source)]
    if isinstance(value, tuple | list):
        return [r for i, v in enumerate(value) for r in _figures(f"{prefix}[{i}]", v, source)]
    return [{"key": prefix, "value": value, "source": source}]


def _section(prefix: str, record: BaseModel) -> list[Row]:
    source = getattr(record, "source", "")
    return [
        r
        for name in type(record).model_fields
        if name != "source"
        for r in _figures(f"{prefix}.{name}", getattr(record, name), source)
    ]


def _rules(world: World) -> list[Row]:
    """One row per figure of the rules, keyed by its dotted path in ``rules.toml``."""
    r = world.rules
    return [
        {"key": "version", "value": r.version, "source": ""},
        *_section("level_curve", r.level_curve),
        *_section("multipliers", r.multipliers),
        *_figures("golden_runes", r.golden_runes, r.golden_runes_source),
        *_section("death", r.death),
        *_figures("invasion_win_runes", r.invasion_win_runes, r.invasion_win_runes_source),
    ]


def _loot(world: World) -> list[Row]:
    values = world.rules.golden_runes
    return [
        _flat(
            lt,
            {
                "zone": lt.zone,
                "item": lt.item,
                "count": lt.count,
                "runes_each": values.get(lt.item),
                "runes": lt.count * values[lt.item] if lt.item in values else None,
                "source": lt.source,
            },
        )
        for lt in world.loot
    ]


def _classes(world: World) -> list[Row]:
    return [
        _flat(c, {"name": c.name, "level": c.level, "source": c.source})
        for c in world.classes.values()
    ]


def _route(world: World) -> list[Row]:
    rows = []
    for step in world.route:
        # a boss step happens in the boss's zone; an explore step's target is the zone
        boss = world.bosses.get(step.target) if step.action == "boss" else None
        first = {
            "order": step.order,
            "action": step.action,
            "target": step.target,
            "zone": boss.zone if boss is not None else step.target,
            "source": step.source,
        }
        rows.append(_flat(step, first))
    return rows


def _quests(world: World) -> list[Row]:
    return [
        _flat(
            q,
            {
                "quest": q.quest,
                "step": q.step,
                "action": q.action,
                "zone": q.zone,
                "description": q.description,
                "source": q.source,
            },
        )
        for q in world.quests
    ]


def _calibration(world: World) -> list[Row]:
    return [
        _flat(
            c,
            {
                "name": c.name,
                "metric": c.metric,
                "low": c.low,
                "high": c.high,
                "unit": c.unit,
                "source": c.source,
            },
        )
        for c in world.calibration
    ]


_BUILDERS: dict[str, Callable[[World], list[Row]]] = {
    "zones": _zones,
    "enemies": _enemies,
    "bosses": _bosses,
    "farms": _farms,
    "levels": _levels,
    "rules": _rules,
    "loot": _loot,
    "classes": _classes,
    "route": _route,
    "quests": _quests,
    "calibration": _calibration,
}


def data_rows(world: World, table: str, zone: str | None = None) -> list[Row]:
    """The rows of one data table, optionally only those in ``zone``.

    Raises ``InputError`` for an unknown table, an unknown zone (with the closest
    zone names), or a zone filter on a table that has no ``zone`` column.
    """
    if table not in _BUILDERS:
        raise InputError.one(
            None, "TABLE", table, "one of " + ", ".join(TABLES), did_you_mean(table, TABLES)
        )
    if zone is not None:
        if "zone" not in COLUMNS[table] and table != "zones":
            raise InputError.one(
                None,
                "--zone",
                zone,
                "no --zone for table "
                + repr(table)
                + " (tables with a zone: "
                + ", ".join(t for t in TABLES if t == "zones" or "zone" in COLUMNS[t])
                + ")",
            )
        if zone not in world.zones:
            raise InputError.one(
                None, "--zone", zone, "a zone of the world", did_you_mean(zone, world.zones)
            )
    rows = _BUILDERS[table](world)
    if zone is not None:
        key = "name" if table == "zones" else "zone"
        rows = [r for r in rows if r[key] == zone]
    return rows
