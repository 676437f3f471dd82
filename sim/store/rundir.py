"""Output directories: a new run goes into a new or empty directory; runesim deletes only its own
files.

A directory is one of: missing, empty, a stored run (``manifest.json``), a
comparison (``comparison.json`` and one stored run per scenario) or *foreign*
(anything else: the user's files). A new run refuses a foreign directory and a
stored one unless told to ``--overwrite`` it, and overwriting removes only the
names runesim writes (the tables' parts, the manifest, the summary, the report,
its own temporary files), so a user's file is never deleted.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

from sim.errors import InputError
from sim.store.atomic import OWN_TEMPORARY
from sim.store.lock import LOCK_FILE
from sim.store.schemas import TABLES
from sim.store.verify import JOURNAL

__all__ = [
    "RUN_FILES",
    "COMPARISON_FILES",
    "check_output_path",
    "foreign_entries",
    "is_stored_run",
    "is_comparison",
    "remove_run_files",
    "remove_comparison_files",
    "OWN_TEMPORARY",
    "SCRATCH",
    "refuse_foreign",
]

RUN_FILES = ("manifest.json", "summary.json", "report.html", JOURNAL, LOCK_FILE)
COMPARISON_FILES = ("comparison.json", "claims.json", "report.html", LOCK_FILE)
_PART = re.compile(r"^part-\d{5,}\.parquet$")
SCRATCH = "dask-scratch-space"  # Dask workers' spill space, inside the run and removed after it
_SCRATCH = (SCRATCH,)


def check_output_path(out: Path, flag: str = "--out") -> None:
    """Refuse an output path that is not a directory (or cannot be one)."""
    try:
        exists, is_dir = out.exists(), out.is_dir()
    except (OSError, ValueError) as err:
        raise InputError.one(str(out), flag, str(out), f"a usable directory path ({err})") from None
    if exists and not is_dir:
        raise InputError.one(str(out), flag, str(out), "a directory, but this is a file")


def _own_run_entry(path: Path) -> bool:
    name = path.name
    if name in RUN_FILES or name in _SCRATCH or OWN_TEMPORARY.match(name):
        return True
    if name in {f"{t}.parquet" for t in TABLES} and path.is_dir():
        return all(_PART.match(p.name) or OWN_TEMPORARY.match(p.name) for p in path.iterdir())
    return False


def is_stored_run(directory: Path) -> bool:
    return (directory / "manifest.json").is_file()


def is_comparison(directory: Path) -> bool:
    return (directory / "comparison.json").is_file() or any(
        p.is_dir() and is_stored_run(p) for p in _entries(directory)
    )


def _entries(directory: Path) -> list[Path]:
    try:
        return sorted(directory.iterdir())
    except FileNotFoundError:
        return []


def foreign_entries(directory: Path, *, comparison: bool = False) -> list[Path]:
    """Entries of ``directory`` that runesim did not write (a run's, or a comparison's)."""
    out = []
    for p in _entries(directory):
        if _own_run_entry(p):
            continue
        if comparison and (p.name in COMPARISON_FILES or (p.is_dir() and _is_own_run_dir(p))):
            continue
        out.append(p)
    return out


def _is_own_run_dir(directory: Path) -> bool:
    entries = _entries(directory)
    return all(_own_run_entry(p) for p in entries)


def refuse_foreign(directory: Path, *, comparison: bool = False, flag: str = "--out") -> None:
    """InputError if ``directory`` holds anything runesim did not write."""
    foreign = foreign_entries(directory, comparison=comparison)
    if foreign:
        shown = ", ".join(repr(p.name) for p in foreign[:3]) + (", ..." if len(foreign) > 3 else "")
        raise InputError.one(
            str(directory),
            flag,
            str(directory),
            f"a new or empty directory: it holds {len(foreign)} "
            f"entr{'y' if len(foreign) == 1 else 'ies'} runesim did not write ({shown}); choose "
            "another directory",
        )


def remove_run_files(directory: Path) -> None:
    """Delete a stored run's own files (never anything else; never the lock)."""
    for name in RUN_FILES:
        if name != LOCK_FILE:
            with contextlib.suppress(FileNotFoundError):
                (directory / name).unlink()
    for table in TABLES:
        d = directory / f"{table}.parquet"
        if not d.is_dir():
            continue
        for p in d.iterdir():
            if _PART.match(p.name) or OWN_TEMPORARY.match(p.name):
                p.unlink()
        with contextlib.suppress(OSError):
            d.rmdir()
    for p in _entries(directory):
        if OWN_TEMPORARY.match(p.name):
            p.unlink()


def remove_comparison_files(directory: Path) -> None:
    """Delete a comparison's own files and its stored runs (runs holding other files are kept)."""
    for p in _entries(directory):
        if p.is_dir() and _is_own_run_dir(p):
            from sim.store.lock import run_lock

            with run_lock(p, quiet=True):  # not while another process writes it
                remove_run_files(p)
            with contextlib.suppress(OSError):
                p.rmdir()
        elif p.name in COMPARISON_FILES and p.name != LOCK_FILE or OWN_TEMPORARY.match(p.name):
            p.unlink()
