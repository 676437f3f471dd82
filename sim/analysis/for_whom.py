"""For whom is it worth it? The paired comparison split by the players' recorded traits.

Replication k of every strategy plays the same player (common random numbers), so
a trait drawn for the player (skill, and any other trait the replications table
records) is the same in every run and splits the pairs cleanly. A numeric trait
with more than three values is cut into thirds of the baseline's players (weakest,
middle, strongest for skill); a trait with few values (online or offline play)
gives one group per value. Each group gets the paired difference of medians with
its 95% interval (``compare_metric``), so the figures read like the main table's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.paired import compare_metric, pair_resamples

__all__ = ["trait_columns", "split_by_traits", "for_whom_line", "for_whom_frame"]

# columns that are identical across paired runs without being a player trait
_NOT_TRAITS = re.compile(
    r"^(replication|seed.*|scenario|strategy|start_level|start_class|horizon_hours|sim_events)$"
    r"|hours|level|runes|deaths|invasion|boss|quit|finish|exposed"
)


def trait_columns(replications: Mapping[str, pd.DataFrame]) -> list[str]:
    """The player traits recorded in every run: ``skill``, ``trait_*`` columns, and any other
    numeric or boolean column that is the same for replication k in every run (drawn for the
    player, not an outcome). ``skill`` comes first."""
    frames = list(replications.values())
    if not frames:
        return []
    base = frames[0]
    out = []
    for c in base.columns:
        c = str(c)
        if not all(c in f for f in frames):
            continue
        s = base[c]
        if not (pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s)):
            continue
        if s.nunique(dropna=True) < 2:
            continue
        named = c == "skill" or c.startswith("trait_")
        if not named and _NOT_TRAITS.search(c):
            continue
        if named or _same_in_every_run(frames, c):
            out.append(c)
    return sorted(out, key=lambda c: (c != "skill", c))


def _same_in_every_run(frames: list[pd.DataFrame], column: str) -> bool:
    base = frames[0].set_index("replication")[column]
    for f in frames[1:]:
        other = f.set_index("replication")[column].reindex(base.index)
        if not base.equals(other):
            return False
    return True


def _groups(values: pd.Series, trait: str) -> list[tuple[str, np.ndarray, list[Any]]]:
    """(label, mask, [low, high] or [value]) per group of a trait."""
    v = values
    if pd.api.types.is_bool_dtype(v) or v.nunique(dropna=True) <= 3:
        return [
            (
                f"{trait} = {val}",
                (v == val).to_numpy(),
                [val.item() if hasattr(val, "item") else val],
            )
            for val in sorted(v.dropna().unique())
        ]
    x = v.to_numpy(float)
    q1, q2 = np.nanquantile(x, [1 / 3, 2 / 3])
    if trait == "skill":
        names = ("weakest third", "middle third", "strongest third")
    else:
        names = (
            f"lowest third of {trait}",
            f"middle third of {trait}",
            f"highest third of {trait}",
        )
    masks = (x <= q1, (x > q1) & (x <= q2), x > q2)
    out = []
    for name, m in zip(names, masks, strict=True):
        if m.any():
            out.append((name, m, [float(np.nanmin(x[m])), float(np.nanmax(x[m]))]))
    return out


def split_by_traits(
    replications: Mapping[str, pd.DataFrame], metric: str, *, seed: int = 0, **kw: Any
) -> dict[str, Any]:
    """The paired difference of ``metric`` (each later run − the first) per group of each trait.

    Returns ``{"metric", "statistic", "comparisons": [{"of": [B, A], "splits": [{"trait",
    "groups": [{"group", "range", "pairs", "medians", "difference_of_medians", "ci95",
    "verdict"}]}]}]}``; ``kw`` goes to ``compare_metric`` (margins).
    """
    names = list(replications)
    out: dict[str, Any] = {
        "metric": metric,
        "statistic": "difference of medians, paired, 95% percentile bootstrap interval",
        "comparisons": [],
    }
    if len(names) < 2:
        return out
    base = names[0]
    traits = trait_columns(replications)
    ra = replications[base]
    for b in names[1:]:
        rb = replications[b]
        if metric not in ra or metric not in rb:
            continue
        # every group reads the resamples of all the pairs (its own pairs in each resample)
        shared = pair_resamples(ra, rb, seed)
        splits = []
        for trait in traits:
            groups = []
            for label, mask, rng in _groups(ra[trait], trait):
                ids = set(ra.loc[mask, "replication"].tolist())
                sa = ra[ra["replication"].isin(ids)]
                sb = rb[rb["replication"].isin(ids)]
                d = compare_metric(
                    sa, sb, metric, seed=seed, names=(base, b), resamples=shared, **kw
                )
                groups.append(
                    {
                        "group": label,
                        "range": rng,
                        "pairs": d["pairs"],
                        "quit_pairs": d.get("quit_pairs", 0),
                        "medians": [d.get("median_b"), d.get("median_a")],
                        "difference_of_medians": d.get("difference_of_medians"),
                        "ci95": d.get("difference_of_medians_ci95", [None, None]),
                        "verdict": d["verdict"],
                    }
                )
            splits.append({"trait": trait, "groups": groups})
        out["comparisons"].append({"of": [b, base], "splits": splits})
    return out


def _fmt(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x:+,.0f}" if abs(x) >= 1000 else f"{x:+.1f}"


def for_whom_line(split: dict[str, Any], unit: str = "") -> list[str]:
    """One terminal line per comparison and trait: the difference in each group with its
    interval."""
    lines = []
    u = f" {unit}" if unit else ""
    for comp in split.get("comparisons", []):
        b, a = comp["of"]
        for s in comp["splits"]:
            cells = []
            for g in s["groups"]:
                lo, hi = g["ci95"]
                if g["difference_of_medians"] is None:
                    cells.append(f"{g['group']} — (fewer than half reached)")
                else:
                    cells.append(
                        f"{g['group']} {_fmt(g['difference_of_medians'])}{u} [{_fmt(lo)}, "
                        f"{_fmt(hi)}]"
                    )
            lines.append(
                f"For whom ({s['trait']}): {b} − {a}, {split['metric']} "
                f"(difference of medians, 95% CI): " + "; ".join(cells)
            )
    return lines


def for_whom_frame(split: dict[str, Any]) -> pd.DataFrame:
    """The split as a tidy frame: comparison, trait, group, pairs, difference, lo, hi."""
    rows = []
    for comp in split.get("comparisons", []):
        for s in comp["splits"]:
            for g in s["groups"]:
                lo, hi = g["ci95"]
                rows.append(
                    {
                        "comparison": f"{comp['of'][0]} − {comp['of'][1]}",
                        "trait": s["trait"],
                        "group": g["group"],
                        "pairs": g["pairs"],
                        "difference": g["difference_of_medians"],
                        "lo": lo,
                        "hi": hi,
                    }
                )
    return pd.DataFrame(
        rows, columns=["comparison", "trait", "group", "pairs", "difference", "lo", "hi"]
    )
