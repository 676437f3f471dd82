"""``runesim validate`` with plain arguments runs without typer: the same lines, on the same
streams, with the same exit code as the command typer builds."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from sim.cli.validate_files import plain_arguments

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"


def _outcome(capsys: pytest.CaptureFixture[str], run: object) -> tuple[object, str, str]:
    capsys.readouterr()
    code: object = None
    try:
        run()  # type: ignore[operator]
    except SystemExit as e:
        code = e.code
    out, err = capsys.readouterr()
    return code, out, err


def _both(capsys: pytest.CaptureFixture[str], args: list[str]) -> tuple[tuple, tuple]:
    """(main() with these arguments, the typer-built validate command with them)."""
    from sim.cli.app import build_app, main

    argv = sys.argv
    sys.argv = ["runesim", "validate", *args]
    try:
        plain = _outcome(capsys, main)
        typed = _outcome(capsys, lambda: build_app(["validate"])(["validate", *args]))
    finally:
        sys.argv = argv
    return plain, typed


def _bad(tmp_path: Path) -> Path:
    f = tmp_path / "bad.toml"
    f.write_text(
        'name = "bad"\nseed = "x"\nreplicatons = 5\n[player]\nskill = {sd = true}\n'
        'start_class = "Vagabnd"\n',
        encoding="utf-8",
    )
    return f


@pytest.mark.parametrize(
    "args",
    [
        ["natural.toml"],
        ["natural.toml", "rush_mohgwyn.toml", "custom_route.toml"],
        ["natural.toml", "--set", "seed=3", "--set=player.skill.sd=2"],
        ["--set", "horizon_hours=1e9", "natural.toml", "--set", "record.levels=[1,1]"],
        ["natural.toml", "--set", "nope"],
        ["natural.toml", "--set="],
        ["optimize_level60_safe.toml"],
        ["optimize_level60_safe.toml", "--set", "seed=1"],
        ["missing.toml", "natural.toml"],
        ["BAD", "natural.toml", "--set", "seed=4"],
    ],
)
def test_plain_validate_matches_typer(capsys, tmp_path, args):
    """Each case: exit code, stdout and stderr as the typer-built command gives them."""
    bad = str(_bad(tmp_path))
    args = [bad if a == "BAD" else str(SCENARIOS / a) if a.endswith(".toml") else a for a in args]
    assert plain_arguments(args) is not None  # the case runs without typer
    plain, typed = _both(capsys, args)
    assert plain == typed
    assert plain[0] in (0, 2)


def test_other_arguments_are_left_to_typer():
    """Options other than --set, a missing --set value, a dash or an empty path, or no file at
    all: typer reads them (and gives its own messages)."""
    n = str(SCENARIOS / "natural.toml")
    for args in ([n, "--help"], [n, "--set"], [n, "--set", "-1"], [n, "--sett", "x"], ["-"]):
        assert plain_arguments(args) is None, args
    assert plain_arguments([""]) is None
    assert plain_arguments(["a\x00b.toml"]) is None
    assert plain_arguments(["--set", "seed=1"]) is None
    assert plain_arguments([n, "--", "x"]) is None
    assert plain_arguments([n, "--set", "a=1", "--set=b=2"]) == ([Path(n)], ["a=1", "b=2"])
