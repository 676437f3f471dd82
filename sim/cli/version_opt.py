"""``runesim --version``: the installed version, then exit."""

from typing import Annotated

import typer

__all__ = ["root"]


def _print_version(value: bool) -> None:
    if value:
        import sim

        typer.echo(f"runesim {sim.__version__}")
        raise typer.Exit()


def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    # options that belong to runesim itself, before any command
    return None
