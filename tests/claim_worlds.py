"""Tiny game tables and run frames where a claim is true or false by construction.

Each builder returns (runs, game) for ``sim.analysis.claims.measure_claims``. Figures are
chosen by hand; every replication gets a little noise so the bootstrap has spread.
"""

from __future__ import annotations

import pandas as pd

from sim.analysis.claims import GameTables, RunFrames

N = 12  # playthroughs per tiny run


def zones(rows: list[tuple[str, int, str, bool]]) -> pd.DataFrame:
    """(name, tier, kind, main_path) -> the zones table."""
    return pd.DataFrame(
        [
            {
                "name": n,
                "region": n,
                "tier": t,
                "kind": k,
                "main_path": m,
                "level_low": 10.0,
                "level_high": 20.0,
            }
            for n, t, k, m in rows
        ]
    )


def enemies(rows: list[tuple[str, str, str, int]], z: pd.DataFrame) -> pd.DataFrame:
    """(name, zone, class, runes) -> the enemies table (tier from the zones)."""
    e = pd.DataFrame(rows, columns=["name", "zone", "class", "runes"])
    e["tier"] = e["zone"].map(z.set_index("name")["tier"])
    return e


def bosses(rows: list[tuple[str, str, int, int]], z: pd.DataFrame) -> pd.DataFrame:
    """(name, zone, runes, ng_plus_runes) -> the bosses table (region = zone)."""
    b = pd.DataFrame(rows, columns=["name", "zone", "runes", "ng_plus_runes"])
    b["region"] = b["zone"]
    b["tier"] = b["zone"].map(z.set_index("name")["tier"])
    return b


def kinds(rows: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"name": n, "category": k, "article_kind": k, "source": "test fixture"}
            for n, k in rows.items()
        ],
        columns=["name", "category", "article_kind", "source"],
    )


def game(z, e=None, b=None, k=None, hot=()) -> GameTables:
    e = e if e is not None else enemies([], z)
    b = b if b is not None else bosses([], z)
    return GameTables(e, b, z, k if k is not None else kinds({}), tuple(hot))


def run(
    name: str,
    kills: list[tuple[str, str, int]],
    hours: list[tuple[str, float]],
    e: pd.DataFrame,
    *,
    strategy: str = "natural",
    extra_income: list[dict] = (),
    earned: dict | None = None,
    lost: dict | None = None,
    invasions: dict | None = None,
    events: list[dict] = (),
    start_level: int = 9,
) -> RunFrames:
    """A run: each replication kills (enemy, zone, count) and plays (zone, hours), with a little
    noise."""
    pay = e.set_index(["name", "zone"])["runes"]
    inc, act = [], []
    for r in range(N):
        noise = 1 + (r % 3)
        for enemy, zone, count in kills:
            c = count + noise
            inc.append(
                {
                    "replication": r,
                    "source_kind": "enemy",
                    "source": enemy,
                    "zone": zone,
                    "activity": "explore",
                    "count": c,
                    "runes": int(c * pay[(enemy, zone)]),
                }
            )
        for row in extra_income:
            inc.append({"replication": r, "activity": "explore", **row})
        for zone, h in hours:
            got = sum(int((cnt + noise) * pay[(n, zz)]) for n, zz, cnt in kills if zz == zone)
            act.append(
                {
                    "replication": r,
                    "zone": zone,
                    "activity": "explore",
                    "hours": h * (1 + 0.05 * noise),
                    "deaths": 0,
                    "runes_earned": (earned or {}).get(zone, got) * (1 + 0.05 * noise),
                    "runes_lost": (lost or {}).get(zone, 0),
                    "invasions": (invasions or {}).get(zone, 0),
                }
            )
    reps = pd.DataFrame({"replication": range(N), "strategy": strategy, "start_level": start_level})
    ev = pd.DataFrame(
        list(events), columns=["replication", "hours", "event", "zone", "detail", "value"]
    )
    inc_df = pd.DataFrame(
        inc, columns=["replication", "source_kind", "source", "zone", "activity", "count", "runes"]
    )
    return RunFrames(name, inc_df, pd.DataFrame(act), ev, reps, strategy)
