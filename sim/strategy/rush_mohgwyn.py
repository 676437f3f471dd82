"""Rush Mohgwyn: White Mask Varre's questline as early as the game allows, farm, then go on."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sim.strategy.natural import accessible_farm, natural
from sim.strategy.steps import Farm, Quest, Step

__all__ = ["rush_mohgwyn", "QUEST"]

QUEST = "Varre"


def rush_mohgwyn(pt: Any) -> Iterator[Step]:
    """Before every natural step: push Varre's quest as far as it goes, then farm once open."""
    cfg = pt.scenario.rush_mohgwyn
    farmed = False

    def detour() -> Iterator[Step]:
        nonlocal farmed
        if QUEST not in pt.player.quests and pt.quest_ready(QUEST):
            yield Quest(QUEST)
        if not farmed and accessible_farm(pt, cfg.farm):
            farmed = True
            yield Farm(cfg.farm, until_level=cfg.target_level)

    yield from detour()
    for step in natural(pt):
        yield from detour()
        yield step
