"""report.html: one self-contained file with embedded images and no network resource."""

from __future__ import annotations

import re

import pytest

from sim.analysis.compare import compare
from sim.batch import Engine
from sim.report import write_report
from sim.scenario.schema import Scenario

SYNTHETIC = Engine("tests.frames:replicate", "tests.frames:load_world")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("rep")
    sc = [
        Scenario(name=s, strategy=s, horizon_hours=60, chunk_size=10)
        for s in ("natural", "rush_mohgwyn")
    ]
    res = compare(sc, out / "cmp", n=8, seed=3, jobs=1, engine=SYNTHETIC)
    return write_report(res, out / "cmp" / "report.html")


def test_report_exists(report):
    """write_report writes report.html where asked."""
    assert report.is_file() and report.name == "report.html"


def test_report_embeds_its_images(report):
    """Every image is an embedded base64 PNG."""
    text = report.read_text()
    srcs = re.findall(r'<img[^>]*src="([^"]*)"', text)
    assert srcs and all(s.startswith("data:image/png;base64,") for s in srcs)


def test_report_references_no_network_resource(report):
    """The report refers to no http(s) resource: no external CSS, scripts or images."""
    assert not re.search(r"https?://", report.read_text())


def test_report_explains_intervals_and_claims(report):
    """The report states what an interval means and lists the five claims."""
    text = report.read_text()
    assert "with 95% confidence" in text
    assert "The five claims" in text and "Regions with active PvP" in text


def test_report_of_a_run_directory_and_of_a_comparison_directory(report, tmp_path):
    """A report can be made from a stored run directory or a comparison directory."""
    cmp_dir = report.parent
    assert write_report(cmp_dir / "natural", tmp_path / "one.html").stat().st_size > 0
    assert write_report(cmp_dir, tmp_path / "two.html").stat().st_size > 0
