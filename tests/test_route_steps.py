"""Route step kinds: one module each, a registry that refuses an incomplete kind, and a toy
kind registered here alone that goes through parsing, the route check and a replication."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import ClassVar

import pytest

from sim.errors import InputError
from sim.model.replication import simulate
from sim.route_steps import (
    KINDS,
    Activities,
    Explore,
    Proc,
    RouteCheck,
    RouteStep,
    StepContext,
    StepSyntaxError,
    parse_step,
    register,
    unregister,
)
from sim.scenario.check import check_scenario
from sim.world.access import zone_open
from tests.worlds import tiny_scenario, tiny_world

_MINUTES = re.compile(r"^for\s+(\d+)\s*min$")


@dataclass(frozen=True)
class Rest(RouteStep):
    """``rest "ZONE" for N min``: sit at a grace in an open zone, doing nothing."""

    zone: str
    minutes: int
    text: str = field(default="", compare=False, repr=False)

    verb: ClassVar[str] = "rest"
    forms: ClassVar[tuple[str, ...]] = ('rest "ZONE" for N min',)

    @classmethod
    def parse(cls, name: str, rest: str, text: str) -> Rest:
        m = _MINUTES.match(rest)
        if not m:
            raise StepSyntaxError('rest "ZONE" for N min')
        return cls(name, int(m.group(1)), text=text)

    def form(self) -> str:
        return f'rest "{self.zone}" for {self.minutes} min'

    def check(self, route: RouteCheck) -> None:
        route.known(self.zone, route.world.zones, "zone")
        route.open(self.zone, route.world.zones[self.zone].requires)

    def ready(self, pt: StepContext) -> bool:
        return zone_open(pt.world, self.zone, pt.player)

    def run(self, pt: StepContext, act: Activities) -> Proc:
        pt.set_place(self.zone, "rest")
        yield from pt.wait(self.minutes / 60.0)
        pt.log("rest", self.zone, float(self.minutes))


@pytest.fixture
def toy_kind() -> Iterator[type[Rest]]:
    register(Rest)
    yield Rest
    unregister("rest")


def test_shipped_kinds_have_every_part():
    """Each registered kind parses its own written form back to an equal step."""
    assert {"explore", "boss", "farm", "grind", "quest"} <= set(KINDS)
    samples = {
        "explore": 'explore "Field" 50%',
        "boss": 'boss "Warden"',
        "quest": 'quest "Oath"',
        "farm": 'farm "Den Birds" until level >= 10',
        "grind": 'grind "Field" for 1.5 h',
    }
    for verb, text in samples.items():
        step = parse_step(text)
        assert isinstance(step, KINDS[verb])
        assert parse_step(step.form()) == step
        assert str(step) == text


def test_a_kind_without_every_part_is_refused():
    """A kind that lacks its process (or any other part) cannot be registered."""

    @dataclass(frozen=True)
    class Half(RouteStep):
        verb: ClassVar[str] = "half"
        forms: ClassVar[tuple[str, ...]] = ('half "X"',)

        @classmethod
        def parse(cls, name: str, rest: str, text: str) -> Half:
            return cls()

        def form(self) -> str:
            return "half"

        def check(self, route: RouteCheck) -> None:
            return None

        def ready(self, pt: StepContext) -> bool:
            return True

    with pytest.raises(TypeError, match="run"):
        register(Half)
    assert "half" not in KINDS


def test_unknown_verb_names_the_forms():
    with pytest.raises(StepSyntaxError, match='explore "ZONE"'):
        parse_step('dance "Field"')


def test_a_toy_kind_in_one_place_runs_end_to_end(toy_kind):
    """Registered in this module only: read from the scenario, checked against the world,
    played in a replication."""
    steps = ['rest "Field" for 30 min', 'explore "Field"']
    s = tiny_scenario(strategy="route", route={"steps": steps, "then": "stop"})
    assert s.route.steps == (toy_kind("Field", 30), Explore("Field"))
    assert list(s.route.model_dump()["steps"]) == steps  # written back as written
    check_scenario(s, tiny_world(), "toy.toml")
    pt = simulate(s, tiny_world(), 0)
    rests = [e for e in pt.events.rows() if e["event"] == "rest"]
    assert rests == [
        {"hours": 0.5, "event": "rest", "zone": "Field", "detail": "Field", "value": 30.0}
    ]
    assert "Field" in pt.player.zones


def test_a_toy_step_the_world_refuses_names_the_step(toy_kind):
    s = tiny_scenario(strategy="route", route={"steps": ['rest "Feld" for 5 min']})
    with pytest.raises(InputError) as err:
        check_scenario(s, tiny_world(), "toy.toml")
    assert "route.steps[0]" in err.value.message and "'Field'" in err.value.message


def test_a_bad_step_is_refused_when_the_scenario_is_read():
    """Steps are read once, at validation: a bad one is an input error naming its index."""
    with pytest.raises(InputError) as err:
        tiny_scenario(strategy="route", route={"steps": ['explore "Field"', 'farm "X" forever']})
    assert "route.steps[1]" in err.value.message
