"""Batches of replications: chunks on this process, local processes or Dask, stored as they finish.

``sim.batch.runner.run_batch`` is the one entry point; ``sim.batch.worker.run_chunk`` is the
function a worker runs. The package imports nothing itself, so a worker process that imports
``sim.batch.worker`` does not import the runner (its progress bar, manifest and store checks)
it never uses.
"""
