"""The notebook API: load a scenario, run it, compare runs, plot — each a single call.

>>> from sim import api
>>> nat = api.load_scenario(api.scenario_path("natural"), horizon_hours=60)
>>> run = api.run(nat, n=20, seed=1)
>>> api.progression(run.trajectories)
>>> cmp = api.compare(nat, api.load_scenario(api.scenario_path("rush_mohgwyn")), n=20)
>>> cmp.table()

Runs go to a fresh temporary directory, removed when Python exits, unless ``out``
is given; frames are read from the stored run on first use.
"""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis.compare import ComparisonResult
from sim.plots import (
    deaths_and_losses,
    distribution,
    for_whom,
    income_by_source,
    paired_difference,
    progression,
    runes_per_kill,
    survival,
)
from sim.scenario.schema import Scenario

__all__ = [
    "Run",
    "ComparisonResult",
    "scenario_path",
    "load_scenario",
    "run",
    "compare",
    "progression",
    "paired_difference",
    "survival",
    "income_by_source",
    "deaths_and_losses",
    "runes_per_kill",
    "rank",
    "ranking",
    "ranking_intervals",
    "optimize",
    "optimize_trials",
    "against",
    "convergence",
    "summary_table",
    "comparison_table",
    "distribution",
    "for_whom",
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


def _scenario(s: Scenario | str | Path) -> Scenario:
    return s if isinstance(s, Scenario) else load_scenario(s)


_TEMPORARY: list[Path] = []  # directories made for runs without ``out``, removed at exit


def _out(out: str | Path | None, prefix: str) -> Path:
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
    from sim.batch import run_batch
    from sim.scenario.load import with_overrides

    scenario = _scenario(scenario_or_path)
    if seed is not None:
        scenario = with_overrides(scenario, {"seed": seed})
    path = _out(out, scenario.name)
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

    resolved = [_scenario(s) for s in scenarios]
    path = _out(out, "compare")
    return _compare(resolved, path, n=n, seed=seed, jobs=jobs, **kw)


# --- which route is best: ranking (sim.experiments) ---------------------------------------


def rank(
    *scenarios: Scenario | str | Path,
    metric: str = "hours_to_level_80",
    epsilon: float = 0.5,
    max_n: int = 200,
    jobs: int = 1,
    **kw: Any,
) -> Any:
    """Rank scenarios on one metric (Kim–Nelson on common random numbers); ``.table()`` is a frame."""
    from sim.experiments.rank import rank as _rank

    return _rank([_scenario(s) for s in scenarios], metric=metric, epsilon=epsilon, max_n=max_n, jobs=jobs, **kw)


def ranking(result_or_dir: Any) -> pd.DataFrame:
    """The ranking of a ``rank`` result or a stored ranking directory as a DataFrame, best first."""
    from sim.experiments.report import rank_table

    if hasattr(result_or_dir, "json"):
        return rank_table(result_or_dir.json())
    return rank_table(json.loads((Path(result_or_dir) / "rank.json").read_text(encoding="utf-8")))


def ranking_intervals(table: pd.DataFrame, metric: str = "hours_to_level_80", epsilon: float = 0.5, ax: Any = None) -> Any:
    """Plot each route's paired difference from the best with its interval (Axes)."""
    from sim.experiments.plots import ranking_intervals as _plot

    return _plot(table, metric=metric, epsilon=epsilon, ax=ax)


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
    from sim.analysis.claims import measure_claims, runs_from_dirs
    from sim.experiments.compare import run_paired, same_seed

    resolved = same_seed([_scenario(s) for s in scenarios], seed)
    base = _out(out, "claims").parent if out is None else Path(out)
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


# --- which route is best: route search (sim.experiments) -----------------------------------


def optimize(
    spec_path: str | Path,
    trials: int | None = None,
    seed: int | None = None,
    jobs: int = 1,
    out: str | Path | None = None,
    **search: Any,
) -> Any:
    """Search a spec's route space (Optuna); ``search`` overrides its ``[search]`` keys
    (``replications=8, fresh_replications=20``). The result has ``.trials`` (a frame) and ``.json()``."""
    from sim.experiments.optimize import optimize as _optimize

    path = _out(out, "optimize")
    return _optimize(spec_path, path, trials=trials, seed=seed, jobs=jobs, search=search or None)


def optimize_trials(result_or_dir: Any) -> pd.DataFrame:
    """One row per candidate of a route search (result or stored directory): state, value, route."""
    if hasattr(result_or_dir, "trials"):
        return result_or_dir.trials
    return pd.read_csv(Path(result_or_dir) / "trials.csv")


def against(result_or_dir: Any) -> pd.DataFrame:
    """The best route against the other scenarios on fresh seeds, one row per scenario."""
    data = result_or_dir.json() if hasattr(result_or_dir, "json") else json.loads(
        (Path(result_or_dir) / "optimize.json").read_text(encoding="utf-8")
    )
    rows = [
        {"against": k, "diff": v["diff"], "ci95_low": v["ci95"][0], "ci95_high": v["ci95"][1], "verdict": v["verdict"]}
        for k, v in data["against"].items()
    ]
    return pd.DataFrame(rows, columns=["against", "diff", "ci95_low", "ci95_high", "verdict"])


def convergence(trials: pd.DataFrame, objective: str = "objective", ax: Any = None) -> Any:
    """Plot each candidate's objective value and the best feasible value so far (Axes)."""
    from sim.experiments.plots import convergence as _plot

    return _plot(trials, objective=objective, ax=ax)


def summary_table(run_or_summary: Run | dict) -> pd.DataFrame:
    """A run's summary as a readable table (formatted text, intervals labelled, notes shown)."""
    from sim.analysis.tables import summary_table as _summary_table

    summary = run_or_summary.summary if isinstance(run_or_summary, Run) else run_or_summary
    return _summary_table(summary)


def comparison_table(result: ComparisonResult) -> pd.DataFrame:
    """A comparison as a readable table: medians, difference of medians with its CI, full verdicts."""
    from sim.analysis.tables import comparison_table as _comparison_table

    return _comparison_table(result.json())
