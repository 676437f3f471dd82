"""Honest statistics everywhere: one statistic per interval, no negative bounds for quantities
that cannot be negative, and no median or mean for a milestone fewer than half reached (in
``run``, ``compare``, the JSON, the report and the API)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from sim.analysis.metrics import describe, reached_note
from sim.analysis.paired import metric_kind
from sim.analysis.summary import summarise
from tests.frames import make_run, synthetic_compare

# hours_to_level_150 is never reached in the synthetic runs within 60 h
RARE = "hours_to_level_150"


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    out = tmp_path_factory.mktemp("honest")
    return synthetic_compare(out, n=24, seed=5)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.one_of(st.just(0.0), st.floats(0, 1e6, allow_nan=False)), min_size=2, max_size=60)
)
def test_non_negative_values_never_get_a_negative_bound(xs):
    """A sample that cannot be negative (mostly zeros, a long tail) never gets a negative bound."""
    d = describe(xs)
    for key in ("ci95", "mean_ci95"):
        lo, hi = d[key]
        assert lo is None or lo >= 0.0, (key, d)
        assert hi is None or hi >= (lo or 0.0)


def test_runes_lost_like_sample_gets_a_positive_mean_interval():
    """Runes lost (60% zeros, heavy tail): the mean's interval lies in [0, max] and holds the
    mean."""
    rng = np.random.default_rng(2)
    x = np.where(rng.random(200) < 0.6, 0.0, rng.exponential(20_000, 200))
    d = describe(x)
    lo, hi = d["mean_ci95"]
    assert 0.0 <= lo < d["mean"] < hi <= x.max()


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.floats(0.1, 100), st.booleans()), min_size=3, max_size=40))
def test_times_to_an_event_never_get_a_negative_bound(rows):
    """Kaplan–Meier intervals of hours (median's and restricted mean's) are never below zero."""
    t = np.array([r[0] for r in rows])
    c = np.array([r[1] for r in rows])
    d = describe(t, censored=c, horizon=100.0)
    for key in ("ci95", "mean_ci95"):
        lo, _ = d[key]
        assert lo is None or lo >= 0.0


def test_milestone_fewer_than_half_reached_has_no_median_and_no_mean():
    """4% reached: median, mean and both intervals are None and the note says '— (4% reached)'."""
    t = np.full(100, 150.0)
    c = np.ones(100, bool)
    t[:4], c[:4] = [60.0, 70.0, 80.0, 90.0], False
    d = describe(t, censored=c, horizon=150.0)
    assert d["median"] is None and d["mean"] is None
    assert d["ci95"] == [None, None] and d["mean_ci95"] == [None, None]
    assert d["note"] == "— (4% reached)" == reached_note(0.04)


def test_run_summary_json_withholds_the_rare_milestone():
    """summary.json (run): a level fewer than half reached has no median/mean, and says so."""
    frame = make_run("natural", n=20, horizon=60.0).replications
    frame = frame.rename(columns={f"hours_to_level_{lv}": f"hours_to_level.{lv}" for lv in (150,)})
    frame["hours_to_level_150"] = frame.pop("hours_to_level.150")
    frame["hours_played"] = frame["horizon_hours"]
    s = summarise(frame, {"name": "natural", "seed": 7, "horizon_hours": 60.0}, (150,))
    m = s["metrics"]["hours_to_level.150"]
    assert m["median"] is None and m["mean"] is None and m["note"] == "— (0% reached)"
    json.dumps(s, allow_nan=False)


def test_run_table_prints_the_note_instead_of_figures(capsys):
    """`run`'s table shows '— (x% reached)' on the rare milestone and no mean for it."""
    from sim.cli import run_cmd

    summary = {
        "scenario": "s",
        "replications": 100,
        "seed": 1,
        "metrics": {
            "hours_to_level.150": describe(
                np.r_[np.full(4, 70.0), np.full(96, 150.0)],
                censored=np.r_[np.zeros(4, bool), np.ones(96, bool)],
                horizon=150.0,
            )
        },
    }
    run_cmd._print_summary(summary, 1.0)
    out = capsys.readouterr().out
    line = next(ln for ln in out.splitlines() if "hours_to_level.150" in ln)
    assert "— (4% reached)" in line and "150" not in line.replace("hours_to_level.150", "")


def test_compare_json_withholds_the_rare_milestone_on_both_sides_and_in_the_diff(result):
    """comparison.json: no median or mean for either strategy nor for the paired difference."""
    data = json.loads((result.out / "comparison.json").read_text())
    m = data["metrics"][RARE]
    for s in ("natural", "rush_mohgwyn"):
        assert m[s]["median"] is None and m[s]["mean"] is None
        assert m[s]["note"].startswith("— (") and m[s]["note"].endswith("reached)")
    assert m["diff"]["median"] is None and m["diff"]["mean"] is None
    assert m["diff"]["difference_of_medians"] is None


def test_compare_json_has_no_negative_bound_for_non_negative_metrics(result):
    """Every per-strategy interval of hours, levels, deaths and runes starts at zero or above."""
    for metric, m in result.json()["metrics"].items():
        assert metric_kind(metric) in ("hours", "levels", "deaths", "runes", "count", "share")
        for s in result.strategies:
            for key in ("ci95", "mean_ci95"):
                lo = m[s][key][0]
                assert lo is None or lo >= 0, (metric, s, key, lo)


def test_compare_terminal_shows_the_note(result):
    """`compare`'s table prints '— (0% reached)' for the rare milestone, not a number."""
    from sim.cli.compare_cmd import print_comparison

    console = Console(record=True, width=200)
    import sim.cli.compare_cmd as cc

    original = cc._console
    cc._console = lambda: console
    try:
        print_comparison(result.json())
    finally:
        cc._console = original
    lines = console.export_text().splitlines()
    line = next(ln for ln in lines if RARE in ln)
    assert line.count("— (0% reached)") == 2 and "neither reached it" in line
    # a level fewer than half get to even if they keep playing: a share, never a median
    rare = [
        m
        for m, v in result.json()["metrics"].items()
        if any(isinstance(x, dict) and x.get("note") for x in v.values())
    ]
    for m in rare:
        line = next(ln for ln in lines if f" {m} " in ln)
        assert "% reached)" in line and ("fewer than half reached it" in line or "neither" in line)


def test_report_shows_the_note_for_the_rare_milestone(result):
    """The report's row for the rare milestone shows '— (0% reached)' in both columns."""
    from sim.report import render_report

    html = render_report(result)
    row = next(r for r in html.split("<tr") if "hours to reach level 150" in r)
    assert row.count("— (0% reached)") == 2


def test_api_table_withholds_the_rare_milestone(result):
    """api: ComparisonResult.table() has no median for the rare milestone and carries the note."""
    t = result.table().set_index("metric")
    assert t.loc[RARE, "natural median"] is None or np.isnan(t.loc[RARE, "natural median"])
    assert t.loc[RARE, "natural note"] == "— (0% reached)"
    assert t.loc["hours_to_level_80", "natural note"] == ""


def test_api_readable_tables_show_the_note(result):
    """api.comparison_table and api.summary_table print the note, not a figure, for the rare
    level."""
    from sim import api
    from sim.store import read_summary

    t = api.comparison_table(result)
    assert t.loc[RARE, "natural (median)"] == "— (0% reached)"
    s = api.summary_table(read_summary(result.run_dirs["natural"]))
    assert s.loc["hours_to_level.150", "median"] == "— (0% reached)"
    assert s.loc["hours_to_level.150", "mean"] == ""
