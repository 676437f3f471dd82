"""What a batch costs around its replications: the parent's memory does not grow with them (a
batch's summary reads only what its figures need, part by part, and its intervals resample in
bounded batches), and a local Dask cluster leaves the cores to the chunks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from sim.analysis import metrics
from sim.analysis.summary import players_summary, summarise, summary_columns
from sim.batch.runner import run_batch
from sim.batch.summary import PLAYER_EVENTS, summarise_run
from sim.scenario.schema import Scenario
from sim.store import read_table
from sim.store.parts import read_arrow


def small(**kw: Any) -> Scenario:
    values: dict[str, Any] = {"name": "small", "horizon_hours": 6.0, "replications": 12}
    return Scenario.model_validate({**values, "chunk_size": 4, **kw})


def test_the_summary_of_a_run_is_that_of_its_whole_tables(tmp_path: Path) -> None:
    """Reading a few columns and only the boss and quit events gives the summary the whole
    tables give."""
    scenario = small(horizon_hours=12.0)
    out = tmp_path / "run"
    run_batch(scenario, out, jobs=1, progress=False)
    levels = tuple(scenario.record.levels)
    reps = read_table(out, "replications")
    events = read_table(out, "events")
    assert set(PLAYER_EVENTS) & set(events["event"])  # the run fought bosses
    dump = scenario.model_dump(mode="json")
    whole = summarise(reps[summary_columns(levels)], dump, levels)
    whole.update(players_summary(reps, events))
    assert summarise_run(out, scenario) == whole


def test_a_filter_sees_one_part_at_a_time(tmp_path: Path) -> None:
    """``keep`` is applied to each part as it is read, never to the whole table."""
    out = tmp_path / "run"
    run_batch(small(), out, jobs=1, progress=False)
    seen: list[set[int]] = []

    def keep(part: pa.Table) -> pa.Table:
        seen.append(set(part.column("replication").to_pylist()))
        return part.slice(0, 1)

    kept = read_arrow(out, "events", keep=keep)
    assert seen == [{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9, 10, 11}]
    assert kept.num_rows == 3
    assert read_table(out, "events", keep=keep)["replication"].tolist() == [0, 4, 8]


def test_an_interval_resamples_in_batches_bounded_in_values(monkeypatch: Any) -> None:
    """The bootstrap holds at most ``_BATCH_VALUES`` resampled values at once, however many
    replications; the interval is the same whatever the batch."""
    x = np.random.default_rng(3).gamma(2.0, 10.0, 3001)
    blocks: list[tuple[int, int]] = []
    default_rng = np.random.default_rng

    class Spy:
        def __init__(self, seed: int) -> None:
            self.rng = default_rng(seed)

        def integers(self, low: int, high: int, size: tuple[int, int], **kw: Any) -> np.ndarray:
            blocks.append(size)
            return self.rng.integers(low, high, size, **kw)

    monkeypatch.setattr(np.random, "default_rng", Spy)
    bounded = metrics.mean_ci(x)
    assert sum(rows for rows, _ in blocks) == 1999
    assert all(rows * values <= metrics._BATCH_VALUES for rows, values in blocks)
    blocks.clear()
    monkeypatch.setattr(metrics, "_BATCH_VALUES", 1999 * x.size)  # every resample at once
    assert metrics.mean_ci(x) == bounded
    assert blocks == [(1999, x.size)]


def test_a_local_cluster_leaves_the_cores_to_the_chunks() -> None:
    """A local Dask cluster's workers run without Dask's profiler and its 20 ms health tick,
    and its scheduler without work stealing (configuration read by processes it starts)."""
    import dask
    from distributed import Client

    from sim.batch.executors import local_cluster

    def _extensions(dask_scheduler: Any) -> list[str]:
        return list(dask_scheduler.extensions)

    def settings() -> tuple[object, object]:
        get = dask.config.get
        return get("distributed.worker.profile.enabled"), get("distributed.admin.tick.interval")

    cluster = local_cluster(1)
    try:
        with Client(cluster) as client:
            assert list(client.run(settings).values()) == [(False, "1s")]
            extensions = client.run_on_scheduler(_extensions)
            assert "stealing" not in extensions
    finally:
        cluster.close()
    assert dask.config.get("distributed.worker.profile.enabled")  # this process's is unchanged


def test_a_chunk_arrives_with_the_record_of_its_parts() -> None:
    """The worker records each part's rows and SHA-256 as they are read back from its bytes, so
    the parent only writes the files and the journal line."""
    from sim.batch.worker import run_chunk
    from sim.store.verify import chunk_record

    result = run_chunk(small(fail_replications=[5]).model_dump_json(), 4, 8)
    assert result["record"] == chunk_record(4, 8, result["tables"])
    assert result["record"]["tables"]["failures"]["rows"] == 1


def test_tasks_group_consecutive_chunks_and_shrink_at_the_end() -> None:
    """Every chunk once, in order; each worker's first task a single chunk; no task over
    ``TASK_REPLICATIONS`` replications; single chunks again at the end."""
    from sim.batch.executors import TASK_REPLICATIONS, task_plan
    from sim.batch.runner import chunk_plan

    plan = chunk_plan(2000, 25)
    tasks = list(task_plan(plan, 2))
    assert [c for task in tasks for c in task] == plan
    assert [len(t) for t in tasks[:2]] == [1, 1] and [len(t) for t in tasks[-3:]] == [1, 1, 1]
    assert max(len(t) for t in tasks) == TASK_REPLICATIONS // 25
    assert all(t[-1].index - t[0].index == len(t) - 1 for t in tasks)
    assert [len(t) for t in task_plan(chunk_plan(10, 3), 2)] == [1, 1, 1, 1]
    assert list(task_plan([], 2)) == []


def test_a_task_of_chunks_with_gaps_runs_each_as_alone() -> None:
    """A resumed batch groups the chunks it still has to run, gaps and all: a task's results
    are those of its chunks run one by one."""
    from sim.batch.worker import run_chunk, run_chunks

    text = small(horizon_hours=3.0).model_dump_json()
    together = run_chunks(text, [(0, 2), (6, 8)])
    alone = [run_chunk(text, 0, 2), run_chunk(text, 6, 8)]
    assert [r["record"] for r in together] == [r["record"] for r in alone]


def test_a_dask_batch_of_grouped_chunks_stores_the_bytes_of_one_process(tmp_path: Path) -> None:
    """Chunks run several to a Dask task give the parts, summary and records of --jobs 1."""
    from sim.store import read_manifest

    scenario = small(replications=40, chunk_size=2, horizon_hours=3.0)
    run_batch(scenario, tmp_path / "j1", jobs=1, progress=False)
    run_batch(scenario, tmp_path / "dask", jobs=2, scheduler="local", progress=False)
    files = [
        "summary.json",
        *(
            str(p.relative_to(tmp_path / "j1"))
            for p in sorted((tmp_path / "j1").glob("*.parquet/*"))
        ),
    ]
    assert len(files) == 1 + 6 * 20
    for name in files:
        assert (tmp_path / "j1" / name).read_bytes() == (tmp_path / "dask" / name).read_bytes()
    assert read_manifest(tmp_path / "j1")["parts"] == read_manifest(tmp_path / "dask")["parts"]


SEEN_THRESHOLDS: list[tuple[int, int, int]] = []


def _probe(scenario: Scenario, world: Any, index: int) -> Any:
    """A replication that notes the collector's thresholds, then fails (recorded as such)."""
    import gc

    SEEN_THRESHOLDS.append(gc.get_threshold())
    raise RuntimeError("probe")


def test_a_chunk_collects_young_objects_less_often_and_restores_it() -> None:
    """While a chunk runs, the youngest generation is collected after 20,000 allocations, not
    700; the caller's thresholds are back after it."""
    import gc

    from sim.batch.worker import Engine, run_chunk

    before = gc.get_threshold()
    engine = Engine(replicate=f"{__name__}:_probe")
    SEEN_THRESHOLDS.clear()
    result = run_chunk(small().model_dump_json(), 0, 2, engine)
    assert result["failed"] == [0, 1]
    assert [t[0] for t in SEEN_THRESHOLDS] == [max(before[0], 20_000)] * 2
    assert gc.get_threshold() == before


def test_a_worker_process_runs_chunks_without_importing_pandas() -> None:
    """A spawned worker encodes its parts without pandas (0.6 s of its start-up) or pyarrow's
    compute module (0.05 s), and the parts are those of a process that has pandas."""
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    from sim.batch.executors import start_worker
    from sim.batch.worker import run_chunk
    from tests.worker_probe import chunk_in_worker

    text = small().model_dump_json()
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, context, initializer=start_worker, initargs=(os.getpid(),)) as pool:
        imported, record = pool.submit(chunk_in_worker, text).result()
    assert imported == []
    assert record == run_chunk(text, 0, 3)["record"]


def test_a_session_splits_its_workers_cpu(tmp_path: Path) -> None:
    """The manifest's session says what part of the workers' CPU was the replication function
    and what part encoding the parts (disjoint parts of each chunk's CPU)."""
    outcome = run_batch(small(), tmp_path / "run", jobs=1, progress=False)
    session = outcome.manifest["sessions"][-1]
    inside = session["worker_replicate_cpu_seconds"]
    encode = session["worker_encode_cpu_seconds"]
    assert inside > 0 and encode > 0
    assert inside + encode <= session["worker_cpu_seconds"] + 0.002  # each rounded to 1 ms


def test_parts_written_side_by_side_come_before_the_journal_line(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """With writer threads every part is on disk before the chunk's journal line; a part that
    cannot be written raises once the other writes ended, and the chunk is not recorded."""
    from concurrent.futures import ThreadPoolExecutor

    from sim.batch import stored
    from sim.batch.executors import Chunk
    from sim.batch.worker import run_chunk
    from sim.store.verify import JOURNAL, recorded_chunks

    result = run_chunk(small().model_dump_json(), 0, 4)
    out = tmp_path / "run"
    out.mkdir()
    with ThreadPoolExecutor(6) as writers:
        record = stored.store_chunk(out, Chunk(0, 0, 4), result, writers)
        assert recorded_chunks(out, {"parts": {}}) == {0: record}
        assert all(
            stored.part_path(out, t, 0).read_bytes() == b for t, b in result["tables"].items()
        )

        real = stored.write_part_bytes
        written: list[str] = []

        def no_room_for_events(run_dir: Path, name: str, index: int, data: bytes) -> Path:
            if name == "events":
                raise OSError(28, "No space left on device")
            written.append(name)
            return real(run_dir, name, index, data)

        monkeypatch.setattr(stored, "write_part_bytes", no_room_for_events)
        try:
            stored.store_chunk(out, Chunk(1, 4, 8), result, writers)
        except OSError:
            pass
        else:
            raise AssertionError("a failed write was not raised")
    assert sorted(written) == sorted(t for t in result["tables"] if t != "events")
    assert set(recorded_chunks(out, {"parts": {}}) or {}) == {0}
    assert (out / JOURNAL).read_text().count("\n") == 1


def test_the_progress_bar_is_redrawn_twice_a_second() -> None:
    """The bar shares the cores with the workers: redrawn at 2 Hz, not rich's 10."""
    from sim.batch.progress import BatchProgress

    bar = BatchProgress(10, 0, True, "small")
    assert bar.progress is not None and bar.progress.live.refresh_per_second == 2
    assert BatchProgress(10, 0, False, "small").progress is None


def test_parts_are_joined_as_they_are_read(tmp_path: Path) -> None:
    """A table of many parts is read as a few joined tables (a part's Arrow objects cost more
    than its rows), with every row of every part in order."""
    import pyarrow.parquet as pq

    from sim.store import parts

    out = tmp_path / "run"
    n = parts._GROUP + 6
    run_batch(small(replications=n, chunk_size=1, horizon_hours=1.0), out, jobs=1, progress=False)
    table = read_arrow(out, "trajectories")
    assert table.column("hours").num_chunks == 2
    one_by_one = pa.concat_tables(
        pq.read_table(parts.part_path(out, "trajectories", i)) for i in range(n)
    )
    assert table.equals(one_by_one)
    assert read_table(out, "trajectories")["replication"].unique().tolist() == list(range(n))
