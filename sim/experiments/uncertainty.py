"""``compare --uncertainty sample``: luck and unknown inputs, kept apart in a comparison.

Every scenario of the comparison gets the same nested design: ``outer`` draws of the
uncertain inputs (plain Monte Carlo from each input's distribution, on a stream of its
own: the seed with a fixed tag, never a replication's streams) and ``inner``
replications at each draw. Replication ``k`` belongs to draw ``k // inner`` and keeps
its own luck (streams of ``k``), so strategies stay paired replication by replication
at the same inputs and the same luck. The spread of each metric, and of each paired
difference, is then split into luck (within a draw) and the unknown inputs (between
draws) by ``sim.experiments.variance.decompose``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sim.columns import is_hours_to_level
from sim.experiments.inputs import Input, from_unit, resolve_inputs, select_inputs
from sim.experiments.sampled import with_design
from sim.experiments.variance import decompose
from sim.scenario.schema import Scenario

if TYPE_CHECKING:
    from sim.experiments.comparison import ComparisonResult

__all__ = [
    "MODES",
    "STREAM_TAG",
    "sampled_scenarios",
    "draw_inputs",
    "split_comparison",
    "compare_sampled",
    "uncertainty_table",
]

MODES = ("none", "sample")
STREAM_TAG = 0x756E63  # "unc": the input draws' stream is SeedSequence([seed, STREAM_TAG])


def draw_inputs(inputs: Sequence[Input], outer: int, seed: int) -> np.ndarray:
    """``outer`` draws of the inputs (rows), from the uncertainty stream of ``seed``."""
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), STREAM_TAG]))
    return from_unit(inputs, rng.random((outer, len(inputs))))


def sampled_scenarios(
    scenarios: Sequence[Scenario],
    outer: int,
    inner: int,
    seed: int,
    params: Sequence[str] | None = None,
    file: str | None = None,
) -> tuple[list[Scenario], list[Input], np.ndarray]:
    """Every scenario carrying the same nested design (inputs resolved on the first)."""
    from sim.errors import InputError

    if outer < 2:
        raise InputError.one(None, "--outer", outer, "at least 2 draws of the uncertain inputs")
    if inner < 2:
        raise InputError.one(
            None, "--inner", inner, "at least 2 replications per draw (luck needs two)"
        )
    inputs = select_inputs(resolve_inputs(scenarios[0], file), params)
    values = draw_inputs(inputs, outer, seed)
    return [with_design(s, inputs, values, inner, luck="nested") for s in scenarios], inputs, values


def _values(rep: pd.DataFrame, metric: str) -> pd.Series:
    y = rep[metric].astype(float)
    if is_hours_to_level(metric):
        y = y.fillna(rep["horizon_hours"].astype(float))  # not reached: the horizon, as when paired
    return pd.Series(y.to_numpy(), index=rep["replication"].to_numpy())


def _flip_share(diff: pd.Series, inner: int, margin: float) -> float | None:
    means = diff.groupby(diff.index.to_numpy() // inner).mean()
    if not len(means):
        return None

    def cls(d: float) -> int:
        return 0 if abs(d) <= margin else (1 if d > 0 else -1)

    ref = cls(float(diff.mean()))
    return float(np.mean([cls(float(m)) != ref for m in means]))


def split_comparison(
    reps: dict[str, pd.DataFrame],
    inputs: Sequence[Input],
    outer: int,
    inner: int,
    seed: int,
    margins: dict[str, float],
) -> dict:
    """The ``uncertainty`` block of a comparison's JSON: per metric, per strategy and per
    paired difference, how much of the variance is luck and how much the unknown inputs."""
    from sim.analysis.compare import metric_columns
    from sim.analysis.paired import metric_kind

    names = list(reps)
    base = names[0]
    metrics: dict[str, dict] = {}
    for col in metric_columns(reps[base]):
        entry: dict = {}
        series = {s: _values(r, col) for s, r in reps.items() if col in r}
        for s, y in series.items():
            entry[s] = decompose(y.to_numpy(), y.index.to_numpy() // inner)
        diffs = []
        for b in names[1:]:
            if b not in series:
                continue
            common = series[base].index.intersection(series[b].index)
            d = series[b].loc[common] - series[base].loc[common]
            block = decompose(d.to_numpy(), d.index.to_numpy() // inner)
            block["of"] = [b, base]
            margin = {"hours": margins.get("hours", 0.0), "levels": margins.get("levels", 0.0)}.get(
                metric_kind(col), 0.0
            )
            block["verdict_flip_share"] = _flip_share(d, inner, margin)
            diffs.append(block)
        if diffs:
            entry["diff"] = diffs[0]
        if len(diffs) > 1:
            entry["diffs"] = diffs
        metrics[col] = entry
    return {
        "mode": "sample",
        "outer": outer,
        "inner": inner,
        "seed": seed,
        "stream": f"SeedSequence([{seed}, {STREAM_TAG}])",
        "inputs": [
            {
                "name": i.name,
                "keys": list(i.keys),
                "range": i.range,
                "distribution": i.distribution,
                "kind": i.kind,
                "reason": i.reason,
            }
            for i in inputs
        ],
        "estimator": (
            "one-way random effects ANOVA: luck variance = mean square within draws; input "
            "variance = (mean square between draws - within) / replications per draw, "
            "truncated at 0"
        ),
        "metrics": metrics,
    }


def compare_sampled(
    scenarios: Sequence[Scenario],
    out: Path | str,
    *,
    outer: int,
    inner: int,
    seed: int | None = None,
    params: Sequence[str] | None = None,
    jobs: int | None = None,
    scheduler: str | None = None,
    progress: bool = False,
) -> ComparisonResult:
    """A paired comparison over sampled inputs: ``outer`` draws x ``inner`` replications per
    scenario, with the ``uncertainty`` block added to its JSON (and ``comparison.json``)."""
    import json

    from sim.experiments.compare import compare
    from sim.experiments.comparison import COMPARISON_FILE
    from sim.experiments.sampled import SAMPLED_ENGINE
    from sim.store import atomic_write_text, read_table

    seed = int(scenarios[0].seed if seed is None else seed)
    runs, inputs, _ = sampled_scenarios(scenarios, outer, inner, seed, params)
    result = compare(
        runs,
        Path(out),
        n=outer * inner,
        seed=seed,
        jobs=jobs,
        scheduler=scheduler,
        progress=progress,
        engine=SAMPLED_ENGINE,
    )
    reps = {s: read_table(d, "replications") for s, d in result.run_dirs.items()}
    result.data["uncertainty"] = split_comparison(
        reps, inputs, outer, inner, seed, result.data.get("margins", {})
    )
    text = json.dumps(result.data, indent=2, allow_nan=False) + "\n"
    atomic_write_text(Path(out) / COMPARISON_FILE, text)
    return result


def uncertainty_table(data: dict[str, Any], metrics: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per metric and strategy (or paired difference): mean, luck and input sd, shares."""
    u = data["uncertainty"]
    rows = []
    for metric, m in u["metrics"].items():
        if metrics and metric not in metrics:
            continue
        blocks = [(s, b) for s, b in m.items() if s not in ("diff", "diffs")]
        blocks += [
            (" - ".join(d["of"]), d)
            for d in (m.get("diffs") or ([m["diff"]] if "diff" in m else []))
        ]
        for label, b in blocks:
            rows.append(
                {
                    "metric": metric,
                    "of": label,
                    "mean": b.get("mean"),
                    "luck_sd": b.get("luck_sd"),
                    "input_sd": b.get("input_sd"),
                    "input_share": b.get("input_share"),
                    "verdict_flip_share": b.get("verdict_flip_share"),
                }
            )
    return pd.DataFrame(rows)
