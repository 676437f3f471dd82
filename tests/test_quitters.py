"""Players who quit: pace is compared for players who keep playing, quitting is reported apart."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sim.analysis.headline import headline
from sim.analysis.paired import compare_metric
from sim.analysis.survival import describe_time, event_times

NAN = math.nan


def _reps(times, quits, finished=None):
    n = len(times)
    return pd.DataFrame(
        {
            "replication": np.arange(n),
            "hours_to_level_80": np.asarray(times, float),
            "horizon_hours": np.full(n, 150.0),
            "quit_hours": np.asarray(quits, float),
            "finished": np.asarray(finished if finished is not None else [0] * n, int),
        }
    )


def test_a_quitter_is_censored_when_it_left_not_at_the_horizon():
    """An unreached milestone of a player who quit at 7 h is censored at 7 h."""
    t, c = event_times(_reps([10.0, NAN, NAN], [NAN, 7.0, NAN]), "hours_to_level_80")
    assert list(c) == [False, True, True]
    assert list(t) == [10.0, 7.0, 150.0]


def test_a_pair_with_a_quitter_before_the_milestone_is_left_out():
    """Only pairs in which neither player quit before the milestone enter the difference."""
    a = _reps([20.0, 30.0, NAN, 40.0], [NAN, NAN, 5.0, NAN])
    b = _reps([10.0, 20.0, 15.0, NAN], [NAN, NAN, NAN, 2.0])
    d = compare_metric(a, b, "hours_to_level_80", names=("a", "b"))
    assert d["quit_pairs"] == 2
    assert d["pairs"] == 2
    assert d["median"] == -10.0


def test_quitters_do_not_hide_the_median_of_players_who_keep_playing():
    """With most players quitting early, the median of those who keep playing is still given."""
    times = [10.0 + i for i in range(10)] + [NAN] * 10
    quits = [NAN] * 10 + [1.0] * 10  # half the players quit in the first hour
    d = describe_time(_reps(times, quits), "hours_to_level_80")
    assert d["reached"] == 0.5 and d["median"] is not None
    assert d["median"] is not None and 10.0 <= d["median"] <= 19.0


def test_the_headline_says_who_reaches_an_ending_and_who_quit():
    """The headline reports the share reaching an ending and the share quitting, per strategy."""
    a = _reps([30.0, 40.0, 50.0, NAN], [NAN, NAN, NAN, 3.0], finished=[1, 1, 0, 0])
    b = _reps([5.0, 6.0, 7.0, NAN], [NAN, NAN, NAN, 2.0], finished=[1, 0, 0, 0])
    text = headline({"a": a, "b": b}).text
    assert "if they keep playing" in text
    assert "25% of b players reach an ending against 50% of a players" in text
    assert "quit along the way" in text
