"""A custom route in a scenario (``[route]``): its steps, read once into typed steps.

The steps are written as text (``farm "SPOT" until level >= 80``, see ``sim.route_steps``);
validation reads each into its step kind and keeps the text as written, which is what the
scenario gives back when it is written out again. The step kinds are imported when a
scenario has steps to read: a scenario without a custom route does not need them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema

from sim.scenario.limits import FieldProblem
from sim.scenario.section import Section

if TYPE_CHECKING:
    from sim.route_steps import RouteStep

__all__ = ["Route", "StepField"]


def _read_step(value: Any) -> RouteStep:
    from sim.route_steps import RouteStep, StepSyntaxError, parse_step

    if isinstance(value, RouteStep):
        return value
    if not isinstance(value, str):
        raise FieldProblem("", value, "text in quotes")
    try:
        return parse_step(value)
    except StepSyntaxError as err:
        raise FieldProblem("", value, str(err)) from None


def _write_step(step: RouteStep) -> str:
    from sim.route_steps import step_text

    return step_text(step)


if TYPE_CHECKING:
    StepField = RouteStep
else:
    # validated and written by the functions above (pydantic needs no schema of the step)
    StepField = Annotated[
        Any,
        PlainValidator(_read_step),
        PlainSerializer(_write_step, return_type=str),
        WithJsonSchema({"type": "string", "description": "a route step, e.g. 'boss \"NAME\"'"}),
    ]


class Route(Section):
    """A custom route: ordered steps such as 'farm "X" until level >= 80'."""

    steps: tuple[StepField, ...] = ()
    then: Literal["natural", "stop"] = "natural"
