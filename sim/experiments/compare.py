"""Compare strategies by running them: each scenario with the same seed and n, then paired.

``compare`` runs every scenario through ``sim.batch.runner.run_batch`` into
``out/<scenario name>/`` with one seed and one n (common random numbers:
replication k of every strategy has the same skill and luck), then
``sim.analysis.compare.analyse`` summarises each metric per strategy and the paired
differences of every later strategy against the first; ``out/comparison.json`` is
written here.

With ``target_error=E`` the runs grow in blocks (``run_batch(..., extend=block)``)
until, for every strategy, the relative 95% half-width of the mean of each key
metric (``KEY_METRICS`` and the level at each recorded play time within the
horizon) is at most E, or n reaches ``max_n``. The rule is checked between blocks
only, and the n, the achieved error and the rule are recorded.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from concurrent.futures import Executor
from contextlib import suppress
from functools import partial
from pathlib import Path
from typing import Any

from sim.analysis.compare import key_errors
from sim.batch.runner import run_batch
from sim.batch.worker import DEFAULT_ENGINE, Engine
from sim.experiments.comparison import (
    COMPARISON_FILE,
    ComparisonResult,
    analyse,
    read_in_worker,
)
from sim.experiments.side import import_late_modules
from sim.scenario.load import with_overrides
from sim.scenario.schema import Scenario
from sim.store import atomic_write_text, read_table

__all__ = ["compare", "run_paired", "unique_names", "same_seed"]


def unique_names(scenarios: Sequence[Scenario]) -> list[str]:
    """The scenarios' names, a repeated one numbered (``natural``, ``natural-2``)."""
    names: list[str] = []
    seen: dict[str, int] = {}
    for s in scenarios:
        k = seen.get(s.name, 0) + 1
        seen[s.name] = k
        names.append(s.name if k == 1 else f"{s.name}-{k}")
    return names


def same_seed(scenarios: Sequence[Scenario], seed: int | None = None) -> list[Scenario]:
    """The scenarios with one seed (``seed``, else the first's), validated: common random
    numbers for every one of them. A bad seed is an ``InputError``."""
    if not scenarios:
        return []
    chosen = scenarios[0].seed if seed is None else seed
    return [with_overrides(s, {"seed": chosen}) for s in scenarios]


def run_paired(
    scenarios: Sequence[Scenario],
    out: Path,
    *,
    n: int | None = None,
    jobs: int | None = None,
    scheduler: str | None = None,
    progress: bool = False,
    engine: Engine = DEFAULT_ENGINE,
    files: Sequence[Path | str] | None = None,
    pool: Executor | None = None,
) -> dict[str, Path]:
    """Run each scenario (``n`` replications, default the first's) into ``out/<name>/``, as
    given: ``same_seed`` first for common random numbers. ``files`` are the scenarios' files,
    recorded in the manifests. ``pool``: a process (``sim.experiments.side``) that reads what
    the claims read of each run while this one summarises it. Returns the run directories by
    unique name."""
    out = Path(out)
    if n is None and scenarios:
        n = scenarios[0].replications
    names = unique_names(scenarios)
    dirs = {name: out / name for name in names}
    given = list(files) if files is not None else [None] * len(names)

    for k, (s, name, file) in enumerate(zip(scenarios, names, given, strict=True)):
        made = {m: dirs[m] for m in names[: k + 1]}  # the runs whole once this one is
        if pool is not None and k == len(names) - 1:
            import_late_modules()
        run_batch(
            s,
            dirs[name],
            n=n,
            jobs=jobs,
            scheduler=scheduler,
            progress=progress,
            engine=engine,
            scenario_file=file,
            on_complete=None if pool is None else partial(_read_aside, pool, made),
        )
    return dirs


def _read_aside(pool: Executor, runs: dict[str, Path], _whole: Path) -> None:
    """Have ``pool`` read what the claims read of ``runs`` (while this process summarises the
    last of them); a worker gone (RuntimeError) leaves the claims to read the runs themselves."""
    with suppress(RuntimeError):
        pool.submit(read_in_worker, runs)


def compare(
    scenarios: Sequence[Scenario],
    out: Path,
    *,
    n: int | None = None,
    seed: int | None = None,
    jobs: int | None = None,
    target_error: float | None = None,
    max_n: int = 2000,
    block: int = 50,
    scheduler: str | None = None,
    progress: bool = False,
    engine: Engine = DEFAULT_ENGINE,
    pool: Executor | None = None,
) -> ComparisonResult:
    """Run ``scenarios`` with one seed and one n into ``out/<name>/`` and compare them.

    ``seed`` and ``n`` default to the first scenario's. ``target_error``: grow every run
    by ``block`` replications until each key metric's relative 95% half-width is at most
    ``target_error`` or n reaches ``max_n``. ``engine`` (a ``sim.batch.worker.Engine``) swaps the
    replication function, for tests. ``pool``: a process measuring the claims while this one
    compares (``sim.experiments.side``). Writes ``out/comparison.json``.
    """
    if not scenarios:
        raise ValueError("compare needs at least one scenario")
    out = Path(out)
    runs = same_seed(scenarios, seed)
    seed = runs[0].seed
    n = int(runs[0].replications if n is None else n)
    if target_error is not None:
        n = min(n, max_n)
    kw: dict[str, Any] = {
        "jobs": jobs,
        "scheduler": scheduler,
        "progress": progress,
        "engine": engine,
    }
    # runs grown after they are made (target_error) are read once they are whole
    dirs = run_paired(runs, out, n=n, pool=pool if target_error is None else None, **kw)
    names = list(dirs)

    precision = None
    if target_error is not None:
        blocks = 0
        while True:
            reps = {name: read_table(d, "replications") for name, d in dirs.items()}
            errors = key_errors(reps)
            worst = max((e for errs in errors.values() for e in errs.values()), default=math.inf)
            if worst <= target_error or n >= max_n:
                break
            step = min(block, max_n - n)
            for s, name in zip(runs, names, strict=True):
                run_batch(s, dirs[name], extend=step, **kw)
            n += step
            blocks += 1
        precision = {
            "rule": (
                "grow every run by `block` replications until the relative 95% half-width of "
                "the mean of each key metric is at most target_error, checked between blocks, "
                "stopping at max_n"
            ),
            "key_metrics": sorted({c for errs in errors.values() for c in errs}),
            "target_error": target_error,
            "block": block,
            "max_n": max_n,
            "n": n,
            "blocks_added": blocks,
            "achieved_error": _finite(worst),
            "errors": {s: {c: _finite(e) for c, e in errs.items()} for s, errs in errors.items()},
            "stopped": "target reached" if worst <= target_error else "max_n reached",
            "met": bool(worst <= target_error),
        }

    first = runs[0].compare
    result = analyse(
        dirs,
        seed=seed,
        margin_hours=first.margin_hours,
        margin_levels=first.margin_levels,
        pool=pool,
    )
    result.out = out
    result.data["n"] = n
    result.data["runs"] = {name: str(d.name) for name, d in dirs.items()}
    if precision is not None:
        result.data["precision"] = precision
    atomic_write_text(
        out / COMPARISON_FILE, json.dumps(result.data, indent=2, allow_nan=False) + "\n"
    )
    return result


def _finite(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None
