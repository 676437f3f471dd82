"""Questlines as the data records them: White Mask Varre's route to Mohgwyn Palace."""

from __future__ import annotations

from sim.model.combat import sigmoid
from sim.model.playthrough import Playthrough, Proc
from sim.world.access import next_quest_step, take_quest_step
from sim.world.schema import QuestStep

__all__ = ["do_quest", "invade_as_phantom", "phantom_death"]


def do_quest(pt: Playthrough, quest: str) -> Proc:
    """Do the steps of a quest in order while their requirements hold."""
    while (step := next_quest_step(pt.world, quest, pt.player)) is not None and pt.quest_ready(
        quest
    ):
        zone = pt.world.zones[step.zone]
        pt.set_place(zone.name, "quest")
        if step.minutes:
            yield from pt.wait(step.minutes / 60.0)
        if step.action == "invade":
            yield from invade_as_phantom(pt, step)
        take_quest_step(pt.player, step)
        pt.log("quest_step", f"{quest} {step.step}: {step.description}", float(step.step))


def invade_as_phantom(pt: Playthrough, step: QuestStep) -> Proc:
    """Take part in ``step.count`` invasions of other worlds: each one counts, won or lost.

    The sources say three invasions taken part in, with no need to win them
    (sim/data/quests.csv). An invader who falls is sent back to its own world
    with its runes: no bloodstain, no run-back (``phantom_death``).
    """
    rm = pt.scenario.rush_mohgwyn
    rng = pt.rng.quest
    for k in range(1, step.count + 1):
        yield from pt.wait(
            rng.gamma(rm.invasion_shape, rm.invasion_minutes / rm.invasion_shape) / 60.0
        )
        p_win = sigmoid(rm.invasion_win_intercept + rm.invasion_win_skill * pt.player.skill)
        if rng.random() < p_win:
            pt.log("quest_step", f"{step.quest}: invasion won", float(k))
        else:
            pt.log("quest_step", f"{step.quest}: invasion lost", float(k))
            phantom_death(pt)


def phantom_death(pt: Playthrough) -> None:
    """The player fell as an invader in another world: a death, but its runes stay held."""
    pt.player.deaths += 1
    pt.player.phantom_deaths += 1
    pt.player.deaths_by["pvp"] += 1
    pt.log("death", "invader", 0.0)
