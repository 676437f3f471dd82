"""The report's sections, each a function of a comparison returning an HTML fragment.

A section starts with ``<h2 id="anchor">Title</h2>``: the report builds its table of
contents from those headings, so a new section needs no other registration than
its one line in ``sim.report.SECTIONS``. Numbers are formatted for reading
(thousands separators, one decimal for hours, shares in %), captions say once what
a figure shows, and every plot is an embedded PNG at least 900 px wide.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sim.analysis import sources
from sim.analysis.for_whom import for_whom_frame
from sim.analysis.grid import as_grid, quantiles_by_time
from sim.analysis.paired import metric_kind, paired_trajectory_difference
from sim.analysis.survival import survival_table
from sim.columns import hours_of_column, is_hours_to_level, level_of_column
from sim.experiments.comparison import ComparisonResult

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "what",
    "num",
    "img",
    "table",
    "summary_box",
    "distribution_section",
    "for_whom_section",
    "progression_section",
    "sources_section",
]

_LEVELS = ("replication", "hours", "level")  # the trajectories' columns the report draws
_UNIT = {"hours": "h", "levels": "levels", "deaths": "deaths", "runes": "runes", "count": ""}


def what(metric: str) -> str:
    """A metric's name in words: 'hours to reach level 80', 'level after 1 hour of play'."""
    level, hours = level_of_column(metric), hours_of_column(metric)
    if level is not None:
        return f"hours to reach level {level}"
    if hours is not None:
        return f"level after {hours:g} hour{'' if hours == 1 else 's'} of play"
    return {
        "finish_hours": "hours to finish the game",
        "deaths": "deaths",
        "runes_earned": "runes earned",
        "runes_lost": "runes lost for good",
    }.get(metric, metric.replace("_", " "))


def num(x: Any, kind: str = "hours") -> str:
    """A figure as the report prints it: runes and counts whole with separators, else 1 decimal."""
    if x is None or (isinstance(x, float) and not np.isfinite(x)):
        return "–"
    if kind in ("runes", "count", "deaths") and not float(x).is_integer() and abs(x) < 100:
        return f"{x:,.1f}"
    if kind in ("runes", "count", "deaths") or abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:,.1f}"


def img(ax: Axes, caption: str) -> str:
    """A plot as an embedded figure with its caption (``sim.plots.figure_html``)."""
    from sim.plots import figure_html

    return figure_html(ax, caption)


def _format_column(name: str, s: pd.Series) -> pd.Series:
    if pd.api.types.is_bool_dtype(s) or not pd.api.types.is_numeric_dtype(s):
        return s.astype(str)
    if "share" in name:
        return s.map(lambda v: "–" if pd.isna(v) else f"{v:.1%}")
    if "per_hour" in name and "runes" not in name:
        return s.map(lambda v: "–" if pd.isna(v) else f"{v:,.2f}")
    if "hours" in name and "per_hour" not in name:
        return s.map(lambda v: "–" if pd.isna(v) else f"{v:,.1f}")
    return s.map(lambda v: "–" if pd.isna(v) else f"{v:,.0f}")


def table(frame: pd.DataFrame, columns: dict[str, str] | None = None) -> str:
    """An HTML table with readable headings (``columns`` renames) and formatted figures."""
    f = frame.copy()
    for c in f.columns:
        f[c] = _format_column(str(c), f[c])
    if columns:
        f = f[[c for c in columns if c in f.columns]].rename(columns=columns)
    else:
        f.columns = [str(c).replace("_", " ") for c in f.columns]
    return "<div class='scroll'>" + f.to_html(index=False, escape=True, border=0) + "</div>"


def summary_box(res: ComparisonResult) -> str:
    """The answer first: the headline and what the run was."""
    data = res.data
    head = html.escape(str(data.get("headline") or ""))
    n = data.get("pairs")
    kind = "paired playthroughs per strategy" if len(res.strategies) > 1 else "playthroughs"
    return (
        "<section class='summary' id='summary'><p class='label'>The answer</p>"
        f"<p class='headline'>{head}</p>{_cards(data)}"
        f"<p class='meta'>{html.escape(' vs '.join(res.strategies))} · {n:,} {kind} · seed "
        f"{html.escape(str(data.get('seed')))}. Medians: the typical player. "
        "95% CI: where the true figure lies with 95% confidence.</p></section>"
    )


def _cards(data: dict) -> str:
    """The headline's paired figures as cards: both medians large, the difference below."""
    cards = []
    for f in data.get("headline_figures") or []:
        meds, diff = f.get("medians"), f.get("difference")
        if not meds or diff is None or None in meds:
            continue
        kind = metric_kind(str(f["metric"]))
        unit = " h" if kind == "hours" else ""
        lo, hi = f.get("ci95") or [None, None]
        ci = "" if lo is None or hi is None else f" (95% CI {lo:+,.1f} to {hi:+,.1f})"
        b, a = f["strategies"]
        cards.append(
            f"<div class='card'><div class='dim'>{html.escape(what(str(f['metric'])))}, "
            f"median</div><div class='big'>{num(meds[0], kind)}{unit} <span class='vs'>vs</span> "
            f"{num(meds[1], kind)}{unit}</div><div class='dim'>{html.escape(b)} vs "
            f"{html.escape(a)}: {diff:+,.1f}{unit}{ci}</div></div>"
        )
    return f"<div class='cards'>{''.join(cards)}</div>" if cards else ""


def distribution_section(res: ComparisonResult) -> str:
    """The key metric's distribution per strategy: a histogram with each median dashed."""
    from sim import plots

    reps = res.replications
    metric = _key_metric(res)
    if metric is None or not len(reps):
        return ""
    ax = plots.distribution(reps, metric, xlabel=what(metric))
    return f"<h2 id='distribution'>How long it takes: {html.escape(what(metric))}</h2>" + img(
        ax,
        f"Each bar counts the playthroughs that needed that many {what(metric)}; the dashed "
        "line is each strategy's median. Players who never got there are left out of the "
        "bars and counted in the legend.",
    )


def _key_metric(res: ComparisonResult) -> str | None:
    for f in res.data.get("headline_figures") or []:
        if is_hours_to_level(f.get("metric", "")):
            return str(f["metric"])
    cols = [c for c in res.replications.columns if is_hours_to_level(c)]
    return cols[len(cols) // 2] if cols else None


def for_whom_section(res: ComparisonResult) -> str:
    """The paired difference for the weakest, middle and strongest thirds (and other traits)."""
    from sim import plots

    split = res.data.get("for_whom")
    if not split:
        return ""
    frame = for_whom_frame(split)
    if frame.empty or frame["difference"].isna().all():
        return ""
    metric = str(split["metric"])
    unit = _UNIT.get(metric_kind(metric), "")
    ax = plots.for_whom(frame, unit=unit)
    return (
        "<h2 id='for-whom'>For whom is it worth it?</h2>"
        "<p class='caption'>The same comparison within groups of players: the weakest, middle "
        "and strongest thirds by skill (and any other recorded trait). Each point is the "
        f"difference of medians in {html.escape(what(metric))}, with its paired 95% interval; "
        "left of zero means sooner.</p>"
        + img(ax, f"Difference of medians in {what(metric)} by group of players")
        + table(
            frame,
            {
                "comparison": "comparison",
                "trait": "trait",
                "group": "group",
                "pairs": "pairs",
                "difference": f"difference ({unit})",
                "lo": "95% CI low",
                "hi": "95% CI high",
            },
        )
    )


def progression_section(res: ComparisonResult) -> str:
    """Level against play time, the paired level difference, the share at the key level."""
    from sim import plots

    names = res.strategies
    parts = ["<h2 id='progression'>Progression over play time</h2>"]
    runs = {s: res.run_table(s, "trajectories", _LEVELS) for s in names}
    if any(len(t) for t in runs.values()):
        qs = np.array([0.1, 0.5, 0.9])
        fans = {s: quantiles_by_time(t, "level", qs) for s, t in runs.items() if len(t)}
        caption = "Level against hours played: median line, 10–90% band"
        parts.append(img(plots.progression_fans(fans), caption))
        for b in names[1:]:
            diff = paired_trajectory_difference(runs[names[0]], runs[b])
            ax = plots.paired_difference(diff, label=f"{b} − {names[0]}")
            parts.append(
                img(
                    ax,
                    f"Level of {b} minus level of {names[0]} for the same player, over play time",
                )
            )
    reps = res.replications
    metric = _key_metric(res)
    level = level_of_column(metric) if metric else None
    if len(reps) and metric and level is not None:
        ax = plots.survival(survival_table(reps, level), level=level)
        parts.append(img(ax, f"Share of players at level {level} by hours played (95% band)"))
        parts.append(
            img(plots.deaths_and_losses(reps), "Deaths and runes lost for good, one dot per player")
        )
    return "\n".join(parts)


def _farm_levels(res: ComparisonResult) -> pd.DataFrame:
    """Median level of the players when they started farming, per run and spot."""
    found = []
    for s in res.strategies:  # run by run: only the farming starts and the levels are read
        ev = res.compared_events(s)
        starts = ev[ev["event"] == "farm_start"][["replication", "hours", "detail"]]
        traj = res.run_table(s, "trajectories", _LEVELS)
        if starts.empty or traj.empty:
            continue
        found.append(_level_when(starts, traj).assign(scenario=s))
    if not found:
        return pd.DataFrame(columns=["scenario", "source", "level_at_start"])
    return (
        pd.concat(found, ignore_index=True)
        .groupby(["scenario", "detail"])["level"]
        .median()
        .reset_index()
        .rename(columns={"detail": "source", "level": "level_at_start"})
    )


# what the sources section reads of the income: its sums per source
_SOURCE_KEYS = ("source_kind", "source", "zone", "region", "tier")


def _level_when(starts: pd.DataFrame, traj: pd.DataFrame) -> pd.DataFrame:
    """``starts`` with the ``level`` of its replication at its hour: the last recorded at or
    before it (NaN if none)."""
    grid = as_grid(traj, "level")
    if grid is None:  # not on one grid: matched by sorting
        return pd.merge_asof(
            starts.sort_values("hours"),
            traj.sort_values("hours"),
            on="hours",
            by="replication",
            direction="backward",
        )
    ids, hours, levels = grid
    reps = starts["replication"].to_numpy()
    row = np.minimum(np.searchsorted(ids, reps), ids.size - 1)
    col = np.searchsorted(hours, starts["hours"].to_numpy(float), side="right") - 1
    ok = (ids[row] == reps) & (col >= 0)
    return starts.assign(level=np.where(ok, levels[row, np.maximum(col, 0)], np.nan))


def _income_cells(res: ComparisonResult) -> pd.DataFrame:
    """Each run's income summed per source (kind, name, zone, region, tier), stacked with a
    ``scenario`` column: the sources section's sums and maxima are those of the rows."""
    from sim.analysis.survival import stack

    cells = {}
    for s in res.strategies:
        inc = res.run_table(s, "income")
        keys = [k for k in _SOURCE_KEYS if k in inc]
        sums = [c for c in ("count", "runes") if c in inc]
        cells[s] = inc.groupby(keys, sort=False, dropna=False, as_index=False)[sums].sum()
    return stack(cells)


def sources_section(res: ComparisonResult) -> str:
    """Where runes come from: by source, bosses by region, farming spots, invasion zones."""
    from sim import plots

    inc, act = _income_cells(res), res.activity
    if not len(inc):
        return ""
    parts = ["<h2 id='sources'>Where runes come from</h2>"]
    by_source = sources.income_by_source(inc, act)
    parts.append(img(plots.income_by_source(by_source), "Runes per playthrough by source"))
    parts.append(
        table(
            by_source,
            {
                "scenario": "strategy",
                "source_kind": "source",
                "per_replication": "runes per playthrough",
                "share": "share",
                "runes_per_hour": "runes per hour",
            },
        )
    )
    parts += ["<h3>Boss runes by region</h3>", table(sources.boss_runes_by_region(inc))]
    farms = sources.farm_rates(inc, act)
    if len(farms):
        levels = _farm_levels(res)
        if len(levels):
            farms = farms.merge(levels, on=["scenario", "source"], how="left")
        parts += [
            "<h3>Farming spots, at the player's level</h3>",
            "<p class='caption'>Runes per hour actually earned by the simulated players while "
            "farming, at the level they had when they started. A player below a spot's level "
            "kills more slowly (each loop takes longer as the level gap grows), so these rates "
            "are lower than the spot's rate for a player at its level, which "
            "<code>runesim data farms</code> lists.</p>",
            table(
                farms,
                {
                    "scenario": "strategy",
                    "source": "spot",
                    "zone": "zone",
                    "level_at_start": "median level when farming began",
                    "hours": "hours farmed",
                    "runes": "runes",
                    "runes_per_hour": "runes per hour",
                },
            ),
        ]
    inv = sources.invasion_zone_rates(act)
    if len(inv) and inv["invasions"].sum() > 0:
        parts += [
            "<h3>Invasion-prone zones against the rest</h3>",
            "<p class='caption'>Per hour spent in zones where invaders come, against the rest "
            "of the world; net = earned − lost for good.</p>",
            table(inv),
        ]
    return "\n".join(parts)
