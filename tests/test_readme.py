"""The README cannot go stale: its generated blocks match the code and a real comparison.json."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

from tests.frames import synthetic_compare

ROOT = Path(__file__).resolve().parent.parent


def _script():
    spec = importlib.util.spec_from_file_location(
        "readme_figures", ROOT / "docs" / "readme_figures.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _block(name: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(rf"<!-- generated:{name} -->\n(.*?)\n<!-- /generated:{name} -->", text, re.S)
    assert m, f"README.md has no generated {name} block"
    return m.group(1)


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    out = tmp_path_factory.mktemp("readme")
    synthetic_compare(out, n=10, seed=1)
    return json.loads((out / "comparison.json").read_text())


def _paths(obj, prefix=()):
    """Every key path in a JSON document (list items are not descended into)."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == "…":
                continue
            yield (*prefix, k)
            yield from _paths(v, (*prefix, k))


def test_readme_json_keys_are_in_a_real_comparison_json(real):
    """Every key of the README's comparison.json example exists at the same place in a real one."""
    block = _block("comparison")
    example = json.loads(block.removeprefix("```json\n").removesuffix("\n```"))
    # keys present only in some cases: a milestone fewer than half reached, censored pairs
    optional = {"note", "censored_pairs"}
    missing = [p for p in _paths(example) if p[-1] not in optional and not _has(real, p)]
    assert not missing


def test_readme_lists_the_documented_top_level_keys(real):
    """The README example shows the real document's main keys, headline first."""
    example = json.loads(_block("comparison").removeprefix("```json\n").removesuffix("\n```"))
    assert list(example)[0] == "headline"
    assert {"headline", "strategies", "pairs", "metrics"} <= set(real) & set(example)


def _has(doc, path) -> bool:
    for k in path:
        if not isinstance(doc, dict) or k not in doc:
            return False
        doc = doc[k]
    return True


def test_readme_command_table_is_generated_from_the_commands():
    """The README's command table is exactly what docs/readme_figures.py makes from the CLI."""
    assert _block("commands") == _script().command_table()


def test_readme_command_table_lists_every_command():
    """Every registered command, and --version, appears in the README's table."""
    import typer

    from sim.cli.app import cli_app

    table = _block("commands")
    for name in typer.main.get_command(cli_app()).commands:
        assert f"`runesim {name} " in table or f"`runesim {name}`" in table, name
    assert "runesim --version" in table
