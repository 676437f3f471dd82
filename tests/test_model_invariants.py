"""Invariants that hold in every replication of every small scenario (hypothesis)."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import HealthCheck, given, settings

from sim.model.replication import run_replication
from tests.strategies import small_playthroughs

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(small_playthroughs())
def test_runes_are_conserved(case):
    """earned = spent + held + in bloodstain + lost, at the end of every replication."""
    world, scenario, k = case
    s = run_replication(scenario, world, k).summary
    assert (
        s["runes_earned"]
        == s["runes_spent"] + s["runes_held"] + s["runes_in_bloodstain"] + s["runes_lost"]
    )


@SETTINGS
@given(small_playthroughs())
def test_clock_and_level_never_go_back(case):
    """Event times, recorded levels and cumulative runes earned never decrease."""
    world, scenario, k = case
    r = run_replication(scenario, world, k)
    hours = r.events["hours"]
    assert all(a <= b for a, b in pairwise(hours))
    for col in ("hours", "level", "runes_earned", "runes_spent", "runes_lost", "deaths"):
        values = r.trajectories[col]
        assert all(a <= b for a, b in pairwise(values)), col


@SETTINGS
@given(small_playthroughs())
def test_runes_never_negative(case):
    """Runes held, in the bloodstain and lost are never negative, on the grid or at the end."""
    world, scenario, k = case
    r = run_replication(scenario, world, k)
    assert min(r.trajectories["runes_held"]) >= 0
    assert min(r.trajectories["runes_lost"]) >= 0
    assert r.summary["runes_in_bloodstain"] >= 0 and r.summary["runes_held"] >= 0


@SETTINGS
@given(small_playthroughs())
def test_income_table_adds_up_to_runes_earned(case):
    """The runes booked by source add up to the runes earned."""
    world, scenario, k = case
    r = run_replication(scenario, world, k)
    assert sum(r.income["runes"]) == r.summary["runes_earned"]


@SETTINGS
@given(small_playthroughs())
def test_play_time_by_activity_adds_up_to_hours_played(case):
    """Hours booked to zones and activities add up to the hours played."""
    world, scenario, k = case
    r = run_replication(scenario, world, k)
    assert abs(sum(r.activity["hours"]) - r.summary["hours_played"]) < 1e-6
