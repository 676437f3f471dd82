"""Rush Mohgwyn: the shortest path the game allows to the Pureblood Knight's Medal, farm, go on.

Varre moves to the Rose Church once Godrick has fallen (sim/data/quests.csv step 2),
so the shortest path is the main path's first stretch: through Limgrave, past Margit,
through Stormveil Castle to Godrick, then Liurnia for the questline. Nothing optional
comes before the medal unless ``rush_mohgwyn.preparation = "safe"``, which gets ready
before each boss as natural play does. After the farm, natural progression.
"""

from __future__ import annotations

from collections.abc import Iterator

from sim.route_steps import Boss, Explore, Farm, Quest, Step
from sim.strategy.natural import (
    accessible_boss,
    accessible_farm,
    accessible_zone,
    get_ready,
    natural,
)
from sim.strategy.view import PlayView

__all__ = ["rush_mohgwyn", "to_the_medal"]


def to_the_medal(pt: PlayView) -> Iterator[Step]:
    """The main path in order until Varre's next step opens: each zone fought only along the
    road (``path_share``), each boss fought until it falls."""
    cfg = pt.scenario.rush_mohgwyn
    quest = cfg.quest  # rush_mohgwyn.quest: Varre's, unless the scenario says
    world = pt.world
    for rs in world.route:
        if pt.quest_ready(quest) or quest in pt.player.quests:
            return
        if rs.action == "explore":
            zone = world.zones[rs.target]
            while rs.target not in pt.player.zones and accessible_zone(pt, rs.target):
                if cfg.preparation == "safe":
                    yield from get_ready(pt, zone.level, zone.tier)
                yield Explore(rs.target, cfg.path_share)
        else:
            boss = world.bosses[rs.target]
            while boss.name not in pt.player.bosses and accessible_boss(pt, boss.name):
                if cfg.preparation == "safe":
                    yield from get_ready(pt, boss.level, world.zones[boss.zone].tier)
                yield Boss(boss.name)


def rush_mohgwyn(pt: PlayView) -> Iterator[Step]:
    """Meet Varre, take the shortest path to each of his steps, farm once the medal is in hand,
    then play on naturally."""
    cfg = pt.scenario.rush_mohgwyn
    quest = cfg.quest  # rush_mohgwyn.quest: Varre's, unless the scenario says
    farmed = False

    def detour() -> Iterator[Step]:
        nonlocal farmed
        if quest not in pt.player.quests and pt.quest_ready(quest):
            yield Quest(quest)
        if not farmed and accessible_farm(pt, cfg.farm):
            farmed = True
            yield Farm(cfg.farm, until_level=cfg.target_level)

    while quest not in pt.player.quests:
        yield from detour()
        if quest in pt.player.quests:
            break
        before = (len(pt.player.zones), len(pt.player.bosses), pt.quest_progress.get(quest, 0))
        yield from to_the_medal(pt)
        if (len(pt.player.zones), len(pt.player.bosses), pt.quest_progress.get(quest, 0)) == before:
            break  # the path is blocked (a wall that did not fall): play on naturally
    yield from detour()
    for step in natural(pt):
        yield from detour()
        yield step
