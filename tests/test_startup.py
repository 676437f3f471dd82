"""Start-up: the command line imports nothing heavy before a command needs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = (
    "numpy",
    "pandas",
    "scipy",
    "matplotlib",
    "dask",
    "distributed",
    "pyarrow",
    "simpy",
    "SALib",
)

PROBE = """
import json, sys
args, heavy = json.loads(sys.argv[1]), json.loads(sys.argv[2])
sys.argv = ["runesim", *args]
from sim.cli.app import main
try:
    main()
except SystemExit:
    pass
sys.stderr.write("HEAVY=" + json.dumps(sorted(m for m in heavy if m in sys.modules)) + "\\n")
"""


def _heavy_after(args: list[str]) -> list[str]:
    """The heavy modules loaded after running ``runesim ARGS`` in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args), json.dumps(HEAVY)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    line = [row for row in done.stderr.splitlines() if row.startswith("HEAVY=")]
    assert line, done.stderr
    return json.loads(line[-1][len("HEAVY=") :])


def test_help_imports_nothing_heavy():
    """`runesim --help` loads no numerical, table, plotting or cluster library."""
    assert _heavy_after(["--help"]) == []


def test_validate_imports_nothing_heavy():
    """`runesim validate` checks a scenario against the world without numpy, pandas or SimPy."""
    assert _heavy_after(["validate", "scenarios/natural.toml"]) == []


def test_subcommand_help_imports_nothing_heavy():
    """The help of the experiment commands does not import their numerical libraries."""
    for command in ("compare", "rank", "optimize", "sensitivity", "claims"):
        assert _heavy_after([command, "--help"]) == [], command
