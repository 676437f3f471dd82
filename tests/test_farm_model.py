"""The farm model: a published loop holds for the reference player; weaker players loop slower
in proportion to their damage shortfall against the area's HP (params in rules.toml [scaling])."""

from __future__ import annotations

import math

import pytest

from sim.calibration import farm_scenario
from sim.model.farming import damage, farm_rates_at, loop_slowdown
from sim.model.replication import simulate
from sim.scenario.schema import Power
from sim.world.load import load_world

SPOT = "Palace Approach Ledge-Road (Albinaurics only)"


@pytest.fixture(scope="module")
def world():
    return load_world()


def test_reference_player_loops_at_the_published_time(world):
    """At the reference level and upgrade, in the reference tier, the slowdown is exactly 1."""
    assert loop_slowdown(world, Power(), world.farms[SPOT], 150.0, 25.0) == 1.0


def test_slowdown_is_the_damage_ratio_from_the_params(world):
    """A level-30 player with a +5 weapon at Mohgwyn: slowdown = (2.45 * 150**0.5) / (1.29 *
    30**0.5)."""
    expected = (2.45 * 150**0.5) / (1.29 * 30**0.5)
    assert loop_slowdown(world, Power(), world.farms[SPOT], 30.0, 5.0) == pytest.approx(
        expected, rel=1e-12
    )
    assert damage(world, Power(), 30.0, 5.0) == pytest.approx(1.29 * 30**0.5)


def test_low_tier_farm_is_not_slowed_for_a_player_strong_enough_for_its_hp(world):
    """Stormhill (Limgrave) enemies have 1.141-1.281x base HP; a level-30 +5 player already deals
    enough."""
    assert loop_slowdown(world, Power(), world.farms["Stormhill Trolls"], 30.0, 5.0) == 1.0


def test_farm_rate_rises_with_level_and_upgrade(world):
    """The model's Mohgwyn rate grows with level and with the weapon's upgrade."""
    r = [
        farm_rates_at(world, Power(), lv)[SPOT]["model_runes_per_hour"] for lv in (20, 40, 80, 150)
    ]
    assert r == sorted(r) and r[0] < r[-1] / 3


def test_an_hour_of_farming_earns_whole_loops_at_the_slowed_time(world):
    """Degenerate hour: fixed loop times, no deaths, no levelling, skill 0: the hour earns
    floor(3600 / (15 s x slowdown)) whole loops of 13 x 2,044 runes, exactly (the last is cut
    by the hour)."""
    base = farm_scenario(world, SPOT)
    s = base.model_copy(
        update={
            "player": base.player.model_copy(
                update={
                    "start_level": 30,
                    "start_upgrade": 5.0,
                    "skill": base.player.skill.model_copy(
                        update={"distribution": "fixed", "mean": 0.0}
                    ),
                }
            ),
            "model": base.model.model_copy(
                update={
                    "kill_time": base.model.kill_time.model_copy(update={"form": "fixed"}),
                    "death": base.model.death.model_copy(
                        update={"form": "fixed", "fixed_probability": 0.0}
                    ),
                }
            ),
            "levelling": base.levelling.model_copy(update={"policy": "never"}),
        }
    )
    pt = simulate(s, world, 0)
    loop = 15.0 * loop_slowdown(world, Power(), world.farms[SPOT], 30.0, 5.0)
    assert pt.ledger.earned_by["farm"] == math.floor(3600.0 / loop) * 13 * 2044
