"""Runs and comparisons for notebooks: load a scenario, run it, compare, measure the claims."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from sim.experiments.comparison import ComparisonResult
from sim.scenario.schema import Scenario

__all__ = [
    "Run",
    "ComparisonResult",
    "scenario_path",
    "load_scenario",
    "run",
    "compare",
    "claims",
    "claims_table",
    "claims_parts",
    "summary_table",
    "comparison_table",
    "as_scenario",
    "out_dir",
]


def scenario_path(name: str) -> Path:
    """The path of a scenario shipped in the repository's ``scenarios/`` folder, by name."""
    import sim

    root = Path(sim.__file__).resolve().parent.parent
    for base in (root / "scenarios", Path.cwd() / "scenarios", Path.cwd().parent / "scenarios"):
        p = base / f"{name}.toml"
        if p.is_file():
            return p
    raise FileNotFoundError(f"no scenario {name!r} in {root / 'scenarios'}")


def load_scenario(path: str | Path, **overrides: Any) -> Scenario:
    """Load a scenario file; keyword overrides use ``__`` for dots (``player__skill__sd=6``).
    Overrides are set in the file's data, then validated once (``InputError`` if bad)."""
    from sim.scenario.load import load_scenario as _load

    return _load(path, values={k.replace("__", "."): v for k, v in overrides.items()})


@dataclass
class Run:
    """A stored run: its directory and its tables as DataFrames."""

    out: Path

    def _read(self, name: str) -> pd.DataFrame:
        from sim.store import read_table

        return read_table(self.out, name)

    @cached_property
    def replications(self) -> pd.DataFrame:
        return self._read("replications")

    @cached_property
    def trajectories(self) -> pd.DataFrame:
        return self._read("trajectories")

    @cached_property
    def events(self) -> pd.DataFrame:
        return self._read("events")

    @cached_property
    def income(self) -> pd.DataFrame:
        return self._read("income")

    @cached_property
    def activity(self) -> pd.DataFrame:
        return self._read("activity")

    @cached_property
    def summary(self) -> dict:
        from sim.store import read_summary

        return read_summary(self.out)

    @cached_property
    def manifest(self) -> dict:
        from sim.store import read_manifest

        return read_manifest(self.out)


def as_scenario(s: Scenario | str | Path) -> Scenario:
    """A scenario as given, or loaded from its file."""
    return s if isinstance(s, Scenario) else load_scenario(s)


_TEMPORARY: list[Path] = []  # directories made for runs without ``out``, removed at exit


def out_dir(out: str | Path | None, prefix: str) -> Path:
    """``out``, or a fresh temporary directory's ``run`` (the directory goes at exit)."""
    if out is not None:
        return Path(out)
    tmp = Path(tempfile.mkdtemp(prefix=f"runesim-{prefix}-"))
    if not _TEMPORARY:
        atexit.register(_remove_temporaries)
    _TEMPORARY.append(tmp)
    return tmp / "run"


def _remove_temporaries() -> None:
    while _TEMPORARY:
        shutil.rmtree(_TEMPORARY.pop(), ignore_errors=True)


def run(
    scenario_or_path: Scenario | str | Path,
    n: int = 20,
    seed: int | None = None,
    jobs: int = 1,
    out: str | Path | None = None,
    **kw: Any,
) -> Run:
    """Run ``n`` replications of a scenario (with ``seed`` if given) and return the stored run."""
    from sim.batch.runner import run_batch
    from sim.scenario.load import with_overrides

    scenario = as_scenario(scenario_or_path)
    if seed is not None:
        scenario = with_overrides(scenario, {"seed": seed})
    path = out_dir(out, scenario.name)
    run_batch(scenario, path, n=n, jobs=jobs, progress=kw.pop("progress", False), **kw)
    return Run(path)


def compare(
    *scenarios: Scenario | str | Path,
    n: int = 20,
    seed: int | None = None,
    jobs: int = 1,
    out: str | Path | None = None,
    **kw: Any,
) -> ComparisonResult:
    """Run scenarios with common random numbers and compare them against the first."""
    from sim.experiments.compare import compare as _compare

    resolved = [as_scenario(s) for s in scenarios]
    path = out_dir(out, "compare")
    return _compare(resolved, path, n=n, seed=seed, jobs=jobs, **kw)


# --- the article's five claims (sim.analysis.claims) ---------------------------------------


def claims(
    *scenarios: Scenario | str | Path,
    n: int = 20,
    seed: int | None = None,
    jobs: int = 1,
    out: str | Path | None = None,
) -> list:
    """Run scenarios on one seed (common random numbers) and measure the five claims on them.

    The first scenario is the reference play; ``claims_table(result)`` and
    ``claims_parts(result)`` are the tables as DataFrames.
    """
    from sim.analysis.claims import measure_claims
    from sim.experiments.compare import run_paired, same_seed
    from sim.experiments.comparison import runs_from_dirs

    resolved = same_seed([as_scenario(s) for s in scenarios], seed)
    base = out_dir(out, "claims").parent if out is None else Path(out)
    dirs = run_paired(resolved, base, n=n, jobs=jobs)
    return measure_claims(runs_from_dirs(dirs), seed=resolved[0].seed)


def claims_table(result: list) -> pd.DataFrame:
    """One row per claim: the article's words, verdict, key figure with its interval, why."""
    from sim.analysis.claims.html import claims_table as _table

    return _table(result)


def claims_parts(result: list) -> pd.DataFrame:
    """One row per part of every claim: figure, 95% interval, threshold, status."""
    from sim.analysis.claims.html import parts_table

    return parts_table(result)


def summary_table(run_or_summary: Run | dict) -> pd.DataFrame:
    """A run's summary as a readable table (formatted text, intervals labelled, notes shown)."""
    from sim.analysis.tables import summary_table as _summary_table

    summary = run_or_summary.summary if isinstance(run_or_summary, Run) else run_or_summary
    return _summary_table(summary)


def comparison_table(result: ComparisonResult) -> pd.DataFrame:
    """A comparison as a readable table: medians, difference of medians with its CI, and
    the full verdicts."""
    from sim.analysis.tables import comparison_table as _comparison_table

    return _comparison_table(result.json())
