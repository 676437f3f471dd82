"""Run the ``runesim`` command line in this process, as ``main()`` would (exit code, stdout,
stderr)."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
NATURAL = SCENARIOS / "natural.toml"
# a short run: two hours of play, one chunk per replication
TINY = ("-n", "2", "--set", "horizon_hours=2", "--set", "chunk_size=1", "--no-progress", "-j", "1")


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def cli(capsys: pytest.CaptureFixture[str], *args: object) -> Result:
    """``runesim ARGS`` through ``sim.cli.app.main`` in this process."""
    from sim.cli.app import main

    capsys.readouterr()
    argv = sys.argv
    sys.argv = ["runesim", *map(str, args)]
    code = 0
    try:
        main()
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    finally:
        sys.argv = argv
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


def assert_refused(r: Result, *needles: str) -> None:
    """Exit 2, one clear message, no traceback."""
    assert r.code == 2, (r.code, r.out, r.err)
    assert "Traceback" not in r.text
    for needle in needles:
        assert needle in r.err, (needle, r.err)
