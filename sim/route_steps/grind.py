"""``grind "ZONE" until level >= N`` or ``for N min|h``: fight a zone's respawning enemies."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from sim.route_steps.base import (
    Activities,
    Proc,
    RouteCheck,
    RouteStep,
    StepContext,
    amount_form,
    read_amount,
    register,
)
from sim.world.access import zone_open
from sim.world.grants import grant

__all__ = ["Grind"]


@register
@dataclass(frozen=True)
class Grind(RouteStep):
    zone: str
    until_level: int | None = None
    hours: float | None = None
    text: str = field(default="", compare=False, repr=False)

    verb: ClassVar[str] = "grind"
    forms: ClassVar[tuple[str, ...]] = ('grind "ZONE" until level >= N', 'grind "ZONE" for N min|h')

    @classmethod
    def parse(cls, name: str, rest: str, text: str) -> Grind:
        until_level, hours = read_amount(cls.verb, rest)
        return cls(name, until_level, hours, text=text)

    def form(self) -> str:
        return f'grind "{self.zone}" {amount_form(self.until_level, self.hours)}'

    def check(self, route: RouteCheck) -> None:
        world = route.world
        route.known(self.zone, world.zones, "zone")
        route.amount(self.until_level, self.hours)
        zone = world.zones[self.zone]
        route.open(self.zone, zone.requires)
        route.access.zones.add(self.zone)
        grant(route.access, zone.grants)

    def ready(self, pt: StepContext) -> bool:
        return zone_open(pt.world, self.zone, pt.player)

    def run(self, pt: StepContext, act: Activities) -> Proc:
        yield from act.grind(self.zone, self.until_level, self.hours)
