"""``runesim rank A.toml B.toml ...``: which route is best on one metric (Kim–Nelson, common random
numbers)."""

from __future__ import annotations

import json
import re
import time
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from sim.cli.console import Console
from sim.cli.options import Jobs, Scheduler

__all__ = ["rank"]


def rank(
    files: Annotated[list[Path], typer.Argument(help="Scenario files (TOML): the routes to rank.")],
    metric: Annotated[
        str,
        typer.Option(
            "--metric", help="Summary metric to rank on (lower/higher is better known per metric)."
        ),
    ] = "hours_to_level_80",
    epsilon: Annotated[
        float,
        typer.Option(
            "--epsilon", help="Indifference zone, in the metric's units (hours for times)."
        ),
    ] = 0.5,
    confidence: Annotated[
        float, typer.Option("--confidence", help="Probability of a correct selection.")
    ] = 0.95,
    max_n: Annotated[
        int, typer.Option("--max-n", help="Most replications any route receives.")
    ] = 500,
    n0: Annotated[int, typer.Option("--n0", help="First-stage replications of every route.")] = 20,
    block: Annotated[int, typer.Option("--block", help="Replications added per step.")] = 10,
    seed: Annotated[
        int | None, typer.Option("--seed", help="One seed for all (default: the first's).")
    ] = None,
    jobs: Jobs = None,
    scheduler: Scheduler = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Results directory (default: results/rank-<time>).")
    ] = None,
    set: Annotated[  # named for the --set option
        list[str] | None,
        typer.Option(
            "--set", help="Override a value in every scenario: key.path=value (repeatable)."
        ),
    ] = None,
    with_quitting: Annotated[
        bool,
        typer.Option(
            "--with-quitting",
            help="Rank with players who quit as modelled (a quitter counts as the horizon); "
            "by default quitting is switched off: the ranking is for players who keep playing.",
        ),
    ] = False,
    overwrite: Annotated[
        bool,
        typer.Option(
            "--overwrite", help="Replace the ranking stored in --out (its own files only)."
        ),
    ] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print the ranking JSON only.")] = False,
) -> None:
    """Rank routes on one metric with the Kim–Nelson procedure on common random numbers."""
    from sim.experiments.rank import RANK_FILE
    from sim.experiments.rank import rank as run_rank
    from sim.report import write_report as write_experiment_report
    from sim.scenario.load import load_scenario
    from sim.store import atomic_write_text

    scenarios = [load_scenario(f, overrides=list(set or [])) for f in files]
    out = out if out is not None else Path("results") / f"rank-{datetime.now():%Y%m%d-%H%M%S}"
    prepare_rank_out(out, overwrite)
    t0 = time.perf_counter()
    result = run_rank(
        scenarios,
        metric=metric,
        epsilon=epsilon,
        confidence=confidence,
        n0=n0,
        block=block,
        max_n=max_n,
        seed=seed,
        jobs=jobs,
        scheduler=scheduler,
        with_quitting=with_quitting,
    )
    data = result.json()
    data["elapsed_seconds"] = round(time.perf_counter() - t0, 2)
    data["files"] = [str(f) for f in files]
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_text(out / RANK_FILE, json.dumps(data, indent=2) + "\n")
    report = write_experiment_report(out, out / "report.html")
    if json_out:
        typer.echo(json.dumps(data, indent=2))
        return
    print_ranking(data)
    Console().print(f"stored in {out}; report: {report}")


RANK_OWN = ("rank.json", "report.html")
# the temporary files ``atomic_write_text`` makes next to them
_OWN_TEMPORARY = re.compile(r"^\.(rank\.json|report\.html)\.[A-Za-z0-9_]+\.tmp$")


def prepare_rank_out(out: Path, overwrite: bool) -> None:
    """A ranking goes into a new or empty directory, or replaces an earlier ranking's own files
    with ``--overwrite`` (never anything else), as ``runesim run`` treats its directories."""
    from sim.errors import InputError
    from sim.store.rundir import check_output_path

    check_output_path(out)
    entries = sorted(out.iterdir()) if out.is_dir() else []
    foreign = [p for p in entries if p.name not in RANK_OWN and not _OWN_TEMPORARY.match(p.name)]
    if foreign:
        shown = ", ".join(repr(p.name) for p in foreign[:3]) + (", ..." if len(foreign) > 3 else "")
        entries_word = "entry" if len(foreign) == 1 else "entries"
        raise InputError.one(
            str(out),
            "--out",
            str(out),
            f"a new or empty directory: it holds {len(foreign)} {entries_word} runesim rank "
            f"did not write ({shown}); choose another directory",
        )
    if entries and not overwrite:
        raise InputError.one(
            str(out),
            "--out",
            str(out),
            "a new or empty directory (it holds a stored ranking: add --overwrite to replace it, "
            "or choose another --out)",
        )
    for p in entries:
        p.unlink()


def _f(x: float | None) -> str:
    if x is None:
        return "-"
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.2f}"


def print_ranking(data: dict) -> None:
    """The ranking table, the culled routes and the guarantee, as the terminal shows them."""
    total = data["procedure"]["replications_total"]
    from rich.table import Table

    table = Table(
        title=(
            f"{data['metric']} ({data['direction']}), indifference zone {data['epsilon']:g}, "
            f"seed {data['seed']}: {total} replications "
            f"(every route to --max-n: {data['procedure']['replications_if_all_to_max_n']})"
        ),
        box=None,
        title_justify="left",
    )
    for col in (
        "rank",
        "scenario",
        "median",
        "diff vs best",
        "95% CI",
        "reps",
        f"within {data['epsilon']:g}",
    ):
        table.add_column(
            col, justify="left" if col in ("scenario", "95% CI") else "right", no_wrap=True
        )
    for row in data["ranking"]:
        d = row["diff_vs_best"]
        lo, hi = d["ci95"]
        ci = "-" if row["rank"] == 1 else f"[{_f(lo)}, {_f(hi)}]"
        status = "yes" if row["equivalent_to_best"] else "no"
        if row.get("tied_with"):
            status += f", same as {row['tied_with']}"
        if row["culled"]:
            status += f", culled at {row['culled_at']}"
        table.add_row(
            str(row["rank"]),
            row["scenario"],
            _f(row["median"]),
            "best" if row["rank"] == 1 else f"{d['mean']:+.2f}",
            ci,
            str(row["replications"]),
            status,
        )
    console = Console(soft_wrap=True, width=max(Console().width, 110))
    console.print(table)
    group = [r["scenario"] for r in data["ranking"] if r["equivalent_to_best"]]
    console.print(f"equivalent to the best within {data['epsilon']:g}: {', '.join(group)}")
    console.print(data["guarantee"])
    if data.get("censoring"):
        console.print(data["censoring"])
