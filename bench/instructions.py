"""Instructions, not seconds: one replication's cost against bare SimPy's, counted by valgrind.

A CPU-second ratio (``bench_speed.py``'s replication cost) moves with the machine: on a
shared 2-core machine the same code measured 6.4 and 8.5 ms per replication ten minutes
apart, and bare SimPy between 1.1 and 2.0 us per event. Instructions do not move:
``valgrind --tool=cachegrind`` counts the same total for the same program and inputs however
busy the machine is. This prints, for the scenario of the benchmark:

- bare SimPy's instructions per event (a timeout loop of 200,000 events, less one of 1);
- a worker's instructions per replication (``run_chunk`` of two parts of ``chunk_size``
  replications, less one part: simulate, tabulate, Arrow and Parquet, steady state);
- their ratio: the replication in bare-SimPy events' instructions.

Set beside the CPU-second ratio of the same run, it tells how much of a replication's cost
is the number of instructions the model runs and how much is the rate at which the CPU runs
them (a tight timeout loop runs more instructions per second than a model spread over many
objects). No target is judged on it: the issue's targets are in time.

    python bench/bench_speed.py --instructions   # with the other figures, or alone:
    python bench/instructions.py [--scenario FILE] [--set key=value ...]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Generator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BARE_EVENTS = 200_000
# one thread for numpy's libraries and a fixed string hash: the same count on every run
_QUIET = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "PYTHONHASHSEED": "0"}


def available() -> bool:
    return shutil.which("valgrind") is not None


def _count(*child: str) -> int:
    """Instructions of ``python bench/instructions.py --child ...`` under cachegrind."""
    env = {**os.environ, **_QUIET, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [
            "valgrind",
            "--tool=cachegrind",
            "--cache-sim=no",
            "--cachegrind-out-file=/dev/null",
            sys.executable,
            __file__,
            "--child",
            *child,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"valgrind failed:\n{done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def measure(scenario: Path, overrides: list[str]) -> dict:
    """Instructions per bare-SimPy event and per replication (see the module's text)."""
    bare = (_count("bare", str(BARE_EVENTS + 1)) - _count("bare", "1")) / BARE_EVENTS
    spec = json.dumps({"scenario": str(scenario), "set": overrides})
    one, two = _count("chunks", spec, "1"), _count("chunks", spec, "2")
    per_chunk = _chunk_size(scenario, overrides)
    replication = (two - one) / per_chunk
    return {
        "bare_per_event": bare,
        "per_replication": replication,
        "ratio": replication / bare,
        "chunk_size": per_chunk,
    }


def _chunk_size(scenario: Path, overrides: list[str]) -> int:
    from sim.scenario.load import load_scenario

    return int(load_scenario(scenario, overrides=overrides).chunk_size)


def _child(kind: str, *rest: str) -> None:
    if kind == "bare":
        import simpy

        def clock(env: simpy.Environment) -> Generator[simpy.Event, None, None]:
            while True:
                yield env.timeout(1)

        env = simpy.Environment()
        env.process(clock(env))
        env.run(until=int(rest[0]))
        return
    from sim.batch.worker import DEFAULT_ENGINE, load_engine_world, run_chunk
    from sim.scenario.load import load_scenario

    spec = json.loads(rest[0])
    sc = load_scenario(Path(spec["scenario"]), overrides=spec["set"])
    load_engine_world(DEFAULT_ENGINE.load_world)
    size = sc.chunk_size
    text = sc.model_dump_json()
    for k in range(int(rest[1])):  # parts of the batch, as a --jobs 1 worker runs them
        run_chunk(text, k * size, (k + 1) * size)


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        _child(*sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", type=Path, default=ROOT / "scenarios" / "natural.toml")
    parser.add_argument("--set", action="append", default=[], help="scenario override key=value")
    args = parser.parse_args()
    if not available():
        raise SystemExit("valgrind is not installed: no instruction counts")
    got = measure(args.scenario, args.set)
    print(
        f"bare SimPy: {got['bare_per_event']:,.0f} instructions per event; a replication "
        f"({args.scenario.name}, parts of {got['chunk_size']}): "
        f"{got['per_replication'] / 1e6:.2f} M = {got['ratio']:,.0f} bare-SimPy events"
    )


if __name__ == "__main__":
    main()
