"""Check a scenario's names and custom route against the world before anything runs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sim.errors import InputError, InputProblem, did_you_mean
from sim.scenario.schema import Scenario
from sim.strategy.steps import Boss, Explore, Farm, Grind, Quest, StepSyntaxError, parse_step
from sim.world.access import satisfied
from sim.world.grants import grant as _grant
from sim.world.schema import World

__all__ = ["check_scenario", "RouteState"]


@dataclass
class RouteState:
    """What the player of a custom route has earned so far, step by step (a concrete
    ``sim.world.access.AccessState``)."""

    bosses: set[str] = field(default_factory=set)
    zones: set[str] = field(default_factory=set)
    items: set[str] = field(default_factory=set)
    quests: set[str] = field(default_factory=set)
    great_runes: int = 0


def _name(problems: list[InputProblem], path: str, value: str, choices: Mapping, what: str) -> bool:
    if value in choices:
        return True
    problems.append(InputProblem(path, value, f"a known {what}", tuple(did_you_mean(value, choices))))
    return False


def _blocked(
    problems: list[InputProblem], path: str, text: str, what: str, needs: tuple[str, ...], state: RouteState
) -> bool:
    """Record a step the player cannot take yet; True if it is blocked."""
    if satisfied(needs, state):
        return False
    problems.append(InputProblem(path, text, f"a step the player can take here: {what} needs {' and '.join(needs)}"))
    return True


def _route(scenario: Scenario, world: World, problems: list[InputProblem]) -> None:
    """Walk the custom route with the access rules: each step must be open when it comes."""
    state = RouteState()
    _grant(state, scenario.player.has)
    progress: dict[str, int] = {}
    quests = {q.quest for q in world.quests}
    for i, text in enumerate(scenario.route.steps):
        path = f"route.steps[{i}]"
        try:
            step = parse_step(text)
        except StepSyntaxError as err:
            problems.append(InputProblem(path, text, str(err)))
            return
        table: Mapping[str, object]
        match step:
            case Explore(zone=name) | Grind(zone=name):
                table, what = world.zones, "zone"
            case Boss(name=name):
                table, what = world.bosses, "boss"
            case Farm(spot=name):
                table, what = world.farms, "farming spot"
            case Quest(name=name):
                table, what = dict.fromkeys(quests), "quest"
        if not _name(problems, path, name, table, what):
            return
        match step:
            case Explore() | Grind():
                zone = world.zones[name]
                if _blocked(problems, path, text, name, zone.requires, state):
                    return
                state.zones.add(name)
                _grant(state, zone.grants)
            case Boss():
                boss = world.bosses[name]
                if _blocked(problems, path, text, name, world.zones[boss.zone].requires + boss.requires, state):
                    return
                state.bosses.add(name)
                state.great_runes += int(boss.great_rune)
            case Farm():
                farm = world.farms[name]
                if _blocked(problems, path, text, name, world.zones[farm.zone].requires + farm.requires, state):
                    return
            case Quest():
                # like the game: the quest goes as far as its next steps allow, at least one step
                done = progress.get(name, 0)
                pending = sorted((s for s in world.quests if s.quest == name and s.step > done), key=lambda s: s.step)
                for qs in pending:
                    needs = qs.requires + world.zones[qs.zone].requires
                    if not satisfied(needs, state):
                        if progress.get(name, 0) == done:
                            _blocked(problems, path, text, f"{name} step {qs.step}", needs, state)
                            return
                        break
                    _grant(state, qs.grants)
                    progress[name] = qs.step


def check_scenario(scenario: Scenario, world: World, file: str | None = None) -> None:
    """Raise InputError if the scenario names anything the world does not hold."""
    problems: list[InputProblem] = []
    _name(problems, "player.start_class", scenario.player.start_class, world.classes, "starting class")
    if scenario.natural.farm is not None:
        _name(problems, "natural.farm", scenario.natural.farm, world.farms, "farming spot")
    if scenario.strategy == "rush_mohgwyn":
        _name(problems, "rush_mohgwyn.farm", scenario.rush_mohgwyn.farm, world.farms, "farming spot")
    if scenario.strategy == "route":
        _route(scenario, world, problems)
    if "hot_spots" in scenario.pvp.model_fields_set:  # the defaults name the base game's zones
        for k, z in enumerate(scenario.pvp.hot_spots):
            _name(problems, f"pvp.hot_spots[{k}]", z, world.zones, "zone")
    for k, lv in enumerate(scenario.record.levels):
        if not 1 <= lv <= world.rules.level_curve.max_level:
            problems.append(InputProblem(f"record.levels[{k}]", lv, f"a level from 1 to {world.rules.level_curve.max_level}"))
    if problems:
        raise InputError(file, problems)
