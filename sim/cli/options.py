"""Options several commands take alike, as types: one spelling and one help text each."""

from typing import Annotated

import typer

__all__ = ["Jobs", "Scheduler"]

Jobs = Annotated[int | None, typer.Option("--jobs", "-j", help="Worker processes.")]
"""``--jobs/-j``: worker processes."""

Scheduler = Annotated[
    str | None, typer.Option("--scheduler", help='Run on Dask: "local" or tcp://host:port.')
]
"""``--scheduler``: run on Dask, a loopback cluster or a scheduler's address."""
