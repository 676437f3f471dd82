"""The command line end to end, as a subprocess: good input works, bad input is exit 2 and one
clear message (file, key path, value, what was expected), never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NATURAL = ROOT / "scenarios" / "natural.toml"


def runesim(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sim", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        timeout=300,
    )


def bad(tmp_path: Path, text: str) -> Path:
    f = tmp_path / "bad.toml"
    f.write_text(text, encoding="utf-8")
    return f


def assert_input_error(r: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr + r.stdout
    for needle in needles:
        assert needle in r.stderr, (needle, r.stderr)


def test_validate_accepts_the_shipped_scenarios():
    """validate prints ok for good files and exits 0."""
    r = runesim("validate", NATURAL, ROOT / "scenarios" / "rush_mohgwyn.toml")
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("ok:") == 2


def test_unknown_key_names_the_path_and_suggests(tmp_path):
    """A misspelt key is exit 2 with its key path and a 'did you mean'."""
    f = bad(tmp_path, 'name = "x"\n[player.skill]\nsdd = 3\n')
    assert_input_error(runesim("validate", f), str(f), "player.skill.sdd", "did you mean 'sd'")


def test_wrong_type_names_the_path_and_value(tmp_path):
    """A value of the wrong type is exit 2 naming the key path and the value."""
    f = bad(tmp_path, '[player.skill]\nsd = "wide"\n')
    assert_input_error(runesim("validate", f), "player.skill.sd", "'wide'")


def test_out_of_range_override_is_rejected():
    """--set with an out-of-range value is exit 2 naming the key path and what was expected."""
    assert_input_error(
        runesim("validate", NATURAL, "--set", "player.skill.sd=-1"),
        "player.skill.sd",
        "-1",
        "greater than or equal to 0",
    )


def test_unknown_strategy_suggests_the_near_miss(tmp_path):
    """An unknown strategy name suggests the closest known one."""
    f = bad(tmp_path, 'strategy = "rush_mogwyn"\n')
    assert_input_error(runesim("validate", f), "strategy", "rush_mohgwyn")


def test_unknown_zone_in_a_route_suggests_the_zone(tmp_path):
    """A misspelt zone in a route step names the step and suggests the zone."""
    f = bad(tmp_path, 'strategy = "route"\n[route]\nsteps = [\'explore "Limgrav"\']\n')
    assert_input_error(runesim("validate", f), "route.steps[0]", "'Limgrave'")


def test_unknown_farm_suggests_the_farm(tmp_path):
    """A misspelt farming spot names its key and suggests the spot."""
    f = bad(
        tmp_path, 'strategy = "rush_mohgwyn"\n[rush_mohgwyn]\nfarm = "Palace Approach Ledge Road"\n'
    )
    assert_input_error(runesim("validate", f), "rush_mohgwyn.farm", "Palace Approach Ledge-Road")


def test_missing_file_is_an_input_error(tmp_path):
    """A scenario file that does not exist is exit 2 naming it."""
    assert_input_error(
        runesim("run", tmp_path / "nowhere.toml"), "nowhere.toml", "an existing scenario file"
    )


def test_toml_syntax_error_is_an_input_error(tmp_path):
    """Broken TOML is exit 2 naming the file and the syntax problem."""
    f = bad(tmp_path, "name = \n")
    assert_input_error(runesim("run", f), str(f), "TOML")


def test_malformed_override_is_an_input_error():
    """--set without '=' is exit 2 saying the form expected."""
    assert_input_error(runesim("validate", NATURAL, "--set", "player.skill.sd"), "key.path=value")


def test_unknown_data_zone_suggests(tmp_path):
    """runesim data with an unknown --zone is exit 2 with a suggestion."""
    assert_input_error(runesim("data", "enemies", "--zone", "Limgrav"), "Limgrave")


def test_data_levels_csv_starts_with_the_game_costs():
    """runesim data levels --format csv lists level, cost, total from 1 -> 2 = 673."""
    r = runesim("data", "levels", "--format", "csv")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "level,cost,total"
    assert lines[1] == "1,673,673"
    assert len(lines) == 713


def test_trace_prints_a_timeline():
    """trace prints one playthrough: its rune balance and its events in order of play time."""
    r = runesim("trace", NATURAL, "--replication", "3", "--set", "horizon_hours=12")
    assert r.returncode == 0, r.stderr
    assert "runes: earned" in r.stdout and "enter" in r.stdout and "level " in r.stdout


@pytest.mark.slow
def test_run_writes_every_result_file_and_a_summary(tmp_path):
    """run writes the manifest, summary.json and the Parquet tables, and prints a summary."""
    out = tmp_path / "run"
    r = runesim(
        "run",
        NATURAL,
        "-n",
        "4",
        "--jobs",
        "1",
        "--out",
        out,
        "--set",
        "horizon_hours=15",
        "--no-progress",
    )
    assert r.returncode == 0, r.stderr
    for name in (
        "manifest.json",
        "summary.json",
        "replications.parquet",
        "trajectories.parquet",
        "events.parquet",
    ):
        assert (out / name).exists(), name
    summary = json.loads((out / "summary.json").read_text())
    assert summary["replications"] == 4
    for key in (
        "final_level",
        "deaths",
        "runes_earned",
        "runes_lost",
        "finish_hours",
        "hours_to_level.20",
    ):
        assert set(summary["metrics"][key]) >= {
            "mean",
            "median",
            "p10",
            "p90",
            "ci95",
            "reached",
        }, key


@pytest.mark.slow
def test_sweep_compares_values_of_one_parameter(tmp_path):
    """sweep runs one scenario per value on the same seeds and prints the paired JSON."""
    r = runesim(
        "sweep",
        ROOT / "scenarios" / "rush_mohgwyn.toml",
        "--vary",
        "rush_mohgwyn.target_level=60,100",
        "-n",
        "4",
        "--jobs",
        "1",
        "--out",
        tmp_path / "sw",
        "--set",
        "horizon_hours=30",
        "--json",
    )
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["strategies"] == ["target_level-60", "target_level-100"]
    assert data["pairs"] == 4
    assert data["metrics"]["hours_to_level_100"]["diff"]["of"] == [
        "target_level-100",
        "target_level-60",
    ]


def test_sweep_needs_two_values():
    """--vary with a single value is exit 2 saying the form expected."""
    assert_input_error(
        runesim("sweep", NATURAL, "--vary", "natural.ready_gap=10"), "at least two values"
    )
