"""The Lands Between as data: ``load_world()`` and the exact level-up costs."""

from sim.world.levels import affordable_levels, level_cost, level_total
from sim.world.load import load_world

__all__ = ["load_world", "level_cost", "level_total", "affordable_levels"]
