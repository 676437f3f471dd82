"""Batches of replications: chunks on this process, local processes or Dask, stored as they finish.

``run_batch`` is the one entry point; ``run_chunk`` is the function a worker runs. The names
are imported on first use, so a worker process that imports ``sim.batch.worker`` does not
import the runner (its progress bar, manifest and store checks) it never uses.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.batch.runner import BatchOutcome, chunk_plan, run_batch
    from sim.batch.worker import DEFAULT_ENGINE, Engine, run_chunk

__all__ = ["BatchOutcome", "DEFAULT_ENGINE", "Engine", "chunk_plan", "run_batch", "run_chunk"]

_HOME = {
    "BatchOutcome": "sim.batch.runner",
    "chunk_plan": "sim.batch.runner",
    "run_batch": "sim.batch.runner",
    "DEFAULT_ENGINE": "sim.batch.worker",
    "Engine": "sim.batch.worker",
    "run_chunk": "sim.batch.worker",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'sim.batch' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
