"""Custom routes: the scenario's own ordered steps, then (optionally) natural progression."""

from __future__ import annotations

from collections.abc import Iterator

from sim.route_steps import Step
from sim.strategy.natural import natural
from sim.strategy.view import PlayView

__all__ = ["route"]


def route(pt: PlayView) -> Iterator[Step]:
    """The steps written in ``route.steps`` (read and checked before the run); then natural
    or stop."""
    cfg = pt.scenario.route
    yield from cfg.steps
    if cfg.then == "natural":
        yield from natural(pt)
