"""Custom routes: the scenario's own ordered steps, then (optionally) natural progression."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sim.strategy.natural import natural
from sim.strategy.steps import Step, parse_step

__all__ = ["route"]


def route(pt: Any) -> Iterator[Step]:
    """The steps written in ``route.steps``, checked before the run; then natural or stop."""
    cfg = pt.scenario.route
    for text in cfg.steps:
        yield parse_step(text)
    if cfg.then == "natural":
        yield from natural(pt)
