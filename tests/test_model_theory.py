"""Degenerate scenarios checked against answers known from theory, within confidence intervals.

Each test runs many replications of a small world and compares a statistic with
its exact value; the tolerance is a 99.9% interval, so a correct model fails
about once in a thousand runs and a wrong one fails almost always.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from sim.model.replication import run_replication, simulate
from tests.worlds import tiny_scenario, tiny_world

Z = 3.29  # two-sided 99.9% normal quantile


def _explore_only(kill_time: dict | None = None, **over):
    """Explore 'Field' and stop: the clear time of one zone. The gap does not touch kill times."""
    kt = {"form": "fixed", "common_seconds": 36.0, "gap_scale": 0.0} | (kill_time or {})
    return tiny_scenario(
        strategy="route",
        route={"steps": ['explore "Field"'], "then": "stop"},
        model__kill_time=kt,
        **over,
    )


def test_fixed_kill_times_and_no_death_give_the_exact_play_time():
    """Zero death risk and fixed kill times: clearing a zone takes explore time + n x kill time."""
    world = tiny_world(count=10, explore_hours=1.0)
    pt = simulate(_explore_only(horizon_hours=5.0), world, 0)
    zone_hours = pt.ledger.activity[("Field", "explore")].hours
    assert zone_hours == pytest.approx(1.0 + 10 * 36 / 3600, abs=1e-9)


def test_fixed_death_chance_gives_a_negative_binomial_death_count():
    """With death chance p per encounter (retried after each death), no run-back risk and no
    retreat, deaths before clearing n encounters are negative binomial: mean n p / (1 - p)."""
    n, p, reps = 20, 0.2, 400
    s = _explore_only(
        horizon_hours=50.0,
        model__death={"form": "fixed", "fixed_probability": p},
        model__travel={"runback_encounters": 0.0, "encounters_per_grace": 5, "explore_scale": 1.0},
        natural__retreat_deaths=10_000,
    )
    world = tiny_world(count=n)
    deaths = np.array([run_replication(s, world, k).summary["deaths"] for k in range(reps)])
    mean, var = stats.nbinom.stats(n, 1 - p, moments="mv")
    half = Z * np.sqrt(var / reps)
    assert abs(deaths.mean() - mean) < half, (deaths.mean(), mean, half)


def test_gamma_kill_times_give_the_known_mean_and_variance_of_a_clear():
    """Gamma kill times (shape k, mean m): a zone of n encounters clears in explore + n m on
    average, with variance n m^2 / k."""
    n, m, k, reps = 10, 120.0, 2.0, 400
    s = _explore_only(
        horizon_hours=50.0, kill_time={"form": "gamma", "shape": k, "common_seconds": m}
    )
    world = tiny_world(count=n, explore_hours=1.0)
    times = (
        np.array(
            [simulate(s, world, r).ledger.activity[("Field", "explore")].hours for r in range(reps)]
        )
        * 3600
    )
    mean = 3600 + n * m
    var = n * m * m / k
    assert abs(times.mean() - mean) < Z * np.sqrt(var / reps)
    # the sample variance of a sum of gammas: compare with a wide chi-square interval
    lo, hi = stats.chi2.ppf([0.0005, 0.9995], reps - 1) / (reps - 1)
    assert var * lo * 0.9 < times.var(ddof=1) < var * hi * 1.1
