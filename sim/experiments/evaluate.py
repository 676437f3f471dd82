"""Replications on demand for experiments: blocks of several scenarios at once, on one pool.

Ranking and searching ask for small blocks of replications of several scenarios
many times over. ``Evaluator`` keeps one executor open for the whole experiment
(this process, local *spawn* processes, or a Dask cluster) and runs each block
with ``sim.batch.run_chunk``, the function every batch runs, so a replication here
is the same playthrough as replication ``k`` of ``runesim run`` with the same seed
(common random numbers across scenarios). Only the ``replications`` table of each
chunk is kept.

``KEEP_PLAYING`` is the override experiments apply by default (with
``sim.scenario.load.with_overrides``, the validated path ``--set`` takes): a ranking or a
search is about the pace of a player who keeps playing, so quitting is switched off
(quitting draws from its own random stream, so every other draw, and the pairing of
replications across routes, is the same with it on or off).
"""

from __future__ import annotations

import io
import math
import multiprocessing
import os
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING, Any

from sim.errors import InputError
from sim.scenario.schema import Scenario

if TYPE_CHECKING:  # the batch machinery, pandas and pyarrow load when replications first run
    import pandas as pd

    from sim.batch.worker import Engine

__all__ = ["Evaluator", "ReplicationFailed", "Request", "KEEP_PLAYING"]

Request = tuple[Scenario, int, int]  # scenario, first replication, stop (exclusive)
KEEP_PLAYING: dict[str, Any] = {"quitting.enabled": False}


class ReplicationFailed(RuntimeError):
    """A replication raised; an experiment cannot rank or search on a missing value."""


class Evaluator:
    """Run blocks of replications; ``with Evaluator(jobs=2) as ev: ev.run([(s, 0, 10)])``."""

    def __init__(
        self, jobs: int | None = None, scheduler: str | None = None, engine: Engine | None = None
    ) -> None:
        if jobs is not None and jobs < 1:
            raise InputError.one(None, "--jobs", jobs, "at least 1 worker")
        self.scheduler = scheduler
        self.workers = jobs or (2 if scheduler else (multiprocessing.cpu_count() or 1))
        self.engine = engine  # None: the default engine (sim.batch.worker.DEFAULT_ENGINE)
        self._pool: ProcessPoolExecutor | None = None
        self._client: Any = None
        self._cluster: Any = None
        self.replications_run = 0

    def __enter__(self) -> Evaluator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def record(self) -> dict[str, Any]:
        """How replications ran, for a manifest."""
        if self.scheduler:
            return {"kind": "dask", "scheduler": self.scheduler}
        return {"kind": "in-process" if self.workers == 1 else "processes", "workers": self.workers}

    def run(self, requests: Sequence[Request]) -> list[pd.DataFrame]:
        """The ``replications`` rows of each request, in replication order."""
        tasks: list[tuple[int, str, int, int]] = []
        for i, (scenario, start, stop) in enumerate(requests):
            text = scenario.model_dump_json()
            size = max(1, math.ceil((stop - start) / max(1, self._split(len(requests)))))
            for a in range(start, stop, size):
                tasks.append((i, text, a, min(a + size, stop)))
        results = self._map(tasks)
        frames: list[list[pd.DataFrame]] = [[] for _ in requests]
        for (i, _, _, _), result in zip(tasks, results, strict=True):
            if result["failed"]:
                scenario = requests[i][0]
                k = result["failed"][0]
                raise ReplicationFailed(
                    f"replication {k} of {scenario.name} (seed {scenario.seed}) raised; replay it "
                    f"with: runesim trace SCENARIO --replication {k} --set seed={scenario.seed}"
                )
            frames[i].append(_replications(result))
        self.replications_run += sum(stop - start for _, start, stop in requests)
        import pandas as pd

        return [
            pd.concat(f, ignore_index=True).sort_values("replication", ignore_index=True)
            for f in frames
        ]

    def _split(self, requests: int) -> int:
        # pieces per request: at least two tasks per worker, so that routes of unequal cost
        # share the workers evenly (one piece per request when running in this process)
        if self.workers == 1 and not self.scheduler:
            return 1
        return max(1, math.ceil(2 * self.workers / max(1, requests)))

    def _map(self, tasks: list[tuple[int, str, int, int]]) -> list[dict[str, Any]]:
        from sim.batch.worker import DEFAULT_ENGINE, run_chunk

        engine = self.engine or DEFAULT_ENGINE
        if self.scheduler:
            client = self._dask()
            futures = [
                client.submit(run_chunk, text, a, b, engine, pure=False) for _, text, a, b in tasks
            ]
            results = client.gather(futures)
            for f in futures:
                f.release()
            return list(results)
        if self.workers == 1:
            return [run_chunk(text, a, b, engine) for _, text, a, b in tasks]
        pool = self._processes()
        futures = [pool.submit(run_chunk, text, a, b, engine) for _, text, a, b in tasks]
        return [f.result() for f in futures]

    def _processes(self) -> ProcessPoolExecutor:
        if self._pool is None:
            from sim.batch.executors import one_thread_numerics

            one_thread_numerics()
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,  # quiet on Ctrl-C; ends with this process
                initargs=(os.getpid(),),
            )
        return self._pool

    def _dask(self) -> Any:
        if self._client is None:
            from sim.batch.executors import local_cluster, require_dask, watch_local_cluster

            require_dask(self.scheduler or "local")  # exit 2 naming the runesim[dask] extra
            from distributed import Client

            if self.scheduler == "local":
                self._cluster = local_cluster(self.workers)
                self._client = Client(self._cluster)
                watch_local_cluster(self._client)
                print(f"Dask dashboard: {self._client.dashboard_link}", file=sys.stderr)
            else:
                self._client = Client(self.scheduler)
        return self._client


def _start_worker(parent: int) -> None:
    """A worker's start (``sim.batch.executors.start_worker``, imported in the worker)."""
    from sim.batch.executors import start_worker

    start_worker(parent)


def _replications(result: dict[str, Any]) -> pd.DataFrame:
    import pyarrow.parquet as pq

    return pq.read_table(io.BytesIO(result["tables"]["replications"])).to_pandas()
