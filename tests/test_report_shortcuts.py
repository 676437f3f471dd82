"""The report's shortcuts give what the plain computations give: the level when farming began
read off the trajectory grid, and the sources read from income summed per source."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.analysis import sources
from sim.analysis.survival import stack
from sim.report_sections import _level_when


def _grid(reps: list[int], hours: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    levels = np.cumsum(rng.integers(0, 3, (len(reps), hours.size)), axis=1) + 1
    return pd.DataFrame(
        {
            "replication": np.repeat(reps, hours.size),
            "hours": np.tile(hours, len(reps)),
            "level": levels.ravel(),
        }
    )


def test_the_level_when_farming_began_is_the_last_one_recorded_by_then() -> None:
    rng = np.random.default_rng(7)
    traj = _grid([0, 1, 2, 4, 5], np.array([0.5, 1.0, 2.0, 4.0, 8.0]), rng)
    starts = pd.DataFrame(
        {
            "replication": rng.integers(0, 7, 200),  # 3 and 6 have no trajectory
            "hours": rng.choice([0.1, 0.5, 0.7, 1.0, 3.9, 4.0, 8.0, 20.0], 200),
            "detail": rng.choice(["a", "b"], 200),
        }
    )
    got = _level_when(starts, traj).sort_values(["hours", "replication", "detail"], kind="stable")
    want = pd.merge_asof(
        starts.sort_values("hours"),
        traj.sort_values("hours"),
        on="hours",
        by="replication",
        direction="backward",
    ).sort_values(["hours", "replication", "detail"], kind="stable")
    assert np.array_equal(got["level"].to_numpy(float), want["level"].to_numpy(float), True)
    ragged = traj.iloc[1:]  # not on one grid: matched by sorting
    assert len(_level_when(starts, ragged)) == len(starts)


def test_sources_read_from_income_summed_per_source_are_the_same() -> None:
    rng = np.random.default_rng(3)
    n = 5000
    kinds = ["enemy", "boss", "farm", "item", "invasion"]

    def income() -> pd.DataFrame:
        zone = rng.choice(["Limgrave", "Caelid", "Mohgwyn"], n)
        return pd.DataFrame(
            {
                "replication": rng.integers(0, 50, n),
                "source_kind": rng.choice(kinds, n),
                "source": rng.choice(["x", "y", "z", "w"], n),
                "zone": zone,
                "region": np.where(zone == "Mohgwyn", "Underground", "Surface"),
                "tier": rng.integers(1, 6, n),
                "count": rng.integers(1, 9, n),
                "runes": rng.integers(0, 10_000, n),
            }
        )

    runs = {"a": income(), "b": income()}
    activity = stack(
        {
            s: pd.DataFrame(
                {
                    "replication": np.arange(50),
                    "zone": "Caelid",
                    "activity": "farm",
                    "hours": rng.random(50),
                }
            )
            for s in runs
        }
    )
    rows = stack(runs)
    cells = stack(
        {
            s: f.groupby(
                ["source_kind", "source", "zone", "region", "tier"],
                sort=False,
                dropna=False,
                as_index=False,
            )[["count", "runes"]].sum()
            for s, f in runs.items()
        }
    )
    pd.testing.assert_frame_equal(
        sources.income_by_source(cells, activity), sources.income_by_source(rows, activity)
    )
    pd.testing.assert_frame_equal(
        sources.boss_runes_by_region(cells), sources.boss_runes_by_region(rows)
    )
    pd.testing.assert_frame_equal(
        sources.farm_rates(cells, activity), sources.farm_rates(rows, activity)
    )
