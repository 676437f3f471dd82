"""Read ``sim/data/`` (CSV + TOML) into a frozen, cross-checked :class:`~sim.world.schema.World`.

Every problem found is raised as one :class:`~sim.errors.InputError` naming the file,
the row and column (``zones.csv:row 7.requires``), the bad value and what was expected.
Rows are numbered from 1 for the first data row under the header.
"""

from __future__ import annotations

import csv
import functools
import tomllib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from sim.errors import InputError, InputProblem, did_you_mean
from sim.world import access
from sim.world.schema import (
    Boss,
    CalibrationTarget,
    Enemy,
    Farm,
    Loot,
    QuestStep,
    RosterEntry,
    RouteStep,
    Rules,
    StartingClass,
    World,
    Zone,
)

__all__ = ["DATA_DIR", "load_world", "read_world"]

M = TypeVar("M", bound=BaseModel)
N = TypeVar("N", Zone, Boss, Farm, StartingClass)  # tables keyed by name
Rows = list[tuple[int, M]]  # (row number from 1, record)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
START_ZONE = "Limgrave"

# columns holding ';'-separated lists of access tokens
_TOKEN_COLUMNS = ("requires", "grants")


def load_world(data_dir: Path | None = None) -> World:
    """The world from ``data_dir`` (default: the packaged ``sim/data``), cached for the default."""
    if data_dir is None:
        return _default_world()
    return read_world(Path(data_dir))


@functools.lru_cache(maxsize=1)
def _default_world() -> World:
    return read_world(DATA_DIR)


def read_world(data_dir: Path) -> World:
    """Read and check every table in ``data_dir``; raise ``InputError`` on the first bad file."""
    zones = _keyed(_table(data_dir, "zones.csv", Zone), "zones.csv")
    enemies = _table(data_dir, "enemies.csv", Enemy)
    rosters = _table(data_dir, "rosters.csv", RosterEntry)
    bosses = _keyed(_table(data_dir, "bosses.csv", Boss), "bosses.csv")
    loot = _table(data_dir, "loot.csv", Loot)
    farms = _keyed(_table(data_dir, "farms.csv", Farm, kills=_kills), "farms.csv")
    quests = _table(data_dir, "quests.csv", QuestStep)
    classes = _keyed(_table(data_dir, "classes.csv", StartingClass), "classes.csv")
    route = _table(data_dir, "route.csv", RouteStep)
    calibration = _table(data_dir, "calibration.csv", CalibrationTarget)
    rules = _rules(data_dir / "rules.toml")

    world = World(
        zones={z.name: z for _, z in zones},
        enemies=tuple(e for _, e in enemies),
        rosters=tuple(r for _, r in rosters),
        bosses={b.name: b for _, b in bosses},
        loot=tuple(x for _, x in loot),
        farms={f.name: f for _, f in farms},
        quests=tuple(q for _, q in quests),
        classes={c.name: c for _, c in classes},
        route=tuple(r for _, r in route),
        rules=rules,
        calibration=tuple(c for _, c in calibration),
    )
    _check_references(world, zones, enemies, rosters, bosses, loot, farms, quests, route)
    _check_graph(world, {z.name: i for i, z in zones}, {b.name: i for i, b in bosses})
    return world


# ------------------------------------------------------------------ reading


def _read_rows(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise InputError.one(path.name, "", str(path), "the data file to exist")
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _split(value: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in value.split(";") if p.strip())


def _kills(value: str) -> tuple[dict[str, Any], ...]:
    out = []
    for part in _split(value):
        enemy, star, count = part.rpartition("*")
        if not star or not count.strip().isdigit():
            raise ValueError(f"kill {part!r} is not ENEMY*COUNT")
        out.append({"enemy": enemy.strip(), "count": int(count)})
    return tuple(out)


def _table(
    data_dir: Path, file: str, model: type[M], **parsers: Callable[[str], Any]
) -> list[tuple[int, M]]:
    """Rows of one CSV as (row number, record); blank cells fall back to the field default."""
    out: list[tuple[int, M]] = []
    for i, raw in enumerate(_read_rows(data_dir / file), start=1):
        data: dict[str, Any] = {}
        for key, value in raw.items():
            if key is None:
                raise InputError.one(
                    file, f"row {i}", raw[key], "no more cells than header columns"
                )
            value = (value or "").strip()
            if key in parsers:
                try:
                    data[key] = parsers[key](value)
                except ValueError as exc:
                    raise InputError.one(file, f"row {i}.{key}", value, str(exc)) from None
            elif key in _TOKEN_COLUMNS:
                data[key] = _split(value)
            elif value != "":
                data[key] = value
        if "source" in model.model_fields and not data.get("source"):
            raise InputError.one(
                file, f"row {i}.source", raw.get("source", ""), "a non-empty source"
            )
        try:
            out.append((i, model.model_validate(data)))
        except ValidationError as exc:
            raise _validation_error(file, f"row {i}", exc, raw) from None
    return out


def _validation_error(
    file: str, where: str, exc: ValidationError, raw: dict[str, Any]
) -> InputError:
    problems = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"])
        col = str(err["loc"][0]) if err["loc"] else ""
        value = raw.get(col, err.get("input"))
        problems.append(InputProblem(f"{where}.{loc}", value, err["msg"]))
    return InputError(file, problems)


def _keyed(rows: list[tuple[int, N]], file: str) -> list[tuple[int, N]]:
    seen: dict[str, int] = {}
    for i, rec in rows:
        if rec.name in seen:
            raise InputError.one(
                file, f"row {i}.name", rec.name, f"a name not already used (row {seen[rec.name]})"
            )
        seen[rec.name] = i
    return rows


def _rules(path: Path) -> Rules:
    if not path.is_file():
        raise InputError.one(path.name, "", str(path), "the data file to exist")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError.one(path.name, "", str(exc), "valid TOML") from None
    tiers = data.get("multipliers", {}).get("ng_plus_tier")
    if isinstance(tiers, dict):
        data["multipliers"]["ng_plus_tier"] = {int(k): v for k, v in tiers.items()}
    try:
        rules = Rules.model_validate(data)
    except ValidationError as exc:
        raise _validation_error(path.name, "", exc, {}) from None
    for item, runes in rules.golden_runes.items():
        if runes <= 0:
            raise InputError.one(
                path.name, f"golden_runes.{item}", runes, "a positive number of runes"
            )
    return rules


# ------------------------------------------------------------------ checks


def _need(file: str, where: str, value: str, known: Iterable[str], what: str) -> None:
    known = list(known)
    if value not in known:
        raise InputError.one(file, where, value, f"a known {what}", did_you_mean(value, known))


def _check_tokens(file: str, where: str, tokens: Iterable[str], world: World) -> None:
    names = access.token_names(world)
    for tok in tokens:
        bad = access.token_problem(tok, names)
        if bad is not None:
            value, expected = bad
            kind = tok.partition(":")[0].strip()
            raise InputError.one(
                file, where, value, expected, did_you_mean(value, names.get(kind, ()))
            )


def _check_references(
    world: World,
    zones: Rows[Zone],
    enemies: Rows[Enemy],
    rosters: Rows[RosterEntry],
    bosses: Rows[Boss],
    loot: Rows[Loot],
    farms: Rows[Farm],
    quests: Rows[QuestStep],
    route: Rows[RouteStep],
) -> None:
    zone_names = list(world.zones)
    enemy_keys = {(e.name, e.zone) for e in world.enemies}
    seen: dict[tuple[str, str], int] = {}
    for i, e in enemies:
        _need("enemies.csv", f"row {i}.zone", e.zone, zone_names, "zone")
        if (e.name, e.zone) in seen:
            raise InputError.one(
                "enemies.csv",
                f"row {i}.name",
                e.name,
                f"one row per enemy and zone (also row {seen[e.name, e.zone]})",
            )
        seen[e.name, e.zone] = i

    def need_enemy(file: str, where: str, name: str, zone: str) -> None:
        if (name, zone) not in enemy_keys:
            here = [n for n, z in enemy_keys if z == zone]
            raise InputError.one(
                file,
                where,
                name,
                f"an enemy of enemies.csv in zone {zone!r}",
                did_you_mean(name, here),
            )

    for i, r in rosters:
        _need("rosters.csv", f"row {i}.zone", r.zone, zone_names, "zone")
        need_enemy("rosters.csv", f"row {i}.enemy", r.enemy, r.zone)
    for i, z in zones:
        _check_tokens("zones.csv", f"row {i}.requires", z.requires, world)
        _check_tokens("zones.csv", f"row {i}.grants", z.grants, world)
    for i, b in bosses:
        _need("bosses.csv", f"row {i}.zone", b.zone, zone_names, "zone")
        _check_tokens("bosses.csv", f"row {i}.requires", b.requires, world)
    golden = list(world.rules.golden_runes)
    for i, x in loot:
        _need("loot.csv", f"row {i}.zone", x.zone, zone_names, "zone")
        _need(
            "loot.csv",
            f"row {i}.item",
            x.item,
            golden,
            "golden-rune item of rules.toml [golden_runes]",
        )
    for i, f in farms:
        _need("farms.csv", f"row {i}.zone", f.zone, zone_names, "zone")
        if not f.kills:
            raise InputError.one("farms.csv", f"row {i}.kills", "", "at least one ENEMY*COUNT")
        for k in f.kills:
            need_enemy("farms.csv", f"row {i}.kills", k.enemy, f.zone)
        _check_tokens("farms.csv", f"row {i}.requires", f.requires, world)
    for i, q in quests:
        _need("quests.csv", f"row {i}.zone", q.zone, zone_names, "zone")
        _check_tokens("quests.csv", f"row {i}.requires", q.requires, world)
    for i, step in route:
        if step.action == "explore":
            _need("route.csv", f"row {i}.target", step.target, zone_names, "zone")
        else:
            _need("route.csv", f"row {i}.target", step.target, list(world.bosses), "boss")


def _check_graph(world: World, zone_row: dict[str, int], boss_row: dict[str, int]) -> None:
    if START_ZONE not in world.zones:
        raise InputError.one("zones.csv", "name", START_ZONE, "the start zone to be listed")
    if world.zones[START_ZONE].requires:
        raise InputError.one(
            "zones.csv",
            f"row {zone_row[START_ZONE]}.requires",
            "; ".join(world.zones[START_ZONE].requires),
            "no requirement for the start zone",
        )
    cycle = access.requirement_cycle(world)
    if cycle:
        kind, _, first = cycle[0].partition(":")
        file, rows = ("zones.csv", zone_row) if kind == "zone" else ("bosses.csv", boss_row)
        where = f"row {rows[first]}.requires"
        raise InputError.one(file, where, " -> ".join(cycle), "an acyclic access graph")
    missing = access.unreachable(world)
    if missing["zones"]:
        z = missing["zones"][0]
        raise InputError.one(
            "zones.csv",
            f"row {zone_row[z]}.requires",
            "; ".join(world.zones[z].requires),
            f"requirements reachable from {START_ZONE}",
        )
    if missing["bosses"]:
        b = missing["bosses"][0]
        raise InputError.one(
            "bosses.csv",
            f"row {boss_row[b]}.requires",
            "; ".join(world.bosses[b].requires),
            f"requirements reachable from {START_ZONE}",
        )
