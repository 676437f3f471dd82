"""``quest "QUEST"``: take a questline as far as its next steps allow (at least one step)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from sim.route_steps.base import (
    Activities,
    Proc,
    RouteCheck,
    RouteStep,
    StepContext,
    StepSyntaxError,
    register,
)
from sim.world.access import advance_quest, next_quest_step

__all__ = ["Quest"]


@register
@dataclass(frozen=True)
class Quest(RouteStep):
    name: str
    text: str = field(default="", compare=False, repr=False)

    verb: ClassVar[str] = "quest"
    forms: ClassVar[tuple[str, ...]] = ('quest "QUEST"',)

    @classmethod
    def parse(cls, name: str, rest: str, text: str) -> Quest:
        if rest:
            raise StepSyntaxError('quest "NAME" with nothing after it')
        return cls(name, text=text)

    def form(self) -> str:
        return f'quest "{self.name}"'

    def check(self, route: RouteCheck) -> None:
        world = route.world
        route.known(self.name, dict.fromkeys(q.quest for q in world.quests), "quest")
        # like the game: the quest goes as far as its next steps allow, at least one step
        access = route.access
        step = next_quest_step(world, self.name, access)
        if not advance_quest(world, self.name, access) and step is not None:
            route.open(
                f"{self.name} step {step.step}", step.requires + world.zones[step.zone].requires
            )

    def ready(self, pt: StepContext) -> bool:
        return pt.quest_ready(self.name)

    def run(self, pt: StepContext, act: Activities) -> Proc:
        yield from act.do_quest(self.name)
