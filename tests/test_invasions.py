"""Invaders: a Poisson process in exposed hours that interrupts what the player is doing."""

from __future__ import annotations

import math

from sim.model.replication import run_replication, simulate
from tests.worlds import tiny_scenario, tiny_world

Z = 3.29  # two-sided 99.9% normal quantile


def _grind(
    exposure: str,
    on_interrupt: str = "resume",
    hours: float = 10.0,
    kill_form: str = "fixed",
    **over,
):
    return tiny_scenario(
        strategy="route",
        route={"steps": ['explore "Field"', f'grind "Field" for {hours} h'], "then": "stop"},
        horizon_hours=hours + 5.0,
        model__kill_time={"form": kill_form, "common_seconds": 300.0, "gap_scale": 0.0},
        invasions={
            "exposure": exposure,
            "on_interrupt": on_interrupt,
            "duel_win_intercept": 50.0,
            "taunters_tongue_per_hour": 3.0,
        },
        **over,
    )


def test_offline_play_has_no_invasions():
    """Offline, no invader ever arrives, even in invasion-prone zones."""
    world = tiny_world(invasions=True)
    for k in range(5):
        r = run_replication(_grind("offline"), world, k)
        assert "invasion" not in r.events["event"]
        assert r.summary["invasions"] == 0


def test_zones_without_invasions_are_never_invaded():
    """With the Taunter's Tongue but no invasion-prone zone, no invader arrives."""
    r = run_replication(_grind("taunters_tongue"), tiny_world(invasions=False), 0)
    assert r.summary["invasions"] == 0 and r.summary["exposed_hours"] == 0


def test_invasions_arrive_at_the_poisson_rate_per_exposed_hour():
    """Invasions counted over exposed hours match the rate within a 99.9% Poisson interval."""
    world = tiny_world(invasions=True)
    rows = [run_replication(_grind("taunters_tongue"), world, k).summary for k in range(40)]
    count = sum(r["invasions"] for r in rows)
    exposed = sum(r["exposed_hours"] for r in rows)
    expected = 3.0 * exposed
    assert exposed > 300
    assert abs(count - expected) < Z * math.sqrt(expected), (count, expected)


def _clear_hours(pt) -> tuple[float, float]:
    """(hours in the zone, hours spent dueling there)."""
    ev = pt.events
    duels = sum(v for e, v in zip(ev.event, ev.value, strict=True) if e == "invasion")
    return pt.ledger.activity[("Field", "explore")].hours, duels


def _explore(on_interrupt: str, kill_form: str = "fixed"):
    return tiny_scenario(
        strategy="route",
        route={"steps": ['explore "Field"'], "then": "stop"},
        horizon_hours=40.0,
        model__kill_time={"form": kill_form, "common_seconds": 1800.0, "gap_scale": 0.0},
        invasions={
            "exposure": "taunters_tongue",
            "on_interrupt": on_interrupt,
            "duel_win_intercept": 50.0,
            "taunters_tongue_per_hour": 1.0,
        },
    )


def test_resumed_fight_takes_its_time_plus_the_duels():
    """'resume': an interrupted fight goes on where it stopped, so the clear takes base + duels."""
    world = tiny_world(invasions=True, count=10, explore_hours=1.0)
    pt = simulate(_explore("resume"), world, 1)
    hours, duels = _clear_hours(pt)
    assert pt.player.invasions > 0
    assert abs(hours - (1.0 + 10 * 0.5 + duels)) < 1e-9


def test_restarted_fight_starts_over_after_the_duel():
    """'restart': an interrupted fight starts from the beginning, so the clear takes longer."""
    world = tiny_world(invasions=True, count=10, explore_hours=1.0)
    pt = simulate(_explore("restart"), world, 1)
    hours, duels = _clear_hours(pt)
    assert pt.player.invasions > 0
    assert hours > 6.0 + duels + 1e-6


def test_resampled_fight_draws_a_new_time():
    """'resample': an interrupted gamma fight draws a fresh time, unlike resuming it."""
    world = tiny_world(invasions=True, count=10, explore_hours=1.0)
    a = simulate(_explore("resume", "gamma"), world, 1)
    b = simulate(_explore("resample", "gamma"), world, 1)
    assert a.player.invasions > 0
    (ha, da), (hb, db) = _clear_hours(a), _clear_hours(b)
    assert abs((ha - da) - (hb - db)) > 1e-6


def test_lost_duel_is_a_death_with_a_bloodstain():
    """Losing every duel makes each invasion a death, and runes still balance."""
    s = _grind("taunters_tongue").model_copy(
        update={
            "invasions": _grind("taunters_tongue").invasions.model_copy(
                update={"duel_win_intercept": -50.0}
            )
        }
    )
    r = run_replication(s, tiny_world(invasions=True), 0).summary
    assert r["invasions"] > 0
    assert r["deaths"] >= r["invasions"]
    assert (
        r["runes_earned"]
        == r["runes_spent"] + r["runes_held"] + r["runes_in_bloodstain"] + r["runes_lost"]
    )
