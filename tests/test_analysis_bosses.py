"""The per-boss table and the finish shares, from stored frames."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim.analysis.bosses import BOSS_COLUMNS, boss_table, finish_shares


def _events(rows):
    return pd.DataFrame(rows, columns=["replication", "hours", "event", "zone", "detail", "value"])


def test_boss_table_counts_attempts_over_beaters_and_quits_there():
    """Three players: two beat A (after 1 and 3 attempts), one loses twice and quits there.
    A: fought 3/3, beaten 2/3, attempts per beater (1 + 3 + 2) / 2 = 3, deaths 4, quit there 1/3."""
    ev = _events(
        [
            (0, 1.0, "boss_win", "Z", "A", 1.0),
            (1, 1.0, "boss_loss", "Z", "A", 1.0),
            (1, 1.1, "boss_loss", "Z", "A", 2.0),
            (1, 1.2, "boss_win", "Z", "A", 3.0),
            (2, 2.0, "boss_loss", "Z", "A", 1.0),
            (2, 2.1, "boss_loss", "Z", "A", 2.0),
            (2, 2.1, "quit", "Z", "A after 2 losses in a row", 20.0),
            (0, 3.0, "boss_win", "Z", "B", 1.0),
        ]
    )
    t = boss_table(ev, 3)
    assert tuple(t.columns) == BOSS_COLUMNS
    a = t.set_index("boss").loc["A"]
    assert a["fought"] == 1.0 and a["beaten"] == pytest.approx(2 / 3)
    assert a["attempts_per_beater"] == 3.0 and a["median_attempts"] == 2.0
    assert a["deaths"] == 4 and a["quit_there"] == pytest.approx(1 / 3)
    assert list(t["boss"]) == ["A", "B"]  # in the order players first meet them


def test_finish_shares_split_every_player_once():
    """Finished, quit and still playing add up to one; the quit median is over quitters."""
    reps = pd.DataFrame(
        {"finish_hours": [50.0, np.nan, np.nan, np.nan], "quit_hours": [np.nan, 2.0, 10.0, np.nan]}
    )
    f = finish_shares(reps)
    assert (f["finished"], f["quit"], f["playing"]) == (0.25, 0.5, 0.25)
    assert f["quit_hours_median"] == 6.0
    assert math.isclose(f["finished"] + f["quit"] + f["playing"], 1.0)
