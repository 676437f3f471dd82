"""The model's parameters in a scenario (``[model]``): power, kill times, deaths, bosses, travel."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from sim.scenario.limits import FieldProblem
from sim.scenario.section import NonNegative, Positive, Probability, Section

__all__ = ["Power", "KillTime", "Death", "BossFights", "Travel", "Model"]


class Power(Section):
    """Effective power = level + upgrade_weight * weapon upgrade + skill (level units)."""

    upgrade_weight: NonNegative = 1.0  # levels of power one weapon upgrade is worth (calibrated)
    upgrade_per_tier: NonNegative = (
        1.25  # weapon upgrade a player has in hand per area tier reached
    )
    upgrade_max: NonNegative = 25.0  # the game's +25 cap for regular weapons
    # Farming speed: a loop's published time holds for the reference player (level, upgrade);
    # a player whose damage falls short of what the area's HP asks loops slower in proportion.
    # damage = weapon_rate(upgrade) * (level + skill) ** damage_level_exponent (docs/calibration.md)
    damage_level_exponent: NonNegative = 0.5  # attribute scaling: damage grows as the root of level
    reference_level: float = Field(default=150.0, gt=0)  # the published loops' endgame character
    reference_upgrade: NonNegative = 25.0
    reference_tier: int = Field(
        default=18, ge=1
    )  # Mohgwyn Palace, where the published loop was timed


class KillTime(Section):
    """Seconds to kill one encounter: gamma, mean rising exponentially with the power gap."""

    form: Literal["gamma", "fixed"] = "gamma"
    shape: Positive = 2.0  # gamma shape; coefficient of variation = 1/sqrt(shape)
    common_seconds: Positive = 12.0  # mean for a common enemy at zero gap
    elite_seconds: Positive = 45.0
    field_boss_seconds: Positive = 150.0
    gap_scale: NonNegative = 0.04  # mean x exp(gap_scale * gap), gap in levels
    gap_min: float = (
        -40.0
    )  # the gap moves kill times and death chances only within [gap_min, gap_max]
    gap_max: float = 60.0
    # multiplies every farm's loop_seconds: the published loops are AFK macros with endgame
    # weapons; a player's own loop may be slower (range and reason: sim/data/uncertainty.csv)
    farm_loop_scale: Annotated[float, Field(ge=0.01)] = (
        1.0  # a loop of a hundredth of its time at most
    )

    @model_validator(mode="after")
    def _gap_range(self) -> KillTime:
        if not self.gap_min < self.gap_max:
            raise FieldProblem("gap_max", self.gap_max, f"greater than gap_min ({self.gap_min:g})")
        return self


class Death(Section):
    """Death chance of one encounter: logistic in the power gap."""

    form: Literal["logistic", "fixed"] = "logistic"
    intercept: float = -6.0  # logit of the death chance at zero gap for a common encounter
    slope: NonNegative = 0.12  # per level of gap
    elite_offset: float = 1.5  # added to the logit for an elite
    field_boss_offset: float = 2.5
    farm_offset: float = (
        -3.0
    )  # farming loops are chosen for safety: fought from a safe spot, in a known rhythm
    fixed_probability: Probability = 0.0  # used when form = "fixed"


class BossFights(Section):
    """A boss takes attempts until a win; each loss is a death."""

    attempt_minutes: Positive = 3.0  # mean length of one attempt (gamma)
    attempt_shape: Positive = 3.0
    win_intercept: float = -0.5  # logit of the win chance at zero gap, first attempt
    win_slope: NonNegative = 0.10  # per level of power over the boss
    learning: NonNegative = 0.6  # logit gain per log(attempt): players learn the fight
    max_attempts: int = Field(default=200, ge=1)  # a wall: give up and grind (strategy decides)
    # an optional side-dungeon boss (catacomb, cave, tunnel, ...) sits at the end of its dungeon:
    # minutes of play to get there (judgement, fitted to HowLongToBeat's completionist time)
    dungeon_minutes: NonNegative = 40.0


class Travel(Section):
    """Time that is not fighting: exploring, running back, resting."""

    explore_scale: Positive = (
        0.37  # multiplies every zone's explore_hours (calibrated: finish time)
    )
    runback_seconds: Positive = 60.0  # mean run from the grace to the bloodstain
    # gamma shape of a run back's time: a couple of legs between graces and enemies, so
    # neither constant nor memoryless (coefficient of variation 1/sqrt(2); judgement)
    runback_shape: Positive = 2.0
    runback_encounters: NonNegative = 1.0  # encounters crossed on the run back (death risk)
    encounters_per_grace: int = Field(default=8, ge=1)  # rests at a grace this often


class Model(Section):
    power: Power = Power()
    kill_time: KillTime = KillTime()
    death: Death = Death()
    boss: BossFights = BossFights()
    travel: Travel = Travel()
    # fast: runs of encounters as one event; reference: one event per encounter (the proof)
    engine: Literal["fast", "reference"] = "fast"
