"""``run_batch``: replications in chunks, stored as they finish, resumable and extendable.

Chunk ``i`` holds replications ``[i*chunk_size, min((i+1)*chunk_size, n))`` and
replication ``k`` draws its random numbers from the scenario seed and ``k``
alone, so the stored parts are the same bytes whatever the executor, the number
of workers, the completion order, or whether the batch was stopped and resumed.
"""

from __future__ import annotations

import math
import os
import platform
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

import sim
from sim.batch.executors import Chunk, run_in_process, run_on_dask, run_on_processes
from sim.batch.progress import BatchProgress
from sim.batch.worker import DEFAULT_ENGINE, Engine, load_engine_world
from sim.errors import InputError
from sim.scenario.schema import Scenario
from sim.store.manifest import read_manifest, write_manifest, write_summary
from sim.store.parts import (
    clear_temporaries,
    complete_chunks,
    part_indices,
    part_path,
    read_arrow,
    write_part_bytes,
)
from sim.store.schemas import TABLES

__all__ = ["BatchOutcome", "run_batch", "chunk_plan", "scenario_difference"]

MANIFEST_FORMAT = 1


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


def scenario_difference(stored: Any, given: Any, path: str = "") -> tuple[str, Any, Any] | None:
    """The first key path where two scenario dumps differ, with both values; None if equal."""
    if isinstance(stored, dict) and isinstance(given, dict):
        for key in sorted(stored.keys() | given.keys()):
            sub = f"{path}.{key}" if path else key
            hit = scenario_difference(stored.get(key), given.get(key), sub)
            if hit is not None:
                return hit
        return None
    return None if stored == given else (path, stored, given)


def run_batch(
    scenario: Scenario,
    out: Path,
    *,
    n: int | None = None,
    jobs: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    extend: int = 0,
    progress: bool = True,
    scenario_file: Path | str | None = None,
    engine: Engine = DEFAULT_ENGINE,
) -> BatchOutcome:
    """Run the replications of ``scenario`` into ``out`` and write its manifest and summary.

    ``resume`` runs only the chunks a stopped batch did not store; ``extend=k`` adds
    replications ``n .. n+k-1`` to a stored run (a partial last chunk is rerun whole, so
    the parts equal those of one batch of the larger n). ``jobs=1`` runs in this process,
    more on local *spawn* processes; ``scheduler`` ("local" or "tcp://host:port") runs on
    Dask instead. ``engine`` names the replication function and world loader.
    """
    out = Path(out)
    file = str(scenario_file) if scenario_file is not None else None
    previous = _previous_run(out, scenario, resume=resume, extend=extend, n=n, file=file)
    if previous is not None:
        total = int(previous["replications"]) + extend
    else:
        total = scenario.replications if n is None else n
    if total < 1:
        raise InputError.one(file, "replications", total, "at least 1 replication")
    scenario = scenario.model_copy(update={"replications": total})
    scenario_json = scenario.model_dump_json()
    plan = chunk_plan(total, scenario.chunk_size)
    out.mkdir(parents=True, exist_ok=True)
    clear_temporaries(out)
    todo = [c for c in plan if c.index not in _stored_chunks(out, plan)] if previous else plan

    world = load_engine_world(engine.load_world)
    workers = _workers(jobs, scheduler, len(todo))
    executor = _executor_record(jobs, scheduler, workers)
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    manifest = _manifest(scenario, world, file, plan, executor, previous)
    manifest["sessions"].append({"started": started_at, "executor": executor, "chunks": len(todo)})
    write_manifest(out, dict(manifest, status="running"))

    t0 = time.perf_counter()
    already = total - sum(c.stop - c.start for c in todo)
    session = _Session(done=already)
    status = "interrupted"
    try:
        with BatchProgress(total, already, progress, scenario.name) as bar:
            for chunk, result in _executor(todo, scenario_json, engine, jobs, scheduler, workers):
                _store(out, chunk, result)
                session.add(result, time.perf_counter() - t0)
                bar.update(session.done, session.mean_level, session.failed)
        status = "complete"
    finally:
        elapsed = time.perf_counter() - t0
        stored = _stored_chunks(out, plan)
        failures = read_arrow(out, "failures", columns=["replication"]).column(0).to_pylist()
        manifest["status"] = status
        manifest["replications_done"] = sum(c.stop - c.start for c in plan if c.index in stored)
        manifest["chunks"]["stored"] = len(stored)
        manifest["failures"] = len(failures)
        manifest["failed_replications"] = sorted(failures)[:100]
        manifest["sessions"][-1].update(session.record(elapsed))
        manifest["timings"] = _timings(manifest["sessions"])
        write_manifest(out, manifest)
    if status == "complete":
        write_summary(out, scenario)
    return BatchOutcome(out, total, len(failures), elapsed, manifest)


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
            "first_chunk_seconds": _round(self.first_chunk_seconds),
            "sim_events": self.sim_events,
            "replications_per_second": round(self.ran / elapsed, 3) if elapsed > 0 else None,
            "sim_events_per_second": round(self.sim_events / elapsed, 1) if elapsed > 0 else None,
        }


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


def _previous_run(
    out: Path, scenario: Scenario, *, resume: bool, extend: int, n: int | None, file: str | None
) -> dict[str, Any] | None:
    """The stored manifest to continue from, after checking it matches ``scenario``."""
    if extend < 0:
        raise InputError.one(file, "--extend", extend, "a number of replications to add, >= 0")
    try:
        previous = read_manifest(out)
    except FileNotFoundError:
        previous = None
    if not (resume or extend):
        if previous is not None or any(part_indices(out, t) for t in TABLES):
            raise InputError.one(
                str(out),
                "--out",
                str(out),
                "a new directory (it holds a stored run: add --resume or --extend K, or choose another --out)",
            )
        return None
    if previous is None:
        flag = "--extend" if extend else "--resume"
        raise InputError.one(
            str(out), flag, str(out), "a directory holding a stored run (manifest.json)"
        )
    stored = dict(previous["scenario"], replications=None)
    given = dict(scenario.model_dump(mode="json"), replications=None)
    diff = scenario_difference(stored, given)
    if diff is not None:
        key, was, now = diff
        raise InputError.one(
            file,
            key,
            now,
            f"{was!r} as in the stored run {out / 'manifest.json'} (or another --out)",
        )
    if n is not None and n != previous["replications"] and not extend:
        raise InputError.one(
            file,
            "-n",
            n,
            f"{previous['replications']} as in the stored run (use --extend to add replications)",
        )
    return previous


def _stored_chunks(out: Path, plan: list[Chunk]) -> set[int]:
    """Chunks of ``plan`` stored whole: every table has its part, with the chunk's replications."""
    complete = complete_chunks(out)
    stored = set()
    for chunk in plan:
        if chunk.index not in complete:
            continue
        # a partial last chunk of a smaller run has fewer replications: it is rerun whole
        rows = pq.read_metadata(part_path(out, "replications", chunk.index)).num_rows
        rows += pq.read_metadata(part_path(out, "failures", chunk.index)).num_rows
        if rows == chunk.stop - chunk.start:
            stored.add(chunk.index)
    return stored


def _store(out: Path, chunk: Chunk, result: dict[str, Any]) -> None:
    # TABLES ends with replications: its part appearing marks the chunk stored
    for name in TABLES:
        write_part_bytes(out, name, chunk.index, result["tables"][name])


def _workers(jobs: int | None, scheduler: str | None, chunks: int) -> int:
    if jobs is not None and jobs < 1:
        raise InputError.one(None, "--jobs", jobs, "at least 1 worker")
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
):
    if not todo:  # a resumed run that had every chunk stored: nothing to start
        return iter(())
    if scheduler is not None:
        return run_on_dask(todo, scenario_json, engine, scheduler, jobs)
    if workers == 1:
        return run_in_process(todo, scenario_json, engine)
    return run_on_processes(todo, scenario_json, engine, workers)


def _executor_record(jobs: int | None, scheduler: str | None, workers: int) -> dict[str, Any]:
    if scheduler is not None:
        kind = "dask-local" if scheduler == "local" else "dask"
        return {
            "kind": kind,
            "scheduler": scheduler,
            "workers": jobs or 2 if scheduler == "local" else None,
        }
    return {"kind": "in-process" if workers == 1 else "processes", "workers": workers}


def _manifest(
    scenario: Scenario,
    world: Any,
    file: str | None,
    plan: list[Chunk],
    executor: dict[str, Any],
    previous: dict[str, Any] | None,
) -> dict[str, Any]:
    return {
        "format": MANIFEST_FORMAT,
        "status": "running",
        "scenario_name": scenario.name,
        "scenario_file": file,
        "seed": scenario.seed,
        "replications": scenario.replications,
        "replications_done": 0,
        "chunks": {"size": scenario.chunk_size, "count": len(plan), "stored": 0},
        "tables": list(TABLES),
        "executor": executor,
        "versions": _versions(world),
        "failures": 0,
        "failed_replications": [],
        "sessions": list(previous.get("sessions", [])) if previous else [],
        "timings": {},
        "scenario": scenario.model_dump(mode="json"),
    }


def _versions(world: Any) -> dict[str, Any]:
    versions: dict[str, Any] = {"runesim": sim.__version__, "data": world.rules.version}
    versions["python"] = platform.python_version()
    for package in ("simpy", "numpy", "pandas", "pyarrow"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return versions


def _timings(sessions: list[dict[str, Any]]) -> dict[str, Any]:
    elapsed = sum(s.get("elapsed_seconds", 0.0) for s in sessions)
    ran = sum(s.get("replications_run", 0) for s in sessions)
    return {
        "started": sessions[0]["started"] if sessions else None,
        "finished": sessions[-1].get("finished") if sessions else None,
        "elapsed_seconds": round(elapsed, 3),
        "replications_per_second": round(ran / elapsed, 3) if elapsed > 0 else None,
    }
