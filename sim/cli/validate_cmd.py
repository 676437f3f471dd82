"""``runesim validate FILE…``: check scenarios (and route-search specs) against the schema and
the world, run nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sim.cli.validate_files import check_files

__all__ = ["validate"]


def validate(
    files: Annotated[
        list[Path], typer.Argument(help="Scenario files or route-search specs (TOML).")
    ],
    set: Annotated[  # named for the --set option
        list[str] | None,
        typer.Option("--set", help="Override a value: key.path=value (repeatable)."),
    ] = None,
) -> None:
    """Check scenario files without running them; exit 2 if any is bad.

    A route-search spec (``runesim optimize``) is checked as optimize checks it before
    searching: its keys, its base scenario, its metrics and a feasible route in its space.
    """
    if check_files(files, set or (), typer.echo):
        raise typer.Exit(2)
