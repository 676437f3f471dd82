"""The player's main process: take the strategy's next step, play it, repeat."""

from __future__ import annotations

from collections.abc import Iterator

from sim.model.activities import Activities
from sim.model.playthrough import Playthrough, Proc, Quit
from sim.route_steps import Step

__all__ = ["play", "final_boss"]


def final_boss(pt: Playthrough) -> str:
    """The last boss of the main path: beating it ends the playthrough."""
    return [s.target for s in pt.world.route if s.action == "boss"][-1]


def play(pt: Playthrough, plan: Iterator[Step]) -> Proc:
    """Play the strategy's steps until the final boss falls, the player quits, or the horizon."""
    try:
        yield from _play(pt, plan)
    except Quit:  # the player left for good: the quit event and the close are booked
        return


def _play(pt: Playthrough, plan: Iterator[Step]) -> Proc:
    last = final_boss(pt)
    act = Activities(pt)
    for step in plan:
        if not step.ready(pt):  # whether the world lets the player take this step now
            pt.log("skipped", repr(step))
            continue
        yield from step.run(pt, act)
        if last in pt.player.bosses:
            pt.player.finished_at = pt.env.now
            pt.close()
            pt.log("finish", last, float(pt.player.level))
            return
    pt.close()  # the strategy has nothing left to do: play stops here
    pt.log("route_end", "", float(pt.player.level))
