"""Every stored table's columns, declared once, and the labels of the level milestones.

Each table is a record class whose fields are its columns in stored order, typed
(``int`` is stored as int64, ``float`` as float64, ``str`` as string, ``bool`` as bool)
and annotated with their meaning. Tables with many rows per replication are column
buffers: each field is a list the model appends to as it runs (no object per row).
The ``replications`` table is one row per replication, a head and a tail record with
the milestone columns between them (one per recorded level, one per recorded hour).
The Arrow schemas (``sim.store.schemas``) and the column tables of
``docs/architecture.md`` are generated from these records.

This module imports nothing from ``sim``: every layer may use it.
"""

from __future__ import annotations

import math
import re
import typing
from dataclasses import dataclass, field, fields
from decimal import Decimal
from functools import cache
from typing import Annotated, Any

__all__ = [
    "ROW_GROUPS",
    "Trajectories",
    "Events",
    "Income",
    "Activity",
    "Failure",
    "ReplicationHead",
    "ReplicationTail",
    "ColumnBuffer",
    "Column",
    "columns",
    "row_dict",
    "hours_to_level_column",
    "level_at_hours_column",
    "level_of_column",
    "hours_of_column",
    "is_hours_to_level",
    "is_level_at_hours",
]

# the tables a replication fills with rows of its own (``ReplicationResult`` has one field
# each, named as the table); its ``replications`` row is its ``summary``
ROW_GROUPS = ("trajectories", "events", "income", "activity")

HOURS_TO_LEVEL = "hours_to_level_"
LEVEL_AT_HOURS = "level_at_hours_"
_HOURS_TO_LEVEL = re.compile(HOURS_TO_LEVEL + "([0-9]+)")
_LEVEL_AT_HOURS = re.compile(LEVEL_AT_HOURS + "([0-9]+)(?:_([0-9]+))?")


# level milestones ---------------------------------------------------------------------
def hours_to_level_column(level: int) -> str:
    """Column of the play time at which ``level`` was first reached (``hours_to_level_80``)."""
    return f"{HOURS_TO_LEVEL}{int(level)}"


def level_at_hours_column(hours: float) -> str:
    """Column of the level held at play time ``hours``: ``10`` -> ``level_at_hours_10``,
    ``2.5`` -> ``level_at_hours_2_5`` (an integer hour as is, ``_`` for the point)."""
    h = float(hours)
    if not math.isfinite(h) or h < 0:
        raise ValueError(f"play time {hours!r} is not a number of hours")
    # the shortest decimal that reads back as h, without an exponent (1e-05 -> 0.00001)
    text = str(int(h)) if h.is_integer() else format(Decimal(repr(h)), "f")
    return LEVEL_AT_HOURS + text.replace(".", "_")


def is_hours_to_level(column: object) -> bool:
    """True for a ``hours_to_level_<L>`` column."""
    return level_of_column(column) is not None


def is_level_at_hours(column: object) -> bool:
    """True for a ``level_at_hours_<H>`` column."""
    return hours_of_column(column) is not None


def level_of_column(column: object) -> int | None:
    """The level of a ``hours_to_level_<L>`` column (None for any other column)."""
    m = _HOURS_TO_LEVEL.fullmatch(str(column))
    return int(m[1]) if m else None


def hours_of_column(column: object) -> float | None:
    """The play time of a ``level_at_hours_<H>`` column (``level_at_hours_2_5`` -> 2.5;
    None for any other column); the inverse of ``level_at_hours_column``."""
    m = _LEVEL_AT_HOURS.fullmatch(str(column))
    if not m:
        return None
    return float(f"{m[1]}.{m[2]}" if m[2] else m[1])


# the records ------------------------------------------------------------------------------
def _rows() -> Any:
    """An empty column of a column buffer."""
    return field(default_factory=list)


class ColumnBuffer:
    """Base of the column buffers: a table's columns as lists, appended row by row."""

    __slots__ = ()

    def column_dict(self, replication: int) -> dict[str, list]:
        """The buffer as ``column -> values``, its ``replication`` column set to ``replication``."""
        out = {name: getattr(self, name) for name in _names(type(self))}
        out["replication"] = [replication] * len(self)
        return out

    def __len__(self) -> int:
        # rows: the length of the second column (the first, ``replication``, is filled last)
        return len(getattr(self, _names(type(self))[1]))

    def reorder(self, order: list[int]) -> None:
        """Put the rows in ``order`` (a permutation of the row numbers)."""
        for f in fields(self)[1:]:  # type: ignore[arg-type]
            values = getattr(self, f.name)
            values[:] = [values[i] for i in order]

    def rows(self) -> list[dict[str, Any]]:
        """The rows as ``column -> value`` (for reading, not for the hot path)."""
        names = [f.name for f in fields(self)[1:]]  # type: ignore[arg-type]
        values = zip(*(getattr(self, n) for n in names), strict=True)
        return [dict(zip(names, row, strict=True)) for row in values]


@dataclass(slots=True)
class Trajectories(ColumnBuffer):
    """trajectories: the state on the grid `0, grid, 2*grid, …, horizon` of each replication."""

    replication: list[int] = _rows()
    hours: Annotated[list[float], "the grid time"] = _rows()
    level: list[int] = _rows()
    runes_held: list[int] = _rows()
    runes_earned: Annotated[list[int], "so far, from every source"] = _rows()
    earned_enemy: list[int] = _rows()
    earned_boss: list[int] = _rows()
    earned_item: Annotated[list[int], "golden runes used"] = _rows()
    earned_farm: list[int] = _rows()
    earned_invasion: list[int] = _rows()
    runes_spent: list[int] = _rows()
    runes_lost: Annotated[list[int], "lost for good (a bloodstain not recovered)"] = _rows()
    deaths: list[int] = _rows()
    zone: Annotated[list[str], "where the player is"] = _rows()


@dataclass(slots=True)
class Events(ColumnBuffer):
    """events: one row per event, in time order."""

    replication: list[int] = _rows()
    hours: Annotated[list[float], "when it happened"] = _rows()
    event: Annotated[list[str], "what happened (the list below)"] = _rows()
    zone: list[str] = _rows()
    detail: Annotated[list[str], "what it was about (boss, activity, item, …)"] = _rows()
    value: Annotated[list[float], "a number that goes with it (NaN: none)"] = _rows()

    def add(self, hours: float, event: str, zone: str, detail: str, value: float) -> None:
        """Log one event."""
        self.hours.append(hours)
        self.event.append(event)
        self.zone.append(zone)
        self.detail.append(detail)
        self.value.append(value)


@dataclass(slots=True)
class Income(ColumnBuffer):
    """income: runes earned, per replication, source, zone and activity."""

    replication: list[int] = _rows()
    source_kind: Annotated[list[str], "enemy, boss, item, farm or invasion"] = _rows()
    source: list[str] = _rows()
    zone: list[str] = _rows()
    region: list[str] = _rows()
    tier: list[int] = _rows()
    zone_kind: Annotated[list[str], "overworld, legacy dungeon, underground, …"] = _rows()
    enemy_kind: Annotated[list[str], "empty unless an enemy"] = _rows()
    enemy_class: Annotated[list[str], "empty unless an enemy"] = _rows()
    activity: Annotated[list[str], "explore, grind, farm, boss, quest or duel"] = _rows()
    count: Annotated[list[int], "kills, finds or wins"] = _rows()
    runes: list[int] = _rows()


@dataclass(slots=True)
class Activity(ColumnBuffer):
    """activity: play time, deaths and losses per replication, zone and activity."""

    replication: list[int] = _rows()
    zone: list[str] = _rows()
    region: list[str] = _rows()
    tier: list[int] = _rows()
    zone_kind: list[str] = _rows()
    invasion_zone: Annotated[list[bool], "the zone is invasion-prone"] = _rows()
    activity: list[str] = _rows()
    hours: Annotated[list[float], "play time spent there"] = _rows()
    deaths: list[int] = _rows()
    runes_earned: list[int] = _rows()
    runes_lost: Annotated[list[int], "booked where the lost bloodstain lay"] = _rows()
    invasions: list[int] = _rows()


@dataclass(frozen=True, slots=True)
class Failure:
    """failures: one row per replication that raised."""

    replication: int
    seed: int
    seed_entropy: Annotated[str, "enough to run it again (`runesim trace`)"]
    error: Annotated[str, "exception type and message"]
    traceback: str


@dataclass(frozen=True, slots=True)
class ReplicationHead:
    """replications: one row per replication.

    These columns, then one ``hours_to_level_<L>`` per level of ``record.levels`` and one
    ``level_at_hours_<H>`` per play time of ``record.level_hours``, then the tail."""

    replication: int
    seed: int
    seed_entropy: Annotated[str, "`SeedSequence(entropy=<seed>, spawn_key=(<index>,))`"]
    scenario: str
    strategy: str
    skill: Annotated[float, "the player's skill draw (levels of effective power)"]
    start_level: int
    final_level: int


@dataclass(frozen=True, slots=True)
class ReplicationTail:
    """The columns of ``replications`` after the milestones."""

    finish_hours: Annotated[float, "NaN: not finished by the horizon"]
    horizon_hours: float
    hours_played: Annotated[float, "until the ending, the route's end, quitting or the horizon"]
    deaths: int
    boss_deaths: int
    invasions: int
    invasions_won: int
    bosses_defeated: int
    runes_earned: int
    runes_spent: int
    runes_held: int
    runes_in_bloodstain: int
    runes_lost: int
    exposed_hours: Annotated[float, "hours exposed to invaders"]
    sim_events: Annotated[int, "events SimPy scheduled"]
    trait_appetite: float
    trait_main_share: float
    trait_tolerance: float
    trait_caution: float
    trait_spend_share: float
    trait_care: float
    trait_online: Annotated[int, "1: plays online and summons co-op partners at bosses"]
    trait_ashes: Annotated[int, "1: uses spirit ashes at bosses"]
    quit_hours: Annotated[float, "NaN: did not quit"]
    finished: Annotated[int, "1: reached an ending"]
    runes_spent_other: Annotated[int, "part of runes_spent not spent on levels"]
    deaths_enemy: int
    deaths_fall: int
    deaths_status: int
    deaths_runback: int
    deaths_pvp: Annotated[int, "deaths by cause; boss_deaths is the rest"]


# reading the records -------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Column:
    """One declared column: its name, stored type (int64, float64, string, bool), meaning."""

    name: str
    type: str
    doc: str = ""


_TYPES = {int: "int64", float: "float64", str: "string", bool: "bool"}


@cache
def columns(record: type) -> tuple[Column, ...]:
    """The columns a record class declares, in stored order."""
    hints = typing.get_type_hints(record, include_extras=True)
    out = []
    for f in fields(record):
        hint = hints[f.name]
        doc = ""
        if typing.get_origin(hint) is Annotated:
            hint, doc = typing.get_args(hint)[:2]
        if typing.get_origin(hint) is list:
            (hint,) = typing.get_args(hint)
        out.append(Column(f.name, _TYPES[hint], doc))
    return tuple(out)


def row_dict(record: Any) -> dict[str, Any]:
    """A one-row record as ``column -> value``, in stored order."""
    return {name: getattr(record, name) for name in _names(type(record))}


_NAMES: dict[type, tuple[str, ...]] = {}


def _names(record: type) -> tuple[str, ...]:
    """The field names of a record class, in order (looked up once per class)."""
    names = _NAMES.get(record)
    if names is None:
        names = _NAMES[record] = tuple(f.name for f in fields(record))
    return names
