"""A chunk's columns packed into Arrow buffers at once are the arrays pyarrow converts."""

from __future__ import annotations

import math

import pyarrow as pa
import pytest

from sim.batch.worker import _add_runs, _array, _runs_array
from sim.store.parts import encode_table


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
