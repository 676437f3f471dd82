"""The headline: computed once from the replications, first in `compare`, in comparison.json
and on the report; and the split of the comparison by player traits."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from sim.analysis.for_whom import for_whom_line, split_by_traits, trait_columns
from sim.analysis.headline import headline
from tests.frames import make_run, synthetic_compare


@pytest.fixture(scope="module")
def reps():
    return {
        s: make_run(s, n=30, seed=9, horizon=60.0).replications for s in ("natural", "rush_mohgwyn")
    }


def test_headline_figures_are_the_medians_and_their_difference(reps):
    """Level 80: the sentence's figures are both medians and their paired difference."""
    h = headline(reps, seed=1)
    f = h.figures[0]
    a = float(np.median(reps["natural"]["hours_to_level_80"]))
    b = float(np.median(reps["rush_mohgwyn"]["hours_to_level_80"]))
    assert f["metric"] == "hours_to_level_80" and f["medians"] == pytest.approx([b, a])
    assert f["difference"] == pytest.approx(b - a)
    assert h.text.startswith(
        f"For the same player, rush_mohgwyn reaches level 80 in {b:.1f} h "
        f"instead of {a:.1f} h (medians): "
        f"{abs(b - a):.1f} h sooner (paired, 95% CI"
    )


def test_every_headline_figure_names_its_statistic(reps):
    """Each figure says which statistic it is and which interval."""
    h = headline(reps, seed=1)
    assert {f["metric"] for f in h.figures} == {"hours_to_level_80", "finish_hours", "deaths"}
    for f in h.figures:
        assert "median" in f["statistic"] and "95%" in f["interval"]


def test_headline_of_one_run_describes_it(reps):
    """With one run the headline describes the typical player (median) without pairing."""
    h = headline({"natural": reps["natural"]})
    assert h.text.startswith("The typical natural player reaches level 80 in ")
    assert "paired" not in h.text


def test_headline_reports_a_share_for_a_level_few_reach(reps):
    """A key level fewer than half reach is given as shares, never as a median; the medians
    are those of the highest level below it that both sides reach."""
    h = headline(reps, seed=1, level=150)
    assert "Level 150 is reached within the horizon by 0% of rush_mohgwyn players" in h.text
    assert "fewer than half on one side, so no median" in h.text
    assert h.figures[0]["metric"] != "hours_to_level_150"
    assert re.match(
        r"For the same player, (if they keep playing, )?rush_mohgwyn reaches level ", h.text
    )


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    out = tmp_path_factory.mktemp("head")
    return synthetic_compare(out, n=24, seed=2)


def test_comparison_json_has_the_headline_and_the_split(result):
    """comparison.json stores the headline text, its figures and the split by skill thirds."""
    data = json.loads((result.out / "comparison.json").read_text())
    assert re.match(
        r"For the same player, (if they keep playing, )?rush_mohgwyn reaches level 80",
        data["headline"],
    )
    assert data["headline_figures"][0]["metric"] == "hours_to_level_80"
    split = data["for_whom"]["comparisons"][0]["splits"][0]
    assert split["trait"] == "skill"
    assert [g["group"] for g in split["groups"]] == [
        "weakest third",
        "middle third",
        "strongest third",
    ]
    assert sum(g["pairs"] + g["quit_pairs"] for g in split["groups"]) == 24


def test_trait_columns_are_found_generically(reps):
    """skill, trait_* columns and columns shared by replication k across runs are traits;
    outcomes and ids are not."""
    r = {k: v.copy() for k, v in reps.items()}
    for v in r.values():
        v["online"] = v["replication"] % 2 == 0
        v["trait_appetite"] = np.linspace(0, 1, len(v))
    assert trait_columns(r) == ["skill", "online", "trait_appetite"]
    split = split_by_traits(r, "hours_to_level_80", seed=1)
    traits = [s["trait"] for s in split["comparisons"][0]["splits"]]
    assert traits == ["skill", "online", "trait_appetite"]
    groups = split["comparisons"][0]["splits"][1]["groups"]
    assert [g["group"] for g in groups] == ["online = False", "online = True"]
    lines = for_whom_line(split, "h")
    assert len(lines) == 3 and lines[0].startswith("For whom (skill): rush_mohgwyn − natural")


@pytest.mark.slow
def test_cli_compare_prints_the_headline_first_and_warns_on_missed_precision(tmp_path):
    """`compare` prints the headline before the table; a missed --target-error warns and is
    stored as precision.met = false."""
    from tests.frames import compare_in_process

    out = tmp_path / "c"
    res = compare_in_process(
        out,
        "--set",
        "horizon_hours=20",
        "--target-error",
        "1e-9",
        "--max-n",
        "5",
        "--block",
        "2",
    )
    assert res.exit_code == 0, res.output
    lines = [ln for ln in res.stdout.splitlines() if ln.strip()]
    data = json.loads((out / "comparison.json").read_text())
    assert lines[0].startswith(data["headline"][:40])
    assert data["precision"]["met"] is False and data["precision"]["n"] == 5
    assert "warning: --target-error 1e-09 not met" in res.output
    assert "ran in " in res.stdout
