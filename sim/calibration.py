"""Does the default model reproduce real play? Measure each calibration target of the world.

Targets live in ``sim/data/calibration.csv`` (metric, low, high, source). Metrics:

- ``finish_hours_median``: median hours to beat the final boss among the players who
  did not quit (Kaplan-Meier: runs cut by the horizon count as censored, not dropped;
  HowLongToBeat's times are those of players who finished);
- ``finished_share``: share of players who reach an ending (the rest quit or are still
  playing at the horizon);
- ``level_at_boss:NAME``: median level at the moment NAME falls, among players who beat it;
- ``farm_runes_per_hour:SPOT``: runes per hour of an hour at the spot, at level 150
  with a +25 weapon, NG, no buff.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.model.replication import simulate
from sim.scenario.limits import safe_label
from sim.scenario.load import scenario_from_dict
from sim.scenario.schema import Scenario
from sim.world.schema import World

__all__ = ["Measured", "calibrate", "farm_scenario"]


@dataclass(frozen=True)
class Measured:
    name: str
    metric: str
    low: float
    high: float
    value: float
    n: int

    @property
    def ok(self) -> bool:
        return self.low <= self.value <= self.high


def farm_scenario(world: World, spot: str, seed: int = 1) -> Scenario:
    """An hour at ``spot`` with its access granted, at level 150 with a +25 weapon."""
    farm = world.farms[spot]
    needs = world.zones[farm.zone].requires + farm.requires
    has = [t.split("|")[0].strip() for t in needs]
    return scenario_from_dict(
        {
            "name": safe_label(f"farm {spot}"),
            "strategy": "route",
            "horizon_hours": 1.0,
            "seed": seed,
            "player": {"start_level": 150, "start_upgrade": 25, "has": has},
            "route": {"steps": [f'farm "{spot}" for 60 min'], "then": "stop"},
            "buffs": {"scarab": "never", "fowl_foot": "never"},
            "record": {"levels": [151], "level_hours": [1]},
            "quitting": {"enabled": False},
            "traits": {"spend_share_mean": 0.0},
        }
    )


def _km_median(times: list[float], horizon: float) -> float:
    from sim.analysis.metrics import describe

    values = np.array([t if not math.isnan(t) else horizon for t in times])
    censored = np.array([math.isnan(t) for t in times])
    m = describe(values, censored=censored)["median"]
    return float("inf") if m is None else float(m)


def calibrate(world: World, scenario: Scenario, n: int = 100, farm_n: int = 20) -> list[Measured]:
    """Run ``n`` playthroughs of ``scenario`` and measure every target of ``world``."""
    runs = [simulate(scenario, world, k) for k in range(n)]
    out = []
    for target in world.calibration:
        kind, _, arg = target.metric.partition(":")
        if kind == "finish_hours_median":
            stayed = [pt for pt in runs if math.isnan(pt.player.quit_at)]
            value = _km_median([pt.player.finished_at for pt in stayed], scenario.horizon_hours)
            count = len(stayed)
        elif kind == "finished_share":
            value, count = float(np.mean([not math.isnan(pt.player.finished_at) for pt in runs])), n
        elif kind == "level_at_boss":
            levels = [
                # the level it fought at: just before the win's runes are spent
                pt.level_at(hours - 1e-9)
                for pt in runs
                for hours, event, boss in zip(
                    pt.events.hours, pt.events.event, pt.events.detail, strict=True
                )
                if event == "boss_win" and boss == arg
            ]
            value, count = (float(np.median(levels)) if levels else math.nan), len(levels)
        elif kind == "farm_runes_per_hour":
            fs = farm_scenario(world, arg)
            rates = []
            for k in range(farm_n):
                pt = simulate(fs, world, k)
                hours = sum(t.hours for (_, act), t in pt.ledger.activity.items() if act == "farm")
                rates.append(pt.ledger.earned_by["farm"] / hours)
            value, count = float(np.mean(rates)), farm_n
        else:
            raise ValueError(f"unknown calibration metric {target.metric!r}")
        out.append(Measured(target.name, target.metric, target.low, target.high, value, count))
    return out
