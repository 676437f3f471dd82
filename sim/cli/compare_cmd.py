"""``runesim compare A.toml B.toml ...``: run scenarios with common random numbers and compare
them."""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sim.cli.choices import Uncertainty

if TYPE_CHECKING:
    from rich.console import Console as RichConsole

from sim.cli.console import Console
from sim.cli.options import Jobs, Scheduler

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
    jobs: Jobs = None,
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
    scheduler: Scheduler = None,
    uncertainty: Annotated[
        Uncertainty,
        typer.Option(
            "--uncertainty",
            help="none, or sample: draw the uncertain inputs --outer times, --inner replications "
            "each.",
        ),
    ] = Uncertainty.none,
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
    from sim.experiments.side import side_process

    _check_options(files, n, seed, target_error, max_n, block, scheduler)
    # a second process for the claims and the report's sources section, started now: its
    # imports are paid while the scenarios load and the runs are made
    with side_process(_side_wanted(n, jobs, uncertainty, scheduler)) as pool:
        from sim.cli.checks import prepare_comparison_out
        from sim.experiments.compare import compare as run_comparison
        from sim.report import write_report
        from sim.scenario.load import load_scenario

        overrides = list(set or [])
        scenarios = [load_scenario(f, overrides=overrides) for f in files]
        out = out if out is not None else default_out()
        prepare_comparison_out(out, overwrite)
        started = time.perf_counter()
        if _sampled(uncertainty, target_error):
            from sim.experiments.uncertainty import compare_sampled

            total = int(scenarios[0].replications if n is None else n)
            result = compare_sampled(
                scenarios,
                out,
                outer=outer,
                inner=inner or max(2, -(-total // max(outer, 1))),
                seed=seed,
                jobs=jobs,
                scheduler=scheduler,
                progress=not json_out,
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
                pool=pool,
            )
        report = write_report(result, out / "report.html", pool=pool)
    if json_out:
        typer.echo(json.dumps(result.json(), indent=2))
        warn_precision(result.json())
        return
    print_comparison(result.json())
    if "uncertainty" in result.data:
        _print_uncertainty(result.data["uncertainty"])
    warn_precision(result.json())
    console = Console(highlight=False, soft_wrap=True)
    console.print(
        f"ran in {time.perf_counter() - started:.1f} s; stored in {out}; report: {report}"
    )


def _side_wanted(n: int | None, jobs: int | None, mode: str, scheduler: str | None) -> bool:
    """Whether a second process pays: large runs, on this machine, more than one process
    allowed."""
    from sim.experiments.side import SIDE_MIN_REPLICATIONS

    large = (n or 0) >= SIDE_MIN_REPLICATIONS
    return large and mode != "sample" and scheduler is None and jobs != 1


def _sampled(mode: str, target_error: float | None) -> bool:
    """Whether ``--uncertainty`` asks for sampled inputs (not with --target-error: exit 2)."""
    from sim.errors import InputError

    if mode == "sample" and target_error is not None:
        raise InputError.one(
            None, "--target-error", target_error, "no --target-error with --uncertainty sample"
        )
    return mode == "sample"


def _check_options(
    files: list[Path],
    n: int | None,
    seed: int | None,
    target_error: float | None,
    max_n: int,
    block: int,
    scheduler: str | None,
) -> None:
    from sim.cli.checks import check_count, check_fraction, check_scheduler, check_seed
    from sim.errors import InputError

    if len(files) < 2:
        raise InputError.one(
            None, "FILES", [str(f) for f in files], "two scenario files or more to compare"
        )
    check_count("-n", n)
    check_seed(seed)
    check_fraction("--target-error", target_error)
    check_count("--max-n", max_n)
    check_count("--block", block)
    check_scheduler(scheduler)


def warn_precision(data: dict) -> None:
    """A warning on stderr when --target-error was not met by --max-n."""
    prec = data.get("precision")
    if prec and not prec.get("met", True):
        err = Console(stderr=True, highlight=False, soft_wrap=True)
        achieved = prec.get("achieved_error")
        got = "unknown" if achieved is None else f"{achieved:.3g}"
        err.print(
            f"[yellow]warning:[/] --target-error {prec['target_error']:g} not met: the worst key "
            f"metric's relative error is {got} after n = {prec['n']} (--max-n {prec['max_n']}); "
            f"raise --max-n or accept the wider intervals.",
            markup=True,
        )


def print_comparison(data: dict) -> None:
    """The headline first, then the table of medians, then the split by player traits."""
    from sim.analysis.for_whom import for_whom_line

    console = _console()
    if data.get("headline"):
        console.print(data["headline"], style="bold", markup=False)
        console.print()
    _print_table(data)
    split = data.get("for_whom")
    if split:
        unit = "h" if str(split.get("metric", "")).startswith("hours") else ""
        lines = for_whom_line(split, unit)
        comparisons = max(len(split.get("comparisons", [])), 1)
        # one line per comparison in the terminal (the first trait: skill); all in the JSON and
        # report
        traits = len(lines) // comparisons
        for line in lines[::traits] if traits else []:
            console.print(line, markup=False)
        if traits > 1:
            console.print(
                f"(also split by {traits - 1} other player traits: comparison.json and the report)",
                style="dim",
            )


def _console() -> RichConsole:
    # a redirected output keeps one line per metric
    return Console(highlight=False, width=None if sys.stdout.isatty() else 160)


def _num(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.1f}"


def _cell(d: dict | None) -> str:
    """A strategy's median (a 0/1 metric's share), or "— (4% reached)" when fewer than half got
    there."""
    if not d:
        return "—"
    if d.get("share") is not None:
        return f"{d['share']:.0%}"
    if d.get("median") is None:
        return d.get("note") or f"— ({(d.get('reached') or 0):.0%} reached)"
    return _num(d["median"])


def _share_diff_cell(d: dict) -> str:
    """A difference of shares in percentage points, with its paired interval."""
    v = d["difference_of_shares"]
    lo, hi = d.get("difference_of_shares_ci95") or [None, None]
    ci = "" if lo is None or hi is None else f" [{100 * lo:+.1f}, {100 * hi:+.1f}]"
    return f"{100 * v:+.1f} pp{ci}"


def _diff_cell(d: dict) -> str:
    if d.get("difference_of_shares") is not None:
        return _share_diff_cell(d)
    v = d.get("difference_of_medians")
    if v is None:
        return "—"
    lo, hi = d.get("difference_of_medians_ci95") or [None, None]
    sign = (
        (lambda x: f"{x:+,.0f}")
        if max(abs(v), abs(lo or 0), abs(hi or 0)) >= 1000
        else (lambda x: f"{x:+.1f}")
    )
    ci = "" if lo is None or hi is None else f" [{sign(lo)}, {sign(hi)}]"
    return f"{sign(v)}{ci}"


def _labelled(name: str, verdict: str) -> str:
    """A verdict that names the run it is about ('target_level-100: no clear difference')."""
    return verdict if verdict.startswith(name + " ") else f"{name}: {verdict}"


def _print_table(data: dict) -> None:
    from sim.analysis.verdicts import short_verdict

    names = data["strategies"]
    from rich.table import Table

    table = Table(
        title=(
            f"{data['pairs']} paired replications, seed {data['seed']}: medians per strategy; "
            "difference of medians with its paired 95% CI"
        ),
        box=None,
        title_justify="left",
    )
    table.add_column("metric", no_wrap=True)
    for s in names:
        table.add_column(f"{s}\n(median)", justify="right", no_wrap=True)
    diff_names = names[1:]
    for b in diff_names:
        table.add_column(f"{b} − {names[0]}\n(diff. of medians [95% CI])", justify="right")
    if diff_names:
        table.add_column("verdict")
    for metric, m in data["metrics"].items():
        diffs = m.get("diffs") or ([m["diff"]] if "diff" in m else [])
        by_b = {d["of"][0]: d for d in diffs}
        verdict = "; ".join(_labelled(d["of"][0], short_verdict(d["verdict"])) for d in diffs)
        table.add_row(
            metric,
            *[_cell(m.get(s)) for s in names],
            *[_diff_cell(by_b[b]) if b in by_b else "—" for b in diff_names],
            *([verdict] if diff_names else []),
        )
    _console().print(table)
    shares = [
        m for m, v in data["metrics"].items() if any("share" in (v.get(s) or {}) for s in names)
    ]
    if shares:
        _console().print(
            f"{', '.join(shares)}: a yes/no per player, shown as the share of players; its "
            "difference is the difference of shares in percentage points (pp), paired.",
            style="dim",
        )
    if diff_names:
        _console().print(
            "Full verdicts, with the mean of paired differences, in comparison.json and the "
            "report.",
            style="dim",
        )


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
    for col in ("metric", "mean", "luck sd", "inputs sd", "inputs %", "draws p10..p90", "flips"):
        table.add_column(col, justify="left" if col == "metric" else "right", no_wrap=True)
    for metric, m in u["metrics"].items():
        d = m.get("diff")
        if not d or not d.get("total_variance"):
            continue
        share, flips = d.get("input_share"), d.get("verdict_flip_share")
        table.add_row(
            metric,
            _short(d["mean"]),
            _short(d["luck_sd"]),
            _short(d["input_sd"]),
            "-" if share is None else f"{share:.0%}",
            f"{_short(d['outer_p10'])}..{_short(d['outer_p90'])}",
            "-" if flips is None else f"{flips:.0%}",
        )
    console = Console()
    console.print(table)
    console.print(
        f"{LUCK_TEXT}\n{INPUTS_TEXT}\n'flips': share of input draws whose verdict differs."
    )


def _short(x: float) -> str:
    """A figure in a few characters: 1.8M, 420k, 33.6."""
    if abs(x) >= 1e6:
        return f"{x / 1e6:.2f}M"
    if abs(x) >= 1e4:
        return f"{x / 1e3:.0f}k"
    return f"{x:.1f}"
