"""Columns declared once: the records, the schemas, the doc, and the level milestone labels."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.columns import (
    Events,
    hours_of_column,
    hours_to_level_column,
    is_hours_to_level,
    is_level_at_hours,
    level_at_hours_column,
    level_of_column,
)
from sim.store.schemas import RECORDS, TABLES, doc_columns, schema, with_doc_tables

ROOT = Path(__file__).resolve().parents[1]


def test_public_milestone_names_are_kept() -> None:
    """The labels users and the README know stay exactly as they are."""
    assert hours_to_level_column(80) == "hours_to_level_80"
    assert level_at_hours_column(10) == "level_at_hours_10"
    assert level_at_hours_column(10.0) == "level_at_hours_10"
    assert level_at_hours_column(2.5) == "level_at_hours_2_5"
    assert level_of_column("hours_to_level_80") == 80
    assert hours_of_column("level_at_hours_10") == 10.0


@given(st.floats(min_value=0.0, max_value=1e6, allow_nan=False, exclude_min=True))
def test_a_play_time_label_reads_back_as_the_same_hours(hours: float) -> None:
    column = level_at_hours_column(hours)
    assert hours_of_column(column) == hours
    assert is_level_at_hours(column) and not is_hours_to_level(column)


@given(st.integers(min_value=1, max_value=10**6))
def test_a_level_label_reads_back_as_the_same_level(level: int) -> None:
    column = hours_to_level_column(level)
    assert level_of_column(column) == level
    assert is_hours_to_level(column) and not is_level_at_hours(column)


@pytest.mark.parametrize(
    "column",
    [
        "finish_hours",
        "final_level",
        "level_at_hours_",
        "level_at_hours_2_",
        "level_at_hours_2.5",
        "level_at_hours_2_5_1",
        "hours_to_level_",
        "hours_to_level_8x",
        "xhours_to_level_8",
        80,
    ],
)
def test_other_columns_are_not_milestones(column: object) -> None:
    assert level_of_column(column) is None and hours_of_column(column) is None


@pytest.mark.parametrize("name", TABLES)
def test_the_doc_lists_the_schema(name: str) -> None:
    """The architecture doc's column tables are the schemas' columns, up to date."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert with_doc_tables(text) == text, "run: python tools/column_docs.py"
    if name != "replications":
        stored = schema(name)
        assert [c.name for c in doc_columns(name)] == stored.names
        assert [c.type for c in doc_columns(name)] == [
            str(f.type).replace("double", "float64") for f in stored
        ]


def test_every_row_group_but_replications_starts_with_the_replication() -> None:
    for name in RECORDS:
        assert schema(name).names[0] == "replication"


def test_a_column_buffer_reorders_and_reads_rows_by_name() -> None:
    ev = Events()
    ev.add(2.0, "death", "Limgrave", "explore", 10.0)
    ev.add(1.0, "boss_win", "Limgrave", "Margit", 3.0)
    ev.reorder([1, 0])
    assert [r["event"] for r in ev.rows()] == ["boss_win", "death"]
    cols = ev.column_dict(4)
    assert list(cols) == schema("events").names and cols["replication"] == [4, 4]


def test_fractional_level_hours_work_end_to_end(tmp_path: Path) -> None:
    """record.level_hours with 2.5: the run stores level_at_hours_2_5, compare reads it back as
    2.5 h (a key metric for --target-error within a 6 h horizon, a compared metric)."""
    from sim import api
    from sim.report_sections import what
    from sim.scenario.load import load_scenario
    from sim.store import read_table

    over = ["horizon_hours=6", "record.level_hours=[1, 2.5, 5]", "record.levels=[10, 20]"]
    paths = [ROOT / "scenarios" / f"{s}.toml" for s in ("natural", "rush_mohgwyn")]
    scenarios = [load_scenario(p, over) for p in paths]
    res = api.compare(
        *scenarios, n=4, seed=3, jobs=1, out=tmp_path / "cmp", target_error=1e-9, block=2, max_n=6
    )
    reps = {name: read_table(d, "replications") for name, d in res.run_dirs.items()}
    natural = next(iter(reps.values()))
    assert "level_at_hours_2_5" in natural.columns
    traj = read_table(res.run_dirs[next(iter(reps))], "trajectories")
    at = traj[traj["hours"] == 2.5].set_index("replication")["level"]
    kept = natural["quit_hours"].isna() | (natural["quit_hours"] >= 2.5)
    for _, row in natural[kept].iterrows():
        assert row["level_at_hours_2_5"] == at[row["replication"]]
    data = res.json()
    assert "level_at_hours_2_5" in data["precision"]["key_metrics"]
    assert math.isfinite(data["precision"]["errors"][next(iter(reps))]["level_at_hours_2_5"])
    assert "level_at_hours_2_5" in data["metrics"]
    assert what("level_at_hours_2_5") == "level after 2.5 hours of play"


def test_a_replication_fills_exactly_the_declared_columns_in_order() -> None:
    """The row groups and the summary row of a replication have the schemas' columns, in order
    (the fractional play time included)."""
    from sim.columns import ROW_GROUPS
    from sim.model.replication import run_replication
    from tests.worlds import tiny_scenario, tiny_world

    s = tiny_scenario(record={"levels": [10, 12], "level_hours": [1, 2.5]})
    r = run_replication(s, tiny_world(), 3)
    assert list(r.summary) == schema("replications", (10, 12), (1, 2.5)).names
    for name in ROW_GROUPS:
        group = getattr(r, name)
        assert list(group) == schema(name).names, name
        assert set(group["replication"]) <= {3}
    assert r.summary["level_at_hours_2_5"] == max(
        lv
        for h, lv in zip(r.trajectories["hours"], r.trajectories["level"], strict=True)
        if h <= 2.5
    )
