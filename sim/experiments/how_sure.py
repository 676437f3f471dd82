"""The "How sure are we?" report section: luck against unknown inputs, and which unknown
drives the verdict. Shown when a comparison sampled its inputs (``compare --uncertainty
sample``) or a directory holds a sensitivity run (``sensitivity.json``)."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes

from sim.columns import is_hours_to_level

__all__ = ["how_sure_section", "write_sensitivity_report", "LUCK_TEXT", "INPUTS_TEXT"]

LUCK_TEXT = (
    "Luck is the spread between players and playthroughs at fixed inputs (skill, kill times, "
    "deaths, every roll of the dice): simulating more runs does not shrink it, and it is how far "
    "your own playthrough may land from the average."
)
INPUTS_TEXT = (
    "Unknown inputs are what runesim does not know about the game and its players (loop "
    "times, kill times, death risk, boss difficulty): more simulation does not shrink it, "
    "only better data does, and a verdict that holds across it holds whatever the true "
    "values are."
)


def _n(x: Any, digits: int = 1) -> str:
    return "–" if x is None else f"{x:,.{digits}f}"


def _pct(x: Any) -> str:
    return "–" if x is None else f"{x:.0%}"


def _img(ax: Axes, caption: str) -> str:
    from sim.experiments.sensitivity_plots import data_uri

    return (
        f'<figure><img alt="{html.escape(caption)}" src="{data_uri(ax)}">'
        f"<figcaption>{html.escape(caption)}</figcaption></figure>"
    )


def _uncertainty_part(u: dict) -> str:
    parts = [
        f"<h3>Luck against unknown inputs ({u['outer']} draws of {len(u['inputs'])} inputs, "
        f"{u['inner']} replications each)</h3>",
        f"<p>{html.escape(LUCK_TEXT)} {html.escape(INPUTS_TEXT)}</p>",
        "<table><tr><th>metric</th><th>of</th><th>mean</th><th>luck sd</th><th>inputs sd</th>"
        "<th>share from inputs</th><th>95% CI of the mean, both included</th>"
        "<th>10–90% over draws</th><th>verdict flips</th></tr>",
    ]
    bars = []
    for metric, m in u["metrics"].items():
        blocks = [(s, b) for s, b in m.items() if s not in ("diff", "diffs")]
        blocks += [
            (f"{d['of'][0]} − {d['of'][1]}", d)
            for d in (m.get("diffs") or [m["diff"]] if "diff" in m else [])
        ]
        for label, b in blocks:
            if b.get("luck_variance") is None:
                continue
            ci = b.get("ci95") or [None, None]
            parts.append(
                f"<tr><td>{html.escape(metric)}</td><td>{html.escape(label)}</td><td>{_n(b['mean'])}</td>"
                f"<td>{_n(b['luck_sd'])}</td><td>{_n(b['input_sd'])}</td><td>{_pct(b.get('input_share'))}</td>"
                f"<td>{_n(ci[0])} to {_n(ci[1])}</td><td>{_n(b.get('outer_p10'))} to "
                f"{_n(b.get('outer_p90'))}</td>"
                f"<td>{_pct(b.get('verdict_flip_share')) if 'verdict_flip_share' in b else ''}"
                "</td></tr>"
            )
            if "of" in b and is_hours_to_level(metric):
                bars.append((f"{metric}: {label}", b["luck_sd"], b["input_sd"]))
    parts.append("</table>")
    if bars:
        from sim.experiments.sensitivity_plots import variance_split

        parts.append(
            _img(
                variance_split(bars),
                "Share of the paired difference's variance: luck and unknown inputs",
            )
        )
    rows = "".join(
        f"<tr><td>{html.escape(i['name'])}</td><td>{_n(i['range'][0], 2)} – "
        f"{_n(i['range'][1], 2)}</td><td>{html.escape(i['kind'])}</td><td "
        f"class='verdict'>{html.escape(i['reason'])}</td></tr>"
        for i in u["inputs"]
    )
    parts.append(
        f"<table><tr><th>input</th><th>range</th><th>kind</th><th>reason</th></tr>{rows}</table>"
    )
    return "\n".join(parts)


def _sensitivity_part(s: dict) -> str:
    from sim.experiments.sensitivity_plots import indices_bars

    what = html.escape(s["metric"]) + (
        f" ({html.escape(str(s['against']))} − {html.escape(str(s['scenario']))})"
        if s.get("against")
        else ""
    )
    parts = [
        f"<h3>Which unknown drives {what}: {html.escape(s['method'])}, N = {s['samples']}, "
        f"{s['inner_replications']} replications per point ({s['playthroughs']:,} "
        "playthroughs)</h3>"
    ]
    if s.get("verdict"):
        parts.append(
            f"<p>As written: {html.escape(s['verdict']['as_written'])}. The verdict differs in "
            f"{_pct(s['verdict_flip_share'])} of the input space ({s['design_points']} points).</p>"
        )
    sobol = s["method"] == "sobol"
    head = "<th>S1 [95%]</th><th>ST [95%]</th>" if sobol else "<th>mu* [95%]</th><th>sigma</th>"
    rows = []
    for q in s["parameters"]:
        if sobol:
            cells = "".join(
                f"<td>{_n(q[k], 2)} [{_n(q[k + '_ci95'][0], 2)}, {_n(q[k + '_ci95'][1], 2)}]</td>"
                for k in ("S1", "ST")
            )
        else:
            cells = (
                f"<td>{_n(q['mu_star'], 2)} [{_n(q['mu_star_ci95'][0], 2)}, "
                f"{_n(q['mu_star_ci95'][1], 2)}]</td><td>{_n(q['sigma'], 2)}</td>"
            )
        rows.append(
            f"<tr><td>{html.escape(q['name'])}</td><td>{_n(q['range'][0], 2)} – "
            f"{_n(q['range'][1], 2)}</td>{cells}</tr>"
        )
    parts.append(f"<table><tr><th>input</th><th>range</th>{head}</tr>{''.join(rows)}</table>")
    parts.append(
        "<p>S1 is the share of the output's variance an input explains alone; ST adds its "
        "interactions with the others. An input whose ST interval reaches 0 can be fixed at any "
        "value in its range without changing the answer.</p>"
    )
    parts.append(_img(indices_bars(s["parameters"]), "Inputs ranked by their total index"))
    return "\n".join(parts)


def how_sure_section(res: Any) -> str:
    """The section's HTML for a comparison result (empty when no uncertainty was sampled)."""
    from sim.experiments.sensitivity import load_sensitivity

    data = getattr(res, "data", {}) or {}
    sens = load_sensitivity(res.out) if getattr(res, "out", None) is not None else None
    if "uncertainty" not in data and sens is None:
        return ""
    parts = ["<h2>How sure are we?</h2>"]
    if "uncertainty" in data:
        parts.append(_uncertainty_part(data["uncertainty"]))
    if sens is not None:
        parts.append(_sensitivity_part(sens))
    return "\n".join(parts)


def write_sensitivity_report(out: Path) -> Path:
    """``out/report.html`` for a sensitivity run: the section, the design, self-contained."""
    from types import SimpleNamespace

    from sim.store import atomic_write_text

    out = Path(out)
    when = datetime.now(UTC).isoformat(timespec="seconds")
    body = how_sure_section(SimpleNamespace(data={}, out=out))
    text = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>runesim: how sure are "
        "we?</title>"
        "<style>body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 "
        "1em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25em "
        ".5em;text-align:right}"
        "td:first-child,th:first-child,.verdict{text-align:left}img{max-width:100%}</style></head><body>"
        f"<h1>runesim sensitivity</h1><p>Generated {when}.</p>{body}</body></html>\n"
    )
    return atomic_write_text(out / "report.html", text)
