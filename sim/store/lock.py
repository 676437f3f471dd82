"""One writer per run directory: ``DIR/.runesim.lock``, held from the first write to the end.

The lock is an ``fcntl`` lock on the file, so the kernel releases it on every
exit, a SIGKILL included. The file records who holds it (PID, host, start time)
so a second writer is told whom it waits for, and a file left by a process that
is gone is taken over with a note. The file is removed on a clean release; a
taker checks that the file it locked is still the one at the path, so a release
and a new taker never both hold it.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import socket
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sim.errors import InputError

__all__ = ["LOCK_FILE", "RunLock", "run_lock", "holder"]

LOCK_FILE = ".runesim.lock"

try:
    import fcntl
except ImportError:  # pragma: no cover - not a POSIX system: the O_EXCL file alone
    fcntl = None  # type: ignore[assignment]


def holder(directory: Path | str) -> dict[str, Any] | None:
    """What the lock file of ``directory`` says about its holder (None if none or unreadable)."""
    try:
        data = json.loads((Path(directory) / LOCK_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def _describe(info: dict[str, Any] | None) -> str:
    if not info:
        return "another runesim process"
    return f"process {info.get('pid')} on {info.get('host')} (since {info.get('started')})"


class RunLock:
    """The lock of one run directory; ``acquire`` raises InputError naming the holder."""

    def __init__(self, directory: Path | str, *, quiet: bool = False) -> None:
        self.directory = Path(directory)
        self.path = self.directory / LOCK_FILE
        self.fd: int | None = None
        self.quiet = quiet

    def acquire(self) -> RunLock:
        for _ in range(20):  # a concurrent release can replace the file under us: try again
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
            try:
                if fcntl is not None:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as err:
                os.close(fd)
                if err.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                raise InputError.one(
                    str(self.directory),
                    "--out",
                    str(self.directory),
                    f"a run directory no other process writes to: it is locked by "
                    f"{_describe(holder(self.directory))}; wait for it, or stop it",
                ) from None
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if not same:
                os.close(fd)
                continue
            self._took_over(fd)
            self._record(fd)
            self.fd = fd
            return self
        raise InputError.one(
            str(self.directory), "--out", str(self.directory), "a lock that stays put"
        )

    def _took_over(self, fd: int) -> None:
        """Say so when the lock file was left by a process that is gone."""
        try:
            data = json.loads(os.pread(fd, 4096, 0).decode("utf-8") or "null")
        except (OSError, ValueError):
            return
        if not isinstance(data, dict) or data.get("pid") == os.getpid():
            return
        pid = data.get("pid")
        here = data.get("host") == socket.gethostname()
        if not self.quiet and (not here or not isinstance(pid, int) or not _alive(pid)):
            print(
                f"note: {self.path}: took over the lock left by {_describe(data)}, "
                "which is no longer running",
                file=sys.stderr,
            )

    def _record(self, fd: int) -> None:
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        data = (json.dumps(info) + "\n").encode("utf-8")
        os.ftruncate(fd, 0)
        os.pwrite(fd, data, 0)

    def release(self) -> None:
        if self.fd is None:
            return
        # unlink while holding the lock: a waiting taker then sees a different file and retries
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        os.close(self.fd)
        self.fd = None

    def __enter__(self) -> RunLock:
        return self.acquire()

    def __exit__(self, *exc: Any) -> None:
        self.release()


@contextlib.contextmanager
def run_lock(directory: Path | str, *, quiet: bool = False) -> Iterator[RunLock]:
    """Hold the lock of ``directory`` for the ``with`` block."""
    lock = RunLock(directory, quiet=quiet).acquire()
    try:
        yield lock
    finally:
        lock.release()
