"""Claim 5: places with active PvP against the rest, at equal tier, net of deaths and losses to
invaders."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.analysis.claims.core import (
    Boot,
    Claim,
    GameTables,
    Part,
    RunFrames,
    pivot,
    trend_ratio,
    verdict,
)

__all__ = ["claim_pvp", "invader_deaths"]

LOOPS = ("explore", "grind", "farm")


def invader_deaths(events: pd.DataFrame | None) -> pd.DataFrame:
    """Deaths to invaders: each lost duel's death event (replication, zone, runes dropped)."""
    if events is None or not len(events):
        return pd.DataFrame(columns=["replication", "zone", "dropped", "count"])
    lost = events[events["event"] == "duel_lost"][["replication", "hours"]]
    deaths = events[events["event"] == "death"][["replication", "hours", "zone", "value"]]
    d = lost.merge(deaths, on=["replication", "hours"], how="inner").drop_duplicates(
        ["replication", "hours"]
    )
    return pd.DataFrame(
        {
            "replication": d["replication"],
            "zone": d["zone"],
            "dropped": d["value"].astype(float),
            "count": 1.0,
        }
    )


def claim_pvp(runs: list[RunFrames], game: GameTables, cfg: dict, seed: int) -> Claim:
    th, col = cfg["thresholds"], cfg["colosseum"]
    figures: dict = {
        "colosseum_runes_per_duel": col["runes_per_duel"],
        "colosseum_source": col["source"],
    }

    def n_inv(r: RunFrames) -> float:
        return float(r.activity["invasions"].sum())

    online = [r for r in runs if n_inv(r) > 0]
    if not online:
        parts = [
            Part.missing(n, "no scenario was exposed to invaders (all offline)")
            for n in ("net runes per hour at equal tier", "rewards against losses to invaders")
        ]
        v, why = verdict(parts)
        return Claim(
            5,
            cfg["claims"]["5"],
            v,
            f"{why}; Colosseum duels pay {col['runes_per_duel']} runes",
            [None, None],
            figures,
            "",
            [p.__dict__ for p in parts],
        )
    run = max(online, key=n_inv)
    hot = set(run.pvp.get("hot_spots", game.hot_spots))
    reps = run.reps
    boot = Boot(len(reps), cfg["bootstrap"]["resamples"], seed, 5)
    tier = game.zones.set_index("name")["tier"]
    a = run.activity[run.activity["activity"].isin(LOOPS)].copy()
    a["net"] = a["runes_earned"] - a["runes_lost"]
    hours, net = pivot(a, ["zone"], "hours", reps), pivot(a, ["zone"], "net", reps)
    zones = hours.columns
    h, n = boot.sums(hours), boot.sums(net)
    with np.errstate(divide="ignore", invalid="ignore"):
        nph = np.where(h > 0, n / h, np.nan)
    t = tier.reindex(zones).to_numpy(float)
    is_hot = zones.isin(list(hot))
    ratio, ratio_ci = Boot.interval(trend_ratio(nph, h, t, ~is_hot, is_hot))
    equal = Part.measured(
        "net runes per hour at equal tier",
        ratio,
        ratio_ci,
        th["pays_more_ratio"],
        "hot spots' (earned - lost) runes per hour over the other zones' log-linear tier trend "
        "at their tier",
    )
    # what invaders pay and cost in the hot spots: rewards for wins, runes dropped at deaths to
    # invaders
    inc = run.income[(run.income["source_kind"] == "invasion") & run.income["zone"].isin(list(hot))]
    died = invader_deaths(run.events)
    died = died[died["zone"].isin(list(hot))]
    hot_h = boot.sums(hours.loc[:, is_hot]).sum(axis=1)
    reward = (
        boot.sums(pivot(inc, ["zone"], "runes", reps)).sum(axis=1)
        if len(inc)
        else np.zeros_like(hot_h)
    )
    dropped = (
        boot.sums(pivot(died, ["zone"], "dropped", reps)).sum(axis=1)
        if len(died)
        else np.zeros_like(hot_h)
    )
    deaths = (
        boot.sums(pivot(died, ["zone"], "count", reps)).sum(axis=1)
        if len(died)
        else np.zeros_like(hot_h)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        comp = np.where(hot_h > 0, (reward - dropped) / hot_h, np.nan)
        rph, dph, deph = (np.where(hot_h > 0, x / hot_h, np.nan) for x in (reward, dropped, deaths))
    c_pt, c_ci = Boot.interval(comp)
    compensation = Part.measured(
        "rewards against losses to invaders",
        c_pt,
        c_ci,
        th["compensation_runes_per_hour"],
        "runes per hour in hot spots: rewards for beating invaders minus runes dropped at deaths "
        "to them",
    )
    inv = (
        run.activity.assign(hot=run.activity["zone"].isin(list(hot)))
        .groupby("hot")[["invasions", "hours"]]
        .sum()
    )
    base = run.pvp.get("reward_base_level_cost_multiple")
    rate = run.pvp.get("host_reward_rate")
    figures.update(
        {
            "key": ratio,
            "scenario": run.name,
            "hot_spots": sorted(hot),
            "invasions_per_hour": {
                ("hot_spots" if k else "elsewhere"): float(r["invasions"] / r["hours"])
                if r["hours"]
                else None
                for k, r in inv.iterrows()
            },
            "hot_spot_rewards_per_hour": {
                "value": Boot.interval(rph)[0],
                "ci95": Boot.interval(rph)[1],
            },
            "hot_spot_runes_dropped_to_invaders_per_hour": {
                "value": Boot.interval(dph)[0],
                "ci95": Boot.interval(dph)[1],
            },
            "hot_spot_deaths_to_invaders_per_hour": {
                "value": Boot.interval(deph)[0],
                "ci95": Boot.interval(deph)[1],
            },
            "reward": {
                "host_rate": rate,
                "params": cfg.get("multiplayer_rewards", {}),
                "base_level_cost_multiple": base,
                "base": "unknown: MultiSoulBonusRateParam gives rates, not the base (scenario "
                "pvp.reward_base_level_cost_multiple, range 0-2)",
                "break_even_base_multiple": (
                    float(base * dropped[0] / reward[0]) if base and reward[0] > 0 else None
                ),
            },
            "zones": pd.DataFrame(
                {
                    "zone": zones,
                    "tier": t,
                    "hot_spot": is_hot,
                    "hours": h[0],
                    "net_per_hour": nph[0],
                }
            )
            .sort_values("tier")
            .to_dict("records"),
        }
    )
    parts = [equal, compensation]
    v, why = verdict(parts)
    summary = (
        f"in {run.name}, hot spots pay {ratio:.2f}x"
        + (f" (95% CI {ratio_ci[0]:.2f}-{ratio_ci[1]:.2f})" if ratio_ci[0] is not None else "")
        + f" the net runes per hour of other zones at equal tier; invaders there pay {rph[0]:,.0f} "
        f"and take {dph[0]:,.0f} runes per hour"
        + f" ({deph[0]:.2f} deaths per hour); invaders came {_per_hour(figures, 'hot_spots')} "
        "times per hour"
        + f" there against {_per_hour(figures, 'elsewhere')} elsewhere; Colosseum duels pay "
        f"{col['runes_per_duel']} ({why})"
    )
    return Claim(
        5,
        cfg["claims"]["5"],
        v,
        summary,
        ratio_ci,
        figures,
        "hot spots' net runes per hour over the other zones' trend at equal tier (x)",
        [p.__dict__ for p in parts],
    )


def _per_hour(figures: dict, where: str) -> str:
    v = figures["invasions_per_hour"].get(where)
    return "–" if v is None else f"{v:.2f}"
