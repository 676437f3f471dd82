"""Where runes come from: income by source, tier, region, farm, zone risk and enemy."""

from __future__ import annotations

import pytest

from sim.analysis import sources
from sim.analysis.claims import evaluate_claims
from sim.analysis.survival import stack
from tests.frames import make_run


@pytest.fixture(scope="module")
def runs():
    return make_run("natural", n=8), make_run("rush_mohgwyn", n=8)


def test_source_shares_sum_to_one_per_run(runs):
    """The shares of runes by source kind add up to 1 within each run."""
    nat, rush = runs
    f = sources.income_by_source(
        stack({"n": nat.income, "r": rush.income}), stack({"n": nat.activity, "r": rush.activity})
    )
    assert f.groupby("scenario")["share"].sum().to_numpy() == pytest.approx([1.0, 1.0])


def test_source_totals_equal_runes_earned(runs):
    """Income by source adds up to the runes earned in the replications table."""
    nat, _ = runs
    f = sources.income_by_source(nat.income, nat.activity)
    assert f["runes"].sum() == nat.replications["runes_earned"].sum()


def test_runes_per_kill_is_a_ratio_of_sums(runs):
    """Runes per kill of a tier is its enemy runes over its kills."""
    nat, _ = runs
    t = sources.runes_per_kill_by_tier(nat.income).set_index("tier")
    e = nat.income[(nat.income["source_kind"] == "enemy") & (nat.income["tier"] == 1)]
    assert t.loc[1, "runes_per_kill"] == pytest.approx(e["runes"].sum() / e["count"].sum())


def test_invasion_zone_net_rate_subtracts_losses(runs):
    """Net runes per hour of invasion zones subtract the runes lost there."""
    nat, _ = runs
    f = sources.invasion_zone_rates(nat.activity).set_index("invasion_zone")
    a = nat.activity[nat.activity["invasion_zone"]]
    expected = (a["runes_earned"].sum() - a["runes_lost"].sum()) / a["hours"].sum()
    assert f.loc[True, "net_per_hour"] == pytest.approx(expected)


def test_farm_rate_divides_by_farming_hours(runs):
    """A farm's runes per hour divide its runes by the hours spent farming in its zone."""
    _, rush = runs
    f = sources.farm_rates(rush.income, rush.activity).iloc[0]
    hours = rush.activity.loc[rush.activity["activity"] == "farm", "hours"].sum()
    assert f["runes_per_hour"] == pytest.approx(f["runes"] / hours)


def test_enemy_kind_within_a_zone(runs):
    """Within Limgrave each enemy keeps its own runes per kill."""
    nat, _ = runs
    f = sources.runes_per_kill_by_enemy(nat.income, zone="Limgrave").set_index("source")
    assert (
        f.loc["Troll", "runes_per_kill"] == 1000
        and f.loc["Wandering Noble", "runes_per_kill"] == 19
    )


def test_income_over_time_rates_are_non_negative(runs):
    """Runes earned per hour from the cumulative trajectories are never negative."""
    nat, _ = runs
    f = sources.income_over_time(nat.trajectories)
    assert (f["runes_per_hour"].to_numpy() >= 0).all()


def test_five_claims_each_have_a_verdict(runs):
    """Every one of the five claims comes back with a verdict and figures."""
    nat, rush = runs
    claims = evaluate_claims(
        stack({"n": nat.income, "r": rush.income}), stack({"n": nat.activity, "r": rush.activity})
    )
    assert [c.number for c in claims] == [1, 2, 3, 4, 5]
    assert all(c.verdict and c.figures for c in claims)
