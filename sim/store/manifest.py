"""``manifest.json`` (what was run, how, with which versions) and ``summary.json`` (headline metrics).

The manifest makes a stored run reproducible: it holds the resolved scenario,
the seed, the number of replications, the chunks, the executor, timings and the
package and game-data versions. ``summary.json`` holds only what follows from
the stored rows, so two runs of the same scenario and seed write the same
summary bytes whatever the executor.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from sim.errors import InputError
from sim.store.atomic import atomic_write_text
from sim.store.parts import read_table
from sim.store.schemas import hours_to_level_column

__all__ = [
    "MANIFEST",
    "SUMMARY",
    "read_manifest",
    "write_manifest",
    "read_summary",
    "write_summary",
    "summarise",
]

MANIFEST = "manifest.json"
SUMMARY = "summary.json"

# summary metrics read straight from a replications column: name -> (column, censored where NaN)
_PLAIN_METRICS = {
    "final_level": False,
    "deaths": False,
    "runes_earned": False,
    "runes_lost": False,
    "finish_hours": True,
}


def read_manifest(run_dir: Path | str) -> dict[str, Any]:
    """The manifest of a stored run (``FileNotFoundError`` if there is none, InputError if damaged)."""
    path = Path(run_dir) / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as err:  # not UTF-8, not JSON
        raise InputError.one(str(path), "manifest.json", f"(damaged: {err})", _INTACT) from None
    if not isinstance(data, dict) or not isinstance(data.get("scenario"), dict):
        raise InputError.one(str(path), "manifest.json", "(not a run's manifest)", _INTACT)
    return data


_INTACT = (
    "the manifest runesim wrote; the run cannot be continued without it: "
    "start again with --overwrite, or into another --out"
)


def write_manifest(run_dir: Path | str, manifest: Mapping[str, Any]) -> Path:
    """Write the manifest atomically."""
    return atomic_write_text(Path(run_dir) / MANIFEST, _dumps(manifest))


def read_summary(run_dir: Path | str) -> dict[str, Any]:
    """The ``summary.json`` of a stored run (InputError if damaged)."""
    path = Path(run_dir) / SUMMARY
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as err:
        raise InputError.one(str(path), "summary.json", f"(damaged: {err})", _SUMMARY_INTACT) from None
    if not isinstance(data, dict):
        raise InputError.one(str(path), "summary.json", "(not a summary)", _SUMMARY_INTACT)
    return data


_SUMMARY_INTACT = "the summary runesim wrote; `runesim run ... --resume` writes it again"


def write_summary(run_dir: Path | str, scenario: Any) -> dict[str, Any]:
    """Compute the headline metrics from the stored replications, write ``summary.json``, return it.

    ``scenario`` is the resolved Scenario (or its JSON dump) the run was made with.
    """
    dump = scenario if isinstance(scenario, Mapping) else scenario.model_dump(mode="json")
    levels = tuple(dump.get("record", {}).get("levels", ()))
    columns = ["replication", "hours_played", *_PLAIN_METRICS]
    columns += [hours_to_level_column(lv) for lv in levels]
    frame = read_table(run_dir, "replications", columns=columns)
    failed = len(read_table(run_dir, "failures", columns=["replication"]))
    summary = summarise(frame, dump, levels, failed=failed)
    summary.update(players_summary(run_dir))
    atomic_write_text(Path(run_dir) / SUMMARY, _dumps(summary))
    return summary


def players_summary(run_dir: Path | str) -> dict[str, Any]:
    """``finished`` (shares who reached an ending, quit, still played at the horizon) and
    ``bosses`` (the per-boss table: sim.analysis.bosses) of a stored run."""
    from sim.analysis.bosses import boss_table, finish_shares

    try:
        reps = read_table(run_dir, "replications", columns=["finish_hours", "quit_hours"])
    except (KeyError, ValueError, pa.ArrowInvalid):  # a run stored before quitting was recorded
        return {}
    events = read_table(run_dir, "events", columns=["replication", "hours", "event", "detail", "value"])
    table = boss_table(events, len(reps))
    return {"finished": finish_shares(reps), "bosses": table.to_dict(orient="records")}


def summarise(
    frame: pd.DataFrame, scenario: Mapping[str, Any], levels: tuple[int, ...], failed: int = 0
) -> dict[str, Any]:
    """``summary.json`` contents from the replications rows of a run.

    ``replications`` counts every replication run; the metrics are over the
    ``replications - failed`` that finished without an error.
    """
    # imported here: sim.analysis reads stored runs through this package
    from sim.analysis.metrics import describe

    horizon = float(scenario.get("horizon_hours", np.nan))
    played = frame["hours_played"].to_numpy(dtype=float)
    metrics: dict[str, Any] = {}
    for name, censorable in _PLAIN_METRICS.items():
        metrics[name] = _describe(describe, frame[name], played, horizon if censorable else None)
    for lv in levels:
        column = frame[hours_to_level_column(lv)]
        metrics[f"hours_to_level.{lv}"] = _describe(describe, column, played, horizon)
    return {
        "scenario": scenario.get("name"),
        "replications": int(len(frame)) + failed,
        "failed": failed,
        "seed": scenario.get("seed"),
        "metrics": metrics,
    }


def _describe(
    describe: Any, column: pd.Series, played: np.ndarray, horizon: float | None
) -> dict[str, Any]:
    """``describe`` one column; with a ``horizon``, NaN means censored at the hours played."""
    values = column.to_numpy(dtype=float)
    if horizon is None:
        return dict(describe(values))
    censored = np.isnan(values)
    # a replication that never got there was watched for the hours it played
    times = np.where(censored, played, values)
    return dict(describe(times, censored=censored, horizon=horizon))


def _dumps(obj: Any) -> str:
    return json.dumps(_plain(obj), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _plain(obj: Any) -> Any:
    """Make ``obj`` strict JSON: numpy scalars to Python, NaN and infinities to null."""
    if isinstance(obj, Mapping):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    if isinstance(obj, np.generic):
        obj = obj.item()
    if isinstance(obj, np.ndarray):
        return [_plain(v) for v in obj.tolist()]
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj
