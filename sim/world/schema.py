"""The Lands Between as frozen, validated records: zones, enemies, bosses, farms, rules.

Rows come from the CSV and TOML files in ``sim/data/``; each carries the
``source`` it was taken from. Nothing in here imports simpy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

__all__ = [
    "Frozen",
    "Zone",
    "RosterEntry",
    "Enemy",
    "Boss",
    "Loot",
    "FarmKill",
    "Farm",
    "QuestStep",
    "StartingClass",
    "RouteStep",
    "LevelCurve",
    "RuneMultipliers",
    "DeathRules",
    "Rules",
    "CalibrationTarget",
    "World",
]

ZoneKind = Literal["overworld", "legacy_dungeon", "underground", "secret"]
EnemyKind = Literal[
    "humanoid",
    "beast",
    "undead",
    "dragon",
    "magic",
    "giant",
    "insect",
    "plant",
    "construct",
    "other",
]
EnemyClass = Literal["common", "elite", "field_boss"]
BossKind = Literal["main", "remembrance", "legacy", "field", "dungeon"]


class Frozen(BaseModel):
    """Base for every data record: immutable, unknown fields rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Zone(Frozen):
    """A region or legacy dungeon the player explores."""

    name: str
    region: str  # map region used to group results (e.g. Stormveil Castle -> Limgrave)
    tier: int = Field(ge=1, le=21)  # the game's area scaling tier (SpEffect 7000 + 10*(tier-1))
    kind: ZoneKind
    level: float = Field(gt=0)  # difficulty in character levels (guides' recommended level)
    level_low: float | None = None
    level_high: float | None = None
    explore_hours: float = Field(gt=0)  # calibrated model parameter, not game data
    invasions: bool  # invasion-prone: other players can invade while the host is here
    requires: tuple[str, ...] = ()  # access tokens: boss:NAME, zone:NAME, item:NAME, quest:NAME
    main_path: bool = False
    grants: tuple[
        str, ...
    ] = ()  # access tokens a full exploration earns (item:..., e.g. a medallion half)
    source: str
    notes: str = ""


class RosterEntry(Frozen):
    """How many of one enemy stand in a zone."""

    zone: str
    enemy: str
    count: int = Field(ge=1)
    respawns: bool = True  # respawns when the player rests at a Site of Grace
    pack_size: int = Field(default=1, ge=1)  # enemies fought together as one encounter
    source: str
    notes: str = ""


class Enemy(Frozen):
    """One enemy as the game pays it in one area (NpcParam.getSoul differs by area)."""

    name: str
    zone: str
    kind: EnemyKind
    enemy_class: EnemyClass = Field(alias="class")
    runes: int = Field(gt=0)
    difficulty: float = Field(gt=0)  # toughness relative to a common enemy of the zone (1.0)
    source: str
    notes: str = ""


class Boss(Frozen):
    """A boss: pays its runes once, on the first win (GameAreaParam.bonusSoul_single)."""

    name: str
    zone: str
    region: str
    runes: int = Field(gt=0)
    ng_plus_runes: int | None = None
    kind: BossKind
    optional: bool
    level: float = Field(gt=0)  # difficulty in character levels (guides' recommended level)
    great_rune: bool = False
    requires: tuple[str, ...] = ()
    source: str
    notes: str = ""
    # how much harder than its level the fight is, in levels of power (0 = its level says it all)
    difficulty: float = 0.0
    difficulty_source: str = ""


class Loot(Frozen):
    """Golden-rune items a full exploration of a zone picks up."""

    zone: str
    item: str  # a key of Rules.golden_runes
    count: int = Field(ge=1)
    source: str
    notes: str = ""


class FarmKill(Frozen):
    enemy: str
    count: int = Field(ge=1)


class Farm(Frozen):
    """A repeatable farming loop: kill these, rest or warp, repeat."""

    name: str
    zone: str
    kills: tuple[FarmKill, ...]
    loop_seconds: float = Field(gt=0)  # at full power; the model stretches it with the gap
    published_runes_per_hour: float | None = None
    published_low: float | None = None
    published_high: float | None = None
    requires: tuple[str, ...] = ()
    source: str
    notes: str = ""


class QuestStep(Frozen):
    """One step of a questline (White Mask Varre's route to Mohgwyn Palace)."""

    quest: str
    step: int
    action: Literal["talk", "invade", "travel", "item"]
    zone: str
    description: str
    count: int = 1  # e.g. three invasions
    minutes: float = Field(default=0.0, ge=0)  # travel and dialogue time; model parameter
    requires: tuple[str, ...] = ()
    grants: tuple[str, ...] = ()  # access tokens this step grants
    source: str
    notes: str = ""


class StartingClass(Frozen):
    name: str
    level: int = Field(ge=1)
    source: str


class RouteStep(Frozen):
    """One stop of the main path in the order players usually take it."""

    order: int
    action: Literal["explore", "boss"]
    target: str
    source: str
    notes: str = ""


class LevelCurve(Frozen):
    """cost(L -> L+1) = floor((max(0, x - boundary) * slope_above + slope) * x^2 + adjustment),
    x = L + offset."""

    offset: int
    slope: str  # decimal strings: the curve is computed exactly with fractions
    slope_above: str
    boundary: int
    adjustment: int
    max_level: int
    source: str


class RuneMultipliers(Frozen):
    golden_scarab: float
    gold_pickled_fowl_foot: float
    fowl_foot_seconds: float
    stacking: Literal["multiplicative", "additive"]
    stacking_note: str
    ng_plus_cycle: tuple[
        float, ...
    ]  # ClearCountCorrectParam.SoulRate: index k = NG+k (index 0 = NG, 1.0)
    ng_plus_tier: dict[int, float]  # haveSoulRate of the NG+ scaling SpEffect, by area tier
    source: str


class DeathRules(Frozen):
    drop_all_held: bool = True
    lost_on_second_death: bool = True
    golden_rune_items_kept: bool = True
    respawn_on_rest: bool = True
    source: str


class Scaling(Frozen):
    """Enemy HP by area tier and weapon attack by upgrade, from the game's params."""

    hp_rate_by_tier: tuple[float, ...]  # index k = tier k + 1
    weapon_rate_by_upgrade: tuple[float, ...]  # index k = +k
    source: str

    def hp_rate(self, tier: int) -> float:
        return self.hp_rate_by_tier[min(max(tier, 1), len(self.hp_rate_by_tier)) - 1]

    def weapon_rate(self, upgrade: float) -> float:
        """Attack multiplier of a weapon at ``upgrade`` (interpolated between whole upgrades)."""
        rates = self.weapon_rate_by_upgrade
        u = min(max(upgrade, 0.0), len(rates) - 1.0)
        lo = int(u)
        hi = min(lo + 1, len(rates) - 1)
        return rates[lo] + (rates[hi] - rates[lo]) * (u - lo)


class Rules(Frozen):
    version: str  # game and regulation version the figures hold for
    level_curve: LevelCurve
    multipliers: RuneMultipliers
    golden_runes: dict[str, int]  # item -> runes when used
    golden_runes_source: str
    death: DeathRules
    invasion_win_runes: int = (
        0  # what the game pays a host for beating an invader (0: none sourced)
    )
    invasion_win_runes_source: str = ""
    scaling: Scaling | None = None  # area HP and weapon upgrade rates (farm model)


class CalibrationTarget(Frozen):
    name: str
    metric: str  # a name the calibration check knows how to measure
    low: float
    high: float
    unit: str
    source: str
    notes: str = ""


T = TypeVar("T")


class Derived:
    """What the simulator computes from one world (level costs, encounter plans): built on
    first use and kept with that world. Not part of what makes two worlds equal; a copy of
    the world (or a pickled one) derives its own."""

    def __init__(self) -> None:
        self._values: dict[str, tuple[object, Any]] = {}

    def get(self, owner: object, key: str, build: Callable[[], T]) -> T:
        hit = self._values.get(key)
        if hit is None or hit[0] is not owner:  # a model_copy shares this object: rebuild
            hit = self._values[key] = (owner, build())
        value: T = hit[1]
        return value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Derived)

    __hash__ = None  # type: ignore[assignment]

    def __getstate__(self) -> dict[str, Any]:
        return {"_values": {}}


class World(Frozen):
    """The whole world, cross-referenced; built by ``sim.world.load_world``."""

    _derived: Derived = PrivateAttr(default_factory=Derived)

    def __copy__(self) -> World:
        copied = super().__copy__()
        copied._derived = Derived()  # a changed copy (model_copy) derives its own
        return copied

    def derived(self, key: str, build: Callable[[World], T]) -> T:
        """``build(self)``, computed on first use and kept with this world."""
        return self._derived.get(self, key, lambda: build(self))

    zones: dict[str, Zone]
    enemies: tuple[Enemy, ...]
    rosters: tuple[RosterEntry, ...]
    bosses: dict[str, Boss]
    loot: tuple[Loot, ...]
    farms: dict[str, Farm]
    quests: tuple[QuestStep, ...]
    classes: dict[str, StartingClass]
    route: tuple[RouteStep, ...]
    rules: Rules
    calibration: tuple[CalibrationTarget, ...] = ()

    def enemy(self, name: str, zone: str) -> Enemy:
        for e in self.enemies:
            if e.name == name and e.zone == zone:
                return e
        raise KeyError((name, zone))
