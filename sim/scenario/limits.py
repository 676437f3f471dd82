"""Bounds and strict kinds shared by every scenario field, so new fields inherit them.

A scenario that ``runesim validate`` accepts must run: these limits keep every
value inside what the model, numpy and Parquet can hold, and each says in its
message what it allows.
"""

from __future__ import annotations

import re
import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

__all__ = [
    "FieldProblem",
    "MAX_CHUNK_SIZE",
    "MAX_GRID_POINTS",
    "MAX_HORIZON_HOURS",
    "MAX_NAME_LENGTH",
    "MAX_REPLICATIONS",
    "MAX_SEED",
    "MIN_GRID_HOURS",
    "NAME_RULE",
    "check_name",
    "kind_problem",
    "rate_problem",
    "MAX_RATE_PER_HOUR",
    "safe_label",
]

MAX_SEED = 2**63 - 1  # numpy's SeedSequence takes more, but Parquet int64 columns store the seed
MAX_REPLICATIONS = 1_000_000  # per run; the chunk plan and the stored parts stay small
MAX_CHUNK_SIZE = 10_000  # replications a worker holds in memory at once
MAX_HORIZON_HOURS = 2_000.0  # well past a completionist's 250 h; bounds the simulated time
MIN_GRID_HOURS = 1 / 60  # trajectories are recorded at most once a minute
MAX_GRID_POINTS = 50_000  # trajectory rows per replication: horizon_hours / grid_hours
MAX_NAME_LENGTH = 64
MAX_RATE_PER_HOUR = 60.0  # any field named *_per_hour: at most one event a minute

_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
NAME_RULE = (
    f"a label of 1 to {MAX_NAME_LENGTH} letters, digits, '_', '.' or '-', not starting with '.' "
    "(it names the results directory, never a path)"
)


class FieldProblem(ValueError):
    """A value a validator refuses: ``key`` (relative to the model being checked), the value,
    and what was expected. ``sim.scenario.load`` turns it into one line naming the key path."""

    def __init__(self, key: str, value: Any, expected: str) -> None:
        super().__init__(f"{key}: expected {expected}")
        self.key = key
        self.value = value
        self.expected = expected


def check_name(value: str) -> str:
    """``value`` if it is a safe label for a scenario; FieldProblem otherwise."""
    if not (0 < len(value) <= MAX_NAME_LENGTH and _NAME.match(value)):
        raise FieldProblem("", value, NAME_RULE)
    return value


def safe_label(text: str) -> str:
    """A safe label made from any text (a file name's stem): other characters become '_'."""
    label = re.sub(r"[^A-Za-z0-9_.-]+", "_", text).lstrip(".")[:MAX_NAME_LENGTH]
    return label or "scenario"


def _kinds(annotation: Any) -> set[Any]:
    """The plain types an annotation accepts (unions and Annotated unwrapped)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _kinds(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return set().union(*(_kinds(a) for a in get_args(annotation)))
    if origin is Literal:
        return {type(a) for a in get_args(annotation)}
    return {origin or annotation}


def _element(annotation: Any) -> Any | None:
    """The element annotation of ``tuple[X, ...]`` (through unions), else None."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _element(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        for a in get_args(annotation):
            e = _element(a)
            if e is not None:
                return e
        return None
    if origin in (tuple, list):
        args = get_args(annotation)
        return args[0] if args else None
    return None


def kind_problem(annotation: Any, value: Any, key: str = "") -> None:
    """Refuse a boolean or a string where only numbers go, and a number where only text goes."""
    kinds = _kinds(annotation)
    if Any in kinds or object in kinds:
        return
    numeric = kinds & {int, float}
    if numeric and not kinds & {bool, str}:
        want = "a whole number" if numeric == {int} else "a number"
        if isinstance(value, bool):
            raise FieldProblem(key, value, f"{want}, not a boolean")
        if isinstance(value, str):
            raise FieldProblem(key, value, f"{want}, not text")
    if (kinds == {str} or kinds == {str, type(None)}) and isinstance(value, bool | int | float):
        raise FieldProblem(key, value, "text in quotes")
    element = _element(annotation)
    if element is not None and isinstance(value, list | tuple):
        for i, item in enumerate(value):
            kind_problem(element, item, f"{key}[{i}]")


def rate_problem(field_name: str, value: Any) -> None:
    """A rate (a field named ``*_per_hour``) of at most one event a minute: faster ones would
    keep a replication busy without end."""
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if field_name.endswith("_per_hour") and number and value > MAX_RATE_PER_HOUR:
        raise FieldProblem("", value, f"at most {MAX_RATE_PER_HOUR:g} per hour (one a minute)")
