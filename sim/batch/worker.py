"""One chunk of replications, run where a worker is: a local process, a Dask worker or in-process.

``run_chunk`` is a module-level function so every executor can ship it by name.
It loads the world once per process, rebuilds the Scenario from JSON, runs
replications ``start .. stop-1`` in index order and returns each table of the
chunk as Parquet bytes (encoded in the worker, so the parent only writes files).
A replication that raises is recorded in the ``failures`` table and the chunk
goes on: one bad replication never costs the others.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import sys
import time
import traceback
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from typing import Any, NamedTuple

import pyarrow as pa

from sim.batch.arrays import ChunkBlocks, ChunkIncome, kept_as
from sim.batch.arrays import add_runs as _add_runs
from sim.batch.arrays import array as _array
from sim.batch.arrays import runs_array as _runs_array
from sim.columns import ROW_GROUPS, Failure, Trajectories, row_dict
from sim.model.replication import IncomeRows, run_replication
from sim.scenario.schema import Scenario
from sim.store.parts import encode_table
from sim.store.schemas import TABLES, schema
from sim.store.verify import chunk_record
from sim.world.load import load_world

__all__ = [
    "Engine",
    "DEFAULT_ENGINE",
    "run_chunk",
    "run_chunks",
    "seed_fields",
    "load_engine_world",
    "arrow_without_pandas",
]


class Engine(NamedTuple):
    """The replication function and the world loader a worker runs: module-level functions
    (shipped to workers by reference), or ``"module:name"`` texts (for test stand-ins)."""

    replicate: Callable[..., Any] | str = run_replication
    load_world: Callable[[], Any] | str = load_world


DEFAULT_ENGINE = Engine()


@lru_cache(maxsize=8)
def _resolve(spec: Callable[..., Any] | str) -> Callable[..., Any]:
    if callable(spec):
        return spec
    module, _, name = spec.partition(":")
    resolved: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return resolved


@lru_cache(maxsize=2)
def load_engine_world(spec: Callable[[], Any] | str) -> Any:
    """The world, loaded once per process."""
    return _resolve(spec)()


class _NoPandas:
    """An import finder that refuses pandas (installed only for a moment, see below)."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name.partition(".")[0] == "pandas":
            raise ImportError("a worker converts rows to Arrow without pandas")


def arrow_without_pandas() -> None:
    """Let pyarrow settle, in a worker process, that it converts lists without pandas.

    The first list pyarrow converts makes it look for pandas, and importing pandas costs a
    worker about 0.6 s of CPU that no chunk uses. Refused once here, pyarrow does not look
    again when converting; ``to_pandas`` still imports pandas if anything calls it later.
    """
    if "pandas" in sys.modules:
        return
    finder = _NoPandas()
    sys.meta_path.insert(0, finder)
    try:
        pa.array([0])
    finally:
        sys.meta_path.remove(finder)


@lru_cache(maxsize=4)
def _scenario(scenario_json: str) -> Scenario:
    # chunks of one batch share the JSON text, so a worker validates it once
    return Scenario.model_validate_json(scenario_json)


def seed_fields(seed: int, index: int) -> tuple[int, str]:
    """``(seed, seed_entropy)`` of replication ``index``, as the model records them."""
    # replication k's streams come from SeedSequence(entropy=seed, spawn_key=(k,)): the
    # pair (seed, k) is all it takes to re-run it (``runesim trace --replication k``)
    return int(seed), f"SeedSequence(entropy={seed}, spawn_key=({index},))"


class _ChunkTables:
    """Column buffers for the tables of one chunk, filled replication by replication."""

    def __init__(self, scenario: Scenario) -> None:
        rec = scenario.record
        self.schemas = {name: schema(name, rec.levels, rec.level_hours) for name in TABLES}
        self.columns: dict[str, dict[str, list]] = {
            name: {f.name: [] for f in s} for name, s in self.schemas.items()
        }
        # the ``replication`` column of each row group as runs: (value, rows) each
        self.runs: dict[str, list[tuple[Any, int]]] = {name: [] for name in ROW_GROUPS}
        # the other columns of these row groups, kept as the model keeps them until encoded
        self.kept: dict[str, ChunkBlocks | ChunkIncome] = {
            "trajectories": ChunkBlocks(),
            "income": ChunkIncome(),
        }
        self.final_level_sum = 0
        self.sim_events = 0
        self.done = 0
        self.failed: list[int] = []

    def add(self, result: Any) -> None:
        """Append one replication's rows; all of its groups or none of them."""
        groups: dict[str, Mapping[str, list]] = {n: getattr(result, n) for n in ROW_GROUPS}
        summary = result.summary
        for name, group in groups.items():
            blocks, income = kept_as(group, Trajectories), kept_as(group, IncomeRows)
            if blocks is not None:
                ChunkBlocks.check(blocks)
            elif income is not None:
                ChunkIncome.check(income)
            else:
                _check_columns(name, group, self.columns[name])
        _check_columns("replications", summary, self.columns["replications"], one_row=True)
        for name, group in groups.items():
            kept = self.kept.get(name)
            if kept is not None:
                _add_runs(self.runs[name], group["replication"])
                kept.add(group)
                continue
            cols = self.columns[name]
            for col, values in group.items():
                if col == "replication":
                    _add_runs(self.runs[name], values)
                else:
                    cols[col].extend(values)
        cols = self.columns["replications"]
        for col, value in summary.items():
            cols[col].append(value)
        self.final_level_sum += int(summary["final_level"])
        self.sim_events += int(summary["sim_events"])
        self.done += 1

    def add_failure(self, scenario: Scenario, index: int, exc: BaseException) -> None:
        """Record a replication that raised."""
        seed, entropy = seed_fields(scenario.seed, index)
        row = Failure(
            replication=index,
            seed=seed,
            seed_entropy=entropy,
            error=f"{type(exc).__name__}: {exc}",
            traceback="".join(traceback.format_exception(exc)),
        )
        for col, value in row_dict(row).items():
            self.columns["failures"][col].append(value)
        self.failed.append(index)

    def encode(self) -> tuple[dict[str, bytes], dict[str, int]]:
        """Every table's part as Parquet bytes, and its rows."""
        parts, rows = {}, {}
        for name in TABLES:
            sch = self.schemas[name]
            cols = self.columns[name]
            runs = self.runs.get(name)
            kept = self.kept.get(name)
            made = kept.arrays(sch) if kept is not None else {}
            if runs is not None:
                made["replication"] = _runs_array(runs)
            arrays = [made[f.name] if f.name in made else _array(cols[f.name], f.type) for f in sch]
            table = pa.Table.from_arrays(arrays, schema=sch)
            parts[name] = encode_table(table)
            rows[name] = table.num_rows
        return parts, rows


def _check_columns(name: str, group: Mapping, expected: dict, one_row: bool = False) -> None:
    if group.keys() != expected.keys():
        missing = sorted(expected.keys() - group.keys())
        extra = sorted(group.keys() - expected.keys())
        raise ValueError(f"{name} row group: missing columns {missing}, unknown columns {extra}")
    if not one_row:
        lengths = {len(v) for v in group.values()}
        if len(lengths) > 1:
            raise ValueError(f"{name} row group: columns of different lengths {sorted(lengths)}")


def run_chunk(
    scenario_json: str, start: int, stop: int, engine: Engine = DEFAULT_ENGINE
) -> dict[str, Any]:
    """Run replications ``start .. stop-1`` and return the chunk's tables as Parquet bytes.

    Returns ``{"tables": {table: bytes}, "record", "done", "failed", "final_level_sum",
    "sim_events", "seconds", "cpu_seconds", "replicate_cpu_seconds", "encode_cpu_seconds"}``:
    ``record`` is the chunk's record for the manifest (rows and SHA-256 of each part, made here
    so the parent only writes files), the counts feed the running statistics of the batch and
    the timings its manifest (the CPU seconds in the replication function and in encoding the
    parts are parts of ``cpu_seconds``).
    """
    t0, cpu0 = time.perf_counter(), time.process_time()
    scenario = _scenario(scenario_json)
    world = load_engine_world(engine.load_world)
    replicate = _resolve(engine.replicate)
    tables = _ChunkTables(scenario)
    replicating = 0.0
    with _fewer_young_collections():
        for index in range(start, stop):
            began = time.process_time()
            try:
                result = replicate(scenario, world, index)
                replicating += time.process_time() - began
                tables.add(result)
            except Exception as exc:  # recorded, not fatal: the batch goes on
                tables.add_failure(scenario, index, exc)
        began = time.process_time()
        parts, rows = tables.encode()
        encoding = time.process_time() - began
    return {
        "tables": parts,
        "record": chunk_record(start, stop, parts, rows),
        "done": tables.done,
        "failed": tables.failed,
        "final_level_sum": tables.final_level_sum,
        "sim_events": tables.sim_events,
        "seconds": time.perf_counter() - t0,
        "cpu_seconds": time.process_time() - cpu0,
        "replicate_cpu_seconds": replicating,
        "encode_cpu_seconds": encoding,
    }


# objects a replication may allocate (net) before the youngest generation is collected: a
# replication's objects die young by reference counting, so at Python's default (700) the
# collector would scan them about 80 times per 200 replications for nothing (~2% of the CPU)
_YOUNG_THRESHOLD = 20_000


@contextlib.contextmanager
def _fewer_young_collections() -> Iterator[None]:
    """Collect the youngest generation less often while a chunk runs (restored after it)."""
    before = gc.get_threshold()
    if before[0]:  # 0: automatic collection is off, and stays off
        gc.set_threshold(max(before[0], _YOUNG_THRESHOLD), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def run_chunks(
    scenario_json: str, spans: list[tuple[int, int]], engine: Engine = DEFAULT_ENGINE
) -> list[dict[str, Any]]:
    """Run several chunks (``(start, stop)`` each) as one task: ``run_chunk``'s result for each."""
    return [run_chunk(scenario_json, start, stop, engine) for start, stop in spans]
