"""Places and rewards of player-versus-player fights: hot spots draw more invaders, a win pays
the multiplayer reward rate times a base the game data does not give (a scenario parameter)."""

from __future__ import annotations

import math

from sim.model.playthrough import Playthrough
from sim.world.levels import levels_of

__all__ = ["place_weight", "top_place_weight", "win_runes"]


def place_weight(pt: Playthrough) -> float:
    """How many times the scenario's invasion rate applies where the player is now."""
    pvp = pt.scenario.pvp
    return pvp.hot_spot_factor if pt.player.zone in pvp.hot_spots else 1.0


def top_place_weight(pt: Playthrough) -> float:
    """The largest place weight: invaders are drawn at this rate, then thinned by place."""
    pvp = pt.scenario.pvp
    return pvp.hot_spot_factor if pvp.hot_spots else 1.0


def win_runes(pt: Playthrough) -> int:
    """Runes for beating an invader: (rate x base multiple + the legacy fraction) x next level's
    cost."""
    p = pt.player
    levels = levels_of(pt.world)
    if p.level >= levels.max_level:
        return 0
    pvp, inv = pt.scenario.pvp, pt.scenario.invasions
    share = (
        inv.win_runes_fraction_of_level_cost
        + pvp.host_reward_rate * pvp.reward_base_level_cost_multiple
    )
    return math.floor(share * levels.cost(p.level))
