"""The trajectory: the player's state sampled on a fixed grid of play hours."""

from __future__ import annotations

from sim.model.clock import grid
from sim.model.playthrough import Playthrough, Proc

__all__ = ["record", "grid", "snapshot", "snapshots"]


def snapshot(pt: Playthrough, hours: float, unbooked: int = 0) -> None:
    """Add the state at ``hours`` to the trajectory; ``unbooked``: runes earned by then
    that the ledger has not booked yet (kills of a run in flight, in the fast engine)."""
    snapshots(pt, [hours], [unbooked] if unbooked else None)


def snapshots(pt: Playthrough, hours: list[float], unbooked: list[int] | None = None) -> None:
    """``snapshot`` at each of ``hours``, between which the state did not change (but for
    ``unbooked``, one per hour when given): one block of rows (see ``Trajectories``)."""
    tr = pt.trajectory
    led = pt.ledger
    e = led.earned_by
    p = pt.player
    tr.hours += hours
    tr.counts.append(len(hours))
    if unbooked is None:
        tr.pending.append(False)
    else:
        tr.pending.append(True)
        tr.unbooked += unbooked
    tr.level.append(p.level)
    tr.runes_held.append(led.held)
    tr.runes_earned.append(led.earned)
    tr.earned_enemy.append(e["enemy"])
    tr.earned_boss.append(e["boss"])
    tr.earned_item.append(e["item"])
    tr.earned_farm.append(e["farm"])
    tr.earned_invasion.append(e["invasion"])
    tr.runes_spent.append(led.spent)
    tr.runes_lost.append(led.lost)
    tr.deaths.append(p.deaths)
    tr.zone.append(p.zone)


def record(pt: Playthrough, times: list[float]) -> Proc:
    """Sample the state at each grid time before the horizon (the caller adds the last rows)."""
    env = pt.env
    for t in times:
        if t >= pt.scenario.horizon_hours:
            return
        if t > env.now:
            yield env.timeout(t - env.now)
        snapshot(pt, t)
