"""The ``runesim`` command line: a thin client of the library (one module per command)."""

from __future__ import annotations

import os
import sys

import typer

from sim.errors import InputError, RunError, shorten

__all__ = ["app", "main"]

app = typer.Typer(
    name="runesim",
    help="Monte Carlo simulator of ELDEN RING playthroughs: where runes come from, how fast routes "
    "level.",
    no_args_is_help=True,
    add_completion=True,  # --install-completion, --show-completion
    pretty_exceptions_enable=False,
    # plain help: rich's help formatter imports a Markdown parser and pygments (~0.2 s)
    rich_markup_mode=None,
)


def _register() -> None:
    from sim.cli import (
        claims_cmd,
        compare_cmd,
        data_cmd,
        optimize_cmd,
        rank_cmd,
        report_cmd,
        run_cmd,
        sensitivity_cmd,
        sweep_cmd,
        trace_cmd,
        validate_cmd,
        version_opt,
    )

    app.command("run")(run_cmd.run)
    app.command("compare")(compare_cmd.compare)
    app.command("sweep")(sweep_cmd.sweep)
    app.command("report")(report_cmd.report)
    app.command("validate")(validate_cmd.validate)
    app.command("trace")(trace_cmd.trace)
    app.command("data")(data_cmd.data)
    app.command("rank")(rank_cmd.rank)
    app.command("sensitivity")(sensitivity_cmd.sensitivity)
    app.command("claims")(claims_cmd.claims)
    app.command("optimize")(optimize_cmd.optimize)
    app.callback()(version_opt.root)


_register()


def main() -> None:
    """Entry point: bad input is one clear message and exit code 2, never a traceback."""
    # runesim uses no pydantic plugin: looking for them reads every installed package's
    # entry points (~0.1 s of start-up); an explicit setting in the environment wins
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        app()
    except InputError as e:
        _error(f"error: {e.message}")
        sys.exit(2)
    except RunError as e:
        _error(f"error: {e.message}")
        sys.exit(e.exit_code)
    except OSError as e:  # the machine said no (permissions, a full disk): one line, no traceback
        where = f"{shorten(str(e.filename))}: " if e.filename else ""
        _error(f"error: {where}{e.strerror or e}")
        sys.exit(2)
    except KeyboardInterrupt:
        _error("stopped: every finished chunk is kept; finish it with --resume")
        sys.exit(130)


def _error(text: str) -> None:
    """One message on stderr, as written (no markup, no wrapping)."""
    typer.echo(text, err=True)
