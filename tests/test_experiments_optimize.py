"""Route search: specs are checked before anything runs; the space makes the routes it says;
the same seed finds the same best route; a stopped search resumes."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from sim.errors import InputError
from sim.experiments.optimize import optimize
from sim.experiments.space import dimensions, route_of
from sim.experiments.spec import load_spec
from tests.test_cli import ROOT, assert_input_error, runesim

SPECS = ROOT / "scenarios"

# a small space: how much of Limgrave before Margit, and whether to stop at Stormveil
SMALL = f"""
name = "small"
base = "{(SPECS / "rush_mohgwyn.toml").as_posix()}"
against = []
[objective]
metric = "hours_to_level_40"
[search]
trials = 5
replications = 4
block = 2
startup_trials = 2
fresh_replications = 3
[route]
then = "stop"
[[route.blocks]]
name = "limgrave"
steps = ['explore "Limgrave" {{share}}%']
params = {{ share = [10, 50, 20] }}
[[route.blocks]]
name = "stormveil"
steps = ['explore "Stormveil Castle" 20%']
optional = true
[[route.blocks]]
name = "farm"
steps = ['farm "Stormhill Trolls" until level >= 40']
"""


def write(tmp_path: Path, text: str, name: str = "spec.toml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def error_of(tmp_path: Path, text: str) -> str:
    with pytest.raises(InputError) as info:
        optimize(write(tmp_path, text), tmp_path / "out", jobs=1)
    assert not (tmp_path / "out" / "study.db").exists()  # nothing ran
    return info.value.message


def test_unknown_objective_metric_names_the_key(tmp_path):
    """An objective on a metric the summary does not have is an error naming objective.metric."""
    msg = error_of(
        tmp_path, SMALL.replace('metric = "hours_to_level_40"', 'metric = "hours_to_lvl_40"')
    )
    assert "objective.metric" in msg and "hours_to_lvl_40" in msg and "did you mean" in msg


def test_constraint_on_a_missing_metric_names_the_key(tmp_path):
    """A constraint on a metric that does not exist is an error naming constraints[0].metric."""
    text = SMALL + '\n[[constraints]]\nmetric = "death_count"\nat_most = 5\n'
    msg = error_of(tmp_path, text)
    assert "constraints[0].metric" in msg and "death_count" in msg


def test_empty_space_names_the_key(tmp_path):
    """A spec with no blocks, or blocks with nothing to choose, is an error naming route.blocks."""
    head = SMALL.split("[[route.blocks]]")[0]
    assert "route.blocks" in error_of(tmp_path, head)
    fixed = head + '[[route.blocks]]\nname = "x"\nsteps = [\'explore "Limgrave" 20%\']\n'
    assert "route.blocks" in error_of(tmp_path, fixed)


# Godrick before Margit: every route through these blocks breaks the access rules
INFEASIBLE_BLOCKS = """
[[route.blocks]]
name = "godrick"
steps = ['boss "Godrick the Grafted"']
[[route.blocks]]
name = "limgrave"
steps = ['explore "Limgrave" {share}%']
params = { share = [10, 50, 20] }
"""


def _only_infeasible_blocks(text: str) -> str:
    """The spec ``text`` with its route blocks replaced by INFEASIBLE_BLOCKS."""
    return text.split("[[route.blocks]]")[0] + INFEASIBLE_BLOCKS


def test_infeasible_only_space_names_the_key(tmp_path):
    """A space whose every route breaks the access rules (Godrick before Margit) is an error
    naming route.blocks and the rule, before any simulation."""
    msg = error_of(tmp_path, _only_infeasible_blocks(SMALL))
    assert "route.blocks" in msg and "Margit" in msg


def test_placeholder_without_a_param_names_the_step(tmp_path):
    """A step's {name} that is not a parameter of its block is an error naming the step."""
    msg = error_of(tmp_path, SMALL.replace("{share}%", "{shar}%"))
    assert "route.blocks[0].steps[0]" in msg


def test_bad_spec_is_exit_2_on_the_command_line(tmp_path):
    """runesim optimize with a bad spec is exit 2, one message naming the key, no traceback."""
    f = write(tmp_path, SMALL.replace('metric = "hours_to_level_40"', 'metric = "nope"'))
    assert_input_error(runesim("optimize", f, "--out", tmp_path / "o"), "objective.metric", "nope")


BAD = {
    "empty space": ("route.blocks", lambda text: text.split("[[route.blocks]]")[0]),
    "infeasible-only space": (
        "route.blocks",
        _only_infeasible_blocks,
    ),
    "constraint on a missing metric": (
        "constraints[0].metric",
        lambda text: text + '[[constraints]]\nmetric = "death_count"\nat_most = 5\n',
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_specs_are_exit_2_naming_the_key(tmp_path, case):
    """Each kind of bad spec is exit 2 on the command line, one message naming its key, and
    nothing is searched."""
    key, make = BAD[case]
    f = write(tmp_path, make(SMALL))
    assert_input_error(runesim("optimize", f, "--out", tmp_path / "o"), key)
    assert not (tmp_path / "o" / "study.db").exists()


def test_validate_checks_a_spec_as_a_spec(tmp_path):
    """runesim validate recognises a route-search spec and checks it as optimize would: the
    shipped specs are ok; a spec with an unknown objective metric is exit 2 naming the key."""
    bad = write(tmp_path, SMALL.replace('metric = "hours_to_level_40"', 'metric = "nope"'))
    specs = [SPECS / "optimize_level80.toml", SPECS / "optimize_level60_safe.toml"]
    r = runesim("validate", *specs, bad)
    assert_input_error(r, "objective.metric", "nope")
    assert r.stdout.count("ok:") == 2 and "route-search spec" in r.stdout


def test_evaluations_are_for_players_who_keep_playing():
    """Candidates play with quitting switched off unless the spec's search keeps quitters."""
    from sim.experiments.space import base_data, candidate_scenario
    from sim.experiments.spec import with_search

    spec, base = load_spec(SPECS / "optimize_level80.toml")
    raw = base_data(base)
    steps = ['quest "Varre"', 'boss "Margit, the Fell Omen"']
    assert not candidate_scenario(spec, raw, steps, then="stop", seed=1).quitting.enabled
    quitters = with_search(spec, {"with_quitting": True})
    assert candidate_scenario(quitters, raw, steps, then="stop", seed=1).quitting.enabled
    with pytest.raises(InputError, match="search.trials"):
        with_search(spec, {"trials": 0}, "x.toml")


def test_route_of_orders_movable_blocks_and_skips_excluded_ones():
    """A movable block goes where its position puts it; an excluded optional block is skipped;
    parameters fill the steps."""
    spec, _ = load_spec(SPECS / "optimize_level80.toml")
    names = [d[0] for d in dimensions(spec)]
    assert "position.early_levels" in names and "include.stormveil" in names
    choice = {
        "limgrave.share": 30,
        "include.early_levels": True,
        "position.early_levels": 0.5,
        "early_levels.how": "farm",
        "early_levels.where": "Stormhill Trolls",
        "early_levels.minutes": 20,
        "include.stormveil": False,
        "stormveil.share": 50,
        "mohgwyn.spot": "Palace Approach Ledge-Road",
        "position.meet_varre": -0.4,
        "position.varre_medal": 6.0,
    }
    steps = route_of(spec, choice)
    assert steps[:3] == [
        'quest "Varre"',
        'farm "Stormhill Trolls" for 20 min',
        'explore "Limgrave" 30%',
    ]
    assert not any("Stormveil" in s for s in steps)
    assert steps[-2:] == ['quest "Varre"', 'farm "Palace Approach Ledge-Road" until level >= 80']
    late = route_of(spec, dict(choice, **{"position.varre_medal": 7.4}))  # after the farm
    assert late[-1] == 'quest "Varre"'


@pytest.mark.slow
def test_same_seed_same_best_route_and_resume(tmp_path):
    """Two searches with the same seed find the same best route and value; best.toml is a
    runnable scenario with that route; a search stopped after 3 trials resumes to 5."""
    from sim.scenario.load import load_scenario

    spec = write(tmp_path, SMALL)
    a = optimize(spec, tmp_path / "a", jobs=1, seed=7)
    b = optimize(spec, tmp_path / "b", jobs=1, seed=7)
    assert a.json()["best"]["route"] == b.json()["best"]["route"]
    assert a.json()["best"]["value"] == b.json()["best"]["value"]
    best = load_scenario(tmp_path / "a" / "best.toml")
    assert [str(s) for s in best.route.steps] == a.json()["best"]["route"]
    data = json.loads((tmp_path / "a" / "optimize.json").read_text())
    assert {"objective", "best", "trials", "pruned", "against"} <= data.keys()
    assert {"route", "value", "ci95"} <= data["best"].keys()
    assert "rush_mohgwyn" in data["against"]  # the base scenario is always compared
    assert data["players"] == "who keep playing"

    c = optimize(spec, tmp_path / "c", jobs=1, seed=7, trials=3)
    assert c.json()["trials"] == 3
    with pytest.raises(InputError):
        optimize(spec, tmp_path / "c", jobs=1, seed=7, trials=5)  # not a new directory
    d = optimize(spec, tmp_path / "c", jobs=1, seed=7, trials=5, resume=True)
    assert d.json()["trials"] == 5
    assert list(d.trials["number"]) == [0, 1, 2, 3, 4]


def test_shipped_specs_load():
    """The shipped specs read and validate."""
    for name in ("optimize_level80.toml", "optimize_level60_safe.toml"):
        spec, base = load_spec(SPECS / name)
        assert base.is_file() and spec.route.blocks
        assert tomllib.loads((SPECS / name).read_text())["name"] == spec.name
