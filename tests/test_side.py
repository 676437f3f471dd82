"""A comparison's claims and sources section drawn in a second process: the same results."""

from __future__ import annotations

import json
import re

import pytest

from sim.experiments.comparison import analyse
from sim.experiments.side import side_pool, side_process
from sim.report import render_report
from tests.frames import synthetic_compare


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    out = tmp_path_factory.mktemp("side")
    return synthetic_compare(out / "cmp", n=30, seed=5).run_dirs


def _page(html: str) -> str:
    return re.sub(r"Generated [^<]* by runesim", "", html)


def test_a_second_process_gives_the_same_comparison_and_report(runs):
    """analyse and render_report with a worker process: the JSON and the page are the same."""
    alone = analyse(runs, seed=5)
    pool = side_pool()
    try:
        aside = analyse(runs, seed=5, pool=pool)
        page = render_report(aside, pool=pool)
    finally:
        pool.shutdown()
    assert json.dumps(aside.data, indent=2) == json.dumps(alone.data, indent=2)
    assert repr(aside.claims) == repr(alone.claims)  # NaN figures: equal as written
    assert _page(page) == _page(render_report(alone))
    assert "id='sources'" in page


def test_no_second_process_when_not_wanted():
    """side_process(False) gives no pool: everything runs in this process."""
    with side_process(False) as pool:
        assert pool is None
