"""Luck and unknown inputs kept apart: the two-level variance split, and sampled batches."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.experiments.variance import decompose


def two_level(p: int, r: int, sd_input: float, sd_luck: float, seed: int):
    rng = np.random.default_rng(seed)
    a = rng.normal(0.0, sd_input, p)
    y = 5.0 + np.repeat(a, r) + rng.normal(0.0, sd_luck, p * r)
    return y, np.repeat(np.arange(p), r)


def test_decompose_recovers_known_luck_and_input_variance():
    """y = 5 + a_p + e_pr with sd(a) = 2, sd(e) = 3: both variances within 4 standard errors."""
    p, r, s2a, s2e = 400, 8, 4.0, 9.0
    y, g = two_level(p, r, math.sqrt(s2a), math.sqrt(s2e), seed=7)
    d = decompose(y, g)
    se_luck = s2e * math.sqrt(2 / (p * (r - 1)))
    se_input = math.sqrt(2 / (p - 1)) * (s2a + s2e / r)
    assert abs(d["luck_variance"] - s2e) < 4 * se_luck
    assert abs(d["input_variance"] - s2a) < 4 * se_input
    assert d["input_share"] == pytest.approx(
        d["input_variance"] / (d["input_variance"] + d["luck_variance"])
    )


def test_input_variance_estimator_is_unbiased_over_many_designs():
    """Averaged over 300 small designs (P = 10, R = 3) the untruncated estimate is near the
    truth."""
    est = [decompose(*two_level(10, 3, 1.0, 2.0, seed=s))["input_variance_raw"] for s in range(300)]
    se = np.std(est, ddof=1) / math.sqrt(len(est))
    assert abs(np.mean(est) - 1.0) < 4 * se


def test_no_input_effect_leaves_only_luck():
    """When inputs do nothing, the luck variance is the whole sample variance (within noise)."""
    y, g = two_level(200, 5, 0.0, 1.0, seed=3)
    d = decompose(y, g)
    assert d["luck_variance"] == pytest.approx(np.var(y, ddof=1), rel=0.1)
    assert d["input_share"] < 0.1


def test_unbalanced_groups_and_missing_values_are_handled():
    """A NaN replication is dropped; the estimate still comes from the remaining ones."""
    y, g = two_level(50, 4, 1.0, 1.0, seed=2)
    y[0] = np.nan
    d = decompose(y, g)
    assert d["outer_samples"] == 50 and math.isfinite(d["luck_variance"])


@pytest.fixture(scope="module")
def tiny():
    from sim.scenario.load import load_scenario
    from sim.world.load import load_world
    from tests.test_cli import NATURAL

    world = load_world()
    return load_scenario(NATURAL, ["horizon_hours=1.5"], world=world), world


def test_common_luck_replays_the_same_luck_at_every_design_point(tiny):
    """With common luck, replication p*R + r has replication r's skill, and the rows are
    relabelled with the batch's own index."""
    from sim.experiments.inputs import resolve_inputs, select_inputs
    from sim.experiments.sampled import run_sampled_replication, with_design
    from sim.model.replication import run_replication

    scenario, world = tiny
    inputs = select_inputs(resolve_inputs(scenario), ["explore_scale", "death_slope"])
    s = with_design(scenario, inputs, np.array([[0.6, 0.1], [1.0, 0.15]]), inner=2, luck="common")
    got = run_sampled_replication(s, world, 3)
    plain = run_replication(scenario, world, 1)
    assert got.summary["skill"] == plain.summary["skill"]
    assert got.summary["replication"] == 3
    assert set(got.trajectories["replication"]) == {3}


def test_nested_design_draws_are_reproducible_and_in_range(tiny):
    """The same seed gives the same draws; every draw lies in its input's range."""
    from sim.experiments.uncertainty import sampled_scenarios

    scenario, _ = tiny
    _, inputs, v1 = sampled_scenarios([scenario], 6, 2, seed=11)
    _, _, v2 = sampled_scenarios([scenario], 6, 2, seed=11)
    assert np.array_equal(v1, v2)
    for j, i in enumerate(inputs):
        assert np.all((v1[:, j] >= i.low) & (v1[:, j] <= i.high))


@pytest.mark.slow
def test_farm_loop_scale_two_halves_a_farms_income():
    """Doubling every loop time halves runes per hour at Mohgwyn (same seeds, within 15%)."""
    from sim.model.replication import run_replication
    from sim.scenario.load import load_scenario
    from sim.world.load import load_world
    from tests.test_cli import ROOT

    world = load_world()
    earned = []
    for scale in (1.0, 2.0):
        s = load_scenario(
            ROOT / "scenarios" / "farm_mohgwyn.toml",
            ["horizon_hours=0.5", f"model.kill_time.farm_loop_scale={scale}"],
            world=world,
        )
        earned.append(sum(run_replication(s, world, k).summary["runes_earned"] for k in range(8)))
    assert earned[1] / earned[0] == pytest.approx(0.5, rel=0.15)
