"""Route step kinds: one module each (text form, parsing, route check, readiness, process).

Importing this package registers the shipped kinds; ``KINDS`` maps each verb to its
class. A new kind is one new module here, registered with ``@register`` and imported
below. ``Step`` is any registered step.
"""

from sim.route_steps.base import (
    KINDS,
    Activities,
    Proc,
    RouteCheck,
    RouteStep,
    StepContext,
    StepProblem,
    StepSyntaxError,
    forms,
    parse_step,
    register,
    step_text,
    unregister,
)
from sim.route_steps.boss import Boss
from sim.route_steps.explore import Explore
from sim.route_steps.farm import Farm
from sim.route_steps.grind import Grind
from sim.route_steps.quest import Quest

Step = RouteStep

__all__ = [
    "KINDS",
    "Activities",
    "Boss",
    "Explore",
    "Farm",
    "Grind",
    "Proc",
    "Quest",
    "RouteCheck",
    "RouteStep",
    "Step",
    "StepContext",
    "StepProblem",
    "StepSyntaxError",
    "forms",
    "parse_step",
    "register",
    "step_text",
    "unregister",
]
