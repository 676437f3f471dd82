"""Where runes come from: income by source, zone tier, region, farm, enemy and zone risk.

Inputs are the stored ``income`` and ``activity`` tables (and ``trajectories`` for
income over play time), for one run or several stacked with a ``scenario``
column (``sim.analysis.survival.stack``); every result is grouped by
``scenario`` when that column is present. Rates per hour divide total runes by
total hours over all replications (a ratio of sums), so long replications weigh
more than short ones, as play time does.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "SOURCE_KINDS",
    "income_by_source",
    "income_over_time",
    "runes_per_kill_by_tier",
    "boss_runes_by_region",
    "farm_rates",
    "zone_rates",
    "invasion_zone_rates",
    "runes_per_kill_by_enemy",
]

SOURCE_KINDS = ("enemy", "boss", "item", "farm", "invasion")


def _keys(frame: pd.DataFrame, *more: str) -> list[str]:
    return (["scenario"] if "scenario" in frame.columns else []) + list(more)


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    den = den.astype(float)
    return num.astype(float) / den.where(den > 0)


def income_by_source(income: pd.DataFrame, activity: pd.DataFrame | None = None) -> pd.DataFrame:
    """Runes by source kind: total, mean per replication, share of all runes, runes per hour played.

    Tidy: ``[scenario,] source_kind, runes, per_replication, share, runes_per_hour``.
    """
    keys = _keys(income)
    g = income.groupby(keys + ["source_kind"], as_index=False).agg(runes=("runes", "sum"))
    total = g.groupby(keys)["runes"].transform("sum") if keys else g["runes"].sum()
    g["share"] = _ratio(g["runes"], pd.Series(total, index=g.index))
    base = activity if activity is not None else income
    # one group key for every row ("" for a single run) so the lookups below are uniform
    key = g[keys[0]] if keys else pd.Series("", index=g.index)
    base_key = base[keys[0]] if keys else pd.Series("", index=base.index)
    reps = base["replication"].groupby(base_key).nunique()
    g["per_replication"] = g["runes"] / key.map(reps)
    if activity is not None:
        hours = activity["hours"].groupby(base_key).sum()
        g["runes_per_hour"] = _ratio(g["runes"], key.map(hours))
    else:
        g["runes_per_hour"] = np.nan
    order = {k: i for i, k in enumerate(SOURCE_KINDS)}
    g["_o"] = g["source_kind"].map(order).fillna(len(order))
    g = g.sort_values(keys + ["_o"]).drop(columns="_o").reset_index(drop=True)
    return g[keys + ["source_kind", "runes", "per_replication", "share", "runes_per_hour"]]


def income_over_time(trajectories: pd.DataFrame) -> pd.DataFrame:
    """Mean runes earned per hour of play in each grid interval, by source kind.

    Tidy: ``[scenario,] hours, source_kind, runes_per_hour`` (``hours`` = end of the
    interval), from the cumulative ``earned_<kind>`` columns of the trajectories.
    """
    keys = _keys(trajectories)
    cols = [f"earned_{k}" for k in SOURCE_KINDS]
    t = trajectories.sort_values(keys + ["replication", "hours"])
    by_rep = t.groupby(keys + ["replication"], sort=False)
    dt = by_rep["hours"].diff()
    rates = by_rep[cols].diff().div(dt, axis=0)
    rates[keys + ["hours"]] = t[keys + ["hours"]]
    rates = rates[dt > 0]
    mean = rates.groupby(keys + ["hours"], as_index=False)[cols].mean()
    long = mean.melt(id_vars=keys + ["hours"], var_name="source_kind", value_name="runes_per_hour")
    long["source_kind"] = long["source_kind"].str.removeprefix("earned_")
    return long.sort_values(keys + ["source_kind", "hours"]).reset_index(drop=True)


def runes_per_kill_by_tier(income: pd.DataFrame) -> pd.DataFrame:
    """Runes per enemy kill by zone tier (all enemies, and common enemies only).

    Tidy: ``[scenario,] tier, kills, runes, runes_per_kill, common_runes_per_kill``.
    Farm kills are not included: a farm row counts loops of the farm.
    """
    keys = _keys(income)
    e = income[income["source_kind"] == "enemy"]
    g = e.groupby(keys + ["tier"], as_index=False).agg(
        kills=("count", "sum"), runes=("runes", "sum")
    )
    g["runes_per_kill"] = _ratio(g["runes"], g["kills"])
    c = e[e["enemy_class"] == "common"].groupby(keys + ["tier"])[["runes", "count"]].sum()
    common = _ratio(c["runes"], c["count"]).rename("common_runes_per_kill").reset_index()
    return (
        g.merge(common, on=keys + ["tier"], how="left")
        .sort_values(keys + ["tier"])
        .reset_index(drop=True)
    )


def boss_runes_by_region(income: pd.DataFrame) -> pd.DataFrame:
    """Boss runes by region: bosses beaten, runes per boss, the best-paying boss.

    Tidy: ``[scenario,] region, tier, bosses, defeats, runes, runes_per_boss, top_boss, top_runes``
    (``tier`` = the highest tier of a boss zone in the region; ``runes_per_boss`` per win).
    """
    keys = _keys(income)
    b = income[income["source_kind"] == "boss"]
    g = b.groupby(keys + ["region"], as_index=False).agg(
        tier=("tier", "max"),
        bosses=("source", "nunique"),
        defeats=("count", "sum"),
        runes=("runes", "sum"),
    )
    g["runes_per_boss"] = _ratio(g["runes"], g["defeats"])
    per_boss = b.groupby(keys + ["region", "source"], as_index=False)[["runes", "count"]].sum()
    per_boss["each"] = _ratio(per_boss["runes"], per_boss["count"])
    top = per_boss.sort_values("each", ascending=False).drop_duplicates(keys + ["region"])
    top = top[keys + ["region", "source", "each"]].rename(
        columns={"source": "top_boss", "each": "top_runes"}
    )
    g = g.merge(top, on=keys + ["region"], how="left")
    return g.sort_values(
        keys + ["runes_per_boss"], ascending=[True] * len(keys) + [False]
    ).reset_index(drop=True)


def farm_rates(income: pd.DataFrame, activity: pd.DataFrame) -> pd.DataFrame:
    """Runes per hour of each farming spot: farm runes over hours spent farming in its zone.

    Tidy: ``[scenario,] source, zone, runes, hours, runes_per_hour``.
    """
    keys = _keys(income)
    f = (
        income[income["source_kind"] == "farm"]
        .groupby(keys + ["source", "zone"], as_index=False)["runes"]
        .sum()
    )
    h = (
        activity[activity["activity"] == "farm"]
        .groupby(keys + ["zone"], as_index=False)["hours"]
        .sum()
    )
    out = f.merge(h, on=keys + ["zone"], how="left")
    out["runes_per_hour"] = _ratio(out["runes"], out["hours"])
    return out.sort_values(
        keys + ["runes_per_hour"], ascending=[True] * len(keys) + [False]
    ).reset_index(drop=True)


def zone_rates(income: pd.DataFrame, activity: pd.DataFrame) -> pd.DataFrame:
    """Per zone: hours, runes, runes per hour, enemy runes per kill, with tier and kind.

    Tidy: ``[scenario,] zone, region, tier, zone_kind, invasion_zone, hours, runes,
    runes_per_hour, kills, runes_per_kill``.
    """
    keys = _keys(activity)
    a = activity.groupby(keys + ["zone"], as_index=False).agg(
        region=("region", "first"),
        tier=("tier", "first"),
        zone_kind=("zone_kind", "first"),
        invasion_zone=("invasion_zone", "first"),
        hours=("hours", "sum"),
        runes=("runes_earned", "sum"),
    )
    a["runes_per_hour"] = _ratio(a["runes"], a["hours"])
    e = income[income["source_kind"] == "enemy"].groupby(keys + ["zone"], as_index=False)
    k = e.agg(kills=("count", "sum"), enemy_runes=("runes", "sum"))
    a = a.merge(k, on=keys + ["zone"], how="left")
    a["kills"] = a["kills"].fillna(0).astype("int64")
    a["runes_per_kill"] = _ratio(a.pop("enemy_runes").fillna(0), a["kills"])
    return a.sort_values(keys + ["tier", "zone"]).reset_index(drop=True)


def invasion_zone_rates(activity: pd.DataFrame, *, per_tier: bool = False) -> pd.DataFrame:
    """Invasion-prone zones against the rest: runes earned and lost, deaths, invasions per hour.

    ``net_per_hour`` = (runes earned - runes lost) / hours, so deaths and the runes they
    cost are counted. Tidy: ``[scenario,] [tier,] invasion_zone, hours, runes_earned,
    runes_lost, deaths, invasions, runes_per_hour, net_per_hour, deaths_per_hour,
    invasions_per_hour``.
    """
    keys = _keys(activity, *(["tier"] if per_tier else []), "invasion_zone")
    g = activity.groupby(keys, as_index=False)[
        ["hours", "runes_earned", "runes_lost", "deaths", "invasions"]
    ].sum()
    g["runes_per_hour"] = _ratio(g["runes_earned"], g["hours"])
    g["net_per_hour"] = _ratio(g["runes_earned"] - g["runes_lost"], g["hours"])
    g["deaths_per_hour"] = _ratio(g["deaths"], g["hours"])
    g["invasions_per_hour"] = _ratio(g["invasions"], g["hours"])
    return g.sort_values(keys).reset_index(drop=True)


def runes_per_kill_by_enemy(income: pd.DataFrame, zone: str | None = None) -> pd.DataFrame:
    """Runes per kill of each enemy, with its kind and class, within each zone (or one ``zone``).

    Tidy: ``[scenario,] zone, tier, source, enemy_kind, enemy_class, kills, runes, runes_per_kill``.
    """
    keys = _keys(income)
    e = income[income["source_kind"] == "enemy"]
    if zone is not None:
        e = e[e["zone"] == zone]
    g = e.groupby(
        keys + ["zone", "tier", "source", "enemy_kind", "enemy_class"], as_index=False
    ).agg(kills=("count", "sum"), runes=("runes", "sum"))
    g["runes_per_kill"] = _ratio(g["runes"], g["kills"])
    return g.sort_values(keys + ["tier", "zone", "runes_per_kill"]).reset_index(drop=True)
