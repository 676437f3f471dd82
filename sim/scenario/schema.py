"""A scenario: who plays, how the model behaves, which route, for how long.

Every parameter has a default with its reason; ``docs/calibration.md`` explains
how the model defaults were fitted. Scenario models are frozen and reject
unknown keys. Names of zones, bosses and farms are checked against the world
in ``sim.scenario.check``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from sim.scenario.limits import (
    MAX_CHUNK_SIZE,
    MAX_GRID_POINTS,
    MAX_HORIZON_HOURS,
    MAX_REPLICATIONS,
    MAX_SEED,
    MIN_GRID_HOURS,
    FieldProblem,
    check_name,
)
from sim.scenario.model_params import BossFights, Death, KillTime, Model, Power, Travel
from sim.scenario.route import Route
from sim.scenario.section import NonNegative, Positive, Probability, Section

__all__ = [
    "Skill",
    "Player",
    "Power",
    "KillTime",
    "Death",
    "BossFights",
    "Travel",
    "Model",
    "Levelling",
    "Natural",
    "RushMohgwyn",
    "Route",
    "Invasions",
    "Buffs",
    "NewGamePlus",
    "Record",
    "Compare",
    "UncertainInput",
    "Uncertainty",
    "Pvp",
    "Traits",
    "Quitting",
    "FieldDeaths",
    "Scenario",
]


class Skill(Section):
    """The player's skill: a per-replication random effect in character-level equivalents."""

    distribution: Literal["normal", "fixed"] = "normal"
    mean: float = 0.0
    sd: NonNegative = 8.0  # players differ by about +-8 levels of effective power (calibrated)


class Player(Section):
    start_class: str = "Vagabond"  # sets the starting level (sim/data/classes.csv)
    skill: Skill = Skill()
    # A player who starts part-way (farming-only scenarios): these replace the class's level,
    # set the weapon upgrade, and grant access tokens already earned (e.g. "quest:Varre").
    start_level: int | None = Field(default=None, ge=1, le=713)
    start_upgrade: float | None = Field(default=None, ge=0)
    has: tuple[str, ...] = ()


class Levelling(Section):
    policy: Literal["greedy", "never"] = "greedy"  # greedy: buy every affordable level at a grace


class Natural(Section):
    """The main path in the usual order, with a share of optional content."""

    optional_share: Probability = 0.25  # chance of taking each optional zone and boss (calibrated)
    main_share: Probability = 0.6  # share of a main-path zone's encounters fought (calibrated)
    ready_gap: float = 12.0  # fight a boss, or enter an optional zone, when its gap is at most this
    retreat_deaths: int = Field(
        default=5, ge=1
    )  # deaths in one visit before leaving a zone for later
    grind_hours_max: NonNegative = 0.5  # grind at most this long before trying anyway (calibrated)
    farm: str | None = None  # a farming spot to use when stuck instead of grinding


class RushMohgwyn(Section):
    """White Mask Varre's questline as early as the game allows, then farm Mohgwyn."""

    # the questline whose end opens the farm: White Mask Varre's gives the Pureblood Knight's
    # Medal, the way to Mohgwyn Palace (sim/data/quests.csv)
    quest: str = "Varre"
    farm: str = "Palace Approach Ledge-Road"
    target_level: int = Field(default=80, ge=1, le=713)
    # none: the shortest path (Limgrave, Margit, Stormveil, Godrick), fought at whatever level;
    # safe: get ready before each boss as natural play does (side content, grinding)
    preparation: Literal["none", "safe"] = "none"
    path_share: Probability = 0.3  # share of each main-path zone a rush fights on the way through
    invasion_minutes: Positive = 8.0  # mean time to be matched and finish one invasion
    # gamma shape of an invasion's time: waiting to be matched, then a fight (coefficient of
    # variation 1/sqrt(2); judgement)
    invasion_shape: Positive = 2.0
    invasion_win_intercept: float = 0.0  # logit of winning an invasion at zero skill
    invasion_win_skill: NonNegative = 0.08  # per level of skill


class Invasions(Section):
    """Invaders arrive as a Poisson process in invasion-prone zones while exposed."""

    exposure: Literal["offline", "online", "furlcalling", "taunters_tongue"] = "offline"
    online_per_hour: NonNegative = (
        0.0  # a solo online host cannot be invaded without a cooperator or the Tongue
    )
    furlcalling_per_hour: NonNegative = 1.0  # playing with summoned cooperators
    taunters_tongue_per_hour: NonNegative = (
        3.0  # the Tongue lures invaders and shortens the interval
    )
    on_interrupt: Literal["resume", "restart", "resample"] = "resume"
    duel_minutes: Positive = 3.0
    # gamma shape of a duel's length: as a boss attempt (boss.attempt_shape), a fight of a
    # few exchanges (coefficient of variation 1/sqrt(3); judgement)
    duel_shape: Positive = 3.0
    duel_win_intercept: float = 0.0
    duel_win_skill: NonNegative = 0.08  # per level of skill difference with the invader
    # invaders are matched near the host's level, so the duel turns on skill; those who
    # invade tend to be practised duellists: their skill is drawn like the player's, shifted
    invader_skill_mean: float = 5.0
    win_runes_fraction_of_level_cost: NonNegative = 0.0  # 0 = no sourced payout (see rules)

    @property
    def per_hour(self) -> float:
        """Invaders per exposed hour for the chosen exposure."""
        return {
            "offline": 0.0,
            "online": self.online_per_hour,
            "furlcalling": self.furlcalling_per_hour,
            "taunters_tongue": self.taunters_tongue_per_hour,
        }[self.exposure]


class Buffs(Section):
    scarab: Literal["never", "when_found", "always"] = "when_found"
    # the talisman that raises the runes of kills (rules.toml multipliers.golden_scarab);
    # "when_found": on once a zone grants it (sim/data/zones.csv grants item:Golden Scarab)
    scarab_item: str = "Golden Scarab"
    fowl_foot: Literal["never", "farming", "always"] = "never"
    fowl_foot_count: int = Field(default=0, ge=0)  # feet the player has to spend
    scarab_carried: bool = True  # in NG+ the talisman found on an earlier journey is in hand


class NewGamePlus(Section):
    cycle: int = Field(default=0, ge=0, le=7)
    start_level: int | None = Field(default=None, ge=1, le=713)  # level carried over
    # NG+ enemies hit harder and take more damage; no source gives a level equivalent, so
    # this is a model parameter: each cycle adds this many levels to every zone and boss.
    difficulty_per_cycle: NonNegative = 40.0


class Record(Section):
    grid_hours: Positive = 0.5  # at least one minute
    levels: tuple[int, ...] = (20, 40, 60, 80, 100, 120, 150)
    level_hours: tuple[Positive, ...] = (1, 2, 5, 10, 20, 40, 60)

    @field_validator("grid_hours")
    @classmethod
    def _a_minute(cls, value: float) -> float:
        if value < MIN_GRID_HOURS:
            raise FieldProblem("", value, f"at least {MIN_GRID_HOURS:.4f} h (one minute)")
        return value

    @model_validator(mode="after")
    def _distinct(self) -> Record:
        # each recorded level and play time is a column of the replications table
        for key, values in (("levels", self.levels), ("level_hours", self.level_hours)):
            seen = [float(v) for v in values]
            if len(set(seen)) != len(seen):
                raise FieldProblem(key, list(values), "distinct values (each one is a column)")
        return self


class Compare(Section):
    margin_hours: NonNegative = 1.0  # differences inside +-margin are practically equivalent
    margin_levels: NonNegative = 2.0


class UncertainInput(Section):
    """A range for one uncertain input, with its reason (adds to or overrides
    ``sim/data/uncertainty.csv``; keys left out keep the packaged entry's values)."""

    keys: tuple[str, ...] = ()  # scenario key paths it moves (default: the input's name)
    mode: Literal["set", "scale"] = "set"  # set the value, or multiply the scenario's value
    low: float = 0.0
    high: float = 1.0
    distribution: Literal["uniform", "loguniform"] = "uniform"
    kind: str = "stated guess"  # published range | calibration uncertainty | stated guess
    reason: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> UncertainInput:
        if not self.high > self.low:
            raise ValueError(f"high ({self.high}) must be above low ({self.low})")
        if self.distribution == "loguniform" and self.low <= 0:
            raise ValueError("a loguniform range needs low > 0")
        return self


class Uncertainty(Section):
    """Uncertain inputs sampled by ``compare --uncertainty sample`` and ``runesim sensitivity``.

    ``inputs`` adds to or overrides the packaged ranges; the ``sample_*`` keys are filled
    by runesim for a sampled batch (one row of input values per outer sample)."""

    packaged: bool = True  # start from the ranges in sim/data/uncertainty.csv
    inputs: dict[str, UncertainInput] = {}
    sample_inputs: tuple[str, ...] = ()
    sample_values: tuple[tuple[float, ...], ...] = ()
    sample_inner: int = Field(default=1, ge=1)  # replications per outer sample
    sample_luck: Literal["nested", "common"] = "nested"  # common: replication r shares luck r


class Pvp(Section):
    """Where invaders come more often, and what beating one pays (sim/data/invasion_places.csv)."""

    # zones outside the three Colosseums and around the Main Academy Gate duel spot, where
    # players gather to fight (each sourced in sim/data/invasion_places.csv)
    hot_spots: tuple[str, ...] = (
        "Limgrave",
        "Caelid",
        "Leyndell Royal Capital",
        "Liurnia of the Lakes",
    )
    # invaders per exposed hour in a hot spot over the rate elsewhere: no source publishes
    # one, so a model parameter (plausible range 1-5; 1 = places do not differ)
    hot_spot_factor: float = Field(default=2.0, ge=1.0)
    # MultiSoulBonusRateParam row 3000, host column (0.04): the host's reward for killing an
    # invader, read by analogy with Dark Souls III row names (mechanics.md s.7)
    host_reward_rate: NonNegative = 0.04
    # the base quantity that rate multiplies is in no param and no source: a model parameter,
    # as a multiple of the host's next level cost. 1.0 fits several NPC-invader wiki figures
    # (Tragoth 158 = 0.04 x cost(24)), unverified; plausible range 0 (nothing) to 2.
    reward_base_level_cost_multiple: NonNegative = 1.0


class Traits(Section):
    """How players differ beyond skill: one draw per replication from its own random stream.

    Defaults and their reasons: docs/calibration.md ("Players who differ").
    """

    # appetite for optional content: Beta with mean natural.optional_share and this concentration;
    # it is the chance of taking each optional zone and boss
    appetite_concentration: Positive = 2.0
    # share of a main-path zone fought = natural.main_share + this x (appetite - optional_share)
    main_share_per_appetite: NonNegative = 2.0
    # tolerance for grinding (lognormal, median 1): multiplies natural.grind_hours_max and
    # divides the quitting hazards
    tolerance_sd: Annotated[float, Field(ge=0, le=3)] = (
        0.6  # lognormal: e^(3 z) already spans 1/500..500
    )
    # caution: levels added to natural.ready_gap (normal, mean 0): impatient players fight sooner
    caution_sd: NonNegative = 12.0
    # share of income spent on other things than levels (smithing stones, consumables, spells):
    # Beta with this mean and concentration
    spend_share_mean: Probability = 0.05
    spend_share_concentration: Positive = 8.0
    # care (lognormal, median 1): divides field-death and failed run-back hazards
    care_sd: Annotated[float, Field(ge=0, le=3)] = 0.5  # lognormal, as tolerance_sd
    # help at bosses: share of players who play online and summon co-op partners, share who use
    # spirit ashes, and what each is worth in levels of power against a boss
    online_share: Probability = 0.4
    ashes_share: Probability = 0.6
    coop_levels: NonNegative = 10.0
    ashes_levels: NonNegative = 5.0
    distribution: Literal["random", "fixed"] = (
        "random"  # fixed: every player at the median of each trait
    )


class Quitting(Section):
    """Players who leave for good: a hazard per hour of play and one per boss loss in a row.

    Calibrated to one public figure, the share of players who reach an ending
    (sim/data/calibration.csv, docs/calibration.md).
    """

    enabled: bool = True
    early_per_hour: NonNegative = 0.08  # hazard at hour 0, fading with early_hours
    early_hours: Positive = 3.0
    per_hour: NonNegative = 0.0035  # background hazard per hour of play
    per_loss_in_a_row: NonNegative = 0.002  # chance to quit after the k-th loss in a row = this x k


class FieldDeaths(Section):
    """Deaths away from bosses besides enemies: falls and status effects, per hour of exploring,
    and run-backs that fail. Mix from Bandai Namco's first-year figures (docs/calibration.md)."""

    falls_per_hour: NonNegative = 0.22
    status_per_hour: NonNegative = 0.24
    runback_failure: Probability = 0.02  # a run-back that dies on the way (a fall, an ambush)


class Scenario(Section):
    name: str  # a label (letters, digits, _ . -): it names the results directory
    description: str = ""
    strategy: Literal["natural", "rush_mohgwyn", "route"] = "natural"
    horizon_hours: Annotated[float, Field(gt=0, le=MAX_HORIZON_HOURS)] = 150.0
    replications: int = Field(default=200, ge=1, le=MAX_REPLICATIONS)
    seed: int = Field(default=20220225, ge=0, le=MAX_SEED)  # numpy and Parquet hold 63 bits
    # replications per stored part: a part's fixed costs (Arrow, Parquet, reading it back) are
    # spread over 100 replications; a worker holds one chunk's rows at a time
    chunk_size: int = Field(default=100, ge=1, le=MAX_CHUNK_SIZE)
    player: Player = Player()
    model: Model = Model()
    levelling: Levelling = Levelling()
    natural: Natural = Natural()
    rush_mohgwyn: RushMohgwyn = RushMohgwyn()
    route: Route = Route()
    invasions: Invasions = Invasions()
    buffs: Buffs = Buffs()
    ng: NewGamePlus = NewGamePlus()
    record: Record = Record()
    compare: Compare = Compare()
    fail_replications: tuple[int, ...] = ()  # test-only: these replication indices raise
    uncertainty: Uncertainty = Uncertainty()
    pvp: Pvp = Pvp()
    traits: Traits = Traits()
    quitting: Quitting = Quitting()
    field: FieldDeaths = FieldDeaths()

    @field_validator("name")
    @classmethod
    def _label(cls, value: str) -> str:
        return check_name(value)

    @model_validator(mode="after")
    def _route_needs_steps(self) -> Scenario:
        if self.strategy == "route" and not self.route.steps:
            raise FieldProblem("route.steps", "(missing)", "at least one step for strategy 'route'")
        return self

    @model_validator(mode="after")
    def _grid_points(self) -> Scenario:
        points = self.horizon_hours / self.record.grid_hours
        if points > MAX_GRID_POINTS:
            raise FieldProblem(
                "record.grid_hours",
                self.record.grid_hours,
                f"at least horizon_hours / {MAX_GRID_POINTS:,} = "
                f"{self.horizon_hours / MAX_GRID_POINTS:.4g} (one trajectory row per grid time)",
            )
        return self
