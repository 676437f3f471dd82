"""What every route step kind provides, the registry of kinds, and the shared pieces.

A step kind is one frozen dataclass in one module of this package, registered with
``@register``. It holds all of the kind's parts:

- ``verb`` and ``forms``: its text form in a scenario (``farm "SPOT" for N min``);
- ``parse(name, rest)``: the text after the verb and the quoted name, read into a step;
- ``form()``: the step written back as text;
- ``check(route)``: its feasibility against the world at its place in a custom route
  (raise ``StepProblem``; advance ``route`` by what the step earns);
- ``ready(pt)``: whether the player can start it now;
- ``run(pt, act)``: the SimPy process that plays it.

``register`` refuses a kind that lacks any part, so dispatch over the registry is
exhaustive by construction.
"""

from __future__ import annotations

import inspect
import re
from abc import ABC, abstractmethod
from collections.abc import Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, Self, TypeVar

from sim.errors import did_you_mean
from sim.world.access import Access, satisfied
from sim.world.grants import grant

if TYPE_CHECKING:
    from sim.world.schema import World

__all__ = [
    "Activities",
    "AmountStep",
    "KINDS",
    "Proc",
    "RouteCheck",
    "RouteStep",
    "StepContext",
    "StepProblem",
    "StepSyntaxError",
    "forms",
    "parse_step",
    "register",
    "read_amount",
    "amount_form",
    "step_text",
    "unregister",
]

Proc = Generator[Any, Any, Any]


class StepSyntaxError(ValueError):
    """A custom route step that does not read as a step."""


class StepProblem(Exception):  # noqa: N818 (a finding about a route, reported as input)
    """A step the route check refuses: the value to quote, what was expected, near misses."""

    def __init__(self, value: object, expected: str, suggestions: Iterable[str] = ()) -> None:
        super().__init__(expected)
        self.value = value
        self.expected = expected
        self.suggestions = tuple(suggestions)


class StepContext(Protocol):
    """What a step sees of one replication: the world, what the player has, the clock."""

    @property
    def world(self) -> World: ...

    @property
    def player(self) -> Access: ...

    def quest_ready(self, quest: str) -> bool: ...

    def set_place(self, zone: str, activity: str) -> None: ...

    def wait(self, hours: float, redraw: Any = None) -> Iterator[Any]: ...

    def log(
        self, event: str, detail: str = ..., value: float = ..., zone: str | None = ...
    ) -> None: ...


class Activities(Protocol):
    """The model's activities a step can play (``sim.model.activities`` binds them)."""

    def explore(self, zone: str, share: float) -> Proc: ...

    def grind(self, zone: str, until_level: int | None, hours: float | None) -> Proc: ...

    def farm(self, spot: str, until_level: int | None, hours: float | None) -> Proc: ...

    def fight_boss(self, name: str) -> Proc: ...

    def do_quest(self, quest: str) -> Proc: ...


@dataclass
class RouteCheck:
    """A custom route walked with the access rules before anything runs: what the player
    has earned so far (``access``, quest progress included) and the levels a target may use."""

    world: World
    access: Access  # its level is the level the replication starts at
    max_level: int
    text: str = ""  # the step being checked, as written (quoted in problems)

    def known(self, name: str, table: Mapping[str, object] | Iterable[str], what: str) -> None:
        """Refuse a name the world does not hold, suggesting the near misses."""
        if name not in table:
            raise StepProblem(name, f"a known {what}", did_you_mean(name, table))

    def open(self, what: str, needs: tuple[str, ...]) -> None:
        """Refuse a step the player cannot take yet at this point of the route."""
        if not satisfied(needs, self.access):
            raise StepProblem(
                self.text, f"a step the player can take here: {what} needs {' and '.join(needs)}"
            )

    def enter(self, zone: str) -> None:
        """Refuse a zone the player cannot reach yet; else record it reached, with its grants."""
        z = self.world.zones[zone]
        self.open(zone, z.requires)
        self.access.zones.add(zone)
        grant(self.access, z.grants)

    def amount(self, until_level: int | None, hours: float | None) -> None:
        """A target level above the start and at most the cap; a time above zero."""
        lo, top = self.access.level, self.max_level
        if until_level is not None and not lo < until_level <= top:
            raise StepProblem(self.text, f"a target level above the start ({lo}) and at most {top}")
        if hours is not None and not hours > 0:
            raise StepProblem(self.text, "a time above zero (for N min or for N h)")


class RouteStep(ABC):
    """One step a strategy asks for; every kind is a frozen dataclass subclass."""

    verb: ClassVar[str]
    forms: ClassVar[tuple[str, ...]]

    @classmethod
    @abstractmethod
    def parse(cls, name: str, rest: str, text: str) -> RouteStep:
        """The step written ``VERB "name" rest`` (``text`` is the whole line, kept)."""

    @abstractmethod
    def form(self) -> str:
        """The step as text, in a form ``parse`` reads back."""

    @abstractmethod
    def check(self, route: RouteCheck) -> None:
        """Raise ``StepProblem`` if the world refuses this step here; else record its gains."""

    @abstractmethod
    def ready(self, pt: StepContext) -> bool:
        """Whether the world lets the player start this step now."""

    @abstractmethod
    def run(self, pt: StepContext, act: Activities) -> Proc:
        """Play the step (a SimPy process)."""

    def __str__(self) -> str:
        return getattr(self, "text", "") or self.form()


KINDS: dict[str, type[RouteStep]] = {}
_PARTS = ("parse", "form", "check", "ready", "run")
K = TypeVar("K", bound=type[RouteStep])


def register(cls: K) -> K:
    """Add a step kind to the registry; refuse one that lacks a part or reuses a verb."""
    missing = [
        p
        for p in _PARTS
        if getattr(cls, p, None) is None or getattr(getattr(cls, p), "__isabstractmethod__", False)
    ]
    if inspect.isabstract(cls) or missing:
        raise TypeError(f"route step kind {cls.__name__} lacks {', '.join(missing) or 'a part'}")
    verb = getattr(cls, "verb", "")
    if not re.fullmatch(r"[a-z_]+", verb) or not getattr(cls, "forms", ()):
        raise TypeError(f"route step kind {cls.__name__} needs a lower-case verb and its forms")
    if verb in KINDS and KINDS[verb] is not cls:
        raise TypeError(f"route step verb {verb!r} is taken by {KINDS[verb].__name__}")
    KINDS[verb] = cls
    return cls


def unregister(verb: str) -> None:
    """Remove a kind (tests register toy kinds and take them away again)."""
    KINDS.pop(verb, None)


_STEP = re.compile(r'^\s*([A-Za-z_]+)\s+"([^"]+)"\s*(.*?)\s*$')
_UNTIL = re.compile(r"^until\s+level\s*>=\s*(\d+)$", re.IGNORECASE)
_FOR = re.compile(r"^for\s+(\d+(?:\.\d+)?)\s*(min|mins|minutes|h|hr|hrs|hours)$", re.IGNORECASE)


def forms() -> tuple[str, ...]:
    """Every text form the registered kinds accept."""
    return tuple(f for cls in KINDS.values() for f in cls.forms)


def parse_step(text: str) -> RouteStep:
    """Read one custom route step; raises StepSyntaxError naming the forms it accepts."""
    m = _STEP.match(text)
    cls = KINDS.get(m.group(1).lower()) if m else None
    if m is None or cls is None:
        raise StepSyntaxError("one of " + "; ".join(forms()))
    return cls.parse(m.group(2), m.group(3), text)


def read_amount(verb: str, rest: str) -> tuple[int | None, float | None]:
    """``until level >= N`` -> (N, None); ``for N min|h`` -> (None, hours)."""
    until = _UNTIL.match(rest)
    if until:
        return int(until.group(1)), None
    span = _FOR.match(rest)
    if span:
        value = float(span.group(1))
        return None, value / 60.0 if span.group(2).lower().startswith("m") else value
    raise StepSyntaxError(f'{verb} "NAME" until level >= N, or {verb} "NAME" for N min|h')


def amount_form(until_level: int | None, hours: float | None) -> str:
    """The text of a target: ``until level >= N`` or ``for N h`` (empty when neither)."""
    if until_level is not None:
        return f"until level >= {until_level}"
    return f"for {hours:g} h" if hours is not None else ""


class AmountStep(RouteStep):
    """A step on one named place, played ``until level >= N`` or ``for N min|h``
    (its first field is the place; ``until_level`` and ``hours`` follow)."""

    until_level: int | None
    hours: float | None

    if TYPE_CHECKING:

        def __init__(
            self,
            place: str,
            until_level: int | None = None,
            hours: float | None = None,
            *,
            text: str = "",
        ) -> None: ...

    @property
    @abstractmethod
    def place(self) -> str:
        """The farming spot or zone the step names."""

    @classmethod
    def parse(cls, name: str, rest: str, text: str) -> Self:
        until_level, hours = read_amount(cls.verb, rest)
        return cls(name, until_level, hours, text=text)

    def form(self) -> str:
        return f'{self.verb} "{self.place}" {amount_form(self.until_level, self.hours)}'


def step_text(step: RouteStep) -> str:
    """The step as the scenario wrote it (or its canonical form)."""
    return str(step)
