"""``runesim trace SCENARIO``: one playthrough's event log as a readable timeline."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sim.cli.console import Console
from sim.errors import InputError

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario

__all__ = ["trace", "timeline_lines"]

_LABELS = {
    "zone_enter": "enter",
    "level_up": "level up",
    "death": "death",
    "recover": "recovered",
    "lose": "LOST",
    "boss_win": "boss down",
    "boss_loss": "boss death",
    "farm_start": "farm",
    "farm_end": "farm done",
    "duel_won": "duel won",
    "duel_lost": "duel lost",
    "buff_on": "buff on",
    "buff_off": "buff off",
    "quest_step": "quest",
    "item": "item",
}


def _clock(hours: float) -> str:
    h = int(hours)
    m = int(round((hours - h) * 60))
    if m == 60:
        h, m = h + 1, 0
    return f"{h:4d}h{m:02d}"


def timeline_lines(
    events: list[tuple[float, str, str, str, float]], verbose: bool = False
) -> list[str]:
    """Format (hours, event, zone, detail, value) rows; quiet mode folds items and level-ups."""
    lines = []
    for hours, event, zone, detail, value in events:
        if not verbose and event in ("item", "buff_off"):
            continue
        label = _LABELS.get(event, event)
        if event == "level_up":
            text = f"level {int(value)} ({detail})"
        elif event in ("death", "recover", "lose"):
            text = f"{int(value):,} runes" + (f" ({detail})" if detail else "")
        elif event == "boss_win":
            text = f"{detail} after {int(value)} attempt{'s' if value != 1 else ''}"
        elif event == "zone_enter":
            text = detail
        else:
            text = detail + ("" if math.isnan(value) else f" [{value:g}]")
        lines.append(f"{_clock(hours)}  {zone[:28]:<28} {label:<11} {text}")
    return lines


def trace(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (TOML).")],
    replication: Annotated[
        int | None, typer.Option("--replication", "-r", help="Replication index.")
    ] = None,
    quantile: Annotated[
        float | None,
        typer.Option(
            "--quantile", "-q", help="Pick the stored replication at this quantile of --metric."
        ),
    ] = None,
    run_dir: Annotated[
        Path | None,
        typer.Option(
            "--run",
            help="Stored run or comparison directory for --quantile (default "
            "results/<scenario>-<seed>).",
        ),
    ] = None,
    strategy: Annotated[
        str | None,
        typer.Option(
            "--strategy",
            help="With --run DIR of a comparison: which run (default: the scenario's name).",
        ),
    ] = None,
    metric: Annotated[
        str, typer.Option("--metric", help="Replications column ranked by --quantile.")
    ] = "final_level",
    seed: Annotated[
        int | None, typer.Option("--seed", help="Seed (default: the scenario's).")
    ] = None,
    set: Annotated[  # named for the --set option
        list[str] | None,
        typer.Option("--set", help="Override a value: key.path=value (repeatable)."),
    ] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show every event (items, buffs).")
    ] = False,
) -> None:
    """Replay one replication and print its event log."""
    from sim.model.replication import simulate
    from sim.scenario.load import load_scenario, with_overrides
    from sim.world.load import load_world

    world = load_world()
    values = {"seed": seed} if seed is not None else None
    s = load_scenario(scenario, set or (), world=world, values=values)
    if (replication is None) == (quantile is None):
        raise InputError.one(
            str(scenario),
            "--replication/--quantile",
            None,
            "exactly one of --replication K or --quantile Q",
        )
    if quantile is not None:
        chosen = resolve_run(run_dir or Path("results") / f"{s.name}-{s.seed}", strategy, s.name)
        replication = _at_quantile(chosen, metric, quantile)
        if chosen != (run_dir or chosen) or strategy is not None:
            # a run of a comparison replays as it was run: its stored scenario and seed
            s = _stored_scenario(chosen, s)
        if seed is None:
            s = with_overrides(s, {"seed": _stored_seed(chosen, s.seed)}, str(scenario))
    assert replication is not None
    if replication < 0:
        raise InputError.one(
            str(scenario), "--replication", replication, "a replication index >= 0"
        )
    pt = simulate(s, world, replication)
    out = Console(highlight=False)
    p = pt.player
    led = pt.ledger
    finish = (
        "not finished by the horizon"
        if math.isnan(p.finished_at)
        else f"finished at {p.finished_at:.1f} h"
    )
    out.print(
        f"{s.name} ({s.strategy}), replication {replication}, seed {s.seed}: skill {p.skill:+.1f}, "
        f"level {pt.player.level_values[0]} -> {p.level}, {p.deaths} deaths, {finish}",
        markup=False,
    )
    out.print(
        f"runes: earned {led.earned:,} = spent {led.spent:,} + held {led.held:,} + "
        f"in bloodstain {led.stain:,} + lost {led.lost:,}",
        markup=False,
    )
    ev = pt.events
    rows = zip(ev.hours, ev.event, ev.zone, ev.detail, ev.value, strict=True)
    for line in timeline_lines(list(rows), verbose):
        out.print(line, markup=False)


def resolve_run(run_dir: Path, strategy: str | None, default: str) -> Path:
    """The run directory to pick from: ``run_dir`` itself, or one run of a comparison directory
    (``--strategy NAME``, else the run named like the scenario)."""
    import json

    from sim.errors import did_you_mean

    cmp_file = run_dir / "comparison.json"
    if not cmp_file.is_file():
        if strategy is not None:
            raise InputError.one(
                str(run_dir),
                "--strategy",
                strategy,
                "--run DIR of a comparison (with comparison.json)",
            )
        return run_dir
    data = json.loads(cmp_file.read_text(encoding="utf-8"))
    runs = data.get("runs") or {name: name for name in data.get("strategies", [])}
    name = strategy if strategy is not None else default
    if name not in runs:
        choices = ", ".join(runs)
        raise InputError.one(
            str(run_dir),
            "--strategy",
            name,
            f"one of the comparison's runs ({choices}); pick one with --strategy NAME",
            did_you_mean(name, list(runs)),
        )
    return run_dir / runs[name]


def _stored_scenario(run_dir: Path, fallback: Scenario) -> Scenario:
    """The resolved scenario stored in a run's manifest (``fallback`` if it cannot be read)."""
    from sim.scenario.schema import Scenario
    from sim.store import read_manifest

    try:
        return Scenario.model_validate(read_manifest(run_dir)["scenario"])
    except (FileNotFoundError, KeyError, ValueError):
        return fallback


def _stored_seed(run_dir: Path, fallback: int) -> int:
    """The seed a stored run was made with (a comparison uses one seed for all its runs)."""
    from sim.store import read_manifest

    try:
        return int(read_manifest(run_dir).get("seed", fallback))
    except (FileNotFoundError, ValueError, TypeError):
        return fallback


def _at_quantile(run_dir: Path, metric: str, q: float) -> int:
    """The replication whose ``metric`` sits at quantile ``q`` of a stored run."""
    from sim.store import read_table

    if not 0 <= q <= 1:
        raise InputError.one(None, "--quantile", q, "a quantile between 0 and 1")
    if not (run_dir / "manifest.json").is_file():
        raise InputError.one(
            str(run_dir), "--run", str(run_dir), "a stored run directory (with manifest.json)"
        )
    reps = read_table(run_dir, "replications")
    if metric not in reps.columns:
        from sim.errors import did_you_mean

        raise InputError.one(
            str(run_dir),
            "--metric",
            metric,
            "a replications column",
            did_you_mean(metric, reps.columns),
        )
    ranked = reps.sort_values([metric, "replication"], na_position="last").reset_index(drop=True)
    k = min(int(round(q * (len(ranked) - 1))), len(ranked) - 1)
    return int(ranked["replication"].iloc[k])
