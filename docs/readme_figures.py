"""Regenerate the README's generated parts from the code and from a real run.

The README's command table, its ``comparison.json`` example and the headline it quotes
are written between ``<!-- generated:NAME -->`` and ``<!-- /generated:NAME -->`` markers
by this script, never by hand, so they cannot go stale:

    python docs/readme_figures.py                 # runs the README's main job (n = 200)
    python docs/readme_figures.py --from DIR      # uses a stored comparison directory
    python docs/readme_figures.py --commands      # only the command table (no run)
    python docs/readme_figures.py --check         # exit 1 if the command table is stale

``commands`` comes from the command line's own definitions; ``comparison`` and
``headline`` from the run's ``comparison.json``. Run it after changing the model or
the commands, and commit the README it writes.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
MAIN_JOB = ("natural", "rush_mohgwyn")
EXAMPLE_METRIC = "hours_to_level_80"

__all__ = ["command_table", "comparison_example", "replace_block", "main"]


def _usage(name: str, cmd: Any) -> str:
    """``runesim NAME ARGS [--option VALUE] …`` from a command's parameters (first six options)."""
    args, opts = [], []
    for p in cmd.params:
        kind = getattr(p, "param_type_name", "")
        if kind == "argument":
            args.append(p.name.upper() + ("…" if p.nargs == -1 else ""))
        elif kind == "option" and not getattr(p, "hidden", False) and p.name != "help":
            flag = max(p.opts, key=len)
            if getattr(p, "is_flag", False):
                opts.append(f"[{flag}]")
            else:
                opts.append(f"[{flag} {p.name.upper()}]")
    shown = " ".join(opts[:6]) + (" …" if len(opts) > 6 else "")
    return " ".join(part for part in ("runesim", name, *args, shown) if part)


def command_table() -> str:
    """The Markdown table of every ``runesim`` command: usage and its one-line help."""
    import typer

    from sim.cli.app import cli_app

    group = typer.main.get_command(cli_app())
    rows = ["| command | what it does |", "|---|---|"]
    for name in sorted(group.commands):  # type: ignore[attr-defined]
        cmd = group.commands[name]  # type: ignore[attr-defined]
        help_line = (cmd.help or "").strip().splitlines()[0] if cmd.help else ""
        rows.append(f"| `{_usage(name, cmd)}` | {help_line} |")
    rows.append("| `runesim --version` | the installed version |")
    rows.append(
        "| `runesim --install-completion` | shell completion of commands and options "
        "(`--show-completion` prints the script) |"
    )
    return "\n".join(rows)


def _round(x: Any) -> Any:
    if isinstance(x, float):
        return round(x, 1) if abs(x) < 1000 else round(x)
    if isinstance(x, list):
        return [_round(v) for v in x]
    if isinstance(x, dict):
        return {k: _round(v) for k, v in x.items()}
    return x


def comparison_example(data: dict[str, Any], metric: str = EXAMPLE_METRIC) -> str:
    """The README's JSON example: the real document cut to one metric, figures rounded."""
    keep = {k: data[k] for k in ("headline", "strategies", "pairs", "seed") if k in data}
    m = data["metrics"][metric]
    entry: dict[str, Any] = {s: _round(m[s]) for s in data["strategies"] if s in m}
    if "diff" in m:
        d = m["diff"]
        entry["diff"] = _round(
            {
                k: d[k]
                for k in (
                    "of",
                    "median",
                    "mean",
                    "ci95",
                    "difference_of_medians",
                    "difference_of_medians_ci95",
                    "verdict",
                )
                if k in d
            }
        )
    keep["metrics"] = {metric: entry}
    keep["…"] = "other metrics; headline_figures, for_whom, margins, claims, runs, n"
    text = json.dumps(keep, indent=2, ensure_ascii=False)
    # short lists of figures on one line, as a reader scans them
    text = re.sub(
        r"\[\s+([^\[\]{}]*?)\s+\]",
        lambda m: "[" + ", ".join(x.strip() for x in m.group(1).split(",\n")) + "]",
        text,
    )
    return "```json\n" + text + "\n```"


def replace_block(text: str, name: str, body: str) -> str:
    """``text`` with the block between the markers named ``name`` replaced by ``body``."""
    pattern = re.compile(
        rf"(<!-- generated:{re.escape(name)} -->\n).*?(\n<!-- /generated:{re.escape(name)} -->)",
        re.S,
    )
    if not pattern.search(text):
        raise SystemExit(f"README.md has no <!-- generated:{name} --> block")
    return pattern.sub(lambda m: m.group(1) + body + m.group(2), text)


def _run_main_job(n: int, out: Path) -> dict[str, Any]:
    from sim import api
    from sim.experiments.compare import compare

    scenarios = [api.load_scenario(api.scenario_path(s)) for s in MAIN_JOB]
    return compare(scenarios, out, n=n, progress=True).json()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--from", dest="source", type=Path, help="a stored comparison directory")
    ap.add_argument("-n", type=int, default=200, help="replications for the main job (default 200)")
    ap.add_argument(
        "--check", action="store_true", help="only check that the command table is current"
    )
    ap.add_argument("--commands", action="store_true", help="only rewrite the command table")
    args = ap.parse_args(argv)
    text = README.read_text(encoding="utf-8")
    if args.check:
        current = replace_block(text, "commands", command_table())
        if current != text:
            print("README.md: the command table is stale; run python docs/readme_figures.py")
            return 1
        return 0
    if args.commands:
        README.write_text(replace_block(text, "commands", command_table()), encoding="utf-8")
        return 0
    if args.source is not None:
        data = json.loads((args.source / "comparison.json").read_text(encoding="utf-8"))
    else:
        data = _run_main_job(args.n, Path(tempfile.mkdtemp(prefix="runesim-readme-")) / "cmp")
    text = replace_block(text, "commands", command_table())
    text = replace_block(text, "comparison", comparison_example(data))
    text = replace_block(text, "headline", "> " + data["headline"])
    README.write_text(text, encoding="utf-8")
    print(f"README.md regenerated from {data['pairs']} pairs, seed {data['seed']}:")
    print(data["headline"])
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
