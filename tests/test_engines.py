"""The fast engine plays the same model as the reference engine (one SimPy event per encounter).

Without invaders the two engines draw the same random numbers in the same order, so
every table is identical. With invaders an interrupted run of encounters discards
draws the reference would have used later, so the two agree in distribution only:
two-sample Kolmogorov–Smirnov tests at the 1% level on each key metric, and each
engine's mean inside the other's 99% confidence interval.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from sim.model.replication import run_replication, simulate, summary_row
from sim.scenario.load import load_scenario
from sim.scenario.schema import Model
from sim.world.load import load_world

ROOT = Path(__file__).resolve().parents[1]
METRICS = (
    "final_level",
    "finish_hours",
    "hours_to_level_40",
    "hours_to_level_80",
    "deaths",
    "runes_lost",
)
GROUPS = ("trajectories", "events", "income", "activity")


def _scenario(name: str, engine: str, *overrides: str):
    world = load_world()
    return load_scenario(
        ROOT / "scenarios" / f"{name}.toml", [f"model.engine={engine}", *overrides], world=world
    )


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or abs(a - b) <= 1e-9 * max(1.0, abs(a))
    return a == b


def _rows(group: dict[str, list]) -> list[tuple]:
    return sorted(zip(*group.values(), strict=True), key=repr)


def test_fast_engine_is_the_default():
    """A scenario that names no engine runs on the fast one; the reference stays selectable."""
    assert Model().engine == "fast"
    assert _scenario("natural", "reference").model.engine == "reference"
    assert load_scenario(ROOT / "scenarios" / "natural.toml", []).model.engine == "fast"


@pytest.mark.parametrize(
    ("name", "overrides"),
    [
        ("natural", ()),
        ("rush_mohgwyn", ()),
        ("natural", ("horizon_hours=7",)),
        ("rush_mohgwyn", ("horizon_hours=3",)),
    ],
)
def test_engines_identical_without_invaders(name, overrides):
    """Offline, both engines give the same summary, trajectory, events, income and activity rows
    for every replication (also when the horizon falls inside a run of encounters), and the
    fast one schedules fewer SimPy events."""
    world = load_world()
    ref, fast = _scenario(name, "reference", *overrides), _scenario(name, "fast", *overrides)
    for index in range(6):
        a, b = run_replication(ref, world, index), run_replication(fast, world, index)
        for key, value in a.summary.items():
            if key != "sim_events":
                assert _same(value, b.summary[key]), (name, index, key)
        assert b.summary["sim_events"] < a.summary["sim_events"]
        for group in GROUPS:
            ra, rb = _rows(getattr(a, group)), _rows(getattr(b, group))
            assert len(ra) == len(rb), (name, index, group)
            for x, y in zip(ra, rb, strict=True):
                assert all(_same(p, q) for p, q in zip(x, y, strict=True)), (
                    name,
                    index,
                    group,
                    x,
                    y,
                )


def _sample(name: str, engine: str, n: int, *overrides: str) -> dict[str, np.ndarray]:
    world = load_world()
    sc = _scenario(name, engine, *overrides)
    rows = [run_replication(sc, world, i).summary for i in range(n)]
    out = {}
    for m in METRICS:
        v = np.array([r[m] for r in rows], dtype=float)
        out[m] = np.where(np.isnan(v), sc.horizon_hours, v)  # censored: at least the horizon
    return out


def _ci99(v: np.ndarray) -> tuple[float, float]:
    half = 2.576 * v.std(ddof=1) / math.sqrt(len(v))
    return v.mean() - half, v.mean() + half


@pytest.mark.slow
def test_engines_agree_with_invaders():
    """Online (invaders interrupt fights), at n = 400 per engine the distributions of final level,
    finish hours, hours to levels 40 and 80, deaths and runes lost agree: KS p > 0.01 and each
    mean inside the other engine's 99% interval."""
    from scipy.stats import ks_2samp

    n = 400
    ref = _sample("natural_online", "reference", n)
    fast = _sample("natural_online", "fast", n)
    for m in METRICS:
        p = ks_2samp(ref[m], fast[m]).pvalue
        assert p > 0.01, (m, p)
        lo, hi = _ci99(ref[m])
        assert lo <= fast[m].mean() <= hi, (m, fast[m].mean(), (lo, hi))
        lo, hi = _ci99(fast[m])
        assert lo <= ref[m].mean() <= hi, (m, ref[m].mean(), (lo, hi))


def _same_rows(a: dict[str, list], b: dict[str, list]) -> bool:
    ra, rb = _rows(a), _rows(b)
    return len(ra) == len(rb) and all(
        _same(p, q) for x, y in zip(ra, rb, strict=True) for p, q in zip(x, y, strict=True)
    )


FOWL = ("buffs.fowl_foot=farming", "buffs.fowl_foot_count=40")


@pytest.mark.parametrize(
    ("name", "overrides"),
    [
        ("natural", ()),
        ("rush_mohgwyn", ("horizon_hours=3",)),
        ("farm_mohgwyn", FOWL),
        ("farm_mohgwyn", (*FOWL, "horizon_hours=31.7")),
    ],
)
def test_fast_engine_alone_matches_the_event_queue(name, overrides):
    """Where no invader can come the fast engine plays the player's process without SimPy's
    event queue; every table, the count of events SimPy would have scheduled and the Fowl
    Foot's wearing off (logged where the player then was) are as on the queue."""
    world = load_world()
    sc = _scenario(name, "fast", *overrides)
    worn = 0
    for index in range(4):
        alone, queued = simulate(sc, world, index), simulate(sc, world, index, queue=True)
        assert alone.driven and not queued.driven
        a, b = summary_row(alone, index), summary_row(queued, index)
        assert all(_same(v, b[k]) for k, v in a.items()), (name, index)
        for table in ("events", "trajectory"):
            a, b = (getattr(pt, table).column_dict(index) for pt in (alone, queued))
            assert _same_rows(a, b), (name, index, table)
        assert alone.ledger.income == queued.ledger.income
        assert alone.ledger.activity == queued.ledger.activity
        worn += alone.events.event.count("buff_off")
    assert worn > 0 or FOWL[0] not in overrides
