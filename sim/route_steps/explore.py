"""``explore "ZONE" [N%]``: fight through a zone (all of it, or N% of its encounters)."""

from __future__ import annotations

import re
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
from sim.world.access import zone_open

__all__ = ["Explore"]

_SHARE = re.compile(r"^(\d+(?:\.\d+)?)\s*%$")


@register
@dataclass(frozen=True)
class Explore(RouteStep):
    zone: str
    share: float = 1.0
    text: str = field(default="", compare=False, repr=False)

    verb: ClassVar[str] = "explore"
    forms: ClassVar[tuple[str, ...]] = ('explore "ZONE" [N%]',)

    @classmethod
    def parse(cls, name: str, rest: str, text: str) -> Explore:
        if not rest:
            return cls(name, text=text)
        s = _SHARE.match(rest)
        if not s or not 0 < float(s.group(1)) <= 100:
            raise StepSyntaxError('explore "ZONE" or explore "ZONE" N% with 0 < N <= 100')
        return cls(name, float(s.group(1)) / 100.0, text=text)

    def form(self) -> str:
        share = "" if self.share >= 1 else f" {self.share * 100:g}%"
        return f'explore "{self.zone}"{share}'

    def check(self, route: RouteCheck) -> None:
        route.known(self.zone, route.world.zones, "zone")
        route.enter(self.zone)

    def ready(self, pt: StepContext) -> bool:
        return zone_open(pt.world, self.zone, pt.player)

    def run(self, pt: StepContext, act: Activities) -> Proc:
        yield from act.explore(self.zone, self.share)
