"""Batches of replications: chunks on this process, local processes or Dask, stored as they finish.

``run_batch`` is the one entry point; ``run_chunk`` is the function a worker runs.
"""

from sim.batch.runner import BatchOutcome, chunk_plan, run_batch
from sim.batch.worker import DEFAULT_ENGINE, Engine, run_chunk

__all__ = ["BatchOutcome", "DEFAULT_ENGINE", "Engine", "chunk_plan", "run_batch", "run_chunk"]
