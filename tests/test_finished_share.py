"""A 0/1 metric (``finished``) is compared as shares, not as medians of zeros and ones."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.analysis.compare import comparison_data
from sim.experiments.comparison import ComparisonResult
from tests.frames import compare_table_line, make_run


def _runs(n: int = 200, seed: int = 4) -> dict:
    """Two runs whose players finish 37% and 31% of the time, pairs sharing their luck."""
    rng = np.random.default_rng(seed)
    u = rng.permutation(n) / n  # the player's luck, common to both strategies
    reps = {}
    for name, share in (("natural", 0.37), ("rush_mohgwyn", 0.31)):
        rep = make_run(name, n=n, seed=seed).replications
        rep["finished"] = (u < share).astype(int)
        reps[name] = rep
    return reps


@pytest.fixture(scope="module")
def data() -> dict:
    return comparison_data(_runs(), seed=3)


def test_finished_shows_the_shares_and_their_paired_difference(data):
    """JSON, text table and report all show 37% vs 31% and the difference of shares with its
    interval; the verdict is read on that difference (not "0.0 vs 0.0, no clear difference")."""
    from sim.report_metrics import metrics_section

    m = data["metrics"]["finished"]
    assert m["natural"]["share"] == 0.37 and m["rush_mohgwyn"]["share"] == 0.31
    lo, hi = m["natural"]["share_ci95"]
    assert lo < 0.37 < hi
    d = m["diff"]
    assert (d["share_a"], d["share_b"]) == (0.37, 0.31)
    assert abs(d["difference_of_shares"] - (-0.06)) < 1e-12
    lo, hi = d["difference_of_shares_ci95"]
    assert lo < -0.06 < hi < 0  # nested finishers: every pair differs the same way or not at all
    assert d["verdict_statistic"] == "difference of shares"
    assert d["verdict"].startswith("rush_mohgwyn lower by 6.0 percentage points")
    # the keys every metric has stay (same meaning: the median difference of 0/1 values)
    assert "difference_of_medians" in d and "median" in m["natural"]

    line = compare_table_line(data, "finished")
    assert "37%" in line and "31%" in line and "-6.0 pp [" in line
    assert "rush_mohgwyn lower by 6.0 percentage points" in line

    html = metrics_section(ComparisonResult(run_dirs={}, data=data))
    row = next(r for r in html.splitlines() if r.startswith("<tr><td>finished"))
    assert "37%" in row and "31%" in row and "-6.0 pp" in row


def test_a_share_table_row_carries_the_shares(data):
    """api: ComparisonResult.table() gives each strategy's share and the difference of shares."""
    t = ComparisonResult(run_dirs={}, data=data).table().set_index("metric")
    assert t.loc["finished", "natural share"] == 0.37
    assert abs(t.loc["finished", "rush_mohgwyn − natural (difference of shares)"] + 0.06) < 1e-12
    assert pd.isna(t.loc["deaths", "natural share"])
