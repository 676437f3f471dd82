"""Report sections for rankings and route searches: HTML text, plots embedded as PNG.

``experiment_sections(source)`` returns the HTML of a stored ranking
(``rank.json``) or route search (``optimize.json``), or ``None`` for anything
else; ``sim.report.render_report`` calls it, so ``runesim report DIR`` works on
their directories too.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = [
    "experiment_sections",
    "rank_section",
    "optimize_section",
    "write_convergence_png",
    "rank_table",
]

RANK_FILE = "rank.json"
OPTIMIZE_FILE = "optimize.json"


def _load(source: Any) -> tuple[str, dict] | None:
    if isinstance(source, dict):
        return ("optimize" if "objective" in source else "rank"), source
    if isinstance(source, str | Path):
        p = Path(source)
        for kind, name in (("rank", RANK_FILE), ("optimize", OPTIMIZE_FILE)):
            if (p / name).is_file():
                return kind, json.loads((p / name).read_text(encoding="utf-8"))
    return None


def _f(x: float | None) -> str:
    return "–" if x is None else f"{x:,.2f}"


def rank_table(data: dict) -> pd.DataFrame:
    """The ranking of a ``rank.json`` as a frame (one row per route, best first)."""
    rows = []
    for r in data["ranking"]:
        lo, hi = r["diff_vs_best"]["ci95"]
        rows.append(
            {
                "rank": r["rank"],
                "scenario": r["scenario"],
                "median": r["median"],
                "diff_vs_best": r["diff_vs_best"]["mean"],
                "ci95_low": lo,
                "ci95_high": hi,
                "equivalent_to_best": r["equivalent_to_best"],
                "replications": r["replications"],
                "culled": r["culled"],
                "censored": r.get("censored", 0),
            }
        )
    return pd.DataFrame(rows)


def rank_section(data: dict) -> str:
    """The ranking table with paired intervals, the equivalence group and the guarantee."""
    from sim.experiments.plots import ranking_intervals
    from sim.plots import figure_html as _img

    rows = []
    for r in data["ranking"]:
        lo, hi = r["diff_vs_best"]["ci95"]
        ci = "best" if r["rank"] == 1 else f"{r['diff_vs_best']['mean']:+,.2f} [{_f(lo)}, {_f(hi)}]"
        eq = "yes" if r["equivalent_to_best"] else "no"
        if r.get("tied_with"):
            eq += f", same as {html.escape(r['tied_with'])}"
        culled = f"culled at {r['culled_at']}" if r["culled"] else "kept"
        rows.append(
            f"<tr><td>{r['rank']}. {html.escape(r['scenario'])}</td><td>{_f(r['median'])}</td>"
            f"<td>{ci}</td><td>{r['replications']}</td><td>{eq}</td><td>{culled}</td></tr>"
        )
    p = data["procedure"]
    table = rank_table(data)
    plot = _img(
        ranking_intervals(table, metric=data["metric"], epsilon=data["epsilon"]),
        "Paired difference from the best route, with its 95% interval; green: equivalent within "
        "the zone.",
    )
    return (
        f"<h2>Ranking on {html.escape(data['metric'])} ({html.escape(data['direction'])})</h2>"
        "<table><tr><th>route</th><th>median</th><th>paired difference from the best, mean [95% "
        f"CI]</th><th>replications</th><th>within {data['epsilon']:g} of the "
        f"best</th><th>procedure</th></tr>" + "".join(rows) + "</table>"
        f"<p>{html.escape(data['guarantee'])}</p>"
        + (f"<p>{html.escape(data['censoring'])}</p>" if data.get("censoring") else "")
        + f"<p class='means'>{html.escape(p['name'])}: first stage {p['n0']} replications, h² = "
        f"{p['h2']:.2f}, stopped: {html.escape(p['stop'])}; {p['replications_total']} replications "
        f"in all (every route to --max-n would have taken {p['replications_if_all_to_max_n']}). "
        "Replication k of every route shares its random streams (common random numbers).</p>" + plot
    )


def optimize_section(data: dict, trials: pd.DataFrame | None = None) -> str:
    """The search's best route as a list of steps, its comparisons on fresh seeds, convergence."""
    from sim.experiments.plots import convergence
    from sim.plots import figure_html as _img

    best = data.get("best") or {}
    steps = "".join(f"<li><code>{html.escape(s)}</code></li>" for s in best.get("route", []))
    rows = "".join(
        f"<tr><td>{html.escape(name)}</td><td>{_f(v.get('diff'))}</td>"
        f"<td>[{_f((v.get('ci95') or [None, None])[0])}, "
        f"{_f((v.get('ci95') or [None, None])[1])}]</td>"
        f"<td class='verdict'>{html.escape(v.get('verdict', ''))}</td></tr>"
        for name, v in (data.get("against") or {}).items()
    )
    obj = data["objective"]
    lo, hi = best.get("ci95") or [None, None]
    parts = [
        f"<h2>Route search: {html.escape(obj['statistic'])} {html.escape(obj['metric'])} "
        f"({html.escape(obj['direction'])})</h2>",
        f"<p>{data['trials']} candidates tried, {data['pruned']} pruned "
        f"({data.get('infeasible', 0)} failed the world's access rules before any simulation). "
        f"Best value on the selection seeds: {_f(best.get('value'))} (95% CI {_f(lo)}–{_f(hi)})"
        + (f", for players {html.escape(data['players'])}" if data.get("players") else "")
        + ".</p>",
        f"<h3>Best route</h3><ol>{steps}</ol>",
        "<h3>Against other routes on fresh seeds</h3><p class='means'>Paired differences best − "
        "other on seeds the search never saw, so the winner's luck on its own seeds does not "
        "flatter it.</p><table><tr><th>against</th><th>mean difference</th><th>95% CI</th>"
        f"<th>verdict</th></tr>{rows}</table>",
    ]
    if trials is not None and len(trials):
        parts.append(
            _img(
                convergence(trials, objective=obj["metric"]), "Objective per trial and best so far."
            )
        )
    return "\n".join(parts)


def experiment_sections(source: Any) -> str | None:
    """The HTML sections for a ranking or route-search directory (or its JSON); None otherwise."""
    hit = _load(source)
    if hit is None:
        return None
    kind, data = hit
    if kind == "rank":
        return rank_section(data)
    trials = None
    if isinstance(source, str | Path) and (Path(source) / "trials.csv").is_file():
        trials = pd.read_csv(Path(source) / "trials.csv")
    return optimize_section(data, trials)


def write_convergence_png(out: Path | str) -> Path | None:
    """``DIR/convergence.png`` of a stored route search (None if it has no trials)."""
    from sim.experiments.plots import convergence
    from sim.plots import png_bytes
    from sim.store import atomic_write_bytes

    out = Path(out)
    if not (out / "trials.csv").is_file() or not (out / OPTIMIZE_FILE).is_file():
        return None
    trials = pd.read_csv(out / "trials.csv")
    if trials.empty:
        return None
    metric = json.loads((out / OPTIMIZE_FILE).read_text(encoding="utf-8"))["objective"]["metric"]
    ax = convergence(trials, objective=metric)
    return atomic_write_bytes(out / "convergence.png", png_bytes(ax, tight=False))
