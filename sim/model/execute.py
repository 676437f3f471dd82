"""The player's main process: take the strategy's next step, play it, repeat."""

from __future__ import annotations

from collections.abc import Iterator

from sim.model.bosses import fight_boss
from sim.model.explore import explore, grind
from sim.model.farming import farm
from sim.model.playthrough import Playthrough, Proc, Quit
from sim.model.quests import do_quest
from sim.strategy.natural import accessible_boss, accessible_farm, accessible_zone
from sim.strategy.steps import Boss, Explore, Farm, Grind, Quest, Step

__all__ = ["play", "final_boss"]


def final_boss(pt: Playthrough) -> str:
    """The last boss of the main path: beating it ends the playthrough."""
    return [s.target for s in pt.world.route if s.action == "boss"][-1]


def _open(pt: Playthrough, step: Step) -> bool:
    """Whether the world lets the player take this step now."""
    match step:
        case Explore(zone=z) | Grind(zone=z):
            return accessible_zone(pt, z)
        case Boss(name=b):
            return accessible_boss(pt, b)
        case Farm(spot=s):
            return accessible_farm(pt, s)
        case Quest(name=q):
            return pt.quest_ready(q)
    return False


def play(pt: Playthrough, plan: Iterator[Step]) -> Proc:
    """Play the strategy's steps until the final boss falls, the player quits, or the horizon."""
    try:
        yield from _play(pt, plan)
    except Quit:  # the player left for good: the quit event and the close are booked
        return


def _play(pt: Playthrough, plan: Iterator[Step]) -> Proc:
    last = final_boss(pt)
    for step in plan:
        if not _open(pt, step):
            pt.log("skipped", repr(step))
            continue
        match step:
            case Explore(zone=z, share=share):
                yield from explore(pt, z, share)
            case Boss(name=b):
                yield from fight_boss(pt, b)
            case Farm(spot=s, until_level=lv, hours=h):
                yield from farm(pt, s, lv, h)
            case Grind(zone=z, until_level=lv, hours=h):
                yield from grind(pt, z, lv, h)
            case Quest(name=q):
                yield from do_quest(pt, q)
        if last in pt.player.bosses:
            pt.player.finished_at = pt.env.now
            pt.close()
            pt.log("finish", last, float(pt.player.level))
            return
    pt.close()  # the strategy has nothing left to do: play stops here
    pt.log("route_end", "", float(pt.player.level))
