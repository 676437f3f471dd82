"""The trajectory: the player's state sampled on a fixed grid of play hours."""

from __future__ import annotations

from sim.model.clock import grid
from sim.model.playthrough import Playthrough, Proc

__all__ = ["record", "grid", "snapshot", "snapshots"]


def snapshot(pt: Playthrough, hours: float, unbooked: int = 0) -> None:
    """Add the state at ``hours`` to the trajectory; ``unbooked``: runes earned by then
    that the ledger has not booked yet (kills of a run in flight, in the fast engine)."""
    tr = pt.trajectory
    led = pt.ledger
    e = led.earned_by
    p = pt.player
    tr.hours.append(hours)
    tr.level.append(p.level)
    tr.runes_held.append(led.held + unbooked)
    tr.runes_earned.append(led.earned + unbooked)
    tr.earned_enemy.append(e["enemy"] + unbooked)
    tr.earned_boss.append(e["boss"])
    tr.earned_item.append(e["item"])
    tr.earned_farm.append(e["farm"])
    tr.earned_invasion.append(e["invasion"])
    tr.runes_spent.append(led.spent)
    tr.runes_lost.append(led.lost)
    tr.deaths.append(p.deaths)
    tr.zone.append(p.zone)


def snapshots(pt: Playthrough, hours: list[float], unbooked: list[int] | None = None) -> None:
    """``snapshot`` at each of ``hours``, between which the state did not change (but for
    ``unbooked``, one per hour when given): the rows added column by column."""
    tr = pt.trajectory
    led = pt.ledger
    e = led.earned_by
    p = pt.player
    n = len(hours)
    tr.hours.extend(hours)
    tr.level.extend([p.level] * n)
    if unbooked is None:
        tr.runes_held.extend([led.held] * n)
        tr.runes_earned.extend([led.earned] * n)
        tr.earned_enemy.extend([e["enemy"]] * n)
    else:
        held, earned, enemy = led.held, led.earned, e["enemy"]
        tr.runes_held.extend([held + u for u in unbooked])
        tr.runes_earned.extend([earned + u for u in unbooked])
        tr.earned_enemy.extend([enemy + u for u in unbooked])
    tr.earned_boss.extend([e["boss"]] * n)
    tr.earned_item.extend([e["item"]] * n)
    tr.earned_farm.extend([e["farm"]] * n)
    tr.earned_invasion.extend([e["invasion"]] * n)
    tr.runes_spent.extend([led.spent] * n)
    tr.runes_lost.extend([led.lost] * n)
    tr.deaths.extend([p.deaths] * n)
    tr.zone.extend([p.zone] * n)


def record(pt: Playthrough, times: list[float]) -> Proc:
    """Sample the state at each grid time before the horizon (the caller adds the last rows)."""
    env = pt.env
    for t in times:
        if t >= pt.scenario.horizon_hours:
            return
        if t > env.now:
            yield env.timeout(t - env.now)
        snapshot(pt, t)
