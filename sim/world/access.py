"""Access requirements: tokens such as ``boss:Morgott, the Omen King`` and whether a player meets them.

Tokens: ``boss:NAME`` (defeated), ``zone:NAME`` (explored), ``item:NAME`` (in hand),
``quest:NAME`` (completed), ``great_runes:N`` (at least N held). A list of tokens is
AND-ed; ``|`` inside one token is an OR (``quest:Varre|zone:Consecrated Snowfield``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["satisfied", "token_met", "KINDS"]

KINDS = ("boss", "zone", "item", "quest", "great_runes")


def token_met(token: str, state: Any) -> bool:
    """Whether one token (possibly an OR of alternatives) holds for ``state``."""
    for alt in token.split("|"):
        kind, _, name = alt.strip().partition(":")
        if kind == "great_runes":
            if state.great_runes >= int(name):
                return True
        elif kind == "boss" and name in state.bosses or kind == "zone" and name in state.zones or kind == "item" and name in state.items or kind == "quest" and name in state.quests:
            return True
    return False


def satisfied(tokens: Iterable[str], state: Any) -> bool:
    """Whether every token holds for ``state`` (which has bosses, zones, items, quests, great_runes)."""
    return all(token_met(t, state) for t in tokens)
