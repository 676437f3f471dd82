"""The ``runesim`` command line: a thin client of the library (one module per command).

``main()`` builds only the command it is asked for (every command for ``--help``, an
unknown word or shell completion): each command's module and its options cost start-up
time that ``runesim validate`` does not need; ``runesim validate`` with plain arguments
runs without typer at all (``sim.cli.validate_files``). ``cli_app()`` is the whole command
line.
"""

from __future__ import annotations

import functools
import os
import sys
from importlib import import_module
from typing import TYPE_CHECKING

from sim.errors import InputError, RunError, shorten

if TYPE_CHECKING:
    import typer

__all__ = ["cli_app", "main", "COMMANDS", "build_app"]

# command -> (module in sim.cli, function), in the order --help lists them
COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("run_cmd", "run"),
    "compare": ("compare_cmd", "compare"),
    "sweep": ("sweep_cmd", "sweep"),
    "report": ("report_cmd", "report"),
    "validate": ("validate_cmd", "validate"),
    "trace": ("trace_cmd", "trace"),
    "data": ("data_cmd", "data"),
    "rank": ("rank_cmd", "rank"),
    "sensitivity": ("sensitivity_cmd", "sensitivity"),
    "claims": ("claims_cmd", "claims"),
    "optimize": ("optimize_cmd", "optimize"),
}


def build_app(commands: list[str] | None = None) -> typer.Typer:
    """The command line with ``commands`` (default: all of them), plus runesim's own options."""
    import typer

    from sim.cli import version_opt

    built = typer.Typer(
        name="runesim",
        help="Monte Carlo simulator of ELDEN RING playthroughs: where runes come from, how fast "
        "routes level.",
        no_args_is_help=True,
        add_completion=True,  # --install-completion, --show-completion
        pretty_exceptions_enable=False,
        # plain help: rich's help formatter imports a Markdown parser and pygments (~0.2 s)
        rich_markup_mode=None,
    )
    for name in COMMANDS if commands is None else commands:
        module, function = COMMANDS[name]
        built.command(name)(getattr(import_module(f"sim.cli.{module}"), function))
    built.callback()(version_opt.root)
    return built


@functools.cache
def cli_app() -> typer.Typer:
    """The whole command line (every command), built once on first use."""
    return build_app()


def _asked_for(args: list[str]) -> list[str] | None:
    """The one command ``args`` run, or None when the whole command line is needed: no
    command (``--help``, ``--version``), a word that is no command (its error lists them),
    or shell completion."""
    if any(k.endswith("_COMPLETE") for k in os.environ if k.startswith("_")):
        return None
    for arg in args:
        if arg == "--":
            return None
        if not arg.startswith("-"):  # runesim's own options take no value
            return [arg] if arg in COMMANDS else None
    return None


def main() -> None:
    """Entry point: bad input is one clear message and exit code 2, never a traceback."""
    # runesim uses no pydantic plugin: looking for them reads every installed package's
    # entry points (~0.1 s of start-up); an explicit setting in the environment wins
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    args = sys.argv[1:]
    command = _asked_for(args)
    try:
        if command == ["validate"]:
            from sim.cli.validate_files import plain_arguments, run_plain

            plain = plain_arguments(args[1:])
            if plain is not None:
                run_plain(*plain)  # exits
        cli = build_app(command) if command is not None else cli_app()
        cli()
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
    import typer

    typer.echo(text, err=True)
