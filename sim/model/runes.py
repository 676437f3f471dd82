"""What kills pay: the player's rune buffs and the NG+ cycle's rates, as the rules give them."""

from __future__ import annotations

from sim.model.player import Player
from sim.world.schema import Boss, RuneMultipliers

__all__ = ["RuneRates"]


class RuneRates:
    """Golden Scarab and Gold-Pickled Fowl Foot (stacked as ``rules.multipliers.stacking``
    says) and the NG+ cycle's rate by area tier."""

    __slots__ = ("scarab", "fowl", "stack_mult", "cycle", "cycle_rate", "tier_rate")

    def __init__(self, m: RuneMultipliers, cycle: int) -> None:
        self.scarab = m.golden_scarab
        self.fowl = m.gold_pickled_fowl_foot
        self.stack_mult = m.stacking == "multiplicative"
        self.cycle = cycle  # NG+ cycle (0: the first journey)
        self.cycle_rate = m.ng_plus_cycle[min(cycle, len(m.ng_plus_cycle) - 1)] if cycle else 1.0
        self.tier_rate = m.ng_plus_tier

    def buff(self, p: Player, hour: float) -> float:
        """The player's own rune buffs at ``hour``."""
        scarab = self.scarab if p.scarab else 1.0
        fowl = self.fowl if hour < p.fowl_until else 1.0
        return scarab * fowl if self.stack_mult else 1.0 + (scarab - 1.0) + (fowl - 1.0)

    def multiplier(self, p: Player, tier: int, hour: float) -> float:
        """The rune multiplier on kills in an area of ``tier`` at ``hour``."""
        buff = self.buff(p, hour)
        if self.cycle:
            buff *= self.tier_rate.get(tier, 1.0) * self.cycle_rate
        return buff

    def boss(self, p: Player, boss: Boss, tier: int, hour: float) -> int:
        """A boss's runes: in NG+ the game's own NG+1 payout at the cycle's rate, if known."""
        if self.cycle and boss.ng_plus_runes:
            return int(boss.ng_plus_runes * self.cycle_rate * self.buff(p, hour))
        return int(boss.runes * self.multiplier(p, tier, hour))
