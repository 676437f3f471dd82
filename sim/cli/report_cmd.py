"""``runesim report DIR``: write the self-contained report.html of a stored run or comparison."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sim.errors import InputError

__all__ = ["report"]


def report(
    run_dir: Annotated[Path, typer.Argument(help="A stored run or a comparison directory.")],
) -> None:
    """Write DIR/report.html: tables, plots, the claims and what every interval means."""
    from sim.analysis.compare import COMPARISON_FILE
    from sim.report import write_report

    if not ((run_dir / COMPARISON_FILE).is_file() or (run_dir / "manifest.json").is_file()):
        raise InputError.one(
            str(run_dir),
            "run_dir",
            str(run_dir),
            "a stored run (manifest.json) or a comparison (comparison.json)",
        )
    path = write_report(run_dir, run_dir / "report.html")
    typer.echo(str(path))
