"""Search the route space of a spec for its objective with Optuna, on common random numbers.

Each trial is a candidate route (``sim.experiments.space``). An infeasible route
(one the world's access rules forbid) is pruned before any simulation. A feasible
one runs replications ``0 .. n-1`` with the selection seed, the same for every
candidate, in blocks; after each block the objective so far is reported to
Optuna's median pruner, which stops a candidate that is worse than the median
of earlier candidates at the same number of replications. A candidate already
evaluated (the sampler proposes it again) reuses its values. The study lives in
``DIR/study.db`` (SQLite), so ``resume`` continues an interrupted search.

The best feasible candidate is then compared, on **fresh** seeds (not those it
was selected on, so the winner's luck does not flatter it), with the base
scenario and the spec's ``against`` scenarios, as paired differences.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.paired import compare_metric
from sim.errors import InputError
from sim.experiments.best_file import best_toml
from sim.experiments.measures import lower_is_better, metric_values, statistic
from sim.experiments.space import (
    base_data,
    candidate_scenario,
    check_spec,
    dimensions,
    feasible,
    route_of,
)
from sim.experiments.spec import Spec, load_spec, resolve_scenario
from sim.scenario.schema import Scenario

__all__ = ["OptimizeResult", "optimize", "OPTIMIZE_FILE", "STUDY_FILE"]

OPTIMIZE_FILE = "optimize.json"
STUDY_FILE = "study.db"


@dataclass
class OptimizeResult:
    out: Path
    data: dict[str, Any]
    trials: pd.DataFrame

    def json(self) -> dict[str, Any]:
        return self.data


def _suggest(trial: Any, spec: Spec) -> dict[str, Any]:
    choice: dict[str, Any] = {}
    for name, kind, dom in dimensions(spec):
        if kind == "bool":
            choice[name] = trial.suggest_categorical(name, [True, False])
        elif kind == "float":
            choice[name] = trial.suggest_float(name, *dom)
        elif kind == "int":
            choice[name] = trial.suggest_int(name, dom[0], dom[1], step=dom[2])
        else:
            choice[name] = trial.suggest_categorical(name, list(dom))
    return choice


def _sampler(spec: Spec, seed: int) -> Any:
    import optuna

    startup = spec.search.startup_trials
    if spec.search.sampler == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    if spec.search.sampler == "cmaes":
        return optuna.samplers.CmaEsSampler(
            seed=seed, n_startup_trials=startup, warn_independent_sampling=False
        )
    return optuna.samplers.TPESampler(seed=seed, n_startup_trials=startup)


def _bootstrap_ci(
    values: np.ndarray, censored: np.ndarray, stat: str, seed: int
) -> list[float | None]:
    rng = np.random.default_rng([seed, 95])
    n = len(values)
    if n < 3:
        return [None, None]
    idx = rng.integers(0, n, size=(2000, n))
    draws = [statistic(values[i], censored[i], stat) for i in idx]
    lo, hi = np.quantile(draws, [0.025, 0.975])
    return [float(lo), float(hi)]


def optimize(
    spec_path: str | Path,
    out: Path,
    *,
    trials: int | None = None,
    seed: int | None = None,
    jobs: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    log: Callable[[str], None] | None = None,
    search: dict[str, Any] | None = None,
) -> OptimizeResult:
    """Run (or resume) the search of ``spec_path`` into ``out``; write best.toml and optimize.json.

    ``search`` overrides keys of the spec's ``[search]`` table (e.g. ``replications=8`` for a
    quick look in a notebook).
    """
    import optuna

    from sim.experiments.evaluate import Evaluator
    from sim.scenario.load import load_scenario
    from sim.store import atomic_write_text
    from sim.world.load import load_world

    file = str(spec_path)
    spec, base_path = load_spec(spec_path)
    if search:
        from sim.experiments.spec import with_search

        spec = with_search(spec, search, file)
    world = load_world()
    base = load_scenario(base_path)
    raw = base_data(base_path)
    check_spec(spec, base, raw, world, file)
    n_trials = spec.search.trials if trials is None else trials
    if n_trials < 1:
        raise InputError.one(file, "--trials", n_trials, "at least 1 trial")
    seed = spec.search.seed if seed is None else seed
    seed = base.seed if seed is None else seed
    fresh_seed = spec.search.fresh_seed if spec.search.fresh_seed is not None else seed + 1
    out = Path(out)
    db = out / STUDY_FILE
    if db.exists() and not resume:
        raise InputError.one(
            str(out), "--out", str(out), "a new directory (it holds a search: add --resume)"
        )
    if resume and not db.exists():
        raise InputError.one(
            str(out), "--resume", str(out), f"a directory holding a search ({STUDY_FILE})"
        )
    out.mkdir(parents=True, exist_ok=True)
    obj = spec.objective
    minimize = obj.direction == "minimize" if obj.direction else lower_is_better(obj.metric)
    stop_then = "stop" if spec.search.stop_after_route else spec.route.then
    say = log or (lambda _m: None)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(
        study_name=spec.name,
        storage=f"sqlite:///{db}",
        load_if_exists=resume,
        direction="minimize" if minimize else "maximize",
        sampler=_sampler(spec, seed),
        pruner=optuna.pruners.MedianPruner(
            n_startup_trials=spec.search.startup_trials, n_warmup_steps=0
        ),
    )
    known: dict[tuple[str, ...], dict[str, Any]] = {}
    for t in study.trials:
        if "value" in t.user_attrs and t.state == optuna.trial.TrialState.COMPLETE:
            known.setdefault(tuple(t.user_attrs["route"]), dict(t.user_attrs))
    R, B = spec.search.replications, spec.search.block
    t0 = time.perf_counter()

    with Evaluator(jobs=jobs, scheduler=scheduler) as ev:

        def objective(trial: Any) -> float:
            steps = route_of(spec, _suggest(trial, spec))
            trial.set_user_attr("route", steps)
            hit = known.get(tuple(steps))
            if hit is not None:  # the same route on the same seeds: the same values
                for key in ("constraints", "constraint_values", "replications", "value", "trial"):
                    trial.set_user_attr(key, hit.get(key))
                for k, c in enumerate(hit["constraints"]):
                    trial.set_constraint(f"c{k}", c)
                say(
                    f"trial {trial.number}: the route of trial {hit['trial']} again "
                    f"({hit['value']:.2f}), not rerun"
                )
                return float(hit["value"])
            reason = "no steps (every block skipped)" if not steps else None
            if reason is None:
                try:
                    scenario = candidate_scenario(spec, raw, steps, then=stop_then, seed=seed)
                    reason = feasible(scenario, world)
                except InputError as err:
                    reason = err.message
            if reason is not None:
                trial.set_user_attr("infeasible", reason)
                for k in range(len(spec.constraints)):
                    trial.set_constraint(f"c{k}", 1.0)
                say(f"trial {trial.number}: infeasible, pruned: {_short(reason)}")
                raise optuna.TrialPruned()
            frames = []
            for a in range(0, R, B):
                frames += ev.run([(scenario, a, min(a + B, R))])
                values, cens = metric_values(pd.concat(frames), obj.metric)
                value = statistic(values, cens, obj.statistic)
                trial.report(value, step=min(a + B, R))
                if min(a + B, R) < R and trial.should_prune():
                    trial.set_user_attr("replications", min(a + B, R))
                    for k in range(len(spec.constraints)):
                        trial.set_constraint(f"c{k}", 0.0)
                    say(
                        f"trial {trial.number}: {value:.2f} after {min(a + B, R)} replications, "
                        "stopped early"
                    )
                    raise optuna.TrialPruned()
            rep = pd.concat(frames)
            cvals, cons = [], []
            for c in spec.constraints:
                v = statistic(*metric_values(rep, c.metric), c.statistic)
                cvals.append(v)
                bound = c.at_most if c.at_most is not None else c.at_least
                assert bound is not None  # a constraint has exactly one bound (validated)
                cons.append(v - bound if c.at_most is not None else bound - v)
            for k, c in enumerate(cons):
                trial.set_constraint(f"c{k}", c)
            trial.set_user_attr("constraints", cons)
            trial.set_user_attr("constraint_values", cvals)
            trial.set_user_attr("replications", R)
            trial.set_user_attr("value", value)
            trial.set_user_attr("trial", trial.number)
            known[tuple(steps)] = dict(trial.user_attrs, value=value, constraints=cons)
            say(
                f"trial {trial.number}: {obj.statistic} {obj.metric} = {value:.2f}"
                + (" (violates a constraint)" if any(c > 0 for c in cons) else "")
            )
            return value

        remaining = max(0, n_trials - len(study.trials)) if resume else n_trials
        study.optimize(objective, n_trials=remaining, catch=())
        search_seconds = time.perf_counter() - t0
        table = trials_frame(study, minimize)
        best = _best(table, minimize)
        data: dict[str, Any] = {
            "objective": {
                "metric": obj.metric,
                "statistic": obj.statistic,
                "direction": "minimize" if minimize else "maximize",
            },
            "spec": str(spec_path),
            "best": None,
            "trials": int(len(table)),
            "pruned": int((table["state"] == "PRUNED").sum()),
            "infeasible": int(table["infeasible"].notna().sum()),
            "against": {},
            "selection_seed": seed,
            "fresh_seed": fresh_seed,
            "replications_per_candidate": R,
            "players": "as modelled, quitters included"
            if spec.search.with_quitting
            else "who keep playing",
            "search_seconds": round(search_seconds, 2),
        }
        if best is not None:
            steps = list(best["route"])
            best_scen = candidate_scenario(spec, raw, steps, then=spec.route.then, seed=seed)
            sel = candidate_scenario(spec, raw, steps, then=stop_then, seed=seed)
            values, cens = metric_values(ev.run([(sel, 0, R)])[0], obj.metric)
            data["best"] = {
                "route": steps,
                "value": float(best["value"]),
                "ci95": _bootstrap_ci(values, cens, obj.statistic, seed),
                "trial": int(best["number"]),
            }
            t1 = time.perf_counter()
            data["against"] = _against(
                spec, Path(spec_path).parent, base_path, best_scen, fresh_seed, ev, obj.metric
            )
            data["comparison_seconds"] = round(time.perf_counter() - t1, 2)
            atomic_write_text(out / "best.toml", best_toml(raw, spec, steps, data))
    data["elapsed_seconds"] = round(time.perf_counter() - t0, 2)
    atomic_write_text(out / OPTIMIZE_FILE, json.dumps(data, indent=2) + "\n")
    atomic_write_text(out / "trials.csv", table.to_csv(index=False))
    return OptimizeResult(out, data, table)


def _short(reason: str) -> str:
    """The step and the rule of an access-check message, without the file name."""
    text = reason.splitlines()[-1].strip()
    step, _, rule = text.partition(": expected a step the player can take here: ")
    return f"{step.split(': ', 1)[-1]} ({rule})" if rule else text[-120:]


def trials_frame(study: Any, minimize: bool) -> pd.DataFrame:
    """One row per trial: number, state, value, route, infeasible reason, best feasible so far."""
    rows = []
    best = math.inf if minimize else -math.inf
    for t in study.trials:
        cons = t.user_attrs.get("constraints", [])
        ok = t.state.name == "COMPLETE" and all(c <= 0 for c in cons)
        value = (
            t.value
            if t.value is not None
            else (list(t.intermediate_values.values())[-1] if t.intermediate_values else None)
        )
        if ok and value is not None:
            best = min(best, value) if minimize else max(best, value)
        rows.append(
            {
                "number": t.number,
                "state": t.state.name,
                "value": value,
                "feasible_constraints": ok,
                "replications": t.user_attrs.get("replications"),
                "route": " | ".join(t.user_attrs.get("route", [])),
                "infeasible": t.user_attrs.get("infeasible"),
                "best_so_far": best if math.isfinite(best) else None,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "number",
            "state",
            "value",
            "feasible_constraints",
            "replications",
            "route",
            "infeasible",
            "best_so_far",
        ],
    )


def _best(table: pd.DataFrame, minimize: bool) -> dict[str, Any] | None:
    ok = table[table["feasible_constraints"] & table["value"].notna()]
    if ok.empty:
        return None
    ok = ok.sort_values(["value", "number"], ascending=[minimize, True])
    row = ok.iloc[0]
    return {"number": row["number"], "value": row["value"], "route": row["route"].split(" | ")}


def _against(
    spec: Spec, spec_dir: Path, base_path: Path, best: Any, fresh_seed: int, ev: Any, metric: str
) -> dict:
    from sim.experiments.evaluate import KEEP_PLAYING
    from sim.scenario.load import load_scenario, with_overrides

    names: list[str] = []
    scenarios: list[Scenario] = []
    paths = [base_path.resolve()] + [resolve_scenario(a, spec_dir).resolve() for a in spec.against]
    fresh = {"seed": fresh_seed, **({} if spec.search.with_quitting else KEEP_PLAYING)}
    for path in dict.fromkeys(paths):
        s = with_overrides(load_scenario(path), fresh, str(path))
        names.append(s.name if s.name not in names else f"{s.name}#{len(names)}")
        scenarios.append(s)
    n = spec.search.fresh_replications
    best = with_overrides(best, {"seed": fresh_seed, "name": "best"})
    frames = ev.run([(best, 0, n)] + [(s, 0, n) for s in scenarios])
    out = {}
    for name, s, frame in zip(names, scenarios, frames[1:], strict=True):
        d = compare_metric(
            frame,
            frames[0],
            metric,
            margin_hours=s.compare.margin_hours,
            margin_levels=s.compare.margin_levels,
            seed=fresh_seed,
            names=(name, "best"),
        )
        out[name] = {
            "diff": d["mean"],
            "ci95": d["ci95"],
            "verdict": d["verdict"],
            "pairs": d["pairs"],
            "median_diff": d["median"],
            "censored_pairs": d.get("censored_pairs", 0),
        }
    return out
