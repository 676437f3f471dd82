"""Behaviour of the playthrough model, one fact per test, on small worlds written for tests."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import simpy

from sim.errors import InputError, ReplicationFailure
from sim.model.buffs import fowl_foot
from sim.model.index import index_for
from sim.model.ledger import Ledger
from sim.model.playthrough import Playthrough
from sim.model.replication import run_replication, simulate
from sim.model.rng import streams
from sim.scenario.check import check_scenario
from sim.world.levels import level_total
from tests.worlds import tiny_scenario, tiny_world


def _playthrough(scenario=None, world=None) -> Playthrough:
    scenario = scenario or tiny_scenario()
    world = world or tiny_world()
    env = simpy.Environment()
    return Playthrough(env, scenario, world, index_for(world), streams(scenario.seed, 0), 0.0)


def test_bloodstain_recovered_on_reaching_it():
    """Runes dropped at a death are held again after touching the bloodstain."""
    led = Ledger()
    led.earn(500, "enemy", "Soldier", "Field", "explore")
    led.drop("Field", "explore")
    assert (led.held, led.stain) == (0, 500)
    assert led.recover() == 500
    assert (led.held, led.stain, led.lost) == (500, 0, 0)


def test_bloodstain_lost_on_second_death():
    """Dying again before touching the bloodstain loses its runes for good."""
    led = Ledger()
    led.earn(500, "enemy", "Soldier", "Field", "explore")
    led.drop("Field", "explore")
    led.earn(40, "enemy", "Soldier", "Field", "explore")
    assert led.drop("Field", "explore") == 500
    assert (led.lost, led.stain, led.held) == (500, 40, 0)
    assert led.balanced()


def test_levelling_spends_the_exact_cost():
    """Levels bought at graces cost exactly the game's level costs, nothing more or less."""
    r = run_replication(tiny_scenario(), tiny_world(), 0).summary
    start, final = r["start_level"], r["final_level"]
    assert final > start
    assert r["runes_spent"] == level_total(final - 1) - level_total(start - 1)


def test_levelling_policy_never_buys_no_level():
    """With the 'never' policy every rune earned is still held at the end."""
    r = run_replication(tiny_scenario(levelling__policy="never"), tiny_world(), 0).summary
    assert r["final_level"] == r["start_level"]
    assert r["runes_held"] == r["runes_earned"]


def test_horizon_censors_an_unfinished_playthrough():
    """A playthrough cut by the horizon has no finish time and no time for levels not reached."""
    r = run_replication(tiny_scenario(horizon_hours=0.5), tiny_world(), 0)
    assert math.isnan(r.summary["finish_hours"])
    assert math.isnan(r.summary["hours_to_level_20"])
    assert r.summary["hours_played"] == 0.5
    assert r.events["event"][-1] == "censored"


def test_trajectory_grid_reaches_the_horizon():
    """The trajectory has one row per grid time, from 0 to the horizon inclusive."""
    r = run_replication(tiny_scenario(horizon_hours=3.0, record__grid_hours=0.5), tiny_world(), 0)
    assert r.trajectories["hours"] == [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0]


def test_boss_pays_its_runes_once():
    """Beating a boss pays the game's runes for it, booked to the boss."""
    r = run_replication(tiny_scenario(), tiny_world(boss_runes=5000), 0)
    paid = {
        s: runes
        for k, s, runes in zip(
            r.income["source_kind"], r.income["source"], r.income["runes"], strict=True
        )
        if k == "boss"
    }
    assert paid == {"Field Boss": 5000, "Last Boss": 10000}


def test_golden_runes_are_used_at_a_grace_and_booked_as_items():
    """Golden Rune [1] picked up while exploring pays 200 runes each, booked as items."""
    r = run_replication(tiny_scenario(), tiny_world(loot=3), 0)
    items = sum(
        runes
        for k, runes in zip(r.income["source_kind"], r.income["runes"], strict=True)
        if k == "item"
    )
    assert items == 3 * 200


def test_scarab_multiplier_is_exact():
    """With the Golden Scarab a kill pays 1.2 times its runes (game data soulRate 1.2)."""
    pt = _playthrough(tiny_scenario(buffs__scarab="always"))
    pt.earn_kill(1000, "enemy", "Soldier", pt.world.zones["Field"])
    assert pt.ledger.earned == 1200


def test_fowl_foot_raises_gains_only_while_active():
    """A Gold-Pickled Fowl Foot pays 1.3x for its 180 seconds, then kills pay 1x again."""
    pt = _playthrough(tiny_scenario(buffs__fowl_foot="always", buffs__fowl_foot_count=1))
    zone = pt.world.zones["Field"]
    pt.env.process(fowl_foot(pt))
    pt.env.run(until=100 / 3600)
    pt.earn_kill(1000, "enemy", "Soldier", zone)
    pt.env.run(until=200 / 3600)
    pt.earn_kill(1000, "enemy", "Soldier", zone)
    assert pt.ledger.earned == 1300 + 1000
    assert pt.player.fowl_left == 0


def test_scarab_and_fowl_foot_stack_as_the_rules_say():
    """Scarab and Fowl Foot together multiply (1.2 x 1.3 = 1.56) under the recorded stacking
    rule."""
    pt = _playthrough(
        tiny_scenario(buffs__scarab="always", buffs__fowl_foot="always", buffs__fowl_foot_count=1)
    )
    assert pt.world.rules.multipliers.stacking == "multiplicative"
    pt.env.process(fowl_foot(pt))
    pt.env.run(until=1 / 3600)
    assert pt.multiplier(1) == pytest.approx(1.2 * 1.3)


def test_ng_plus_multiplies_kills_by_area_tier_and_cycle():
    """In NG+2 a tier-1 kill pays the tier's NG+ rate times the cycle's rate."""
    pt = _playthrough(tiny_scenario(ng__cycle=2, ng__start_level=50))
    m = pt.world.rules.multipliers
    assert pt.multiplier(1) == pytest.approx(m.ng_plus_tier[1] * m.ng_plus_cycle[2])


def test_same_index_same_skill_across_strategies():
    """Replication k draws the same skill whatever the strategy (common random numbers)."""
    a = run_replication(tiny_scenario(player__skill={"sd": 8.0}), tiny_world(), 3).summary["skill"]
    b = run_replication(
        tiny_scenario(
            player__skill={"sd": 8.0}, strategy="route", route={"steps": ['explore "Field"']}
        ),
        tiny_world(),
        3,
    ).summary["skill"]
    assert a == b != 0.0


def test_forced_failure_raises_a_replication_failure():
    """A replication listed in fail_replications raises, so the batch can record it."""
    with pytest.raises(ReplicationFailure):
        simulate(tiny_scenario(fail_replications=[2]), tiny_world(), 2)


def test_route_step_before_its_access_is_an_input_error():
    """A custom route that farms a spot before its access is earned fails, naming the step."""
    s = tiny_scenario(
        strategy="route", route={"steps": ['explore "Field"', 'farm "Den Birds" until level >= 10']}
    )
    with pytest.raises(InputError) as err:
        check_scenario(s, tiny_world(), "route.toml")
    assert "route.steps[1]" in err.value.message
    assert "quest:Oath" in err.value.message


def test_route_step_after_its_quest_is_accepted():
    """The same farm step is fine once the quest that opens it comes first."""
    s = tiny_scenario(
        strategy="route", route={"steps": ['quest "Oath"', 'farm "Den Birds" for 30 min']}
    )
    check_scenario(s, tiny_world(), "route.toml")


def test_unknown_route_name_suggests_the_near_miss():
    """An unknown zone in a route step names the step and suggests the closest zone."""
    s = tiny_scenario(strategy="route", route={"steps": ['explore "Feld"']})
    with pytest.raises(InputError) as err:
        check_scenario(s, tiny_world(), "route.toml")
    assert "route.steps[0]" in err.value.message and "'Field'" in err.value.message


def test_player_retreats_after_too_many_deaths():
    """After natural.retreat_deaths deaths in one visit the player leaves the zone unexplored."""
    s = tiny_scenario(
        strategy="route",
        route={"steps": ['explore "Field"'], "then": "stop"},
        model__death={"form": "fixed", "fixed_probability": 0.9},
        natural__retreat_deaths=3,
        horizon_hours=50.0,
    )
    pt = simulate(s, tiny_world(), 0)
    assert pt.player.deaths >= 3
    assert "Field" not in pt.player.zones
    assert any(e["event"] == "retreat" for e in pt.events.rows())


@pytest.mark.parametrize("level", [1, 20, 60, 150])
def test_grind_rate_is_the_sum_over_respawning_encounters(level):
    """The runes per hour a strategy weighs for grinding a zone: each respawning encounter
    pays r (1 - d) in travel + mean kill time + d x run-back hours, at the zone's rates now
    (summed by enemy class, equal to the sum encounter by encounter)."""
    from sim.model.rates import expected_grind_rate, zone_rates
    from sim.scenario.load import load_scenario
    from sim.world.load import load_world

    world = load_world()
    natural = Path(__file__).resolve().parents[1] / "scenarios" / "natural.toml"
    pt = _playthrough(load_scenario(natural, world=world), world)
    pt.player.level = level
    travel_scale = pt.scenario.model.travel
    runback = travel_scale.runback_seconds / 3600.0
    checked = 0
    for name, plan in pt.index.plans.items():
        if not plan.respawning:
            assert expected_grind_rate(pt, name) == 0.0
            continue
        means, deaths, _ = zone_rates(pt, plan)
        travel = plan.zone.explore_hours * travel_scale.explore_scale / len(plan.order)
        runes = sum(plan.runes[t] * (1.0 - deaths[t]) for t in plan.grind)
        hours = sum(travel + means[t] + deaths[t] * runback for t in plan.grind)
        assert expected_grind_rate(pt, name) == pytest.approx(runes / hours, rel=1e-12)
        checked += 1
    assert checked > 10
