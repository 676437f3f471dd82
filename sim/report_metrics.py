"""The report's table of every metric: each strategy's median (a 0/1 metric's share), the paired
difference against the first and the verdict."""

from __future__ import annotations

import html

from sim.analysis.paired import metric_kind
from sim.experiments.comparison import ComparisonResult
from sim.report_sections import num, what

__all__ = ["metrics_section"]


def _cell(d: dict, kind: str) -> str:
    if not d:
        return "<td>–</td>"
    if d.get("share") is not None:
        return _share_cells(d, diff=False)
    if d.get("median") is None:
        note = d.get("note") or f"— ({(d.get('reached') or 0):.0%} reached)"
        return f"<td class='note'>{html.escape(note)}</td>"
    r = d.get("reached")
    tail = "" if r is None or r >= 0.995 else f" <span class='dim'>({r:.0%} reached)</span>"
    return (
        f"<td>{num(d['median'], kind)}<br><span class='dim'>{num(d.get('p10'), kind)}–"
        f"{num(d.get('p90'), kind)}</span>{tail}</td>"
    )


def _share_cells(d: dict, diff: bool) -> str:
    """A 0/1 metric: the share of players (or the paired difference of shares, in percentage
    points) with its 95% interval below it."""
    key = "difference_of_shares" if diff else "share"
    v, (lo, hi) = d[key], d.get(f"{key}_ci95") or [None, None]
    text = f"{100 * v:+.1f} pp" if diff else f"{v:.0%}"
    if lo is not None and hi is not None:
        ci = f"{100 * lo:+.1f} to {100 * hi:+.1f}" if diff else f"95% CI {lo:.0%}–{hi:.0%}"
        text += f"<br><span class='dim'>{ci}</span>"
    return f"<td>{text}</td>"


def _diff_cell(d: dict, kind: str) -> str:
    if d.get("difference_of_shares") is not None:
        return _share_cells(d, diff=True)
    v = d.get("difference_of_medians")
    if v is None:
        return "<td>–</td>"
    lo, hi = d.get("difference_of_medians_ci95") or [None, None]
    sign = (
        (lambda x: f"{x:+,.0f}")
        if kind in ("runes", "deaths") or abs(v) >= 1000
        else (lambda x: f"{x:+.1f}")
    )
    ci = (
        "" if lo is None or hi is None else f"<br><span class='dim'>{sign(lo)} to {sign(hi)}</span>"
    )
    return f"<td>{sign(v)}{ci}</td>"


def metrics_section(res: ComparisonResult) -> str:
    """Every metric: median and p10–p90 per strategy, the paired difference and the verdict."""
    data = res.data
    names = data["strategies"]
    paired = len(names) > 1
    parts = ["<h2 id='metrics'>All metrics</h2>"]
    text = (
        "Each strategy's cell is the <b>median</b> (the typical player) with the 10th–90th "
        "percentile range of players below it. Times to a level use Kaplan–Meier estimates: "
        "players who had not got there by the horizon count as slower, never dropped; a "
        "milestone fewer than half reached shows only the share who did. "
    )
    if paired:
        text += (
            "The difference column is the <b>difference of the medians</b> with its paired "
            "95% interval below it: replication k of every strategy plays the same player "
            "(same skill and luck), so the pairs share their noise. The verdict is read on that "
            "interval and also gives the mean of the paired differences, labelled. "
        )
    text += "A yes/no metric (finished) shows the <b>share</b> of players, 95% CI below" + (
        "; its difference is of the shares, paired, in percentage points (pp)." if paired else "."
    )
    parts.append(f"<p class='caption'>{text}</p>")
    head = "".join(f"<th>{html.escape(s)}<br><span class='dim'>median</span></th>" for s in names)
    if paired:
        head += "".join(
            f"<th>{html.escape(b)} − {html.escape(names[0])}<br>"
            "<span class='dim'>difference of medians, 95% CI</span></th>"
            for b in names[1:]
        )
        head += "<th class='wide'>verdict</th>"
    rows = [f"<div class='scroll'><table class='metrics'><tr><th>metric</th>{head}</tr>"]
    for metric, m in data["metrics"].items():
        kind = metric_kind(metric)
        cells = "".join(_cell(m.get(s) or {}, kind) for s in names)
        if paired:
            diffs = m.get("diffs") or ([m["diff"]] if "diff" in m else [])
            by_b = {d["of"][0]: d for d in diffs}
            cells += "".join(_diff_cell(by_b.get(b) or {}, kind) for b in names[1:])
            verdicts = "<br>".join(
                (f"<b>{html.escape(d['of'][0])}</b>: " if len(diffs) > 1 else "")
                + html.escape(d["verdict"])
                for d in diffs
            )
            cells += f"<td class='verdict'>{verdicts}</td>"
        rows.append(f"<tr><td>{html.escape(what(metric))}</td>{cells}</tr>")
    rows.append("</table></div>")
    return "\n".join(parts + rows)
