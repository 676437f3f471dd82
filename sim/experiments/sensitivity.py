"""``runesim sensitivity``: which uncertain input drives a metric, or a comparison's verdict.

The design (``sim.experiments.indices``) is run as one sampled batch per scenario
(``sim.experiments.sampled``) with ``inner`` replications per point on common random
numbers: point ``p``'s replication ``r`` has luck ``r`` in every point and in both
scenarios, so the output of a point is a deterministic function of the inputs (the
mean over the same ``inner`` lucks) and the paired difference against ``--against``
removes the luck the two routes share. Batches go through ``run_batch``: stored chunk
by chunk, resumable with the same ``--out``, on local processes or Dask.

The output of point ``p`` is the mean metric over its replications, or the mean paired
difference (other − scenario) for a comparison; a time to a level that was not reached
counts as the horizon (as in the paired comparison). The last point of every design is
the scenario as written; the *verdict* there (lower, higher, or equivalent within the
comparison margin) is the reference, and ``verdict_flip_share`` is the share of the
design's points whose verdict differs from it (Sobol points are uniform over the input
space; with few inner replications, luck can flip points near the margin).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.columns import is_hours_to_level
from sim.errors import InputError, did_you_mean
from sim.experiments.indices import Design, analyse, make_design, ranked
from sim.experiments.inputs import resolve_inputs, select_inputs, values_as_written
from sim.experiments.sampled import SAMPLED_ENGINE, with_design
from sim.scenario.schema import Scenario

__all__ = [
    "SensitivityPlan",
    "plan",
    "run_sensitivity",
    "summarise",
    "outputs",
    "metric_names",
    "load_sensitivity",
    "RESULT_FILE",
    "DESIGN_FILE",
]

RESULT_FILE = "sensitivity.json"
DESIGN_FILE = "design.json"
_NOT_METRICS = {
    "replication",
    "seed",
    "seed_entropy",
    "scenario",
    "strategy",
    "horizon_hours",
    "sim_events",
}


def metric_names(scenario: Scenario) -> list[str]:
    """The replication metrics a sensitivity run can study."""
    from sim.store.schemas import schema

    rec = scenario.record
    cols = schema("replications", rec.levels, rec.level_hours).names
    return [c for c in cols if c not in _NOT_METRICS]


@dataclass(frozen=True)
class SensitivityPlan:
    """What a sensitivity run will do, known before anything runs."""

    scenario: Scenario
    other: Scenario | None
    metric: str
    design: Design
    inner: int
    as_written: list[float]

    @property
    def points(self) -> int:
        return len(self.design.unit) + 1  # the design, then the scenario as written

    @property
    def playthroughs(self) -> int:
        return self.points * self.inner * (2 if self.other is not None else 1)

    def cost(self) -> str:
        d = self.design
        scen = 2 if self.other is not None else 1
        return (
            f"{d.method} design over {len(d.inputs)} inputs, N = {d.samples}: {self.points - 1:,} "
            f"input points + 1 as written, x {self.inner} replications x {scen} scenario"
            f"{'s' if scen > 1 else ''} = {self.playthroughs:,} playthroughs"
        )


def plan(
    scenario: Scenario,
    other: Scenario | None,
    metric: str,
    *,
    method: str = "sobol",
    samples: int = 64,
    inner: int = 8,
    params: list[str] | None = None,
    seed: int | None = None,
    file: str | None = None,
) -> SensitivityPlan:
    """Check everything and sample the design (``InputError`` on bad input)."""
    known = metric_names(scenario)
    if metric not in known:
        raise InputError.one(
            None, "--metric", metric, "one of " + ", ".join(known), did_you_mean(metric, known)
        )
    if inner < 1:
        raise InputError.one(None, "--replications", inner, "at least 1 replication per point")
    inputs = select_inputs(resolve_inputs(scenario, file), params)
    seed = int(scenario.seed if seed is None else seed)
    design = make_design(method, inputs, samples, seed)
    return SensitivityPlan(
        scenario, other, metric, design, inner, values_as_written(scenario, inputs)
    )


def _point_means(rep: pd.DataFrame, metric: str, inner: int) -> pd.Series:
    y = rep[metric].astype(float)
    if is_hours_to_level(metric):
        y = y.fillna(rep["horizon_hours"].astype(float))
    return pd.Series(y.to_numpy(), index=rep["replication"].to_numpy())


def _verdict_class(d: float, margin: float) -> int:
    return 0 if abs(d) <= margin else (1 if d > 0 else -1)


def _margin(scenario: Scenario, metric: str) -> float:
    from sim.analysis.paired import metric_kind

    kind = metric_kind(metric)
    return {"hours": scenario.compare.margin_hours, "levels": scenario.compare.margin_levels}.get(
        kind, 0.0
    )


def outputs(p: SensitivityPlan, reps: dict[str, pd.DataFrame]) -> np.ndarray:
    """Per design point (the as-written point last): the mean metric or mean paired difference."""
    names = list(reps)
    a = _point_means(reps[names[0]], p.metric, p.inner)
    y = a
    if p.other is not None:
        b = _point_means(reps[names[1]], p.metric, p.inner)
        common = a.index.intersection(b.index)
        y = b.loc[common] - a.loc[common]
    point = y.index.to_numpy() // p.inner
    means = y.groupby(point).mean()
    return means.reindex(range(p.points)).to_numpy(float)


def summarise(p: SensitivityPlan, y: np.ndarray, elapsed: float | None = None) -> dict:
    """The JSON document of a sensitivity run from its per-point outputs."""
    design_y, written = y[:-1], float(y[-1])
    missing = int(np.sum(~np.isfinite(design_y)))
    if missing:
        raise RuntimeError(
            f"{missing} design points have no replication output (see failures.parquet)"
        )
    parameters = ranked(analyse(p.design, design_y))
    flip = None
    verdict = None
    if p.other is not None:
        margin = _margin(p.scenario, p.metric)
        ref = _verdict_class(written, margin)
        classes = np.array([_verdict_class(v, margin) for v in design_y])
        flip = float(np.mean(classes != ref))
        word = {1: "higher", -1: "lower", 0: "equivalent"}
        verdict = {
            "as_written": f"{p.other.name} {word[ref]} {'to' if ref == 0 else 'than'} "
            f"{p.scenario.name} (mean difference {written:.2f}, margin {margin:g})",
            "difference_as_written": written,
            "margin": margin,
            "points": {word[c]: int(np.sum(classes == c)) for c in (-1, 0, 1)},
        }
    return {
        "metric": p.metric,
        "method": p.design.method,
        "samples": p.design.samples,
        "parameters": parameters,
        "verdict_flip_share": flip,
        "verdict": verdict,
        "scenario": p.scenario.name,
        "against": p.other.name if p.other is not None else None,
        "output": "mean paired difference (against - scenario)" if p.other is not None else "mean",
        "inner_replications": p.inner,
        "design_points": p.points - 1,
        "playthroughs": p.playthroughs,
        "seed": p.design.seed,
        "output_as_written": written,
        "output_range": [float(np.min(design_y)), float(np.max(design_y))],
        "inputs_as_written": dict(
            zip([i.name for i in p.design.inputs], p.as_written, strict=True)
        ),
        "elapsed_seconds": None if elapsed is None else round(elapsed, 1),
    }


def _design_record(p: SensitivityPlan) -> dict:
    return {
        "method": p.design.method,
        "samples": p.design.samples,
        "seed": p.design.seed,
        "inner": p.inner,
        "metric": p.metric,
        "scenario": p.scenario.name,
        "against": p.other.name if p.other is not None else None,
        "inputs": [
            {
                "name": i.name,
                "keys": list(i.keys),
                "mode": i.mode,
                "range": i.range,
                "distribution": i.distribution,
                "kind": i.kind,
                "reason": i.reason,
            }
            for i in p.design.inputs
        ],
    }


def run_sensitivity(
    p: SensitivityPlan,
    out: Path,
    *,
    jobs: int | None = None,
    scheduler: str | None = None,
    progress: bool = False,
    announce: Callable[[str], None] | None = None,
) -> dict:
    """Run the plan's batches into ``out`` (resuming what a stopped run stored) and write
    ``sensitivity.json``; returns its document."""
    from sim.batch.runner import run_batch
    from sim.store import atomic_write_text, read_manifest, read_table

    out = Path(out)
    record = _design_record(p)
    design_file = out / DESIGN_FILE
    if design_file.is_file():
        stored = json.loads(design_file.read_text(encoding="utf-8"))
        if stored != json.loads(json.dumps(record)):
            raise InputError.one(
                str(out),
                "--out",
                str(out),
                "a new directory, or one holding the same sensitivity design (method, samples, "
                "seed, replications, metric, inputs) to resume",
            )
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_text(design_file, json.dumps(record, indent=2) + "\n")
    values = np.vstack([p.design.values, np.asarray(p.as_written, float)[None, :]])
    scenarios = [p.scenario] + ([p.other] if p.other is not None else [])
    names = _names(scenarios)
    if announce is not None:
        announce(p.cost())
    t0 = time.perf_counter()
    reps = {}
    for s, name in zip(scenarios, names, strict=True):
        sampled = with_design(s, p.design.inputs, values, p.inner, luck="common")
        run_dir = out / name
        try:
            resume = read_manifest(run_dir) is not None
        except FileNotFoundError:
            resume = False
        run_batch(
            sampled,
            run_dir,
            n=None if resume else p.points * p.inner,
            jobs=jobs,
            scheduler=scheduler,
            resume=resume,
            progress=progress,
            engine=SAMPLED_ENGINE,
        )
        reps[name] = read_table(run_dir, "replications")
    result = summarise(p, outputs(p, reps), time.perf_counter() - t0)
    result["runs"] = names
    atomic_write_text(out / RESULT_FILE, json.dumps(result, indent=2, allow_nan=False) + "\n")
    return result


def _names(scenarios: list[Scenario]) -> list[str]:
    names = [s.name for s in scenarios]
    if len(names) == 2 and names[0] == names[1]:
        names[1] = names[1] + "-2"
    return names


def load_sensitivity(out: Path) -> dict | None:
    """A stored sensitivity result, or None."""
    f = Path(out) / RESULT_FILE
    return json.loads(f.read_text(encoding="utf-8")) if f.is_file() else None
