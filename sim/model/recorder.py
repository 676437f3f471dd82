"""The trajectory: the player's state sampled on a fixed grid of play hours."""

from __future__ import annotations

from sim.model.clock import grid
from sim.model.playthrough import Playthrough, Proc

__all__ = ["TRAJECTORY_COLUMNS", "record", "grid"]

TRAJECTORY_COLUMNS = (
    "hours", "level", "runes_held", "runes_earned", "earned_enemy", "earned_boss", "earned_item",
    "earned_farm", "earned_invasion", "runes_spent", "runes_lost", "deaths", "zone",
)


def snapshot(pt: Playthrough, hours: float) -> tuple:
    led = pt.ledger
    e = led.earned_by
    p = pt.player
    return (
        hours, p.level, led.held, led.earned, e["enemy"], e["boss"], e["item"], e["farm"],
        e["invasion"], led.spent, led.lost, p.deaths, p.zone,
    )


def record(pt: Playthrough, times: list[float], rows: list[tuple]) -> Proc:
    """Sample the state at each grid time before the horizon (the caller adds the last rows)."""
    env = pt.env
    for t in times:
        if t >= pt.scenario.horizon_hours:
            return
        if t > env.now:
            yield env.timeout(t - env.now)
        rows.append(snapshot(pt, t))
