"""The Arrow schema of every stored table, exactly as ``docs/architecture.md`` lists it.

The schemas are fixed so that a part's bytes depend only on its rows: the same
replications give the same file whatever the worker, the executor or the order
in which chunks finished. Only ``replications`` has columns that depend on the
scenario (one per recorded level and per recorded play time).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import pyarrow as pa

__all__ = [
    "TABLES",
    "schema",
    "hours_to_level_column",
    "level_at_hours_column",
    "replications_schema",
]

I64, F64, STR, BOOL = pa.int64(), pa.float64(), pa.string(), pa.bool_()

# replications columns before and after the per-level / per-hour columns
_REPLICATIONS_HEAD = [
    ("replication", I64),
    ("seed", I64),
    ("seed_entropy", STR),
    ("scenario", STR),
    ("strategy", STR),
    ("skill", F64),
    ("start_level", I64),
    ("final_level", I64),
]
_REPLICATIONS_TAIL = [
    ("finish_hours", F64),
    ("horizon_hours", F64),
    ("hours_played", F64),
    ("deaths", I64),
    ("boss_deaths", I64),
    ("invasions", I64),
    ("invasions_won", I64),
    ("bosses_defeated", I64),
    ("runes_earned", I64),
    ("runes_spent", I64),
    ("runes_held", I64),
    ("runes_in_bloodstain", I64),
    ("runes_lost", I64),
    ("exposed_hours", F64),  # hours exposed to invaders
    ("sim_events", I64),
    # the player's traits, quitting and deaths by cause (sim.model.replication.extra_columns)
    ("trait_appetite", F64),
    ("trait_main_share", F64),
    ("trait_tolerance", F64),
    ("trait_caution", F64),
    ("trait_spend_share", F64),
    ("trait_care", F64),
    ("trait_online", I64),  # 1: plays online and summons co-op partners at bosses
    ("trait_ashes", I64),  # 1: uses spirit ashes at bosses
    ("quit_hours", F64),  # NaN: did not quit
    ("finished", I64),  # 1: reached an ending
    ("runes_spent_other", I64),  # part of runes_spent not spent on levels
    ("deaths_enemy", I64),
    ("deaths_fall", I64),
    ("deaths_status", I64),
    ("deaths_runback", I64),
    ("deaths_pvp", I64),
]

_FIXED: dict[str, pa.Schema] = {
    "trajectories": pa.schema(
        [
            ("replication", I64),
            ("hours", F64),
            ("level", I64),
            ("runes_held", I64),
            ("runes_earned", I64),
            ("earned_enemy", I64),
            ("earned_boss", I64),
            ("earned_item", I64),
            ("earned_farm", I64),
            ("earned_invasion", I64),
            ("runes_spent", I64),
            ("runes_lost", I64),
            ("deaths", I64),
            ("zone", STR),
        ]
    ),
    "events": pa.schema(
        [
            ("replication", I64),
            ("hours", F64),
            ("event", STR),
            ("zone", STR),
            ("detail", STR),
            ("value", F64),
        ]
    ),
    "income": pa.schema(
        [
            ("replication", I64),
            ("source_kind", STR),
            ("source", STR),
            ("zone", STR),
            ("region", STR),
            ("tier", I64),
            ("zone_kind", STR),
            ("enemy_kind", STR),
            ("enemy_class", STR),
            ("activity", STR),
            ("count", I64),
            ("runes", I64),
        ]
    ),
    "activity": pa.schema(
        [
            ("replication", I64),
            ("zone", STR),
            ("region", STR),
            ("tier", I64),
            ("zone_kind", STR),
            ("invasion_zone", BOOL),
            ("activity", STR),
            ("hours", F64),
            ("deaths", I64),
            ("runes_earned", I64),
            ("runes_lost", I64),
            ("invasions", I64),
        ]
    ),
    "failures": pa.schema(
        [
            ("replication", I64),
            ("seed", I64),
            ("seed_entropy", STR),
            ("error", STR),
            ("traceback", STR),
        ]
    ),
}

# every stored table, in the order parts are written (replications last, so a
# chunk whose replications part exists has all its other parts too)
TABLES: tuple[str, ...] = (
    "trajectories",
    "events",
    "income",
    "activity",
    "failures",
    "replications",
)


def hours_to_level_column(level: int) -> str:
    """Column name of the play time at which ``level`` was first reached."""
    return f"hours_to_level_{int(level)}"


def level_at_hours_column(hours: float) -> str:
    """Column name of the level held at play time ``hours`` (``1.0`` -> ``_1``, ``2.5`` -> ``_2_5``)."""
    h = float(hours)
    return f"level_at_hours_{int(h) if h.is_integer() else str(h).replace('.', '_')}"


@lru_cache(maxsize=32)
def replications_schema(levels: Sequence[int] = (), level_hours: Sequence[float] = ()) -> pa.Schema:
    """The ``replications`` schema for the recorded levels and play times of a scenario."""
    middle = [(hours_to_level_column(lv), F64) for lv in levels]
    middle += [(level_at_hours_column(h), F64) for h in level_hours]
    return pa.schema(_REPLICATIONS_HEAD + middle + _REPLICATIONS_TAIL)


def schema(name: str, levels: Sequence[int] = (), level_hours: Sequence[float] = ()) -> pa.Schema:
    """The schema of table ``name``; ``levels`` and ``level_hours`` matter for ``replications`` only."""
    if name == "replications":
        return replications_schema(tuple(levels), tuple(level_hours))
    try:
        return _FIXED[name]
    except KeyError:
        raise ValueError(f"unknown table {name!r}; expected one of {', '.join(TABLES)}") from None
