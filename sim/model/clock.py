"""The clock of one replication: the player's process, play time by place, exposure to
invaders, and the grid of play hours the trajectory is sampled on."""

from __future__ import annotations

import math
from functools import lru_cache

import simpy

__all__ = ["Clock", "Grid", "grid"]


def grid(horizon: float, step: float) -> list[float]:
    """Grid times 0, step, 2*step, ... up to and including the horizon."""
    n = int(horizon / step + 1e-9)
    times = [round(k * step, 9) for k in range(n + 1)]
    if times[-1] < horizon - 1e-9:
        times.append(horizon)
    return times


@lru_cache(maxsize=16)
def _grid(horizon: float, step: float) -> tuple[float, ...]:
    return tuple(grid(horizon, step))


class Grid:
    """The play hours the trajectory is sampled at, and how far it is filled: the fast
    engine fills it as the player's process resumes (``next``: the first time not recorded,
    ``due``: that time)."""

    __slots__ = ("times", "next", "due", "horizon")

    def __init__(self, horizon: float, step: float) -> None:
        self.horizon = horizon
        self.times = list(_grid(horizon, step))  # the same grid for every replication
        self.next = 0
        self.due = math.inf


class Clock:
    """The clock of one replication: the player's main process (what an invader interrupts),
    where the play time of the current place started, when play stopped, and the hours the
    player was open to invaders."""

    __slots__ = (
        "env",
        "process",
        "in_duel",
        "exposed_hours",
        "exposed_since",
        "place_since",
        "closed",
        "ended_at",
    )

    def __init__(self, env: simpy.Environment) -> None:
        self.env = env
        self.process: simpy.Process | None = None
        self.in_duel = False  # an invader is being fought (no second one can come)
        self.exposed_hours = 0.0
        self.exposed_since: float | None = None
        self.place_since = 0.0  # the current place's play time runs from this hour
        self.closed = False
        self.ended_at = math.nan  # when play stopped (finish, route end or horizon)

    def since_place(self) -> float:
        """Hours spent at the current place; the count starts again now."""
        now = self.env.now
        hours, self.place_since = now - self.place_since, now
        return hours

    def start_exposure(self, exposed: bool) -> None:
        """The player may be open to invaders from now (``exposed``: the place allows it)."""
        if self.exposed_since is None and exposed:
            self.exposed_since = self.env.now

    def end_exposure(self) -> None:
        if self.exposed_since is not None:
            self.exposed_hours += self.env.now - self.exposed_since
            self.exposed_since = None
