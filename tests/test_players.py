"""Players who differ, quit, die away from bosses, and bosses that differ: each mechanism
against a degenerate scenario with a known answer (within a 99.9% interval)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.model.replication import run_replication, simulate
from sim.model.rng import streams
from sim.model.traits import TRAIT_COLUMNS, draw_traits
from tests.worlds import tiny_scenario, tiny_world

Z = 3.29  # two-sided 99.9% normal quantile


def _explore_only(**over):
    return tiny_scenario(
        strategy="route",
        route={"steps": ['explore "Field"'], "then": "stop"},
        model__kill_time={"form": "fixed", "common_seconds": 36.0, "gap_scale": 0.0},
        **over,
    )


def _boss_only(**over):
    return tiny_scenario(
        strategy="route", route={"steps": ['boss "Field Boss"'], "then": "stop"}, **over
    )


def test_traits_are_paired_across_strategies_and_recorded():
    """Replication k draws the same traits whatever the strategy (their own stream), and the
    replications row carries every trait as a trait_<name> column."""
    a = tiny_scenario(traits={"distribution": "random"})
    b = a.model_copy(
        update={
            "strategy": "route",
            "route": a.route.model_copy(update={"steps": ('explore "Field"',)}),
        }
    )
    for k in range(5):
        assert draw_traits(a, streams(a.seed, k).traits) == draw_traits(
            b, streams(b.seed, k).traits
        )
    row = run_replication(a, tiny_world(), 0).summary
    assert {f"trait_{c}" for c in TRAIT_COLUMNS} <= set(row)


def test_trait_draws_follow_their_distributions():
    """Appetite is Beta with the optional share as its mean; tolerance is lognormal with median
    1."""
    s = tiny_scenario(
        natural={"optional_share": 0.25, "main_share": 0.5},
        traits={"distribution": "random", "appetite_concentration": 2.0, "tolerance_sd": 0.6},
    )
    draws = [draw_traits(s, streams(1, k).traits) for k in range(2000)]
    app = np.array([d.appetite for d in draws])
    tol = np.log([d.tolerance for d in draws])
    sd_app = math.sqrt(0.25 * 0.75 / 3.0)  # Beta variance m(1-m)/(k+1)
    assert abs(app.mean() - 0.25) < Z * sd_app / math.sqrt(len(app))
    assert abs(tol.mean()) < Z * 0.6 / math.sqrt(len(tol))
    assert abs(tol.std() - 0.6) < 0.05


def test_spending_elsewhere_takes_the_players_share_of_income():
    """With a spend share s and no deaths, the runes spent on other things are s x income,
    less at most one rune per rest (floors), and conservation still holds."""
    s = _explore_only(
        horizon_hours=5.0,
        traits={"distribution": "fixed", "spend_share_mean": 0.3, "spend_share_concentration": 1e6},
    )
    pt = simulate(s, tiny_world(count=40), 0)
    share = pt.traits.spend_share
    assert share == pytest.approx(0.3, abs=1e-3)
    assert 0.3 * pt.ledger.earned - 40 <= pt.spent_other <= share * pt.ledger.earned + 1
    assert pt.ledger.balanced()


def test_field_deaths_are_poisson_in_exploring_time_and_split_by_cause():
    """Falls f and status s per hour, encounter time t (kill + travel), no enemy deaths: each
    encounter kills with p = 1 - exp(-(f + s) t) and is retried, so deaths are negative binomial
    with mean n p / (1 - p); falls are f / (f + s) of them."""
    n, reps, f, st = 20, 300, 3.0, 1.0
    world = tiny_world(count=n, explore_hours=0.2)  # 36 s of travel per encounter
    s = _explore_only(
        horizon_hours=50.0,
        natural={"retreat_deaths": 10_000, "optional_share": 0.0, "main_share": 1.0},
        model__travel={"runback_encounters": 0.0, "encounters_per_grace": 5, "explore_scale": 1.0},
        field={"falls_per_hour": f, "status_per_hour": st, "runback_failure": 0.0},
    )
    rows = [run_replication(s, world, k).summary for k in range(reps)]
    deaths = np.array([r["deaths"] for r in rows])
    p = 1.0 - math.exp(-(f + st) * (36.0 + 36.0) / 3600.0)  # kill time + travel
    mean, var = n * p / (1 - p), n * p / (1 - p) ** 2
    assert abs(deaths.mean() - mean) < Z * math.sqrt(var / reps), (deaths.mean(), mean)
    falls = sum(r["deaths_fall"] for r in rows)
    share = f / (f + st)
    assert abs(falls / deaths.sum() - share) < Z * math.sqrt(share * (1 - share) / deaths.sum())
    assert all(r["deaths_fall"] + r["deaths_status"] == r["deaths"] for r in rows)


def test_failed_runbacks_happen_at_their_rate_and_lose_the_stain():
    """Every death is followed by a run-back that fails with probability q (care 1): the share
    of run-backs that fail is q."""
    q, reps = 0.3, 200
    s = _explore_only(
        horizon_hours=50.0,
        natural={"retreat_deaths": 10_000, "optional_share": 0.0, "main_share": 1.0},
        model__death={"form": "fixed", "fixed_probability": 0.2},
        model__travel={"runback_encounters": 0.0, "encounters_per_grace": 5, "explore_scale": 1.0},
        field={"falls_per_hour": 0.0, "status_per_hour": 0.0, "runback_failure": q},
    )
    rows = [run_replication(s, tiny_world(count=20), k).summary for k in range(reps)]
    fails = sum(r["deaths_runback"] for r in rows)
    tries = sum(r["deaths"] for r in rows)  # every death starts one run-back
    assert abs(fails / tries - q) < Z * math.sqrt(q * (1 - q) / tries), (fails / tries, q)


def test_hourly_quitting_hazard_gives_an_exponential_quit_time():
    """Only a constant hazard h per hour (tolerance 1): the share still playing after T hours
    is exp(-h T), checked at the rests (every encounter here)."""
    h, T, reps = 0.5, 2.0, 300
    s = _explore_only(
        horizon_hours=T,
        natural={"retreat_deaths": 10_000, "optional_share": 0.0, "main_share": 1.0},
        model__travel={"encounters_per_grace": 1, "explore_scale": 1.0},
        quitting={"enabled": True, "early_per_hour": 0.0, "per_hour": h, "per_loss_in_a_row": 0.0},
    )
    world = tiny_world(count=400, explore_hours=4.0)
    stayed = np.mean(
        [math.isnan(run_replication(s, world, k).summary["quit_hours"]) for k in range(reps)]
    )
    p = math.exp(-h * T)
    assert abs(stayed - p) < Z * math.sqrt(p * (1 - p) / reps) + 0.01, (stayed, p)


def test_quitting_after_losses_in_a_row_follows_the_product_rule():
    """An unbeatable boss, at most K attempts, quit chance c k after the k-th loss in a row:
    the share who quit is 1 - prod_{k=1..K} (1 - c k); quitters are rune-balanced."""
    c, K, reps = 0.02, 10, 300
    s = _boss_only(
        horizon_hours=20.0,
        model__boss={"win_intercept": -50.0, "max_attempts": K},
        quitting={"enabled": True, "early_per_hour": 0.0, "per_hour": 0.0, "per_loss_in_a_row": c},
    )
    world = tiny_world()
    quit = []
    for k in range(reps):
        pt = simulate(s, world, k)
        quit.append(not math.isnan(pt.player.quit_at))
        assert pt.ledger.balanced()
    p = 1.0 - math.prod(1.0 - c * j for j in range(1, K + 1))
    assert abs(np.mean(quit) - p) < Z * math.sqrt(p * (1 - p) / reps), (np.mean(quit), p)


def test_boss_difficulty_and_help_move_the_win_chance_by_their_levels():
    """No learning: attempts to win are geometric with p = sigmoid(a - b (gap + difficulty - help)).
    A boss 10 levels harder than its level, fought with spirit ashes worth 4 levels."""
    from sim.model.combat import sigmoid

    reps, a, b = 300, 1.0, 0.1
    world = tiny_world()
    boss = world.bosses["Field Boss"].model_copy(update={"difficulty": 10.0})
    world = world.model_copy(update={"bosses": {**world.bosses, "Field Boss": boss}})
    s = _boss_only(
        horizon_hours=50.0,
        model__boss={"win_intercept": a, "win_slope": b, "learning": 0.0},
        traits={
            "distribution": "fixed",
            "ashes_share": 1.0,
            "ashes_levels": 4.0,
            "online_share": 0.0,
        },
    )
    pt0 = simulate(s, world, 0)
    tier = world.zones[
        boss.zone
    ].tier  # the gap at the fight: start level, no upgrade (no runes before it)
    gap = pt0.combat.gap(boss.level, tier, pt0.player.level_values[0], 0.0)
    p = sigmoid(a - b * (gap + 10.0 - 4.0))
    attempts = np.array(
        [
            next(
                e["value"] for e in simulate(s, world, k).events.rows() if e["event"] == "boss_win"
            )
            for k in range(reps)
        ]
    )
    mean, var = 1 / p, (1 - p) / p**2
    assert abs(attempts.mean() - mean) < Z * math.sqrt(var / reps), (attempts.mean(), mean)


def test_quitters_keep_conservation_and_stop_playing():
    """Natural play with quitting: every replication balances its runes; a quitter's play
    time ends at its quit hour and it never finishes."""
    from sim.scenario.load import load_scenario
    from sim.world.load import load_world

    world = load_world()
    s = load_scenario("scenarios/natural.toml", ["horizon_hours=20"], world=world)
    seen = 0
    for k in range(12):
        pt = simulate(s, world, k)
        assert pt.ledger.balanced()
        if not math.isnan(pt.player.quit_at):
            seen += 1
            assert pt.clock.ended_at == pytest.approx(pt.player.quit_at) and math.isnan(
                pt.player.finished_at
            )
    assert seen > 0
