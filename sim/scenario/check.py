"""Check a scenario's names and custom route against the world before anything runs."""

from __future__ import annotations

from collections.abc import Mapping

from sim.errors import InputError, InputProblem, did_you_mean
from sim.scenario.schema import Scenario
from sim.world.access import Access, granted_items, token_names, token_problem
from sim.world.grants import grant as _grant
from sim.world.schema import World

__all__ = ["check_scenario"]


def _name(problems: list[InputProblem], path: str, value: str, choices: Mapping, what: str) -> bool:
    if value in choices:
        return True
    problems.append(
        InputProblem(path, value, f"a known {what}", tuple(did_you_mean(value, choices)))
    )
    return False


def _route(scenario: Scenario, world: World, problems: list[InputProblem]) -> None:
    """Walk the custom route with the access rules: each step must be open when it comes
    (each step kind checks itself: ``sim.route_steps``, imported for a custom route only)."""
    from sim.route_steps import RouteCheck, StepProblem

    state = Access(level=start_level(scenario, world))  # what the route's player has earned so far
    _grant(state, scenario.player.has)
    top = world.rules.level_curve.max_level
    route = RouteCheck(world, state, top)
    for i, step in enumerate(scenario.route.steps):
        route.text = str(step)
        try:
            step.check(route)
        except StepProblem as bad:
            problems.append(
                InputProblem(f"route.steps[{i}]", bad.value, bad.expected, bad.suggestions)
            )
            return


def start_level(scenario: Scenario, world: World) -> int:
    """The level a replication starts at (NG+ carry-over, a set start, or the class's)."""
    pl = scenario.player
    cls = world.classes.get(pl.start_class)
    return scenario.ng.start_level or pl.start_level or (cls.level if cls is not None else 1)


def _tokens(problems: list[InputProblem], path: str, tokens: tuple[str, ...], world: World) -> None:
    """Access tokens (``has``, ``requires``) must name things the world holds."""
    names = token_names(world)
    for i, tok in enumerate(tokens):
        bad = token_problem(tok, names)
        if bad is not None:
            value, expected = bad
            kind = tok.partition(":")[0].strip()
            problems.append(
                InputProblem(
                    f"{path}[{i}]", value, expected, tuple(did_you_mean(value, names.get(kind, ())))
                )
            )


def check_scenario(scenario: Scenario, world: World, file: str | None = None) -> None:
    """Raise InputError if the scenario names anything the world does not hold."""
    problems: list[InputProblem] = []
    _name(
        problems, "player.start_class", scenario.player.start_class, world.classes, "starting class"
    )
    _tokens(problems, "player.has", scenario.player.has, world)
    if scenario.natural.farm is not None:
        _name(problems, "natural.farm", scenario.natural.farm, world.farms, "farming spot")
    if scenario.strategy == "rush_mohgwyn":
        _name(
            problems, "rush_mohgwyn.farm", scenario.rush_mohgwyn.farm, world.farms, "farming spot"
        )
        quests = dict.fromkeys(q.quest for q in world.quests)
        _name(problems, "rush_mohgwyn.quest", scenario.rush_mohgwyn.quest, quests, "quest")
    if "scarab_item" in scenario.buffs.model_fields_set:  # the default names the base game's
        _name(
            problems,
            "buffs.scarab_item",
            scenario.buffs.scarab_item,
            dict.fromkeys(granted_items(world)),
            "item",
        )
    if scenario.strategy == "route" and not problems:
        _route(scenario, world, problems)
    if "hot_spots" in scenario.pvp.model_fields_set:  # the defaults name the base game's zones
        for k, z in enumerate(scenario.pvp.hot_spots):
            _name(problems, f"pvp.hot_spots[{k}]", z, world.zones, "zone")
    for k, lv in enumerate(scenario.record.levels):
        if not 1 <= lv <= world.rules.level_curve.max_level:
            problems.append(
                InputProblem(
                    f"record.levels[{k}]",
                    lv,
                    f"a level from 1 to {world.rules.level_curve.max_level}",
                )
            )
    if problems:
        raise InputError(file, problems)
