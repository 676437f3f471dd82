"""The Lands Between as data: ``load_world()`` and the exact level-up costs.

The names are imported on first use, so that importing a light module of this
package (the level curve, the table names) does not build the whole schema.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["load_world", "level_cost", "level_total", "affordable_levels"]

if TYPE_CHECKING:
    from sim.world.levels import affordable_levels, level_cost, level_total
    from sim.world.load import load_world


def __getattr__(name: str) -> Any:
    if name == "load_world":
        from sim.world.load import load_world

        return load_world
    if name in ("level_cost", "level_total", "affordable_levels"):
        from sim.world import levels

        return getattr(levels, name)
    raise AttributeError(f"module 'sim.world' has no attribute {name!r}")
