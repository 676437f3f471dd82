"""Questlines as the data records them: White Mask Varre's route to Mohgwyn Palace."""

from __future__ import annotations

from sim.model.combat import sigmoid
from sim.model.playthrough import Playthrough, Proc
from sim.world.grants import grant

__all__ = ["do_quest"]


def do_quest(pt: Playthrough, quest: str) -> Proc:
    """Do the steps of a quest in order while their requirements hold."""
    rm = pt.scenario.rush_mohgwyn
    rng = pt.rng.quest
    for step in sorted((s for s in pt.world.quests if s.quest == quest), key=lambda s: s.step):
        if step.step <= pt.quest_progress.get(quest, 0):
            continue
        if not pt.quest_ready(quest):
            return
        zone = pt.world.zones[step.zone]
        pt.set_place(zone.name, "quest")
        if step.minutes:
            yield from pt.wait(step.minutes / 60.0)
        if step.action == "invade":
            wins = 0
            while wins < step.count:
                yield from pt.wait(rng.gamma(2.0, rm.invasion_minutes / 2.0) / 60.0)
                p_win = sigmoid(rm.invasion_win_intercept + rm.invasion_win_skill * pt.player.skill)
                if rng.random() < p_win:
                    wins += 1
                    pt.log("quest_step", f"{quest}: invasion won", float(wins))
                else:
                    pt.log("quest_step", f"{quest}: invasion lost", float(wins))
                    pt.die()  # an invader who falls drops runes as in any death
                    yield from pt.respawn(pt.zone_gap(zone))
        grant(pt.player, step.grants)
        pt.quest_progress[quest] = step.step
        pt.log("quest_step", f"{quest} {step.step}: {step.description}", float(step.step))
