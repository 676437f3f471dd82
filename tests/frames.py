"""Synthetic stored runs that follow the table schemas of docs/architecture.md exactly.

The analysis layer is tested on these frames so its tests do not depend on the
model's calibration. A replication's skill and its progression noise come from
``SeedSequence(entropy=seed, spawn_key=(index,))``, as in the model, so replication
k of two strategies run with one seed shares its luck (common random numbers).
The figures are invented but shaped like the game: harder zones pay more per
kill, bosses pay by region, the secret zones pay most per kill.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.store.atomic import atomic_write_text
from sim.store.parts import write_part
from sim.store.schemas import hours_to_level_column, level_at_hours_column, schema

__all__ = ["SyntheticRun", "make_run", "write_run", "ZONES", "LEVELS", "LEVEL_HOURS"]

LEVELS = (20, 40, 60, 80, 100, 120, 150)
LEVEL_HOURS = (1.0, 2.0, 5.0, 10.0, 20.0, 40.0, 60.0)

# name, region, tier, zone_kind, invasion_zone
ZONES = [
    ("Limgrave", "Limgrave", 1, "overworld", False),
    ("Stormveil Castle", "Limgrave", 2, "legacy_dungeon", True),
    ("Liurnia of the Lakes", "Liurnia", 4, "overworld", False),
    ("Altus Plateau", "Altus Plateau", 8, "overworld", False),
    ("Mountaintops of the Giants", "Mountaintops", 13, "overworld", False),
    ("Consecrated Snowfield", "Mountaintops", 14, "secret", True),
    ("Mohgwyn Palace", "Mohgwyn Palace", 15, "secret", True),
]
_ZONE = {z[0]: z for z in ZONES}

# zone -> [(enemy, enemy_kind, enemy_class, runes per kill, kills per hour)]
ENEMIES = {
    "Limgrave": [
        ("Wandering Noble", "humanoid", "common", 19, 60),
        ("Godrick Knight", "humanoid", "elite", 260, 4),
        ("Troll", "giant", "field_boss", 1000, 0.4),
    ],
    "Stormveil Castle": [("Godrick Soldier", "humanoid", "common", 40, 50)],
    "Liurnia of the Lakes": [("Raya Lucaria Soldier", "humanoid", "common", 110, 50)],
    "Altus Plateau": [("Leyndell Soldier", "humanoid", "common", 300, 45)],
    "Mountaintops of the Giants": [
        ("Giant Soldier", "giant", "common", 900, 30),
        ("Troll", "giant", "field_boss", 3780, 0.5),
    ],
    "Consecrated Snowfield": [("Snowfield Rotten", "undead", "common", 1400, 30)],
    "Mohgwyn Palace": [("Albinauric", "magic", "common", 2044, 40)],
}
# boss, zone, runes
BOSSES = [
    ("Margit, the Fell Omen", "Limgrave", 12000),
    ("Godrick the Grafted", "Stormveil Castle", 20000),
    ("Rennala, Queen of the Full Moon", "Liurnia of the Lakes", 40000),
    ("Godskin Apostle", "Altus Plateau", 50000),
    ("Fire Giant", "Mountaintops of the Giants", 180000),
    ("Mohg, Lord of Blood", "Mohgwyn Palace", 420000),
]
FARM = ("Palace Approach Ledge-Road", "Mohgwyn Palace", "Albinauric", 2044, 600)

# share of play time in each zone: (natural, rush_mohgwyn)
_TIME_SHARE = {
    "Limgrave": (0.2, 0.06),
    "Stormveil Castle": (0.1, 0.04),
    "Liurnia of the Lakes": (0.25, 0.15),
    "Altus Plateau": (0.25, 0.15),
    "Mountaintops of the Giants": (0.12, 0.1),
    "Consecrated Snowfield": (0.03, 0.05),
    "Mohgwyn Palace": (0.05, 0.45),
}


@dataclass
class SyntheticRun:
    """The five tables of one stored run, and the scenario dict a manifest would hold."""

    scenario: dict
    replications: pd.DataFrame
    trajectories: pd.DataFrame
    events: pd.DataFrame
    income: pd.DataFrame
    activity: pd.DataFrame
    failures: pd.DataFrame = field(default_factory=pd.DataFrame)

    def tables(self) -> dict[str, pd.DataFrame]:
        return {
            "replications": self.replications,
            "trajectories": self.trajectories,
            "events": self.events,
            "income": self.income,
            "activity": self.activity,
            "failures": self.failures,
        }


def _level_curve(strategy: str, t: np.ndarray, speed: float) -> np.ndarray:
    """Level at play time t (hours): natural climbs steadily, the rush jumps once farming starts."""
    natural = 9 + 140 * (1 - np.exp(-t * speed / 45.0))
    if strategy == "natural":
        return natural
    farming = 9 + 6 * t + np.clip(t - 3, 0, None) * 30 * speed
    rush = np.minimum(farming, 85 + 0.8 * np.clip(t - 5, 0, None))
    return np.maximum(natural, rush)


def make_run(
    strategy: str = "natural",
    *,
    n: int = 20,
    seed: int = 7,
    horizon: float = 60.0,
    grid: float = 0.5,
    name: str | None = None,
    start: int = 0,
) -> SyntheticRun:
    """A synthetic run of ``n`` replications (indices ``start`` .. ``start + n - 1``)."""
    name = name or strategy
    k = 0 if strategy == "natural" else 1
    grid_t = np.round(np.arange(0.0, horizon + 1e-9, grid), 10)
    fine = np.arange(0.0, horizon + 1e-9, 0.01)
    reps, traj, events, income, activity = [], [], [], [], []
    for idx in range(start, start + n):
        ss = np.random.SeedSequence(entropy=seed, spawn_key=(idx,))
        skill_rng, luck = (np.random.default_rng(s) for s in ss.spawn(2))
        skill = float(skill_rng.normal(0.0, 8.0))
        noise = float(luck.lognormal(0.0, 0.15))
        speed = float(np.exp(0.03 * skill)) * noise
        lvl_fine = np.floor(_level_curve(strategy, fine, speed)).astype(int)
        lvl_grid = np.floor(_level_curve(strategy, grid_t, speed)).astype(int)
        row = {
            "replication": idx,
            "seed": seed,
            "seed_entropy": str(seed),
            "scenario": name,
            "strategy": strategy,
            "skill": skill,
            "start_level": 9,
            "final_level": int(lvl_grid[-1]),
        }
        for L in LEVELS:
            hit = np.nonzero(lvl_fine >= L)[0]
            row[hours_to_level_column(L)] = float(fine[hit[0]]) if hit.size else np.nan
        for H in LEVEL_HOURS:
            row[level_at_hours_column(H)] = float(
                np.floor(_level_curve(strategy, np.array([H]), speed))[0]
            )
        finish = (50.0 if k == 0 else 40.0) / speed
        row["finish_hours"] = finish if finish <= horizon else np.nan
        played = min(finish, horizon)

        # income and activity per zone
        zone_rows = []
        earned_by_kind = {"enemy": 0, "boss": 0, "item": 0, "farm": 0, "invasion": 0}
        deaths_total = lost_total = inv_total = 0
        for zname, shares in _TIME_SHARE.items():
            _, region, tier, zkind, inv = _ZONE[zname]
            hours = played * shares[k]
            acts = {"explore": hours}
            if k == 1 and zname == FARM[1]:
                acts = {"explore": hours * 0.2, "farm": hours * 0.8}
            for act, h in acts.items():
                earned = 0
                if act == "farm":
                    cnt = int(luck.poisson(FARM[4] * h))
                    r = cnt * FARM[3]
                    income.append(
                        _income(idx, "farm", FARM[0], zname, "magic", "common", "farm", cnt, r)
                    )
                    earned += r
                    earned_by_kind["farm"] += r
                else:
                    for ename, ekind, eclass, runes, rate in ENEMIES[zname]:
                        cnt = int(luck.poisson(rate * h))
                        if cnt == 0:
                            continue
                        r = cnt * runes
                        income.append(
                            _income(idx, "enemy", ename, zname, ekind, eclass, act, cnt, r)
                        )
                        earned += r
                        earned_by_kind["enemy"] += r
                    if act == "explore":
                        item = int(200 * tier * max(h, 0.1))
                        income.append(
                            _income(idx, "item", "Golden Rune [1]", zname, "", "", act, 1, item)
                        )
                        earned += item
                        earned_by_kind["item"] += item
                deaths = int(luck.poisson(h * (1.2 if inv else 0.6) / speed))
                invasions = int(luck.poisson(h * 0.8)) if inv else 0
                lost = int(min(earned * 0.25, deaths * 300 * tier))
                deaths_total += deaths
                lost_total += lost
                inv_total += invasions
                zone_rows.append(
                    {
                        "replication": idx,
                        "zone": zname,
                        "region": region,
                        "tier": tier,
                        "zone_kind": zkind,
                        "invasion_zone": inv,
                        "activity": act,
                        "hours": h,
                        "deaths": deaths,
                        "runes_earned": earned,
                        "runes_lost": lost,
                        "invasions": invasions,
                    }
                )
        for bname, bzone, runes in BOSSES:
            if bzone == "Mohgwyn Palace" and k == 0 and played < 45:
                continue
            _, region, tier, zkind, inv = _ZONE[bzone]
            income.append(_income(idx, "boss", bname, bzone, "", "", "boss", 1, runes))
            earned_by_kind["boss"] += runes
            zone_rows.append(
                {
                    "replication": idx,
                    "zone": bzone,
                    "region": region,
                    "tier": tier,
                    "zone_kind": zkind,
                    "invasion_zone": inv,
                    "activity": "boss",
                    "hours": 0.0,
                    "deaths": 0,
                    "runes_earned": runes,
                    "runes_lost": 0,
                    "invasions": 0,
                }
            )
        activity.extend(zone_rows)
        earned_total = sum(earned_by_kind.values())
        held = int(earned_total * 0.01)
        row.update(
            {
                "horizon_hours": horizon,
                "hours_played": played,
                "deaths": deaths_total,
                "boss_deaths": deaths_total // 4,
                "invasions": inv_total,
                "invasions_won": inv_total // 2,
                "bosses_defeated": sum(
                    1 for r in income if r["replication"] == idx and r["source_kind"] == "boss"
                ),
                "runes_earned": earned_total,
                "runes_spent": earned_total - held - lost_total,
                "runes_held": held,
                "runes_in_bloodstain": 0,
                "runes_lost": lost_total,
                "exposed_hours": sum(r["hours"] for r in zone_rows if r["invasion_zone"]),
                "sim_events": 1000 + idx,
            }
        )
        reps.append(row)

        # trajectories: income accrues evenly over play time
        frac = np.clip(grid_t / played, 0, 1)
        zones_in_order = list(_TIME_SHARE)
        for t, f, lv in zip(grid_t, frac, lvl_grid, strict=True):
            traj.append(
                {
                    "replication": idx,
                    "hours": float(t),
                    "level": int(lv),
                    "runes_held": int(held * f),
                    "runes_earned": int(earned_total * f),
                    "earned_enemy": int(earned_by_kind["enemy"] * f),
                    "earned_boss": int(earned_by_kind["boss"] * f),
                    "earned_item": int(earned_by_kind["item"] * f),
                    "earned_farm": int(earned_by_kind["farm"] * f),
                    "earned_invasion": 0,
                    "runes_spent": int((earned_total - held - lost_total) * f),
                    "runes_lost": int(lost_total * f),
                    "deaths": int(deaths_total * f),
                    "zone": zones_in_order[
                        min(int(f * len(zones_in_order)), len(zones_in_order) - 1)
                    ],
                }
            )
        for lv in range(10, int(lvl_fine[-1]) + 1):
            hit = np.nonzero(lvl_fine >= lv)[0]
            if hit.size:
                events.append(_event(idx, float(fine[hit[0]]), "level_up", "", "", float(lv)))
        for d in range(min(deaths_total, 20)):
            events.append(_event(idx, played * (d + 0.5) / 20, "death", "Limgrave", "", 100.0))
        if np.isnan(row["finish_hours"]):
            events.append(_event(idx, horizon, "censored", "", "", float(horizon)))
        else:
            events.append(_event(idx, played, "finish", "", "", float(played)))

    frames = {
        "replications": pd.DataFrame(reps),
        "trajectories": pd.DataFrame(traj),
        "events": pd.DataFrame(events),
        "income": pd.DataFrame(income),
        "activity": pd.DataFrame(activity),
        "failures": pd.DataFrame(),
    }
    frames = {k_: _conform(k_, f) for k_, f in frames.items()}
    scenario = {
        "name": name,
        "strategy": strategy,
        "horizon_hours": horizon,
        "replications": n,
        "seed": seed,
        "record": {"grid_hours": grid, "levels": list(LEVELS), "level_hours": list(LEVEL_HOURS)},
        "compare": {"margin_hours": 1.0, "margin_levels": 2.0},
    }
    return SyntheticRun(scenario=scenario, **frames)


def _income(rep, kind, source, zone, ekind, eclass, act, count, runes) -> dict:
    _, region, tier, zkind, _ = _ZONE[zone]
    return {
        "replication": rep,
        "source_kind": kind,
        "source": source,
        "zone": zone,
        "region": region,
        "tier": tier,
        "zone_kind": zkind,
        "enemy_kind": ekind,
        "enemy_class": eclass,
        "activity": act,
        "count": count,
        "runes": runes,
    }


def _event(rep, hours, event, zone, detail, value) -> dict:
    return {
        "replication": rep,
        "hours": hours,
        "event": event,
        "zone": zone,
        "detail": detail,
        "value": value,
    }


def _conform(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Columns in schema order with the schema's dtypes."""
    sch = schema(name, LEVELS, LEVEL_HOURS)
    empty = sch.empty_table().to_pandas()
    if frame.empty:
        return empty
    for col in sch.names:  # a column added to the schema later reads as zero / empty here
        if col not in frame:
            frame[col] = "" if empty[col].dtype == object else 0
    frame = frame[sch.names]
    return frame.astype(empty.dtypes.to_dict())


def write_run(run: SyntheticRun, run_dir: Path, chunk_size: int = 10) -> Path:
    """Store ``run`` as ``run_dir`` in the stored-run layout (parts, manifest.json,
    summary.json)."""
    import pyarrow as pa

    run_dir = Path(run_dir)
    for name, frame in run.tables().items():
        sch = schema(name, LEVELS, LEVEL_HOURS)
        reps = sorted(run.replications["replication"])
        chunks = sorted({r // chunk_size for r in reps})
        for c in chunks:
            part = frame[(frame["replication"] // chunk_size) == c] if len(frame) else frame
            write_part(
                run_dir, name, c, pa.Table.from_pandas(part, schema=sch, preserve_index=False)
            )
    manifest = {
        "scenario": run.scenario,
        "seed": run.scenario["seed"],
        "n": len(run.replications),
        "package_version": "0.1.0",
        "data_version": "synthetic",
        "chunk_size": chunk_size,
        "executor": "synthetic",
    }
    atomic_write_text(run_dir / "manifest.json", json.dumps(manifest, indent=2))
    atomic_write_text(
        run_dir / "summary.json",
        json.dumps({"scenario": run.scenario["name"], "replications": len(run.replications)}),
    )
    return run_dir


# --- a stand-in replication engine for sim.batch.runner.run_batch
# (Engine("frames:replicate", "frames:load_world"))


@dataclass
class _Result:
    summary: dict
    trajectories: dict
    events: dict
    income: dict
    activity: dict


class _Rules:
    version = "synthetic"


class _World:
    """The synthetic engine needs no world; run_batch records ``world.rules.version``."""

    rules = _Rules()


def load_world():
    """A stand-in world for the synthetic engine."""
    return _World()


def replicate(scenario, world, index: int) -> _Result:
    """One synthetic replication of ``scenario``, in the row-group form run_batch stores."""
    run = make_run(
        scenario.strategy,
        n=1,
        seed=scenario.seed,
        horizon=scenario.horizon_hours,
        grid=scenario.record.grid_hours,
        name=scenario.name,
        start=index,
    )

    def cols(frame: pd.DataFrame) -> dict:
        return {c: frame[c].tolist() for c in frame.columns}

    summary = {c: v[0] for c, v in cols(run.replications).items()}
    return _Result(
        summary=summary,
        trajectories=cols(run.trajectories),
        events=cols(run.events),
        income=cols(run.income),
        activity=cols(run.activity),
    )


def synthetic_compare(out: Path, *, n: int, seed: int, strategies=("natural", "rush_mohgwyn")):
    """``compare`` of ``strategies`` (60 h, chunks of 10) on the synthetic engine, one job."""
    from sim.batch.worker import Engine
    from sim.experiments.compare import compare
    from sim.scenario.schema import Scenario

    scenarios = [Scenario(name=s, strategy=s, horizon_hours=60, chunk_size=10) for s in strategies]
    engine = Engine("tests.frames:replicate", "tests.frames:load_world")
    return compare(scenarios, out, n=n, seed=seed, jobs=1, engine=engine)


def compare_table_line(data: dict, metric: str, width: int = 220) -> str:
    """The line of ``metric`` in the comparison table ``runesim compare`` prints for ``data``."""
    from rich.console import Console

    from sim.cli import compare_cmd

    console = Console(record=True, width=width)
    original = compare_cmd._console
    compare_cmd._console = lambda: console
    try:
        compare_cmd._print_table(data)
    finally:
        compare_cmd._console = original
    return next(ln for ln in console.export_text().splitlines() if ln.strip().startswith(metric))


def compare_in_process(out: Path, *args: str) -> Any:
    """``runesim compare natural rush_mohgwyn -n 3 --jobs 1 --out OUT ARGS`` run in this
    process (typer's runner); the result has ``exit_code``, ``stdout`` and ``output``."""
    from typer.testing import CliRunner

    from sim import api
    from sim.cli.app import cli_app

    files = [str(api.scenario_path(s)) for s in ("natural", "rush_mohgwyn")]
    return CliRunner().invoke(
        cli_app(), ["compare", *files, "-n", "3", "--jobs", "1", "--out", str(out), *args]
    )
