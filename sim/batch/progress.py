"""The progress bar of a batch: replications done, rate, running mean level and failures."""

from __future__ import annotations

import time
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

__all__ = ["BatchProgress"]


class BatchProgress:
    """A rich progress bar on stderr, or nothing at all when ``enabled`` is false."""

    def __init__(self, total: int, done: int, enabled: bool, label: str) -> None:
        self.enabled = enabled
        self.label = label
        self.start_done = done
        self.started = time.perf_counter()
        self.progress: Progress | None = None
        if enabled:
            self.progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("replications"),
                TextColumn("{task.fields[rate]}"),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                TextColumn("{task.fields[stats]}"),
                console=Console(stderr=True),
                transient=False,
                # redrawn twice a second, not rich's ten: the bar's own CPU (about 3% of a core
                # at ten) comes out of the workers' cores
                refresh_per_second=2,
            )
            self.task = self.progress.add_task(
                label, total=total, completed=done, rate="", stats=""
            )

    def __enter__(self) -> BatchProgress:
        if self.progress is not None:
            self.progress.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.progress is not None:
            self.progress.stop()

    def update(self, done: int, mean_level: float | None, failures: int) -> None:
        """Show ``done`` replications stored, the rate this session and running statistics."""
        if self.progress is None:
            return
        seconds = max(time.perf_counter() - self.started, 1e-9)
        rate = (done - self.start_done) / seconds
        stats = f"mean level {mean_level:.1f}" if mean_level is not None else ""
        if failures:
            stats += f"  [red]{failures} failed[/red]"
        self.progress.update(self.task, completed=done, rate=f"{rate:.1f}/s", stats=stats)
