"""``runesim sensitivity`` and ``compare --uncertainty sample`` end to end: the JSON shape,
resuming, and exit 2 on bad input."""

from __future__ import annotations

import json

import pytest

from tests.test_cli import NATURAL, ROOT, assert_input_error, runesim

RUSH = ROOT / "scenarios" / "rush_mohgwyn.toml"
SMALL = ("--set", "horizon_hours=2", "--jobs", "1")


@pytest.mark.slow
def test_sensitivity_json_has_the_contract_keys_and_resumes(tmp_path):
    """--json prints metric, method, samples, parameters (name, range, S1, S1_ci95, ST, ST_ci95)
    and verdict_flip_share; rerunning with the same --out runs nothing new."""
    out = tmp_path / "s"
    args = (
        "sensitivity",
        NATURAL,
        "--against",
        RUSH,
        "--metric",
        "level_at_hours_1",
        "--samples",
        "2",
        "-n",
        "2",
        "--params",
        "explore_scale,kill_time_scale",
        "--out",
        out,
        "--json",
        *SMALL,
    )
    r = runesim(*args)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert {"metric", "method", "samples", "parameters", "verdict_flip_share"} <= data.keys()
    assert (data["metric"], data["method"], data["samples"]) == ("level_at_hours_1", "sobol", 2)
    assert [p["name"] for p in data["parameters"]] != [] and len(data["parameters"]) == 2
    for p in data["parameters"]:
        assert {"name", "range", "S1", "S1_ci95", "ST", "ST_ci95"} <= p.keys()
        assert len(p["range"]) == 2 and len(p["S1_ci95"]) == 2
    assert 0.0 <= data["verdict_flip_share"] <= 1.0
    assert "playthroughs" in r.stderr  # the cost is said before anything runs
    assert (out / "report.html").is_file() and "How sure are we?" in (
        out / "report.html"
    ).read_text()
    again = runesim(*args)
    assert again.returncode == 0, again.stderr
    manifest = json.loads((out / "natural" / "manifest.json").read_text())
    assert manifest["sessions"][-1]["replications_run"] == 0
    assert json.loads(again.stdout)["parameters"] == data["parameters"]


def test_sensitivity_bad_input_is_exit_2(tmp_path):
    """An unknown metric is exit 2 with one clear message, and nothing is written."""
    r = runesim("sensitivity", NATURAL, "--metric", "hours_to_level_81", "--out", tmp_path / "s")
    assert_input_error(r, "--metric", "hours_to_level_80")
    assert not (tmp_path / "s").exists()


@pytest.mark.parametrize(
    ("kw", "needle"),
    [
        ({"metric": "hours_to_level_81"}, "hours_to_level_80"),
        ({"samples": 6}, "--samples"),
        ({"method": "fast"}, "--method"),
        ({"params": ["explore_scal", "death_slope"]}, "explore_scale"),
        ({"params": ["explore_scale"]}, "at least two"),
        ({"inner": 0}, "--replications"),
    ],
)
def test_sensitivity_plan_rejects_bad_input(kw, needle):
    """Unknown metric, bad sample count, unknown method or input: an InputError naming it."""
    from sim.errors import InputError
    from sim.experiments.sensitivity import plan
    from sim.scenario.load import load_scenario

    natural = load_scenario(NATURAL, check=False)
    args = {"metric": "final_level", **kw}
    metric = args.pop("metric")
    with pytest.raises(InputError) as err:
        plan(natural, None, metric, **args)
    assert needle in err.value.message


def test_compare_bad_uncertainty_mode_is_exit_2(tmp_path):
    """--uncertainty must be none or sample."""
    r = runesim("compare", NATURAL, RUSH, "--uncertainty", "sampel", "--out", tmp_path / "c")
    assert_input_error(r, "--uncertainty", "sample")


@pytest.mark.slow
def test_compare_uncertainty_sample_splits_luck_and_inputs(tmp_path):
    """compare --uncertainty sample stores, per metric and per paired difference, the luck and
    input variances, and the report has the "How sure are we?" section."""
    out = tmp_path / "c"
    r = runesim(
        "compare",
        NATURAL,
        RUSH,
        "--uncertainty",
        "sample",
        "--outer",
        "3",
        "--inner",
        "2",
        "--out",
        out,
        "--json",
        *SMALL,
    )
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["pairs"] == 6
    u = data["uncertainty"]
    assert (u["outer"], u["inner"]) == (3, 2) and len(u["inputs"]) >= 6
    diff = u["metrics"]["runes_earned"]["diff"]
    for key in (
        "luck_variance",
        "input_variance",
        "luck_share",
        "input_share",
        "verdict_flip_share",
    ):
        assert key in diff
    assert "How sure are we?" in (out / "report.html").read_text()
