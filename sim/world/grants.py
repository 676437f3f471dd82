"""Giving a player what access tokens name (the other half of ``sim.world.access``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.world.access import AccessState

__all__ = ["grant"]


def grant(state: AccessState, tokens: Iterable[str]) -> None:
    """Give ``state`` what the tokens name: items, quests, bosses, zones, Great Runes."""
    for token in tokens:
        kind, _, name = token.partition(":")
        if kind == "item":
            state.items.add(name)
        elif kind == "quest":
            state.quests.add(name)
        elif kind == "boss":
            state.bosses.add(name)
        elif kind == "zone":
            state.zones.add(name)
        elif kind == "great_runes":
            state.great_runes = max(state.great_runes, int(name))
