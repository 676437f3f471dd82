"""``boss "BOSS"``: fight a boss until it falls (or the player gives up)."""

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
from sim.world.access import boss_open

__all__ = ["Boss"]


@register
@dataclass(frozen=True)
class Boss(RouteStep):
    name: str
    text: str = field(default="", compare=False, repr=False)

    verb: ClassVar[str] = "boss"
    forms: ClassVar[tuple[str, ...]] = ('boss "BOSS"',)

    @classmethod
    def parse(cls, name: str, rest: str, text: str) -> Boss:
        if rest:
            raise StepSyntaxError('boss "NAME" with nothing after it')
        return cls(name, text=text)

    def form(self) -> str:
        return f'boss "{self.name}"'

    def check(self, route: RouteCheck) -> None:
        world = route.world
        route.known(self.name, world.bosses, "boss")
        boss = world.bosses[self.name]
        route.open(self.name, world.zones[boss.zone].requires + boss.requires)
        route.access.bosses.add(self.name)
        route.access.great_runes += int(boss.great_rune)

    def ready(self, pt: StepContext) -> bool:
        return boss_open(pt.world, self.name, pt.player)

    def run(self, pt: StepContext, act: Activities) -> Proc:
        yield from act.fight_boss(self.name)
