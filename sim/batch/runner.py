"""``run_batch``: replications in chunks, stored as they finish, resumable and extendable.

Chunk ``i`` holds replications ``[i*chunk_size, min((i+1)*chunk_size, n))`` and
replication ``k`` draws its random numbers from the scenario seed and ``k``
alone, so the stored parts are the same bytes whatever the executor, the number
of workers, the completion order, or whether the batch was stopped and resumed.
"""

from __future__ import annotations

import math
import os
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from sim.batch.executors import Chunk, Results, run_in_process, run_on_dask, run_on_processes
from sim.batch.manifest_record import executor_record, new_manifest, timings
from sim.batch.progress import BatchProgress
from sim.batch.stored import (
    MAX_JOBS,
    check_request,
    previous_run,
    revalidate,
    scenario_difference,
    store_chunk,
    verified_records,
)
from sim.batch.worker import DEFAULT_ENGINE, Engine, load_engine_world
from sim.errors import InputError, RunError
from sim.scenario.limits import MAX_REPLICATIONS
from sim.scenario.load import with_overrides
from sim.scenario.schema import Scenario
from sim.store.lock import RunLock
from sim.store.manifest import write_manifest, write_summary
from sim.store.parts import (
    clear_temporaries,
    part_path,
)
from sim.store.rundir import (
    SCRATCH,
    check_output_path,
    refuse_foreign,
    remove_run_files,
)
from sim.store.schemas import TABLES
from sim.store.verify import (
    clear_journal,
    verify_part,
)

__all__ = [
    "BatchOutcome",
    "run_batch",
    "chunk_plan",
    "scenario_difference",
    "revalidate",
    "MAX_JOBS",
]


@dataclass(frozen=True)
class BatchOutcome:
    """What a batch left in ``out``: ``n`` replications stored, ``failures`` of them failed."""

    out: Path
    n: int
    failures: int
    elapsed_seconds: float
    manifest: dict[str, Any] = field(repr=False)


def chunk_plan(n: int, chunk_size: int) -> list[Chunk]:
    """All chunks of a batch of ``n`` replications."""
    count = math.ceil(n / chunk_size)
    return [Chunk(i, i * chunk_size, min((i + 1) * chunk_size, n)) for i in range(count)]


def run_batch(
    scenario: Scenario,
    out: Path,
    *,
    n: int | None = None,
    jobs: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    extend: int = 0,
    overwrite: bool = False,
    progress: bool = True,
    scenario_file: Path | str | None = None,
    engine: Engine = DEFAULT_ENGINE,
    on_complete: Callable[[Path], object] | None = None,
) -> BatchOutcome:
    """Run the replications of ``scenario`` into ``out`` and write its manifest and summary.

    ``resume`` runs only the chunks a stopped batch did not store (or stored damaged);
    ``extend=k`` adds replications ``n .. n+k-1`` to a stored run (a partial last chunk is
    rerun whole, so the parts equal those of one batch of the larger n); ``overwrite``
    replaces a stored run. A new run needs a new or empty ``out``. ``jobs=1`` runs in this
    process, more on local *spawn* processes; ``scheduler`` ("local" or "tcp://host:port")
    runs on Dask instead. ``engine`` names the replication function and world loader.
    While it runs, ``out`` is locked: a second writer gets an InputError naming this one.
    ``on_complete(out)`` is called once the run is whole and its manifest written, before its
    summary is made (a comparison reads the run in another process meanwhile).
    """
    out = Path(out)
    file = str(scenario_file) if scenario_file is not None else None
    check_request(n, extend, jobs, resume, overwrite, file)
    scenario = revalidate(scenario, file)
    check_output_path(out)
    if out.is_dir() and not (resume or extend):
        refuse_foreign(out)  # before anything is written there (again under the lock)
    if not out.is_dir():
        if resume or extend:
            raise InputError.one(
                str(out),
                "--extend" if extend else "--resume",
                str(out),
                "a directory holding a stored run (manifest.json)",
            )
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise RunError.from_os(err, "cannot create the results directory") from None
    try:
        lock = RunLock(out).acquire()
    except OSError as err:
        raise RunError.from_os(err, "cannot write in the results directory") from None
    try:
        return _run_locked(
            scenario,
            out,
            n=n,
            jobs=jobs,
            scheduler=scheduler,
            resume=resume,
            extend=extend,
            overwrite=overwrite,
            progress=progress,
            file=file,
            engine=engine,
            on_complete=on_complete,
        )
    finally:
        lock.release()


def _run_locked(
    scenario: Scenario,
    out: Path,
    *,
    n: int | None,
    jobs: int | None,
    scheduler: str | None,
    resume: bool,
    extend: int,
    overwrite: bool,
    progress: bool,
    file: str | None,
    engine: Engine,
    on_complete: Callable[[Path], object] | None,
) -> BatchOutcome:
    previous = previous_run(
        out, scenario, resume=resume, extend=extend, n=n, overwrite=overwrite, file=file
    )
    if previous is not None:
        total = int(previous["replications"]) + extend
    else:
        total = scenario.replications if n is None else n
    if not 1 <= total <= MAX_REPLICATIONS:
        raise InputError.one(
            file, "replications", total, f"from 1 to {MAX_REPLICATIONS:,} replications in one run"
        )
    scenario = with_overrides(scenario, {"replications": total}, file)
    scenario_json = scenario.model_dump_json()
    plan = chunk_plan(total, scenario.chunk_size)
    try:
        if overwrite:
            remove_run_files(out)
        clear_temporaries(out)
        shutil.rmtree(out / SCRATCH, ignore_errors=True)  # a killed Dask run's spill space
        records = verified_records(out, plan, previous, repair=resume)
    except OSError as err:
        raise RunError.from_os(err, "cannot prepare the results directory") from None
    todo = [c for c in plan if c.index not in records]

    world = load_engine_world(engine.load_world)
    workers = _workers(jobs, scheduler, len(todo))
    executor = executor_record(jobs, scheduler, workers)
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    manifest = new_manifest(scenario, world, file, plan, executor, previous)
    manifest["parts"] = {str(i): records[i] for i in sorted(records)}
    manifest["sessions"].append({"started": started_at, "executor": executor, "chunks": len(todo)})
    try:
        write_manifest(out, dict(manifest, status="running"))
        clear_journal(out)
    except OSError as err:
        raise RunError.from_os(err, "cannot write the manifest") from None

    t0 = time.perf_counter()
    already = total - sum(c.stop - c.start for c in todo)
    session = _Session(done=already)
    status = "interrupted"
    failure: OSError | None = None
    try:
        with (
            BatchProgress(total, already, progress, scenario.name) as bar,
            ThreadPoolExecutor(len(TABLES), thread_name_prefix="runesim-store") as writers,
        ):
            for chunk, result in _executor(
                todo, scenario_json, engine, jobs, scheduler, workers, out
            ):
                try:
                    records[chunk.index] = store_chunk(out, chunk, result, writers)
                except OSError as err:  # a full disk, a directory gone read-only
                    failure = err
                    break
                session.add(result, time.perf_counter() - t0)
                bar.update(session.done, session.mean_level, session.failed)
        if failure is None:
            status = "complete"
    finally:
        elapsed = time.perf_counter() - t0
        failures = _finish_manifest(out, manifest, plan, records, status, session, elapsed)
    if failure is not None:
        done = manifest["replications_done"]
        raise RunError.from_os(
            failure,
            f"stopped after storing {done} of {total} replications (kept; continue with --resume)",
            exit_code=1,
        )
    if status == "complete":
        # the statistics (pandas, scipy) are imported here, never in a worker process
        from sim.batch.summary import summarise_run

        if on_complete is not None:
            on_complete(out)
        try:
            write_summary(out, summarise_run(out, scenario))
        except OSError as err:
            raise RunError.from_os(
                err, "cannot write the summary (the replications are kept; --resume writes it)", 1
            ) from None
    return BatchOutcome(out, total, failures, elapsed, manifest)


def _finish_manifest(
    out: Path,
    manifest: dict[str, Any],
    plan: list[Chunk],
    records: dict[int, dict],
    status: str,
    session: _Session,
    elapsed: float,
) -> int:
    """Fold this session's parts into the manifest and write it (if the disk lets us)."""
    stored = [c for c in plan if c.index in records]
    failures = sorted(r for c in stored for r in _failed_in(out, c.index, records[c.index]))
    manifest["status"] = status
    manifest["parts"] = {str(c.index): records[c.index] for c in stored}
    manifest["replications_done"] = sum(c.stop - c.start for c in stored)
    manifest["chunks"]["stored"] = len(stored)
    manifest["failures"] = len(failures)
    manifest["failed_replications"] = failures[:100]
    manifest["sessions"][-1].update(session.record(elapsed))
    manifest["timings"] = timings(manifest["sessions"])
    try:
        write_manifest(out, manifest)
        clear_journal(out)
    except OSError:
        pass  # the journal still records every stored chunk: --resume picks them up
    return len(failures)


def _failed_in(out: Path, index: int, record: dict) -> list[int]:
    if not record["tables"].get("failures", {}).get("rows"):
        return []
    data = verify_part(part_path(out, "failures", index), record["tables"]["failures"])
    return pq.read_table(pa.BufferReader(data), columns=["replication"]).column(0).to_pylist()


class _Session:
    """Running statistics of the chunks stored in this session (a few numbers, not rows)."""

    def __init__(self, done: int) -> None:
        self.done = done
        self.ran = 0
        self.failed = 0
        self.level_sum = 0
        self.levels = 0
        self.sim_events = 0
        self.worker_seconds = 0.0
        self.worker_cpu_seconds = 0.0
        self.replicate_cpu_seconds = 0.0
        self.encode_cpu_seconds = 0.0
        self.first_chunk_seconds: float | None = None

    def add(self, result: dict[str, Any], seconds: float) -> None:
        if self.first_chunk_seconds is None:
            # start-up (workers spawned, world loaded, first chunk run): steady rates exclude it
            self.first_chunk_seconds = seconds
        ran = result["done"] + len(result["failed"])
        self.done += ran
        self.ran += ran
        self.failed += len(result["failed"])
        self.level_sum += result["final_level_sum"]
        self.levels += result["done"]
        self.sim_events += result["sim_events"]
        self.worker_seconds += result["seconds"]
        self.worker_cpu_seconds += result["cpu_seconds"]
        self.replicate_cpu_seconds += result.get("replicate_cpu_seconds", 0.0)
        self.encode_cpu_seconds += result.get("encode_cpu_seconds", 0.0)

    @property
    def mean_level(self) -> float | None:
        return self.level_sum / self.levels if self.levels else None

    def record(self, elapsed: float) -> dict[str, Any]:
        return {
            "finished": datetime.now(UTC).isoformat(timespec="seconds"),
            "replications_run": self.ran,
            "failed": self.failed,
            "elapsed_seconds": round(elapsed, 3),
            "worker_seconds": round(self.worker_seconds, 3),
            # below worker_seconds when workers waited for a CPU (other processes, too few cores)
            "worker_cpu_seconds": round(self.worker_cpu_seconds, 3),
            # of worker_cpu_seconds: in the replication function, and encoding the parts
            "worker_replicate_cpu_seconds": round(self.replicate_cpu_seconds, 3),
            "worker_encode_cpu_seconds": round(self.encode_cpu_seconds, 3),
            "first_chunk_seconds": _round(self.first_chunk_seconds),
            "sim_events": self.sim_events,
            "replications_per_second": round(self.ran / elapsed, 3) if elapsed > 0 else None,
            "sim_events_per_second": round(self.sim_events / elapsed, 1) if elapsed > 0 else None,
        }


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


def _workers(jobs: int | None, scheduler: str | None, chunks: int) -> int:
    if scheduler is not None:
        return jobs or 2
    wanted = jobs if jobs is not None else (os.cpu_count() or 1)
    return max(1, min(wanted, chunks))


def _executor(
    todo: list[Chunk],
    scenario_json: str,
    engine: Engine,
    jobs: int | None,
    scheduler: str | None,
    workers: int,
    out: Path,
) -> Results:
    if not todo:  # a resumed run that had every chunk stored: nothing to start
        return iter(())
    if scheduler is not None:
        return run_on_dask(todo, scenario_json, engine, scheduler, jobs, scratch=out / SCRATCH)
    if workers == 1:
        return run_in_process(todo, scenario_json, engine)
    return run_on_processes(todo, scenario_json, engine, workers)
