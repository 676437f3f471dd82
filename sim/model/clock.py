"""The clock of one replication: the grid of play hours the trajectory is sampled on."""

from __future__ import annotations

__all__ = ["grid"]


def grid(horizon: float, step: float) -> list[float]:
    """Grid times 0, step, 2*step, ... up to and including the horizon."""
    n = int(horizon / step + 1e-9)
    times = [round(k * step, 9) for k in range(n + 1)]
    if times[-1] < horizon - 1e-9:
        times.append(horizon)
    return times
