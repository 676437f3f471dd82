"""The model's activities bound to one playthrough, as route steps play them
(``sim.route_steps.Activities``)."""

from __future__ import annotations

from sim.model.bosses import fight_boss
from sim.model.explore import explore, grind
from sim.model.farming import farm
from sim.model.playthrough import Playthrough, Proc
from sim.model.quests import do_quest

__all__ = ["Activities"]


class Activities:
    """Explore, grind, farm, fight a boss, do a quest: each a SimPy process of ``pt``."""

    def __init__(self, pt: Playthrough) -> None:
        self.pt = pt

    def explore(self, zone: str, share: float) -> Proc:
        return explore(self.pt, zone, share)

    def grind(self, zone: str, until_level: int | None, hours: float | None) -> Proc:
        return grind(self.pt, zone, until_level, hours)

    def farm(self, spot: str, until_level: int | None, hours: float | None) -> Proc:
        return farm(self.pt, spot, until_level, hours)

    def fight_boss(self, name: str) -> Proc:
        return fight_boss(self.pt, name)

    def do_quest(self, quest: str) -> Proc:
        return do_quest(self.pt, quest)
