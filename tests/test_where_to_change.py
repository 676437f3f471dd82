"""The "where to change what" table of docs/architecture.md names files and names that exist."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROWS = (
    "death risk against the level gap",
    "a new farming spot",
    "a new route step kind",
    "a new strategy",
    "a new table column",
    "a new claim",
)


def _table() -> dict[str, str]:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    m = re.search(r"^## Where to change what\n(.*?)(?=^## )", text, re.S | re.M)
    assert m, "docs/architecture.md has no 'Where to change what' section"
    rows = re.findall(r"^\| ([^|]+?) \| (.+) \|$", m.group(1), re.M)
    return {change: where for change, where in rows if change not in ("to change", "---")}


def test_the_table_has_one_row_per_change():
    assert tuple(_table()) == ROWS


def test_every_file_it_names_exists():
    for change, where in _table().items():
        paths = re.findall(r"`((?:sim|scenarios|docs|tests)/[^`\s]+)`", where)
        assert paths, change
        for path in paths:
            assert list(ROOT.glob(path)), f"{change}: {path} does not exist"


def test_every_name_it_gives_a_module_for_exists():
    """A `name` or `Class.attr` in brackets right after a module's path is in that module."""
    for change, where in _table().items():
        for path, names in re.findall(r"`(sim/[\w/]+\.py)` \(([^)]*)\)", where):
            dotted = path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
            module = importlib.import_module(dotted)
            for name in re.findall(r"`([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)`", names):
                obj = module
                for part in name.split("."):
                    fields = getattr(obj, "model_fields", {})  # a pydantic model's fields
                    assert hasattr(obj, part) or part in fields, f"{change}: {path} has no {name}"
                    obj = getattr(obj, part, None)
