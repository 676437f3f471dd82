"""A self-contained HTML report of stored runs or a comparison: the answer first, then the detail.

Everything is in the one file: plots are PNG images embedded as base64 ``data:``
URIs, the style sheet is inline, and nothing refers to a network resource, so the
report opens anywhere, prints, and can be archived with its run. It opens on a
summary box with the headline (``sim.analysis.headline``), then a table of
contents built from the sections' ``<h2 id=…>`` headings.

**Adding a section**: write a function ``(ComparisonResult) -> str`` returning HTML
that starts with ``<h2 id="anchor">Title</h2>`` (or "" to leave it out), and add it to
``SECTIONS`` below in one line. The table of contents picks it up.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sim.analysis.claims.html import claims_html
from sim.analysis.paired import metric_kind
from sim.experiments.comparison import (
    COMPARISON_FILE,
    ComparisonResult,
    analyse,
    load_comparison,
    worker_result,
)
from sim.report_metrics import metrics_section
from sim.report_sections import (
    distribution_section,
    for_whom_section,
    num,
    progression_section,
    sources_section,
    summary_box,
    what,
)

__all__ = [
    "write_report",
    "render_report",
    "explain_interval",
    "explain_diff",
    "SECTIONS",
    "ASIDE",
]

_CSS = """
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:1180px;margin:0 auto;\
padding:1em 1.5em;color:#1f2328;line-height:1.45}
h1{font-size:1.6em;margin:.3em 0} h2{margin-top:1.8em;border-bottom:1px solid #d0d7de;\
padding-bottom:.2em} h1,h2,h3{font-weight:600}
.summary{background:#eef6ff;border:1px solid #9cc3f5;border-left:6px solid #1f6feb;\
border-radius:6px;padding:.8em 1.2em;margin:.8em 0}
.summary .label{margin:0;font-size:.8em;text-transform:uppercase;letter-spacing:.05em;\
color:#1f6feb;font-weight:600}
.summary .headline{font-size:1.25em;margin:.3em 0 .5em;font-weight:500}
.summary .meta,.dim,.caption,figcaption{color:#57606a;font-size:.88em}
.cards{display:flex;gap:.8em;flex-wrap:wrap;margin:.4em 0 .6em}
.card{flex:1 1 15em;background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:.5em .8em}
.card .big{font-size:1.5em;font-weight:600} .card .vs{font-size:.6em;color:#57606a;font-weight:400}
nav.toc{font-size:.92em} nav.toc ol{columns:2;margin:.3em 0}
table{border-collapse:collapse;margin:.5em 0 1em;font-size:.86em;max-width:100%}
td,th{border:1px solid #d0d7de;padding:.3em .5em;text-align:right;vertical-align:top} \
th{background:#f6f8fa}
td:first-child,th:first-child{text-align:left} td.verdict,th.wide{text-align:left;min-width:16em}
td.note{color:#57606a;font-style:italic} .scroll{max-width:100%;overflow-x:auto} \
.means{color:#57606a;font-size:.85em;text-align:left}
figure{margin:1em 0} img{max-width:100%;height:auto;display:block}
pre{background:#f6f8fa;padding:.5em;overflow:auto;font-size:.8em;white-space:pre-wrap}
.supported{color:#1a7f37} .not{color:#b42318} .warn{color:#9a6700;font-weight:600}
@media print{body{max-width:none;padding:0} nav.toc{display:none} \
figure,table,.summary{break-inside:avoid}
 h2{break-after:avoid} .scroll{overflow:visible} details{display:none}}
"""

_UNIT = {
    "hours": "hours",
    "levels": "levels",
    "deaths": "deaths",
    "runes": "runes",
    "count": "",
    "share": "",
}


def explain_interval(metric: str, name: str, d: dict) -> str:
    """One sentence on what a strategy's 95% interval of ``metric`` (of its median) means."""
    kind = metric_kind(metric)
    lo, hi = d.get("ci95") or [None, None]
    if d.get("share") is not None:
        slo, shi = d.get("share_ci95") or [None, None]
        if slo is None or shi is None:
            return f"{d['share']:.0%} of the {name} players: {what(metric)}."
        return (
            f"The share of {name} players with '{what(metric)}' lies between {slo:.0%} and "
            f"{shi:.0%} with 95% confidence."
        )
    if d.get("median") is None:
        return (
            f"Fewer than half of the {name} players got there ({(d.get('reached') or 0):.0%} "
            "did), so neither a median nor a mean is given."
        )
    if lo is None or hi is None:
        return f"Too few {name} replications to bound the typical {what(metric)}."
    return (
        f"The typical {name} player's {what(metric)} (the median) lies between {num(lo, kind)} "
        f"and {num(hi, kind)} {_UNIT[kind]} with 95% confidence."
    )


def explain_diff(metric: str, diff: dict) -> str:
    """One sentence on what the paired interval of the difference of medians means."""
    b, a = diff["of"]
    kind = metric_kind(metric)
    slo, shi = diff.get("difference_of_shares_ci95") or [None, None]
    if slo is not None and shi is not None:
        return (
            f"For the same players, the share with '{what(metric)}' of {b} minus that of {a} "
            f"lies between {100 * slo:+.1f} and {100 * shi:+.1f} percentage points, with 95% "
            "confidence."
        )
    lo, hi = diff.get("difference_of_medians_ci95") or [None, None]
    if lo is None or hi is None:
        return f"No paired interval for the {what(metric)}: {diff.get('verdict', '')}."
    return (
        f"For the same players, the median {what(metric)} of {b} minus that of {a} lies between "
        f"{num(lo, kind)} and {num(hi, kind)} {_UNIT[kind]}, with 95% confidence."
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


def _provenance_section(res: ComparisonResult) -> str:
    parts = ["<h2 id='provenance'>What was run</h2>"]
    data = res.data
    parts.append(
        f"<p>Seed {html.escape(str(data.get('seed')))}, {data.get('pairs'):,} "
        f"{'paired replications per strategy' if len(res.strategies) > 1 else 'replications'}.</p>"
    )
    prec = data.get("precision")
    if prec:
        if not prec.get("met", True):
            parts.append(
                "<p class='warn'>The precision target was not met: intervals are wider than "
                "asked for.</p>"
            )
        parts.append(
            f"<p>Precision: target relative error {prec['target_error']}, achieved "
            f"{num(prec.get('achieved_error') and prec['achieved_error'] * 100)}% after n = "
            f"{prec['n']} ({html.escape(prec['stopped'])}); rule: {html.escape(prec['rule'])}.</p>"
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


def _title(res: ComparisonResult) -> str:
    names = res.strategies
    if len(names) == 2:
        return f"Is {names[1]} worth it? {names[1]} against {names[0]}"
    return "runesim: " + " vs ".join(names)


def _toc(body: str) -> str:
    items = re.findall(r"<h2 id=['\"]([^'\"]+)['\"]>(.*?)</h2>", body)
    links = "".join(f"<li><a href='#{a}'>{t}</a></li>" for a, t in items)
    return f"<nav class='toc'><b>Contents</b><ol>{links}</ol></nav>"


def _claims(res: ComparisonResult) -> str:
    return claims_html(res.claims)


def _how_sure(res: ComparisonResult) -> str:
    from sim.experiments.how_sure import how_sure_section

    return how_sure_section(res)


# the report's sections in order, one line each: (ComparisonResult) -> HTML or ""
SECTIONS: list[Callable[[ComparisonResult], str]] = [
    distribution_section,
    for_whom_section,
    metrics_section,
    progression_section,
    _claims,
    sources_section,
    _how_sure,
    _provenance_section,
]


def render_report(source: Any, *, pool: Executor | None = None) -> str:
    """The report's HTML text for a ComparisonResult, a comparison directory or run directories
    (or a ranking or route-search directory: ``sim.experiments.report``). ``pool``: a process
    (``sim.experiments.side``) drawing the sections ``ASIDE`` while this one draws the rest."""
    from sim.experiments.report import experiment_sections

    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    if (section := experiment_sections(source)) is not None:
        return _page("runesim: which route is best", "", section, when)
    res = _result(source)
    aside: dict[Callable[[ComparisonResult], str], Future[str]] = {}
    if pool is not None:
        for s in SECTIONS:
            if s in ASIDE:
                aside[s] = pool.submit(section_in_worker, res.run_dirs, res.data, s.__name__)
    drawn = {s: s(res) for s in SECTIONS if s not in aside}
    parts = (aside[s].result() if s in aside else drawn[s] for s in SECTIONS)
    body = _anchored("\n".join(part for part in parts if part))
    return _page(_title(res), summary_box(res), body, when)


# the sections a side process draws (``render_report(..., pool=)``): those on the largest
# tables, which the worker read for the claims, and the first one
ASIDE = (sources_section, distribution_section)


def section_in_worker(run_dirs: dict[str, Path], data: dict[str, Any], name: str) -> str:
    """Section ``name`` of ``ASIDE`` for the runs compared in ``data``, drawn in the worker."""
    res = worker_result(run_dirs)
    res.data = data
    return next(s for s in ASIDE if s.__name__ == name)(res)


def _anchored(body: str) -> str:
    """Give every ``<h2>`` without an id one made from its title, so the contents link to it."""

    def add_id(m: re.Match) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", re.sub(r"<[^>]+>", "", m.group(1)).lower()).strip("-")
        return f"<h2 id='{slug or 'section'}'>{m.group(1)}</h2>"

    return re.sub(r"<h2>(.*?)</h2>", add_id, body)


def _page(title: str, summary: str, body: str, when: str) -> str:
    """The whole document: title, summary box, contents, sections, footer."""
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>"
        + summary
        + _toc(body)
        + body
        + f"<p class='dim'>Generated {when} by runesim.</p></body></html>\n"
    )


def write_report(
    run_dirs_or_comparison: Any, out_path: Path | str, *, pool: Executor | None = None
) -> Path:
    """Write the self-contained ``report.html`` for runs or a comparison (atomically).
    ``pool``: see ``render_report``."""
    from sim.store import atomic_write_text

    if isinstance(run_dirs_or_comparison, Sequence) and not isinstance(run_dirs_or_comparison, str):
        run_dirs_or_comparison = [Path(p) for p in run_dirs_or_comparison]
    return atomic_write_text(Path(out_path), render_report(run_dirs_or_comparison, pool=pool))
