"""``runesim validate FILE…``: check scenarios (and route-search specs) against the schema and
the world, run nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sim.errors import InputError

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
    from sim.experiments.spec_file import looks_like_spec
    from sim.scenario.load import load_scenario
    from sim.world.load import load_world

    world = load_world()
    bad = 0
    for f in files:
        try:
            if looks_like_spec(f):  # a route search (runesim optimize): checked as one
                if set:
                    raise InputError.one(str(f), "--set", set[0], "a scenario file to override")
                from sim.experiments.space import check_spec_file

                typer.echo(check_spec_file(f, world))
                continue
            s = load_scenario(f, set or (), world=world)
        except InputError as e:
            bad += 1
            typer.echo(f"error: {e.message}", err=True)
            continue
        typer.echo(
            f"ok: {f} (strategy {s.strategy}, {s.replications} replications, "
            f"{s.horizon_hours:g} h horizon, seed {s.seed})"
        )
    if bad:
        raise typer.Exit(2)
