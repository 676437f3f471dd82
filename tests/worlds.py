"""Small worlds written for tests: a few zones whose answers are known by hand.

These are test fixtures, never shipped: the product runs on ``sim/data``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import sim
from sim.scenario.load import scenario_from_dict
from sim.scenario.schema import Scenario
from sim.world.schema import (
    Boss,
    DeathRules,
    Enemy,
    Farm,
    FarmKill,
    Loot,
    QuestStep,
    RosterEntry,
    RouteStep,
    Rules,
    RuneMultipliers,
    StartingClass,
    World,
    Zone,
)

SRC = "test fixture"


def rules() -> Rules:
    """The real rules (level curve, multipliers, golden runes) from sim/data/rules.toml."""
    path = Path(sim.__file__).parent / "data" / "rules.toml"
    return Rules.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))


def tiny_world(
    *,
    count: int = 10,
    runes: int = 100,
    explore_hours: float = 1.0,
    invasions: bool = False,
    loot: int = 0,
    boss_runes: int = 5000,
    with_farm: bool = True,
) -> World:
    """Two zones on a line: 'Field' (common enemies, a boss) then 'Keep' (the final boss).

    'Field' holds ``count`` commons paying ``runes`` each; exploring it takes ``explore_hours``
    besides the fights. Its boss 'Field Boss' pays ``boss_runes``; 'Keep' holds 'Last Boss'.
    """
    zones = {
        "Field": Zone(
            name="Field",
            region="Field",
            tier=1,
            kind="overworld",
            level=5,
            explore_hours=explore_hours,
            invasions=invasions,
            main_path=True,
            source=SRC,
        ),
        "Keep": Zone(
            name="Keep",
            region="Field",
            tier=2,
            kind="legacy_dungeon",
            level=10,
            explore_hours=explore_hours,
            invasions=invasions,
            requires=("boss:Field Boss",),
            main_path=True,
            source=SRC,
        ),
        "Den": Zone(
            name="Den",
            region="Field",
            tier=3,
            kind="secret",
            level=30,
            explore_hours=0.5,
            invasions=invasions,
            requires=("quest:Oath",),
            source=SRC,
        ),
    }
    enemies = (
        Enemy(
            name="Soldier",
            zone="Field",
            kind="humanoid",
            **{"class": "common"},
            runes=runes,
            difficulty=1.0,
            source=SRC,
        ),
        Enemy(
            name="Soldier",
            zone="Keep",
            kind="humanoid",
            **{"class": "common"},
            runes=runes * 2,
            difficulty=1.0,
            source=SRC,
        ),
        Enemy(
            name="Bird",
            zone="Den",
            kind="beast",
            **{"class": "common"},
            runes=1000,
            difficulty=1.0,
            source=SRC,
        ),
    )
    rosters = (
        RosterEntry(zone="Field", enemy="Soldier", count=count, source=SRC),
        RosterEntry(zone="Keep", enemy="Soldier", count=count, source=SRC),
        RosterEntry(zone="Den", enemy="Bird", count=3, source=SRC),
    )
    bosses = {
        "Field Boss": Boss(
            name="Field Boss",
            zone="Field",
            region="Field",
            runes=boss_runes,
            kind="main",
            optional=False,
            level=5,
            source=SRC,
        ),
        "Last Boss": Boss(
            name="Last Boss",
            zone="Keep",
            region="Field",
            runes=boss_runes * 2,
            kind="main",
            optional=False,
            level=10,
            source=SRC,
        ),
    }
    farms = {}
    if with_farm:
        farms["Den Birds"] = Farm(
            name="Den Birds",
            zone="Den",
            kills=(FarmKill(enemy="Bird", count=3),),
            loop_seconds=30,
            source=SRC,
        )
    quests = (
        QuestStep(
            quest="Oath",
            step=1,
            action="talk",
            zone="Field",
            description="swear",
            minutes=6,
            grants=("quest:Oath",),
            source=SRC,
        ),
    )
    route = (
        RouteStep(order=1, action="explore", target="Field", source=SRC),
        RouteStep(order=2, action="boss", target="Field Boss", source=SRC),
        RouteStep(order=3, action="explore", target="Keep", source=SRC),
        RouteStep(order=4, action="boss", target="Last Boss", source=SRC),
    )
    loot_rows = (
        (Loot(zone="Field", item="Golden Rune [1]", count=loot, source=SRC),) if loot else ()
    )
    return World(
        zones=zones,
        enemies=enemies,
        rosters=rosters,
        bosses=bosses,
        loot=loot_rows,
        farms=farms,
        quests=quests,
        classes={"Wretch": StartingClass(name="Wretch", level=1, source=SRC)},
        route=route,
        rules=rules(),
    )


def tiny_scenario(**over: object) -> Scenario:
    """A scenario for the tiny world: Wretch, no skill spread, fixed kill times, no deaths,
    traits at their medians with no spending and no help, no quitting, no falls or status deaths.

    Keyword overrides use dotted keys with '__' for '.', e.g. ``model__death__form="logistic"``.
    """
    data: dict = {
        "name": "tiny",
        "horizon_hours": 20.0,
        "seed": 7,
        "player": {"start_class": "Wretch", "skill": {"distribution": "fixed", "mean": 0.0}},
        "model": {
            "kill_time": {"form": "fixed", "common_seconds": 36.0},
            "death": {"form": "fixed", "fixed_probability": 0.0},
            "boss": {"win_intercept": 50.0},
            "travel": {"encounters_per_grace": 5, "explore_scale": 1.0},
        },
        "natural": {"optional_share": 0.0, "main_share": 1.0, "grind_hours_max": 0.0},
        "buffs": {"scarab": "never"},
        "traits": {
            "distribution": "fixed",
            "spend_share_mean": 0.0,
            "caution_sd": 0.0,
            "online_share": 0.0,
            "ashes_share": 0.0,
            "tolerance_sd": 0.0,
            "care_sd": 0.0,
        },
        "quitting": {"enabled": False},
        "field": {"falls_per_hour": 0.0, "status_per_hour": 0.0, "runback_failure": 0.0},
    }
    for key, value in over.items():
        node = data
        parts = key.split("__")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return scenario_from_dict(data, "test")


# Unused names kept importable for tests that build their own worlds
__all__ = ["tiny_world", "tiny_scenario", "rules", "SRC", "DeathRules", "RuneMultipliers"]
