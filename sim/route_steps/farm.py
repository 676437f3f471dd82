"""``farm "SPOT" until level >= N`` or ``for N min|h``: loop a farming spot."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from sim.route_steps.base import (
    Activities,
    AmountStep,
    Proc,
    RouteCheck,
    StepContext,
    register,
)
from sim.world.access import farm_open

__all__ = ["Farm"]


@register
@dataclass(frozen=True)
class Farm(AmountStep):
    spot: str
    until_level: int | None = None
    hours: float | None = None
    text: str = field(default="", compare=False, repr=False)

    verb: ClassVar[str] = "farm"
    forms: ClassVar[tuple[str, ...]] = ('farm "SPOT" until level >= N', 'farm "SPOT" for N min|h')

    @property
    def place(self) -> str:
        return self.spot

    def check(self, route: RouteCheck) -> None:
        world = route.world
        route.known(self.spot, world.farms, "farming spot")
        route.amount(self.until_level, self.hours)
        farm = world.farms[self.spot]
        route.open(self.spot, world.zones[farm.zone].requires + farm.requires)

    def ready(self, pt: StepContext) -> bool:
        return farm_open(pt.world, self.spot, pt.player)

    def run(self, pt: StepContext, act: Activities) -> Proc:
        yield from act.farm(self.spot, self.until_level, self.hours)
