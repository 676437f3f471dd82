"""Analysis of runs: frames in, frames and dicts out; it never imports the model, reads
no stored file and runs nothing (``sim.experiments`` reads and runs).

``metrics.describe`` summarises one metric; ``survival`` handles times to a level
with right censoring; ``paired`` compares strategies replication by replication;
``sources`` and ``claims`` say where runes come from; ``compare`` pairs the runs of
scenarios made with common random numbers; ``summary`` makes ``summary.json``'s figures.
"""

from sim.analysis.metrics import describe

__all__ = ["describe"]
