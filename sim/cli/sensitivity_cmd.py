"""``runesim sensitivity SCENARIO [--against OTHER] --metric M``: which unknown input drives
a metric, or the verdict of a comparison (Sobol indices or Morris screening, with SALib)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from sim.cli.choices import Method
from sim.cli.console import Console, err_console
from sim.cli.options import Jobs, Scheduler

__all__ = ["sensitivity", "DEFAULT_SAMPLES", "DEFAULT_REPLICATIONS"]

# The default design: N = 64 Saltelli base samples and 8 replications per point on common
# random numbers: over the eleven packaged inputs, rush_mohgwyn against natural is
# (64 x 13 + 1) points x 8 x 2 = 13,328 playthroughs (README: cost and timing).
DEFAULT_SAMPLES = 64
DEFAULT_REPLICATIONS = 8


def sensitivity(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (TOML).")],
    metric: Annotated[
        str, typer.Option("--metric", help="A replication metric, e.g. hours_to_level_80.")
    ],
    against: Annotated[
        Path | None, typer.Option("--against", help="Study the paired difference OTHER − SCENARIO.")
    ] = None,
    method: Annotated[
        Method, typer.Option("--method", help="sobol (S1, ST) or morris (screening).")
    ] = Method.sobol,
    samples: Annotated[
        int,
        typer.Option(
            "--samples", help="Base samples N (a power of two for Sobol; trajectories for Morris)."
        ),
    ] = DEFAULT_SAMPLES,
    replications: Annotated[
        int,
        typer.Option(
            "--replications", "-n", help="Replications per design point (common random numbers)."
        ),
    ] = DEFAULT_REPLICATIONS,
    params: Annotated[
        str | None,
        typer.Option(
            "--params",
            help="Inputs to vary, comma-separated (default: all; see `runesim data uncertainty`).",
        ),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option("--seed", help="Seed of the design and the luck (default: the scenario's)."),
    ] = None,
    jobs: Jobs = None,
    scheduler: Scheduler = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Results directory (default: results/sensitivity-<time>); rerun with the same "
            "--out to resume.",
        ),
    ] = None,
    set: Annotated[  # named for the --set option
        list[str] | None,
        typer.Option(
            "--set", help="Override a value in every scenario: key.path=value (repeatable)."
        ),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the result JSON only.")] = False,
) -> None:
    """Sensitivity of a metric (or of a paired difference) to the uncertain inputs."""
    from sim.cli.checks import check_scheduler
    from sim.experiments.how_sure import write_sensitivity_report
    from sim.experiments.sensitivity import plan, run_sensitivity
    from sim.scenario.load import load_scenario
    from sim.world.load import load_world

    check_scheduler(scheduler)
    world = load_world()
    overrides = list(set or [])
    values = {"seed": seed} if seed is not None else None
    base = load_scenario(scenario, overrides, world=world, values=values)
    other = (
        load_scenario(against, overrides, world=world, values=values)
        if against is not None
        else None
    )
    names = [p.strip() for p in params.split(",") if p.strip()] if params else None
    p = plan(
        base,
        other,
        metric,
        method=method,
        samples=samples,
        inner=replications,
        params=names,
        file=str(scenario),
    )
    out = (
        out if out is not None else Path("results") / f"sensitivity-{datetime.now():%Y%m%d-%H%M%S}"
    )
    result = run_sensitivity(
        p,
        out,
        jobs=jobs,
        scheduler=scheduler,
        progress=not json_out,
        announce=lambda text: err_console().print(f"cost: {text}"),
    )
    report = write_sensitivity_report(out)
    if json_out:
        typer.echo(json.dumps(result, indent=2))
        return
    _print(result)
    Console().print(f"stored in {out}; report: {report}")


def _fmt(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}"


def _print(result: dict) -> None:
    sobol = result["method"] == "sobol"
    what = result["metric"] + (
        f" ({result['against']} − {result['scenario']})" if result["against"] else ""
    )
    from rich.table import Table

    table = Table(title=f"{result['method']} sensitivity of {what}", box=None, title_justify="left")
    for col in ("input", "range", *(("S1 [95%]", "ST [95%]") if sobol else ("mu* [95%]", "sigma"))):
        table.add_column(col, justify="left" if col in ("input", "range") else "right")
    for q in result["parameters"]:
        rng = f"{q['range'][0]:g} – {q['range'][1]:g}"
        if sobol:
            cells = [
                f"{_fmt(q[k])} [{_fmt(q[k + '_ci95'][0])}, {_fmt(q[k + '_ci95'][1])}]"
                for k in ("S1", "ST")
            ]
        else:
            cells = [
                f"{_fmt(q['mu_star'])} [{_fmt(q['mu_star_ci95'][0])}, "
                f"{_fmt(q['mu_star_ci95'][1])}]",
                _fmt(q["sigma"]),
            ]
        table.add_row(q["name"], rng, *cells)
    Console().print(table)
    if result.get("verdict"):
        v = result["verdict"]
        Console().print(
            f"as written: {v['as_written']}; the verdict differs in "
            f"{result['verdict_flip_share']:.0%} of the input space ({result['design_points']} "
            "points)"
        )
