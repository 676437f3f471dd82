"""Hypothesis strategies for the property tests, in one module."""

from __future__ import annotations

from hypothesis import strategies as st

from tests.worlds import tiny_scenario, tiny_world


@st.composite
def small_playthroughs(draw):
    """A tiny world and a scenario with random risk, pace, invasions, horizon, player traits,
    spending, field deaths and quitting (quitters included in every invariant)."""
    world = tiny_world(
        count=draw(st.integers(1, 12)),
        runes=draw(st.integers(1, 3000)),
        explore_hours=draw(st.floats(0.05, 1.0)),
        invasions=draw(st.booleans()),
        loot=draw(st.integers(0, 3)),
        boss_runes=draw(st.integers(1, 50_000)),
    )
    scenario = tiny_scenario(
        horizon_hours=draw(st.floats(0.2, 6.0)),
        seed=draw(st.integers(0, 2**32)),
        player__skill={"distribution": "normal", "sd": draw(st.floats(0, 15))},
        model__kill_time={
            "form": "gamma",
            "shape": draw(st.floats(0.5, 5)),
            "common_seconds": draw(st.floats(5, 300)),
        },
        model__death={"form": "fixed", "fixed_probability": draw(st.floats(0, 0.5))},
        model__boss={"win_intercept": draw(st.floats(-3, 3))},
        invasions={
            "exposure": draw(st.sampled_from(["offline", "furlcalling", "taunters_tongue"])),
            "on_interrupt": draw(st.sampled_from(["resume", "restart", "resample"])),
            "win_runes_fraction_of_level_cost": draw(st.sampled_from([0.0, 0.04])),
        },
        buffs={"scarab": draw(st.sampled_from(["never", "always"]))},
        traits={
            "distribution": "random",
            "spend_share_mean": draw(st.floats(0.0, 0.5)),
            "care_sd": draw(st.floats(0.0, 1.0)),
            "caution_sd": draw(st.floats(0.0, 15.0)),
            "online_share": draw(st.floats(0.0, 1.0)),
        },
        quitting={
            "enabled": draw(st.booleans()),
            "early_per_hour": draw(st.floats(0.0, 2.0)),
            "per_hour": draw(st.floats(0.0, 1.0)),
            "per_loss_in_a_row": draw(st.floats(0.0, 0.3)),
        },
        field={
            "falls_per_hour": draw(st.floats(0.0, 3.0)),
            "status_per_hour": draw(st.floats(0.0, 3.0)),
            "runback_failure": draw(st.floats(0.0, 0.5)),
        },
    )
    return world, scenario, draw(st.integers(0, 50))
