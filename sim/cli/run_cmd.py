"""``runesim run SCENARIO``: run a batch of replications and store it in a results directory."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from rich.console import Console as RichConsole

from sim.cli.console import Console, err_console

__all__ = ["run", "default_out"]


def default_out(name: str, seed: int) -> Path:
    """Where a run is stored unless ``--out`` says otherwise."""
    return Path("results") / f"{name}-{seed}"


def run(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (TOML).")],
    n: Annotated[
        int | None, typer.Option("-n", help="Replications (default: the scenario's).")
    ] = None,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Seed (default: the scenario's).")
    ] = None,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", help="Worker processes (default: all CPUs).")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Results directory (default: results/<scenario>-<seed>)."),
    ] = None,
    set: Annotated[  # named for the --set option
        list[str] | None,
        typer.Option("--set", help="Override a scenario value: key.path=value (repeatable)."),
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Run only the chunks a stopped run did not store.")
    ] = False,
    extend: Annotated[
        int, typer.Option("--extend", help="Add this many replications to a stored run.")
    ] = 0,
    overwrite: Annotated[
        bool,
        typer.Option("--overwrite", help="Replace the stored run in --out (only its own files)."),
    ] = False,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler", help='Run on Dask: "local" (a loopback cluster) or tcp://host:port.'
        ),
    ] = None,
    progress: Annotated[
        bool, typer.Option("--progress/--no-progress", help="Show a progress bar.")
    ] = True,
) -> None:
    """Run replications of a scenario and store them (Parquet tables, manifest, summary)."""
    from sim.batch.runner import run_batch
    from sim.cli.checks import check_count, check_scheduler, check_seed
    from sim.scenario.load import load_scenario
    from sim.store import read_manifest, read_summary

    check_count("-n", n)
    check_seed(seed)
    check_scheduler(scheduler)
    values = {"seed": seed} if seed is not None else None
    resolved = load_scenario(scenario, overrides=set or (), values=values)
    out = out if out is not None else default_out(resolved.name, resolved.seed)
    try:
        outcome = run_batch(
            resolved,
            out,
            n=n,
            jobs=jobs,
            scheduler=scheduler,
            resume=resume,
            extend=extend,
            overwrite=overwrite,
            progress=progress,
            scenario_file=scenario,
        )
    except KeyboardInterrupt:
        _stopped(out, scenario, "stopped", read_manifest)
        raise typer.Exit(130) from None
    except _broken_pool():
        _stopped(out, scenario, "a worker process died", read_manifest)
        raise typer.Exit(1) from None

    _print_summary(read_summary(out), outcome.elapsed_seconds)
    console = Console(soft_wrap=True, highlight=False)
    console.print(f"stored in {out}")
    if outcome.failures:
        failed = outcome.manifest.get("failed_replications", [])
        first = failed[0] if failed else "K"
        err_console().print(
            f"[red]{outcome.failures} of {outcome.n} replications failed[/red] (replications "
            f"{_listed(failed, outcome.failures)}; errors in "
            f"{out / 'failures.parquet'}).\nReproduce one with: runesim trace {scenario} "
            f"--replication {first}"
        )
        raise typer.Exit(1)


def _listed(failed: list[int], count: int) -> str:
    shown = ", ".join(str(k) for k in failed[:10])
    return shown + (", ..." if count > 10 else "")


def _stopped(out: Path, scenario: Path, why: str, read_manifest: Any) -> None:
    try:
        manifest = read_manifest(out)
        stored = f"{manifest['replications_done']} of {manifest['replications']} replications"
    except (FileNotFoundError, KeyError):
        stored = "the finished chunks"
    err_console().print(
        f"{why}: {stored} stored in {out}.\n"
        f"Continue with: runesim run {scenario} --out {out} --resume"
    )


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        if abs(value) >= 1000 or value.is_integer():
            return f"{value:,.0f}"
        return f"{value:.1f}" if abs(value) >= 100 else f"{value:.2f}"
    return str(value)


def _print_summary(summary: dict[str, Any], elapsed: float) -> None:
    from rich.table import Table

    table = Table(
        title=f"{summary['scenario']}: {summary['replications']} replications, seed "
        f"{summary['seed']}",
        box=None,
        title_justify="left",
    )
    table.add_column("metric", no_wrap=True)
    heads = ("median", "median 95% CI", "mean", "mean 95% CI", "p10", "p90", "reached")
    for head in heads:
        table.add_column(head, justify="right", no_wrap=True)
    for name, m in summary["metrics"].items():
        reached = m.get("reached")
        shown = "-" if reached is None else f"{reached:.0%}"
        if m.get("median") is None and m.get("mean") is None and m.get("note"):
            # fewer than half got there: no median, no mean
            table.add_row(name, m["note"], "", "", "", _fmt(m.get("p10")), "-", shown)
            continue
        table.add_row(
            name,
            _fmt(m.get("median")),
            _interval(m.get("ci95")),
            _fmt(m.get("mean")),
            _interval(m.get("mean_ci95")),
            _fmt(m.get("p10")),
            _fmt(m.get("p90")),
            shown,
        )
    # a redirected table keeps one line per metric
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 140)
    console.print(table)
    console.print(
        "median 95% CI: interval of the median; mean 95% CI: interval of the mean "
        "(restricted to the horizon for times to a level).",
        style="dim",
    )
    _print_players(console, summary)
    console.print(f"ran in {elapsed:.1f} s")


def _interval(ci: list | None) -> str:
    lo, hi = ci or [None, None]
    if lo is None or hi is None:
        return "-"
    return f"{_fmt(lo)}–{_fmt(hi)}"


def _print_players(console: RichConsole, summary: dict[str, Any]) -> None:
    """Who finished, and the bosses at least one player in five fought (summary.json; all in it)."""
    f = summary.get("finished")
    if not f or f.get("finished") is None:
        return
    q = f.get("quit_hours_median")
    console.print(
        f"reached an ending: {f['finished']:.0%}; quit: {f['quit']:.0%}"
        + (f" (median at {q:.1f} h)" if q is not None else "")
        + f"; still playing at the horizon: {f['playing']:.0%}"
    )
    rows = [b for b in summary.get("bosses", []) if b["fought"] >= 0.2][:25]
    if not rows:
        return
    from rich.table import Table

    table = Table(title="bosses (shares of all players)", box=None, title_justify="left")
    for head in ("boss", "fought", "beaten", "attempts/beater", "deaths", "quit there"):
        table.add_column(
            head, justify="left" if head == "boss" else "right", no_wrap=head != "boss"
        )
    for b in rows:
        apb = b["attempts_per_beater"]
        table.add_row(
            b["boss"],
            f"{b['fought']:.0%}",
            f"{b['beaten']:.0%}",
            "-" if apb is None else f"{apb:.1f}",
            f"{b['deaths']:,}",
            f"{b['quit_there']:.0%}",
        )
    console.print(table)


def _broken_pool() -> type[BaseException]:
    """The process pool's error for a dead worker (imported when a run needs it)."""
    from concurrent.futures.process import BrokenProcessPool

    return BrokenProcessPool
