"""One replication: build the SimPy world of one player, run it to the horizon, tabulate it."""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping
from dataclasses import dataclass
from operator import attrgetter, itemgetter
from typing import Any

import simpy

from sim.columns import (
    Activity,
    ColumnsView,
    Income,
    ReplicationHead,
    ReplicationTail,
    columns,
    hours_to_level_column,
    level_at_hours_column,
    row_dict,
)
from sim.errors import ReplicationFailure
from sim.model.execute import play
from sim.model.fast import catch_up, caught_up, drive, finish_events, settle_at_horizon
from sim.model.index import index_for
from sim.model.invasions import duel, invaders
from sim.model.playthrough import Playthrough
from sim.model.recorder import record, snapshot
from sim.model.rng import streams
from sim.model.traits import draw_traits
from sim.scenario.schema import Scenario
from sim.strategy import STRATEGIES
from sim.world.schema import World

__all__ = ["ReplicationResult", "IncomeRows", "run_replication", "simulate"]


@dataclass
class ReplicationResult:
    """What one replication recorded: the ``replications`` row (``summary``) and the rows of
    the other tables, each as ``column -> values`` (the columns of ``sim.columns``)."""

    summary: dict[str, Any]
    trajectories: Mapping[str, list]  # read column by column: ``sim.columns.ColumnsView``
    events: dict[str, list]
    income: Mapping[str, list]
    activity: dict[str, list]


def simulate(scenario: Scenario, world: World, index: int, *, queue: bool = False) -> Playthrough:
    """Run replication ``index`` and return its finished playthrough (for trace and tests).

    ``queue``: run the fast engine on SimPy's event queue even where no invader can come
    (there it plays the player's process alone, ``fast.drive``, with the same results).
    """
    if index in scenario.fail_replications:
        raise ReplicationFailure(
            f"replication {index} was asked to fail (scenario fail_replications)"
        )
    st = streams(scenario.seed, index)
    sk = scenario.player.skill
    skill = float(st.skill.normal(sk.mean, sk.sd)) if sk.distribution == "normal" else sk.mean
    traits = draw_traits(scenario, st.traits)
    env = simpy.Environment()
    pt = Playthrough(
        env, scenario, world, index_for(world), st, skill, traits, on_interrupt=duel, queue=queue
    )
    fast = pt.fast
    # fixed start order: SimPy breaks ties between simultaneous events by insertion order
    main = play(pt, STRATEGIES[scenario.strategy](pt))
    alive = False
    if pt.driven:  # the player's process is the only one that acts: no event queue needed
        alive = drive(pt, main, scenario.horizon_hours)
    else:
        pt.start(caught_up(pt, main) if fast else main)
        if not fast:
            env.process(record(pt, pt.grid.times))
        env.process(invaders(pt))
        env.run(until=scenario.horizon_hours)
        alive = pt.clock.process is not None and pt.clock.process.is_alive
    if fast:
        catch_up(pt, scenario.horizon_hours)
        settle_at_horizon(pt, scenario.horizon_hours)
        finish_events(pt)
    if alive:
        pt.log("censored", "horizon", float(pt.player.level))
    pt.close()
    times = pt.grid.times
    for t in times[bisect.bisect_left(times, scenario.horizon_hours) :]:  # t >= the horizon
        snapshot(pt, t)
    pt.sim_events += _scheduled(env)
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


def summary_row(pt: Playthrough, index: int) -> dict[str, Any]:
    """The replication's row of the ``replications`` table."""
    s = pt.scenario
    p = pt.player
    head = ReplicationHead(
        replication=index,
        seed=s.seed,
        seed_entropy=f"SeedSequence(entropy={s.seed}, spawn_key=({index},))",
        scenario=s.name,
        strategy=s.strategy,
        skill=p.skill,
        start_level=p.level_values[0],
        final_level=p.level,
    )
    row = row_dict(head)
    for lv in s.record.levels:
        row[hours_to_level_column(lv)] = hours_to_level(pt, lv)
    # a player who quit has no level at a later hour: it left (NaN, as past the horizon)
    played = s.horizon_hours if math.isnan(p.quit_at) else p.quit_at
    for h in s.record.level_hours:
        row[level_at_hours_column(h)] = float(pt.level_at(h)) if h <= played else math.nan
    row.update(row_dict(_tail(pt)))
    return row


def _tail(pt: Playthrough) -> ReplicationTail:
    s = pt.scenario
    p = pt.player
    led = pt.ledger
    t = pt.traits
    by = p.deaths_by
    return ReplicationTail(
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
        trait_appetite=t.appetite,
        trait_main_share=t.main_share,
        trait_tolerance=t.tolerance,
        trait_caution=t.caution,
        trait_spend_share=t.spend_share,
        trait_care=t.care,
        trait_online=int(t.online),
        trait_ashes=int(t.ashes),
        quit_hours=p.quit_at,
        finished=int(not math.isnan(p.finished_at)),
        runes_spent_other=pt.spent_other,
        deaths_enemy=by["enemy"] + by["farm"],
        deaths_fall=by["fall"],
        deaths_status=by["status"],
        deaths_runback=by["runback"],
        deaths_pvp=by["pvp"],
    )


class IncomeRows:
    """A replication's income rows as the ledger keeps them: per row an income key (source
    kind, source, zone, activity), its static columns (region, tier, zone kind, enemy kind,
    enemy class: the world's, the same for a key in every replication), count and runes."""

    __slots__ = ("keys", "static", "count", "runes")

    def __init__(self, pt: Playthrough) -> None:
        income = pt.ledger.income
        # a key's static columns depend on the world alone: each key is looked up once per
        # world (and process), then read from the world's index
        known = pt.index.income_columns
        self.keys = keys = list(income)
        static: list[tuple] | tuple[tuple, ...] = []
        try:  # every key known: one look-up of them all
            if keys:
                static = itemgetter(*keys)(known) if len(keys) > 1 else (known[keys[0]],)
        except KeyError:
            static = [known.get(key) or _income_static(pt, key, known) for key in keys]
        self.static = static
        totals = list(income.values())
        self.count: list[int] = list(map(attrgetter("count"), totals))
        self.runes: list[int] = list(map(attrgetter("runes"), totals))

    def __len__(self) -> int:
        return len(self.keys)

    def column_dict(self, replication: int) -> dict[str, list]:
        """The rows as ``column -> values`` (the columns of ``Income``)."""
        if not self.keys:
            return Income().column_dict(replication)
        kinds, sources, names, acts = (list(c) for c in zip(*self.keys, strict=True))
        regions, tiers, zone_kinds, enemy_kinds, enemy_classes = (
            list(c) for c in zip(*self.static, strict=True)
        )
        return Income(
            source_kind=kinds,
            source=sources,
            zone=names,
            region=regions,
            tier=tiers,
            zone_kind=zone_kinds,
            enemy_kind=enemy_kinds,
            enemy_class=enemy_classes,
            activity=acts,
            count=self.count,
            runes=self.runes,
        ).column_dict(replication)


_INCOME = tuple(c.name for c in columns(Income))


def _income_static(
    pt: Playthrough, key: tuple[str, str, str, str], known: dict[tuple[str, str, str, str], tuple]
) -> tuple:
    """An income key's region, tier, zone kind, enemy kind and enemy class (kept in ``known``)."""
    kind, source, zone_name, _ = key
    zone = pt.world.zones[zone_name]
    enemy = pt.index.enemies.get((source, zone_name)) if kind == "enemy" else None
    row = (
        zone.region,
        zone.tier,
        zone.kind,
        enemy.kind if enemy else "",
        enemy.enemy_class if enemy else "",
    )
    known[key] = row
    return row


def _activity(pt: Playthrough) -> Activity:
    places = pt.ledger.activity
    if not places:
        return Activity()
    # one row per (zone, activity), built column by column
    names, acts = (list(c) for c in zip(*places, strict=True))
    zs = list(map(pt.world.zones.__getitem__, names))
    totals = list(places.values())

    def column(attribute: str, rows: list, cast: Any = None) -> list:
        values = map(attrgetter(attribute), rows)
        return list(values if cast is None else map(cast, values))

    return Activity(
        zone=names,
        region=column("region", zs),
        tier=column("tier", zs),
        zone_kind=column("kind", zs),
        invasion_zone=column("invasions", zs),
        activity=acts,
        hours=column("hours", totals),
        deaths=column("deaths", totals, int),
        runes_earned=column("runes_earned", totals, int),
        runes_lost=column("runes_lost", totals, int),
        invasions=column("invasions", totals, int),
    )


def run_replication(scenario: Scenario, world: World, index: int) -> ReplicationResult:
    """Run replication ``index`` of ``scenario`` on ``world``; pure (no I/O)."""
    pt = simulate(scenario, world, index)
    return ReplicationResult(
        summary=summary_row(pt, index),
        trajectories=pt.trajectory.view(index),
        events=pt.events.column_dict(index),
        income=ColumnsView(IncomeRows(pt), index, _INCOME),
        activity=_activity(pt).column_dict(index),
    )
