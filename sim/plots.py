"""Plots over tidy frames: each takes ``ax=None`` (a new figure then) and returns the Axes.

The only module that imports matplotlib. Nothing here shows a window or writes a
file: callers save the figure (the report embeds it) or let the notebook draw it.
Without a display matplotlib falls back to the Agg backend by itself.
Inputs are the stored tables or the frames of ``sim.analysis`` (with a
``scenario`` column when several runs are drawn together).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

__all__ = [
    "progression",
    "paired_difference",
    "survival",
    "income_by_source",
    "deaths_and_losses",
    "runes_per_kill",
]

_SOURCE_COLOURS = {
    "enemy": "#4c72b0",
    "boss": "#c44e52",
    "item": "#dd8452",
    "farm": "#55a868",
    "invasion": "#8172b3",
}


def _axes(ax: Axes | None) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    return ax


def _groups(frame: pd.DataFrame, by: str):
    if by in frame.columns:
        return list(frame.groupby(by, sort=False))
    return [("", frame)]


def progression(
    trajectories: pd.DataFrame,
    *,
    by: str = "scenario",
    value: str = "level",
    band: tuple[float, float] = (0.1, 0.9),
    ax: Axes | None = None,
) -> Axes:
    """Fan chart: median ``value`` (level) against hours played, with a percentile band per run."""
    ax = _axes(ax)
    for name, g in _groups(trajectories, by):
        q = g.groupby("hours")[value].quantile([band[0], 0.5, band[1]]).unstack()
        line = ax.plot(q.index, q[0.5], label=f"{name} median" if name else "median")[0]
        ax.fill_between(
            q.index,
            q[band[0]],
            q[band[1]],
            alpha=0.25,
            color=line.get_color(),
            label=f"{name} {band[0]:.0%}–{band[1]:.0%}".strip(),
        )
    ax.set_xlabel("hours played")
    ax.set_ylabel(value.replace("_", " "))
    ax.legend(loc="lower right", fontsize="small")
    ax.grid(alpha=0.3)
    return ax


def paired_difference(
    diff: pd.DataFrame,
    *,
    label: str = "B − A",
    ylabel: str = "level difference",
    ax: Axes | None = None,
) -> Axes:
    """Paired difference over play time (``paired_trajectory_difference``): mean, 95% CI, 10–90% of pairs."""
    ax = _axes(ax)
    ax.fill_between(
        diff["hours"], diff["p10"], diff["p90"], alpha=0.15, color="C0", label="10–90% of pairs"
    )
    ax.fill_between(
        diff["hours"], diff["lo"], diff["hi"], alpha=0.4, color="C0", label="95% CI of the mean"
    )
    ax.plot(diff["hours"], diff["mean"], color="C0", label=f"mean {label}")
    ax.axhline(0.0, color="black", lw=0.8)
    ax.set_xlabel("hours played")
    ax.set_ylabel(ylabel)
    ax.legend(loc="best", fontsize="small")
    ax.grid(alpha=0.3)
    return ax


def survival(
    table: pd.DataFrame, *, by: str = "scenario", level: int | None = None, ax: Axes | None = None
) -> Axes:
    """Kaplan–Meier share of players at ``level`` by play time (``survival_table``), with 95% bands."""
    ax = _axes(ax)
    for name, g in _groups(table, by):
        line = ax.step(g["hours"], g["reached"], where="post", label=str(name) or None)[0]
        ax.fill_between(
            g["hours"], g["lower"], g["upper"], step="post", alpha=0.2, color=line.get_color()
        )
    ax.set_xlabel("hours played")
    ax.set_ylabel(f"share at level {level}" if level else "share reached")
    ax.set_ylim(0, 1.02)
    if by in table.columns:
        ax.legend(loc="lower right", fontsize="small")
    ax.grid(alpha=0.3)
    return ax


def income_by_source(
    frame: pd.DataFrame, *, value: str = "per_replication", ax: Axes | None = None
) -> Axes:
    """Stacked bars of runes by source kind per run (``sources.income_by_source``)."""
    ax = _axes(ax)
    f = frame if "scenario" in frame.columns else frame.assign(scenario="")
    wide = f.pivot_table(
        index="scenario", columns="source_kind", values=value, aggfunc="sum", sort=False
    ).fillna(0)
    bottom = np.zeros(len(wide))
    for kind in wide.columns:
        ax.bar(
            wide.index.astype(str),
            wide[kind],
            bottom=bottom,
            label=kind,
            color=_SOURCE_COLOURS.get(kind),
        )
        bottom += wide[kind].to_numpy()
    ax.set_ylabel(
        {"per_replication": "runes per playthrough", "runes_per_hour": "runes per hour"}.get(
            value, value
        )
    )
    ax.legend(title="source", fontsize="small")
    ax.grid(alpha=0.3, axis="y")
    return ax


def deaths_and_losses(
    replications: pd.DataFrame, *, by: str = "scenario", ax: Axes | None = None
) -> Axes:
    """Deaths against runes lost, one point per replication, coloured by run."""
    ax = _axes(ax)
    for name, g in _groups(replications, by):
        ax.scatter(g["deaths"], g["runes_lost"], s=14, alpha=0.6, label=str(name) or None)
    ax.set_xlabel("deaths")
    ax.set_ylabel("runes lost for good")
    if by in replications.columns:
        ax.legend(fontsize="small")
    ax.grid(alpha=0.3)
    return ax


def runes_per_kill(
    frame: pd.DataFrame, *, x: str = "tier", y: str = "runes_per_kill", ax: Axes | None = None
) -> Axes:
    """Bars of runes per kill against ``x`` (zone tier, enemy...) on a log scale."""
    ax = _axes(ax)
    ax.bar(frame[x].astype(str), frame[y], color="C0")
    ax.set_yscale("log")
    ax.set_xlabel(x.replace("_", " "))
    ax.set_ylabel(y.replace("_", " "))
    ax.grid(alpha=0.3, axis="y")
    return ax
