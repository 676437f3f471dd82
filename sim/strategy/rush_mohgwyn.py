"""Rush Mohgwyn: the shortest path the game allows to the Pureblood Knight's Medal, farm, go on.

Varre moves to the Rose Church once Godrick has fallen (sim/data/quests.csv step 2),
so the shortest path is the main path's first stretch: through Limgrave, past Margit,
through Stormveil Castle to Godrick, then Liurnia for the questline. Nothing optional
comes before the medal unless ``rush_mohgwyn.preparation = "safe"``, which gets ready
before each boss as natural play does. After the farm, natural progression.
"""

from __future__ import annotations

from collections.abc import Iterator

from sim.route_steps import Explore, Farm, Quest, Step
from sim.strategy.natural import behind, get_ready, natural
from sim.strategy.reach import Reach
from sim.strategy.view import PlayView

__all__ = ["rush_mohgwyn", "to_the_medal"]


def to_the_medal(pt: PlayView, reach: Reach | None = None) -> Iterator[Step]:
    """The main path in order until Varre's next step opens: each zone fought only along the
    road (``path_share``), each boss fought until it falls."""
    if reach is None:
        reach = Reach(pt)
    cfg = pt.scenario.rush_mohgwyn
    quest = cfg.quest  # rush_mohgwyn.quest: Varre's, unless the scenario says
    safe = cfg.preparation == "safe"
    world = pt.world
    player = pt.player
    for rs in world.route:
        if pt.quest_ready(quest) or quest in player.quests:
            return
        if rs.action == "explore":
            zone = world.zones[rs.target]
            while rs.target not in player.zones and reach.zone(rs.target):
                if safe and behind(pt, zone.level, zone.tier):
                    yield from get_ready(pt, zone.level, zone.tier, reach)
                yield Explore(rs.target, cfg.path_share)
        else:
            boss = world.bosses[rs.target]
            tier = world.zones[boss.zone].tier
            while boss.name not in player.bosses and reach.boss(boss.name):
                if safe and behind(pt, boss.level, tier):
                    yield from get_ready(pt, boss.level, tier, reach)
                yield reach.guide.fight[boss.name]


def rush_mohgwyn(pt: PlayView) -> Iterator[Step]:
    """Meet Varre, take the shortest path to each of his steps, farm once the medal is in hand,
    then play on naturally."""
    cfg = pt.scenario.rush_mohgwyn
    quest = cfg.quest  # rush_mohgwyn.quest: Varre's, unless the scenario says
    player = pt.player
    reach = Reach(pt)
    farmed = False

    def detour() -> Iterator[Step]:
        nonlocal farmed
        if quest not in player.quests and pt.quest_ready(quest):
            yield Quest(quest)
        if not farmed and reach.farm(cfg.farm):
            farmed = True
            yield Farm(cfg.farm, until_level=cfg.target_level)

    while quest not in player.quests:
        yield from detour()
        if quest in player.quests:
            break
        before = (len(player.zones), len(player.bosses), pt.quest_progress.get(quest, 0))
        yield from to_the_medal(pt, reach)
        if (len(player.zones), len(player.bosses), pt.quest_progress.get(quest, 0)) == before:
            break  # the path is blocked (a wall that did not fall): play on naturally
    yield from detour()
    for step in natural(pt, reach):
        if not farmed or quest not in player.quests:
            yield from detour()
        yield step
