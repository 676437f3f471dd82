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
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal
from functools import cache
from typing import Annotated, Any

__all__ = [
    "ROW_GROUPS",
    "Trajectories",
    "ColumnsView",
    "UNBOOKED",
    "BLOCK_COLUMNS",
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
        cols = self.column_dict(0)
        del cols["replication"]
        return [dict(zip(cols, row, strict=True)) for row in zip(*cols.values(), strict=True)]


class _Blocks(ColumnBuffer):
    """Base of ``Trajectories``: the lists that say how its blocks expand to rows."""

    __slots__ = ("counts", "pending", "unbooked")

    def __post_init__(self) -> None:
        self.counts: list[int] = []
        self.pending: list[bool] = []
        self.unbooked: list[int] = []


@dataclass(slots=True)
class Trajectories(_Blocks):
    """trajectories: the state on the grid `0, grid, 2*grid, …, horizon` of each replication.

    Kept as blocks of rows between which the state did not change: ``hours`` holds one value
    per row, every other column one per block, of ``counts[b]`` rows. ``unbooked``: runes
    earned but not booked yet at each row of the blocks whose ``pending[b]`` is true, added
    to their ``runes_held``, ``runes_earned`` and ``earned_enemy`` (none for the others).
    """

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

    def column_dict(self, replication: int) -> dict[str, list]:
        """The rows as ``column -> values``, its ``replication`` column set to ``replication``."""
        counts = self.counts
        out: dict[str, list] = {"replication": [replication] * len(self), "hours": [*self.hours]}
        for name in BLOCK_COLUMNS:
            rows: list = []
            for v, n in zip(getattr(self, name), counts, strict=True):
                rows += [v] * n
            out[name] = rows
        for name in UNBOOKED if self.unbooked else ():
            column, extra, at = out[name], iter(self.unbooked), 0
            for n, pending in zip(counts, self.pending, strict=True):
                if pending:
                    column[at : at + n] = [v + next(extra) for v in column[at : at + n]]
                at += n
        return out

    def view(self, replication: int) -> ColumnsView:
        """``column_dict`` read column by column as needed, the blocks kept for the worker."""
        return ColumnsView(self, replication, _names(Trajectories))

    def reorder(self, order: list[int]) -> None:
        raise TypeError("trajectory rows are recorded in time order and kept as blocks")


# the trajectory columns held one value per block, and those a pending block's unbooked runes add to
BLOCK_COLUMNS = tuple(f.name for f in fields(Trajectories)[2:])  # not replication, hours
UNBOOKED = ("runes_held", "runes_earned", "earned_enemy")


class ColumnsView(Mapping[str, list]):
    """A replication's rows of one table as ``column -> values`` (``buffer.column_dict``), a
    column made when it is read; ``buffer`` keeps the rows as the model kept them (the worker
    reads them so). Only ``replication`` can be set (to a list of one value)."""

    __slots__ = ("buffer", "replication", "names", "_rows")

    def __init__(self, buffer: Any, replication: int, names: tuple[str, ...]) -> None:
        self.buffer = buffer  # with ``column_dict(replication)`` and ``len`` (rows)
        self.replication = replication
        self.names = names
        self._rows: dict[str, list] | None = None

    def __getitem__(self, name: str) -> list:
        if name == "replication":
            return [self.replication] * len(self.buffer)
        if self._rows is None:
            self._rows = self.buffer.column_dict(self.replication)
        return self._rows[name]

    def __setitem__(self, name: str, values: list) -> None:
        if name != "replication" or len(values) != len(self.buffer) or len(set(values)) > 1:
            raise ValueError("only the replication of these rows can be set, to one value")
        if values:
            self.replication = values[0]
            self._rows = None

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


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
