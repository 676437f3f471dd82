"""The default natural scenario lands inside every calibration target (sim/data/calibration.csv)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.calibration import calibrate
from sim.scenario.load import load_scenario
from sim.world.load import load_world

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_default_natural_scenario_meets_every_calibration_target():
    """Play time, levels at the main bosses and the Mohgwyn rate fall inside their sourced ranges."""
    world = load_world()
    scenario = load_scenario(ROOT / "scenarios" / "natural.toml", world=world)
    results = calibrate(world, scenario, n=120, farm_n=10)
    assert len(results) == len(world.calibration) >= 5
    missed = [(m.metric, round(m.value, 1), (m.low, m.high)) for m in results if not m.ok]
    assert not missed, missed
