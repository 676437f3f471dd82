"""``runesim sweep SCENARIO --vary key.path=v1,v2,…``: one scenario at several values of a
parameter, on common random numbers, compared against the first value."""

from __future__ import annotations

import json
import time
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from sim.cli.console import Console
from sim.cli.options import Jobs
from sim.errors import InputError

__all__ = ["sweep"]


def _values(vary: str) -> tuple[str, list[str]]:
    key, sep, raw = vary.partition("=")
    values = [v.strip() for v in raw.split(",") if v.strip()]
    if not sep or not key.strip() or len(values) < 2:
        raise InputError.one("--vary", vary, vary, "key.path=v1,v2[,…] with at least two values")
    return key.strip(), values


def sweep(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (TOML).")],
    vary: Annotated[
        str, typer.Option("--vary", help="key.path=v1,v2,… (the first value is the baseline).")
    ],
    n: Annotated[
        int | None, typer.Option("-n", help="Replications per value (default: the scenario's).")
    ] = None,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Seed (default: the scenario's).")
    ] = None,
    jobs: Jobs = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Results directory (default: results/sweep-<time>)."),
    ] = None,
    set: Annotated[  # named for the --set option
        list[str] | None,
        typer.Option("--set", help="Override a value in every run: key.path=value (repeatable)."),
    ] = None,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print the comparison JSON only.")
    ] = False,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace the sweep stored in --out.")
    ] = False,
) -> None:
    """Run a scenario at each value of one parameter, paired on the same seeds."""
    from sim.cli.checks import check_count, check_seed, prepare_comparison_out
    from sim.cli.compare_cmd import print_comparison, warn_precision
    from sim.experiments.compare import compare as run_comparison
    from sim.report import write_report
    from sim.scenario.limits import safe_label
    from sim.scenario.load import load_scenario
    from sim.world.load import load_world

    check_count("-n", n)
    check_seed(seed)
    key, values = _values(vary)
    world = load_world()
    base = list(set or ())
    scenarios = []
    for v in values:
        label = safe_label(f"{key.split('.')[-1]}-{v}")  # a run directory's name
        named = {"name": label}
        scenarios.append(load_scenario(scenario, [*base, f"{key}={v}"], world=world, values=named))
    out = out if out is not None else Path("results") / f"sweep-{datetime.now():%Y%m%d-%H%M%S}"
    prepare_comparison_out(out, overwrite)
    started = time.perf_counter()
    result = run_comparison(scenarios, out, n=n, seed=seed, jobs=jobs, progress=not json_out)
    report = write_report(result, out / "report.html")
    if json_out:
        typer.echo(json.dumps(result.json(), indent=2))
        return
    print_comparison(result.json())
    warn_precision(result.json())
    Console(highlight=False, soft_wrap=True).print(
        f"ran in {time.perf_counter() - started:.1f} s; stored in {out}; report: {report}"
    )
