"""Verified parts: every stored part is recorded with its replications, row count and SHA-256.

As each chunk is stored, one line goes to ``DIR/parts.jsonl`` (appended and
flushed to disk); when a batch ends the records are folded into the manifest's
``parts``. A part is data only if its record says so and its bytes hash to the
recorded SHA-256: a part copied over another, swapped, truncated, emptied or
left unrecorded by a killed batch is never read as rows. ``read_table`` refuses a
damaged part (exit 2, naming it); ``run --resume`` runs its chunk again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from sim.errors import InputError
from sim.store.layout import part_path

__all__ = [
    "JOURNAL",
    "DamagedPart",
    "chunk_record",
    "append_journal",
    "clear_journal",
    "recorded_chunks",
    "chunk_damage",
    "verify_part",
]

JOURNAL = "parts.jsonl"


class DamagedPart(InputError):
    """A stored part that is not what the manifest recorded."""

    def __init__(self, path: Path, why: str) -> None:
        self.path = path
        self.why = why
        run_dir = path.parent.parent
        super().__init__(
            str(path),
            [
                _problem(
                    why,
                    f"the part the manifest records; run again with --resume --out {run_dir} "
                    "(rewrites damaged chunks) or start again with --overwrite",
                )
            ],
        )
        self.path = path
        self.why = why

    @property
    def message(self) -> str:
        run_dir = self.path.parent.parent
        return (
            f"{self.path}: damaged part ({self.why}); it is not read as data. Run its chunk again "
            f"with `runesim run SCENARIO --out {run_dir} --resume`, or start again with --overwrite"
        )


def _problem(value: str, expected: str) -> Any:
    from sim.errors import InputProblem

    return InputProblem("part", value, expected)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def chunk_record(
    start: int, stop: int, tables: Mapping[str, bytes], rows: Mapping[str, int] | None = None
) -> dict[str, Any]:
    """The record of one chunk: its replications and, per table, rows and SHA-256 of the part
    (``rows``, when the writer knows them; else read from each part's footer)."""
    return {
        "replications": [int(start), int(stop)],
        "tables": {
            name: {
                "rows": int(rows[name])
                if rows is not None
                else pq.read_metadata(pa.BufferReader(data)).num_rows,
                "sha256": _sha256(data),
            }
            for name, data in tables.items()
        },
    }


def append_journal(run_dir: Path | str, index: int, record: Mapping[str, Any]) -> None:
    """Record chunk ``index`` as stored (after its parts are on disk)."""
    line = json.dumps({"chunk": int(index), **record}, separators=(",", ":")) + "\n"
    fd = os.open(Path(run_dir) / JOURNAL, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
    try:
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def clear_journal(run_dir: Path | str) -> None:
    """Forget the journal once its records are in the manifest."""
    with contextlib.suppress(FileNotFoundError):
        (Path(run_dir) / JOURNAL).unlink()


def _journal(run_dir: Path) -> dict[int, dict[str, Any]]:
    try:
        text = (run_dir / JOURNAL).read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    out: dict[int, dict[str, Any]] = {}
    for line in text.splitlines():
        try:
            rec = json.loads(line)
            index = int(rec.pop("chunk"))
        except (ValueError, KeyError, TypeError, AttributeError):
            continue  # a line torn by a kill: that chunk is not recorded, so it is rerun
        out[index] = rec
    return out


def recorded_chunks(
    run_dir: Path | str, manifest: Mapping[str, Any] | None
) -> dict[int, dict[str, Any]] | None:
    """Every chunk recorded as stored (manifest, then journal); None for a run stored unverified."""
    run_dir = Path(run_dir)
    if manifest is None or "parts" not in manifest:
        return None
    parts = manifest.get("parts") or {}
    out = {int(k): dict(v) for k, v in parts.items()} if isinstance(parts, Mapping) else {}
    out.update(_journal(run_dir))
    return out


def verify_part(path: Path, expected: Mapping[str, Any] | None) -> bytes:
    """The bytes of part ``path``; DamagedPart unless they are the recorded ones."""
    if expected is None:
        raise DamagedPart(path, "not recorded in the manifest")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DamagedPart(path, "missing") from None
    if not data:
        raise DamagedPart(path, "empty (0 bytes)")
    if _sha256(data) != expected.get("sha256"):
        raise DamagedPart(path, f"its SHA-256 differs from the manifest's ({len(data):,} bytes)")
    return data


def chunk_damage(
    run_dir: Path | str, index: int, record: Mapping[str, Any] | None, tables: tuple[str, ...]
) -> DamagedPart | None:
    """The first damaged part of chunk ``index`` (None if every part verifies)."""
    for name in tables:
        path = part_path(run_dir, name, index)
        try:
            verify_part(path, (record or {}).get("tables", {}).get(name) if record else None)
        except DamagedPart as err:
            return err
    return None
