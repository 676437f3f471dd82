"""Batches of replications: chunks on this process, local processes or Dask, stored as they finish.

``run_batch`` is the one entry point; ``run_chunk`` is the function a worker runs.
Names are imported on first use, so a worker process imports only what a chunk needs.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["BatchOutcome", "DEFAULT_ENGINE", "Engine", "chunk_plan", "run_batch", "run_chunk"]

_HOME = {
    "BatchOutcome": "runner",
    "chunk_plan": "runner",
    "run_batch": "runner",
    "DEFAULT_ENGINE": "worker",
    "Engine": "worker",
    "run_chunk": "worker",
}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module 'sim.batch' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"sim.batch.{_HOME[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
