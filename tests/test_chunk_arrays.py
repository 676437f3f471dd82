"""A chunk's columns packed into Arrow buffers at once are the arrays pyarrow converts."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pyarrow as pa
import pytest

from sim.batch.arrays import ChunkBlocks, ChunkIncome, take
from sim.batch.worker import _add_runs, _array, _runs_array
from sim.columns import ColumnsView, Trajectories
from sim.model.recorder import snapshot, snapshots
from sim.model.replication import IncomeRows
from sim.store.parts import encode_table
from sim.store.schemas import schema


def _stored(array: pa.Array) -> bytes:
    """The Parquet bytes of a one-column table (NaN equals NaN here, as in the stored parts)."""
    return encode_table(pa.table({"x": array}))


@pytest.mark.parametrize(
    ("values", "type_"),
    [
        ([1, -2, 3, 2**62], pa.int64()),
        ([0.5, math.nan, -0.0, math.inf, 3], pa.float64()),
        ([1.0, 2.0], pa.int64()),  # whole floats in an int64 column: converted one by one
        ([1.5, None], pa.float64()),  # a missing value: a null, as pyarrow converts it
        ([], pa.int64()),
        (["a", "b"], pa.string()),
        ([True, False], pa.bool_()),
    ],
)
def test_packed_columns_equal_converted_ones(values: list, type_: pa.DataType) -> None:
    packed = _array(values, type_)
    assert packed.type == type_
    assert _stored(packed) == _stored(pa.array(values, type=type_))


def test_a_value_pyarrow_refuses_is_still_refused() -> None:
    with pytest.raises((pa.ArrowInvalid, pa.ArrowTypeError)):
        _array([1, "x"], pa.int64())


def test_replication_runs_expand_to_the_column() -> None:
    runs: list = []
    _add_runs(runs, [3, 3, 3])
    _add_runs(runs, [])
    _add_runs(runs, (4, 5))  # not one replication's rows: kept value by value
    assert runs == [(3, 3), (4, 1), (5, 1)]
    assert _runs_array(runs).equals(pa.array([3, 3, 3, 4, 5], type=pa.int64()))
    assert _runs_array([]).equals(pa.array([], type=pa.int64()))


def _played() -> Trajectories:
    """A trajectory of three blocks: plain, with runes not booked yet, and one row."""
    earned = {"enemy": 10, "boss": 0, "item": 5, "farm": 0, "invasion": 0}
    led = SimpleNamespace(held=15, earned=15, earned_by=earned, spent=0, lost=0)
    player = SimpleNamespace(level=3, deaths=0, zone="Limgrave")
    pt = SimpleNamespace(trajectory=Trajectories(), ledger=led, player=player)
    snapshots(pt, [0.0, 0.5])  # type: ignore[arg-type]
    player.level, player.zone = 4, "Liurnia"
    snapshots(pt, [1.0, 1.5, 2.0], [0, 7, 9])  # type: ignore[arg-type]
    led.held = 40
    snapshot(pt, 2.5, 3)  # type: ignore[arg-type]
    return pt.trajectory


def test_trajectory_blocks_expand_to_their_rows() -> None:
    tr = _played()
    rows = tr.column_dict(7)
    assert rows["hours"] == [0.0, 0.5, 1.0, 1.5, 2.0, 2.5]
    assert rows["level"] == [3, 3, 4, 4, 4, 4]
    assert rows["zone"] == ["Limgrave"] * 2 + ["Liurnia"] * 4
    assert rows["runes_held"] == [15, 15, 15, 22, 24, 43]
    assert rows["earned_enemy"] == [10, 10, 10, 17, 19, 13]
    assert rows["earned_item"] == [5] * 6
    assert rows["replication"] == [7] * 6
    assert dict(tr.view(7)) == rows
    assert len(tr.rows()) == 6


def test_a_chunk_of_blocks_makes_the_arrays_of_its_rows() -> None:
    sch = schema("trajectories")
    by_blocks, by_rows = ChunkBlocks(), ChunkBlocks()
    for k in range(3):
        tr = _played()
        by_blocks.add(tr.view(k))
        by_rows.add(tr.column_dict(k))  # rows as a stand-in engine gives them: a block each
    made = by_blocks.arrays(sch)
    for name, expected in by_rows.arrays(sch).items():
        assert made[name].equals(expected), name
    rows = _played().column_dict(0)
    for name in ("hours", "level", "runes_held", "zone"):
        assert made[name].to_pylist()[:6] == rows[name]


def test_only_a_trajectory_replication_can_be_set() -> None:
    view = _played().view(1)
    view["replication"] = [5] * 6
    assert view["replication"] == [5] * 6 and view.replication == 5
    with pytest.raises(ValueError):
        view["level"] = [1] * 6


def _income_rows(keys: list[tuple], count: list[int], runes: list[int]) -> IncomeRows:
    """Income rows as the ledger keeps them, each key's static columns made from its zone."""
    rows = IncomeRows.__new__(IncomeRows)
    rows.keys = keys
    rows.static = [(f"{k[2]} region", len(k[2]), "overworld", "", "") for k in keys]
    rows.count, rows.runes = count, runes
    return rows


def test_a_chunk_of_income_keys_makes_the_arrays_of_its_rows() -> None:
    sch = schema("income")
    a = ("enemy", "Soldier", "Limgrave", "explore")
    b = ("boss", "Margit", "Stormveil", "boss")
    c = ("item", "Golden Rune [1]", "Liurnia", "explore")
    played = [_income_rows([a, b], [3, 1], [90, 800]), _income_rows([], [], [])]
    played += [_income_rows([b, c, a], [1, 2, 5], [800, 400, 150])]
    by_keys, by_rows = ChunkIncome(), ChunkIncome()
    for k, rows in enumerate(played):
        by_keys.add(ColumnsView(rows, k, tuple(f.name for f in sch)))
        by_rows.add(rows.column_dict(k))  # rows as a stand-in engine gives them
    assert len(by_keys.distinct) == 3 and len(by_rows.distinct) == 5
    made = by_keys.arrays(sch)
    for name, expected in by_rows.arrays(sch).items():
        assert made[name].equals(expected), name
    sources = ["Soldier", "Margit", "Margit", "Golden Rune [1]", "Soldier"]
    assert made["source"].to_pylist() == sources
    assert made["tier"].to_pylist() == [8, 9, 9, 7, 8]
    assert ChunkIncome().arrays(sch)["zone"].equals(pa.array([], type=pa.string()))


@pytest.mark.parametrize(
    "values",
    [
        pa.array([4, -1, 7], type=pa.int64()),
        pa.array([0.5, math.nan, -0.0], type=pa.float64()),
        pa.array(["Limgrave", "", "Caelid ✓"], type=pa.string()),
        pa.array(["a", None, "ccc"], type=pa.string()),  # a null: taken one by one
        pa.array([10, 11, 12, 13], type=pa.int64()).slice(1),  # an array with an offset
        pa.array(["w", "xx", "yyy", "z"], type=pa.string()).slice(1),
    ],
)
def test_taken_rows_are_pyarrows(values: pa.Array) -> None:
    for rows in ([2, 0, 0, 1], [], [1]):
        made = take(values, np.array(rows, dtype=np.int64))
        assert made.type == values.type
        assert _stored(made) == _stored(values.take(pa.array(rows, type=pa.int64())))


def test_a_zone_that_is_not_a_text_is_still_stored_as_pyarrow_converts_it() -> None:
    sch = schema("trajectories")
    tr = _played()
    tr.zone[1] = None  # type: ignore[call-overload]
    blocks = ChunkBlocks()
    blocks.add(tr.view(0))
    assert blocks.arrays(sch)["zone"].to_pylist() == ["Limgrave"] * 2 + [None] * 3 + ["Liurnia"]
