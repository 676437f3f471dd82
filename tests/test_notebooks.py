"""The notebooks run top to bottom on the small parameters they ship with."""

from __future__ import annotations

from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


@pytest.mark.slow
@pytest.mark.notebooks
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes(path, tmp_path):
    """The notebook executes without an error (outputs are not written back)."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    assert any(c.get("outputs") for c in nb.cells if c.cell_type == "code")


def test_notebooks_are_stored_without_outputs():
    """The notebooks exist and are stored without outputs."""
    import json

    assert {"01", "02", "03", "04", "05"} <= {p.stem[:2] for p in NOTEBOOKS}
    for p in NOTEBOOKS:
        cells = json.loads(p.read_text())["cells"]
        assert all(not c.get("outputs") for c in cells if c["cell_type"] == "code")
