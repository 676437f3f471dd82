"""Readable tables of a run's summary and of a comparison: figures formatted, labels explicit.

For notebooks and the API: every cell is text, rounded for reading (thousands
separators, one decimal for hours and levels), each interval next to the statistic it
belongs to, "— (4% reached)" in place of a median or mean that would mislead, and the
verdicts in full.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from sim.analysis.paired import metric_kind

__all__ = ["fmt", "summary_table", "comparison_table"]


def fmt(x: Any, kind: str = "hours") -> str:
    """One figure for reading: whole runes with separators, one decimal otherwise."""
    if x is None or (isinstance(x, float) and x != x):
        return "–"
    if kind in ("runes", "count") or abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:,.1f}"


def _ci(ci: list | None, kind: str) -> str:
    lo, hi = ci or [None, None]
    return "–" if lo is None or hi is None else f"{fmt(lo, kind)} – {fmt(hi, kind)}"


def _kind(metric: str) -> str:
    return metric_kind(metric.replace(".", "_"))


def summary_table(summary: dict) -> pd.DataFrame:
    """A run's ``summary.json`` as text: median and its 95% CI, mean and its 95% CI, p10, p90,
    reached; a milestone fewer than half reached shows its note instead of figures."""
    rows = []
    for metric, m in summary["metrics"].items():
        kind = _kind(metric)
        reached = m.get("reached")
        row = {
            "metric": metric,
            "median": fmt(m.get("median"), kind),
            "median 95% CI": _ci(m.get("ci95"), kind),
            "mean": fmt(m.get("mean"), kind),
            "mean 95% CI": _ci(m.get("mean_ci95"), kind),
            "p10": fmt(m.get("p10"), kind),
            "p90": fmt(m.get("p90"), kind),
            "reached": "–" if reached is None else f"{reached:.0%}",
        }
        if m.get("note"):
            row.update({k: "" for k in ("median 95% CI", "mean", "mean 95% CI")})
            row["median"] = m["note"]
        rows.append(row)
    return pd.DataFrame(rows).set_index("metric")


def comparison_table(data: dict) -> pd.DataFrame:
    """A comparison as text: each strategy's median (or its note), the difference of medians
    with its paired 95% CI, and the full verdict (which also gives the mean, labelled)."""
    names = data["strategies"]
    rows = []
    for metric, m in data["metrics"].items():
        kind = metric_kind(metric)
        row: dict[str, str] = {"metric": metric}
        for s in names:
            d = m.get(s) or {}
            row[f"{s} (median)"] = d.get("note") or fmt(d.get("median"), kind)
        for d in m.get("diffs") or ([m["diff"]] if "diff" in m else []):
            b = d["of"][0]
            v = d.get("difference_of_medians")
            row[f"{b} − {d['of'][1]} (difference of medians)"] = (
                "–"
                if v is None
                else f"{fmt(v, kind)} [{_ci(d.get('difference_of_medians_ci95'), kind)}]"
            )
            row[f"verdict ({b})"] = d["verdict"]
        rows.append(row)
    return pd.DataFrame(rows).set_index("metric")
