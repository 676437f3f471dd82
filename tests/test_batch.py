"""Batches: executors, resume, extend and failures give the stored bytes of one plain run.

Small scenarios (a few hours of play, ten replications) keep each batch to a
fraction of a second; the command line is run as a subprocess, as a user runs it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim.batch.runner import chunk_plan, run_batch
from sim.errors import InputError
from sim.scenario.schema import Scenario
from sim.store import read_manifest, read_summary, read_table
from sim.store.parts import part_path

ROOT = Path(__file__).resolve().parents[1]


def stored_bytes(run_dir: Path) -> dict[str, bytes]:
    """Every Parquet part and summary.json of a run, by relative path (the manifest has timings)."""
    files = sorted(run_dir.glob("*.parquet/*")) + [run_dir / "summary.json"]
    return {str(p.relative_to(run_dir)): p.read_bytes() for p in files}


def small(**kw) -> Scenario:
    values = {"name": "small", "horizon_hours": 6.0, "replications": 10, "chunk_size": 3}
    return Scenario(**{**values, **kw})


def batch(scenario: Scenario, out: Path, **kw):
    return run_batch(scenario, out, progress=False, **{"jobs": 1, **kw})


def write_scenario(path: Path, **values) -> Path:
    """A scenario file with top-level ``values`` (TOML scalars and lists)."""
    lines = [f"{k} = {v!r}".replace("'", '"') for k, v in {"name": "cli", **values}.items()]
    path.write_text("\n".join(lines) + "\n")
    return path


def runesim(*args: str) -> subprocess.CompletedProcess:
    """Run the command line as a user does."""
    command = [sys.executable, "-m", "sim", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT)


def test_chunks_cover_every_replication_once():
    """Chunk i holds [i*cs, min((i+1)*cs, n)); the last may be partial."""
    plan = chunk_plan(10, 3)
    assert [(c.start, c.stop) for c in plan] == [(0, 3), (3, 6), (6, 9), (9, 10)]
    assert [c.index for c in plan] == [0, 1, 2, 3]


def test_a_batch_stores_one_part_per_chunk_and_table(tmp_path):
    """Every table has a part per chunk, and read_table gives every replication once, in order."""
    outcome = batch(small(), tmp_path / "run")
    assert outcome.n == 10 and outcome.failures == 0
    assert part_path(tmp_path / "run", "trajectories", 3).exists()
    reps = read_table(tmp_path / "run", "replications")
    assert reps["replication"].tolist() == list(range(10))
    assert read_manifest(tmp_path / "run")["status"] == "complete"


def test_two_processes_store_the_same_bytes_as_one(tmp_path):
    """--jobs 2 (spawned processes, any completion order) stores byte-identical tables to --jobs
    1."""
    batch(small(), tmp_path / "j1", jobs=1)
    batch(small(), tmp_path / "j2", jobs=2)
    assert stored_bytes(tmp_path / "j1") == stored_bytes(tmp_path / "j2")


@pytest.mark.slow
def test_a_dask_local_cluster_stores_the_same_bytes(tmp_path):
    """A 2-worker loopback LocalCluster stores byte-identical tables to --jobs 1."""
    batch(small(), tmp_path / "j1", jobs=1)
    outcome = batch(small(), tmp_path / "dask", jobs=2, scheduler="local")
    assert outcome.manifest["executor"]["kind"] == "dask-local"
    assert stored_bytes(tmp_path / "j1") == stored_bytes(tmp_path / "dask")
    assert not (tmp_path / "dask" / "dask-scratch-space").exists()  # its spill space is removed


def test_resume_runs_only_missing_chunks_and_matches(tmp_path):
    """A run that lost chunks (and left a torn temporary) resumes to the bytes of an uninterrupted
    one."""
    batch(small(), tmp_path / "whole")
    run = tmp_path / "cut"
    batch(small(), run)
    part_path(run, "replications", 1).unlink()  # chunk 1 stopped before its last part
    for name in ("events", "replications"):
        part_path(run, name, 3).unlink()
    (part_path(run, "events", 2).parent / ".part-00003.parquet.abc.tmp").write_bytes(b"torn")
    outcome = batch(small(), run, resume=True)
    assert outcome.manifest["sessions"][-1]["replications_run"] == 4  # chunks 1 and 3
    assert stored_bytes(run) == stored_bytes(tmp_path / "whole")
    assert not list(run.glob("*.parquet/.*.tmp"))


def test_extend_equals_one_run_of_the_larger_n(tmp_path):
    """--extend 7 on a run of 10 (partial last chunk) equals a single run of 17."""
    batch(small(replications=17), tmp_path / "one")
    batch(small(), tmp_path / "grown")
    outcome = batch(small(), tmp_path / "grown", extend=7)
    assert outcome.n == 17
    assert stored_bytes(tmp_path / "grown") == stored_bytes(tmp_path / "one")
    assert read_summary(tmp_path / "grown")["replications"] == 17


def test_a_failing_replication_is_recorded_and_the_rest_finish(tmp_path):
    """fail_replications=[4]: replication 4 is in failures with its error; the other 9 are
    stored."""
    outcome = batch(small(fail_replications=(4,)), tmp_path / "run", jobs=2)
    assert outcome.failures == 1
    failures = read_table(tmp_path / "run", "failures")
    assert failures["replication"].tolist() == [4]
    assert "ReplicationFailure" in failures["error"][0]
    assert "asked to fail" in failures["error"][0] and "Traceback" in failures["traceback"][0]
    reps = read_table(tmp_path / "run", "replications")["replication"].tolist()
    assert reps == [k for k in range(10) if k != 4]
    assert outcome.manifest["failed_replications"] == [4]


def test_resume_with_a_different_scenario_names_the_key(tmp_path):
    """Resuming with a changed value is an input error naming the key path."""
    batch(small(), tmp_path / "run")
    with pytest.raises(InputError, match=r"model\.death\.slope"):
        changed = small(model={"death": {"slope": 0.2}})
        batch(changed, tmp_path / "run", resume=True)


def test_a_new_run_never_overwrites_a_stored_one(tmp_path):
    """Running into a directory that holds a run, without --resume or --extend, is an input
    error."""
    batch(small(), tmp_path / "run")
    with pytest.raises(InputError, match="--resume"):
        batch(small(), tmp_path / "run")


def test_resume_needs_a_stored_run(tmp_path):
    """--resume on a directory with no manifest is an input error."""
    with pytest.raises(InputError, match="manifest"):
        batch(small(), tmp_path / "nothing", resume=True)


@pytest.mark.slow
def test_a_killed_run_resumes_to_the_bytes_of_an_uninterrupted_one(tmp_path):
    """SIGKILL a `runesim run -j 2` after its first chunk is stored; --resume completes it
    identically."""
    scenario = write_scenario(
        tmp_path / "s.toml", horizon_hours=60.0, replications=60, chunk_size=2
    )
    run = tmp_path / "killed"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sim",
            "run",
            str(scenario),
            "--out",
            str(run),
            "-j",
            "2",
            "--no-progress",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not (run / "replications.parquet" / "part-00000.parquet").exists():
            assert proc.poll() is None and time.monotonic() < deadline, "no chunk was stored"
            time.sleep(0.005)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the run and its worker processes
        proc.wait()
    assert read_manifest(run)["status"] == "running"
    assert len(list((run / "replications.parquet").glob("part-*"))) < 30

    done = runesim("run", str(scenario), "--out", str(run), "--resume", "-j", "1", "--no-progress")
    assert done.returncode == 0, done.stderr
    whole = runesim(
        "run", str(scenario), "--out", str(tmp_path / "whole"), "-j", "1", "--no-progress"
    )
    assert whole.returncode == 0, whole.stderr
    assert stored_bytes(run) == stored_bytes(tmp_path / "whole")
    assert read_manifest(run)["status"] == "complete"


def test_the_cli_exits_1_when_a_replication_failed(tmp_path):
    """`runesim run` with a failing replication stores the others, exits 1 and says how to reproduce
    it."""
    scenario = write_scenario(
        tmp_path / "s.toml", horizon_hours=4.0, replications=6, chunk_size=2, fail_replications=[3]
    )
    out = tmp_path / "run"
    done = runesim("run", str(scenario), "--out", str(out), "-j", "1", "--no-progress")
    assert done.returncode == 1
    assert "1 of 6 replications failed" in done.stderr
    assert f"runesim trace {scenario} --replication 3" in done.stderr
    assert read_table(out, "failures")["replication"].tolist() == [3]
    assert len(read_table(out, "replications")) == 5


def test_the_cli_refuses_to_resume_with_another_scenario(tmp_path):
    """--resume with a changed value exits 2 and names the key path."""
    scenario = write_scenario(tmp_path / "s.toml", horizon_hours=2.0, replications=4, chunk_size=2)
    out = tmp_path / "run"
    assert (
        runesim("run", str(scenario), "--out", str(out), "-j", "1", "--no-progress").returncode == 0
    )
    done = runesim(
        "run",
        str(scenario),
        "--out",
        str(out),
        "--resume",
        "--set",
        "model.death.slope=0.2",
        "--no-progress",
    )
    assert done.returncode == 2
    assert "model.death.slope" in done.stderr
