"""The article's five claims about where runes come from, each measured as stated.

``measure_claims(runs)`` takes one ``RunFrames`` per scenario (never stacked) and returns
five ``Claim`` objects: the claim in the article's words, a verdict (``supported``,
``partly supported``, ``not supported``, ``not measured``), a summary sentence, the key
figure's 95% interval and every part's figure. See ``core`` for how parts become a
verdict, ``sim/data/claims.toml`` for the thresholds, and one module per claim.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from sim.analysis.claims.bosses import claim_bosses
from sim.analysis.claims.core import (
    Claim,
    GameTables,
    Part,
    RunFrames,
    config,
    game_tables,
    verdict,
)
from sim.analysis.claims.enemies import claim_enemies
from sim.analysis.claims.pvp import claim_pvp
from sim.analysis.claims.secret import claim_secret
from sim.analysis.claims.tiers import claim_tiers

__all__ = [
    "Claim",
    "Part",
    "RunFrames",
    "GameTables",
    "config",
    "game_tables",
    "verdict",
    "measure_claims",
    "evaluate_claims",
    "claims_json",
    "CLAIM_FUNCTIONS",
    "CLAIM_EVENTS",
]

# the kinds of event the claims read from a run's events (its other rows are not needed)
CLAIM_EVENTS = ("level_up", "zone_enter", "death", "duel_lost")

# claim number k is CLAIM_FUNCTIONS[k - 1](runs, game, cfg, seed)
CLAIM_FUNCTIONS = (claim_tiers, claim_bosses, claim_secret, claim_enemies, claim_pvp)


def measure_claims(
    runs: Sequence[RunFrames],
    game: GameTables | None = None,
    *,
    seed: int = 0,
    cfg: dict | None = None,
) -> list[Claim]:
    """The five claims measured on the runs (the first run is the reference play)."""
    game = game if game is not None else game_tables()
    cfg = cfg if cfg is not None else config()
    runs = list(runs)
    return [f(runs, game, cfg, seed) for f in CLAIM_FUNCTIONS]


def evaluate_claims(
    income: pd.DataFrame,
    activity: pd.DataFrame,
    *,
    events: pd.DataFrame | None = None,
    replications: pd.DataFrame | None = None,
    seed: int = 0,
    mid_game: dict | None = None,
    game: GameTables | None = None,
) -> list[Claim]:
    """The claims on frames of one run, or of several stacked with a ``scenario`` column (split
    again here)."""
    del mid_game  # measured from the events now
    frames = {
        "income": income,
        "activity": activity,
        "events": events,
        "replications": replications,
    }
    if "scenario" not in income.columns:
        runs = [_frames_run("run", frames)]
    else:
        names = list(
            dict.fromkeys(
                income["scenario"].astype(str).tolist() + activity["scenario"].astype(str).tolist()
            )
        )
        runs = [
            _frames_run(
                n,
                {
                    k: (
                        None
                        if f is None
                        else f[f["scenario"].astype(str) == n].drop(columns="scenario")
                    )
                    for k, f in frames.items()
                },
            )
            for n in names
        ]
    return measure_claims(runs, game, seed=seed)


def _frames_run(name: str, f: dict) -> RunFrames:
    reps = f["replications"]
    strategy = (
        str(reps["strategy"].iloc[0])
        if reps is not None and len(reps) and "strategy" in reps
        else ""
    )
    return RunFrames(name, f["income"], f["activity"], f["events"], reps, strategy)


def claims_json(claims: Sequence[Claim]) -> dict:
    """``{"claims": [{"number", "claim", "verdict", "summary", "ci95", "figures", ...}]}``."""
    return {"claims": [c.to_dict() for c in claims]}
