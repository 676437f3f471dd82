"""Claim 4: enemy type and enemy class, same area; kinds from a named source (enemy_kinds.csv)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.analysis.claims.core import Boot, Claim, GameTables, Part, RunFrames, pivot, verdict
from sim.analysis.claims.tiers import enemy_kills

__all__ = ["claim_enemies"]


def _geo_ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """Per row, the geometric mean over cells of num/den (cells where both are positive)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.log(num / den)
    r[~np.isfinite(r)] = np.nan
    ok = np.isfinite(r).any(axis=1)
    out = np.full(r.shape[0], np.nan)
    out[ok] = np.exp(np.nanmean(r[ok], axis=1))
    return out


def _pair(
    e: pd.DataFrame, keys: list[str], side: str, a: str, b: str, reps: np.ndarray, boot: Boot
) -> tuple[tuple[np.ndarray, np.ndarray] | None, list[tuple[str, ...]]]:
    """Runes per kill of side == a and side == b in matching cells (keys), resampled."""
    kills = pivot(e, keys + [side], "count", reps)
    base = pivot(e, keys + [side], "base", reps)
    k, r = boot.sums(kills), boot.sums(base)
    cols = kills.columns  # (cell..., side) labels
    labels = [tuple(c) for c in cols]
    cells = sorted({c[:-1] for c in labels if c[-1] == a} & {c[:-1] for c in labels if c[-1] == b})
    if not cells:
        return None, []
    ia = cols.get_indexer(pd.Index([c + (a,) for c in cells]))
    ib = cols.get_indexer(pd.Index([c + (b,) for c in cells]))
    with np.errstate(divide="ignore", invalid="ignore"):
        ra = np.where(k[:, ia] > 0, r[:, ia] / k[:, ia], np.nan)
        rb = np.where(k[:, ib] > 0, r[:, ib] / k[:, ib], np.nan)
    return (ra, rb), cells


def claim_enemies(runs: list[RunFrames], game: GameTables, cfg: dict, seed: int) -> Claim:
    th = cfg["thresholds"]
    run = next((r for r in runs if (r.income["source_kind"] == "enemy").any()), None)
    if run is None:
        parts = [
            Part.missing(n, "no enemy kills")
            for n in ("humanoid against beast", "elite against common", "within-area spread")
        ]
        v, why = verdict(parts)
        return Claim(
            4, cfg["claims"]["4"], v, why, [None, None], {}, "", [p.__dict__ for p in parts]
        )
    reps = run.reps
    boot = Boot(len(reps), cfg["bootstrap"]["resamples"], seed, 4)
    e = enemy_kills(run, game)
    kinds = game.kinds.set_index("name")
    e["article_kind"] = e["source"].map(kinds["article_kind"]).fillna("")
    e["category"] = e["source"].map(kinds["category"]).fillna("unassigned")
    e["class_"] = e["source"].map(game.enemies.drop_duplicates("name").set_index("name")["class"])
    figures: dict = {"scenario": run.name, "kind_source": _kind_source(game)}
    # 1. the article's direction: beast against humanoid, same area and class
    pair, cells = _pair(e, ["zone", "class_"], "article_kind", "beast", "humanoid", reps, boot)
    if pair is None:
        direction = Part.missing(
            "humanoid against beast", "no area and class had both humanoid and beast kills"
        )
    else:
        ratio = _geo_ratio(pair[0], pair[1])
        pt, ci = Boot.interval(ratio)
        direction = Part.measured(
            "humanoid against beast",
            pt,
            ci,
            th["pays_more_ratio"],
            f"geometric mean over {len(cells)} area-and-class cells of a beast's runes per kill "
            "over a humanoid's",
        )
        figures["direction_cells"] = [
            {
                "zone": c[0],
                "class": c[1],
                "beast": float(pair[0][0, i]),
                "humanoid": float(pair[1][0, i]),
                "ratio": float(pair[0][0, i] / pair[1][0, i]),
            }
            for i, c in enumerate(cells)
        ]
    magic = int((game.kinds["article_kind"] == "magic").sum())
    figures["magic"] = (
        "the source's categories hold no magical kind: the magic half is not measured"
        if magic == 0
        else f"{magic} enemies of a magical kind"
    )
    if magic:
        mp, mcells = _pair(e, ["zone", "class_"], "article_kind", "magic", "humanoid", reps, boot)
        if mp is not None:
            m_pt, m_ci = Boot.interval(_geo_ratio(mp[0], mp[1]))
            figures["magic_over_humanoid"] = {"ratio": m_pt, "ci95": m_ci, "cells": len(mcells)}
    # 2. "complex AI": elite against common in the same area
    pair, cells = _pair(e, ["zone"], "class_", "elite", "common", reps, boot)
    if pair is None:
        elite = Part.missing("elite against common", "no area had both elite and common kills")
    else:
        pt, ci = Boot.interval(_geo_ratio(pair[0], pair[1]))
        elite = Part.measured(
            "elite against common",
            pt,
            ci,
            th["pays_more_ratio"],
            f"geometric mean over {len(cells)} areas of an elite's runes per kill over a common "
            "enemy's",
        )
    # 3. spread within an area: best-paying over worst-paying enemy killed there
    kills = pivot(e, ["zone", "source"], "count", reps)
    k = boot.sums(kills)
    pay = e.drop_duplicates(["zone", "source"]).set_index(["zone", "source"])["getsoul"]
    const = pay.reindex(kills.columns).to_numpy(float)
    zones = kills.columns.get_level_values(0)
    spreads, rows = [], []
    for zname in sorted(set(zones)):
        idx = np.flatnonzero(zones == zname)
        if idx.size < 2:
            continue
        has = k[:, idx] > 0
        hi = np.where(has, const[idx], -np.inf).max(axis=1)
        lo = np.where(has, const[idx], np.inf).min(axis=1)
        ok = has.sum(axis=1) >= 2
        with np.errstate(divide="ignore", invalid="ignore"):
            spreads.append(np.where(ok, hi / lo, np.nan))
        names = kills.columns[idx].get_level_values(1)
        seen = has[0]
        rows.append(
            {
                "zone": zname,
                "highest": names[seen][np.argmax(const[idx][seen])],
                "highest_runes": float(hi[0]),
                "lowest": names[seen][np.argmin(const[idx][seen])],
                "lowest_runes": float(lo[0]),
                "ratio": float(hi[0] / lo[0]),
            }
        )
    if spreads:
        sp = np.nanmedian(np.column_stack(spreads), axis=1)
        sp_pt, sp_ci = Boot.interval(sp)
        spread = Part.measured(
            "within-area spread",
            sp_pt,
            sp_ci,
            th["spread_ratio"],
            f"median over {len(spreads)} areas of the best-paying enemy's getSoul over the "
            "worst-paying one's",
        )
        figures["within_area"] = rows
    else:
        spread = Part.missing("within-area spread", "no area had two kinds of enemy killed")
    parts = [direction, elite, spread]
    v, why = verdict(parts)
    bits = [
        f"{p.name}: {p.value:.2f}x"
        + (f" (95% CI {p.ci95[0]:.2f}-{p.ci95[1]:.2f})" if p.ci95[0] is not None else "")
        for p in parts
        if p.value is not None
    ]
    summary = "; ".join(bits) + f"; magic: {figures['magic'].split(':')[-1].strip()} ({why})"
    figures["key"] = direction.value
    return Claim(
        4,
        cfg["claims"]["4"],
        v,
        summary,
        direction.ci95,
        figures,
        "a beast's runes per kill over a humanoid's, same area and class (x)",
        [p.__dict__ for p in parts],
    )


def _kind_source(game: GameTables) -> str:
    s = [x for x in game.kinds.get("source", []) if x]
    return s[0] if s else ""
