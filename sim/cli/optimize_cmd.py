"""``runesim optimize SPEC.toml``: search the route space of a spec for its objective (Optuna)."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from sim.cli.console import Console
from sim.cli.options import Jobs, Scheduler

__all__ = ["optimize"]


def optimize(
    spec: Annotated[
        Path,
        typer.Argument(help="A route-search spec (TOML), e.g. scenarios/optimize_level80.toml."),
    ],
    trials: Annotated[
        int | None, typer.Option("--trials", help="Candidates to try (default: the spec's).")
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed", help="Selection seed (default: the spec's, else the base scenario's)."
        ),
    ] = None,
    jobs: Jobs = None,
    scheduler: Scheduler = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Results directory (default: results/optimize-<name>-<time>)."),
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue the search stored in --out up to --trials.")
    ] = False,
    with_quitting: Annotated[
        bool,
        typer.Option(
            "--with-quitting",
            help="Evaluate with players who quit as modelled; by default quitting is switched "
            "off: the search is for players who keep playing.",
        ),
    ] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print optimize.json only.")] = False,
) -> None:
    """Search routes for the spec's objective; write best.toml, optimize.json and report.html."""
    from sim.errors import InputError
    from sim.experiments.evaluate import ReplicationFailed
    from sim.experiments.optimize import optimize as run_optimize
    from sim.experiments.report import write_convergence_png
    from sim.report import write_report as write_experiment_report

    if out is None:
        if resume:
            raise InputError.one(None, "--resume", True, "--out DIR naming the search to continue")
        out = Path("results") / f"optimize-{spec.stem}-{datetime.now():%Y%m%d-%H%M%S}"
    err = Console(stderr=True, highlight=False)
    log = None if json_out else (lambda m: err.print(m, markup=False))
    try:
        result = run_optimize(
            spec,
            out,
            trials=trials,
            seed=seed,
            jobs=jobs,
            scheduler=scheduler,
            resume=resume,
            log=log,
            search={"with_quitting": True} if with_quitting else None,
        )
    except ReplicationFailed as e:
        err.print(f"error: {e}", markup=False)
        sys.exit(1)
    report = write_experiment_report(out, out / "report.html")
    write_convergence_png(out)
    data = result.json()
    if json_out:
        typer.echo(json.dumps(data, indent=2))
    else:
        print_result(data)
        Console().print(
            f"stored in {out}: best.toml, optimize.json, trials.csv, convergence.png, study.db; "
            f"report: {report}"
        )
    if data["best"] is None:
        err.print("no candidate met every constraint: no best route", markup=False)
        sys.exit(1)


def print_result(data: dict) -> None:
    """The best route, its value and the comparison on fresh seeds, as the terminal shows them."""
    console = Console(soft_wrap=True, width=max(Console().width, 110))
    obj = data["objective"]
    console.print(
        f"{data['trials']} candidates, {data['pruned']} pruned ({data['infeasible']} failed the "
        f"access rules), {data['search_seconds']:.0f} s of search"
    )
    best = data["best"]
    if best is None:
        return
    lo, hi = best["ci95"]
    console.print(
        f"best route (trial {best['trial']}): {obj['statistic']} {obj['metric']} = "
        f"{best['value']:.2f} (95% CI {lo:.2f}–{hi:.2f}) on the selection seed "
        f"{data['selection_seed']}"
    )
    for i, step in enumerate(best["route"], start=1):
        console.print(f"  {i}. {step}", markup=False)
    from rich.table import Table

    table = Table(
        title=f"best − other on fresh seed {data['fresh_seed']} ({obj['metric']}, paired)",
        box=None,
        title_justify="left",
    )
    for col in ("against", "mean diff", "95% CI", "verdict"):
        table.add_column(col, justify="left" if col in ("against", "verdict") else "right")
    for name, d in data["against"].items():
        lo, hi = d["ci95"]
        table.add_row(name, f"{d['diff']:+.2f}", f"[{lo:+.2f}, {hi:+.2f}]", d["verdict"])
    console.print(table)
