"""The manifest's records for a batch: its first form, the executor, versions and timings."""

from __future__ import annotations

import platform
from importlib import metadata
from typing import Any

import sim
from sim.batch.executors import Chunk
from sim.scenario.schema import Scenario
from sim.store.schemas import TABLES

MANIFEST_FORMAT = 2  # 2: parts recorded with their replications, rows and SHA-256


def executor_record(jobs: int | None, scheduler: str | None, workers: int) -> dict[str, Any]:
    if scheduler is not None:
        kind = "dask-local" if scheduler == "local" else "dask"
        return {
            "kind": kind,
            "scheduler": scheduler,
            "workers": jobs or 2 if scheduler == "local" else None,
        }
    return {"kind": "in-process" if workers == 1 else "processes", "workers": workers}


def new_manifest(
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
        "versions": versions(world),
        "failures": 0,
        "failed_replications": [],
        "sessions": list(previous.get("sessions", [])) if previous else [],
        "timings": {},
        "scenario": scenario.model_dump(mode="json"),
    }


def versions(world: Any) -> dict[str, Any]:
    versions: dict[str, Any] = {"runesim": sim.__version__, "data": world.rules.version}
    versions["python"] = platform.python_version()
    for package in ("simpy", "numpy", "pandas", "pyarrow"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return versions


def timings(sessions: list[dict[str, Any]]) -> dict[str, Any]:
    elapsed = sum(s.get("elapsed_seconds", 0.0) for s in sessions)
    ran = sum(s.get("replications_run", 0) for s in sessions)
    return {
        "started": sessions[0]["started"] if sessions else None,
        "finished": sessions[-1].get("finished") if sessions else None,
        "elapsed_seconds": round(elapsed, 3),
        "replications_per_second": round(ran / elapsed, 3) if elapsed > 0 else None,
    }
