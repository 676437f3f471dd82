"""A custom route in a scenario (``[route]``): its steps, read once into typed steps.

The steps are written as text (``farm "SPOT" until level >= 80``, see ``sim.route_steps``);
validation reads each into its step kind and keeps the text as written, which is what the
scenario gives back when it is written out again.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema

from sim.route_steps import RouteStep, StepSyntaxError, parse_step, step_text
from sim.scenario.limits import FieldProblem
from sim.scenario.section import Section

__all__ = ["Route", "StepField"]


def _read_step(value: Any) -> RouteStep:
    if isinstance(value, RouteStep):
        return value
    if not isinstance(value, str):
        raise FieldProblem("", value, "text in quotes")
    try:
        return parse_step(value)
    except StepSyntaxError as err:
        raise FieldProblem("", value, str(err)) from None


StepField = Annotated[
    RouteStep,
    PlainValidator(_read_step),
    PlainSerializer(step_text, return_type=str),
    WithJsonSchema({"type": "string", "description": "a route step, e.g. 'boss \"NAME\"'"}),
]


class Route(Section):
    """A custom route: ordered steps such as 'farm "X" until level >= 80'."""

    steps: tuple[StepField, ...] = ()
    then: Literal["natural", "stop"] = "natural"
