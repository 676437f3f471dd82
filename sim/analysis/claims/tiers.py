"""Claim 1: harder zones pay more per kill (NG+0, before the player's buffs)."""

from __future__ import annotations

import weakref

import numpy as np
import pandas as pd

from sim.analysis.claims.core import (
    Boot,
    Claim,
    GameTables,
    Part,
    RunFrames,
    base_name,
    pivot,
    spearman_rows,
    verdict,
)

__all__ = ["claim_tiers", "enemy_kills"]


# the kills of an income table already joined with a game's payouts (three claims read them),
# by the table's id while the table lives
_KILLS: dict[int, tuple[weakref.ref[pd.DataFrame], GameTables, pd.DataFrame]] = {}


def enemy_kills(run: RunFrames, game: GameTables) -> pd.DataFrame:
    """The run's enemy kills with their NG+0 payout before buffs (``base`` = kills x getSoul).

    Joined once per income table and game; each call gets its own frame (columns a caller
    adds stay its own)."""
    done = _KILLS.get(id(run.income))
    if done is None or done[0]() is not run.income or done[1] is not game:
        for key in [k for k, v in _KILLS.items() if v[0]() is None]:
            del _KILLS[key]
        done = (weakref.ref(run.income), game, _enemy_kills(run.income, game))
        _KILLS[id(run.income)] = done
    return done[2].copy(deep=False)


def _enemy_kills(income: pd.DataFrame, game: GameTables) -> pd.DataFrame:
    pay = game.enemies.rename(
        columns={"name": "source", "runes": "getsoul", "class": "enemy_class_game"}
    )
    if pay.duplicated(["source", "zone"]).any() or not len(income):
        e = income[income["source_kind"] == "enemy"]
        e = e.drop(columns=[c for c in ("tier",) if c in e]).merge(
            pay[["source", "zone", "getsoul", "tier"]], on=["source", "zone"], how="inner"
        )
    else:  # the inner join as a look-up of each kill's (enemy, zone) among the payouts
        rows, at = _paid_rows(income, pay)
        e = income.drop(columns=[c for c in ("tier",) if c in income]).take(rows)
        e.index = pd.RangeIndex(len(e))
        e["getsoul"] = pay["getsoul"].to_numpy()[at]
        e["tier"] = pay["tier"].to_numpy()[at]
    e["base"] = e["count"] * e["getsoul"]
    return e


def _paid_rows(income: pd.DataFrame, pay: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The enemy rows of ``income`` whose (source, zone) is one of ``pay``'s (unique) rows, in
    order, and that row of ``pay`` for each."""
    enemy = np.flatnonzero(income["source_kind"].to_numpy() == "enemy")
    paid = pd.MultiIndex.from_arrays([pay["source"], pay["zone"]])
    kills = pd.MultiIndex.from_arrays(
        [income["source"].to_numpy()[enemy], income["zone"].to_numpy()[enemy]]
    )
    at = paid.get_indexer(kills)  # -1: not among the payouts
    keep = at >= 0
    return enemy[keep], at[keep]


def _same_enemy(game: GameTables, ratio: float) -> tuple[Part, list]:
    """The same enemy across areas (game constants): median of higher-tier / lower-tier payout."""
    e = game.enemies[game.enemies["class"] != "field_boss"]
    cols = ["zone", "tier", "runes"]
    names = e["name"].map(base_name).to_numpy()
    # each base name's rows in table order (as grouping by it gives them), sorted by tier as
    # ``sort_values`` sorts (quicksort)
    tier = e["tier"].to_numpy()
    values = [e[c].tolist() for c in cols]
    pairs = []
    for name, at in sorted(_positions(names).items()):
        rows = [dict(zip(cols, (v[i] for v in values), strict=True)) for i in at]
        rows = [rows[j] for j in np.argsort(tier[at], kind="quicksort")]
        for i, lo in enumerate(rows):
            for hi in rows[i + 1 :]:
                if hi["tier"] > lo["tier"]:
                    pairs.append(
                        {
                            "enemy": name,
                            "low_zone": lo["zone"],
                            "low_tier": int(lo["tier"]),
                            "low_runes": int(lo["runes"]),
                            "high_zone": hi["zone"],
                            "high_tier": int(hi["tier"]),
                            "high_runes": int(hi["runes"]),
                            "ratio": hi["runes"] / lo["runes"],
                        }
                    )
    if not pairs:
        return Part.missing(
            "same enemy across areas", "no enemy is paid in two areas of different tiers"
        ), []
    med = float(np.median([p["ratio"] for p in pairs]))
    text = (
        f"median over {len(pairs)} pairs (same enemy, two areas) of the higher-tier area's "
        f"getSoul over the lower one's; {sum(p['ratio'] > 1 for p in pairs)} of {len(pairs)} pay "
        "more in the harder area"
    )
    return Part.measured("same enemy across areas", med, [med, med], ratio, text, exact=True), pairs


def _positions(names: np.ndarray) -> dict[str, list[int]]:
    """The rows of each name, in order."""
    out: dict[str, list[int]] = {}
    for i, name in enumerate(names.tolist()):
        out.setdefault(name, []).append(i)
    return out


def claim_tiers(runs: list[RunFrames], game: GameTables, cfg: dict, seed: int) -> Claim:
    """Runes per kill and per hour by zone tier, per scenario (the first is the reference)."""
    th = cfg["thresholds"]
    per_run = {}
    for run in runs:
        per_run[run.name] = _one_run(run, game, cfg, seed)
    ref = runs[0].name if runs else ""
    same, pairs = _same_enemy(game, th["pays_more_ratio"])
    parts = [
        *(
            per_run[ref]["parts"]
            if ref
            else [Part.missing("per kill", "no run"), Part.missing("per hour", "no run")]
        ),
        same,
    ]
    v, why = verdict(parts)
    f = per_run.get(ref, {})
    key = parts[0]
    if key.value is not None:
        summary = (
            f"in {ref} (NG+0 payouts, before buffs), runes per kill rank-correlate "
            f"{key.value:.2f} with zone tier ({f['per_kill_low']:,.0f} at tier {f['tiers'][0]} to "
            f"{f['per_kill_high']:,.0f} at tier {f['tiers'][-1]}); per hour "
            f"{parts[1].value if parts[1].value is not None else float('nan'):.2f}; the same "
            f"enemy pays a median {same.value or float('nan'):.1f}x more in the harder area "
            f"({why})"
        )
    else:
        summary = f"no enemy kills to measure ({why})"
    figures = {
        "key": key.value,
        "reference_scenario": ref,
        "same_enemy_pairs": sorted(pairs, key=lambda p: -p["ratio"])[:12],
        "same_enemy_pairs_count": len(pairs),
        "by_scenario": {
            k: {kk: vv for kk, vv in d.items() if kk != "parts"}
            | {"parts": [p.__dict__ for p in d["parts"]]}
            for k, d in per_run.items()
        },
    }
    return Claim(
        1,
        cfg["claims"]["1"],
        v,
        summary,
        key.ci95,
        figures,
        "Spearman rank correlation of runes per kill (NG+0, no buffs) with zone tier",
        [p.__dict__ for p in parts],
    )


def _one_run(run: RunFrames, game: GameTables, cfg: dict, seed: int) -> dict:
    th = cfg["thresholds"]
    e = enemy_kills(run, game)
    reps = run.reps
    boot = Boot(len(reps), cfg["bootstrap"]["resamples"], seed, 1)
    if not len(e):
        return {
            "parts": [
                Part.missing("per kill", "no enemy kills"),
                Part.missing("per hour", "no enemy kills"),
            ],
            "tiers": [],
        }
    kills = pivot(e, ["tier"], "count", reps)
    base = pivot(e, ["tier"], "base", reps)
    paid = pivot(e, ["tier"], "runes", reps)
    tiers = kills.columns.to_numpy(float)
    k, b, p = boot.sums(kills), boot.sums(base), boot.sums(paid)
    with np.errstate(divide="ignore", invalid="ignore"):
        rpk = np.where(k > 0, b / k, np.nan)
    rho, rho_ci = Boot.interval(spearman_rows(tiers, rpk))
    per_kill = Part.measured(
        "per kill",
        rho,
        rho_ci,
        th["rank_correlation"],
        "Spearman correlation of runes per kill (NG+0 getSoul, no buffs) with zone tier, over "
        "the tiers played",
    )
    # per hour: NG+0 enemy runes over hours exploring and grinding in zones of the tier
    a = run.activity[run.activity["activity"].isin(["explore", "grind"])]
    a = a.assign(tier=a["zone"].map(game.zones.set_index("name")["tier"]))
    play = e[e["activity"].isin(["explore", "grind"])]
    hours = pivot(a, ["tier"], "hours", reps)
    brun = pivot(play, ["tier"], "base", reps).reindex(columns=hours.columns, fill_value=0)
    h, bh = boot.sums(hours), boot.sums(brun)
    with np.errstate(divide="ignore", invalid="ignore"):
        rph = np.where(h > 0, bh / h, np.nan)
    rho_h, rho_h_ci = Boot.interval(spearman_rows(hours.columns.to_numpy(float), rph))
    per_hour = Part.measured(
        "per hour",
        rho_h,
        rho_h_ci,
        th["rank_correlation"],
        "Spearman correlation of enemy runes per hour exploring or grinding (NG+0, no buffs) "
        "with zone tier",
    )
    by_tier = []
    for j, t in enumerate(tiers):
        pt, ci = Boot.interval(rpk[:, j])
        by_tier.append({"tier": int(t), "kills": float(k[0, j]), "runes_per_kill": pt, "ci95": ci})
    buff, buff_ci = Boot.interval(
        p.sum(axis=1) / np.where(b.sum(axis=1) > 0, b.sum(axis=1), np.nan)
    )
    return {
        "parts": [per_kill, per_hour],
        "tiers": [int(t) for t in tiers],
        "per_kill_low": by_tier[0]["runes_per_kill"],
        "per_kill_high": by_tier[-1]["runes_per_kill"],
        "runes_per_kill_by_tier": by_tier,
        "runes_per_hour_by_tier": [
            {
                "tier": int(t),
                "hours": float(h[0, j]),
                "runes_per_hour": Boot.interval(rph[:, j])[0],
                "ci95": Boot.interval(rph[:, j])[1],
            }
            for j, t in enumerate(hours.columns)
        ],
        "buffs": {
            "paid_over_ng0_unbuffed": buff,
            "ci95": buff_ci,
            "ng_cycle": run.ng_cycle,
            "what": "runes actually paid for these kills over their NG+0 getSoul: the Golden "
            "Scarab, Fowl Foot and any NG+ scaling",
        },
    }
