"""Check a scenario's names and custom route against the world before anything runs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sim.errors import InputError, InputProblem, did_you_mean
from sim.scenario.schema import Scenario
from sim.strategy.steps import Boss, Explore, Farm, Grind, Quest, StepSyntaxError, parse_step
from sim.world.access import parse_token, satisfied, token_problem
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
    start, top = start_level(scenario, world), world.rules.level_curve.max_level
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
        if not _amount(problems, path, text, step, start, top):
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


def start_level(scenario: Scenario, world: World) -> int:
    """The level a replication starts at (NG+ carry-over, a set start, or the class's)."""
    pl = scenario.player
    cls = world.classes.get(pl.start_class)
    return scenario.ng.start_level or pl.start_level or (cls.level if cls is not None else 1)


def _amount(problems: list[InputProblem], path: str, text: str, step: object, start: int, top: int) -> bool:
    """A farm or grind step's target level (above the start, at most the cap) or time (> 0)."""
    if not isinstance(step, Farm | Grind):
        return True
    if step.until_level is not None and not start < step.until_level <= top:
        problems.append(InputProblem(path, text, f"a target level above the start ({start}) and at most {top}"))
        return False
    if step.hours is not None and not step.hours > 0:
        problems.append(InputProblem(path, text, "a time above zero (for N min or for N h)"))
        return False
    return True


def _tokens(problems: list[InputProblem], path: str, tokens: tuple[str, ...], world: World) -> None:
    """Access tokens (``has``, ``requires``) must name things the world holds."""
    items = {
        t.name
        for tok in [g for z in world.zones.values() for g in z.grants] + [g for q in world.quests for g in q.grants]
        for t in parse_token(tok)
        if t.kind == "item"
    }
    names = {"zone": list(world.zones), "boss": list(world.bosses), "quest": sorted({q.quest for q in world.quests}), "item": sorted(items)}
    for i, tok in enumerate(tokens):
        bad = token_problem(tok, names)
        if bad is not None:
            value, expected = bad
            kind = tok.partition(":")[0].strip()
            problems.append(InputProblem(f"{path}[{i}]", value, expected, tuple(did_you_mean(value, names.get(kind, ())))))


def check_scenario(scenario: Scenario, world: World, file: str | None = None) -> None:
    """Raise InputError if the scenario names anything the world does not hold."""
    problems: list[InputProblem] = []
    _name(problems, "player.start_class", scenario.player.start_class, world.classes, "starting class")
    _tokens(problems, "player.has", scenario.player.has, world)
    if scenario.natural.farm is not None:
        _name(problems, "natural.farm", scenario.natural.farm, world.farms, "farming spot")
    if scenario.strategy == "rush_mohgwyn":
        _name(problems, "rush_mohgwyn.farm", scenario.rush_mohgwyn.farm, world.farms, "farming spot")
    if scenario.strategy == "route" and not problems:
        _route(scenario, world, problems)
    if "hot_spots" in scenario.pvp.model_fields_set:  # the defaults name the base game's zones
        for k, z in enumerate(scenario.pvp.hot_spots):
            _name(problems, f"pvp.hot_spots[{k}]", z, world.zones, "zone")
    for k, lv in enumerate(scenario.record.levels):
        if not 1 <= lv <= world.rules.level_curve.max_level:
            problems.append(InputProblem(f"record.levels[{k}]", lv, f"a level from 1 to {world.rules.level_curve.max_level}"))
    if problems:
        raise InputError(file, problems)
