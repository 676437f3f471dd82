"""Output directories: a scenario name is a label, a new run needs a new or empty directory,
--overwrite replaces only runesim's own files, and one writer holds a run directory at a time."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from sim.errors import InputError
from sim.scenario.limits import safe_label
from sim.scenario.load import scenario_from_dict
from sim.store.lock import LOCK_FILE, RunLock
from tests.clihelp import NATURAL, TINY, assert_refused, cli


def scenario_file(tmp_path: Path, name: str, extra: str = "") -> Path:
    f = tmp_path / "s.toml"
    f.write_text(
        f"name = {json.dumps(name)}\nhorizon_hours = 2.0\nreplications = 2\n{extra}",
        encoding="utf-8",
    )
    return f


@pytest.mark.parametrize(
    "name",
    [
        "../../evil",
        "/tmp/abs",
        "a/b",
        "<script>alert(1)</script>",
        "a\x00b",
        "",
        ".hidden",
        "..",
        "x" * 65,
        "a b",
    ],
)
def test_a_name_that_is_not_a_label_is_refused(name):
    """Names with path separators, markup, NUL, spaces, a leading dot, or none at all are refused,
    and the message says what a name may hold."""
    with pytest.raises(InputError, match="letters, digits, '_', '.' or '-'") as err:
        scenario_from_dict({"name": name})
    assert err.value.problems[0].key_path == "name"


def test_a_climbing_name_writes_nothing(tmp_path, capsys, monkeypatch):
    """`run` with name = "../../evil" and no --out is exit 2 and creates no directory anywhere."""
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    f = scenario_file(work, "../../evil")
    before = sorted(tmp_path.rglob("*"))
    r = cli(capsys, "run", f, *TINY)
    assert_refused(r, "name = '../../evil'", "never a path")
    assert sorted(tmp_path.rglob("*")) == before


def test_a_file_stem_becomes_a_safe_default_name():
    """A scenario without a name takes its file's stem, made a label."""
    assert safe_label("my route (v2)") == "my_route_v2_"
    assert safe_label("..secret") == "secret"
    assert safe_label("") == "scenario"


def test_without_out_a_run_stays_under_results(tmp_path, capsys, monkeypatch):
    """The default output is results/<name>-<seed> under the working directory."""
    monkeypatch.chdir(tmp_path)
    r = cli(capsys, "run", scenario_file(tmp_path, "plain"), *TINY)
    assert r.code == 0, r.err
    assert (tmp_path / "results" / "plain-20220225" / "manifest.json").is_file()


def test_a_directory_of_user_files_is_refused_and_untouched(tmp_path, capsys):
    """--out at a directory holding other files (a hidden *.tmp too) is exit 2; nothing is written
    or deleted."""
    user = tmp_path / "mine"
    user.mkdir()
    (user / "notes.txt").write_text("mine")
    (user / ".draft.tmp").write_text("mine too")
    before = sorted(p.name for p in user.iterdir())
    r = cli(capsys, "run", NATURAL, "--out", user, *TINY)
    assert_refused(r, "runesim did not write", "notes.txt")
    assert sorted(p.name for p in user.iterdir()) == before


def test_out_at_root_is_refused(capsys):
    """--out / is refused before anything is written into it."""
    before = sorted(os.listdir("/"))
    assert_refused(cli(capsys, "run", NATURAL, "--out", "/", *TINY), "runesim did not write")
    assert sorted(os.listdir("/")) == before


def test_out_at_an_existing_file_is_refused(tmp_path, capsys):
    """--out naming a file is exit 2 saying it is a file."""
    f = tmp_path / "file"
    f.write_text("x")
    assert_refused(
        cli(capsys, "run", NATURAL, "--out", f, *TINY), "a directory, but this is a file"
    )
    assert f.read_text() == "x"


def test_an_empty_directory_is_accepted(tmp_path, capsys):
    """An existing empty directory takes a new run."""
    (tmp_path / "empty").mkdir()
    assert cli(capsys, "run", NATURAL, "--out", tmp_path / "empty", *TINY).code == 0


def test_overwrite_replaces_a_stored_run(tmp_path, capsys):
    """A stored run is refused without --overwrite; with it, the old parts are replaced by the new
    run's."""
    out = tmp_path / "run"
    assert cli(capsys, "run", NATURAL, "--out", out, *TINY, "-n", "3").code == 0
    assert_refused(cli(capsys, "run", NATURAL, "--out", out, *TINY, "-n", "2"), "--overwrite")
    assert (
        cli(
            capsys, "run", NATURAL, "--out", out, *TINY, "-n", "2", "--overwrite", "--seed", "5"
        ).code
        == 0
    )
    m = json.loads((out / "manifest.json").read_text())
    assert (m["replications"], m["seed"]) == (2, 5)
    assert sorted(p.name for p in (out / "replications.parquet").iterdir()) == [
        "part-00000.parquet",
        "part-00001.parquet",
    ]


def test_overwrite_never_deletes_a_file_runesim_did_not_write(tmp_path, capsys):
    """A stored run with a user's file in it is refused even with --overwrite; the file stays."""
    out = tmp_path / "run"
    assert cli(capsys, "run", NATURAL, "--out", out, *TINY, "-n", "1").code == 0
    (out / "notes.txt").write_text("mine")
    assert_refused(
        cli(capsys, "run", NATURAL, "--out", out, *TINY, "-n", "1", "--overwrite"), "notes.txt"
    )
    assert (out / "notes.txt").read_text() == "mine"
    assert (out / "manifest.json").is_file()


@pytest.mark.slow
def test_compare_needs_two_scenarios_and_a_new_directory(tmp_path, capsys):
    """compare with one scenario is exit 2; into a stored comparison it needs --overwrite, which
    replaces it."""
    assert_refused(cli(capsys, "compare", NATURAL, "-n", "1"), "two scenario files or more")
    out = tmp_path / "cmp"
    args = (
        "compare",
        NATURAL,
        NATURAL,
        "-n",
        "2",
        "-j",
        "1",
        "--set",
        "horizon_hours=2",
        "--out",
        out,
        "--json",
    )
    assert cli(capsys, *args).code == 0
    assert_refused(cli(capsys, *args), "--overwrite")
    (out / "natural" / "manifest.json").write_text("{}")  # replaced wholesale, damaged or not
    assert cli(capsys, *args, "--overwrite").code == 0
    assert json.loads((out / "natural" / "manifest.json").read_text())["replications"] == 2
    (out / "notes.txt").write_text("mine")
    assert_refused(cli(capsys, *args, "--overwrite"), "notes.txt")
    assert (out / "notes.txt").exists()


def test_a_second_writer_is_refused_naming_the_holder(tmp_path, capsys):
    """While a process holds a run directory's lock, another run into it is exit 2 naming that
    process."""
    out = tmp_path / "run"
    out.mkdir()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from sim.store.lock import RunLock; "
            f"RunLock({str(out)!r}).acquire(); print('held', flush=True); time.sleep(120)",
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        r = cli(capsys, "run", NATURAL, "--out", out, *TINY)
        assert_refused(r, "locked by", f"process {holder.pid} on {socket.gethostname()}")
        assert r.code == 2
    finally:
        holder.kill()
        holder.wait()
    assert not (out / "manifest.json").exists()


def test_a_stale_lock_is_taken_over_with_a_note(tmp_path, capsys):
    """A lock file left by a process that is gone (this host) is taken over, and the run says so."""
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    out = tmp_path / "run"
    out.mkdir()
    (out / LOCK_FILE).write_text(
        json.dumps({"pid": dead.pid, "host": socket.gethostname(), "started": "then"})
    )
    r = cli(capsys, "run", NATURAL, "--out", out, *TINY)
    assert r.code == 0, r.err
    assert f"took over the lock left by process {dead.pid}" in r.err
    assert not (out / LOCK_FILE).exists()  # released at the end


def test_the_lock_is_released_on_an_error(tmp_path, capsys):
    """A run refused after taking the lock (another scenario on --resume) leaves no lock behind."""
    out = tmp_path / "run"
    assert cli(capsys, "run", NATURAL, "--out", out, *TINY, "-n", "1").code == 0
    assert_refused(
        cli(capsys, "run", NATURAL, "--out", out, *TINY, "--resume", "--set", "seed=3"), "seed"
    )
    assert not (out / LOCK_FILE).exists()
    with RunLock(out):
        assert (out / LOCK_FILE).exists()
    assert not (out / LOCK_FILE).exists()


@pytest.mark.slow
def test_two_runs_started_together_leave_one_run(tmp_path):
    """Two `run`s with different seeds into one directory at once: one stores its run (exit 0),
    the other is exit 2; every stored part is of the manifest's seed."""
    import pyarrow.parquet as pq

    out = tmp_path / "run"
    args = [
        "run",
        str(NATURAL),
        "--out",
        str(out),
        "-n",
        "6",
        "--set",
        "horizon_hours=3",
        "--set",
        "chunk_size=1",
        "-j",
        "1",
        "--no-progress",
    ]
    root = Path(__file__).resolve().parents[1]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "sim", *args, "--seed", str(seed)],
            cwd=root,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seed in (1, 2)
    ]
    results = [(p.wait(), p.stderr.read()) for p in procs]
    assert sorted(code for code, _ in results) == [0, 2], results
    assert all("Traceback" not in err for _, err in results)
    seed = json.loads((out / "manifest.json").read_text())["seed"]
    seeds = {
        s
        for p in (out / "replications.parquet").glob("part-*")
        for s in pq.read_table(p)["seed"].to_pylist()
    }
    assert seeds == {seed}


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("{not json", "damaged"),
        ('{"strategies": ["a"], "runs": {"a": "../../elsewhere"}}', "a run outside the comparison"),
        ('["a"]', "not a comparison"),
    ],
)
def test_report_refuses_a_damaged_or_climbing_comparison(tmp_path, capsys, text, needle):
    """`report` on a comparison.json that is not JSON, or whose runs point outside it, is exit 2."""
    (tmp_path / "comparison.json").write_text(text)
    assert_refused(cli(capsys, "report", tmp_path), "comparison.json", needle)
    assert not (tmp_path / "report.html").exists()
