"""report.html: one self-contained file with embedded images and no network resource."""

from __future__ import annotations

import re

import pytest

from sim.report import write_report
from tests.frames import synthetic_compare


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("rep")
    res = synthetic_compare(out / "cmp", n=8, seed=3)
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


def test_report_opens_on_the_headline(report):
    """The first thing after the title is the summary box with the comparison's headline."""
    import json

    text = report.read_text()
    headline = json.loads((report.parent / "comparison.json").read_text())["headline"]
    body = text[text.index("<body>") :]
    assert body.index("class='summary'") < body.index("<h2")
    assert html_escape(headline) in body[: body.index("<h2")]


def html_escape(s: str) -> str:
    import html

    return html.escape(s)


def test_report_has_a_table_of_contents_linking_every_section(report):
    """Every section heading has an anchor and a link in the table of contents."""
    text = report.read_text()
    anchors = re.findall(r"<h2 id='([^']+)'>", text)
    assert {"distribution", "for-whom", "metrics", "sources", "provenance"} <= set(anchors)
    for a in anchors:
        assert f"href='#{a}'" in text


def test_invasion_section_only_when_invasions_happened(report):
    """The synthetic runs have invasions: the invasion table is there; without any it is not."""
    from sim.experiments.comparison import load_comparison
    from sim.report_sections import sources_section

    res = load_comparison(report.parent)
    assert "Invasion-prone zones" in sources_section(res)
    act = res.activity.assign(invasions=0)
    res.__dict__["activity"] = act
    assert "Invasion-prone zones" not in sources_section(res)


def test_report_numbers_are_formatted(report):
    """Rune figures carry thousands separators: no bare run of seven digits in a table cell."""
    text = report.read_text()
    cells = re.findall(r"<td>([^<]*)</td>", text)
    assert cells and not [c for c in cells if re.fullmatch(r"-?\d{5,}(\.\d+)?", c.strip())]


def test_single_run_report_does_not_speak_of_pairs(report, tmp_path):
    """A report of one run says nothing about paired differences."""
    path = write_report(report.parent / "natural", tmp_path / "one.html")
    text = path.read_text()
    assert "paired" not in text.lower()
    assert "The typical natural player reaches level 80" in text
