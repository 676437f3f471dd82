"""Speed, memory and start-up of runesim, against the project's targets.

Every figure is a ratio measured in one run, so that a busy or slow machine
moves the figure and its yardstick together:

1. bare SimPy: one process yielding timeouts, the kernel's own cost per event
   (CPU seconds, and wall seconds);
2. one replication's cost in bare-SimPy events: the CPU seconds a ``--jobs 1``
   worker spends per replication (simulate, tabulate, encode the Parquet parts)
   over bare SimPy's CPU seconds per event (target: at most 2,500);
3. replications per second with ``--jobs 1``, ``--jobs 2`` and a 2-worker Dask
   LocalCluster, after start-up (targets: 1.8x and 1.6x ``--jobs 1``);
4. the parent's peak memory at n and 10 n replications (target: at most 1.2x);
5. ``runesim compare`` of natural against rush_mohgwyn at 10,000 pairs on 2
   workers, all tables stored (target: under 2 minutes);
6. start-up of ``runesim --help`` and ``runesim validate`` (target: under 0.5 s).

Wall-clock figures (3, 5, 6) need an idle machine with at least 2 cores: the
benchmark prints the load average and each worker's CPU share, and beside each
wall time the CPU time it took, which a busy machine stretches far less.

    python bench/bench_speed.py            # full run (many minutes)
    python bench/bench_speed.py --quick    # smaller batches; compare projected from 1,000 pairs
    python bench/bench_speed.py --instructions   # and the replication counted in instructions
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {
    "replication": 2500.0,  # bare-SimPy events per replication, at most
    "jobs2": 1.8,
    "dask2": 1.6,
    "memory": 1.2,
    "compare_seconds": 120.0,  # 10,000 pairs on 2 workers, at most
    "startup_seconds": 0.5,  # at most
}
COMPARE_PAIRS = 10_000
LOWER_IS_BETTER = ("replication", "memory", "compare_seconds", "startup_seconds")


def bare_simpy(events: int) -> dict:
    """Wall and CPU seconds per event of SimPy on a plain timeout loop: the kernel's own cost."""
    import simpy

    def clock(env):
        while True:
            yield env.timeout(1)

    env = simpy.Environment()
    env.process(clock(env))
    t0, c0 = time.perf_counter(), time.process_time()
    env.run(until=events)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {
        "events_per_second": events / wall,
        "wall_per_event": wall / events,
        "cpu_per_event": cpu / events,
    }


def load(scenario: Path, overrides: list[str]):
    from sim.scenario.load import load_scenario

    return load_scenario(scenario, overrides=overrides)


def timed_batch(scenario, n: int, **kw) -> dict:
    """Run one batch into a temporary directory; return its rates."""
    from sim.batch.runner import run_batch
    from sim.store import read_table

    with tempfile.TemporaryDirectory(prefix="runesim-bench-") as tmp:
        out = Path(tmp) / "run"
        t0, c0 = time.perf_counter(), time.process_time()
        outcome = run_batch(scenario, out, n=n, progress=False, **kw)
        wall, parent_cpu = time.perf_counter() - t0, time.process_time() - c0
        events = int(read_table(out, "replications", columns=["sim_events"])["sim_events"].sum())
    session = outcome.manifest["sessions"][-1]
    first = session["first_chunk_seconds"]
    chunk = scenario.chunk_size
    return {
        "startup_seconds": first,
        # after the first chunk is stored: workers are up and the world is loaded
        "steady_replications_per_second": (n - chunk) / (outcome.elapsed_seconds - first),
        "n": n,
        "wall_seconds": wall,
        "batch_seconds": outcome.elapsed_seconds,
        "replications_per_second": n / outcome.elapsed_seconds,
        "sim_events": events,
        "sim_events_per_second": events / outcome.elapsed_seconds,
        "worker_events_per_second": events / session["worker_seconds"],
        # share of a CPU each worker got while running chunks: < 1 when the machine is busy
        "cpu_share": session["worker_cpu_seconds"] / session["worker_seconds"],
        "worker_cpu_seconds": session["worker_cpu_seconds"],
        # of which in the replication function (simulate and tabulate) and encoding the parts
        "replicate_cpu_seconds": session.get("worker_replicate_cpu_seconds"),
        "encode_cpu_seconds": session.get("worker_encode_cpu_seconds"),
        # this process's CPU over the whole batch (in-process chunks included with --jobs 1)
        "parent_cpu_seconds": parent_cpu,
        "failures": outcome.failures,
    }


def memory_child(scenario: Path, overrides: list[str], n: int, jobs: int) -> None:
    """(In a fresh process) run a batch of n and print the parent's peak RSS as JSON."""
    import sim.batch  # noqa: F401 - imported before the baseline, as a batch needs it
    import sim.store  # noqa: F401

    sc = load(scenario, overrides)
    from sim.batch.worker import DEFAULT_ENGINE, load_engine_world

    load_engine_world(DEFAULT_ENGINE.load_world)
    before = _maxrss_mb()
    result = timed_batch(sc, n, jobs=jobs)
    print(json.dumps({"n": n, "baseline_mb": before, "peak_mb": _maxrss_mb(), **result}))


def _maxrss_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    # Linux: VmHWM is this process's own peak; ru_maxrss would also count the peak of
    # the benchmark process that started it (the high-water mark survives exec)
    try:
        with open("/proc/self/status") as f:
            for row in f:
                if row.startswith("VmHWM:"):
                    return int(row.split()[1]) / 1024
    except OSError:
        pass
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def peak_memory(scenario: Path, overrides: list[str], n: int, jobs: int) -> dict:
    args = [
        sys.executable,
        __file__,
        "--memory-child",
        str(n),
        "--jobs",
        str(jobs),
        "--scenario",
        str(scenario),
    ]
    for o in overrides:
        args += ["--set", o]
    done = subprocess.run(args, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


VERDICTS: list[tuple[str, bool]] = []


def line(
    label: str, value: str, ratio: float | None = None, target: float | None = None, kind: str = ""
) -> None:
    """One figure; with a target, its ratio and PASS/FAIL (``kind`` names the target)."""
    verdict = ""
    if ratio is not None and target is not None:
        at_most = kind in LOWER_IS_BETTER
        ok = ratio <= target if at_most else ratio >= target
        VERDICTS.append((label.strip(), ok))
        shown = f"{ratio:,.0f}" if ratio >= 100 else f"{ratio:.2f}"
        verdict = (
            f"{shown} (target {'<=' if at_most else '>='} {target:g}) {'PASS' if ok else 'FAIL'}"
        )
    print(f"{label:<36} {value:<40} {verdict}", flush=True)


def scaling(label: str, many: dict, one: dict, target: float) -> None:
    """Print a parallel batch's rate against --jobs 1: overall, and once started."""
    rate = many["replications_per_second"]
    line(label, f"{rate:.2f} repl/s (with start-up)", rate / one["replications_per_second"])
    steady = many["steady_replications_per_second"]
    ratio = steady / one["steady_replications_per_second"]
    line(
        "  after start-up",
        f"{steady:.2f} repl/s (start-up {many['startup_seconds']:.1f} s)",
        ratio,
        target,
        "jobs",
    )
    line("  CPU share of each worker", f"{many['cpu_share']:.0%} (jobs 1: {one['cpu_share']:.0%})")
    line(
        "  CPU seconds",
        f"workers {many['worker_cpu_seconds']:.1f}, parent {many['parent_cpu_seconds']:.1f} "
        f"(jobs 1: {one['worker_cpu_seconds']:.1f})",
    )


def _child_cpu() -> float:
    """CPU seconds of the finished child processes (and theirs) so far."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed_command(args: list[str]) -> dict:
    """Run ``python -m sim ARGS`` from the project root; its wall and CPU seconds (with workers)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    c0, t0 = _child_cpu(), time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "sim", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    wall, cpu = time.perf_counter() - t0, _child_cpu() - c0
    if done.returncode != 0:
        raise SystemExit(f"runesim {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return {"wall": wall, "cpu": cpu}


def startup(args: list[str], repeat: int) -> dict:
    """Best of ``repeat`` runs of a quick command: wall and CPU seconds."""
    runs = [timed_command(args) for _ in range(repeat)]
    return {"wall": min(r["wall"] for r in runs), "cpu": min(r["cpu"] for r in runs)}


def compare_pairs(pairs: int, jobs: int) -> dict:
    """``runesim compare natural rush_mohgwyn -n PAIRS --jobs J``, all tables stored."""
    with tempfile.TemporaryDirectory(prefix="runesim-bench-") as tmp:
        out = Path(tmp) / "compare"
        args = ["compare", "scenarios/natural.toml", "scenarios/rush_mohgwyn.toml"]
        return timed_command(
            [*args, "-n", str(pairs), "--jobs", str(jobs), "--out", str(out), "--json"]
        )


def replication_cost(one: dict, bare: dict) -> float:
    """One replication's CPU cost in bare-SimPy events (worker CPU of the --jobs 1 batch);
    returns that ratio."""
    per_rep = one["worker_cpu_seconds"] / one["n"]
    line(
        "replication cost (jobs 1)",
        f"{per_rep * 1e3:.2f} ms CPU = bare-SimPy events",
        per_rep / bare["cpu_per_event"],
        TARGETS["replication"],
        "replication",
    )
    line("  SimPy events per replication", f"{one['sim_events'] / one['n']:,.0f}")
    if one["replicate_cpu_seconds"] is not None:
        inside = one["replicate_cpu_seconds"] / one["n"]
        encode = one["encode_cpu_seconds"] / one["n"]
        line(
            "  of which",
            f"{inside * 1e3:.2f} simulate+tabulate, {encode * 1e3:.2f} Arrow+Parquet, "
            f"{(per_rep - inside - encode) * 1e3:.2f} rest",
        )
    return per_rep / bare["cpu_per_event"]


def instruction_figures(args: argparse.Namespace, in_time: float | None) -> None:
    """The replication in bare-SimPy events counted in instructions (``instructions.py``)."""
    import instructions

    if not instructions.available():
        line("instructions (valgrind)", "not measured: valgrind is not installed")
        return
    got = instructions.measure(args.scenario, args.set)
    line(
        "replication in instructions",
        f"{got['per_replication'] / 1e6:.2f} M = bare-SimPy events: {got['ratio']:,.0f}",
    )
    line("  bare SimPy", f"{got['bare_per_event']:,.0f} instructions per event")
    if in_time is not None:
        line(
            "  time per instruction",
            f"{in_time / got['ratio']:.2f}x bare SimPy's (replication cost in time over "
            "the same in instructions)",
        )


def compare_figure(pairs: int, jobs: int) -> None:
    """Time of the main comparison; projected linearly to 10,000 pairs when run smaller."""
    got = compare_pairs(pairs, jobs)
    scale = COMPARE_PAIRS / pairs
    what = f"{got['wall']:.1f} s wall, {got['cpu']:.1f} s CPU at {pairs:,} pairs"
    if scale != 1:
        what += f" (x{scale:g})"
    line(
        f"compare {COMPARE_PAIRS:,} pairs, jobs {jobs}",
        what,
        got["wall"] * scale,
        TARGETS["compare_seconds"],
        "compare_seconds",
    )
    line(
        "  CPU over the 2 cores", f"{got['cpu'] * scale / jobs:.1f} s per core (idle-machine wall)"
    )


def startup_figures(repeat: int) -> None:
    for label, args in (
        ("runesim --help", ["--help"]),
        ("runesim validate", ["validate", "scenarios/natural.toml"]),
    ):
        got = startup(args, repeat)
        line(
            f"start-up: {label}",
            f"{got['wall']:.2f} s wall, {got['cpu']:.2f} s CPU (best of {repeat})",
            got["wall"],
            TARGETS["startup_seconds"],
            "startup_seconds",
        )


def load_line(when: str) -> None:
    one, five, _ = os.getloadavg()
    busy = (
        " (busy: wall-clock figures measure the machine)"
        if one > (os.cpu_count() or 1) * 0.5
        else ""
    )
    line(f"load average {when}", f"{one:.1f} (1 min), {five:.1f} (5 min){busy}")


def speed_figures(args: argparse.Namespace, n: int) -> float:
    """Bare SimPy, one replication's cost, and the rates of --jobs 1, --jobs 2 and Dask;
    returns the replication's cost in bare-SimPy events."""
    bare = bare_simpy(200_000 if args.quick else 1_000_000)
    line(
        "bare SimPy timeout loop",
        f"{bare['events_per_second']:,.0f} events/s, {bare['cpu_per_event'] * 1e6:.2f} us CPU",
    )

    scenario = load(args.scenario, args.set)
    from sim.batch.worker import DEFAULT_ENGINE, load_engine_world

    load_engine_world(DEFAULT_ENGINE.load_world)  # the parent's world load is not timed
    one = timed_batch(scenario, n, jobs=1)
    cost = replication_cost(one, bare)
    line("runesim --jobs 1", f"{one['replications_per_second']:.2f} repl/s")
    line("  after the first chunk", f"{one['steady_replications_per_second']:.2f} repl/s")
    line(
        "  events/s against bare SimPy",
        f"{one['sim_events_per_second'] / bare['events_per_second']:.0%}",
    )
    line("  CPU share of the worker", f"{one['cpu_share']:.0%}")
    scaling("runesim --jobs 2", timed_batch(scenario, n, jobs=2), one, TARGETS["jobs2"])
    if not args.skip_dask:
        dask = timed_batch(scenario, n, jobs=2, scheduler="local")
        scaling("runesim LocalCluster(2)", dask, one, TARGETS["dask2"])
    return cost


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", type=Path, default=ROOT / "scenarios" / "natural.toml")
    parser.add_argument("--set", action="append", default=[], help="scenario override key=value")
    parser.add_argument("--quick", action="store_true", help="smaller batches")
    parser.add_argument("-n", type=int, help="replications per speed batch")
    parser.add_argument("--memory-n", type=int, help="smaller memory batch (the larger is 10x)")
    parser.add_argument(
        "--memory-horizon", type=float, default=2.0, help="hours played in the memory batches"
    )
    parser.add_argument(
        "--jobs", type=int, default=2, help="workers of the memory and compare runs"
    )
    parser.add_argument("--compare-n", type=int, help="pairs actually run for the compare figure")
    parser.add_argument("--skip-dask", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--skip-compare", action="store_true")
    parser.add_argument("--skip-startup", action="store_true")
    parser.add_argument(
        "--skip-speed", action="store_true", help="no bare SimPy, replication or scaling figures"
    )
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count a replication's instructions with valgrind (minutes; see instructions.py)",
    )
    parser.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.memory_child is not None:
        memory_child(args.scenario, args.set, args.memory_child, args.jobs)
        return

    n = args.n or (200 if args.quick else 2000)
    memory_n = args.memory_n or (500 if args.quick else 2000)
    compare_n = args.compare_n or (1000 if args.quick else COMPARE_PAIRS)
    print(
        f"runesim speed benchmark: {args.scenario.name}, n={n}, cpus={os.cpu_count()}", flush=True
    )
    load_line("at start")
    if not args.skip_startup:
        startup_figures(3 if args.quick else 5)

    in_time = None if args.skip_speed else speed_figures(args, n)
    if args.instructions:
        instruction_figures(args, in_time)
    if not args.skip_memory:
        horizon = [f"horizon_hours={args.memory_horizon}"]
        small = peak_memory(args.scenario, args.set + horizon, memory_n, args.jobs)
        large = peak_memory(args.scenario, args.set + horizon, 10 * memory_n, args.jobs)
        line(
            f"parent peak RSS, n={memory_n}",
            f"{small['peak_mb']:.0f} MB (base {small['baseline_mb']:.0f})",
        )
        line(
            f"memory, n={10 * memory_n}",
            f"{large['peak_mb']:.0f} MB (base {large['baseline_mb']:.0f})",
            large["peak_mb"] / small["peak_mb"],
            TARGETS["memory"],
            "memory",
        )
        growth = (large["peak_mb"] - large["baseline_mb"]) - (
            small["peak_mb"] - small["baseline_mb"]
        )
        line("  growth above baseline", f"{growth:+.0f} MB for {9 * memory_n} more replications")
    if not args.skip_compare:
        compare_figure(compare_n, args.jobs)
    load_line("at the end")
    failed = [label for label, ok in VERDICTS if not ok]
    print(
        f"{len(VERDICTS) - len(failed)} of {len(VERDICTS)} targets pass"
        + (f"; FAIL: {', '.join(failed)}" if failed else "")
    )


if __name__ == "__main__":
    main()
