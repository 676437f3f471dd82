"""Speed and memory of runesim batches, against the project's targets.

One run measures, in order:

1. bare SimPy: events per second of one process yielding timeouts (the ceiling);
2. runesim on a scenario (default ``scenarios/natural.toml``): simulation events
   per second and replications per second with ``--jobs 1``, ``--jobs 2`` and a
   2-worker Dask LocalCluster (loopback);
3. the parent's peak memory (max RSS of the parent process only, each size in a
   fresh process) for a short-horizon batch of n and 10 n replications.

Then prints each figure and its ratio against the target:
runesim >= 50% of bare SimPy events/s; 2 workers >= 1.8x one; LocalCluster
>= 1.6x one; peak parent memory at 10 n <= 1.2x that at n.

    python bench/bench_speed.py            # full run (a few minutes)
    python bench/bench_speed.py --quick    # smaller batches, about a minute
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
TARGETS = {"events": 0.50, "jobs2": 1.8, "dask2": 1.6, "memory": 1.2}


def bare_simpy_events_per_second(events: int) -> float:
    """Events per second of SimPy on a plain timeout loop: the kernel's own speed."""
    import simpy

    def clock(env):
        while True:
            yield env.timeout(1)

    env = simpy.Environment()
    env.process(clock(env))
    t0 = time.perf_counter()
    env.run(until=events)
    return events / (time.perf_counter() - t0)


def load(scenario: Path, overrides: list[str]):
    from sim.scenario.load import load_scenario

    return load_scenario(scenario, overrides=overrides)


def timed_batch(scenario, n: int, **kw) -> dict:
    """Run one batch into a temporary directory; return its rates."""
    from sim.batch import run_batch
    from sim.store import read_table

    with tempfile.TemporaryDirectory(prefix="runesim-bench-") as tmp:
        out = Path(tmp) / "run"
        t0 = time.perf_counter()
        outcome = run_batch(scenario, out, n=n, progress=False, **kw)
        wall = time.perf_counter() - t0
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


def line(label: str, value: str, ratio: float | None = None, target: float | None = None) -> None:
    verdict = ""
    if ratio is not None and target is not None:
        ok = ratio <= target if label.startswith("memory") else ratio >= target
        verdict = f"ratio {ratio:.2f} (target {'<=' if label.startswith('memory') else '>='} {target}) {'PASS' if ok else 'FAIL'}"
    print(f"{label:<34} {value:<34} {verdict}", flush=True)


def scaling(label: str, many: dict, one: dict, target: float) -> None:
    """Print a parallel batch's rate against --jobs 1: overall, and once started."""
    rate = many["replications_per_second"]
    line(label, f"{rate:.2f} repl/s", rate / one["replications_per_second"], target)
    steady = many["steady_replications_per_second"]
    ratio = steady / one["steady_replications_per_second"]
    line(
        "  after start-up",
        f"{steady:.2f} repl/s (start-up {many['startup_seconds']:.1f} s)",
        ratio,
        target,
    )
    line("  CPU share of each worker", f"{many['cpu_share']:.0%} (jobs 1: {one['cpu_share']:.0%})")


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
    parser.add_argument("--jobs", type=int, default=2, help="workers of the memory batches")
    parser.add_argument("--skip-dask", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.memory_child is not None:
        memory_child(args.scenario, args.set, args.memory_child, args.jobs)
        return

    n = args.n or (200 if args.quick else 2000)
    memory_n = args.memory_n or (500 if args.quick else 2000)
    print(
        f"runesim speed benchmark: {args.scenario.name}, n={n}, cpus={os.cpu_count()}", flush=True
    )

    bare = bare_simpy_events_per_second(200_000 if args.quick else 1_000_000)
    line("bare SimPy timeout loop", f"{bare:,.0f} events/s")

    scenario = load(args.scenario, args.set)
    from sim.batch.worker import DEFAULT_ENGINE, load_engine_world

    load_engine_world(DEFAULT_ENGINE.load_world)  # the parent's world load is not timed
    one = timed_batch(scenario, n, jobs=1)
    line("runesim --jobs 1", f"{one['replications_per_second']:.2f} repl/s")
    line("  after the first chunk", f"{one['steady_replications_per_second']:.2f} repl/s")
    line(
        "runesim events (jobs 1)",
        f"{one['sim_events_per_second']:,.0f} events/s",
        one["sim_events_per_second"] / bare,
        TARGETS["events"],
    )
    line("  worker-only events", f"{one['worker_events_per_second']:,.0f} events/s")
    line("  events per replication", f"{one['sim_events'] / n:,.0f}")
    line("  CPU share of the worker", f"{one['cpu_share']:.0%}")
    scaling("runesim --jobs 2", timed_batch(scenario, n, jobs=2), one, TARGETS["jobs2"])
    if not args.skip_dask:
        dask = timed_batch(scenario, n, jobs=2, scheduler="local")
        scaling("runesim LocalCluster(2)", dask, one, TARGETS["dask2"])
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
        )
        growth = (large["peak_mb"] - large["baseline_mb"]) - (
            small["peak_mb"] - small["baseline_mb"]
        )
        line("  growth above baseline", f"{growth:+.0f} MB for {9 * memory_n} more replications")


if __name__ == "__main__":
    main()
