"""A stored run's ``summary.json`` figures: its tables read, summarised by ``sim.analysis``."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa

from sim.analysis.summary import players_summary, summarise, summary_columns
from sim.scenario.schema import Scenario
from sim.store.parts import read_table

__all__ = ["summarise_run"]


def summarise_run(run_dir: Path | str, scenario: Scenario | Mapping[str, Any]) -> dict[str, Any]:
    """The ``summary.json`` contents of the run stored in ``run_dir``.

    ``scenario`` is the resolved Scenario (or its JSON dump) the run was made with.
    """
    dump = scenario if isinstance(scenario, Mapping) else scenario.model_dump(mode="json")
    levels = tuple(dump.get("record", {}).get("levels", ()))
    frame = read_table(run_dir, "replications", columns=summary_columns(levels))
    failed = len(read_table(run_dir, "failures", columns=["replication"]))
    summary = summarise(frame, dump, levels, failed=failed)
    try:
        reps = read_table(run_dir, "replications", columns=["finish_hours", "quit_hours"])
    except (KeyError, ValueError, pa.ArrowInvalid):  # a run stored before quitting was recorded
        return summary
    events = read_table(
        run_dir, "events", columns=["replication", "hours", "event", "detail", "value"]
    )
    summary.update(players_summary(reps, events))
    return summary
