"""``runesim data TABLE``: print one of the world's data tables with its sources."""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sim.cli.choices import Format
from sim.errors import InputError
from sim.world.tables import TABLES, data_rows

if TYPE_CHECKING:
    from sim.world.schema import World

__all__ = ["data", "FORMATS"]

FORMATS: tuple[str, ...] = tuple(Format)
# long free-text columns left out of the terminal view (csv and json keep them)
_HIDDEN_IN_TABLE = ("notes",)


def _world() -> World:
    """The default world (a seam tests replace)."""
    from sim.world.load import load_world

    return load_world()


def _csv_text(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return out.getvalue()


def _print_table(title: str, rows: list[dict[str, Any]], full: bool = False) -> None:
    from sim.cli.fit_table import print_fitted

    print_fitted(title, rows, _cell, full=full, hidden=() if full else _HIDDEN_IN_TABLE)


def _cell(value: object) -> str:
    """A value as the terminal table shows it: thousands separators, no float noise."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value.is_integer() or abs(value) >= 1000:
            return f"{value:,.0f}"
        return f"{value:g}"
    return str(value)


def _with_model_rates(
    rows: list[dict[str, Any]], table: str, level: int, upgrade: float | None
) -> list[dict]:
    """Farm rows with the model's rate at a level (sim.model.farming.farm_rates_at)."""
    if table != "farms":
        raise InputError.one(None, "--level", level, "--level only with the farms table")
    if not 1 <= level <= 713:
        raise InputError.one(None, "--level", level, "a character level from 1 to 713")
    from sim.model.farming import farm_rates_at
    from sim.scenario.schema import Power

    rates = farm_rates_at(_world(), Power(), float(level), upgrade)
    out = []
    for r in rows:
        m = rates[r["name"]]
        first = {
            k: r[k] for k in ("name", "zone", "runes_per_loop", "loop_seconds", "runes_per_hour")
        }
        out.append({**first, **m, "source": r["source"]})
    return out


def data(
    table: Annotated[str, typer.Argument(help="One of: " + ", ".join((*TABLES, "uncertainty")))],
    format: Annotated[
        Format, typer.Option("--format", "-f", help="table (terminal), csv or json")
    ] = Format.table,
    zone: Annotated[
        str | None, typer.Option("--zone", "-z", help="Only the rows in this zone")
    ] = None,
    level: Annotated[
        int | None,
        typer.Option(
            "--level", help="farms: add the model's loop time and runes per hour at this level"
        ),
    ] = None,
    upgrade: Annotated[
        float | None,
        typer.Option(
            "--upgrade",
            help="farms with --level: weapon upgrade (default: the usual one at that level)",
        ),
    ] = None,
    full: Annotated[
        bool, typer.Option("--full", help="table: every column and whole sources, wrapped")
    ] = False,
) -> None:
    """Print a data table (zones, enemies, bosses, farms, levels, rules, ...) with its sources."""
    if table == "uncertainty":  # the uncertain inputs' ranges (sim/data/uncertainty.csv)
        from sim.experiments.inputs import input_rows, packaged_inputs

        rows = input_rows(packaged_inputs())
    else:
        rows = data_rows(_world(), table, zone)
    if level is not None:
        rows = _with_model_rates(rows, table, level, upgrade)
    if format == "csv":
        typer.echo(_csv_text(rows), nl=False)
    elif format == "json":
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        _print_table(table if zone is None else f"{table} in {zone}", rows, full)
