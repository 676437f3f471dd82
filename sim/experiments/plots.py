"""Plots of experiments: ranking intervals and an optimiser's convergence; each returns its Axes.

Like ``sim.plots``, nothing here shows a window or writes a file; this and
``sim.plots`` are the only modules that import matplotlib.
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import pandas as pd

__all__ = ["ranking_intervals", "convergence"]


def _axes(ax: Any, size: tuple[float, float]) -> Any:
    if ax is None:
        _, ax = plt.subplots(figsize=size)
    return ax


def ranking_intervals(table: pd.DataFrame, *, metric: str, epsilon: float, ax: Any = None) -> Any:
    """Each route's paired difference from the best with its 95% interval, and the zone
    +-epsilon."""
    ax = _axes(ax, (7, 0.5 + 0.45 * max(1, len(table))))
    t = table.iloc[::-1].reset_index(drop=True)
    y = range(len(t))
    mean = t["diff_vs_best"].astype(float)
    lo = (mean - t["ci95_low"].astype(float)).clip(lower=0)
    hi = (t["ci95_high"].astype(float) - mean).clip(lower=0)
    colors = ["#1a7f37" if e else "#555" for e in t["equivalent_to_best"]]
    for k in y:
        ax.errorbar(mean[k], k, xerr=[[lo[k]], [hi[k]]], fmt="none", ecolor=colors[k], capsize=3)
    ax.scatter(mean, list(y), c=colors, zorder=3)
    ax.axvspan(
        -epsilon, epsilon, color="#1a7f37", alpha=0.08, label=f"within ±{epsilon:g} of the best"
    )
    ax.axvline(0, color="#999", lw=0.8)
    ax.set_yticks(list(y), [f"{r}. {s}" for r, s in zip(t["rank"], t["scenario"], strict=True)])
    ax.set_xlabel(f"paired difference from the best, {metric}")
    ax.legend(loc="best", fontsize=8)
    return ax


def convergence(trials: pd.DataFrame, *, objective: str, ax: Any = None) -> Any:
    """Each trial's objective value and the best feasible value so far, against the trial number."""
    ax = _axes(ax, (7, 3.5))
    done = trials[trials["state"] == "COMPLETE"]
    pruned = trials[trials["state"] == "PRUNED"]
    ax.scatter(done["number"], done["value"], s=14, color="#1f77b4", label="evaluated")
    if "value" in pruned and pruned["value"].notna().any():
        ax.scatter(
            pruned["number"], pruned["value"], s=10, marker="x", color="#bbb", label="stopped early"
        )
    if "best_so_far" in trials:
        ax.step(
            trials["number"],
            trials["best_so_far"],
            where="post",
            color="#d62728",
            label="best so far",
        )
    ax.set_xlabel("trial")
    ax.set_ylabel(objective)
    ax.legend(fontsize=8)
    return ax
