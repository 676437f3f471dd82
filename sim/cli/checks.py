"""Checks on command-line options shared by the commands (exit 2 naming the option and its
limit)."""

from __future__ import annotations

import math
import re
from pathlib import Path

from sim.errors import InputError
from sim.scenario.limits import MAX_REPLICATIONS, MAX_SEED

__all__ = [
    "check_count",
    "check_seed",
    "check_fraction",
    "check_scheduler",
    "prepare_comparison_out",
]

_ADDRESS = re.compile(
    r"^(?:(tcp|tls|ws|wss|inproc|ucx)://)?([A-Za-z0-9_.\-]+|\[[0-9A-Fa-f:]+\]):(\d{1,5})$"
)


def check_count(flag: str, value: int | None, low: int = 1, high: int = MAX_REPLICATIONS) -> None:
    """A count option (``-n``, ``--block``, ``--max-n``) from ``low`` to ``high``."""
    if value is not None and not low <= value <= high:
        raise InputError.one(None, flag, value, f"a whole number from {low:,} to {high:,}")


def check_seed(value: int | None) -> None:
    if value is not None and not 0 <= value <= MAX_SEED:
        raise InputError.one(None, "--seed", value, "a seed from 0 to 2**63 - 1")


def check_fraction(flag: str, value: float | None) -> None:
    """A relative error strictly between 0 and 1."""
    if value is not None and not (math.isfinite(value) and 0 < value < 1):
        raise InputError.one(None, flag, value, "a relative error between 0 and 1, e.g. 0.02")


def check_scheduler(value: str | None) -> None:
    """``local`` or a scheduler address ``[tcp://]host:port``, with Dask installed."""
    if value is None:
        return
    if value != "local":
        m = _ADDRESS.match(value)
        if not m or not 0 < int(m.group(3)) < 65536:
            raise InputError.one(
                None,
                "--scheduler",
                value,
                '"local" or a Dask scheduler address such as tcp://10.0.0.5:8786',
            )
    from sim.batch.executors import require_dask

    require_dask(value)


def prepare_comparison_out(out: Path, overwrite: bool) -> None:
    """A comparison goes into a new or empty directory, or replaces one with ``--overwrite``."""
    from sim.store.lock import run_lock
    from sim.store.rundir import (
        check_output_path,
        is_stored_run,
        refuse_foreign,
        remove_comparison_files,
    )

    check_output_path(out)
    if not out.is_dir() or not any(out.iterdir()):
        return
    if is_stored_run(out):
        raise InputError.one(
            str(out),
            "--out",
            str(out),
            "a directory for a comparison (this one holds a single stored run)",
        )
    refuse_foreign(out, comparison=True)
    if not overwrite:
        raise InputError.one(
            str(out),
            "--out",
            str(out),
            "a new or empty directory (it holds a stored comparison: add --overwrite to replace "
            "it, or choose another --out)",
        )
    with run_lock(out):
        remove_comparison_files(out)
