"""The steps a strategy asks for, and the text form custom routes are written in.

Custom route steps (``route.steps`` in a scenario)::

    explore "Limgrave"                 explore "Liurnia of the Lakes" 50%
    boss "Margit, the Fell Omen"       quest "Varre"
    farm "Palace Approach Ledge-Road" until level >= 80
    farm "Palace Approach Ledge-Road" for 30 min
    grind "Caelid" until level >= 40   grind "Caelid" for 1.5 h
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Explore", "Boss", "Farm", "Grind", "Quest", "Step", "parse_step", "StepSyntaxError"]


@dataclass(frozen=True)
class Explore:
    zone: str
    share: float = 1.0


@dataclass(frozen=True)
class Boss:
    name: str


@dataclass(frozen=True)
class Farm:
    spot: str
    until_level: int | None = None
    hours: float | None = None


@dataclass(frozen=True)
class Grind:
    zone: str
    until_level: int | None = None
    hours: float | None = None


@dataclass(frozen=True)
class Quest:
    name: str


Step = Explore | Boss | Farm | Grind | Quest


class StepSyntaxError(ValueError):
    """A custom route step that does not read as a step."""


_STEP = re.compile(r'^\s*(explore|boss|farm|grind|quest)\s+"([^"]+)"\s*(.*?)\s*$', re.IGNORECASE)
_UNTIL = re.compile(r"^until\s+level\s*>=\s*(\d+)$", re.IGNORECASE)
_FOR = re.compile(r"^for\s+(\d+(?:\.\d+)?)\s*(min|mins|minutes|h|hr|hrs|hours)$", re.IGNORECASE)
_SHARE = re.compile(r"^(\d+(?:\.\d+)?)\s*%$")

FORMS = (
    'explore "ZONE" [N%]', 'boss "BOSS"', 'quest "QUEST"',
    'farm "SPOT" until level >= N', 'farm "SPOT" for N min|h',
    'grind "ZONE" until level >= N', 'grind "ZONE" for N min|h',
)


def parse_step(text: str) -> Step:
    """Read one custom route step; raises StepSyntaxError naming the forms it accepts."""
    m = _STEP.match(text)
    if not m:
        raise StepSyntaxError("one of " + "; ".join(FORMS))
    verb, name, rest = m.group(1).lower(), m.group(2), m.group(3)
    if verb in ("boss", "quest"):
        if rest:
            raise StepSyntaxError(f'{verb} "NAME" with nothing after it')
        return Boss(name) if verb == "boss" else Quest(name)
    if verb == "explore":
        if not rest:
            return Explore(name)
        s = _SHARE.match(rest)
        if not s or not 0 < float(s.group(1)) <= 100:
            raise StepSyntaxError('explore "ZONE" or explore "ZONE" N% with 0 < N <= 100')
        return Explore(name, float(s.group(1)) / 100.0)
    until = _UNTIL.match(rest)
    span = _FOR.match(rest)
    if until:
        level = int(until.group(1))
        return Farm(name, until_level=level) if verb == "farm" else Grind(name, until_level=level)
    if span:
        value = float(span.group(1))
        hours = value / 60.0 if span.group(2).lower().startswith("m") else value
        return Farm(name, hours=hours) if verb == "farm" else Grind(name, hours=hours)
    raise StepSyntaxError(f'{verb} "NAME" until level >= N, or {verb} "NAME" for N min|h')
