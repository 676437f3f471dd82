"""The five popular claims about where runes come from, measured on simulated play.

Each claim gets figures computed from the ``income`` and ``activity`` frames and a
verdict: "supported", "not supported", or "depends on ..." with what it depends
on. Nothing is hard-coded: the verdicts follow the thresholds below and the runs.

1. Harder zones pay more per kill.
2. Bosses pay by region.
3. Secret, high-risk areas (Mohgwyn Palace, the Consecrated Snowfield: zone kind
   ``secret``) pay disproportionately, and rushing Mohgwyn makes the mid-game stronger.
4. Enemy type matters (within one zone).
5. Invasion zones pay more (net of deaths and runes lost, at equal zone tier, farming
   left out since it is the player's choice, not the zone's pay).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from sim.analysis import sources

__all__ = ["Claim", "evaluate_claims", "CLAIMS", "RATIO_THRESHOLD"]

# a ratio has to clear this to count as "pays more" (smaller gaps are within zone-to-zone spread)
RATIO_THRESHOLD = 1.25

CLAIMS = {
    1: "Harder zones pay more per kill",
    2: "Bosses pay by region",
    3: "Secret, high-risk areas (Mohgwyn, Snowfield) pay disproportionately; rushing Mohgwyn makes the mid-game stronger",
    4: "Enemy type matters",
    5: "Invasion zones pay more",
}


@dataclass
class Claim:
    """One claim with its measured figures, a verdict and a sentence saying why."""

    number: int
    claim: str
    verdict: str
    summary: str
    figures: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return _json_safe(asdict(self))


def _json_safe(x):
    if isinstance(x, dict):
        return {str(k): _json_safe(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_json_safe(v) for v in x]
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def _spearman(x, y) -> float:
    x, y = np.asarray(x, float), np.asarray(y, float)
    ok = ~(np.isnan(x) | np.isnan(y))
    if ok.sum() < 3 or np.all(x[ok] == x[ok][0]) or np.all(y[ok] == y[ok][0]):
        return math.nan
    return float(stats.spearmanr(x[ok], y[ok]).statistic)


def _claim_tier(income: pd.DataFrame) -> Claim:
    t = sources.runes_per_kill_by_tier(income)
    rpk = t["common_runes_per_kill"].fillna(t["runes_per_kill"])
    rho = _spearman(t["tier"], rpk)
    e = sources.runes_per_kill_by_enemy(income)
    same = []
    for name, g in e.groupby("source"):
        if g["tier"].nunique() >= 2:
            ordered = g.sort_values("tier", kind="stable")
            lo, hi = ordered.iloc[0], ordered.iloc[-1]
            same.append(
                {
                    "enemy": name,
                    "low_zone": lo["zone"],
                    "low_runes": float(lo["runes_per_kill"]),
                    "high_zone": hi["zone"],
                    "high_runes": float(hi["runes_per_kill"]),
                    "ratio": float(hi["runes_per_kill"] / lo["runes_per_kill"]),
                }
            )
    figures = {
        "tiers": int(len(t)),
        "spearman_tier_vs_runes_per_kill": rho,
        "lowest_tier": {"tier": int(t["tier"].iloc[0]), "runes_per_kill": float(rpk.iloc[0])}
        if len(t)
        else None,
        "highest_tier": {"tier": int(t["tier"].iloc[-1]), "runes_per_kill": float(rpk.iloc[-1])}
        if len(t)
        else None,
        "same_enemy_across_zones": same,
    }
    if len(t) < 3 or math.isnan(rho):
        verdict, summary = "not measured", "too few zone tiers were visited to tell"
    elif rho >= 0.5 and rpk.iloc[-1] > RATIO_THRESHOLD * rpk.iloc[0]:
        verdict = "supported"
        summary = (
            f"a common enemy pays {rpk.iloc[0]:,.0f} runes at tier {t['tier'].iloc[0]} and "
            f"{rpk.iloc[-1]:,.0f} at tier {t['tier'].iloc[-1]} (rank correlation {rho:.2f})"
        )
        if same:
            s = max(same, key=lambda r: r["ratio"])
            summary += f"; the same {s['enemy']} pays {s['ratio']:.1f}x more in {s['high_zone']} than in {s['low_zone']}"
    else:
        verdict = "not supported"
        summary = f"runes per kill do not rise with zone tier (rank correlation {rho:.2f})"
    return Claim(1, CLAIMS[1], verdict, summary, figures)


def _claim_boss(income: pd.DataFrame) -> Claim:
    b = sources.boss_runes_by_region(income)
    rho = _spearman(b["tier"], b["runes_per_boss"])
    per = b["runes_per_boss"]
    ratio = float(per.max() / per.min()) if len(b) and per.min() > 0 else math.nan
    bosses = income[income["source_kind"] == "boss"].groupby("source")[["runes", "count"]].sum()
    each = (bosses["runes"] / bosses["count"]).sort_values(ascending=False)
    figures = {
        "regions": b[["region", "tier", "runes_per_boss", "top_boss", "top_runes"]].to_dict(
            "records"
        ),
        "spearman_region_tier_vs_runes_per_boss": rho,
        "richest_to_poorest_region": ratio,
        "best_paying_boss": {"boss": each.index[0], "runes": float(each.iloc[0])}
        if len(each)
        else None,
        "bosses_over_300000": int((each > 300_000).sum()),
    }
    if len(b) < 3 or math.isnan(rho):
        verdict, summary = "not measured", "too few regions' bosses were beaten to tell"
    elif rho >= 0.5 and ratio >= 2:
        top = b.iloc[0]
        verdict = "supported"
        summary = (
            f"bosses in {top['region']} pay {top['runes_per_boss']:,.0f} runes each against "
            f"{per.min():,.0f} in the poorest region ({ratio:.0f}x; rank correlation with region tier {rho:.2f})"
        )
    else:
        verdict = "not supported"
        summary = f"boss runes hardly differ by region (richest/poorest {ratio:.1f}x, rank correlation {rho:.2f})"
    return Claim(2, CLAIMS[2], verdict, summary, figures)


def _claim_secret(income: pd.DataFrame, activity: pd.DataFrame, mid_game: dict | None) -> Claim:
    z = sources.zone_rates(income, activity)
    if "scenario" in z:  # pool the runs: a zone pays what it pays whoever plays it
        z = sources.zone_rates(income.drop(columns="scenario"), activity.drop(columns="scenario"))
    secret = z["zone_kind"] == "secret"
    figures: dict = {"secret_zones": z.loc[secret, "zone"].tolist()}
    verdict, summary = "not measured", "no secret zone was visited"
    if secret.any() and (~secret).any():

        def rpk(mask):
            k = z.loc[mask, "kills"].sum()
            return (
                float((z.loc[mask, "runes_per_kill"] * z.loc[mask, "kills"]).sum() / k)
                if k
                else math.nan
            )

        kill_ratio = rpk(secret) / rpk(~secret)
        runes_share = float(z.loc[secret, "runes"].sum() / z["runes"].sum())
        hours_share = float(z.loc[secret, "hours"].sum() / z["hours"].sum())
        per_hour = (
            float(z.loc[secret, "runes"].sum() / z.loc[secret, "hours"].sum())
            if hours_share
            else math.nan
        )
        per_hour_other = float(z.loc[~secret, "runes"].sum() / z.loc[~secret, "hours"].sum())
        figures.update(
            {
                "runes_per_kill_secret": rpk(secret),
                "runes_per_kill_other": rpk(~secret),
                "per_kill_ratio": kill_ratio,
                "share_of_runes": runes_share,
                "share_of_hours": hours_share,
                "runes_per_hour_secret": per_hour,
                "runes_per_hour_other": per_hour_other,
            }
        )
        disproportionate = hours_share > 0 and runes_share / hours_share >= RATIO_THRESHOLD
        if kill_ratio >= RATIO_THRESHOLD and disproportionate:
            verdict = "supported"
            summary = (
                f"secret zones pay {kill_ratio:.0f}x the runes per kill of other zones and gave "
                f"{runes_share:.0%} of all runes for {hours_share:.0%} of play time"
            )
        elif kill_ratio >= RATIO_THRESHOLD:
            verdict = "depends on the loop: per kill yes, per hour no"
            summary = (
                f"{kill_ratio:.0f}x the runes per kill, but {runes_share:.0%} of runes for "
                f"{hours_share:.0%} of play time"
            )
        else:
            verdict = "not supported"
            summary = f"secret zones pay {kill_ratio:.1f}x the runes per kill of other zones"
    if mid_game:
        figures["mid_game"] = mid_game
        summary += f"; mid-game ({mid_game.get('metric', '')}): {mid_game.get('verdict', '')}"
        lo = (mid_game.get("ci95") or [None, None])[0]
        stronger = lo is not None and lo > 0
        if verdict == "supported" and not stronger:
            verdict = (
                "depends on the route: pays more, but rushing did not make the mid-game stronger"
            )
    return Claim(3, CLAIMS[3], verdict, summary, figures)


def _claim_enemy(income: pd.DataFrame) -> Claim:
    e = sources.runes_per_kill_by_enemy(income)
    if "scenario" in e:
        e = sources.runes_per_kill_by_enemy(income.drop(columns="scenario"))
    spreads = []
    for zone, g in e.groupby("zone"):
        if len(g) >= 2 and g["runes_per_kill"].min() > 0:
            ordered = g.sort_values("runes_per_kill", kind="stable")
            lo, hi = ordered.iloc[0], ordered.iloc[-1]
            spreads.append(
                {
                    "zone": zone,
                    "lowest": lo["source"],
                    "lowest_runes": float(lo["runes_per_kill"]),
                    "highest": hi["source"],
                    "highest_runes": float(hi["runes_per_kill"]),
                    "ratio": float(hi["runes_per_kill"] / lo["runes_per_kill"]),
                }
            )
    cls = e.groupby(["zone", "enemy_class"])[["runes", "kills"]].sum()
    cls = (cls["runes"] / cls["kills"]).unstack()
    class_ratio = {}
    if "common" in cls:
        for c in cls.columns:
            if c != "common":
                r = (cls[c] / cls["common"]).dropna()
                if len(r):
                    class_ratio[f"{c}_vs_common"] = float(np.median(r))
    figures = {
        "zones_compared": len(spreads),
        "within_zone": spreads,
        "class_vs_common_median": class_ratio,
    }
    if not spreads:
        return Claim(4, CLAIMS[4], "not measured", "no zone had two kinds of enemy killed", figures)
    median_ratio = float(np.median([s["ratio"] for s in spreads]))
    figures["median_within_zone_ratio"] = median_ratio
    widest = max(spreads, key=lambda s: s["ratio"])
    text = (
        f"within {widest['zone']}, a {widest['highest']} pays {widest['highest_runes']:,.0f} runes and a "
        f"{widest['lowest']} {widest['lowest_runes']:,.0f} ({widest['ratio']:.0f}x); median spread "
        f"across {len(spreads)} zones {median_ratio:.1f}x"
    )
    verdict = "supported" if median_ratio >= 2 else "not supported"
    return Claim(4, CLAIMS[4], verdict, text, figures)


def _claim_invasion(income: pd.DataFrame, activity: pd.DataFrame) -> Claim:
    a = activity.drop(columns="scenario") if "scenario" in activity else activity
    # farming is a choice of the player, not a property of the zone: compare the rest of play
    a = a[a["activity"] != "farm"]
    overall = sources.invasion_zone_rates(a)
    figures: dict = {"overall": overall.to_dict("records")}
    inv_runes = float(income.loc[income["source_kind"] == "invasion", "runes"].sum())
    figures["share_of_runes_from_invasions"] = inv_runes / float(income["runes"].sum() or 1)
    if overall["invasion_zone"].nunique() < 2:
        n_inv = int(a["invasions"].sum())
        share = figures["share_of_runes_from_invasions"]
        kind = "invasion-prone" if bool(overall["invasion_zone"].iloc[0]) else "free of invasions"
        summary = (
            f"every zone played is {kind}, so no zone can pay a bonus for invasions; "
            f"{n_inv} invasions paid {share:.1%} of all runes"
        )
        verdict = (
            "not supported" if share < 0.05 else "depends on exposure to invaders, not on the zone"
        )
        return Claim(5, CLAIMS[5], verdict, summary, figures)
    rate = overall.set_index("invasion_zone")["net_per_hour"]
    raw = float(rate[True] / rate[False])
    # tier-adjusted: log(net runes per hour) of each zone on tier and the invasion flag, weighted by hours
    z = a.groupby("zone").agg(
        tier=("tier", "first"),
        inv=("invasion_zone", "first"),
        hours=("hours", "sum"),
        earned=("runes_earned", "sum"),
        lost=("runes_lost", "sum"),
    )
    z = z[(z["hours"] > 0) & (z["earned"] > z["lost"])]
    adjusted = math.nan
    if len(z) >= 4 and z["inv"].nunique() == 2:
        y = np.log(((z["earned"] - z["lost"]) / z["hours"]).to_numpy(float))
        x = np.column_stack([np.ones(len(z)), z["tier"].astype(float), z["inv"].astype(float)])
        w = np.sqrt(z["hours"].to_numpy(float))
        coef, *_ = np.linalg.lstsq(x * w[:, None], y * w, rcond=None)
        adjusted = float(np.exp(coef[2]))
    figures.update({"net_per_hour_ratio": raw, "net_per_hour_ratio_at_equal_tier": adjusted})
    deaths = overall.set_index("invasion_zone")["deaths_per_hour"]
    tail = f"deaths per hour {deaths[True]:.2f} against {deaths[False]:.2f}"
    if raw < RATIO_THRESHOLD:
        verdict = "not supported"
        summary = f"net of losses, invasion zones pay {raw:.2f}x the runes per hour of other zones; {tail}"
    elif math.isnan(adjusted) or adjusted >= RATIO_THRESHOLD:
        verdict = (
            "supported" if not math.isnan(adjusted) else "depends on zone tier (not separable here)"
        )
        summary = f"net of losses, invasion zones pay {raw:.1f}x per hour"
        if not math.isnan(adjusted):
            summary += f" ({adjusted:.1f}x at equal tier)"
        summary += f"; {tail}"
    else:
        verdict = "depends on zone tier"
        summary = (
            f"invasion zones pay {raw:.1f}x per hour net of losses, but only {adjusted:.2f}x at equal "
            f"tier: they are harder zones, not better-paying ones; {tail}"
        )
    return Claim(5, CLAIMS[5], verdict, summary, figures)


def evaluate_claims(
    income: pd.DataFrame, activity: pd.DataFrame, *, mid_game: dict | None = None
) -> list[Claim]:
    """The five claims measured on the frames (pooled over runs when a ``scenario`` column is present).

    ``mid_game``: a paired difference (``paired.compare_metric`` dict, with a ``metric`` key)
    of a rush-Mohgwyn run against a natural run, for the second half of claim 3.
    """
    return [
        _claim_tier(income),
        _claim_boss(income),
        _claim_secret(income, activity, mid_game),
        _claim_enemy(income),
        _claim_invasion(income, activity),
    ]
