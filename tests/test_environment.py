"""The machine's errors are messages: an unwritable place, a full disk; files get the user's
umask; no worker outlives a killed run; the notebook API leaves no temporary directories."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.clihelp import NATURAL, ROOT, TINY, assert_refused, cli


def test_an_unwritable_place_is_one_line(tmp_path, capsys):
    """--out where no directory can be made is exit 2 naming the path and the cause."""
    if os.geteuid() == 0:  # root writes through permissions; /sys refuses everyone
        out = Path("/sys/runesim-test-out")
    else:
        locked = tmp_path / "ro"
        locked.mkdir(mode=0o555)
        out = locked / "run"
    r = cli(capsys, "run", NATURAL, "--out", out, *TINY)
    assert_refused(r, str(out), "cannot create the results directory")
    assert len(r.err.strip().splitlines()) == 1


def test_a_full_disk_mid_run_exits_1_and_the_run_resumes(tmp_path, capsys, monkeypatch):
    """A write that fails with ENOSPC stops the run with exit 1 and one line; the chunks stored
    before are kept and --resume completes it to the bytes of an uninterrupted run."""
    import sim.batch.stored as stored

    real = stored.write_part_bytes
    calls = {"n": 0}

    def full_after_two_chunks(run_dir, name, index, data):
        if index >= 2:
            calls["n"] += 1
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(Path(run_dir) / name))
        return real(run_dir, name, index, data)

    out, whole = tmp_path / "run", tmp_path / "whole"
    args = ("run", NATURAL, *TINY, "-n", "4")
    monkeypatch.setattr(stored, "write_part_bytes", full_after_two_chunks)
    r = cli(capsys, *args, "--out", out)
    assert r.code == 1 and "Traceback" not in r.text, r.err
    assert "No space left on device" in r.err and "--resume" in r.err
    manifest = json.loads((out / "manifest.json").read_text())
    assert (manifest["status"], manifest["replications_done"]) == ("interrupted", 2)
    monkeypatch.setattr(stored, "write_part_bytes", real)
    assert cli(capsys, *args, "--out", out, "--resume").code == 0
    assert cli(capsys, *args, "--out", whole).code == 0
    files = sorted(p.relative_to(whole) for p in whole.glob("*.parquet/*"))
    assert files == sorted(p.relative_to(out) for p in out.glob("*.parquet/*"))
    assert all((out / f).read_bytes() == (whole / f).read_bytes() for f in files)


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600)])
def test_result_files_follow_the_users_umask(tmp_path, capsys, umask, mode):
    """Every file a run writes has mode 0666 & ~umask, as any program's files do."""
    old = os.umask(umask)
    try:
        assert cli(capsys, "run", NATURAL, *TINY, "--out", tmp_path / "run").code == 0
    finally:
        os.umask(old)
    files = [p for p in (tmp_path / "run").rglob("*") if p.is_file()]
    assert files and {oct(p.stat().st_mode & 0o777) for p in files} == {oct(mode)}


def _descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (from /proc)."""
    children: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(d.name))
    out, todo = set(), [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            out.add(c)
            todo.append(c)
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_no_worker_outlives_a_killed_run(tmp_path):
    """SIGKILL of `runesim run -j 2` (the main process only): its workers and the resource
    tracker are gone within seconds."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sim",
            "run",
            str(NATURAL),
            "-n",
            "200",
            "-j",
            "2",
            "--no-progress",
            "--set",
            "chunk_size=2",
            "--out",
            str(tmp_path / "run"),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        first = tmp_path / "run" / "replications.parquet" / "part-00000.parquet"
        while (
            len(_descendants(proc.pid)) < 3 or not first.exists()
        ):  # workers, tracker, a chunk done
            assert proc.poll() is None and time.monotonic() < deadline, "no workers started"
            time.sleep(0.05)
        workers = _descendants(proc.pid)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    deadline = time.monotonic() + 5
    while any(_alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [p for p in workers if _alive(p)]
    for p in left:  # do not leave them to the next test
        os.kill(p, signal.SIGKILL)
    assert left == []


def test_the_api_removes_its_temporary_directories(tmp_path):
    """sim.api.run without out stores the run in a temporary directory that is gone when Python
    exits."""
    code = (
        "from sim import api; "
        "s = api.load_scenario(api.scenario_path('natural'), horizon_hours=1); "
        "r = api.run(s, n=1); assert len(r.replications) == 1; print(r.out)"
    )
    env = dict(os.environ, TMPDIR=str(tmp_path))
    r = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env
    )
    assert r.returncode == 0, r.stderr
    assert Path(r.stdout.strip()).is_relative_to(tmp_path)
    assert list(tmp_path.iterdir()) == []
