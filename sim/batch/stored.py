"""The stored run a batch starts from: checks on the request, the directory and the
scenario, and which chunks are stored whole and intact (verified against their records)."""

from __future__ import annotations

import sys
from concurrent.futures import Executor
from concurrent.futures import wait as wait_all
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from sim.batch.executors import Chunk
from sim.errors import InputError
from sim.scenario.limits import MAX_REPLICATIONS
from sim.scenario.schema import Scenario
from sim.store.manifest import read_manifest
from sim.store.parts import complete_chunks, part_indices, part_path, write_part_bytes
from sim.store.rundir import is_stored_run, refuse_foreign
from sim.store.schemas import TABLES
from sim.store.verify import append_journal, chunk_damage, chunk_record, recorded_chunks

__all__ = [
    "MAX_JOBS",
    "check_request",
    "previous_run",
    "revalidate",
    "scenario_difference",
    "store_chunk",
    "verified_records",
]

MAX_JOBS = 1024


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


def revalidate(scenario: Scenario, file: str | None = None) -> Scenario:
    """The scenario as a worker will rebuild it from JSON (a copy made with ``model_copy``
    skips validation; this catches it before anything is written)."""
    from pydantic import ValidationError

    from sim.scenario.load import scenario_from_dict

    try:
        return Scenario.model_validate_json(scenario.model_dump_json())
    except ValidationError:
        return scenario_from_dict(scenario.model_dump(mode="json"), file)


def check_request(
    n: int | None, extend: int, jobs: int | None, resume: bool, overwrite: bool, file: str | None
) -> None:
    if n is not None and (isinstance(n, bool) or not 1 <= n <= MAX_REPLICATIONS):
        raise InputError.one(
            file, "-n", n, f"a number of replications from 1 to {MAX_REPLICATIONS:,}"
        )
    if isinstance(extend, bool) or not 0 <= extend <= MAX_REPLICATIONS:
        raise InputError.one(
            file, "--extend", extend, f"a number of replications to add, 0 to {MAX_REPLICATIONS:,}"
        )
    if jobs is not None and not 1 <= jobs <= MAX_JOBS:
        raise InputError.one(None, "--jobs", jobs, f"a number of workers from 1 to {MAX_JOBS}")
    if overwrite and (resume or extend):
        raise InputError.one(
            None, "--overwrite", True, "either --overwrite or --resume/--extend, not both"
        )


def previous_run(
    out: Path,
    scenario: Scenario,
    *,
    resume: bool,
    extend: int,
    n: int | None,
    overwrite: bool,
    file: str | None,
) -> dict[str, Any] | None:
    """The stored manifest to continue from, after checking it matches ``scenario``."""
    stored_run = is_stored_run(out) or any(part_indices(out, t) for t in TABLES)
    if not (resume or extend):
        refuse_foreign(out)
        if stored_run and not overwrite:
            raise InputError.one(
                str(out),
                "--out",
                str(out),
                "a new directory (it holds a stored run: add --resume, --extend K or --overwrite, "
                "or choose another --out)",
            )
        return None
    try:
        previous = read_manifest(out)
    except FileNotFoundError:
        previous = None
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
    if n is not None and n != previous.get("replications") and not extend:
        raise InputError.one(
            file,
            "-n",
            n,
            f"{previous.get('replications')} as in the stored run (use --extend to add "
            "replications)",
        )
    if not isinstance(previous.get("replications"), int):
        raise InputError.one(
            str(out / "manifest.json"), "replications", previous.get("replications"), "a count"
        )
    return previous


def verified_records(
    out: Path, plan: list[Chunk], previous: dict[str, Any] | None, *, repair: bool
) -> dict[int, dict]:
    """Chunks of ``plan`` stored whole and intact, by index.

    A chunk counts when its record covers the chunk's replications and every part hashes
    to its record (a partial last chunk of a smaller run is rerun whole). A damaged part is
    rerun with a note under ``repair`` (``--resume``); otherwise it is an error naming it.
    """
    if previous is None:
        return {}
    records = recorded_chunks(out, previous)
    if records is None:  # stored before parts were recorded: trust complete chunks as before
        return _legacy_records(out, plan)
    good: dict[int, dict] = {}
    for chunk in plan:
        record = records.get(chunk.index)
        if record is None:
            continue
        if record.get("replications") != [chunk.start, chunk.stop]:
            continue  # the partial last chunk of a smaller run
        damage = chunk_damage(out, chunk.index, record, TABLES)
        if damage is None:
            good[chunk.index] = record
        elif repair:
            print(
                f"note: {damage.path}: {damage.why}; running chunk {chunk.index} again",
                file=sys.stderr,
            )
        else:
            raise damage
    return good


def _legacy_records(out: Path, plan: list[Chunk]) -> dict[int, dict]:
    complete = complete_chunks(out)
    good: dict[int, dict] = {}
    for chunk in plan:
        if chunk.index not in complete:
            continue
        tables = {name: part_path(out, name, chunk.index).read_bytes() for name in TABLES}
        rows = sum(
            pq.read_metadata(pa.BufferReader(tables[t])).num_rows
            for t in ("replications", "failures")
        )
        if rows == chunk.stop - chunk.start:
            good[chunk.index] = chunk_record(chunk.start, chunk.stop, tables)
    return good


def store_chunk(
    out: Path, chunk: Chunk, result: dict[str, Any], writers: Executor | None = None
) -> dict:
    """Write a chunk's parts, then the journal line that makes the chunk count as stored.

    With ``writers`` (threads) the parts are written side by side: each write waits on the
    disk (fsync) with the interpreter free, so a chunk is stored in about the time of one.
    """
    tables = {name: result["tables"][name] for name in TABLES}
    if writers is None:
        for name, data in tables.items():
            write_part_bytes(out, name, chunk.index, data)
    else:
        writes = [
            writers.submit(write_part_bytes, out, name, chunk.index, data)
            for name, data in tables.items()
        ]
        wait_all(writes)  # every write ended before the journal line, or an error raised
        for write in writes:
            write.result()
    # the worker's record of these bytes (rows and SHA-256), or made here from them
    record = result.get("record") or chunk_record(chunk.start, chunk.stop, tables)
    append_journal(out, chunk.index, record)
    return record
