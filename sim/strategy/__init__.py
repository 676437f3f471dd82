"""Routing strategies: what the simulated player does next."""

from sim.route_steps import Boss, Explore, Farm, Grind, Quest, Step, parse_step
from sim.strategy.natural import natural
from sim.strategy.route import route
from sim.strategy.rush_mohgwyn import rush_mohgwyn
from sim.strategy.view import PlayView, Strategy

STRATEGIES: dict[str, Strategy] = {"natural": natural, "rush_mohgwyn": rush_mohgwyn, "route": route}

__all__ = [
    "STRATEGIES",
    "PlayView",
    "Strategy",
    "Boss",
    "Explore",
    "Farm",
    "Grind",
    "Quest",
    "Step",
    "parse_step",
]
