"""A data table that fits the terminal: readable at 80 to 160 columns.

Columns are kept in order while they fit; long text is shortened with "…"; the
``source`` column takes the room left (at least ``SOURCE_MIN`` characters). Columns
that do not fit are named under the table, with the ways to see them (a wider
terminal, ``--full``, ``--format csv``). ``full=True`` shows every column and
every source whole, wrapped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["print_fitted", "fit_columns", "SOURCE_MIN", "TEXT_MAX"]

SOURCE_MIN = 24
TEXT_MAX = 28
_GAP = 2  # rich's padding between columns with box=None


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 1)] + "…"


def _numeric(rows: list[dict[str, Any]], c: str) -> bool:
    vals = [r[c] for r in rows if r.get(c) is not None]
    return bool(vals) and all(isinstance(v, int | float) and not isinstance(v, bool) for v in vals)


def fit_columns(
    columns: list[str], widths: dict[str, int], total: int, numeric: dict[str, bool] | None = None
) -> tuple[list[str], list[str], int]:
    """(shown, left out, source width) for a terminal ``total`` characters wide.

    The first column always shows; then figures (narrow, the point of most tables), then
    text columns, each while it fits; the shown columns keep their order.
    """
    numeric = numeric or {}
    has_source = "source" in columns
    budget = total - (SOURCE_MIN + _GAP if has_source else 0)
    rest = [c for c in columns[1:] if c != "source"]
    order = (
        [columns[0]] + [c for c in rest if numeric.get(c)] + [c for c in rest if not numeric.get(c)]
    )
    chosen: set[str] = set()
    used = 0
    for c in order:
        need = widths[c] + (_GAP if chosen else 0)
        if not chosen or used + need <= budget:
            chosen.add(c)
            used += need
    shown = [c for c in columns if c in chosen]
    dropped = [c for c in columns if c not in chosen and c != "source"]
    source_width = max(total - used - _GAP, SOURCE_MIN) if has_source else 0
    if has_source:
        shown.append("source")
    return shown, dropped, source_width


def print_fitted(
    title: str,
    rows: list[dict[str, Any]],
    cell: Callable[[object], str],
    *,
    full: bool = False,
    hidden: tuple[str, ...] = (),
    width: int | None = None,
) -> None:
    """Print ``rows`` as a table fitted to the terminal (see the module docstring)."""
    from rich.console import Console
    from rich.table import Table

    console = Console(width=width, highlight=False)
    columns = [c for c in (rows[0] if rows else {}) if c not in hidden]
    text = [{c: cell(r.get(c)) for c in columns} for r in rows]
    previous = None
    for t, r in zip(text, rows, strict=True):
        if "source" in t:
            # a run of rows from one source (e.g. the rules' sections) shows it once
            if r.get("source") and r["source"] == previous:
                t["source"] = "(same as above)"
            previous = r.get("source")
    numeric = {c: _numeric(rows, c) for c in columns}
    if full:
        table = Table(title=f"{title} ({len(rows)} rows)")
        for c in columns:
            table.add_column(c, overflow="fold", justify="right" if numeric[c] else "left")
        for t in text:
            table.add_row(*[t[c] for c in columns])
        console.print(table)
        return
    for t in text:
        for c in columns:
            if c != "source" and not numeric[c]:
                t[c] = _short(t[c], TEXT_MAX)
    widths = {
        c: max([max((len(w) for w in c.split("_")), default=1)] + [len(t[c]) for t in text])
        for c in columns
    }
    shown, dropped, source_width = fit_columns(columns, widths, console.width, numeric)
    table = Table(
        title=f"{title} ({len(rows)} rows)",
        box=None,
        padding=(0, 1),
        pad_edge=False,
        header_style="bold",
        title_justify="left",
    )
    for c in shown:
        w = source_width if c == "source" else widths[c]
        table.add_column(
            c.replace("_", " "),
            justify="right" if numeric[c] else "left",
            min_width=w,
            max_width=w,
            no_wrap=False,
            overflow="ellipsis",
        )
    for t in text:
        table.add_row(*[_short(t[c], source_width) if c == "source" else t[c] for c in shown])
    console.print(table)
    if dropped:
        console.print(
            f"not shown: {', '.join(dropped)} (a wider terminal, --full, or --format csv shows "
            "them)",
            style="dim",
        )
