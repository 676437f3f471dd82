"""The fast engine: fewer, larger SimPy events, the same model.

The reference engine (``model.engine = "reference"``) gives every encounter its own
SimPy timeout and samples the trajectory with a process of its own. The fast engine
plays the same rules with fewer events:

- a run of encounters with no decision in between (up to the next grace, or the
  first death) is one timeout whose length is the sum of the kill times; an invader
  who interrupts it falls in the encounter found by a search over the cumulative
  kill times, and the encounters already done are booked at their own times;
- kills are booked to the ledger once per enemy and run, not once per kill;
- the trajectory is recorded without a process: each time the player's process
  resumes, the grid times passed since are filled from the state, which changed
  only at the instants the process ran (and, inside a run, by the kills finished
  before the grid time, added from the run's cumulative runes).

Every event ``trace``, the claims and the tables read is still logged, at the hour it
happened; ``finish_events`` sorts the log by time at the end.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Generator
from typing import Any

import simpy

from sim.model.buffs import wear_off
from sim.model.index import ZonePlan
from sim.model.playthrough import Died, Playthrough, Proc
from sim.model.rates import field_hazard
from sim.model.recorder import snapshots

__all__ = [
    "ENGINES",
    "fight_run",
    "caught_up",
    "drive",
    "catch_up",
    "settle_at_horizon",
    "finish_events",
]

ENGINES = ("fast", "reference")


class Run:
    """Encounters in flight: when each one ends and the runes paid up to it (for the recorder),
    and what booking them needs (``settle``)."""

    __slots__ = ("ends", "paid", "book")

    def __init__(self, ends: list[float], paid: list[int], book: tuple) -> None:
        self.ends = ends  # end hour of each encounter that pays (the fatal one excluded)
        self.paid = paid  # runes paid by the encounters before each end, cumulative, from 0
        self.book = book  # (pt, plan, visit, first encounter, loot_at, keys) for ``_book``

    def settle(self, hour: float) -> None:
        """Book the encounters finished before ``hour``."""
        pt, plan, visit, lo, loot_at, keys = self.book
        hi = lo + bisect.bisect_left(self.ends, hour)
        _book(pt, plan, visit, lo, hi, self.paid, self.ends, loot_at, keys)


def catch_up(pt: Playthrough, now: float) -> None:
    """Record the trajectory at every grid time before ``now`` not recorded yet."""
    times = pt.grid.times
    start = pt.grid.next
    n = len(times)
    # the first grid time at or after both now and the horizon
    k = bisect.bisect_left(times, min(now, pt.grid.horizon), start)
    if k > start:
        hours = times[start:k]
        run: Run | None = pt.run
        if run is None:
            snapshots(pt, hours)
        else:  # runes paid by the encounters of the run in flight finished by each time
            paid, ends = run.paid, run.ends
            snapshots(pt, hours, [paid[bisect.bisect_right(ends, t)] for t in hours])
    pt.grid.next = k
    pt.grid.due = times[k] if k < n else float("inf")


def caught_up(pt: Playthrough, gen: Generator[Any, Any, Any]) -> Proc:
    """Drive the player's process ``gen``; each time it resumes, record the grid times passed."""
    env = pt.env
    pt.grid.due = pt.grid.times[0] if pt.grid.times else float("inf")
    try:
        event = next(gen)
    except StopIteration as stop:
        return stop.value
    while True:
        try:
            value = yield event
        except Exception as exc:  # an interrupt: forwarded after the record is brought up to now
            catch_up(pt, env.now)
            try:
                event = gen.throw(exc)
            except StopIteration as stop:
                return stop.value
            continue
        if env.now > pt.grid.due:
            catch_up(pt, env.now)
        try:
            event = gen.send(value)
        except StopIteration as stop:
            return stop.value


def drive(pt: Playthrough, gen: Generator[Any, Any, Any], until: float) -> bool:
    """Play the player's process ``gen`` up to the hour ``until`` where it is the only process
    that acts (no invader can come): each pause it yields (``pt.pause``: hours) moves the
    environment's clock, as a timeout would, and the grid times passed are recorded; a pause
    that ends at or after ``until`` is not finished, as ``env.run(until=...)`` leaves it.

    Returns whether the process was still playing at ``until``. ``pt.sim_events`` counts the
    events SimPy would have scheduled for the same play (see ``simpy_events``).
    """
    env = pt.env
    grid = pt.grid
    grid.due = grid.times[0] if grid.times else float("inf")
    pauses = 0
    alive = True
    now = env.now
    try:
        hours = next(gen)
        while True:
            pauses += 1
            if hours < 0:
                raise ValueError(f"negative pause {hours} at hour {now}")
            t = now + hours
            if t >= until:
                break
            if t > pt.wearing_off:
                wear_off(pt)
            env._now = now = t
            if t > grid.due:
                catch_up(pt, t)
            hours = gen.send(None)
    except StopIteration:
        alive = False
    if pt.wearing_off < until:
        wear_off(pt)
    env._now = until
    pt.sim_events += simpy_events(pauses, alive)
    return alive


def simpy_events(pauses: int, alive: bool) -> int:
    """The events SimPy schedules for a player's process of ``pauses`` timeouts run to the
    horizon with an invader process that never sends one: the process's start and (if it
    ended) its end, the invader process's start and end, the horizon's stop (scheduled, then
    scheduled again as the run stops there), the timeouts."""
    return 1 + (0 if alive else 1) + 2 + 2 + pauses


def settle_at_horizon(pt: Playthrough, horizon: float) -> None:
    """The horizon fell inside a run: book its encounters finished before the horizon (as the
    reference engine has booked them one by one), after the grid has been filled."""
    run: Run | None = pt.run
    if run is not None:
        run.settle(horizon)
    pt.run = None


def finish_events(pt: Playthrough) -> None:
    """Put the event log in time order (runs log their finds after the fact); ties keep their
    order."""
    hours = pt.events.hours
    if sorted(hours) != hours:  # not already in order (a stable sort keeps an ordered list)
        pt.events.reorder(sorted(range(len(hours)), key=hours.__getitem__))


def _multiplier_at(pt: Playthrough, tier: int, hour: float) -> float:
    """``pt.multiplier(tier)`` as it will be at ``hour`` (a Fowl Foot may have worn off by then)."""
    return pt.runes.multiplier(pt.player, tier, hour)


def _book(
    pt: Playthrough,
    plan: ZonePlan,
    visit: tuple[int, ...],
    lo: int,
    hi: int,
    paid: list[int],
    ends: list[float],
    loot_at: dict | None,
    keys: list[tuple[str, str, str, str]],
) -> None:
    """Book the kills of encounters ``lo .. hi-1`` and the finds on the way.

    The same sums as one ``Ledger.earn`` per kill: the totals once, the income rows per kill.
    """
    if hi <= lo:
        return
    total = paid[hi - lo]
    led = pt.ledger
    led.held += total
    led.earned += total
    led.earned_by["enemy"] += total
    led.place(plan.name, pt.player.activity).runes_earned += total
    rows = led.rows_of(keys)  # each type's income row (None until its first kill)
    packs = plan.packs
    before = 0  # paid[0]
    for ti, upto in zip(visit[lo:hi], paid[1 : hi - lo + 1], strict=True):
        runes = upto - before
        before = upto
        row = rows[ti]
        if row is None:
            row = rows[ti] = led.income_row(keys[ti])
        row.count += packs[ti]
        row.runes += runes
    if loot_at:
        taken = pt.loot_taken[plan.name]
        where, act = pt.player.zone, pt.player.activity
        bag = pt.bag
        log = pt.events.add
        for j in range(lo, hi):
            found = loot_at.pop(j + 1, None)
            if found:
                hour = ends[j - lo]
                for item, runes, k in found:
                    bag.append((item, runes, where, act))
                    log(hour, "item", where, item, float(runes))
                    taken.add(k)


def fight_run(
    pt: Playthrough,
    plan: ZonePlan,
    visit: tuple[int, ...],
    travel_hours: float,
    loot_at: dict[int, list[tuple[str, int, int]]] | None,
    retreat_deaths: int | None,
    rates: Any,
) -> Proc:
    """``fight_encounters`` of the fast engine: the same rules, one timeout per run of encounters.

    ``rates(pt, plan)`` gives the mean kill hours, death chances and gap at the current power.
    """
    env = pt.env
    n = len(visit)
    gamma, shape, per_grace = pt.combat.encounters
    g_combat = pt.g_combat
    z = [g / shape for g in g_combat.take(n)] if gamma else [1.0] * n
    u_death = pt.u_death
    tier = plan.tier
    means, deaths, gap = rates(pt, plan)
    act = pt.player.activity
    keys = plan.income_keys(act)
    runes = plan.runes
    field_rate, fall_share = field_hazard(pt)  # field_rate: per hour of exploring
    u_field = pt.u_field
    died = 0
    i = 0
    first: float | None = None  # time left of an encounter an invader interrupted
    first_hours = 0.0  # that encounter's own length (its field hazard)
    while i < n:
        stop = min(n, (i // per_grace + 1) * per_grace)
        now = env.now
        mult = pt.multiplier(tier)
        fowl_ends = pt.player.fowl_until if now < pt.player.fowl_until else None
        t = now
        ends: list[float] = []
        paid = [0]
        fatal = -1
        cause = "enemy"
        resumed = first is not None
        total = 0
        # the draws of u_death and u_field (at most one each per encounter), taken from their
        # blocks without a call each
        dbuf, di = u_death.ahead(stop - i)
        fbuf, fi = u_field.ahead(stop - i) if field_rate > 0 else u_field.pending()
        for j in range(i, stop):
            ti = visit[j]
            if first is not None and j == i:  # resumed: the interrupted encounter first
                t += first
                hours = first_hours
            else:
                hours = z[j] * means[ti] + travel_hours
                t += hours
            u = dbuf[di]
            di += 1
            if u < deaths[ti]:
                fatal = j
                break
            if field_rate > 0:  # a fall or a status effect during the encounter (Poisson hazard)
                p = 1.0 - math.exp(-hours * field_rate)
                u = fbuf[fi]
                fi += 1
                if u < p:
                    fatal, cause = j, "fall" if u < p * fall_share else "status"
                    break
            ends.append(t)
            m = mult if fowl_ends is None or t < fowl_ends else _multiplier_at(pt, tier, t)
            total += int(runes[ti] * m)
            paid.append(total)
        u_death.resume(di)
        u_field.resume(fi)
        first = None

        pt.run = Run(ends, paid, (pt, plan, visit, i, loot_at, keys))
        try:
            yield pt.pause(t - now)
        except simpy.Interrupt:
            at = env.now
            done = bisect.bisect_right(ends, at)  # encounters finished before the invader came
            pt.run = None
            _book(pt, plan, visit, i, i + done, paid, ends, loot_at, keys)
            whole = fatal < 0 and done == len(ends)  # the invader came as the run ended
            if not whole and not (resumed and done == 0):
                first_hours = z[i + done] * means[visit[i + done]] + travel_hours
            i += done
            left = (ends[done] if done < len(ends) else t) - at
            try:
                yield from pt.interrupted()  # raises Died if the duel is lost
            except Died:
                died += 1
                yield from pt.respawn(gap)
                if retreat_deaths is not None and died >= retreat_deaths:
                    pt.log("retreat", f"after {died} deaths", float(i))
                    return False
                means, deaths, gap = rates(pt, plan)
                if i < n:
                    z[i] = g_combat.one() / shape if gamma else 1.0
                continue
            if whole:
                if i % per_grace == 0:
                    pt.rest()
                    means, deaths, gap = rates(pt, plan)
                continue
            option = pt.scenario.invasions.on_interrupt
            mean = means[visit[i]]
            if option == "resume":
                first = max(left, 0.0)
            elif option == "restart":
                first = first_hours
            else:
                first = (mean / shape * g_combat.one() if gamma else mean) + travel_hours
            continue
        pt.run = None
        done = len(ends)
        _book(pt, plan, visit, i, i + done, paid, ends, loot_at, keys)
        i += done
        if fatal >= 0:
            mishap = cause != "enemy"  # bad luck, not a sign the place is too hard
            pt.die(cause)
            died += 0 if mishap else 1
            yield from pt.respawn(gap)
            if retreat_deaths is not None and died >= retreat_deaths and not mishap:
                pt.log("retreat", f"after {died} deaths", float(i))
                return False
            means, deaths, gap = rates(pt, plan)
            z[i] = g_combat.one() / shape if gamma else 1.0
            continue
        if i % per_grace == 0:
            pt.rest()
            means, deaths, gap = rates(pt, plan)
    return True
