"""Ranking routes: the Kim–Nelson procedure on synthetic routes of known means, and ``runesim
rank``."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from sim.cli.rank_cmd import prepare_rank_out
from sim.errors import InputError
from sim.experiments.evaluate import KEEP_PLAYING, Evaluator
from sim.experiments.kn import kim_nelson, kn_h2
from sim.experiments.rank import rank, rank_values
from sim.scenario.load import load_scenario, with_overrides
from tests.test_cli import ROOT, assert_input_error, runesim


def synthetic(means, *, seed, common_sd=3.0, own_sd=1.0):
    """A sampler of routes with known means: replication r shares one common draw across
    routes (common random numbers) plus each route's own noise."""
    means = np.asarray(means, float)
    rng = np.random.default_rng(seed)
    rows: list[np.ndarray] = []

    def sampler(systems, start, stop):
        while len(rows) < stop:
            rows.append(means + rng.normal(0, common_sd) + rng.normal(0, own_sd, size=means.size))
        return np.array([[rows[r][i] for r in range(start, stop)] for i in systems])

    return sampler


def test_kn_keeps_the_best_within_epsilon_in_95_percent_of_runs_and_saves_replications():
    """In the least favourable configuration (every other route exactly epsilon worse), KN
    picks the best route in at least 95% of 300 independent runs, and spends far fewer
    replications than running every route to max-n."""
    means = [0.0, 0.5, 0.5, 0.5, 0.5, 0.5]  # lower is better; epsilon = 0.5
    max_n = 1000
    picked, spent = [], []
    for seed in range(300):
        res = kim_nelson(
            synthetic(means, seed=seed), len(means), delta=0.5, n0=10, block=10, max_n=max_n
        )
        picked.append(res.best)
        spent.append(sum(res.replications))
    correct = np.mean(np.asarray(picked) == 0)
    assert correct >= 0.95, correct
    assert max(spent) < len(means) * max_n
    assert np.mean(spent) < 0.1 * len(means) * max_n


def test_a_weaker_procedure_fails_the_95_percent_check():
    """The check above can fail: the same least favourable routes ranked at 50% confidence
    (a smaller h^2, a narrower continuation region) keep the best in well under 95% of runs."""
    means = [0.0, 0.5, 0.5, 0.5, 0.5, 0.5]
    picked = [
        kim_nelson(
            synthetic(means, seed=seed),
            len(means),
            delta=0.5,
            alpha=0.5,
            n0=10,
            block=10,
            max_n=1000,
        ).best
        for seed in range(300)
    ]
    assert np.mean(np.asarray(picked) == 0) < 0.9


def test_kn_higher_is_better_picks_the_largest_mean():
    """With higher-is-better the route with the largest mean is kept (well separated routes)."""
    res = kim_nelson(
        synthetic([1.0, 5.0, 3.0], seed=1),
        3,
        delta=0.5,
        n0=10,
        block=5,
        max_n=500,
        lower_is_better=False,
    )
    assert res.best == 1 and res.stop == "one left"
    assert res.order(lower_is_better=False) == [1, 2, 0]


def test_identical_routes_are_tied_after_the_first_stage():
    """Two routes equal on every replication have zero paired variance: KN stops after the
    first stage and keeps both (tied), culling the worse third one."""
    rng = np.random.default_rng(3)
    base = rng.normal(10, 2, size=1000)

    def sampler(systems, start, stop):
        return np.array([base[start:stop] + (5.0 if i == 2 else 0.0) for i in systems])

    res = kim_nelson(sampler, 3, delta=0.5, n0=10, block=10, max_n=1000)
    assert res.stop == "tied"
    assert res.survivors == [0, 1]
    assert res.replications == [10, 10, 10]
    assert res.twins == {1: 0}


def test_a_twin_is_not_sampled_again_and_shares_its_twins_fate():
    """Routes 0 and 1 are identical; route 2 is 1 h better than both but noisy. Only route 0
    is sampled after the first stage, and route 1 is culled when route 0 is."""
    rng = np.random.default_rng(5)
    base, noise = rng.normal(10, 2, size=1000), rng.normal(0, 3, size=1000)

    def sampler(systems, start, stop):
        return np.array(
            [base[start:stop] - (1.0 + noise[start:stop] if i == 2 else 0.0) for i in systems]
        )

    res = kim_nelson(sampler, 3, delta=0.5, n0=10, block=10, max_n=1000)
    assert res.best == 2 and res.stop == "one left" and res.twins == {1: 0}
    assert res.replications[1] == 10 < res.replications[0]
    assert res.culled_at[1] == res.culled_at[0] is not None


def test_a_tied_route_reports_its_twins_figures():
    """A route tied with its twin is not run after the first stage: the ranking gives it its
    twin's median, mean and difference to the best (over all of the twin's replications),
    and the replications it was run for itself."""
    rng = np.random.default_rng(5)
    base, noise = rng.normal(10, 2, size=1000), rng.normal(0, 3, size=1000)

    def sampler(systems, start, stop):
        return np.array(
            [base[start:stop] - (1.0 + noise[start:stop] if i == 2 else 0.0) for i in systems]
        )

    res = rank_values(sampler, ["a", "a twin", "b"], metric="hours_to_level_80", epsilon=0.5, n0=10)
    rows = {row["scenario"]: row for row in res.json()["ranking"]}
    twin, a = rows["a twin"], rows["a"]
    assert twin["tied_with"] == "a" and twin["replications"] == 10 < a["replications"]
    for key in ("median", "mean", "diff_vs_best", "equivalent_to_best", "censored"):
        assert twin[key] == a[key], key


def test_max_n_stops_with_the_routes_not_separated():
    """Routes closer than the noise can separate stop at max-n, and the guarantee says so."""
    result = rank_values(
        synthetic([0.0, 0.01], seed=2, own_sd=5.0),
        ["a", "b"],
        metric="hours_to_level_80",
        epsilon=0.01,
        n0=5,
        block=5,
        max_n=20,
    )
    data = result.json()
    assert data["procedure"]["stop"] == "max_n"
    assert "not separated" in data["guarantee"]
    assert all(r["replications"] == 20 for r in data["ranking"])


def test_h2_matches_the_published_constant():
    """h^2 for k=2, n0=10, alpha=0.05 is 2*eta*(n0-1) with eta = ((2*alpha)^(-2/9) - 1)/2."""
    eta = 0.5 * (0.1 ** (-2 / 9) - 1)
    assert kn_h2(2, 10, 0.05) == pytest.approx(2 * eta * 9)


def test_rank_json_has_the_documented_keys():
    """The ranking JSON has metric, epsilon, ranking rows (scenario, rank, median,
    diff_vs_best {mean, ci95}, equivalent_to_best, replications), culled and guarantee."""
    data = rank_values(
        synthetic([0.0, 3.0, 0.05], seed=4),
        ["a", "b", "c"],
        metric="hours_to_level_80",
        epsilon=0.5,
    ).json()
    assert {"metric", "epsilon", "ranking", "culled", "guarantee"} <= data.keys()
    row = data["ranking"][0]
    assert {
        "scenario",
        "rank",
        "median",
        "diff_vs_best",
        "equivalent_to_best",
        "replications",
    } <= row.keys()
    assert {"mean", "ci95"} <= row["diff_vs_best"].keys()
    assert row["equivalent_to_best"] and row["diff_vs_best"]["mean"] == 0.0
    assert [c["scenario"] for c in data["culled"]][0] == "b"
    b = next(r for r in data["ranking"] if r["scenario"] == "b")
    assert not b["equivalent_to_best"] and b["diff_vs_best"]["ci95"][0] > 0.5


def test_unknown_metric_is_exit_2_naming_the_option():
    """rank with a metric the summary does not have is exit 2 naming --metric and suggesting."""
    r = runesim(
        "rank",
        ROOT / "scenarios" / "natural.toml",
        ROOT / "scenarios" / "rush_mohgwyn.toml",
        "--metric",
        "hours_to_level_8O",
    )
    assert_input_error(r, "--metric", "hours_to_level_8O", "did you mean")


def test_one_scenario_is_exit_2():
    """Ranking needs two or more scenarios."""
    assert_input_error(runesim("rank", ROOT / "scenarios" / "natural.toml"), "two or more")


class FakeEvaluator:
    """Stands in for the pool: records the scenarios it is asked for and returns made-up
    replications (level 80 at 5 h, or 8 h for the route named slow; replication 0 quits)."""

    def __init__(self):
        self.seen = []

    def run(self, requests):
        frames = []
        for scenario, start, stop in requests:
            self.seen.append(scenario)
            r = np.arange(start, stop)
            quits = scenario.quitting.enabled & (r == 0)
            hours = np.where(quits, np.nan, 8.0 if "slow" in scenario.name else 5.0 + 0.01 * r)
            frames.append(
                pd.DataFrame(
                    {
                        "replication": r,
                        "hours_to_level_80": hours,
                        "horizon_hours": 150.0,
                        "quit_hours": np.where(quits, 1.0, np.nan),
                    }
                )
            )
        return frames


def scenarios_named(*names):
    base = load_scenario(ROOT / "scenarios" / "rush_mohgwyn.toml")
    return [with_overrides(base, {"name": n}) for n in names]


def test_rank_is_for_players_who_keep_playing_by_default():
    """rank switches quitting off in every route (a validated override, the seed too) and says
    so; --with-quitting keeps the quitters, who count as the horizon, and says that."""
    ev = FakeEvaluator()
    data = rank(scenarios_named("fast", "slow"), seed=7, n0=5, evaluator=ev).json()
    assert ev.seen and all(not s.quitting.enabled and s.seed == 7 for s in ev.seen)
    assert data["players"] == "who keep playing" and data["with_quitting"] is False
    assert data["guarantee"].startswith("For players who keep playing (quitting switched off")
    assert data["culled"][0]["scenario"] == "slow"

    ev = FakeEvaluator()
    routes = scenarios_named("fast", "slow")
    data = rank(routes, seed=7, n0=5, evaluator=ev, with_quitting=True).json()
    assert all(s.quitting.enabled for s in ev.seen)
    assert data["with_quitting"] is True and "quitters included" in data["players"]
    assert data["guarantee"].startswith("With players who quit as modelled")
    assert "Players who quit or never reached it" in data["censoring"]
    assert "2 of them because the player quit" in data["censoring"]
    assert {r["scenario"]: r["quit"] for r in data["ranking"]} == {"fast": 1, "slow": 1}
    with pytest.raises(InputError, match="--with-quitting"):
        rank(scenarios_named("a", "b"), metric="quit_hours", evaluator=FakeEvaluator())


def test_switching_quitting_off_keeps_the_common_random_numbers():
    """Quitting draws from its own stream: with it off, every player who did not quit plays
    the same playthrough, and every player has the same skill and traits."""
    on = load_scenario(ROOT / "scenarios" / "natural.toml", ["horizon_hours=40"])
    off = with_overrides(on, KEEP_PLAYING)
    with Evaluator(jobs=1) as ev:
        a, b = ev.run([(on, 0, 12), (off, 0, 12)])
    assert a["quit_hours"].notna().any() and b["quit_hours"].isna().all()
    stayed = a["quit_hours"].isna().to_numpy()
    assert stayed.any()
    pd.testing.assert_frame_equal(
        a[stayed].reset_index(drop=True), b[stayed].reset_index(drop=True)
    )
    traits = ["skill", *[c for c in a.columns if c.startswith("trait_")]]
    pd.testing.assert_frame_equal(a[traits], b[traits])


def test_routes_identical_up_to_the_metric_end_tied_and_out_follows_the_run_rule(tmp_path):
    """rush_mohgwyn and rush_mohgwyn_to_120 share the path to level 80: the ranking ends after
    the first stage, both equivalent to the best. --out takes a new or empty directory, or an
    earlier ranking with --overwrite, never a directory holding other files."""
    out = tmp_path / "rank"
    args = [
        "rank",
        ROOT / "scenarios" / "rush_mohgwyn.toml",
        ROOT / "scenarios" / "rush_mohgwyn_to_120.toml",
        "--n0",
        "3",
        "--jobs",
        "1",
        "--json",
        "--out",
        out,
    ]
    r = runesim(*args)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["procedure"]["stop"] == "tied"
    assert all(row["equivalent_to_best"] and row["replications"] == 3 for row in data["ranking"])
    assert data["ranking"][1]["tied_with"] == "rush_mohgwyn"
    assert "rush_mohgwyn_to_120 gave exactly the same" in data["guarantee"]
    assert data["ranking"][1]["diff_vs_best"]["ci95"] == [0.0, 0.0]
    assert sorted(p.name for p in out.iterdir()) == ["rank.json", "report.html"]
    with pytest.raises(InputError, match="--overwrite"):
        prepare_rank_out(out, overwrite=False)
    prepare_rank_out(out, overwrite=True)  # an earlier ranking's own files go, nothing else
    assert out.is_dir() and not any(out.iterdir())
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(InputError, match="notes.txt"):
        prepare_rank_out(out, overwrite=True)
    assert (out / "notes.txt").is_file()
    with pytest.raises(InputError, match="a directory, but this is a file"):
        prepare_rank_out(out / "notes.txt", overwrite=True)


@pytest.mark.slow
def test_rank_command_culls_natural_against_the_rush(tmp_path):
    """runesim rank --json over natural and rush_mohgwyn, for players who keep playing, keeps the
    rush (level 80 far sooner), culls natural early, and stores rank.json and report.html."""
    out = tmp_path / "rank"
    r = runesim(
        "rank",
        ROOT / "scenarios" / "natural.toml",
        ROOT / "scenarios" / "rush_mohgwyn.toml",
        "--n0",
        "5",
        "--block",
        "5",
        "--max-n",
        "30",
        "--jobs",
        "1",
        "--json",
        "--out",
        out,
    )
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["ranking"][0]["scenario"] == "rush_mohgwyn"
    assert data["culled"][0]["scenario"] == "natural"
    assert data["ranking"][1]["replications"] < 30
    assert (out / "rank.json").is_file() and (out / "report.html").is_file()
