"""The claims as an HTML section (for report.html) and as a table (for notebooks)."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from sim.analysis.claims.core import Claim

__all__ = ["claims_html", "claims_table", "parts_table", "key_text", "INTRO"]

# a measured claim, or its JSON form (comparison.json, claims.json)
ClaimLike = Claim | Mapping[str, Any]

INTRO = (
    "A popular article makes five claims about where runes come from. Each is measured here as "
    "the article states it, split into its parts; every figure has a 95% interval (a bootstrap "
    "over playthroughs, or exact when the figure is a game constant). A part holds when its "
    "whole interval clears its threshold (sim/data/claims.toml); a claim is supported when every "
    "part holds, partly supported when its parts disagree, not supported when none holds, not "
    "measured when the runs hold no data for it."
)


def _get(c: ClaimLike, name: str, default: object = None) -> Any:
    return c.get(name, default) if isinstance(c, dict) else getattr(c, name, default)


def _num(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.2f}"


def key_text(c: ClaimLike) -> str:
    """The key figure with its interval: ``0.92 (95% CI 0.90-0.94)``, or ``(exact)`` for a game
    constant."""
    v = (_get(c, "figures") or {}).get("key")
    lo, hi = (list(_get(c, "ci95") or []) + [None, None])[:2]
    if v is None:
        return "–"
    if lo is None or hi is None:
        return f"{_num(v)} (no interval)"
    parts = _get(c, "parts") or []
    if parts and parts[0].get("exact"):
        return f"{_num(v)} (exact: game constants)"
    return f"{_num(v)} (95% CI {_num(lo)}–{_num(hi)})"


def claims_table(claims: Sequence[ClaimLike]) -> pd.DataFrame:
    """One row per claim: number, the claim in the article's words, verdict, key figure, why."""
    return pd.DataFrame(
        [
            {
                "#": _get(c, "number"),
                "claim": _get(c, "claim"),
                "verdict": _get(c, "verdict"),
                "key figure": f"{key_text(c)}: {_get(c, 'key') or ''}".rstrip(": "),
                "why": _get(c, "summary"),
            }
            for c in claims
        ]
    )


def parts_table(claims: Sequence[ClaimLike]) -> pd.DataFrame:
    """One row per part of every claim: its figure, interval, threshold and status."""
    rows = []
    for c in claims:
        for p in _get(c, "parts") or []:
            lo, hi = (list(p.get("ci95") or []) + [None, None])[:2]
            rows.append(
                {
                    "claim": _get(c, "number"),
                    "part": p["name"],
                    "value": p.get("value"),
                    "ci95 low": lo,
                    "ci95 high": hi,
                    "threshold": p.get("threshold"),
                    "status": p["status"],
                    "exact": p.get("exact", False),
                    "what": p.get("text", ""),
                }
            )
    return pd.DataFrame(rows)


def claims_html(claims: Sequence[ClaimLike]) -> str:
    """The report's section: a short introduction, the five claims, then each claim's parts."""
    if not claims:
        return ""
    out = [
        "<h2>The five claims</h2>",
        f"<p class='means'>{html.escape(INTRO)}</p>",
        "<table><tr><th>#</th><th>claim (the article's words)</th><th>verdict</th><th>key "
        "figure</th><th>why</th></tr>",
    ]
    for c in claims:
        v = _get(c, "verdict") or ""
        cls = "supported" if v == "supported" else ("not" if v.startswith("not") else "")
        out.append(
            f"<tr><td>{_get(c, 'number')}</td><td "
            f"class='verdict'>{html.escape(str(_get(c, 'claim')))}</td><td class='verdict "
            f"{cls}'>{html.escape(v)}</td><td class='verdict'>{html.escape(key_text(c))}<br><span "
            f"class='means'>{html.escape(str(_get(c, 'key') or ''))}</span></td><td "
            f"class='verdict'>{html.escape(str(_get(c, 'summary')))}</td></tr>"
        )
    out.append("</table>")
    parts = parts_table(claims)
    if len(parts):
        out.append(
            "<h3>The parts of each "
            "claim</h3><table><tr><th>#</th><th>part</th><th>figure</th><th>95% "
            "CI</th><th>threshold</th><th>status</th><th>what the figure is</th></tr>"
        )
        for r in parts.to_dict("records"):
            val = "–" if r["value"] is None else _num(r["value"])
            ci = (
                "exact"
                if r["exact"]
                else (
                    "–"
                    if r["ci95 low"] is None
                    else f"{_num(r['ci95 low'])}–{_num(r['ci95 high'])}"
                )
            )
            thr = "–" if r["threshold"] is None else _num(r["threshold"])
            out.append(
                f"<tr><td>{r['claim']}</td><td "
                f"class='verdict'>{html.escape(r['part'])}</td><td>{val}</td><td>{ci}</td>"
                f"<td>{thr}</td><td class='verdict'>{html.escape(r['status'])}</td>"
                f"<td class='verdict means'>{html.escape(r['what'])}</td></tr>"
            )
        out.append("</table>")
    return "\n".join(out)
