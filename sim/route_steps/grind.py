"""``grind "ZONE" until level >= N`` or ``for N min|h``: fight a zone's respawning enemies."""

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
from sim.world.access import zone_open

__all__ = ["Grind"]


@register
@dataclass(frozen=True)
class Grind(AmountStep):
    zone: str
    until_level: int | None = None
    hours: float | None = None
    text: str = field(default="", compare=False, repr=False)

    verb: ClassVar[str] = "grind"
    forms: ClassVar[tuple[str, ...]] = ('grind "ZONE" until level >= N', 'grind "ZONE" for N min|h')

    @property
    def place(self) -> str:
        return self.zone

    def check(self, route: RouteCheck) -> None:
        route.known(self.zone, route.world.zones, "zone")
        route.amount(self.until_level, self.hours)
        route.enter(self.zone)

    def ready(self, pt: StepContext) -> bool:
        return zone_open(pt.world, self.zone, pt.player)

    def run(self, pt: StepContext, act: Activities) -> Proc:
        yield from act.grind(self.zone, self.until_level, self.hours)
