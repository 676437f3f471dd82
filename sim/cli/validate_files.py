"""``runesim validate``'s work without the command-line library: check each file and print
one line for it; and ``runesim validate FILE... [--set K=V]...`` read and run without typer
when its arguments are that plain (typer and its parameter types cost a tenth of the
command's start-up). Anything else (``--help``, another option, no file) is left to typer,
which gives its own messages."""

from __future__ import annotations

import errno
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from sim.errors import InputError

__all__ = ["check_files", "echo", "plain_arguments", "run_plain"]

Echo = Callable[..., None]  # echo(text, err=False): one line on stdout (stderr)

_ANSI = re.compile(r"\033\[[;?0-9]*[a-zA-Z]")  # as the command-line library strips them


def echo(text: str, err: bool = False) -> None:
    """One line on stdout (stderr), terminal colour codes removed when it is not a terminal,
    flushed: as ``typer.echo`` writes a line of text."""
    stream = sys.stderr if err else sys.stdout
    if stream is None:
        return
    out = text + "\n"
    if not _isatty(stream):
        out = _ANSI.sub("", out)
    stream.write(out)
    stream.flush()


def _isatty(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 (a stream without a terminal behind it)
        return False


def check_files(files: Sequence[Path], overrides: Sequence[str], say: Echo) -> int:
    """Check each scenario file (or route-search spec) and print one line for it; return
    how many are bad. A spec is checked as ``runesim optimize`` checks it before searching."""
    from sim.experiments.spec_file import looks_like_spec
    from sim.scenario.load import load_scenario
    from sim.world.load import load_world

    world = load_world()
    bad = 0
    for f in files:
        try:
            if looks_like_spec(f):  # a route search (runesim optimize): checked as one
                if overrides:
                    raise InputError.one(
                        str(f), "--set", overrides[0], "a scenario file to override"
                    )
                from sim.experiments.space import check_spec_file

                say(check_spec_file(f, world))
                continue
            s = load_scenario(f, overrides, world=world)
        except InputError as e:
            bad += 1
            say(f"error: {e.message}", err=True)
            continue
        say(
            f"ok: {f} (strategy {s.strategy}, {s.replications} replications, "
            f"{s.horizon_hours:g} h horizon, seed {s.seed})"
        )
    return bad


def plain_arguments(args: Sequence[str]) -> tuple[list[Path], list[str]] | None:
    """The files and ``--set`` values of ``validate``'s arguments (after the word validate)
    when they are plain: files that do not start with '-' and, if they exist, can be read;
    ``--set VALUE`` or ``--set=VALUE``. None for anything else: typer reads those."""
    files: list[Path] = []
    overrides: list[str] = []
    rest = iter(args)
    for arg in rest:
        if arg == "--set":
            value = next(rest, None)
            if value is None or value.startswith("-"):
                return None
            overrides.append(value)
        elif arg.startswith("--set="):
            overrides.append(arg.removeprefix("--set="))
        elif not arg or arg.startswith("-") or not _readable_if_there(arg):
            return None
        else:
            files.append(Path(arg))
    return (files, overrides) if files else None


def _readable_if_there(path: str) -> bool:
    """A path typer's path type lets through unremarked: absent, or there and readable (a
    path the system refuses to look up, such as one with a NUL byte, is left to typer)."""
    try:
        os.stat(path)
    except OSError:
        return True
    except ValueError:
        return False
    return os.access(path, os.R_OK)


def run_plain(files: Sequence[Path], overrides: Sequence[str]) -> None:
    """Run ``runesim validate`` on plain arguments and exit as the command line would: 0, or 2
    if any file is bad; 130 when interrupted; 1 when the output is closed early."""
    try:
        bad = check_files(files, overrides, echo)
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    except OSError as e:
        if e.errno != errno.EPIPE:
            raise
        from typer._click.utils import PacifyFlushWrapper

        sys.stdout = PacifyFlushWrapper(sys.stdout)
        sys.stderr = PacifyFlushWrapper(sys.stderr)
        raise SystemExit(1) from None
    raise SystemExit(2 if bad else 0)
