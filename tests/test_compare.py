"""compare(): common random numbers, the JSON contract, --target-error, the CLI."""

from __future__ import annotations

import json

import pytest

from sim.analysis.compare import relative_error
from sim.batch.worker import Engine
from sim.experiments.compare import compare
from sim.experiments.comparison import load_comparison
from sim.scenario.schema import Scenario
from sim.store import read_table

SYNTHETIC = Engine("tests.frames:replicate", "tests.frames:load_world")


def _scenarios(*strategies):
    return [Scenario(name=s, strategy=s, horizon_hours=60, chunk_size=10) for s in strategies]


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    out = tmp_path_factory.mktemp("cmp")
    return compare(
        _scenarios("natural", "rush_mohgwyn"), out, n=12, seed=11, jobs=1, engine=SYNTHETIC
    )


def test_replication_k_shares_its_skill_across_strategies(result):
    """Replication k of every strategy records the same skill draw (common random numbers)."""
    a = read_table(result.run_dirs["natural"], "replications").set_index("replication")["skill"]
    b = read_table(result.run_dirs["rush_mohgwyn"], "replications").set_index("replication")[
        "skill"
    ]
    assert len(a) == 12 and a.equals(b)


def test_comparison_json_follows_the_contract(result):
    """comparison.json has strategies, pairs and per-metric summaries with a B-vs-A diff."""
    data = json.loads((result.out / "comparison.json").read_text())
    assert data["strategies"] == ["natural", "rush_mohgwyn"] and data["pairs"] == 12
    m = data["metrics"]["hours_to_level_80"]
    assert set(m["natural"]) >= {"median", "mean", "p10", "p90", "ci95", "reached"}
    assert m["diff"]["of"] == ["rush_mohgwyn", "natural"]
    assert set(m["diff"]) >= {"median", "mean", "ci95", "verdict"}
    for metric in ("level_at_hours_10", "finish_hours", "deaths", "runes_earned", "runes_lost"):
        assert metric in data["metrics"]


def test_comparison_reads_back(result):
    """A stored comparison reads back with the same JSON and its frames."""
    back = load_comparison(result.out)
    assert back.json()["metrics"] == json.loads(json.dumps(result.json()))["metrics"]
    assert set(back.replications["scenario"]) == {"natural", "rush_mohgwyn"}


def test_three_strategies_list_every_diff(tmp_path):
    """With three strategies each metric lists a diff per later strategy, the first kept as
    'diff'."""
    sc = _scenarios("natural", "rush_mohgwyn", "natural")
    res = compare(sc, tmp_path / "c3", n=4, seed=2, jobs=1, engine=SYNTHETIC)
    m = res.json()["metrics"]["deaths"]
    assert res.strategies == ["natural", "rush_mohgwyn", "natural-2"]
    assert [d["of"][0] for d in m["diffs"]] == ["rush_mohgwyn", "natural-2"]
    assert m["diff"] == m["diffs"][0]


def test_target_error_stops_once_reached_and_records_it(tmp_path):
    """--target-error grows the runs by blocks and stops at the first block that meets it."""
    res = compare(
        _scenarios("natural", "rush_mohgwyn"),
        tmp_path / "t",
        n=5,
        seed=4,
        jobs=1,
        engine=SYNTHETIC,
        target_error=0.1,
        block=5,
        max_n=200,
    )
    p = json.loads((tmp_path / "t" / "comparison.json").read_text())["precision"]
    assert p["stopped"] == "target reached" and p["achieved_error"] <= 0.1
    assert p["n"] < 200 and p["n"] == res.json()["pairs"]
    # one block fewer had not reached it
    reps = {s: read_table(d, "replications") for s, d in res.run_dirs.items()}
    before = max(
        relative_error(r.loc[r["replication"] < p["n"] - 5, c].to_numpy(float))
        for r in reps.values()
        for c in p["key_metrics"]
    )
    assert before > 0.1


def test_target_error_stops_at_max_n(tmp_path):
    """An unreachable target stops at max_n and says so."""
    res = compare(
        _scenarios("natural"),
        tmp_path / "m",
        n=4,
        seed=4,
        jobs=1,
        engine=SYNTHETIC,
        target_error=1e-9,
        block=4,
        max_n=8,
    )
    assert res.json()["precision"]["stopped"] == "max_n reached" and res.json()["pairs"] == 8


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    from sim import api

    out = tmp_path_factory.mktemp("real")
    scenarios = [api.load_scenario(api.scenario_path(s)) for s in ("natural", "rush_mohgwyn")]
    return compare(scenarios, out / "cmp", n=4, seed=8, jobs=1)


def test_end_to_end_model_pairs_skill_draws(real):
    """With the real model, replication k of natural and rush_mohgwyn records the same skill."""
    reps = real.replications.pivot(index="replication", columns="scenario", values="skill")
    assert len(reps) == 4 and (reps["natural"] == reps["rush_mohgwyn"]).all()


def test_end_to_end_model_report(real, tmp_path):
    """A comparison of real runs gives a report and a verdict for every compared metric."""
    from sim.report import write_report

    assert write_report(real, tmp_path / "report.html").stat().st_size > 0
    assert all("verdict" in m["diff"] for m in real.json()["metrics"].values())


def test_cli_compare_json_prints_only_json(tmp_path):
    """`runesim compare --json` prints the comparison JSON and nothing else on stdout."""
    from tests.frames import compare_in_process

    res = compare_in_process(tmp_path / "c", "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert (
        data["strategies"] == ["natural", "rush_mohgwyn"]
        and (tmp_path / "c" / "report.html").is_file()
    )
