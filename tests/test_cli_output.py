"""Commands that behave: --version, trace on a comparison, data tables that fit, labelled
verdicts."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from sim.cli.app import cli_app
from tests.frames import compare_in_process, compare_table_line


def test_version_prints_the_package_version():
    """`runesim --version` prints 'runesim X.Y.Z' and exits 0."""
    import sim

    r = CliRunner().invoke(cli_app(), ["--version"])
    assert r.exit_code == 0 and r.stdout.strip() == f"runesim {sim.__version__}"


@pytest.mark.parametrize("width", [80, 120, 160])
@pytest.mark.parametrize("table", ["farms", "bosses", "rules", "zones"])
def test_data_tables_fit_the_terminal(table, width, capsys):
    """`data TABLE` fits 80–160 columns: no line wider than the terminal, one line per row."""
    from sim.cli import data_cmd
    from sim.world.tables import data_rows

    rows = data_rows(data_cmd._world(), table, None)
    from sim.cli.fit_table import print_fitted

    print_fitted(table, rows, data_cmd._cell, hidden=("notes",), width=width)
    out = capsys.readouterr().out.splitlines()
    assert max(len(line.rstrip()) for line in out) <= width
    body = [ln for ln in out if ln and not ln.startswith((table, "not shown", " "))]
    assert len(body) >= len(rows)  # header line + one line per row (no wrapped cells)


def test_data_full_shows_whole_sources(capsys):
    """--full keeps every column and the whole source text."""
    from sim.cli import data_cmd
    from sim.cli.fit_table import print_fitted
    from sim.world.tables import data_rows

    rows = data_rows(data_cmd._world(), "farms", None)
    print_fitted("farms", rows, data_cmd._cell, full=True, width=400)
    out = capsys.readouterr().out
    assert "published_high" in out and "…" not in out


def test_several_alternatives_each_verdict_names_its_run():
    """With several runs against a baseline (a sweep) every verdict names the value it is about."""

    diff = lambda b, v: {"of": [b, "v-1"], "verdict": v, "difference_of_medians": None}  # noqa: E731
    data = {
        "strategies": ["v-1", "v-2", "v-3"],
        "pairs": 4,
        "seed": 1,
        "metrics": {
            "deaths": {
                "v-1": {"median": 3.0},
                "v-2": {"median": 3.0},
                "v-3": {"median": 9.0},
                "diff": diff("v-2", "no clear difference (x)"),
                "diffs": [
                    diff("v-2", "no clear difference (x)"),
                    diff("v-3", "v-3 higher by 6 deaths (y)"),
                ],
            }
        },
    }
    line = compare_table_line(data, "deaths", width=200)
    assert "v-2: no clear difference" in line and "v-3 higher by 6 deaths" in line


@pytest.mark.slow
def test_trace_quantile_accepts_a_comparison_directory(tmp_path):
    """`trace --quantile Q --run CMP --strategy NAME` picks from that strategy's run and replays it;
    a wrong name is exit 2 naming the choices."""
    from sim import api

    files = [str(api.scenario_path(s)) for s in ("natural", "rush_mohgwyn")]
    out = tmp_path / "cmp"
    r = compare_in_process(out, "--set", "horizon_hours=8", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads((out / "comparison.json").read_text())
    r = CliRunner().invoke(
        cli_app(), ["trace", files[0], "-q", "0.5", "--run", str(out), "--strategy", "rush_mohgwyn"]
    )
    assert r.exit_code == 0, r.output
    first = r.stdout.splitlines()[0]
    assert first.startswith("rush_mohgwyn (rush_mohgwyn), replication ")
    assert f"seed {data['seed']}" in first
    bad = CliRunner().invoke(
        cli_app(), ["trace", files[0], "-q", "0.5", "--run", str(out), "--strategy", "rush"]
    )
    assert bad.exit_code != 0
    assert re.search(r"natural, rush_mohgwyn", str(bad.exception) + bad.output)
