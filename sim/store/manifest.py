"""``manifest.json`` (what was run, how, with which versions) and ``summary.json`` (headline
metrics).

The manifest makes a stored run reproducible: it holds the resolved scenario,
the seed, the number of replications, the chunks, the executor, timings and the
package and game-data versions. ``summary.json``'s figures are computed by
``sim.batch.summary``; this module only reads and writes the files.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from sim.errors import InputError
from sim.store.atomic import atomic_write_text

__all__ = [
    "MANIFEST",
    "SUMMARY",
    "read_manifest",
    "write_manifest",
    "read_summary",
    "write_summary",
]

MANIFEST = "manifest.json"
SUMMARY = "summary.json"


def read_manifest(run_dir: Path | str) -> dict[str, Any]:
    """The manifest of a stored run (``FileNotFoundError`` if there is none, InputError if
    damaged)."""
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
        raise InputError.one(
            str(path), "summary.json", f"(damaged: {err})", _SUMMARY_INTACT
        ) from None
    if not isinstance(data, dict):
        raise InputError.one(str(path), "summary.json", "(not a summary)", _SUMMARY_INTACT)
    return data


_SUMMARY_INTACT = "the summary runesim wrote; `runesim run ... --resume` writes it again"


def write_summary(run_dir: Path | str, summary: Mapping[str, Any]) -> Path:
    """Write ``summary.json`` (figures made by ``sim.batch.summary``) atomically, as strict JSON."""
    return atomic_write_text(Path(run_dir) / SUMMARY, _dumps(summary))


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
