"""PvP places and rewards: hot spots draw invaders more often; a win pays rate x base x level
cost."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import sim
from sim.model.replication import run_replication
from sim.scenario.schema import Pvp
from sim.world.levels import level_cost
from tests.worlds import tiny_scenario, tiny_world

Z = 3.29  # two-sided 99.9% normal quantile


def _grind(hours: float = 10.0, **pvp):
    return tiny_scenario(
        strategy="route",
        route={"steps": ['explore "Field"', f'grind "Field" for {hours} h'], "then": "stop"},
        horizon_hours=hours + 5.0,
        model__kill_time={"form": "fixed", "common_seconds": 300.0, "gap_scale": 0.0},
        invasions={
            "exposure": "taunters_tongue",
            "duel_win_intercept": 50.0,
            "taunters_tongue_per_hour": 3.0,
        },
        levelling={"policy": "never"},
        pvp=pvp,
    )


def _rate(scenario, n: int = 30) -> tuple[int, float]:
    world = tiny_world(invasions=True)
    rows = [run_replication(scenario, world, k).summary for k in range(n)]
    return sum(r["invasions"] for r in rows), sum(r["exposed_hours"] for r in rows)


def test_hot_spot_multiplies_the_invasion_rate():
    """In a hot spot, invaders arrive at rate x hot_spot_factor per exposed hour (99.9% Poisson
    interval)."""
    count, exposed = _rate(_grind(hot_spots=["Field"], hot_spot_factor=2.0))
    expected = 2.0 * 3.0 * exposed
    assert exposed > 100 and abs(count - expected) < Z * math.sqrt(expected), (count, expected)


def test_outside_hot_spots_the_rate_is_unchanged():
    """Away from the hot spots the thinned process keeps the scenario's own rate."""
    count, exposed = _rate(_grind(hot_spots=["Keep"], hot_spot_factor=4.0))
    expected = 3.0 * exposed
    assert exposed > 100 and abs(count - expected) < Z * math.sqrt(expected), (count, expected)


def test_a_won_duel_pays_rate_times_base_times_the_next_level_cost():
    """Every win pays floor(host_reward_rate x base multiple x cost of the next level)."""
    s = _grind(hours=5.0, host_reward_rate=0.04, reward_base_level_cost_multiple=1.5)
    r = run_replication(s, tiny_world(invasions=True), 0)
    ev = r.events
    won = [v for e, v in zip(ev["event"], ev["value"], strict=True) if e == "duel_won"]
    start = r.summary["start_level"]
    assert won and all(v == math.floor(0.04 * 1.5 * level_cost(start)) for v in won)


def test_an_unknown_base_of_zero_pays_nothing():
    """With the base multiple at 0 a win pays no runes."""
    r = run_replication(
        _grind(hours=5.0, reward_base_level_cost_multiple=0.0), tiny_world(invasions=True), 0
    )
    assert r.summary["invasions_won"] > 0 and r.summary["runes_earned"] == sum(
        v
        for k, v in zip(r.income["source_kind"], r.income["runes"], strict=True)
        if k != "invasion"
    )
    assert "invasion" not in r.income["source_kind"]


def test_default_hot_spots_are_the_sourced_places():
    """The scenario's default hot spots are exactly the zones of sim/data/invasion_places.csv, each
    sourced."""
    path = Path(sim.__file__).parent / "data" / "invasion_places.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert sorted(r["zone"] for r in rows) == sorted(Pvp().hot_spots)
    assert all(r["source"].startswith("https://") for r in rows)
