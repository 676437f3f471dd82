"""A chunk's columns made Arrow arrays: numbers packed into buffers at once, the
``replication`` column from runs of one value, the trajectories from their blocks of rows,
the income rows from the distinct keys of the chunk.

Each array equals the one ``pa.array`` converts from the column's rows.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from itertools import compress
from typing import Any

import numpy as np
import pyarrow as pa

from sim.columns import BLOCK_COLUMNS, UNBOOKED, ColumnsView, Income, Trajectories, columns
from sim.model.replication import IncomeRows

__all__ = ["add_runs", "array", "runs_array", "take", "ChunkBlocks", "ChunkIncome", "kept_as"]

_INT64 = struct.Struct("<q")
# numbers packed as C values at once: several times cheaper than converting them one by one
_PACKED = {pa.int64(): "q", pa.float64(): "d"}


def array(values: list, type_: pa.DataType) -> pa.Array:
    """``pa.array(values, type=type_)``; int64 and float64 columns of plain Python numbers are
    packed into the array's buffer (the same array; anything else is converted as before)."""
    code = _PACKED.get(type_)
    if code is not None and values:
        try:
            data = struct.pack(f"<{len(values)}{code}", *values)
        except (struct.error, TypeError, OverflowError):
            pass
        else:
            return pa.Array.from_buffers(type_, len(values), [None, pa.py_buffer(data)])
    return pa.array(values, type=type_)


_NUMPY = {pa.int64(): np.int64, pa.float64(): np.float64}


def take(values: pa.Array, rows: np.ndarray) -> pa.Array:
    """``values.take(rows)`` (``rows``: int64 positions) made with numpy: pyarrow's compute
    module costs a worker about 50 ms of CPU to import, and nothing else here needs it."""
    n = len(values)
    if not len(rows):
        return pa.array([], type=values.type)
    kind = _NUMPY.get(values.type)
    if values.null_count == 0 and kind is not None:
        data = np.frombuffer(values.buffers()[1], dtype=kind, count=n, offset=values.offset * 8)
        return pa.array(data[rows])
    if values.null_count == 0 and values.type == pa.string():
        _, at, text = values.buffers()
        offsets = np.frombuffer(at, dtype=np.int32, count=n + 1, offset=values.offset * 4)
        lengths = np.diff(offsets)[rows]
        ends = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=ends[1:])
        total = int(ends[-1])
        chars = np.empty(0, dtype=np.uint8)
        if total:  # each row's bytes gathered from where its value starts
            starts = np.repeat(offsets[:-1][rows] - ends[:-1], lengths)
            chars = np.frombuffer(text, dtype=np.uint8)[starts + np.arange(total)]
        buffers = [None, pa.py_buffer(ends.astype(np.int32)), pa.py_buffer(chars)]
        return pa.Array.from_buffers(pa.string(), len(rows), buffers)
    listed = values.to_pylist()
    return pa.array([listed[i] for i in rows.tolist()], type=values.type)


def add_runs(runs: list[tuple[Any, int]], values: Any) -> None:
    """Append ``values`` (a row group's ``replication`` column) to ``runs``, as runs of equal
    values (a replication's rows share one value: one run, and no list of it is kept)."""
    values = values if isinstance(values, list) else list(values)
    n = len(values)
    if n and values.count(values[0]) == n:
        runs.append((values[0], n))
    else:
        runs.extend((v, 1) for v in values)


def runs_array(runs: list[tuple[Any, int]]) -> pa.Array:
    """The int64 column of ``runs``."""
    try:
        data = b"".join(_INT64.pack(v) * n for v, n in runs)
    except (struct.error, TypeError, OverflowError):
        return pa.array([v for v, n in runs for _ in range(n)], type=pa.int64())
    return pa.Array.from_buffers(pa.int64(), len(data) // 8, [None, pa.py_buffer(data)])


class ChunkBlocks:
    """The trajectory rows of a chunk as blocks (``sim.columns.Trajectories``): a block's
    values are repeated for its rows when the arrays are made, not row by row before."""

    def __init__(self) -> None:
        self.hours: list[float] = []
        self.counts: list[int] = []
        self.pending: list[bool] = []
        self.unbooked: list[int] = []
        self.columns: dict[str, list] = {name: [] for name in BLOCK_COLUMNS}

    def add(self, group: Mapping[str, list]) -> None:
        """Append one replication's trajectory: its blocks, or its rows (a block each)."""
        blocks = kept_as(group, Trajectories)
        if blocks is not None:
            self.hours += blocks.hours
            self.counts += blocks.counts
            self.pending += blocks.pending
            self.unbooked += blocks.unbooked
            for name, column in self.columns.items():
                column += getattr(blocks, name)
            return
        n = len(group["hours"])
        self.hours += group["hours"]
        self.counts += [1] * n
        self.pending += [False] * n
        for name, column in self.columns.items():
            column += group[name]

    def arrays(self, schema: pa.Schema) -> dict[str, pa.Array]:
        """The arrays of every column but ``replication``."""
        out = {"hours": array(self.hours, schema.field("hours").type)}
        counts = np.array(self.counts, dtype=np.int64)
        rows = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
        for name, values in self.columns.items():
            type_ = schema.field(name).type
            texts = _repeated_texts(values, self.counts) if type_ == pa.string() else None
            out[name] = texts if texts is not None else take(array(values, type_), rows)
        if self.unbooked:
            at = np.repeat(np.array(self.pending, dtype=bool), counts)
            extra = np.zeros(len(at), dtype=np.int64)
            extra[at] = np.array(self.unbooked, dtype=np.int64)
            for name in UNBOOKED:
                out[name] = pa.array(np.asarray(out[name]) + extra)
        return out

    @staticmethod
    def check(b: Trajectories) -> None:
        """Raise ValueError unless a trajectory's blocks expand to rows of one length."""
        blocks = {len(b.counts), len(b.pending), *(len(getattr(b, n)) for n in BLOCK_COLUMNS)}
        rows = sum(b.counts)
        unbooked = sum(compress(b.counts, b.pending))
        if len(blocks) > 1 or rows != len(b.hours) or unbooked != len(b.unbooked):
            raise ValueError("trajectories row group: blocks of different lengths")


def _repeated_texts(values: list, counts: list[int]) -> pa.Array | None:
    """The string array of each of ``values`` repeated ``counts`` times (None unless every
    value is a text): the bytes of a block's value copied once per row by ``bytes``."""
    try:
        encoded = {v: v.encode() for v in set(values)}
    except (AttributeError, TypeError):  # a value that is not a text (or not hashable)
        return None
    if not all(type(v) is str for v in encoded):
        return None
    parts = list(map(encoded.__getitem__, values))
    chars = b"".join([p * n for p, n in zip(parts, counts, strict=True)])
    lengths = np.repeat(np.array(list(map(len, parts)), dtype=np.int64), counts)
    ends = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=ends[1:])
    buffers = [None, pa.py_buffer(ends.astype(np.int32)), pa.py_buffer(chars)]
    return pa.Array.from_buffers(pa.string(), len(lengths), buffers)


def kept_as(group: Mapping[str, list], kind: type) -> Any:
    """The rows of ``group`` as the model kept them if they are a ``kind`` (else None)."""
    if isinstance(group, ColumnsView) and isinstance(group.buffer, kind):
        return group.buffer
    return None


# the income columns a row's key (source kind, source, zone, activity) decides, in order
_BY_KEY = tuple(c.name for c in columns(Income)[1:-2])


class ChunkIncome:
    """The income rows of a chunk: each distinct income key with its static columns kept
    once, a row its code; the columns are made for the distinct keys, then taken by code."""

    def __init__(self) -> None:
        self.codes: dict[tuple, int] = {}
        self.distinct: list[tuple] = []  # the columns of ``_BY_KEY`` of each code
        self.rows: list[int] = []
        self.count: list = []
        self.runes: list = []

    def add(self, group: Mapping[str, list]) -> None:
        """Append one replication's income rows."""
        rows = kept_as(group, IncomeRows)
        if rows is None:  # rows as columns: each row its own code
            at = len(self.distinct)
            self.distinct += zip(*(group[name] for name in _BY_KEY), strict=True)
            self.rows += range(at, len(self.distinct))
            self.count += group["count"]
            self.runes += group["runes"]
            return
        keys = rows.keys
        codes: list[Any] = list(map(self.codes.get, keys))
        if None in codes:  # keys new to the chunk (a replication's keys are distinct)
            for i in [i for i, code in enumerate(codes) if code is None]:
                key, static = keys[i], rows.static[i]
                codes[i] = self.codes[key] = len(self.distinct)
                self.distinct.append((*key[:3], *static, key[3]))
        self.rows += codes
        self.count += rows.count
        self.runes += rows.runes

    @staticmethod
    def check(rows: IncomeRows) -> None:
        """Raise ValueError unless the columns of ``rows`` have one length."""
        if not len(rows.keys) == len(rows.static) == len(rows.count) == len(rows.runes):
            raise ValueError("income row group: columns of different lengths")

    def arrays(self, schema: pa.Schema) -> dict[str, pa.Array]:
        """The arrays of every column but ``replication``."""
        rows = np.array(self.rows, dtype=np.int64)
        distinct: list[tuple] = list(zip(*self.distinct, strict=True)) or [()] * len(_BY_KEY)
        out = {
            name: take(array(list(values), schema.field(name).type), rows)
            for name, values in zip(_BY_KEY, distinct, strict=True)
        }
        out["count"] = array(self.count, schema.field("count").type)
        out["runes"] = array(self.runes, schema.field("runes").type)
        return out
