"""``runesim claims SCENARIO...`` (or ``RUN_DIR...``): the article's five claims, measured."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from sim.cli.console import Console
from sim.cli.options import Jobs
from sim.errors import InputError

__all__ = ["claims", "format_key"]


def format_key(c: dict) -> str:
    """The key figure and its interval as text (``0.92 (95% CI 0.90–0.94)``, or exact for game
    constants)."""
    from sim.analysis.claims.html import key_text

    return key_text(c)


def _run_dirs(paths: list[Path]) -> dict[str, Path] | None:
    """Stored runs named on the command line (a comparison directory names its runs), or None."""
    from sim.experiments.comparison import COMPARISON_FILE

    if not all(p.is_dir() for p in paths):
        if any(p.is_dir() for p in paths):
            raise InputError.one(
                None,
                "claims",
                " ".join(map(str, paths)),
                "only scenario files, or only stored runs",
            )
        return None
    dirs: dict[str, Path] = {}
    for p in paths:
        if (p / COMPARISON_FILE).is_file():
            data = json.loads((p / COMPARISON_FILE).read_text(encoding="utf-8"))
            for s, d in (data.get("runs") or {s: s for s in data["strategies"]}).items():
                dirs[s] = p / d
        elif (p / "manifest.json").is_file():
            dirs[p.name] = p
        else:
            raise InputError.one(
                str(p),
                "run_dir",
                str(p),
                "a stored run (manifest.json) or a comparison (comparison.json)",
            )
    return dirs


def claims(
    paths: Annotated[
        list[Path], typer.Argument(help="Scenario files (TOML), or stored run directories.")
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
        typer.Option("--out", help="Results directory (default: results/claims-<time>)."),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print only the claims JSON.")] = False,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace the runs and claims stored in --out.")
    ] = False,
) -> None:
    """Measure the article's five claims on scenarios run with common random numbers \
(or on stored runs)."""
    from sim.analysis.claims import claims_json, measure_claims
    from sim.experiments.comparison import COMPARISON_FILE, runs_from_dirs
    from sim.store import atomic_write_text

    dirs = _run_dirs(paths)
    if dirs is None:
        from sim.cli.checks import check_count, check_seed, prepare_comparison_out
        from sim.experiments.compare import run_paired, same_seed
        from sim.scenario.load import load_scenario

        check_count("-n", n)
        check_seed(seed)
        scenarios = same_seed([load_scenario(p) for p in paths], seed)
        seed = scenarios[0].seed
        out = out if out is not None else Path("results") / f"claims-{datetime.now():%Y%m%d-%H%M%S}"
        prepare_comparison_out(out, overwrite)  # a new or empty directory, or --overwrite
        dirs = run_paired(scenarios, out, n=n, jobs=jobs, progress=not json_out, files=paths)
    else:
        from sim.store import read_manifest

        seed = (
            int(read_manifest(next(iter(dirs.values()))).get("seed", 0)) if seed is None else seed
        )
        if out is None:  # beside a comparison's runs; single stored runs are left as they are
            out = paths[0] if len(paths) == 1 and (paths[0] / COMPARISON_FILE).is_file() else None
        elif out.exists() and not out.is_dir():
            raise InputError.one(str(out), "--out", str(out), "a directory, but this is a file")
    result = measure_claims(runs_from_dirs(dirs), seed=seed)
    data = claims_json(result)
    text = json.dumps(data, indent=2, allow_nan=False, ensure_ascii=False)
    if out is not None:
        atomic_write_text(Path(out) / "claims.json", text + "\n")
    if json_out:
        typer.echo(text)
        return
    from rich.table import Table

    table = Table(
        title=f"The five claims ({', '.join(dirs)}; seed {seed})",
        box=None,
        title_justify="left",
        show_lines=True,
    )
    for col in ("#", "claim (the article's words)", "verdict", "key figure (95% CI)", "why"):
        table.add_column(col, overflow="fold")
    for c in data["claims"]:
        table.add_row(str(c["number"]), c["claim"], c["verdict"], format_key(c), c["summary"])
    console = Console()
    console = Console(width=max(console.width, 140))  # five long sentences: give them room
    console.print(table)
    if out is not None:
        console.print(f"stored in {out} (claims.json)")
