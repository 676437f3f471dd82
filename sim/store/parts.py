"""Parquet datasets as directories of parts, one part per chunk of replications.

``DIR/<table>.parquet/part-NNNNN.parquet`` holds the rows of chunk ``NNNNN``.
The directory of parts *is* the table: nothing is consolidated after a batch,
so a stopped batch keeps every chunk it finished. Parts are encoded with a
fixed schema, lz4 compression and no pandas metadata, so equal rows give
equal bytes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq

from sim.store.atomic import atomic_write_bytes, remove_stale_temporaries
from sim.store.layout import part_path, table_dir
from sim.store.manifest import read_manifest
from sim.store.schemas import TABLES, schema
from sim.store.verify import recorded_chunks, verify_part

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "table_dir",
    "part_path",
    "encode_table",
    "write_part",
    "write_part_bytes",
    "part_indices",
    "complete_chunks",
    "read_arrow",
    "read_table",
    "clear_temporaries",
]

# parts read, then joined into one table, at a time
_GROUP = 64

_PART = re.compile(r"^part-(\d{5,})\.parquet$")
_READERS = 4  # threads reading the parts of one table, at most


def encode_table(table: pa.Table) -> bytes:
    """Encode ``table`` as Parquet bytes; the bytes depend only on the table's contents."""
    sink = pa.BufferOutputStream()
    # no pandas metadata can creep in: the table is built from an explicit schema
    table = table.replace_schema_metadata(None)
    # lz4, dictionaries for the texts only and no column statistics (nothing reads them): about
    # half the CPU of zstd with a dictionary for every column, for parts about 13% larger
    texts = [f.name for f in table.schema if f.type == pa.string()]
    pq.write_table(table, sink, compression="lz4", use_dictionary=texts, write_statistics=False)
    return sink.getvalue().to_pybytes()


def write_part_bytes(run_dir: Path | str, name: str, chunk_index: int, data: bytes) -> Path:
    """Store already encoded Parquet bytes as part ``chunk_index`` of table ``name``."""
    return atomic_write_bytes(part_path(run_dir, name, chunk_index), data)


def write_part(run_dir: Path | str, name: str, chunk_index: int, table: pa.Table) -> Path:
    """Store ``table`` as part ``chunk_index`` of table ``name``."""
    return write_part_bytes(run_dir, name, chunk_index, encode_table(table))


def part_indices(run_dir: Path | str, name: str) -> list[int]:
    """The chunk indices that have a stored part of table ``name``, ascending."""
    d = table_dir(run_dir, name)
    if not d.is_dir():
        return []
    hits = (_PART.match(p.name) for p in d.iterdir())
    return sorted(int(m.group(1)) for m in hits if m)


def complete_chunks(run_dir: Path | str) -> set[int]:
    """Chunks whose parts exist for every table (a chunk killed mid-write is not complete)."""
    done: set[int] | None = None
    for name in TABLES:
        have = set(part_indices(run_dir, name))
        done = have if done is None else done & have
    return done or set()


def clear_temporaries(run_dir: Path | str) -> int:
    """Remove temporary files that a killed batch left in the run directory."""
    removed = remove_stale_temporaries(run_dir)
    for name in TABLES:
        removed += remove_stale_temporaries(table_dir(run_dir, name))
    return removed


def read_arrow(
    run_dir: Path | str,
    name: str,
    *,
    columns: Sequence[str] | None = None,
    levels: Sequence[int] = (),
    level_hours: Sequence[float] = (),
    keep: Callable[[pa.Table], pa.Table] | None = None,
    dictionary: bool = False,
) -> pa.Table:
    """All parts of table ``name`` in chunk order as one Arrow table.

    In a run whose manifest records its parts, only recorded parts are read, and
    each must hash to its record (``DamagedPart`` names the first that does not).
    ``keep`` (a part's rows -> the rows to keep) is applied to each part as it is
    read, so only the kept rows of a large table are ever held together.
    ``dictionary``: text columns read as dictionary arrays (each distinct text decoded once per
    part, not once per row); ``keep`` then sees them so.
    """
    records = _records(run_dir)
    texts = _text_columns(name, levels, level_hours) if dictionary else ()

    def load(i: int) -> pa.Table:
        path = part_path(run_dir, name, i)
        if records is None:  # no manifest, or one written before parts were recorded
            return _kept(_read_part(path, columns, texts), keep)
        data = verify_part(path, records[i].get("tables", {}).get(name))
        return _kept(_read_part(data, columns, texts), keep)

    chunks = part_indices(run_dir, name) if records is None else sorted(records)
    tables = []
    for at in range(0, len(chunks), _GROUP):
        # a group of parts made one table as it is read: a part's Arrow objects cost far more
        # than its rows, so memory grows with the rows kept, not with the number of parts
        group = _in_threads(load, chunks[at : at + _GROUP])
        tables.append(pa.concat_tables(group).combine_chunks())
    if tables:
        return pa.concat_tables(tables)
    empty = schema(name, levels, level_hours).empty_table()
    return empty.select(list(columns)) if columns is not None else empty


def _in_threads(load: Callable[[int], pa.Table], chunks: list[int]) -> list[pa.Table]:
    """``load`` of every chunk, in chunk order; many parts are read by a few threads (reading,
    hashing and decoding a part release the interpreter), the first failing chunk raising."""
    workers = min(_READERS, os.cpu_count() or 1, len(chunks) // 8)
    if workers < 2:
        return [load(i) for i in chunks]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(load, chunks))


def _kept(table: pa.Table, keep: Callable[[pa.Table], pa.Table] | None) -> pa.Table:
    return table if keep is None else keep(table)


def _read_part(
    source: Path | bytes, columns: Sequence[str] | None, texts: Sequence[str] = ()
) -> pa.Table:
    # one small file: a plain file reader on this thread is several times cheaper per part
    # than pq.read_table (a dataset and a thread pool per call), with the same table
    cols = list(columns) if columns is not None else None
    wanted = [c for c in texts if cols is None or c in cols]
    if wanted:
        try:
            return pq.ParquetFile(_source(source), read_dictionary=wanted).read(
                columns=cols, use_threads=False
            )
        except KeyError:  # a part stored without one of these columns: read as it is
            pass
    return pq.ParquetFile(_source(source)).read(columns=cols, use_threads=False)


def _source(source: Path | bytes) -> Path | pa.BufferReader:
    return pa.BufferReader(source) if isinstance(source, bytes) else source


def _text_columns(
    name: str, levels: Sequence[int], level_hours: Sequence[float]
) -> tuple[str, ...]:
    return tuple(f.name for f in schema(name, levels, level_hours) if f.type == pa.string())


def _records(run_dir: Path | str) -> dict[int, dict] | None:
    try:
        manifest = read_manifest(run_dir)
    except FileNotFoundError:
        return None
    return recorded_chunks(run_dir, manifest)


def read_table(
    run_dir: Path | str,
    name: str,
    *,
    columns: Sequence[str] | None = None,
    keep: Callable[[pa.Table], pa.Table] | None = None,
) -> pd.DataFrame:
    """Table ``name`` of a stored run as a DataFrame, sorted by replication (stable).

    With no parts the frame is empty but has the table's columns and dtypes. ``keep``
    selects rows part by part (see ``read_arrow``).
    """
    if name not in TABLES:
        raise ValueError(f"unknown table {name!r}; expected one of {', '.join(TABLES)}")
    levels, level_hours = _recorded(run_dir)
    table = read_arrow(
        run_dir,
        name,
        columns=columns,
        levels=levels,
        level_hours=level_hours,
        keep=keep,
        dictionary=True,
    )
    # one thread: a table of many small parts converts far faster so than with a pool
    frame = _texts_as_objects(table.to_pandas(use_threads=False))
    sorted_ = "replication" not in frame.columns or frame["replication"].is_monotonic_increasing
    if not sorted_:  # parts are read in chunk order: their rows are mostly in order already
        frame = frame.sort_values("replication", kind="stable", ignore_index=True)
    return frame


def _texts_as_objects(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns read as dictionaries (categorical here) made the object columns of Python
    strings (None where missing) that a plain read gives."""
    import numpy as np
    import pandas as pd

    for col in frame.columns[[isinstance(t, pd.CategoricalDtype) for t in frame.dtypes]]:
        cat = frame[col].array
        texts = np.empty(len(cat.categories) + 1, dtype=object)  # the last: None
        texts[:-1] = np.asarray(cat.categories, dtype=object)
        frame[col] = texts.take(np.asarray(cat.codes, dtype=np.intp))  # code -1: None
    return frame


def _recorded(run_dir: Path | str) -> tuple[tuple[int, ...], tuple[float, ...]]:
    # the replications columns depend on the scenario's record section (in the manifest)
    try:
        record = read_manifest(run_dir)["scenario"].get("record", {})
    except (FileNotFoundError, KeyError, TypeError, AttributeError):
        return (), ()
    return tuple(record.get("levels", ())), tuple(record.get("level_hours", ()))
