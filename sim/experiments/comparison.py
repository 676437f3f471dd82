"""Stored runs compared: read them back, compare them with ``sim.analysis``, measure the claims.

``analyse(run_dirs)`` compares stored runs (the first is the baseline) without running
anything; ``load_comparison(out)`` reads back what ``sim.experiments.compare.compare``
wrote in ``out/comparison.json``. A ``ComparisonResult`` reads its tables on first use.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from sim.analysis.claims import CLAIM_EVENTS, Claim, RunFrames, measure_claims
from sim.analysis.compare import comparison_data
from sim.analysis.survival import stack
from sim.store import read_manifest, read_table

__all__ = [
    "COMPARISON_FILE",
    "ComparisonResult",
    "analyse",
    "load_comparison",
    "measure_result_claims",
    "claims_in_worker",
    "read_in_worker",
    "worker_result",
    "runs_from_dirs",
]

COMPARISON_FILE = "comparison.json"

# the events a comparison reads (the claims', and the report's farming starts): the rest of the
# log (items picked up, recoveries, ...) is dropped as each part is read
COMPARED_EVENTS = (*CLAIM_EVENTS, "farm_start")


@dataclass
class ComparisonResult:
    """Stored runs compared: frames per table (with a ``scenario`` column), the JSON, the claims."""

    run_dirs: dict[str, Path]
    data: dict[str, Any]
    claims: list[Claim] = field(default_factory=list)
    out: Path | None = None
    # each run's tables as read, once: the comparison, the claims and the report share them
    _frames: dict[tuple[str, str], pd.DataFrame] = field(
        default_factory=dict, repr=False, compare=False
    )

    @property
    def strategies(self) -> list[str]:
        return list(self.data["strategies"])

    def run_table(
        self, run: str, name: str, columns: tuple[str, ...] | None = None
    ) -> pd.DataFrame:
        """Table ``name`` of run ``run`` (read on first use, then kept): not to be modified.
        ``columns``: only these (from the whole table when it was read, else read alone)."""
        key = (run, name)
        if key not in self._frames and columns is not None:
            part = (run, f"{name}:{','.join(columns)}")
            if part not in self._frames:
                self._frames[part] = read_table(self.run_dirs[run], name, columns=list(columns))
            return self._frames[part]
        if key not in self._frames:
            self._frames[key] = read_table(self.run_dirs[run], name)
        whole = self._frames[key]
        return whole if columns is None else whole[list(columns)]

    def compared_events(self, run: str) -> pd.DataFrame:
        """The events of run ``run`` of the kinds ``COMPARED_EVENTS`` (read once, then kept)."""
        key = (run, "events:compared")
        if key not in self._frames:
            self._frames[key] = read_table(self.run_dirs[run], "events", keep=_compared)
        return self._frames[key]

    def _table(self, name: str) -> pd.DataFrame:
        return stack({s: self.run_table(s, name) for s in self.run_dirs})

    @cached_property
    def replications(self) -> pd.DataFrame:
        return self._table("replications")

    @cached_property
    def trajectories(self) -> pd.DataFrame:
        return self._table("trajectories")

    @cached_property
    def events(self) -> pd.DataFrame:
        return self._table("events")

    @cached_property
    def income(self) -> pd.DataFrame:
        return self._table("income")

    @cached_property
    def activity(self) -> pd.DataFrame:
        return self._table("activity")

    def manifests(self) -> dict[str, dict[str, Any]]:
        return {s: read_manifest(d) for s, d in self.run_dirs.items()}

    def json(self) -> dict[str, Any]:
        """The comparison as the stable JSON contract (see ``docs/architecture.md``)."""
        return self.data

    @property
    def headline(self) -> str:
        """The answer in one or two sentences (see ``sim.analysis.headline``)."""
        return str(self.data.get("headline", ""))

    def table(self) -> pd.DataFrame:
        """One row per metric: each strategy's median, the paired difference of medians with its
        95% interval, and the verdict. A milestone fewer than half reached has no median: its
        ``<strategy>`` cell is None and ``<strategy> note`` says "— (4% reached)". A 0/1 metric
        (``finished``) also has ``<strategy> share`` and the difference of shares with its
        interval (``<b> share CI low/high``); other metrics leave those cells None."""
        rows = []
        for metric, m in self.data["metrics"].items():
            row: dict[str, Any] = {"metric": metric}
            for s in self.strategies:
                d = m.get(s, {})
                row[f"{s} median"] = d.get("median")
                row[f"{s} reached"] = d.get("reached")
                row[f"{s} note"] = d.get("note", "")
                row[f"{s} share"] = d.get("share")
            diffs = m.get("diffs") or ([m["diff"]] if "diff" in m else [])
            for diff in diffs:
                b = diff["of"][0]
                lo, hi = diff.get("difference_of_medians_ci95") or [None, None]
                row[f"{b} − {diff['of'][1]} (difference of medians)"] = diff.get(
                    "difference_of_medians"
                )
                row[f"{b} 95% CI low"] = lo
                row[f"{b} 95% CI high"] = hi
                row[f"verdict ({b})"] = diff.get("verdict")
                slo, shi = diff.get("difference_of_shares_ci95") or [None, None]
                row[f"{b} − {diff['of'][1]} (difference of shares)"] = diff.get(
                    "difference_of_shares"
                )
                row[f"{b} share CI low"] = slo
                row[f"{b} share CI high"] = shi
            rows.append(row)
        return pd.DataFrame(rows)


def analyse(
    run_dirs: dict[str, Path],
    *,
    seed: int | None = None,
    margin_hours: float = 1.0,
    margin_levels: float = 2.0,
    pool: Executor | None = None,
) -> ComparisonResult:
    """Compare stored runs (the first is the baseline) without running anything. ``pool``: a
    process (``sim.experiments.side``) measuring the claims while this one compares."""
    run_dirs = {k: Path(v) for k, v in run_dirs.items()}
    result = ComparisonResult(run_dirs=run_dirs, data={})
    if seed is None:
        seed = int(read_manifest(next(iter(run_dirs.values()))).get("seed", 0))
    claims = None
    if pool is not None:
        claims = pool.submit(claims_in_worker, run_dirs, seed)
    reps = {s: result.run_table(s, "replications") for s in run_dirs}
    data = comparison_data(
        reps,
        seed=seed,
        margin_hours=margin_hours,
        margin_levels=margin_levels,
        preferred_level=_preferred_level(run_dirs),
    )
    result.data = data
    result.claims = measure_result_claims(result, seed) if claims is None else claims.result()
    data["claims"] = [c.to_dict() for c in result.claims]
    return result


def measure_result_claims(result: ComparisonResult, seed: int) -> list[Claim]:
    """The claims measured on the runs of ``result``, from (and into) its tables as read."""

    def read(run: str, table: str) -> pd.DataFrame:
        return result.compared_events(run) if table == "events" else result.run_table(run, table)

    return measure_claims(runs_from_dirs(result.run_dirs, read), seed=seed)


# the runs a worker process read, kept for its next task on the same runs
_WORKER: ComparisonResult | None = None


def worker_result(run_dirs: dict[str, Path]) -> ComparisonResult:
    """This process's ``ComparisonResult`` of ``run_dirs`` (strategies only, no comparison):
    its tables read once for every task on the same runs."""
    global _WORKER
    run_dirs = {k: Path(v) for k, v in run_dirs.items()}
    old = _WORKER
    if old is not None and old.run_dirs == run_dirs:
        return old
    # the tables already read of a run (the same name and directory) are kept
    same = {s for s, d in run_dirs.items() if old is not None and old.run_dirs.get(s) == d}
    kept = {k: f for k, f in old._frames.items() if k[0] in same} if old else {}
    _WORKER = ComparisonResult(run_dirs=run_dirs, data={"strategies": list(run_dirs)}, _frames=kept)
    return _WORKER


def read_in_worker(run_dirs: dict[str, Path]) -> None:
    """Read the tables the claims read of these runs, kept in the worker for them: a run made
    while the next one is made is read then."""
    res = worker_result(run_dirs)
    for s in res.run_dirs:
        for table in ("replications", "income", "activity"):
            res.run_table(s, table)
        res.compared_events(s)


def claims_in_worker(run_dirs: dict[str, Path], seed: int) -> list[Claim]:
    """The claims of the runs, measured in the worker (``analyse(..., pool=)``)."""
    return measure_result_claims(worker_result(run_dirs), seed)


def _compared(part: pa.Table) -> pa.Table:
    import pyarrow.compute as pc

    return part.filter(pc.is_in(part["event"], pa.array(COMPARED_EVENTS)))


def _preferred_level(run_dirs: dict[str, Path]) -> int | None:
    """The level a later run aims for (a rush's target level), from its manifest, if any."""
    for d in list(run_dirs.values())[1:]:
        try:
            scenario = read_manifest(d).get("scenario") or {}
        except (FileNotFoundError, ValueError):
            continue
        section = scenario.get(str(scenario.get("strategy", ""))) or {}
        target = section.get("target_level") if isinstance(section, dict) else None
        if isinstance(target, int):
            return target
    return None


def runs_from_dirs(
    dirs: dict[str, Path], read: Callable[[str, str], pd.DataFrame] | None = None
) -> list[RunFrames]:
    """Stored runs read back for the claims: their tables and what the manifest says of the
    scenario (``sim.analysis.claims.measure_claims`` takes them). ``read(run, table)`` gives
    a table already read (default: read it from ``dirs[run]``)."""
    get = read if read is not None else (lambda run, table: read_table(dirs[run], table))
    out = []
    for name, d in dirs.items():
        m = read_manifest(d)
        sc = m.get("scenario") or {}
        reps = get(name, "replications")
        strategy = str(sc.get("strategy") or (reps["strategy"].iloc[0] if len(reps) else ""))
        out.append(
            RunFrames(
                name,
                get(name, "income"),
                get(name, "activity"),
                get(name, "events"),
                reps,
                strategy,
                int((sc.get("ng") or {}).get("cycle", 0)),
                dict(sc.get("pvp") or {}),
            )
        )
    return out


def load_comparison(out: Path) -> ComparisonResult:
    """A comparison written by ``compare``, read back from ``out/comparison.json``."""
    out = Path(out)
    data = json.loads((out / COMPARISON_FILE).read_text(encoding="utf-8"))
    runs = data.get("runs") or {s: s for s in data["strategies"]}
    result = ComparisonResult(run_dirs={s: out / d for s, d in runs.items()}, data=data, out=out)
    result.claims = [Claim(**c) for c in data.get("claims", [])]
    return result
