"""The default natural scenario lands inside every calibration target (sim/data/calibration.csv)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.calibration import calibrate
from sim.scenario.load import load_scenario
from sim.world.load import load_world

ROOT = Path(__file__).resolve().parents[1]


# Targets the model misses, each documented in docs/calibration.md ("What the fit does not
# settle"), with the bound it must stay under so that a drift is still caught.
KNOWN_MISSES = {
    # Radahn's festival opens once the Altus Plateau is explored (bosses.csv requires); players
    # reach him after Altus, at about 85-90, against the guides' 60-75 (LOW RELIABILITY).
    "level_at_boss:Starscourge Radahn": 95.0,
}


@pytest.mark.slow
def test_default_natural_scenario_meets_every_calibration_target():
    """Play time, the share who reach an ending, levels at the main bosses and the Mohgwyn rate
    fall inside their sourced ranges, except the documented misses, which stay under their bound."""
    world = load_world()
    scenario = load_scenario(ROOT / "scenarios" / "natural.toml", world=world)
    results = calibrate(world, scenario, n=120, farm_n=10)
    assert len(results) == len(world.calibration) >= 5
    missed = [
        (m.metric, round(m.value, 1), (m.low, m.high))
        for m in results
        if not m.ok and m.metric not in KNOWN_MISSES
    ]
    assert not missed, missed
    drifted = [
        (m.metric, m.value)
        for m in results
        if m.metric in KNOWN_MISSES and m.value > KNOWN_MISSES[m.metric]
    ]
    assert not drifted, drifted
