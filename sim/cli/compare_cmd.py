"""``runesim compare A.toml B.toml ...``: run scenarios with common random numbers and compare them."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

__all__ = ["compare", "default_out"]


def default_out() -> Path:
    """Where a comparison is stored unless ``--out`` says otherwise."""
    return Path("results") / f"compare-{datetime.now():%Y%m%d-%H%M%S}"


def compare(
    files: Annotated[
        list[Path], typer.Argument(help="Scenario files (TOML); the first is the baseline.")
    ],
    n: Annotated[
        int | None, typer.Option("-n", help="Replications per scenario (default: the first's).")
    ] = None,
    seed: Annotated[
        int | None, typer.Option("--seed", help="One seed for all (default: the first's).")
    ] = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", help="Worker processes.")] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Results directory (default: results/compare-<time>)."),
    ] = None,
    set: Annotated[  # named for the --set option
        list[str] | None,
        typer.Option(
            "--set", help="Override a value in every scenario: key.path=value (repeatable)."
        ),
    ] = None,
    target_error: Annotated[
        float | None,
        typer.Option(
            "--target-error",
            help="Add replications until each key metric's relative 95% half-width is below this.",
        ),
    ] = None,
    max_n: Annotated[
        int, typer.Option("--max-n", help="Most replications --target-error may reach.")
    ] = 2000,
    block: Annotated[
        int, typer.Option("--block", help="Replications added per step with --target-error.")
    ] = 50,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print the comparison JSON only.")
    ] = False,
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help='Run on Dask: "local" or tcp://host:port.')
    ] = None,
    uncertainty: Annotated[
        str,
        typer.Option(
            "--uncertainty",
            help="none, or sample: draw the uncertain inputs --outer times, --inner replications each.",
        ),
    ] = "none",
    outer: Annotated[
        int, typer.Option("--outer", help="Draws of the uncertain inputs (--uncertainty sample).")
    ] = 20,
    inner: Annotated[
        int | None,
        typer.Option("--inner", help="Replications per draw (default: n / outer, at least 2)."),
    ] = None,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace the comparison stored in --out.")
    ] = False,
) -> None:
    """Run each scenario with the same seeds and report paired differences against the first."""
    from sim.analysis.compare import compare as run_comparison
    from sim.cli.checks import prepare_comparison_out
    from sim.report import write_report
    from sim.scenario.load import load_scenario

    _check_options(files, n, seed, target_error, max_n, block, scheduler)
    overrides = list(set or [])
    scenarios = [load_scenario(f, overrides=overrides) for f in files]
    out = out if out is not None else default_out()
    prepare_comparison_out(out, overwrite)
    if _sampled(uncertainty, target_error):
        from sim.experiments.uncertainty import compare_sampled

        total = int(scenarios[0].replications if n is None else n)
        result = compare_sampled(
            scenarios, out, outer=outer, inner=inner or max(2, -(-total // max(outer, 1))),
            seed=seed, jobs=jobs, scheduler=scheduler, progress=not json_out,
        )
    else:
        result = run_comparison(
            scenarios,
            out,
            n=n,
            seed=seed,
            jobs=jobs,
            target_error=target_error,
            max_n=max_n,
            block=block,
            scheduler=scheduler,
            progress=not json_out,
        )
    report = write_report(result, out / "report.html")
    if json_out:
        typer.echo(json.dumps(result.json(), indent=2))
        return
    _print_table(result.json())
    if "uncertainty" in result.data:
        _print_uncertainty(result.data["uncertainty"])
    console = Console()
    console.print(f"stored in {out}; report: {report}")


def _sampled(mode: str, target_error: float | None) -> bool:
    """Whether ``--uncertainty`` asks for sampled inputs (checked: exit 2 on a bad value)."""
    from sim.errors import InputError
    from sim.experiments.uncertainty import MODES

    if mode not in MODES:
        raise InputError.one(None, "--uncertainty", mode, "one of " + ", ".join(MODES))
    if mode == "sample" and target_error is not None:
        raise InputError.one(
            None, "--target-error", target_error, "no --target-error with --uncertainty sample"
        )
    return mode == "sample"


def _check_options(
    files: list[Path], n: int | None, seed: int | None, target_error: float | None,
    max_n: int, block: int, scheduler: str | None,
) -> None:
    from sim.cli.checks import check_count, check_fraction, check_scheduler, check_seed
    from sim.errors import InputError

    if len(files) < 2:
        raise InputError.one(None, "FILES", [str(f) for f in files], "two scenario files or more to compare")
    check_count("-n", n)
    check_seed(seed)
    check_fraction("--target-error", target_error)
    check_count("--max-n", max_n)
    check_count("--block", block)
    check_scheduler(scheduler)


def _cell(d: dict | None) -> str:
    if not d or d.get("median") is None:
        return "-" if not d else f"- ({(d.get('reached') or 0):.0%} reached)"
    v = d["median"]
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.1f}"


def _print_table(data: dict) -> None:
    names = data["strategies"]
    from rich.table import Table

    table = Table(
        title=f"{data['pairs']} paired replications, seed {data['seed']} (medians)",
        box=None,
        title_justify="left",
    )
    table.add_column("metric")
    for s in names:
        table.add_column(s, justify="right")
    if len(names) > 1:
        table.add_column("verdict")
    for metric, m in data["metrics"].items():
        diffs = m.get("diffs") or ([m["diff"]] if "diff" in m else [])
        verdict = "; ".join(d["verdict"] for d in diffs)
        table.add_row(
            metric, *[_cell(m.get(s)) for s in names], *([verdict] if len(names) > 1 else [])
        )
    Console().print(table)


def _print_uncertainty(u: dict) -> None:
    """Each paired difference's spread, split into luck and the unknown inputs."""
    from rich.table import Table

    from sim.experiments.how_sure import INPUTS_TEXT, LUCK_TEXT

    table = Table(
        title=(
            f"How sure are we? {u['outer']} draws of {len(u['inputs'])} uncertain inputs x "
            f"{u['inner']} replications each (paired differences)"
        ),
        box=None,
        title_justify="left",
    )
    for col in ("metric", "mean", "luck sd", "inputs sd", "from inputs", "draws p10..p90", "flips"):
        table.add_column(col, justify="left" if col == "metric" else "right", no_wrap=True)
    for metric, m in u["metrics"].items():
        d = m.get("diff")
        if not d or not d.get("total_variance"):
            continue
        share, flips = d.get("input_share"), d.get("verdict_flip_share")
        table.add_row(
            metric,
            f"{d['mean']:.1f}",
            f"{d['luck_sd']:.1f}",
            f"{d['input_sd']:.1f}",
            "-" if share is None else f"{share:.0%}",
            f"{d['outer_p10']:.1f}..{d['outer_p90']:.1f}",
            "-" if flips is None else f"{flips:.0%}",
        )
    console = Console()
    console.print(table)
    console.print(f"{LUCK_TEXT}\n{INPUTS_TEXT}\n'flips': share of input draws whose verdict differs.")
