"""Claim 2: bosses pay by region, and the article's own figures, per NG cycle."""

from __future__ import annotations

from typing import TypedDict

import numpy as np

from sim.analysis.claims.core import (
    Boot,
    Claim,
    GameTables,
    Part,
    RunFrames,
    pivot,
    spearman_rows,
    verdict,
)

__all__ = ["claim_bosses"]


class _CycleFigures(TypedDict):
    """The article's boss figures at one NG cycle, and whether they match the game's."""

    margit: float | None
    margit_around_article: bool | None
    late: dict[str, float | None]
    late_well_over_article: bool | None


def _cycle_runes(game: GameTables, name: str, cycle: int) -> float | None:
    row = game.bosses[game.bosses["name"] == name]
    if not len(row):
        return None
    r = row.iloc[0]
    if cycle == 0:
        return float(r["runes"])
    ng1 = r["ng_plus_runes"]
    return None if ng1 is None or (isinstance(ng1, float) and np.isnan(ng1)) else float(ng1)


def claim_bosses(runs: list[RunFrames], game: GameTables, cfg: dict, seed: int) -> Claim:
    th, art = cfg["thresholds"], cfg["article"]
    b = game.bosses
    # by region (game constants, every boss): median payout against the region's median tier
    reg = (
        b.groupby("region")
        .agg(tier=("tier", "median"), runes=("runes", "median"), bosses=("name", "count"))
        .reset_index()
    )
    rho = (
        float(spearman_rows(reg["tier"].to_numpy(float), reg[["runes"]].to_numpy(float).T)[0])
        if len(reg) >= 3
        else np.nan
    )
    region = Part.measured(
        "by region",
        rho,
        [rho, rho],
        th["rank_correlation"],
        f"Spearman correlation, over {len(reg)} regions, of the median boss payout "
        "(GameAreaParam.bonusSoul_single, NG+0) with the region's median tier",
        exact=True,
    )
    cycles: dict[str, _CycleFigures] = {}
    for c in (0, 1):
        margit_runes = _cycle_runes(game, art["margit"], c)
        late_runes = [_cycle_runes(game, n, c) for n in art["late_bosses"]]
        late_ok = [x for x in late_runes if x is not None]
        cycles[f"ng+{c}"] = {
            "margit": margit_runes,
            "margit_around_article": None
            if margit_runes is None
            else abs(margit_runes / art["margit_runes"] - 1) <= th["around"],
            "late": dict(zip(art["late_bosses"], late_runes, strict=True)),
            "late_well_over_article": None
            if len(late_ok) < len(late_runes)
            else min(late_ok) >= art["late_runes"] * th["well_over"],
        }
    cyc = runs[0].ng_cycle if runs else 0
    cyc = cyc if f"ng+{cyc}" in cycles else 0
    cur = cycles[f"ng+{cyc}"]
    cur_margit = cur["margit"]
    if cur_margit is None:
        margit = Part.missing(
            f"Margit around {art['margit_runes']:,} (NG+{cyc})", "Margit is not in the boss table"
        )
    else:
        m = cur_margit / art["margit_runes"]
        margit = Part.measured(
            f"Margit around {art['margit_runes']:,} (NG+{cyc})",
            1 - abs(m - 1),
            [1 - abs(m - 1)] * 2,
            1 - th["around"],
            f"closeness of Margit's payout ({cur_margit:,.0f}) to {art['margit_runes']:,}: "
            f"1 - |payout / {art['margit_runes']:,} - 1|; within {th['around']:.0%} holds",
            exact=True,
        )
    late_vals = [x for x in cur["late"].values() if x is not None]
    if len(late_vals) < len(art["late_bosses"]):
        late = Part.missing(
            f"{' and '.join(art['late_bosses'])} well over {art['late_runes']:,} (NG+{cyc})",
            "a late boss is not in the boss table",
        )
    else:
        lo = min(late_vals) / art["late_runes"]
        late = Part.measured(
            f"Fire Giant and Maliketh well over {art['late_runes']:,} (NG+{cyc})",
            lo,
            [lo, lo],
            th["well_over"],
            f"the smaller payout over {art['late_runes']:,} ({min(late_vals):,.0f})",
            exact=True,
        )
    parts = [region, margit, late]
    v, why = verdict(parts)
    other = cycles["ng+1" if cyc == 0 else "ng+0"]
    summary = (
        f"by region: rank correlation {rho:.2f} of the median boss payout with tier; at NG+{cyc} "
        f"Margit pays {cur['margit'] or 0:,.0f} and Fire Giant / Maliketh "
        f"{', '.join(f'{x:,.0f}' for x in late_vals)}; at NG+{1 - cyc if cyc in (0, 1) else 0} "
        f"Margit {other['margit'] or 0:,.0f} and the late bosses "
        f"{', '.join(f'{x or 0:,.0f}' for x in other['late'].values())} ({why})"
    )
    figures = {
        "key": rho,
        "regions": reg.sort_values("tier").to_dict("records"),
        "article_figures_by_cycle": cycles,
        "cycle_checked": cyc,
        "as_played": _as_played(runs, game, cfg, seed),
    }
    return Claim(
        2,
        cfg["claims"]["2"],
        v,
        summary,
        [rho, rho],
        figures,
        "Spearman correlation of the median boss payout with the region's tier (game constants: "
        "exact)",
        [p.__dict__ for p in parts],
    )


def _as_played(runs: list[RunFrames], game: GameTables, cfg: dict, seed: int) -> dict:
    """Boss runes per win by region as the scenarios played them: NG+0 payouts and as paid (with the
    Scarab)."""
    out = {}
    pay = game.bosses.rename(columns={"name": "source", "runes": "bonus"})[["source", "bonus"]]
    for run in runs:
        w = run.income[run.income["source_kind"] == "boss"].merge(pay, on="source", how="inner")
        if not len(w):
            continue
        w["base"] = w["count"] * w["bonus"]
        reps = run.reps
        boot = Boot(len(reps), cfg["bootstrap"]["resamples"], seed, 2)
        wins, base, paid = (
            boot.sums(pivot(w, ["region"], c, reps)) for c in ("count", "base", "runes")
        )
        regions = pivot(w, ["region"], "count", reps).columns
        rows = []
        for j, r in enumerate(regions):
            with np.errstate(divide="ignore", invalid="ignore"):
                pt, ci = Boot.interval(np.where(wins[:, j] > 0, base[:, j] / wins[:, j], np.nan))
                paid_pt, paid_ci = Boot.interval(
                    np.where(wins[:, j] > 0, paid[:, j] / wins[:, j], np.nan)
                )
            rows.append(
                {
                    "region": r,
                    "wins_per_playthrough": float(wins[0, j] / max(len(reps), 1)),
                    "runes_per_win_ng0": pt,
                    "ci95": ci,
                    "runes_per_win_as_paid": paid_pt,
                    "as_paid_ci95": paid_ci,
                }
            )
        out[run.name] = rows
    return out
