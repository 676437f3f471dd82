"""Batches over sampled inputs: one stored batch holds every outer sample's replications.

A sampled scenario carries its design in ``uncertainty.sample_*``: the input names,
one row of values per outer sample, and ``sample_inner`` replications per sample.
Replication ``k`` of the batch belongs to outer sample ``p = k // inner``; it runs the
scenario with sample ``p``'s values applied (validated, like ``--set``) and draws its
luck from

- ``nested``: replication ``k``'s own streams (luck independent between samples: a
  nested two-level design for splitting variance into luck and inputs);
- ``common``: the streams of replication ``k % inner`` (every sample meets the same
  ``inner`` lucks: common random numbers across the design, for sensitivity indices).

Luck depends on ``k`` alone, never on the scenario, so two strategies given the same
design stay paired replication by replication. Because the design travels inside the
scenario, ``run_batch`` stores, resumes and distributes a sampled batch like any other
(on local processes or Dask); its manifest records the design.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from sim.batch.worker import Engine
from sim.columns import ROW_GROUPS
from sim.experiments.inputs import Input, apply_values, resolve_inputs
from sim.model.replication import ReplicationResult, run_replication
from sim.scenario.schema import Scenario

__all__ = ["SAMPLED_ENGINE", "with_design", "run_sampled_replication", "outer_sample"]


# per process: the last sampled scenario's applied outer samples (a chunk spans few samples)
_APPLIED: dict[int, tuple[Scenario, dict[int, Scenario]]] = {}


def with_design(
    scenario: Scenario,
    inputs: Sequence[Input],
    values: np.ndarray,
    inner: int,
    luck: str = "nested",
) -> Scenario:
    """``scenario`` carrying a design: ``values`` (samples x inputs), ``inner`` replications each.

    Every row is applied once here, so a value a bound rejects is an ``InputError`` before
    anything runs."""
    from sim.scenario.load import scenario_from_dict

    rows = tuple(tuple(float(v) for v in row) for row in np.atleast_2d(values))
    for row in rows:
        apply_values(scenario, inputs, row)
    data = scenario.model_dump(mode="json")
    # the design records its inputs in full, so a worker (or a reader of the manifest)
    # needs nothing but the scenario to know what each column is
    data["uncertainty"] = {
        "packaged": False,
        "inputs": {
            i.name: {
                "keys": list(i.keys),
                "mode": i.mode,
                "low": i.low,
                "high": i.high,
                "distribution": i.distribution,
                "kind": i.kind,
                "reason": i.reason,
            }
            for i in inputs
        },
        "sample_inputs": [i.name for i in inputs],
        "sample_values": [list(r) for r in rows],
        "sample_inner": int(inner),
        "sample_luck": luck,
    }
    return scenario_from_dict(data)


def outer_sample(scenario: Scenario, index: int) -> int:
    """The outer sample replication ``index`` belongs to."""
    return index // scenario.uncertainty.sample_inner


def _applied(scenario: Scenario, sample: int) -> Scenario:
    hit = _APPLIED.get(id(scenario))
    if hit is None or hit[0] is not scenario:
        _APPLIED.clear()
        hit = (scenario, {})
        _APPLIED[id(scenario)] = hit
    cache = hit[1]
    if sample not in cache:
        u = scenario.uncertainty
        by_name = resolve_inputs(scenario)
        inputs = [by_name[n] for n in u.sample_inputs]
        cache.clear()  # chunks run in index order: one sample at a time is enough
        cache[sample] = apply_values(scenario, inputs, u.sample_values[sample])
    return cache[sample]


def run_sampled_replication(scenario: Scenario, world: Any, index: int) -> ReplicationResult:
    """Replication ``index`` of a sampled batch (a plain replication when there is no design)."""
    u = scenario.uncertainty
    if not u.sample_values:
        return run_replication(scenario, world, index)
    sample = outer_sample(scenario, index)
    if sample >= len(u.sample_values):
        raise IndexError(f"replication {index} is past the design's {len(u.sample_values)} samples")
    luck = index % u.sample_inner if u.sample_luck == "common" else index
    result = run_replication(_applied(scenario, sample), world, luck)
    if luck != index:
        result.summary["replication"] = index
        for group in (getattr(result, name) for name in ROW_GROUPS):
            group["replication"] = [index] * len(group["replication"])
    return result


# the engine of sampled batches: run_batch(..., engine=SAMPLED_ENGINE)
SAMPLED_ENGINE = Engine(replicate=run_sampled_replication)
