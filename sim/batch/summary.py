"""A stored run's ``summary.json`` figures: its tables read, summarised by ``sim.analysis``.

Only what the figures need is read: a few columns of ``replications`` (one row per
replication) and, part by part, the boss and quit events of ``events`` (its other rows,
nearly all of them, are dropped as each part is read), so the memory a summary takes
grows with the replications' rows, not with everything they logged.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa

from sim.analysis.summary import players_summary, summarise, summary_columns
from sim.scenario.schema import Scenario
from sim.store.parts import read_table

__all__ = ["PLAYER_EVENTS", "summarise_run"]

# the events ``players_summary`` reads (the boss table's fights and the quits after a loss)
PLAYER_EVENTS = ("boss_win", "boss_loss", "quit")


def summarise_run(run_dir: Path | str, scenario: Scenario | Mapping[str, Any]) -> dict[str, Any]:
    """The ``summary.json`` contents of the run stored in ``run_dir``.

    ``scenario`` is the resolved Scenario (or its JSON dump) the run was made with.
    """
    dump = scenario if isinstance(scenario, Mapping) else scenario.model_dump(mode="json")
    levels = tuple(dump.get("record", {}).get("levels", ()))
    wanted = summary_columns(levels)
    players = ["finish_hours", "quit_hours"]
    try:
        frame = read_table(run_dir, "replications", columns=list(dict.fromkeys(wanted + players)))
    except (KeyError, ValueError, pa.ArrowInvalid):  # a run stored before quitting was recorded
        frame = read_table(run_dir, "replications", columns=wanted)
    failed = len(read_table(run_dir, "failures", columns=["replication"]))
    summary = summarise(frame[wanted], dump, levels, failed=failed)
    if "quit_hours" not in frame:
        return summary
    events = read_table(
        run_dir,
        "events",
        columns=["replication", "hours", "event", "detail", "value"],
        keep=_player_events,
    )
    summary.update(players_summary(frame[players], events))
    return summary


def _player_events(part: pa.Table) -> pa.Table:
    import pyarrow.compute as pc

    return part.filter(pc.is_in(part["event"], pa.array(PLAYER_EVENTS)))
