"""Who beats which boss: the per-boss table and the share of players who finish, from stored runs.

Frames in, frames out (``events`` and ``replications`` as stored). A quitter is a player
who left, not a censored one: shares are over every replication of the run.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

__all__ = ["boss_table", "finish_shares", "BOSS_COLUMNS"]

BOSS_COLUMNS = (
    "boss",
    "fought",
    "beaten",
    "attempts_per_beater",
    "median_attempts",
    "deaths",
    "quit_there",
    "first_hour",
)


def boss_table(events: pd.DataFrame, n: int) -> pd.DataFrame:
    """One row per boss fought in the run, in the order players first meet them.

    ``fought`` and ``beaten``: shares of the ``n`` players; ``attempts_per_beater``: every
    attempt by anyone (wins and losses) over the players who beat it (the figure Bandai
    Namco's attempt counts over achievement shares give); ``median_attempts``: among those
    who beat it; ``deaths``: losses there; ``quit_there``: share of players who left after a
    loss there; ``first_hour``: median hour of a player's first attempt.
    """
    ev = events[events["event"].isin(("boss_win", "boss_loss", "quit"))]
    fights = ev[ev["event"] != "quit"]
    if fights.empty or n <= 0:
        return pd.DataFrame(columns=list(BOSS_COLUMNS))
    wins = fights[fights["event"] == "boss_win"]
    losses = fights[fights["event"] == "boss_loss"]
    quits = ev[ev["event"] == "quit"]
    quits = quits[quits["detail"].str.contains(" after ", regex=False, na=False)]
    quit_boss = quits["detail"].str.rsplit(" after ", n=1).str[0]
    # one grouping per figure, every boss at once (bosses in the order first met in the table)
    by = fights.groupby("detail", sort=False)
    bosses = pd.Index(fights["detail"].dropna().unique(), dtype=object)
    fought = by["replication"].nunique()
    n_beat = wins.groupby("detail")["replication"].nunique().reindex(bosses, fill_value=0)
    attempts = by.size()
    med = wins.groupby("detail")["value"].agg(lambda v: float(np.median(v)))
    deaths = losses.groupby("detail").size().reindex(bosses, fill_value=0)
    quit_n = quit_boss.value_counts().reindex(bosses, fill_value=0)
    first = fights.groupby(["detail", "replication"], sort=False)["hours"].min()
    first_hour = first.groupby(level=0, sort=False).median()
    rows = [
        {
            "boss": boss,
            "fought": int(fought[boss]) / n,
            "beaten": int(n_beat[boss]) / n,
            "attempts_per_beater": int(attempts[boss]) / int(n_beat[boss])
            if n_beat[boss]
            else math.nan,
            "median_attempts": float(med[boss]) if n_beat[boss] else math.nan,
            "deaths": int(deaths[boss]),
            "quit_there": float(quit_n[boss]) / n,
            "first_hour": float(first_hour[boss]),
        }
        for boss in bosses
    ]
    return (
        pd.DataFrame(rows, columns=list(BOSS_COLUMNS))
        .sort_values("first_hour", kind="stable")
        .reset_index(drop=True)
    )


def finish_shares(replications: pd.DataFrame) -> dict[str, float | None]:
    """Share of players who reached an ending, who quit, and who were still playing at the horizon;
    median hour of quitting among quitters."""
    n = len(replications)
    if n == 0 or "quit_hours" not in replications:
        return {"finished": None, "quit": None, "playing": None, "quit_hours_median": None}
    finished = replications["finish_hours"].notna().to_numpy()
    quit = replications["quit_hours"].notna().to_numpy()
    q = replications["quit_hours"].dropna()
    return {
        "finished": float(finished.mean()),
        "quit": float(quit.mean()),
        "playing": float((~finished & ~quit).mean()),
        "quit_hours_median": float(q.median()) if len(q) else None,
    }
