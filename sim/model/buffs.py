"""Timed rune buffs: the Gold-Pickled Fowl Foot is a process that starts and expires."""

from __future__ import annotations

import math

from sim.model.playthrough import HOUR, Playthrough, Proc

__all__ = ["fowl_foot", "maybe_eat_fowl_foot", "wear_off"]


FOOT = "Gold-Pickled Fowl Foot"


def fowl_foot(pt: Playthrough) -> Proc:
    """Eat a Gold-Pickled Fowl Foot: kills pay more until it wears off."""
    yield pt.env.timeout(_eat(pt))
    _worn_off(pt, pt.env.now)


def _eat(pt: Playthrough) -> float:
    """A foot eaten now: one fewer left, the buff on until ``fowl_until``; returns its hours."""
    p = pt.player
    p.fowl_left -= 1
    seconds = pt.world.rules.multipliers.fowl_foot_seconds
    p.fowl_until = pt.env.now + seconds / HOUR
    pt.log("buff_on", FOOT, seconds)
    return seconds / HOUR


def _worn_off(pt: Playthrough, hour: float) -> None:
    pt.events.add(hour, "buff_off", pt.player.zone, FOOT, float(pt.player.fowl_left))


def maybe_eat_fowl_foot(pt: Playthrough) -> None:
    """Start a new foot if the scenario uses them now, one is left, and none is active."""
    p = pt.player
    use = pt.scenario.buffs.fowl_foot
    if use == "never" or p.fowl_left <= 0 or pt.env.now < p.fowl_until:
        return
    if use == "farming" and p.activity != "farm":
        return
    if pt.driven:  # no process of its own: it wears off at a known hour (if before the horizon)
        _eat_driven(pt)
    else:
        pt.env.process(fowl_foot(pt))


def _eat_driven(pt: Playthrough) -> None:
    """``fowl_foot`` where the fast engine plays the player's process alone: the buff's end is
    left for the driver to log when its clock passes that hour (``wear_off``), and the events
    its process would have scheduled are counted."""
    _eat(pt)
    pt.wearing_off = pt.player.fowl_until
    pt.sim_events += 2  # its start and its timeout (its end: counted when it wears off)


def wear_off(pt: Playthrough) -> None:
    """The Fowl Foot worn off at ``pt.wearing_off`` (the driver's clock has passed it): logged
    at that hour, where the player was."""
    hour, pt.wearing_off = pt.wearing_off, math.inf
    _worn_off(pt, hour)
    pt.sim_events += 1
