"""A second process for a comparison: the claims, and the report's sections on the big tables.

Comparing the strategies reads each run's replications; measuring the claims reads its
largest tables (income, activity, the events); the report's sources section reads those
again. ``side_process()`` gives one more process, started at once (so its imports are
paid while the runs are made), where ``analyse(..., pool=)`` measures the claims and
``write_report(..., pool=)`` draws the sources section while this process compares and
draws the rest. The worker keeps the tables it read for the next task on the same runs
(``sim.experiments.comparison.worker_result``).
Every figure is computed as in one process: the comparison and the report are the same.
While the last run is made, this process imports what it imports late
(``import_late_modules``).
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import signal
import threading
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager

__all__ = [
    "SIDE_MIN_REPLICATIONS",
    "import_late_modules",
    "side_pool",
    "side_process",
]

# fewer replications per run than this: a second process costs more than it saves
SIDE_MIN_REPLICATIONS = 2000


def side_pool() -> ProcessPoolExecutor:
    """One worker process started with *spawn* now, its imports under way. Its numeric
    libraries keep this process's threads: a BLAS product's sums can differ in the last digit
    with another number of threads, and the figures must not depend on where they are made."""
    pool = ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start,
        initargs=(os.getpid(),),
    )
    pool.submit(_ready)  # the worker starts (and imports) while the runs are made
    return pool


@contextmanager
def side_process(wanted: bool = True) -> Iterator[Executor | None]:
    """``side_pool()`` if ``wanted`` and this machine has a second core (else None), shut down
    on leaving."""
    if not wanted or (os.cpu_count() or 1) < 2:
        yield None
        return
    pool = side_pool()
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# what this process imports late, for the comparison and the report
_LATE_IMPORTS = ("lifelines", "sim.plots")


def import_late_modules() -> threading.Thread:
    """Import what the comparison and the report import late, in a thread of this process, now
    (while the last run is made, this process mostly waits)."""

    def load() -> None:
        for name in _LATE_IMPORTS:
            importlib.import_module(name)

    thread = threading.Thread(target=load, name="late-imports", daemon=True)
    thread.start()
    return thread


def _start(parent: int) -> None:
    from sim.batch.executors import exit_with_parent

    signal.signal(signal.SIGINT, lambda *_: os._exit(130))
    exit_with_parent(parent)
    # what the tasks use, imported before the first one comes
    import sim.analysis.claims  # noqa: F401
    import sim.plots  # noqa: F401
    import sim.store.parts  # noqa: F401


def _ready() -> None:
    """Nothing: the worker is up."""
