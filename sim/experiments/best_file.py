"""The best route of a search written back as a runnable scenario file."""

from __future__ import annotations

from typing import Any

from sim.experiments.spec import Spec
from sim.experiments.tomlout import dumps

__all__ = ["best_toml"]


def best_toml(raw: dict[str, Any], spec: Spec, steps: list[str], data: dict[str, Any]) -> str:
    """The base scenario with the best route, as a runnable scenario file."""
    body = {k: v for k, v in raw.items() if k not in ("name", "description", "strategy", "route")}
    head = {
        "name": f"{spec.name}_best",
        "description": f"Best route found by runesim optimize for {data['objective']['statistic']} "
        f"{data['objective']['metric']} (base: {raw.get('name')}).",
        "strategy": "route",
    }
    doc = {**head, **body, "route": {"steps": list(steps), "then": spec.route.then}}
    keep = data["players"] == "who keep playing"
    who = "players who keep playing (quitting off)" if keep else "players who may quit, as modelled"
    comment = (
        f"# Found by `runesim optimize {data['spec']}` (selection seed {data['selection_seed']}, "
        f"{data['replications_per_candidate']} replications per candidate).\n"
        f"# Selected for {who}; this file keeps the base's quitting section.\n"
    )
    return comment + dumps(doc)
