"""Plot functions: pure, return the Axes they drew on, with the expected artists."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402

from sim import plots  # noqa: E402
from sim.analysis import sources  # noqa: E402
from sim.analysis.paired import paired_trajectory_difference  # noqa: E402
from sim.analysis.survival import stack, survival_table  # noqa: E402
from tests.frames import make_run  # noqa: E402


@pytest.fixture(scope="module")
def runs():
    nat, rush = make_run("natural", n=6), make_run("rush_mohgwyn", n=6)
    return nat, rush


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_progression_draws_a_median_and_band_per_run(runs):
    """The fan chart has one median line and one band per run."""
    nat, rush = runs
    ax = plots.progression(stack({"natural": nat.trajectories, "rush": rush.trajectories}))
    assert isinstance(ax, Axes)
    assert len(ax.lines) == 2 and len(ax.collections) == 2


def test_plot_uses_the_axes_it_is_given(runs):
    """Given an Axes, a plot draws on it and returns it."""
    nat, _ = runs
    _, ax = plt.subplots()
    assert plots.progression(nat.trajectories, ax=ax) is ax


def test_paired_difference_has_mean_line_two_bands_and_zero(runs):
    """The paired-difference plot draws the mean, the zero line and two bands."""
    nat, rush = runs
    ax = plots.paired_difference(paired_trajectory_difference(nat.trajectories, rush.trajectories))
    assert len(ax.lines) == 2 and len(ax.collections) == 2


def test_survival_draws_a_step_curve_per_run(runs):
    """The survival plot has one curve per run, within [0, 1]."""
    nat, rush = runs
    table = survival_table(stack({"natural": nat.replications, "rush": rush.replications}), 80)
    ax = plots.survival(table, level=80)
    assert len(ax.lines) == 2
    assert ax.get_ylim()[0] == 0


def test_income_by_source_stacks_one_bar_set_per_kind(runs):
    """Income by source draws one bar container per source kind."""
    nat, rush = runs
    f = sources.income_by_source(stack({"natural": nat.income, "rush": rush.income}))
    ax = plots.income_by_source(f)
    assert len(ax.containers) == f["source_kind"].nunique()


def test_deaths_and_losses_draws_one_point_per_replication(runs):
    """Deaths and losses draws a point per replication."""
    nat, _ = runs
    ax = plots.deaths_and_losses(nat.replications)
    assert sum(len(c.get_offsets()) for c in ax.collections) == len(nat.replications)


def test_runes_per_kill_bars_on_a_log_scale(runs):
    """Runes per kill by tier is a bar per tier on a log axis."""
    nat, _ = runs
    t = sources.runes_per_kill_by_tier(nat.income)
    ax = plots.runes_per_kill(t)
    assert len(ax.patches) == len(t) and ax.get_yscale() == "log"


def test_plots_do_not_create_extra_figures(runs):
    """A plot makes at most the one figure it returns."""
    nat, _ = runs
    before = len(plt.get_fignums())
    plots.deaths_and_losses(nat.replications)
    assert len(plt.get_fignums()) == before + 1


def test_distribution_median_counts_players_who_never_got_there():
    """The histogram's median counts the players who did not get there as slower (as the tables)."""
    import pandas as pd

    from sim.plots import distribution

    frame = pd.DataFrame({"scenario": "a", "t": [1.0, 2.0, 3.0, float("nan"), float("nan")]})
    ax = distribution(frame, "t")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["a: median 3.0, 60% reached"]
