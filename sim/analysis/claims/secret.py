"""Claim 3: secret areas against main-path areas at the same tier, and the mid-game level gap."""

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
from sim.analysis.claims.tiers import enemy_kills

__all__ = ["claim_secret", "level_at", "mid_game_gap"]

LOOPS = (
    "explore",
    "grind",
    "farm",
)  # the play that earns runes in a zone (not boss fights or duels)


def claim_secret(runs: list[RunFrames], game: GameTables, cfg: dict, seed: int) -> Claim:
    th = cfg["thresholds"]
    z = game.zones.set_index("name")
    secret = set(z.index[z["kind"] == "secret"])
    main = set(z.index[z["main_path"].astype(bool)])

    def secret_hours(r: RunFrames) -> float:
        return float(r.activity.loc[r.activity["zone"].isin(secret), "hours"].sum())

    played = [r for r in runs if secret_hours(r) > 0]
    figures: dict = {"secret_zones": sorted(secret), "main_path_zones": sorted(main)}
    if not played:
        parts = [
            Part.missing("per kill at equal tier", "no run played a secret area"),
            Part.missing("per hour at equal tier", "no run played a secret area"),
        ]
    else:
        run = max(played, key=secret_hours)
        figures["scenario"] = run.name
        parts, zf = _equal_tier(run, game, cfg, seed, secret, main)
        figures.update(zf)
    mid = mid_game_gap(runs, cfg, seed)
    figures["mid_game"] = mid
    if mid.get("mean") is None:
        parts.append(Part.missing("drastically stronger by mid-game", mid.get("why", "no pairs")))
    else:
        parts.append(
            Part.measured(
                "drastically stronger by mid-game",
                mid["mean"],
                mid["ci95"],
                th["drastic_levels"],
                "mean paired level gap (rush minus natural, common random numbers) at the hour "
                f"the natural player enters {mid['milestone']}",
            )
        )
    v, why = verdict(parts)
    bits = []
    for p in parts:
        if p.value is not None:
            lo, hi = p.ci95
            ci = f" (95% CI {lo:.2f}-{hi:.2f})" if lo is not None else ""
            unit = " levels" if p.name.startswith("drastically") else "x the trend"
            bits.append(f"{p.name}: {p.value:.2f}{unit}{ci}")
    summary = "; ".join(bits) + f" ({why})"
    if mid.get("mean") is not None:
        summary += (
            f"; the natural player enters {mid['milestone']} after a median "
            f"{mid['hours_median']:.1f} h, at level {mid['natural_level_median']:.0f} against "
            f"{mid['rush_level_median']:.0f} for the rusher"
        )
    key = parts[0]
    figures["key"] = key.value
    return Claim(
        3,
        cfg["claims"]["3"],
        v,
        summary,
        key.ci95,
        figures,
        "secret areas' runes per kill over the main-path trend at the same tier (x)",
        [p.__dict__ for p in parts],
    )


def _equal_tier(
    run: RunFrames, game: GameTables, cfg: dict, seed: int, secret: set, main: set
) -> tuple[list, dict]:
    th = cfg["thresholds"]
    reps = run.reps
    boot = Boot(len(reps), cfg["bootstrap"]["resamples"], seed, 3)
    tier = game.zones.set_index("name")["tier"]
    e = enemy_kills(run, game)
    kills, base = pivot(e, ["zone"], "count", reps), pivot(e, ["zone"], "base", reps)
    zones = kills.columns
    k, b = boot.sums(kills), boot.sums(base)
    with np.errstate(divide="ignore", invalid="ignore"):
        rpk = np.where(k > 0, b / k, np.nan)
    t = tier.reindex(zones).to_numpy(float)
    ref, tgt = zones.isin(list(main)), zones.isin(list(secret))
    pk, pk_ci = Boot.interval(trend_ratio(rpk, k, t, ref, tgt))
    note = (
        f"main-path tiers reach {int(t[ref].max()) if ref.any() else 0}, secret areas sit at "
        f"{', '.join(str(int(x)) for x in sorted(set(t[tgt])))}: the trend is extended to their "
        "tier"
    )
    per_kill = Part.measured(
        "per kill at equal tier",
        pk,
        pk_ci,
        th["pays_more_ratio"],
        "secret areas' NG+0 runes per kill over the main-path log-linear tier trend at their tier; "
        + note,
    )
    a = run.activity[run.activity["activity"].isin(LOOPS)]
    hours, earned = pivot(a, ["zone"], "hours", reps), pivot(a, ["zone"], "runes_earned", reps)
    h, r = boot.sums(hours), boot.sums(earned)
    with np.errstate(divide="ignore", invalid="ignore"):
        rph = np.where(h > 0, r / h, np.nan)
    hz = hours.columns
    th_ = tier.reindex(hz).to_numpy(float)
    ph, ph_ci = Boot.interval(trend_ratio(rph, h, th_, hz.isin(list(main)), hz.isin(list(secret))))
    per_hour = Part.measured(
        "per hour at equal tier",
        ph,
        ph_ci,
        th["pays_more_ratio"],
        "secret areas' runes per hour of the loops played there (exploring, grinding, farming) "
        "over the main-path tier trend",
    )
    table = pd.DataFrame(
        {
            "zone": zones,
            "tier": t,
            "secret": tgt,
            "main_path": ref,
            "kills": k[0],
            "runes_per_kill": rpk[0],
        }
    )
    hourly = pd.DataFrame({"zone": hz, "tier": th_, "hours": h[0], "runes_per_hour": rph[0]})
    zf = {
        "zones": table.merge(hourly, on=["zone", "tier"], how="outer")
        .sort_values("tier")
        .to_dict("records")
    }
    return [per_kill, per_hour], zf


def level_at(events: pd.DataFrame, replications: pd.DataFrame, hours: pd.Series) -> pd.Series:
    """Each replication's level at the given hour (index: replication): its last level-up by
    then."""
    ups = events[events["event"] == "level_up"][["replication", "hours", "value"]]
    start = replications.set_index("replication")["start_level"].astype(float)
    at = pd.Series(hours.to_numpy(float), index=hours.index.to_numpy(), name="at")
    ups = ups[ups["replication"].isin(at.index)]
    by_then = ups[ups["hours"].to_numpy() <= at.loc[ups["replication"]].to_numpy() + 1e-12]
    last = by_then.groupby("replication")["value"].max()
    has = at.index.isin(last.index)
    out = np.where(
        has,
        last.reindex(at.index).to_numpy(float),
        start.reindex(at.index).to_numpy(float),
    )
    return pd.Series(out, index=at.index, dtype=float)


def mid_game_gap(runs: list[RunFrames], cfg: dict, seed: int) -> dict:
    """Rush against natural, paired by replication: level gap when the natural player enters the
    milestone zone."""
    zone = cfg["article"]["mid_game_zone"]
    by = {r.strategy: r for r in runs}
    nat, rush = by.get("natural"), by.get("rush_mohgwyn")
    if nat is None or rush is None:
        return {
            "milestone": zone,
            "mean": None,
            "why": "needs a natural and a rush_mohgwyn run on the same seeds",
        }
    ev, nat_reps, rush_ev, rush_reps = nat.events, nat.replications, rush.events, rush.replications
    if ev is None or nat_reps is None or rush_ev is None or rush_reps is None:
        return {
            "milestone": zone,
            "mean": None,
            "why": "needs the runs' events and replications tables",
        }
    enter = (
        ev[(ev["event"] == "zone_enter") & (ev["zone"] == zone)]
        .groupby("replication")["hours"]
        .min()
    )
    common = sorted(set(enter.index) & set(rush_reps["replication"]))
    if len(common) < 3:
        return {
            "milestone": zone,
            "mean": None,
            "why": f"fewer than 3 natural playthroughs entered {zone}",
        }
    enter = enter.loc[common]
    ln = level_at(ev, nat_reps, enter)
    lr = level_at(rush_ev, rush_reps, enter)
    d = (lr - ln).to_numpy(float)
    boot = Boot(d.size, cfg["bootstrap"]["resamples"], seed, 33)
    mean, ci = Boot.interval(boot.weights @ d / d.size)
    return {
        "milestone": zone,
        "pairs": int(d.size),
        "natural_playthroughs": int(len(nat.reps)),
        "entered": int(len(enter)),
        "hours_median": float(enter.median()),
        "natural_level_median": float(ln.median()),
        "rush_level_median": float(lr.median()),
        "mean": mean,
        "ci95": ci,
        "median": float(np.median(d)),
        "of": [rush.name, nat.name],
    }
