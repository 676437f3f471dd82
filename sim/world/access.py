"""Access tokens: what opens a zone, a boss or a farm, and the checks on the access graph.

A requirement is a tuple of tokens, all of which must hold (AND). One token may list
alternatives separated by ``|`` (OR), e.g. ``quest:Varre|zone:Consecrated Snowfield``.

Token kinds: ``boss:NAME`` (boss defeated), ``zone:NAME`` (zone explored),
``item:NAME`` (key item held), ``quest:NAME`` (questline finished) and
``great_runes:N`` (at least N Great Runes held).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

from sim.world.grants import grant

if TYPE_CHECKING:
    from sim.world.schema import QuestStep

__all__ = [
    "KINDS",
    "Access",
    "AccessState",
    "next_quest_step",
    "quest_ready",
    "take_quest_step",
    "advance_quest",
    "Term",
    "parse_token",
    "token_met",
    "token_checks",
    "satisfied",
    "token_problem",
    "granted_items",
    "token_names",
    "zones_reachable",
    "unreachable",
    "requirement_cycle",
    "zone_open",
    "boss_open",
    "farm_open",
]

KINDS = ("boss", "zone", "item", "quest", "great_runes")
_ATTR = {"boss": "bosses", "zone": "zones", "item": "items", "quest": "quests"}


class AccessState(Protocol):
    """What the access checks read (``Access`` is the one state the simulator keeps)."""

    bosses: set[str]
    zones: set[str]
    items: set[str]
    quests: set[str]
    great_runes: int


@dataclass(slots=True)
class Access:
    """What a player has done so far: the access state of a replication (``Player`` is one),
    of the custom route check and of the access closure alike."""

    level: int = 1
    bosses: set[str] = field(default_factory=set)  # bosses defeated
    zones: set[str] = field(default_factory=set)  # zones explored
    items: set[str] = field(default_factory=set)  # key items held
    quests: set[str] = field(default_factory=set)  # questlines finished
    great_runes: int = 0
    progress: dict[str, int] = field(default_factory=dict)  # quest -> last step done


@dataclass(frozen=True)
class Term:
    """One alternative of a token: its kind and name (or count for ``great_runes``)."""

    kind: str
    name: str


@lru_cache(maxsize=4096)
def parse_token(token: str) -> tuple[Term, ...]:
    """Split a token into its alternatives; raise ``ValueError`` on a malformed one."""
    terms = []
    for part in token.split("|"):
        kind, sep, name = part.strip().partition(":")
        kind, name = kind.strip(), name.strip()
        if not sep or kind not in KINDS or not name:
            raise ValueError(f"malformed access token {part!r}")
        if kind == "great_runes" and not name.isdigit():
            raise ValueError(f"great_runes needs a count, got {name!r}")
        terms.append(Term(kind, name))
    return tuple(terms)


@lru_cache(maxsize=4096)
def token_checks(token: str) -> tuple[tuple[str, str, int], ...]:
    """A token's alternatives as ``(state attribute, name, count)``: a name in the set
    the attribute holds (``count`` -1), or at least ``count`` Great Runes (name empty)."""
    return tuple(
        ("great_runes", "", int(t.name)) if t.kind == "great_runes" else (_ATTR[t.kind], t.name, -1)
        for t in parse_token(token)
    )


def token_met(token: str, state: Any) -> bool:
    """Whether one token (possibly an OR of alternatives) holds for ``state``."""
    for attr, name, count in token_checks(token):
        if count >= 0:
            if int(getattr(state, "great_runes", 0)) >= count:
                return True
        elif name in getattr(state, attr):
            return True
    return False


def satisfied(tokens: Iterable[str], state: Any) -> bool:
    """True when every token holds for ``state`` (one alternative of each is enough)."""
    for tok in tokens:  # token_met's loop, inline: this is the hottest check
        for attr, name, count in token_checks(tok):
            if count >= 0:
                if int(getattr(state, "great_runes", 0)) >= count:
                    break
            elif name in getattr(state, attr):
                break
        else:
            return False
    return True


def zone_open(world: Any, zone: str, state: Any) -> bool:
    """Whether ``state`` has what opens ``zone``."""
    return satisfied(world.zones[zone].requires, state)


def boss_open(world: Any, name: str, state: Any) -> bool:
    """Whether ``state`` has what opens the boss ``name`` (its zone, then its own needs)."""
    boss = world.bosses[name]
    return zone_open(world, boss.zone, state) and satisfied(boss.requires, state)


def farm_open(world: Any, spot: str, state: Any) -> bool:
    """Whether ``state`` has what opens the farming spot ``spot`` (its zone, then its own)."""
    farm = world.farms[spot]
    return zone_open(world, farm.zone, state) and satisfied(farm.requires, state)


def token_problem(token: str, names: Mapping[str, Iterable[str]]) -> tuple[str, str] | None:
    """The first bad part of ``token`` as ``(value, expected)``, or None if it names known things.

    ``names`` maps ``boss``/``zone``/``item``/``quest`` to the names that exist; a kind
    missing from the mapping is not checked.
    """
    try:
        terms = parse_token(token)
    except ValueError as exc:
        return token, f"an access token kind:NAME with kind in {KINDS} ({exc})"
    for t in terms:
        if t.kind in names and t.name not in set(names[t.kind]):
            return t.name, f"a known {t.kind} name"
    return None


def granted_items(world: Any) -> set[str]:
    """The key items the world grants (a zone's exploration or a quest step)."""
    grants = [t for z in world.zones.values() for t in z.grants]
    grants += [t for q in world.quests for t in q.grants]
    return {term.name for tok in grants for term in parse_token(tok) if term.kind == "item"}


def token_names(world: Any) -> dict[str, list[str]]:
    """The names an access token may use, by kind (for ``token_problem``)."""
    return {
        "zone": list(world.zones),
        "boss": list(world.bosses),
        "quest": sorted({q.quest for q in world.quests}),
        "item": sorted(granted_items(world)),
    }


def _quest_steps(world: Any) -> dict[str, tuple[QuestStep, ...]]:
    """Each quest's steps in order (ties keep the world's order)."""
    steps: dict[str, list[QuestStep]] = {}
    for s in world.quests:
        steps.setdefault(s.quest, []).append(s)
    return {q: tuple(sorted(v, key=lambda s: s.step)) for q, v in steps.items()}


def next_quest_step(world: Any, quest: str, state: Access) -> QuestStep | None:
    """The step of ``quest`` after the last one ``state`` has done (None: none left)."""
    done = state.progress.get(quest, 0)
    derived = getattr(world, "derived", None)
    steps = derived("quest_steps", _quest_steps) if derived else _quest_steps(world)
    for step in steps.get(quest, ()):
        if step.step > done:
            return step
    return None


def quest_ready(world: Any, quest: str, state: Access) -> bool:
    """Whether the next step of ``quest`` can be done now (its needs met, its place open):
    the one rule of quest progress, for the model, the route check and the closure."""
    step = next_quest_step(world, quest, state)
    return step is not None and satisfied(step.requires + world.zones[step.zone].requires, state)


def take_quest_step(state: Access, step: QuestStep) -> None:
    """Record a quest step done: what it grants is in hand."""
    grant(state, step.grants)
    state.progress[step.quest] = step.step


def advance_quest(world: Any, quest: str, state: Access) -> int:
    """Take ``quest`` as far as its next steps allow now; the number of steps taken."""
    taken = 0
    while (step := next_quest_step(world, quest, state)) is not None:
        if not quest_ready(world, quest, state):
            break
        take_quest_step(state, step)
        taken += 1
    return taken


def _closure(world: Any, state: Any | None = None) -> Access:
    """Everything reachable from ``state`` by exploring zones, beating bosses and finishing
    quests."""
    s = Access()
    if state is not None:
        s.bosses |= set(state.bosses)
        s.zones |= set(state.zones)
        s.items |= set(state.items)
        s.quests |= set(state.quests)
        s.great_runes = int(state.great_runes)
        s.progress.update(getattr(state, "progress", {}))
    quests = sorted({step.quest for step in world.quests})
    changed = True
    while changed:
        changed = False
        for zone in world.zones.values():
            if zone.name not in s.zones and satisfied(zone.requires, s):
                s.zones.add(zone.name)
                grant(s, zone.grants)
                changed = True
        for boss in world.bosses.values():
            if boss.name in s.bosses or boss.zone not in s.zones:
                continue
            if satisfied(boss.requires, s):
                s.bosses.add(boss.name)
                s.great_runes += int(boss.great_rune)
                changed = True
        for name in quests:
            if name not in s.quests and advance_quest(world, name, s):
                changed = True
            if name not in s.quests and next_quest_step(world, name, s) is None:
                s.quests.add(name)  # every step done: the questline is finished
                changed = True
    return s


def zones_reachable(world: Any, state: Any | None = None) -> set[str]:
    """Zones that can be opened from ``state`` (from nothing when None) by playing on."""
    return _closure(world, state).zones


def unreachable(world: Any) -> dict[str, list[str]]:
    """Zones and bosses a fresh game can never open: ``{"zones": [...], "bosses": [...]}``."""
    s = _closure(world)
    return {
        "zones": sorted(set(world.zones) - s.zones),
        "bosses": sorted(set(world.bosses) - s.bosses),
    }


def requirement_cycle(world: Any) -> list[str] | None:
    """A cycle of ``zone:``/``boss:`` requirements in which every link is mandatory, or None.

    Edges run from a zone or boss to each ``zone:``/``boss:`` it requires through a token
    with a single alternative (an OR token can be met another way, so it cannot lock a cycle);
    a boss also depends on its own zone.
    """
    edges: dict[str, set[str]] = {}
    for zone in world.zones.values():
        edges[f"zone:{zone.name}"] = _hard_deps(zone.requires)
    for boss in world.bosses.values():
        edges[f"boss:{boss.name}"] = _hard_deps(boss.requires) | {f"zone:{boss.zone}"}
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if state.get(nxt) is None and nxt in edges:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if state.get(node) is None:
            found = visit(node)
            if found:
                return found
    return None


def _hard_deps(tokens: Iterable[str]) -> set[str]:
    deps = set()
    for tok in tokens:  # noqa: SIM110 (a plain loop: no generator on a hot path)
        terms = parse_token(tok)
        if len(terms) == 1 and terms[0].kind in ("zone", "boss"):
            deps.add(f"{terms[0].kind}:{terms[0].name}")
    return deps
