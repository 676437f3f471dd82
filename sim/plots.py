"""Plots over tidy frames: each takes ``ax=None`` (a new figure then) and returns the Axes.

With ``sim.experiments.plots`` and ``sim.experiments.sensitivity_plots``, the only
modules that import matplotlib. Nothing here shows a window or writes a file: callers
embed a figure (``figure_html``, ``png_bytes``) or let the notebook draw it.
Without a display matplotlib falls back to the Agg backend by itself.
Inputs are the stored tables or the frames of ``sim.analysis`` (with a
``scenario`` column when several runs are drawn together).
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Mapping
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

__all__ = [
    "progression",
    "progression_fans",
    "paired_difference",
    "survival",
    "income_by_source",
    "deaths_and_losses",
    "runes_per_kill",
    "distribution",
    "for_whom",
    "png_bytes",
    "figure_html",
    "WIDTH",
]

# inches at the report's 100 dpi: 1,100 px wide, legends placed beside the data
WIDTH = 11.0


def png_bytes(ax: Axes, *, dpi: int = 100, tight: bool = True) -> bytes:
    """The axes' figure as PNG bytes, then closed. ``tight``: crop to the drawn area;
    otherwise lay the figure out tightly at its own size."""
    fig = ax.figure
    assert isinstance(fig, Figure)  # the plots draw on whole figures, not sub-figures
    buf = io.BytesIO()
    if tight:
        fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    else:
        fig.tight_layout()
        fig.savefig(buf, format="png", dpi=dpi)
    plt.close(fig)
    return buf.getvalue()


def figure_html(ax: Axes, caption: str) -> str:
    """A plot as an HTML figure: the PNG embedded as a ``data:`` URI, with its caption."""
    uri = "data:image/png;base64," + base64.b64encode(png_bytes(ax)).decode("ascii")
    cap = html.escape(caption)
    return f'<figure><img alt="{cap}" src="{uri}"><figcaption>{cap}</figcaption></figure>'


_SOURCE_COLOURS = {
    "enemy": "#4c72b0",
    "boss": "#c44e52",
    "item": "#dd8452",
    "farm": "#55a868",
    "invasion": "#8172b3",
}


def _axes(ax: Axes | None, height: float = 4.4) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=(WIDTH, height))
    return ax


def _legend_outside(ax: Axes, **kw: Any) -> None:
    """The legend to the right of the axes, so it never covers a line or a bar."""
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize="small", **kw)


_thousands = FuncFormatter(lambda v, _pos: f"{v:,.0f}")


def _groups(frame: pd.DataFrame, by: str) -> list[tuple[Any, pd.DataFrame]]:
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
    from sim.analysis.grid import quantiles_by_time

    qs = np.array([band[0], 0.5, band[1]])
    fans = {name: quantiles_by_time(g, value, qs) for name, g in _groups(trajectories, by)}
    return progression_fans(fans, value=value, band=band, ax=ax)


def progression_fans(
    fans: Mapping[Any, pd.DataFrame],
    *,
    value: str = "level",
    band: tuple[float, float] = (0.1, 0.9),
    ax: Axes | None = None,
) -> Axes:
    """``progression`` drawn from its summaries: per run, the band's quantiles and the median of
    ``value`` at each grid time (``sim.analysis.grid.quantiles_by_time``)."""
    ax = _axes(ax)
    for name, q in fans.items():
        lo, mid, hi = q.columns
        line = ax.plot(q.index, q[mid], label=f"{name} median" if name else "median")[0]
        ax.fill_between(
            q.index,
            q[lo],
            q[hi],
            alpha=0.25,
            color=line.get_color(),
            label=f"{name} {band[0]:.0%}–{band[1]:.0%}".strip(),
        )
    ax.set_xlabel("hours played")
    ax.set_ylabel(value.replace("_", " "))
    _legend_outside(ax)
    ax.grid(alpha=0.3)
    return ax


def paired_difference(
    diff: pd.DataFrame,
    *,
    label: str = "B − A",
    ylabel: str = "level difference",
    ax: Axes | None = None,
) -> Axes:
    """Paired difference over play time (``paired_trajectory_difference``): mean, 95% CI, 10–90% of
    pairs."""
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
    _legend_outside(ax)
    ax.grid(alpha=0.3)
    return ax


def survival(
    table: pd.DataFrame, *, by: str = "scenario", level: int | None = None, ax: Axes | None = None
) -> Axes:
    """Kaplan–Meier share of players at ``level`` by play time (``survival_table``), with 95%
    bands."""
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
        _legend_outside(ax)
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
    _legend_outside(ax, title="source")
    ax.yaxis.set_major_formatter(_thousands)
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
    ax.yaxis.set_major_formatter(_thousands)
    if by in replications.columns:
        _legend_outside(ax)
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


def distribution(
    replications: pd.DataFrame,
    column: str,
    *,
    by: str = "scenario",
    horizon: float | None = None,
    xlabel: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Histogram of ``column`` per run on shared bins, each run's median dashed.

    A time to a level that was not reached (NaN) is left out of the bars and counted
    in the legend ("83% reached"); its median is drawn only when at least half got there.
    """
    ax = _axes(ax)
    groups = _groups(replications, by)
    values = np.concatenate([g[column].to_numpy(float) for _, g in groups]) if groups else None
    finite = values[np.isfinite(values)] if values is not None else np.array([])
    if finite.size == 0:
        ax.text(0.5, 0.5, "nobody got there", ha="center", va="center", transform=ax.transAxes)
        return ax
    lo, hi = float(finite.min()), float(finite.max())
    wide = lo > 0 and hi / lo > 5  # e.g. a rush at 5 h against natural play at 40 h
    edges = np.geomspace(lo, hi * 1.0001, 41) if wide else np.histogram_bin_edges(finite, bins=40)
    bins = [float(b) for b in edges]
    for i, (name, g) in enumerate(groups):
        x = g[column].to_numpy(float)
        ok = x[np.isfinite(x)]
        reached = ok.size / max(x.size, 1)
        colour = f"C{i}"
        # the median over every player, those who never got there counting as slower
        # (as the tables' Kaplan–Meier median); none when fewer than half got there
        med = None
        if ok.size and reached >= 0.5:
            v = float(
                np.percentile(np.where(np.isnan(x), np.inf, x), 50, method="averaged_inverted_cdf")
            )
            med = v if np.isfinite(v) else None
        label = f"{name}: " if name else ""
        label += f"median {med:.1f}" if med is not None else "no median"
        label += f", {reached:.0%} reached" if reached < 1 else ""
        ax.hist(ok, bins=bins, histtype="stepfilled", alpha=0.35, color=colour, label=label)
        ax.hist(ok, bins=bins, histtype="step", color=colour, lw=1.2)
        if med is not None:
            ax.axvline(med, color=colour, ls="--", lw=1.5)
    if wide:
        ax.set_xscale("log")
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
        ax.xaxis.set_minor_formatter(
            FuncFormatter(lambda v, _pos: f"{v:g}" if f"{v:g}"[0] in "25" else "")
        )
    ax.set_xlabel((xlabel or column.replace("_", " ")) + (" (log scale)" if wide else ""))
    ax.set_ylabel("playthroughs")
    _legend_outside(ax)
    ax.grid(alpha=0.3, axis="y")
    return ax


def for_whom(frame: pd.DataFrame, *, unit: str = "h", ax: Axes | None = None) -> Axes:
    """Paired difference per group of players (``for_whom_frame``): point and 95% interval."""
    rows = frame.dropna(subset=["difference"]).reset_index(drop=True)
    ax = _axes(ax, height=1.2 + 0.45 * max(len(rows), 1))
    labels = [
        f"{r.group} ({r.comparison})" if frame["comparison"].nunique() > 1 else str(r.group)
        for r in rows.itertuples()
    ]
    y = np.arange(len(rows))[::-1]
    err = np.vstack([rows["difference"] - rows["lo"], rows["hi"] - rows["difference"]])
    ax.errorbar(rows["difference"], y, xerr=np.abs(err), fmt="o", color="C0", capsize=4)
    ax.axvline(0.0, color="black", lw=0.8)
    ax.set_yticks(y, labels)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.set_xlabel(f"difference of medians ({unit}), 95% CI" if unit else "difference of medians")
    ax.grid(alpha=0.3, axis="x")
    return ax
