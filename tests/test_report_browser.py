"""The report in a real browser: headless Chromium at 1,280 px wide.

Skipped when Chromium is not installed (CI installs it from the system packages
when it can). The page measures itself: nothing wider than the window, every
image loaded and at least 900 px wide, the headline on screen before any scrolling.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest

from sim.report import write_report
from tests.browser import CHROMIUM, check_page, screenshot
from tests.frames import synthetic_compare

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium"),
]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("browser")
    res = synthetic_compare(out / "cmp", n=30, seed=3)
    return write_report(res, out / "cmp" / "report.html")


@pytest.fixture(scope="module")
def page(report):
    return check_page(report, width=1280, height=800)


def test_page_is_laid_out_at_1280_px(page):
    """Chromium opened the page at 1,280 px."""
    assert page["width"] == 1280


def test_nothing_overflows_horizontally_at_1280_px(page):
    """No element sticks out to the right and no table is wider than the page."""
    assert page["docScrollWidth"] <= page["width"]
    assert page["overflowing"] == []


def test_every_image_loads_and_is_at_least_900_px_wide(page):
    """Every plot decodes (natural width > 0) and is drawn at least 900 px wide."""
    assert len(page["images"]) >= 5
    for im in page["images"]:
        assert im["complete"] and im["naturalWidth"] >= 900, im
        assert im["shownWidth"] >= 900, im


def test_headline_is_visible_without_scrolling(page):
    """The headline is on screen in the first 800 px, and it is the comparison's answer."""
    h = page["headline"]
    assert h and h["visible"] and h["top"] >= 0 and h["bottom"] <= page["height"]
    assert re.match(
        r"For the same player, (if they keep playing, )?rush_mohgwyn reaches level 80", h["text"]
    )


def test_screenshot_is_saved(report):
    """A screenshot of the top of the report is written (to a temporary path)."""
    png = Path(tempfile.mkdtemp(prefix="runesim-shot-")) / "report.png"
    screenshot(report, png, width=1280, height=900)
    assert png.stat().st_size > 10_000
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
