"""Players who leave for good: the player's patience, spent by hours of play and by boss
losses in a row (``[quitting]`` in a scenario)."""

from __future__ import annotations

import math

from sim.scenario.schema import Quitting

__all__ = ["Patience"]


class Patience:
    """A cumulative quitting hazard against a budget drawn once per replication (inverse
    transform: one draw, so a player's patience is paired across strategies on common
    random numbers); the player leaves once the hazard reaches the budget."""

    __slots__ = (
        "rules",
        "tolerance",
        "budget",
        "hazard",
        "checked",
        "_decay",
        "_on",
        "_tau",
        "_early",
        "_per_hour",
    )

    def __init__(self, rules: Quitting, tolerance: float, budget: float) -> None:
        self.rules = rules
        self.tolerance = tolerance  # the player's tolerance divides every hazard
        self.budget = budget
        self.hazard = 0.0
        self.checked = 0.0  # the hourly hazard is integrated up to this hour
        self._decay = 1.0  # exp(-checked / early_hours): the early hazard's decay by then
        self._on = rules.enabled
        self._tau = rules.early_hours
        self._early = rules.early_per_hour * rules.early_hours  # the early hazard's whole mass
        self._per_hour = rules.per_hour

    def after_hours(self, now: float) -> bool:
        """Add the hourly hazard since the last check; True if the player leaves."""
        t0 = self.checked
        if now <= t0 or not self._on:
            self.checked = now
            return False
        decay = math.exp(-now / self._tau)
        early = self._early * (self._decay - decay)
        self.checked, self._decay = now, decay
        self.hazard += (early + self._per_hour * (now - t0)) / self.tolerance
        return self.hazard >= self.budget

    def after_loss(self, streak: int) -> bool:
        """After the k-th boss loss in a row the player leaves with chance per_loss_in_a_row
        x k (over the tolerance): that chance's hazard is added; True if the player leaves."""
        if not self._on:
            return False
        p = min(self.rules.per_loss_in_a_row * streak / self.tolerance, 1.0 - 1e-12)
        self.hazard += -math.log1p(-p)
        return self.hazard >= self.budget
