"""Routing strategies on the real world: access checks, the Varre questline, rush vs natural."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from sim.errors import InputError
from sim.model.replication import run_replication, simulate
from sim.route_steps import Farm, Grind, StepSyntaxError, parse_step
from sim.scenario.load import load_scenario
from sim.world.load import load_world

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"


@pytest.fixture(scope="module")
def world():
    return load_world()


def test_every_shipped_scenario_validates(world):
    """Every scenario in scenarios/ loads and passes the world's checks (route-search specs,
    optimize_*.toml, are not scenarios: tests/test_experiments_optimize.py loads them)."""
    files = sorted(f for f in SCENARIOS.glob("*.toml") if not f.name.startswith("optimize_"))
    assert len(files) >= 12
    for f in files:
        load_scenario(f, world=world)


def test_mohgwyn_before_its_access_fails_naming_the_step(world):
    """A route that farms Mohgwyn before Varre's medal or the Snowfield is an error at that step."""
    with pytest.raises(InputError) as err:
        load_scenario(
            SCENARIOS / "custom_route.toml",
            [
                "route.steps=['explore \"Limgrave\"', "
                "'farm \"Palace Approach Ledge-Road\" until level >= 80']"
            ],
            world=world,
        )
    assert "route.steps[1]" in err.value.message
    assert "Mohgwyn Palace" in err.value.message or "quest:Varre" in err.value.message


def test_route_steps_read_as_written():
    """Custom route steps parse into their step records, with minutes as hours."""
    assert parse_step('farm "Palace Approach Ledge-Road" until level >= 80') == Farm(
        "Palace Approach Ledge-Road", until_level=80
    )
    assert parse_step('grind "Caelid" for 30 min') == Grind("Caelid", hours=0.5)
    with pytest.raises(StepSyntaxError):
        parse_step('farm "Palace Approach Ledge-Road" forever')


def test_rush_completes_varres_questline_before_farming(world):
    """The rush finishes every step of Varre's quest, then farms Mohgwyn until the target level."""
    s = load_scenario(
        SCENARIOS / "rush_mohgwyn.toml", ["horizon_hours=40", "quitting.enabled=false"], world=world
    )
    pt = simulate(s, world, 0)
    events = pt.events.rows()
    quest = [e for e in events if e["event"] == "quest_step" and e["detail"].startswith("Varre ")]
    farm = [e for e in events if e["event"] == "farm_start"]
    varre = sorted(q.step for q in world.quests if q.quest == "Varre")
    assert [int(e["value"]) for e in quest] == varre
    assert farm and farm[0]["hours"] >= quest[-1]["hours"]
    assert "Varre" in pt.player.quests


def test_questline_invasions_count_when_lost_and_cost_no_runes(world):
    """Three invasions taken part in complete the step even when all are lost; each loss is a
    death as a phantom: nothing dropped, no bloodstain, no run-back."""
    s = load_scenario(
        SCENARIOS / "rush_mohgwyn.toml",
        ["horizon_hours=30", "rush_mohgwyn.invasion_win_intercept=-50", "quitting.enabled=false"],
        world=world,
    )
    pt = simulate(s, world, 0)
    events = pt.events.rows()
    lost = [e for e in events if e["event"] == "quest_step" and "invasion lost" in e["detail"]]
    assert len(lost) == 3 and "Varre" in pt.player.quests
    phantom = [e for e in events if e["event"] == "death" and e["detail"] == "invader"]
    assert len(phantom) == 3 and all(e["value"] == 0 for e in phantom)
    after = [e for e in events if lost[0]["hours"] <= e["hours"] <= lost[-1]["hours"]]
    assert not [e for e in after if e["event"] in ("recover", "lose")]
    assert pt.player.phantom_deaths == 3


def test_rush_takes_no_optional_zone_before_the_medal(world):
    """By default the rush reaches the medal through main-path zones only (shortest path)."""
    s = load_scenario(
        SCENARIOS / "rush_mohgwyn.toml", ["horizon_hours=20", "quitting.enabled=false"], world=world
    )
    for k in range(5):
        events = simulate(s, world, k).events.rows()
        medal = next(
            e["hours"]
            for e in events
            if e["event"] == "quest_step" and e["detail"].startswith("Varre 5")
        )
        zones = {e["zone"] for e in events if e["event"] == "zone_enter" and e["hours"] < medal}
        assert all(world.zones[z].main_path for z in zones), zones


@pytest.mark.slow
def test_rush_reaches_level_80_earlier_than_natural_on_paired_seeds(world):
    """Paired on the same seeds, for players who keep playing, rush_mohgwyn reaches level 80
    sooner: the median paired difference is below zero and its 95% bootstrap CI excludes zero."""
    n = 60
    stay = ["quitting.enabled=false"]
    nat = load_scenario(SCENARIOS / "natural.toml", stay, world=world)
    rush = load_scenario(SCENARIOS / "rush_mohgwyn.toml", stay, world=world)

    def hours(s):
        return np.array(
            [
                h if not math.isnan(h) else s.horizon_hours  # censored: at least the horizon
                for h in (
                    run_replication(s, world, k).summary["hours_to_level_80"] for k in range(n)
                )
            ]
        )

    diff = hours(rush) - hours(nat)
    ci = stats.bootstrap(
        (diff,),
        np.median,
        confidence_level=0.95,
        method="percentile",
        random_state=np.random.default_rng(1),
    ).confidence_interval
    assert np.median(diff) < 0
    assert ci.high < 0, ci


def test_golden_scarab_is_worn_once_found_in_caelid(world):
    """With scarab = "when_found", exploring Caelid (its Abandoned Cave) puts the Scarab on."""
    s = load_scenario(
        SCENARIOS / "custom_route.toml",
        [
            "route.steps=['explore \"Limgrave\"', 'explore \"Caelid\"']",
            "route.then=stop",
            "natural.retreat_deaths=1000",
            "horizon_hours=80",
            "quitting.enabled=false",
        ],
        world=world,
    )
    pt = simulate(s, world, 0)
    assert "Caelid" in pt.player.zones and pt.player.scarab
    assert any(e["event"] == "buff_on" and e["detail"] == "Golden Scarab" for e in pt.events.rows())
