"""Verified parts: the manifest records each part's replications, rows and SHA-256, and a
duplicated, swapped, truncated, emptied or unrecorded part is never read as data."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from sim.batch.runner import run_batch
from sim.errors import InputError
from sim.scenario.schema import Scenario
from sim.store import read_manifest, read_table
from sim.store.parts import part_path
from sim.store.schemas import TABLES
from sim.store.verify import JOURNAL, DamagedPart
from tests.clihelp import assert_refused, cli


def small(**kw) -> Scenario:
    values = {"name": "small", "horizon_hours": 3.0, "replications": 6, "chunk_size": 2}
    return Scenario(**{**values, **kw})


def batch(out: Path, **kw):
    return run_batch(small(), out, progress=False, jobs=1, **kw)


def parts(run_dir: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(run_dir)): p.read_bytes() for p in sorted(run_dir.glob("*.parquet/*"))
    }


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Path:
    """One uninterrupted run: the bytes every repaired run must equal."""
    out = tmp_path_factory.mktemp("clean") / "run"
    batch(out)
    return out


@pytest.fixture
def stored(clean, tmp_path) -> Path:
    out = tmp_path / "run"
    shutil.copytree(clean, out)
    return out


def test_the_manifest_records_every_part(clean):
    """Each chunk's record gives its replications and, per table, the rows and the SHA-256 of the
    part."""
    m = read_manifest(clean)
    assert sorted(m["parts"]) == ["0", "1", "2"]
    assert m["parts"]["1"]["replications"] == [2, 4]
    for name in TABLES:
        record = m["parts"]["1"]["tables"][name]
        data = part_path(clean, name, 1).read_bytes()
        assert record["sha256"] == hashlib.sha256(data).hexdigest()
    assert m["parts"]["1"]["tables"]["replications"]["rows"] == 2
    assert not (clean / JOURNAL).exists()  # folded into the manifest when the batch ended


def _damage(run_dir: Path, how: str) -> Path:
    p0, p1 = part_path(run_dir, "replications", 0), part_path(run_dir, "replications", 1)
    if how == "duplicated":
        shutil.copyfile(p0, p1)
    elif how == "swapped":
        a, b = p0.read_bytes(), p1.read_bytes()
        p0.write_bytes(b)
        p1.write_bytes(a)
    elif how == "truncated":
        p1.write_bytes(p1.read_bytes()[:100])
    elif how == "empty":
        p1.write_bytes(b"")
    elif how == "missing":
        p1.unlink()
    return p1


DAMAGE = ["duplicated", "swapped", "truncated", "empty", "missing"]


@pytest.mark.parametrize("how", DAMAGE)
def test_read_table_refuses_a_damaged_part(stored, how):
    """read_table raises DamagedPart (exit 2) naming the damaged part rather than return its
    rows."""
    _damage(stored, how)
    with pytest.raises(DamagedPart) as err:
        read_table(stored, "replications")
    assert "part-0000" in err.value.message and "replications.parquet" in err.value.message


@pytest.mark.parametrize("how", ["duplicated", "truncated", "empty"])
def test_resume_reruns_a_damaged_chunk_to_the_clean_bytes(stored, clean, how, capsys):
    """--resume runs a damaged chunk again, says so, and ends with the bytes of a clean run."""
    _damage(stored, how)
    batch(stored, resume=True)
    assert "running chunk 1 again" in capsys.readouterr().err
    assert parts(stored) == parts(clean)
    assert len(read_table(stored, "replications")["replication"].unique()) == 6


def test_extend_refuses_a_damaged_part(stored):
    """--extend does not build on a damaged part: InputError naming it, suggesting --resume."""
    _damage(stored, "duplicated")
    with pytest.raises(InputError, match="part-00001.parquet.*--resume"):
        batch(stored, extend=2)


def test_an_unrecorded_part_is_not_read(stored):
    """A part file the manifest does not record (copied in, or left by a killed batch) is
    ignored."""
    shutil.copyfile(part_path(stored, "replications", 0), part_path(stored, "replications", 7))
    assert sorted(read_table(stored, "replications")["replication"]) == list(range(6))


def test_a_chunk_stored_after_the_last_manifest_write_counts_through_the_journal(stored, clean):
    """Parts recorded only in parts.jsonl (a batch killed before its final manifest) are verified
    and kept by --resume; a torn last journal line only costs that chunk."""
    import json

    m = read_manifest(stored)
    journal = [json.dumps({"chunk": int(k), **v}) for k, v in m["parts"].items() if k != "0"]
    m["parts"] = {"0": m["parts"]["0"]}
    (stored / "manifest.json").write_text(json.dumps(m))
    (stored / JOURNAL).write_text("\n".join(journal) + '\n{"chunk": 2, "repl')
    assert sorted(read_table(stored, "replications")["replication"]) == list(range(6))
    batch(stored, resume=True)
    assert parts(stored) == parts(clean)


@pytest.mark.parametrize("command", ["report", "trace"])
def test_report_and_trace_on_a_damaged_part_exit_2_naming_it(stored, command, capsys, tmp_path):
    """`report DIR` and `trace --quantile --run DIR` refuse a damaged part: exit 2, its path, no
    traceback."""
    _damage(stored, "duplicated")
    if command == "report":
        r = cli(capsys, "report", stored)
    else:
        f = tmp_path / "small.toml"
        f.write_text('name = "small"\nhorizon_hours = 3.0\nreplications = 6\nchunk_size = 2\n')
        r = cli(capsys, "trace", f, "--quantile", "0.5", "--run", stored)
    assert_refused(r, "replications.parquet/part-00001.parquet", "SHA-256", "--resume")


def test_a_malformed_manifest_is_one_line_naming_it(stored, capsys):
    """A manifest.json that is not JSON: report and --resume exit 2 naming the file, no
    traceback."""
    (stored / "manifest.json").write_text("{not json")
    assert_refused(cli(capsys, "report", stored), "manifest.json", "damaged")
    f = stored.parent / "small.toml"
    f.write_text('name = "small"\nhorizon_hours = 3.0\nreplications = 6\nchunk_size = 2\n')
    assert_refused(cli(capsys, "run", f, "--out", stored, "--resume", "-j", "1"), "manifest.json")
