"""Timed rune buffs: the Gold-Pickled Fowl Foot is a process that starts and expires."""

from __future__ import annotations

from sim.model.playthrough import HOUR, Playthrough, Proc

__all__ = ["fowl_foot", "maybe_eat_fowl_foot"]


def fowl_foot(pt: Playthrough) -> Proc:
    """Eat a Gold-Pickled Fowl Foot: kills pay more until it wears off."""
    p = pt.player
    p.fowl_left -= 1
    seconds = pt.world.rules.multipliers.fowl_foot_seconds
    p.fowl_until = pt.env.now + seconds / HOUR
    pt.log("buff_on", "Gold-Pickled Fowl Foot", seconds)
    yield pt.env.timeout(seconds / HOUR)
    pt.log("buff_off", "Gold-Pickled Fowl Foot", float(p.fowl_left))


def maybe_eat_fowl_foot(pt: Playthrough) -> None:
    """Start a new foot if the scenario uses them now, one is left, and none is active."""
    p = pt.player
    use = pt.scenario.buffs.fowl_foot
    if use == "never" or p.fowl_left <= 0 or pt.env.now < p.fowl_until:
        return
    if use == "farming" and p.activity != "farm":
        return
    pt.env.process(fowl_foot(pt))
