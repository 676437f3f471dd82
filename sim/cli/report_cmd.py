"""``runesim report DIR``: write the self-contained report.html of a stored run or comparison."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sim.errors import InputError

__all__ = ["report"]


def report(
    run_dir: Annotated[Path, typer.Argument(help="A stored run or a comparison directory.")],
) -> None:
    """Write DIR/report.html: tables, plots, the claims and what every interval means."""
    from sim.experiments.comparison import COMPARISON_FILE
    from sim.report import write_report

    if not ((run_dir / COMPARISON_FILE).is_file() or (run_dir / "manifest.json").is_file()):
        raise InputError.one(
            str(run_dir),
            "run_dir",
            str(run_dir),
            "a stored run (manifest.json) or a comparison (comparison.json)",
        )
    if (run_dir / COMPARISON_FILE).is_file():
        _check_comparison(run_dir / COMPARISON_FILE)
    path = write_report(run_dir, run_dir / "report.html")
    typer.echo(str(path))


def _check_comparison(path: Path) -> None:
    """A comparison.json that runesim could have written: JSON, its runs inside its directory."""
    import json

    def damaged(why: str) -> InputError:
        return InputError.one(
            str(path),
            "comparison.json",
            f"({why})",
            "the comparison runesim wrote; run the comparison again with --overwrite",
        )

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as err:
        raise damaged(f"damaged: {err}") from None
    if not isinstance(data, dict) or not isinstance(data.get("strategies"), list):
        raise damaged("not a comparison")
    runs = data.get("runs") or {s: s for s in data["strategies"]}
    if not isinstance(runs, dict):
        raise damaged("not a comparison")
    for name in runs.values():
        if not isinstance(name, str) or Path(name).name != name or name in ("", ".", ".."):
            raise damaged(f"a run outside the comparison: {str(name)[:80]!r}")
