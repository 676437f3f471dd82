"""Where chunks run: in this process, on a pool of local processes, or on a Dask cluster.

Each executor is a generator of ``(chunk, result)`` pairs in completion order.
Only a small window of chunks is in flight at a time, and a result is dropped
as soon as the caller has stored it, so the parent's memory does not grow with
the number of replications. Closing the generator (normally, on Ctrl-C or on an
error) cancels whatever has not started.
"""

from __future__ import annotations

import importlib.util
import multiprocessing
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.batch.worker import Engine, arrow_without_pandas, run_chunk, run_chunks

__all__ = [
    "CONNECT_SECONDS",
    "DASK_EXTRA",
    "Chunk",
    "require_dask",
    "exit_with_parent",
    "local_cluster",
    "one_thread_numerics",
    "run_in_process",
    "run_on_dask",
    "run_on_processes",
    "start_worker",
    "task_plan",
    "watch_local_cluster",
    "watch_process",
]

CONNECT_SECONDS = 5  # a scheduler address that does not answer in this time is an error

# how to install what a Dask scheduler needs (an optional extra)
DASK_EXTRA = 'pip install "runesim[dask]"'

# chunks in flight per worker: enough to keep every worker busy between results
_WINDOW_PER_WORKER = 2

# replications one Dask task runs at most (in whole chunks): a task costs Dask about 10 ms of
# CPU in the scheduler, the client and the worker, so several chunks share one
TASK_REPLICATIONS = 100

# A local cluster's workers run one chunk at a time on this machine's cores, which the
# chunks need whole: no statistical profiler sampling the running chunk every 10 ms, no
# event-loop health tick every 20 ms in every worker, nanny and the scheduler, no work
# stealing (chunks are handed out one by one), and the monitors polled every few seconds.
LOCAL_CLUSTER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.admin.system-monitor.gil.enabled": False,
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.scheduler.work-stealing": False,
}


@dataclass(frozen=True)
class Chunk:
    """Chunk ``index``: replications ``start .. stop-1``."""

    index: int
    start: int
    stop: int


Results = Iterator[tuple[Chunk, dict[str, Any]]]


def run_in_process(chunks: Sequence[Chunk], scenario_json: str, engine: Engine) -> Results:
    """Run the chunks one after the other in this process (``--jobs 1``); as in a worker
    process, pyarrow converts the rows without importing pandas (``arrow_without_pandas``:
    about 0.5 s of CPU the chunks do not need; later readers still import it)."""
    arrow_without_pandas()
    for chunk in chunks:
        yield chunk, run_chunk(scenario_json, chunk.start, chunk.stop, engine)


def start_worker(parent: int | None = None) -> None:
    """Worker start-up: Ctrl-C ends the worker without a traceback (the parent reports it),
    the worker ends when ``parent``, the process that started it, is gone (no orphans), and
    pyarrow converts rows without importing pandas (``arrow_without_pandas``)."""
    signal.signal(signal.SIGINT, lambda *_: os._exit(130))
    exit_with_parent(os.getppid() if parent is None else parent)
    arrow_without_pandas()


def exit_with_parent(parent: int, every: float = 0.5) -> None:
    """End this process soon after process ``parent`` dies, however it died (SIGKILL too).

    On Linux the kernel sends SIGKILL when the parent exits (``PR_SET_PDEATHSIG``); a
    daemon thread also watches the parent's PID, which covers other systems and a
    parent that was not the one that started us.
    """
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the signal was set
        os._exit(1)
    watch_process(parent, every)


def watch_local_cluster(client: Any) -> None:
    """A local Dask cluster's nannies and workers end with this process, even when it is killed."""
    client.run(watch_process, os.getpid(), nanny=True)
    client.run(watch_process, os.getpid())


def watch_process(pid: int, every: float = 0.5) -> None:
    """End this process soon after process ``pid`` is gone (a daemon thread polls it)."""

    def watch() -> None:
        while True:
            time.sleep(every)
            if not _alive(pid):
                os._exit(1)

    threading.Thread(target=watch, name="runesim-parent-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def one_thread_numerics() -> None:
    """Local worker processes started from now on give their numeric libraries one thread:
    one replication is one thread of Python, and idle BLAS threads otherwise take CPU from
    the other workers (Dask's workers do the same). A setting in the environment wins."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")


def run_on_processes(
    chunks: Sequence[Chunk], scenario_json: str, engine: Engine, workers: int
) -> Results:
    """Run the chunks on ``workers`` local processes started with *spawn* (safe from notebooks)."""
    one_thread_numerics()
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=start_worker,
        initargs=(os.getpid(),),
    )
    todo = iter(chunks)
    pending: dict[Future, Chunk] = {}

    def submit_next() -> None:
        chunk = next(todo, None)
        if chunk is not None:
            future = pool.submit(run_chunk, scenario_json, chunk.start, chunk.stop, engine)
            pending[future] = chunk

    finished = False
    try:
        for _ in range(workers * _WINDOW_PER_WORKER):
            submit_next()
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                chunk = pending.pop(future)
                result = future.result()
                submit_next()
                yield chunk, result
        finished = True
    finally:
        # on an interruption, do not wait for chunks that were only queued
        pool.shutdown(wait=finished, cancel_futures=not finished)


def task_plan(chunks: Sequence[Chunk], workers: int) -> Iterator[list[Chunk]]:
    """The chunks, in order, grouped into tasks of neighbouring chunks (consecutive in a new
    batch; a resumed one groups the chunks it still has to run).

    Each worker's first task is one chunk (it carries the worker's start-up); then a task
    takes at most ``TASK_REPLICATIONS`` replications and at most a ``2 * workers``-th of the
    chunks left, so tasks shrink to single chunks as the batch ends and the workers finish
    together.
    """
    if not chunks:
        return
    size = max(1, chunks[0].stop - chunks[0].start)
    most = max(1, TASK_REPLICATIONS // size)
    i, singles = 0, max(1, workers)
    while i < len(chunks):
        take = 1 if singles else max(1, min(most, (len(chunks) - i) // (2 * max(1, workers))))
        singles = max(0, singles - 1)
        yield list(chunks[i : i + take])
        i += take


def require_dask(scheduler: str) -> None:
    """Refuse a Dask ``scheduler`` when Dask is not installed: an InputError naming the extra."""
    try:
        found = importlib.util.find_spec("distributed") is not None
    except (ImportError, ValueError):  # a broken or blocked install
        found = False
    if not found:
        from sim.errors import InputError

        raise InputError.one(
            None,
            "--scheduler",
            scheduler,
            f"Dask installed for a scheduler (an optional extra: {DASK_EXTRA}); "
            "or leave --scheduler out to run on local processes",
        )


def local_cluster(workers: int, scratch: Path | None = None) -> Any:
    """A loopback Dask LocalCluster of ``workers`` processes, one thread each, configured to
    leave the cores to the chunks (``LOCAL_CLUSTER_CONFIG``); ``scratch`` is its spill space."""
    import dask
    from distributed import LocalCluster

    # the scheduler and nannies read the configuration as they start; a worker process gets
    # its nanny's copy
    with dask.config.set(LOCAL_CLUSTER_CONFIG):
        return LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
            local_directory=str(scratch) if scratch is not None else None,
        )


def run_on_dask(
    chunks: Sequence[Chunk],
    scenario_json: str,
    engine: Engine,
    scheduler: str,
    workers: int | None,
    scratch: Path | None = None,
) -> Results:
    """Run the chunks on Dask: ``scheduler="local"`` starts a loopback LocalCluster, else connect.

    A task runs a few neighbouring chunks (``task_plan``). A remote cluster's workers need
    runesim installed (the same version) to import ``run_chunks``; Dask reruns a task
    elsewhere if its worker dies. A local cluster's
    spill space is ``scratch`` (inside the run directory), removed when the batch ends,
    and its workers end with this process. An address that does not answer within
    ``CONNECT_SECONDS`` is an error.
    """
    require_dask(scheduler)
    from distributed import Client, as_completed

    from sim.errors import RunError

    cluster = None
    try:
        if scheduler == "local":
            cluster = local_cluster(workers or 2, scratch)
            client = Client(cluster)
            watch_local_cluster(client)
            client.run(arrow_without_pandas)
            print(f"Dask dashboard: {client.dashboard_link}", file=sys.stderr)
        else:
            client = Client(scheduler, timeout=f"{CONNECT_SECONDS}s")
    except (OSError, TimeoutError) as err:
        if cluster is not None:
            cluster.close()
        raise RunError(
            f"{scheduler}: cannot reach the Dask scheduler ({err or type(err).__name__})"
        ) from None
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or (workers or 1))
        todo = task_plan(chunks, n_workers)
        pending: dict[Any, list[Chunk]] = {}
        results = as_completed()

        def submit_next() -> None:
            task = next(todo, None)
            if task is not None:
                spans = [(c.start, c.stop) for c in task]
                future = client.submit(run_chunks, scenario_json, spans, engine, pure=False)
                pending[future.key] = task
                results.add(future)

        for _ in range(n_workers * _WINDOW_PER_WORKER):
            submit_next()
        for future in results:
            task = pending.pop(future.key)
            done = future.result()
            future.release()
            submit_next()
            yield from zip(task, done, strict=True)
    finally:
        # closing the client cancels the chunks still queued on the cluster
        client.close()
        if cluster is not None:
            cluster.close()
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
