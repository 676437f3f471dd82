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


def test_compare_with_a_second_process_writes_the_same_comparison(tmp_path):
    """compare() with a worker (which reads each run made while the next is made): the same
    comparison.json, byte for byte."""
    from sim.batch.worker import Engine
    from sim.experiments.compare import compare
    from sim.scenario.schema import Scenario

    scenarios = [
        Scenario(name=s, strategy=s, horizon_hours=60, chunk_size=10)
        for s in ("natural", "rush_mohgwyn")
    ]
    engine = Engine("tests.frames:replicate", "tests.frames:load_world")
    compare(scenarios, tmp_path / "a", n=20, seed=4, jobs=1, engine=engine)
    with side_process() as pool:
        compare(scenarios, tmp_path / "b", n=20, seed=4, jobs=1, engine=engine, pool=pool)
    a, b = (tmp_path / d / "comparison.json" for d in "ab")
    assert a.read_bytes() == b.read_bytes()


def test_the_worker_keeps_what_it_read_of_a_run_for_the_comparison(runs):
    """Tables read of the first run are kept when the comparison of both runs asks for them."""
    from sim.experiments import comparison

    first = dict(list(runs.items())[:1])
    comparison.read_in_worker(first)
    income = comparison.worker_result(first).run_table("natural", "income")
    both = comparison.worker_result(runs)
    assert both.run_table("natural", "income") is income
    assert ("rush_mohgwyn", "income") not in both._frames
    comparison._WORKER = None


def test_a_run_is_announced_whole_before_its_summary(tmp_path):
    """run_batch(on_complete=): called once, with the run's directory, its manifest written and
    its summary not yet made."""
    from sim.batch.runner import run_batch
    from sim.batch.worker import Engine
    from sim.scenario.schema import Scenario

    seen = []

    def watch(run_dir):
        stored = (run_dir / "manifest.json").exists(), (run_dir / "summary.json").exists()
        seen.append((run_dir.name, *stored))

    scenario = Scenario(name="natural", strategy="natural", horizon_hours=60, chunk_size=10)
    engine = Engine("tests.frames:replicate", "tests.frames:load_world")
    out = tmp_path / "natural"
    run_batch(scenario, out, n=10, jobs=1, progress=False, engine=engine, on_complete=watch)
    assert seen == [("natural", True, False)]
    assert (out / "summary.json").exists()


def test_the_worker_has_this_process_s_numeric_threads(monkeypatch):
    """The worker's numeric libraries get the threads this process's got (their sums can
    differ in the last digit with another number of threads)."""
    import os

    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    with side_process() as pool:
        assert pool is not None
        assert pool.submit(os.getenv, "OPENBLAS_NUM_THREADS").result() is None


def test_late_modules_are_imported_in_a_thread():
    """import_late_modules: the plotting module is imported by a thread of this process."""
    import subprocess
    import sys

    # in a fresh interpreter: here another test may have imported them already
    code = (
        "import sys\n"
        "from sim.experiments.side import import_late_modules\n"
        "before = 'sim.plots' in sys.modules or 'lifelines' in sys.modules\n"
        "import_late_modules().join()\n"
        "print(before, 'sim.plots' in sys.modules and 'lifelines' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True"]
