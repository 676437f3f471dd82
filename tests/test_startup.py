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


def _probe(code: str, args: list[str], modules: list[str], tag: str) -> object:
    """Run ``code`` in a fresh interpreter with ``args`` and ``modules`` as JSON arguments;
    the JSON it writes to stderr after ``TAG=``."""
    done = subprocess.run(
        [sys.executable, "-c", code, json.dumps(args), json.dumps(modules)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    line = [row for row in done.stderr.splitlines() if row.startswith(f"{tag}=")]
    assert line, done.stderr
    return json.loads(line[-1][len(tag) + 1 :])


def _heavy_after(args: list[str]) -> list[str]:
    """The heavy modules loaded after running ``runesim ARGS`` in a fresh interpreter."""
    heavy = _probe(PROBE, args, list(HEAVY), "HEAVY")
    assert isinstance(heavy, list)
    return heavy


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


MODULE_PROBE = """
import json, runpy, sys
args, heavy = json.loads(sys.argv[1]), json.loads(sys.argv[2])
sys.argv = ["runesim", *args]
try:
    runpy.run_module("sim", run_name="__main__", alter_sys=True)
except SystemExit:
    pass
loaded = [m for m in heavy if m in sys.modules]
commands = sorted(m for m in sys.modules if m.startswith("sim.cli.") and m.endswith("_cmd"))
spare = [m for m in ("sim.route_steps", "typer") if m in sys.modules]
sys.stderr.write(
    "LOADED=" + json.dumps({"heavy": loaded, "commands": commands, "spare": spare}) + "\\n"
)
"""


def _loaded_by_module_run(args: list[str]) -> dict[str, list[str]]:
    """``python -m sim ARGS`` (as the speed benchmark runs it): the heavy modules and the
    command modules it loaded."""
    loaded = _probe(MODULE_PROBE, args, [*HEAVY, "rich"], "LOADED")
    assert isinstance(loaded, dict)
    return loaded


def test_python_m_sim_help_and_validate_import_nothing_heavy():
    """`python -m sim --help` and `python -m sim validate` load no numerical, table,
    plotting, cluster or rich-text library; validate (plain arguments) loads no command's
    module, not typer, nor the route step kinds (natural has no custom route); with another
    option typer reads it, and only validate's command module is loaded."""
    assert _loaded_by_module_run(["--help"])["heavy"] == []
    validate = _loaded_by_module_run(["validate", "scenarios/natural.toml"])
    assert validate == {"heavy": [], "commands": [], "spare": []}
    typed = _loaded_by_module_run(["validate", "scenarios/natural.toml", "--", "-"])
    assert typed == {"heavy": [], "commands": ["sim.cli.validate_cmd"], "spare": ["typer"]}


def test_main_builds_only_the_command_asked_for():
    """One command is built for `runesim CMD ...`; the whole command line for the rest."""
    from sim.cli.app import COMMANDS, _asked_for

    assert _asked_for(["validate", "a.toml", "--set", "seed=1"]) == ["validate"]
    assert _asked_for(["--version"]) is None
    assert _asked_for(["--help"]) is None
    assert _asked_for([]) is None
    assert _asked_for(["valdate", "a.toml"]) is None  # the whole app names the commands
    assert set(COMMANDS) == {
        "run",
        "compare",
        "sweep",
        "report",
        "validate",
        "trace",
        "data",
        "rank",
        "sensitivity",
        "claims",
        "optimize",
    }
    modules = {p.stem for p in (ROOT / "sim" / "cli").glob("*_cmd.py")}
    assert {module for module, _ in COMMANDS.values()} == modules  # each command is named
