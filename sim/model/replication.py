"""One replication: build the SimPy world of one player, run it to the horizon, tabulate it."""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass

import simpy

from sim.errors import ReplicationFailure
from sim.model.execute import play
from sim.model.fast import catch_up, caught_up, finish_events, settle_at_horizon
from sim.model.index import index_for
from sim.model.invasions import duel, invaders
from sim.model.playthrough import Playthrough
from sim.model.recorder import TRAJECTORY_COLUMNS, record, snapshot
from sim.model.rng import streams
from sim.model.traits import draw_traits
from sim.scenario.schema import Scenario
from sim.strategy import STRATEGIES
from sim.world.schema import World

__all__ = ["ReplicationResult", "run_replication", "EVENT_COLUMNS", "INCOME_COLUMNS", "ACTIVITY_COLUMNS"]

EVENT_COLUMNS = ("hours", "event", "zone", "detail", "value")
INCOME_COLUMNS = (
    "source_kind", "source", "zone", "region", "tier", "zone_kind", "enemy_kind", "enemy_class",
    "activity", "count", "runes",
)
ACTIVITY_COLUMNS = (
    "zone", "region", "tier", "zone_kind", "invasion_zone", "activity", "hours", "deaths",
    "runes_earned", "runes_lost", "invasions",
)


@dataclass
class ReplicationResult:
    """What one replication recorded: a summary row and four row groups (column -> values)."""

    summary: dict
    trajectory: dict[str, list]
    events: dict[str, list]
    income: dict[str, list]
    activity: dict[str, list]


def _columns(names: tuple[str, ...], rows: list[tuple], replication: int) -> dict[str, list]:
    out: dict[str, list] = {"replication": [replication] * len(rows)}
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(names)
    for name, values in zip(names, columns, strict=True):
        out[name] = list(values)
    return out


def simulate(scenario: Scenario, world: World, index: int) -> Playthrough:
    """Run replication ``index`` and return its finished playthrough (for trace and tests)."""
    if index in scenario.fail_replications:
        raise ReplicationFailure(f"replication {index} was asked to fail (scenario fail_replications)")
    st = streams(scenario.seed, index)
    sk = scenario.player.skill
    skill = float(st.skill.normal(sk.mean, sk.sd)) if sk.distribution == "normal" else sk.mean
    traits = draw_traits(scenario, st.traits)
    env = simpy.Environment()
    pt = Playthrough(env, scenario, world, index_for(world), st, skill, traits, on_interrupt=duel)
    fast = pt.fast
    # fixed start order: SimPy breaks ties between simultaneous events by insertion order
    main = play(pt, STRATEGIES[scenario.strategy](pt))
    pt.start(caught_up(pt, main) if fast else main)
    if not fast:
        env.process(record(pt, pt.grid_times, pt.trajectory_rows))
    env.process(invaders(pt))
    env.run(until=scenario.horizon_hours)
    if fast:
        catch_up(pt, scenario.horizon_hours)
        settle_at_horizon(pt, scenario.horizon_hours)
        finish_events(pt)
    if pt.clock.process is not None and pt.clock.process.is_alive:
        pt.log("censored", "horizon", float(pt.player.level))
    pt.close()
    for t in pt.grid_times:
        if t >= scenario.horizon_hours:
            pt.trajectory_rows.append(snapshot(pt, t))
    pt.sim_events = _scheduled(env)
    return pt


def _scheduled(env: simpy.Environment) -> int:
    """Events the environment scheduled (SimPy numbers them as it schedules them)."""
    counter = getattr(env, "_eid", None)
    return int(next(counter)) if counter is not None else 0


def hours_to_level(pt: Playthrough, level: int) -> float:
    """Hour the player first reached ``level`` (NaN if it never did: censored)."""
    p = pt.player
    i = bisect.bisect_left(p.level_values, level)
    return p.level_times[i] if i < len(p.level_values) else math.nan


def summary_row(pt: Playthrough, index: int) -> dict:
    s = pt.scenario
    p = pt.player
    led = pt.ledger
    row: dict = {
        "replication": index,
        "seed": s.seed,
        "seed_entropy": f"SeedSequence(entropy={s.seed}, spawn_key=({index},))",
        "scenario": s.name,
        "strategy": s.strategy,
        "skill": p.skill,
        "start_level": p.level_values[0],
        "final_level": p.level,
    }
    for lv in s.record.levels:
        row[f"hours_to_level_{lv}"] = hours_to_level(pt, lv)
    # a player who quit has no level at a later hour: it left (NaN, as past the horizon)
    played = s.horizon_hours if math.isnan(p.quit_at) else p.quit_at
    for h in s.record.level_hours:
        row[f"level_at_hours_{_label(h)}"] = float(pt.level_at(h)) if h <= played else math.nan
    row.update(
        finish_hours=p.finished_at,
        horizon_hours=s.horizon_hours,
        hours_played=pt.clock.ended_at,
        deaths=p.deaths,
        boss_deaths=p.boss_deaths,
        invasions=p.invasions,
        invasions_won=p.invasions_won,
        bosses_defeated=len(p.bosses),
        runes_earned=led.earned,
        runes_spent=led.spent,
        runes_held=led.held,
        runes_in_bloodstain=led.stain,
        runes_lost=led.lost,
        exposed_hours=pt.clock.exposed_hours,
        sim_events=pt.sim_events,
    )
    row.update(extra_columns(pt))
    return row


def extra_columns(pt: Playthrough) -> dict:
    """Traits, quitting and deaths by cause (the replications table's later columns)."""
    p = pt.player
    by = p.deaths_by
    row: dict = {f"trait_{k}": int(v) if isinstance(v, bool) else v for k, v in pt.traits.row().items()}
    row.update(
        quit_hours=p.quit_at,
        finished=int(not math.isnan(p.finished_at)),
        runes_spent_other=pt.spent_other,
        deaths_enemy=by["enemy"] + by["farm"],
        deaths_fall=by["fall"],
        deaths_status=by["status"],
        deaths_runback=by["runback"],
        deaths_pvp=by["pvp"],
    )
    return row


def _label(h: float) -> str:
    return str(int(h)) if float(h).is_integer() else str(h).replace(".", "_")


def run_replication(scenario: Scenario, world: World, index: int) -> ReplicationResult:
    """Run replication ``index`` of ``scenario`` on ``world``; pure (no I/O)."""
    pt = simulate(scenario, world, index)
    zones = world.zones
    enemies = pt.index.enemies
    income: list[tuple] = []
    for (kind, source, zone_name, act), (count, runes) in pt.ledger.income.items():
        zone = zones[zone_name]
        enemy = enemies.get((source, zone_name)) if kind == "enemy" else None
        income.append((
            kind, source, zone_name, zone.region, zone.tier, zone.kind,
            enemy.kind if enemy else "", enemy.enemy_class if enemy else "", act, count, runes,
        ))
    activity: list[tuple] = []
    for (zone_name, act), (hours, deaths, earned, lost, invasions) in pt.ledger.activity.items():
        zone = zones[zone_name]
        activity.append((
            zone_name, zone.region, zone.tier, zone.kind, zone.invasions, act, hours, int(deaths),
            int(earned), int(lost), int(invasions),
        ))
    return ReplicationResult(
        summary=summary_row(pt, index),
        trajectory=_columns(TRAJECTORY_COLUMNS, pt.trajectory_rows, index),
        events=_columns(EVENT_COLUMNS, pt.events, index),
        income=_columns(INCOME_COLUMNS, income, index),
        activity=_columns(ACTIVITY_COLUMNS, activity, index),
    )
