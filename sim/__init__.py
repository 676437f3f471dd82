"""runesim: a discrete-event Monte Carlo simulator of ELDEN RING playthroughs.

The public surface, by layer (each imports only from those below it; the contract is
in ``pyproject.toml``, checked by ``lint-imports``):

- ``sim.api``: load, run, compare, rank, measure and plot in one call each (notebooks);
- ``sim.cli``: the ``runesim`` command line;
- ``sim.report``: the self-contained HTML report;
- ``sim.experiments``: comparisons, rankings, route search, sensitivity on top of batches;
- ``sim.batch``: ``run_batch``, replications in chunks on processes or Dask;
- ``sim.analysis``: frames in, frames and dicts out; ``sim.plots``: Axes out;
- ``sim.store``: a stored run's files (Parquet parts, manifest, summary);
- ``sim.model``: one replication (SimPy); ``sim.strategy``: what the player does next;
- ``sim.scenario``: ``load_scenario``, validated and frozen; ``sim.world``: ``load_world``.

Importing ``sim`` imports none of them, so ``runesim --help`` starts fast:
``from sim import api``.
"""

__version__ = "0.1.0"
__all__ = [
    "__version__",
    "api",
    "cli",
    "report",
    "experiments",
    "batch",
    "analysis",
    "plots",
    "store",
    "model",
    "strategy",
    "scenario",
    "world",
]
