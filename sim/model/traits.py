"""A player's traits beyond skill, drawn once per replication from their own stream.

Every trait is drawn from a fixed sequence of standard normals, whatever the
scenario, so replication k of two scenarios gets the same underlying draws (common
random numbers): a player keen on side content in one strategy is keen in the other.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import betaincinv, ndtr

from sim.scenario.schema import Scenario

__all__ = ["PlayerTraits", "draw_traits", "neutral_traits", "TRAIT_COLUMNS"]

TRAIT_COLUMNS = (
    "appetite",
    "main_share",
    "tolerance",
    "caution",
    "spend_share",
    "care",
    "online",
    "ashes",
)
_DRAWS = 8  # normals drawn per replication, fixed so that the streams stay aligned


@dataclass(frozen=True, slots=True)
class PlayerTraits:
    appetite: float  # chance of taking each optional zone and boss
    main_share: float  # share of each main-path zone fought
    tolerance: float  # grinding tolerance (multiplies grind time, divides quitting)
    caution: float  # levels added to the readiness gap
    spend_share: float  # share of income spent on other things than levels
    care: float  # divides field-death and run-back hazards
    online: bool  # summons co-op partners at bosses
    ashes: bool  # uses spirit ashes at bosses

    def row(self) -> dict:
        return {name: getattr(self, name) for name in TRAIT_COLUMNS}


def _beta(mean: float, concentration: float, u: float) -> float:
    """The u-quantile of a Beta with this mean and concentration (a point mass at 0 or 1)."""
    if mean <= 0.0 or mean >= 1.0:
        return float(min(max(mean, 0.0), 1.0))
    return float(betaincinv(mean * concentration, (1.0 - mean) * concentration, u))


def draw_traits(scenario: Scenario, rng: np.random.Generator) -> PlayerTraits:
    """The traits of one player: random, or each at its median when
    ``traits.distribution = "fixed"``."""
    z = rng.standard_normal(_DRAWS).tolist()
    if scenario.traits.distribution == "fixed":
        z = [0.0] * _DRAWS
    return _from_normals(scenario, z, random=scenario.traits.distribution == "random")


def _from_normals(scenario: Scenario, z: list[float], random: bool) -> PlayerTraits:
    """The traits for the standard normals ``z``; ``random=False``: the on/off traits by share."""
    t = scenario.traits
    nat = scenario.natural
    u = [float(ndtr(v)) for v in z]
    appetite = _beta(nat.optional_share, t.appetite_concentration, u[0])
    main_share = min(
        1.0, max(0.1, nat.main_share + t.main_share_per_appetite * (appetite - nat.optional_share))
    )
    if nat.main_share >= 1.0:
        main_share = 1.0
    return PlayerTraits(
        appetite=appetite,
        main_share=main_share,
        tolerance=math.exp(t.tolerance_sd * z[1]),
        caution=t.caution_sd * z[2],
        spend_share=_beta(t.spend_share_mean, t.spend_share_concentration, u[3]),
        care=math.exp(t.care_sd * z[4]),
        online=u[5] < t.online_share if random else t.online_share >= 0.5,
        ashes=u[6] < t.ashes_share if random else t.ashes_share >= 0.5,
    )


def neutral_traits(scenario: Scenario) -> PlayerTraits:
    """Every trait at its median (what a playthrough built without a draw gets)."""
    return _from_normals(scenario, [0.0] * _DRAWS, random=False)
