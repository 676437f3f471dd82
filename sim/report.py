"""A self-contained HTML report of stored runs or a comparison: tables, plots and claims.

Everything is in the one file: plots are PNG images embedded as base64 ``data:``
URIs, the style sheet is inline, and nothing refers to a network resource, so the
report opens anywhere and can be archived with its run. Each interval comes with
one plain sentence saying what it means.
"""

from __future__ import annotations

import base64
import html
import io
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis import sources
from sim.analysis.claims.html import claims_html
from sim.analysis.compare import COMPARISON_FILE, ComparisonResult, analyse, load_comparison
from sim.analysis.paired import metric_kind, paired_trajectory_difference
from sim.analysis.survival import survival_table

__all__ = ["write_report", "render_report", "explain_interval", "explain_diff"]

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
h1,h2,h3{font-weight:600} table{border-collapse:collapse;margin:.5em 0 1em;font-size:.9em}
td,th{border:1px solid #ccc;padding:.25em .5em;text-align:right} th{background:#f3f3f3}
td:first-child,th:first-child{text-align:left} .means{color:#555;font-size:.85em;text-align:left}
.verdict{text-align:left} img{max-width:100%} pre{background:#f7f7f7;padding:.5em;overflow:auto;font-size:.8em}
.supported{color:#1a7f37} .not{color:#b42318}
"""

_UNIT = {"hours": "hours", "levels": "levels", "deaths": "deaths", "runes": "runes", "count": ""}


def _what(metric: str) -> str:
    if metric.startswith("hours_to_level_"):
        return f"hours to reach level {metric.removeprefix('hours_to_level_')}"
    if metric.startswith("level_at_hours_"):
        return f"level after {metric.removeprefix('level_at_hours_')} hours of play"
    return {
        "finish_hours": "hours to finish the game",
        "deaths": "deaths",
        "runes_earned": "runes earned",
        "runes_lost": "runes lost for good",
    }.get(metric, metric.replace("_", " "))


def _n(x: Any, kind: str = "hours") -> str:
    if x is None:
        return "–"
    return f"{x:,.0f}" if kind in ("runes", "count") else f"{x:,.1f}"


def explain_interval(metric: str, name: str, d: dict) -> str:
    """One sentence on what a strategy's 95% interval of ``metric`` means."""
    kind = metric_kind(metric)
    lo, hi = d.get("ci95") or [None, None]
    what = _what(metric)
    if kind == "hours":
        if d.get("median") is None:
            return (
                f"Fewer than half of the {name} players got there within the horizon "
                f"({(d.get('reached') or 0):.0%} did), so the median is not known; the mean is "
                f"the expected hours before the horizon."
            )
        return (
            f"The typical {name} player's {what} (the median, counting those who never got "
            f"there as taking longer) lies between {_n(lo)} and {_n(hi)} with 95% confidence."
        )
    if lo is None or hi is None:
        return f"Too few {name} replications to bound the average {what}."
    return (
        f"The average {what} over all {name} players lies between {_n(lo, kind)} and "
        f"{_n(hi, kind)} {_UNIT[kind]} with 95% confidence; single players vary more (see p10–p90)."
    )


def explain_diff(metric: str, diff: dict) -> str:
    """One sentence on what the paired interval of ``metric`` means."""
    b, a = diff["of"]
    kind = metric_kind(metric)
    lo, hi = diff.get("ci95") or [None, None]
    if lo is None or hi is None:
        return f"The runs are too small to bound the difference in {_what(metric)}."
    return (
        f"The same player (same skill and luck) taking {b} instead of {a} changes the {_what(metric)} "
        f"by between {_n(lo, kind)} and {_n(hi, kind)} {_UNIT[kind]} on average, with 95% confidence."
    )


def _png(ax) -> str:
    fig = ax.figure
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png", dpi=90)
    import matplotlib.pyplot as plt

    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _img(ax, caption: str) -> str:
    return f'<figure><img alt="{html.escape(caption)}" src="{_png(ax)}"><figcaption>{html.escape(caption)}</figcaption></figure>'


def _table(frame: pd.DataFrame, floats: str = "{:,.1f}") -> str:
    return frame.to_html(
        index=False, escape=True, na_rep="–", float_format=lambda x: floats.format(x), border=0
    )


def _result(source: Any) -> ComparisonResult:
    if isinstance(source, ComparisonResult):
        return source
    if isinstance(source, str | Path):
        p = Path(source)
        if (p / COMPARISON_FILE).is_file():
            return load_comparison(p)
        return analyse({_run_name(p): p})
    dirs = [Path(p) for p in source]
    return analyse({_run_name(p): p for p in dirs})


def _run_name(run_dir: Path) -> str:
    from sim.store import read_manifest

    try:
        m = read_manifest(run_dir)
        return str(m.get("scenario_name") or m["scenario"]["name"])
    except (FileNotFoundError, KeyError):
        return run_dir.name


def _metrics_section(data: dict) -> str:
    names = data["strategies"]
    out = ["<h2>Key metrics</h2>", "<p>Median [10th–90th percentile] per strategy; "]
    out.append(
        "times to a level use Kaplan–Meier estimates, so players who had not got there by the horizon "
        "count as slower rather than being dropped. Differences are paired: replication k of every "
        "strategy shares its seed, hence its player's skill and luck.</p>"
    )
    head = "".join(f"<th>{html.escape(s)}</th><th>reached</th>" for s in names)
    diff_head = "<th>mean difference (95% CI)</th><th>verdict</th>" if len(names) > 1 else ""
    rows = [f"<table><tr><th>metric</th>{head}{diff_head}</tr>"]
    for metric, m in data["metrics"].items():
        kind = metric_kind(metric)
        cells = []
        for s in names:
            d = m.get(s) or {}
            r = d.get("reached")
            cells.append(
                f"<td>{_n(d.get('median'), kind)} [{_n(d.get('p10'), kind)}–{_n(d.get('p90'), kind)}]</td>"
                f"<td>{'–' if r is None else f'{r:.0%}'}</td>"
            )
        diffs = m.get("diffs") or ([m["diff"]] if "diff" in m else [])
        dcell = ""
        if len(names) > 1:
            dcell = (
                "<td>"
                + "<br>".join(
                    f"{html.escape(d['of'][0])}: {_n(d.get('mean'), kind)} ({_n(d['ci95'][0], kind)} to {_n(d['ci95'][1], kind)})"
                    for d in diffs
                )
                + "</td><td class='verdict'>"
                + "<br>".join(html.escape(d["verdict"]) for d in diffs)
                + "</td>"
            )
        rows.append(f"<tr><td>{html.escape(_what(metric))}</td>{''.join(cells)}{dcell}</tr>")
        means = [explain_interval(metric, s, m[s]) for s in names if s in m]
        means += [explain_diff(metric, d) for d in diffs]
        span = 1 + 2 * len(names) + (2 if len(names) > 1 else 0)
        rows.append(
            f"<tr><td class='means' colspan='{span}'>{'<br>'.join(html.escape(t) for t in means)}</td></tr>"
        )
    rows.append("</table>")
    return "\n".join(out + rows)


def _plots_section(res: ComparisonResult) -> str:
    from sim import plots

    names = res.strategies
    parts = ["<h2>Plots</h2>"]
    traj = res.trajectories
    if len(traj):
        parts.append(
            _img(plots.progression(traj), "Level against hours played: median and 10–90% band")
        )
        for b in names[1:]:
            diff = paired_trajectory_difference(
                traj[traj["scenario"] == names[0]], traj[traj["scenario"] == b]
            )
            ax = plots.paired_difference(diff, label=f"{b} − {names[0]}")
            parts.append(_img(ax, f"Paired level difference {b} − {names[0]} over play time"))
    reps = res.replications
    levels = [
        int(c.removeprefix("hours_to_level_"))
        for c in reps.columns
        if c.startswith("hours_to_level_")
    ]
    if len(reps) and levels:
        level = 80 if 80 in levels else levels[len(levels) // 2]
        ax = plots.survival(survival_table(reps, level), level=level)
        parts.append(
            _img(ax, f"Share of players at level {level} by hours played (Kaplan–Meier, 95% band)")
        )
        parts.append(
            _img(plots.deaths_and_losses(reps), "Deaths and runes lost for good, per replication")
        )
    inc, act = res.income, res.activity
    if len(inc):
        parts.append(
            _img(
                plots.income_by_source(sources.income_by_source(inc, act)),
                "Runes per playthrough by source",
            )
        )
        tiers = sources.runes_per_kill_by_tier(inc.drop(columns="scenario"))
        parts.append(_img(plots.runes_per_kill(tiers), "Runes per enemy kill by zone tier"))
    return "\n".join(parts)


def _sources_section(res: ComparisonResult) -> str:
    inc, act = res.income, res.activity
    if not len(inc):
        return ""
    parts = ["<h2>Where runes come from</h2>"]
    by_source = sources.income_by_source(inc, act)
    by_source["share"] = by_source["share"] * 100
    parts += ["<h3>By source (share in %)</h3>", _table(by_source)]
    parts += ["<h3>Boss runes by region</h3>", _table(sources.boss_runes_by_region(inc), "{:,.0f}")]
    farms = sources.farm_rates(inc, act)
    if len(farms):
        parts += ["<h3>Farming spots</h3>", _table(farms, "{:,.0f}")]
    parts += [
        "<h3>Invasion-prone zones against the rest (net = earned − lost)</h3>",
        _table(sources.invasion_zone_rates(act), "{:,.2f}"),
    ]
    return "\n".join(parts)


def _provenance_section(res: ComparisonResult) -> str:
    parts = ["<h2>What was run</h2>"]
    data = res.data
    parts.append(
        f"<p>Seed {html.escape(str(data.get('seed')))}, {data.get('pairs')} paired replications"
        f"{'' if len(res.strategies) > 1 else ''}.</p>"
    )
    prec = data.get("precision")
    if prec:
        parts.append(
            f"<p>Precision: target relative error {prec['target_error']}, achieved "
            f"{_n(prec.get('achieved_error') and prec['achieved_error'] * 100)}% after n = {prec['n']} "
            f"({html.escape(prec['stopped'])}); rule: {html.escape(prec['rule'])}.</p>"
        )
    for name, m in res.manifests().items():
        versions = ", ".join(f"{k} {v}" for k, v in (m.get("versions") or {}).items())
        parts.append(f"<h3>{html.escape(name)}</h3><p>versions: {html.escape(versions)}</p>")
        parts.append(
            "<details><summary>resolved scenario</summary><pre>"
            + html.escape(json.dumps(m.get("scenario"), indent=2))
            + "</pre></details>"
        )
    return "\n".join(parts)


def render_report(source: Any) -> str:
    """The report's HTML text for a ComparisonResult, a comparison directory or run directories
    (or a ranking or route-search directory: ``sim.experiments.report``)."""
    from sim.experiments.report import experiment_sections

    when = datetime.now(UTC).isoformat(timespec="seconds")
    if (section := experiment_sections(source)) is not None:
        title = "runesim: which route is best"
        body = [f"<h1>{title}</h1><p>Generated {when}.</p>", section]
    else:
        res = _result(source)
        title = "runesim: " + " vs ".join(res.strategies)
        body = [
            f"<h1>{html.escape(title)}</h1><p>Generated {when}.</p>",
            _metrics_section(res.data),
            _plots_section(res),
            claims_html(res.claims),
            _sources_section(res),
            _provenance_section(res),
        ]
        body.insert(-1, __import__("sim.experiments.how_sure", fromlist=["x"]).how_sure_section(res))
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"
        + "\n".join(body)
        + "</body></html>\n"
    )


def write_report(run_dirs_or_comparison: Any, out_path: Path | str) -> Path:
    """Write the self-contained ``report.html`` for runs or a comparison (atomically)."""
    from sim.store import atomic_write_text

    if isinstance(run_dirs_or_comparison, Sequence) and not isinstance(run_dirs_or_comparison, str):
        run_dirs_or_comparison = [Path(p) for p in run_dirs_or_comparison]
    return atomic_write_text(Path(out_path), render_report(run_dirs_or_comparison))
