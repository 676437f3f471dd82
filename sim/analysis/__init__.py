"""Analysis of stored runs: frames in, frames and dicts out; never imports the model.

``metrics.describe`` summarises one metric; ``survival`` handles times to a level
with right censoring; ``paired`` compares strategies replication by replication;
``sources`` and ``claims`` say where runes come from; ``compare`` runs and compares
scenarios with common random numbers.
"""

from sim.analysis.metrics import describe

__all__ = ["describe"]
