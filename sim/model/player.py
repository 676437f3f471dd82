"""The player of one replication: what it is and has, and the two ways play stops short."""

from __future__ import annotations

import math
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any

from sim.world.access import Access

__all__ = ["Died", "Quit", "Player", "HOUR", "DEATH_CAUSES", "Proc"]

HOUR = 3600.0  # seconds per hour: the clock runs in hours of play
Proc = Generator[Any, Any, Any]


class Died(Exception):
    """The player died while waiting (a lost duel); the activity handles the death."""


class Quit(Exception):  # noqa: N818 (an event, not an error)
    """The player leaves the game for good; the main process ends the playthrough."""


# why a death happened: enemies in the field, a boss, a fall, a status effect, the run back to
# the bloodstain, a farming loop, another player (a lost duel, or falling as an invader)
DEATH_CAUSES = ("enemy", "boss", "fall", "status", "runback", "farm", "pvp")


@dataclass(slots=True, kw_only=True)
class Player(Access):
    """What the player is and has: the access state (level, bosses, zones, items, quests and
    their progress, Great Runes), then the body, the buffs and the tallies."""

    skill: float
    upgrade: float = 0.0  # weapon upgrade level
    zone: str = ""
    activity: str = "explore"
    deaths: int = 0
    boss_deaths: int = 0
    phantom_deaths: int = 0  # deaths as an invader in another world (nothing dropped)
    invasions: int = 0
    invasions_won: int = 0
    scarab: bool = False
    fowl_until: float = -1.0  # the Fowl Foot buff lasts until this hour
    fowl_left: int = 0
    finished_at: float = math.nan
    quit_at: float = math.nan  # the hour the player left for good (NaN: did not quit)
    deaths_by: dict[str, int] = field(default_factory=lambda: dict.fromkeys(DEATH_CAUSES, 0))
    streak: int = 0  # losses in a row at the boss being fought
    level_times: list[float] = field(default_factory=list)  # hour each level was reached
    level_values: list[int] = field(default_factory=list)
