"""Stored runs: atomic writes, Parquet parts, empty tables and summary.json."""

from __future__ import annotations

import json
import os

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sim.batch.summary import summarise_run
from sim.store import (
    TABLES,
    atomic_write_bytes,
    atomic_write_text,
    read_summary,
    read_table,
    schema,
    write_manifest,
    write_part,
    write_summary,
)
from sim.store.parts import clear_temporaries, encode_table, part_path
from sim.store.schemas import hours_to_level_column, level_at_hours_column


def test_atomic_write_leaves_only_the_target(tmp_path):
    """An atomic write leaves the target file and no temporary file beside it."""
    atomic_write_bytes(tmp_path / "a.bin", b"abc")
    atomic_write_text(tmp_path / "b.txt", "text")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.bin", "b.txt"]
    assert (tmp_path / "a.bin").read_bytes() == b"abc"


def test_atomic_write_failure_keeps_the_old_file(tmp_path, monkeypatch):
    """If the rename fails, the old contents stay and the temporary file is removed."""
    target = tmp_path / "m.json"
    atomic_write_text(target, "old")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        atomic_write_text(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["m.json"]


def test_clear_temporaries_removes_what_a_killed_writer_left(tmp_path):
    """Hidden ``*.tmp`` files in table directories are removed; parts are kept."""
    write_part(tmp_path, "events", 0, schema("events").empty_table())
    stale = part_path(tmp_path, "events", 0).parent / ".part-00001.parquet.x1y2.tmp"
    stale.write_bytes(b"torn")
    assert clear_temporaries(tmp_path) == 1
    assert [p.name for p in part_path(tmp_path, "events", 0).parent.iterdir()] == [
        "part-00000.parquet"
    ]


@pytest.mark.parametrize("name", TABLES)
def test_read_table_without_parts_has_the_schema(tmp_path, name):
    """A table with no parts reads as an empty frame with the documented columns."""
    frame = read_table(tmp_path, name)
    assert len(frame) == 0
    assert list(frame.columns) == schema(name).names


def test_replications_columns_follow_the_recorded_levels_and_hours(tmp_path):
    """Without parts, replications has one column per recorded level and play time (from the
    manifest)."""
    write_manifest(
        tmp_path, {"scenario": {"record": {"levels": [20, 40], "level_hours": [1.0, 2.5]}}}
    )
    columns = list(read_table(tmp_path, "replications").columns)
    expected = [hours_to_level_column(20), hours_to_level_column(40)]
    expected += [level_at_hours_column(1.0), level_at_hours_column(2.5)]
    assert expected == [
        "hours_to_level_20",
        "hours_to_level_40",
        "level_at_hours_1",
        "level_at_hours_2_5",
    ]
    assert all(c in columns for c in expected)


def test_equal_rows_give_equal_part_bytes(tmp_path):
    """Encoding the same rows twice gives the same bytes, with no pandas metadata."""
    rows = {
        "replication": [0, 1],
        "hours": [0.0, 0.5],
        "event": ["death", "recover"],
        "zone": ["Limgrave", "Limgrave"],
        "detail": ["", ""],
        "value": [100.0, float("nan")],
    }
    a = encode_table(pa.Table.from_pydict(rows, schema=schema("events")))
    b = encode_table(pa.Table.from_pydict(dict(rows), schema=schema("events")))
    assert a == b
    write_part(tmp_path, "events", 0, pa.Table.from_pydict(rows, schema=schema("events")))
    assert b"pandas" not in (pq.read_schema(part_path(tmp_path, "events", 0)).metadata or {})


def test_read_table_orders_by_replication(tmp_path):
    """Parts written in any order read back sorted by replication."""
    s = schema("failures")
    for chunk, reps in ((1, [2, 3]), (0, [0, 1])):
        rows = {
            "replication": reps,
            "seed": [1, 1],
            "seed_entropy": ["1", "1"],
            "error": ["e", "e"],
            "traceback": ["t", "t"],
        }
        write_part(tmp_path, "failures", chunk, pa.Table.from_pydict(rows, schema=s))
    assert read_table(tmp_path, "failures")["replication"].tolist() == [0, 1, 2, 3]


def test_summary_treats_nan_times_as_censored(tmp_path):
    """finish_hours NaN counts as not reached by the horizon, and summary.json is strict JSON."""
    s = schema("replications", (20,), ())
    n = 4
    cols = {f.name: [0] * n for f in s}
    cols.update(
        replication=list(range(n)),
        seed_entropy=["1"] * n,
        scenario=["t"] * n,
        strategy=["natural"] * n,
        skill=[0.0] * n,
        final_level=[10, 20, 30, 40],
        hours_to_level_20=[np.nan, 5.0, 3.0, 2.0],
        finish_hours=[np.nan, np.nan, 8.0, 9.0],
        horizon_hours=[10.0] * n,
        hours_played=[10.0, 10.0, 8.0, 9.0],
    )
    write_part(tmp_path, "replications", 0, pa.Table.from_pydict(cols, schema=s))
    scenario = {
        "name": "t",
        "seed": 1,
        "horizon_hours": 10.0,
        "record": {"levels": [20], "level_hours": []},
    }
    write_summary(tmp_path, summarise_run(tmp_path, scenario))
    text = (tmp_path / "summary.json").read_text()
    assert "NaN" not in text
    summary = read_summary(tmp_path)
    assert summary["replications"] == 4
    assert summary["metrics"]["finish_hours"]["reached"] == 0.5
    assert summary["metrics"]["hours_to_level.20"]["reached"] == 0.75
    assert summary["metrics"]["final_level"]["mean"] == 25.0
    assert set(json.loads(text)) >= {"scenario", "replications", "seed", "metrics"}


def test_read_table_returns_a_dataframe(tmp_path):
    """read_table returns pandas, with int64 and float64 columns as documented."""
    frame = read_table(tmp_path, "trajectories")
    assert isinstance(frame, pd.DataFrame)
    assert frame["level"].dtype == np.int64 and frame["hours"].dtype == np.float64
