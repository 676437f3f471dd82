"""What a strategy sees of one replication: a typed, read-only view (``PlayView``).

The model's ``Playthrough`` is one; a strategy reads the player's state and the world
through it and answers with route steps, never changing the state itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import Protocol

from sim.route_steps import Step
from sim.scenario.schema import Scenario
from sim.world.schema import Boss, World, Zone

__all__ = ["PlayView", "PlayerView", "Strategy"]


class PlayerView(Protocol):
    """The player's access state and power, read only."""

    @property
    def level(self) -> int: ...

    @property
    def upgrade(self) -> float: ...

    @property
    def bosses(self) -> AbstractSet[str]: ...

    @property
    def zones(self) -> AbstractSet[str]: ...

    @property
    def items(self) -> AbstractSet[str]: ...

    @property
    def quests(self) -> AbstractSet[str]: ...

    @property
    def great_runes(self) -> int: ...

    @property
    def progress(self) -> Mapping[str, int]: ...


class TraitsView(Protocol):
    """How this player differs (``sim.model.traits.PlayerTraits``)."""

    @property
    def appetite(self) -> float: ...

    @property
    def main_share(self) -> float: ...

    @property
    def tolerance(self) -> float: ...

    @property
    def caution(self) -> float: ...


class CombatView(Protocol):
    def level_for_gap(self, level_needed: float, tier: int, upgrade: float, gap: float) -> int: ...


class IndexView(Protocol):
    @property
    def bosses_by_zone(self) -> Mapping[str, Sequence[Boss]]: ...


class PlayView(Protocol):
    """One replication as a strategy sees it."""

    @property
    def scenario(self) -> Scenario: ...

    @property
    def world(self) -> World: ...

    @property
    def index(self) -> IndexView: ...

    @property
    def player(self) -> PlayerView: ...

    @property
    def traits(self) -> TraitsView: ...

    @property
    def u_route(self) -> Callable[[], float]:
        """Uniform draws from the strategy's own stream (its choices)."""
        ...

    @property
    def combat(self) -> CombatView: ...

    @property
    def ng_difficulty(self) -> float: ...

    @property
    def quest_progress(self) -> Mapping[str, int]: ...

    def zone_gap(self, zone: Zone) -> float: ...

    def boss_gap(self, boss: Boss) -> float: ...

    def quest_ready(self, quest: str) -> bool: ...

    def grind_rate(self, zone: str) -> float:
        """Expected runes per hour from grinding ``zone``'s respawning enemies now."""
        ...


Strategy = Callable[[PlayView], Iterator[Step]]
