"""Atomic file writes: a reader sees the old file or the whole new one, never a torn one.

The data goes to a temporary file in the same directory, is flushed to disk,
then renamed over the target (``os.replace`` is atomic on one file system).
A run killed mid-write leaves at most a hidden ``*.tmp`` file, which readers
ignore and the next write in that directory clears.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from pathlib import Path

__all__ = [
    "atomic_write_bytes",
    "atomic_write_text",
    "current_umask",
    "remove_stale_temporaries",
    "TMP_SUFFIX",
    "OWN_TEMPORARY",
]

TMP_SUFFIX = ".tmp"
# the temporary files ``atomic_write_bytes`` makes: ".<target>.<8 random characters>.tmp"
OWN_TEMPORARY = re.compile(
    r"^\.(manifest\.json|summary\.json|report\.html|comparison\.json|claims\.json|part-\d{5,}\.parquet)"
    r"\.[A-Za-z0-9_]+\.tmp$"
)


def atomic_write_bytes(path: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically, creating the parent directory if needed."""
    path = Path(path)
    parent = path.parent
    try:
        fd, tmp = _temporary(parent, path.name)
    except FileNotFoundError:
        parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = _temporary(parent, path.name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(parent)
    return path


def _temporary(directory: Path, name: str) -> tuple[int, str]:
    """A new private temporary file ``.<name>.<random>.tmp`` in ``directory``, open for writing.

    Created with mode 0666, so the kernel applies the user's umask as open() would.
    """
    while True:
        tmp = os.path.join(directory, f".{name}.{secrets.token_hex(6)}{TMP_SUFFIX}")
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:  # pragma: no cover - 48 random bits taken
            continue


def current_umask() -> int:
    """The process's umask (read without changing it where the system allows)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # elsewhere: set and restore
    os.umask(mask)
    return mask


def atomic_write_text(path: Path | str, text: str) -> Path:
    """Write ``text`` (UTF-8, newlines as given) to ``path`` atomically."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def remove_stale_temporaries(directory: Path | str) -> int:
    """Delete temporary files a killed writer left in ``directory``; return how many."""
    directory = Path(directory)
    if not directory.is_dir():
        return 0
    removed = 0
    for tmp in directory.glob(f".*{TMP_SUFFIX}"):
        if not OWN_TEMPORARY.match(tmp.name):
            continue
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
            removed += 1
    return removed


def _fsync_dir(directory: Path) -> None:
    # the rename itself is durable only once the directory entry is on disk
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # some platforms cannot open a directory; the rename is still atomic
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
