"""One player's playthrough: its state in named parts, and the rules every activity shares.

The parts: ``player`` (access state and body, ``sim.model.player``), ``clock`` and
``grid`` (``sim.model.clock``), ``ledger`` and ``runes`` (where runes go, what kills pay),
``patience`` (quitting), ``events`` and ``trajectory`` (the records). Waiting (so invaders
can interrupt), dying and dropping runes, running back to the bloodstain, resting at a
grace and levelling up live here; the activities (explore, bosses, farming, quests) are
processes built on them. Strategies see a playthrough as ``sim.strategy.view.PlayView``.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import simpy

from sim.columns import Events, Trajectories
from sim.model.clock import Clock, Grid
from sim.model.combat import Combat
from sim.model.index import WorldIndex
from sim.model.ledger import Ledger
from sim.model.player import DEATH_CAUSES, HOUR, Died, Player, Proc, Quit
from sim.model.quitting import Patience
from sim.model.rates import expected_grind_rate
from sim.model.rng import Gammas, Streams, Uniforms
from sim.model.runes import RuneRates
from sim.model.traits import PlayerTraits, neutral_traits
from sim.scenario.schema import Scenario
from sim.world.access import quest_ready
from sim.world.grants import grant
from sim.world.levels import levels_of
from sim.world.schema import Boss, World, Zone

if TYPE_CHECKING:
    from sim.model.fast import Run

__all__ = ["Died", "Quit", "Player", "Playthrough", "HOUR", "DEATH_CAUSES", "Proc"]


class Playthrough:
    """The context every process of one replication shares."""

    def __init__(
        self,
        env: simpy.Environment,
        scenario: Scenario,
        world: World,
        index: WorldIndex,
        streams: Streams,
        skill: float,
        traits: PlayerTraits | None = None,
        *,
        on_interrupt: Callable[[Playthrough], Proc] | None = None,
        queue: bool = False,
    ) -> None:
        """``on_interrupt(pt)``: the duel an invader brings (``sim.model.invasions.duel``);
        without it no invader can come. ``queue``: the fast engine runs on SimPy's event queue
        even where no invader can come (see ``driven``)."""
        self.env = env
        self.scenario = scenario
        self.world = world
        self.index = index
        self.rng = streams
        pl = scenario.player
        start = scenario.ng.start_level or pl.start_level or world.classes[pl.start_class].level
        self.player = Player(level=start, skill=skill)
        self.traits = traits if traits is not None else neutral_traits(scenario)
        self.patience = Patience(
            scenario.quitting, self.traits.tolerance, float(streams.quit.exponential(1.0))
        )
        self.u_field = Uniforms(streams.field)
        self._income_seen = (
            0  # runes earned by the last rest (the share spent elsewhere is of new income)
        )
        self.spent_other = 0  # runes spent on other things than levels
        self.player.level_times.append(0.0)
        self.player.level_values.append(start)
        self.combat = Combat(scenario.model, skill)
        deaths = world.rules.death
        self.ledger = Ledger(
            drop_held=deaths.drop_all_held, lose_old_stain=deaths.lost_on_second_death
        )
        self._keep_bag = deaths.golden_rune_items_kept
        self._levelling = scenario.levelling.policy != "never"  # levels are bought at a grace
        self._levels = levels_of(world)
        self.events, self.trajectory = Events(), Trajectories()  # two of the tables
        self.bag: list[tuple[str, int, str, str]] = []  # golden-rune items not yet used
        self.loot_taken: dict[str, set[int]] = {}  # zone -> loot already picked up
        self.rate_cache: dict[tuple[str, int, float], tuple[list[float], list[float], float]] = {}
        self.u_death = Uniforms(streams.death)
        self.u_runback = Uniforms(streams.runback)
        self.u_boss = Uniforms(streams.boss)
        self.u_route = Uniforms(streams.route)
        # kill and loop times: the combat stream's only draws (standard gammas of one shape)
        self.g_combat = Gammas(streams.combat, scenario.model.kill_time.shape)
        self.clock = Clock(env)
        self.grid = Grid(scenario.horizon_hours, scenario.record.grid_hours)
        self.sim_events = 0
        self.on_interrupt = on_interrupt
        # invaders can come at all (then fights keep a redraw for an interrupted encounter)
        self.invadable = on_interrupt is not None and scenario.invasions.per_hour > 0
        # the fast engine (sim.model.fast) and its run of encounters in flight
        self.fast = scenario.model.engine == "fast"
        # what the player's process yields to spend hours of play: a SimPy timeout, or the
        # hours themselves where the fast engine plays the process alone (``fast.drive``)
        self.driven = self.fast and not self.invadable and not queue
        self.pause: Callable[[float], Any] = float if self.driven else env.timeout
        self.wearing_off = math.inf  # driven: when the Fowl Foot eaten wears off (sim.model.buffs)
        self.run: Run | None = None
        m = world.rules.multipliers
        self.runes = RuneRates(m, scenario.ng.cycle)
        # the levels the NG+ cycle adds to every place's difficulty
        self.ng_difficulty = scenario.ng.difficulty_per_cycle * self.runes.cycle
        self._gaps: dict[tuple[int, int, float], float] = {}  # see zone_gap
        # a run back's death chance by the gap of the place it crosses (see respawn)
        self._runback_risk: dict[float, float] = {}
        self.field_rates: tuple[float, float] | None = None  # sim.model.rates.field_hazard
        if self.runes.cycle:
            self.player.upgrade = scenario.model.power.upgrade_max  # gear carries over into NG+
            self.player.scarab = scenario.buffs.scarab != "never" and scenario.buffs.scarab_carried
        if pl.start_upgrade is not None:
            self.player.upgrade = pl.start_upgrade
        grant(self.player, pl.has)
        if scenario.buffs.scarab == "always":
            self.player.scarab = True
        self.player.fowl_left = scenario.buffs.fowl_foot_count

    # records -------------------------------------------------------------------
    def log(
        self, event: str, detail: str = "", value: float = math.nan, zone: str | None = None
    ) -> None:
        self.events.add(
            self.env.now, event, self.player.zone if zone is None else zone, detail, value
        )

    def set_place(self, zone: str, activity: str) -> None:
        """Move the player; play time so far is booked to the place it was spent in."""
        p = self.player
        clock = self.clock
        hours = clock.since_place()
        if p.zone:
            self.ledger.add_time(p.zone, p.activity, hours)
        clock.end_exposure()
        if zone != p.zone:
            p.zone = zone
            self.log("zone_enter", activity)
        p.activity = activity
        clock.start_exposure(self.exposed)

    def close(self) -> None:
        """Book the last stretch of play time (at the finish, or at the horizon)."""
        p = self.player
        clock = self.clock
        if clock.closed:
            return
        clock.closed = True
        clock.ended_at = self.env.now
        hours = clock.since_place()
        if p.zone:
            self.ledger.add_time(p.zone, p.activity, hours)
        clock.end_exposure()

    def start(self, main: Proc) -> None:
        """Start the player's main process (the one an invader interrupts)."""
        self.clock.process = self.env.process(main)

    @property
    def exposed(self) -> bool:
        """Whether an invader can come now: an invasion-prone zone, out in the field, not
        already fighting one, not finished."""
        p = self.player
        zone = self.world.zones.get(p.zone)
        return (
            zone is not None
            and zone.invasions
            and p.activity in ("explore", "grind", "farm")
            and not self.clock.in_duel
            and math.isnan(p.finished_at)
        )

    # the clock -------------------------------------------------------------------------
    def wait(self, hours: float, redraw: Any = None) -> Iterator[simpy.Event]:
        """Spend ``hours`` of play (``yield from pt.wait(hours)``); an invader may interrupt
        (see ``invasions.on_interrupt``).

        After a won duel the activity goes on as the scenario's ``invasions.on_interrupt``
        says: ``resume`` the time left, ``restart`` the full time, or ``resample`` a new
        time with ``redraw()``. A lost duel raises ``Died``. Where no invader can come, the
        wait is one plain timeout (no generator of its own).
        """
        if not self.invadable:
            return iter((self.pause(hours),))
        return self._interruptible(hours, redraw)

    def _interruptible(self, hours: float, redraw: Any) -> Proc:
        env = self.env
        remaining = hours
        while True:
            started = env.now
            try:
                yield env.timeout(remaining)
                return
            except simpy.Interrupt:
                done = env.now - started
                yield from self.interrupted()  # raises Died if the duel is lost
                option = self.scenario.invasions.on_interrupt
                if option == "resume":
                    remaining = max(remaining - done, 0.0)
                elif option == "restart":
                    remaining = hours
                else:
                    remaining = redraw() if redraw is not None else hours

    def interrupted(self) -> Proc:
        """An invader came: the duel (``on_interrupt``); raises ``Died`` if it is lost."""
        if self.on_interrupt is not None:
            yield from self.on_interrupt(self)

    # runes -------------------------------------------------------------------------------
    def multiplier(self, tier: int) -> float:
        """The rune multiplier on kills now: Golden Scarab, Fowl Foot and the NG+ cycle."""
        return self.runes.multiplier(self.player, tier, self.env.now)

    def earn_kill(self, runes: int, kind: str, source: str, zone: Zone, count: int = 1) -> None:
        paid = int(runes * self.multiplier(zone.tier))
        self.ledger.earn(paid, kind, source, zone.name, self.player.activity, count)

    def boss_runes(self, boss: Boss) -> int:
        return self.runes.boss(self.player, boss, self.world.zones[boss.zone].tier, self.env.now)

    # gaps -------------------------------------------------------------------------------
    def zone_gap(self, zone: Zone) -> float:
        """The zone's difficulty minus the player's power (kept per zone, level and weapon)."""
        p = self.player
        key = (id(zone), p.level, p.upgrade)  # the world's zones live as long as it does
        gap = self._gaps.get(key)
        if gap is None:
            needed = zone.level + self.ng_difficulty
            gap = self._gaps[key] = self.combat.gap(needed, zone.tier, p.level, p.upgrade)
        return gap

    def boss_gap(self, boss: Boss) -> float:
        p = self.player
        tier = self.world.zones[boss.zone].tier
        return self.combat.gap(boss.level + self.ng_difficulty, tier, p.level, p.upgrade)

    # loot and progress ----------------------------------------------------------------
    def pick_up(self, item: str, runes: int) -> None:
        """Pick up a golden-rune item: kept in the bag (safe from death) until the next grace."""
        p = self.player
        self.bag.append((item, runes, p.zone, p.activity))
        self.log("item", item, float(runes))

    def explored(self, zone: Zone) -> None:
        """A zone explored: its smithing stones raise the weapon, its finds are in hand."""
        p = self.player
        p.zones.add(zone.name)
        p.upgrade = max(p.upgrade, self.combat.upgrade_for_tier(zone.tier))
        grant(p, zone.grants)
        buffs = self.scenario.buffs
        if buffs.scarab_item in p.items and not p.scarab and buffs.scarab == "when_found":
            p.scarab = True
            self.log("buff_on", buffs.scarab_item, self.runes.scarab)

    def grind_rate(self, zone: str) -> float:
        """Expected runes per hour from grinding ``zone``'s respawning enemies now."""
        return expected_grind_rate(self, zone)

    def quest_ready(self, quest: str) -> bool:
        """Whether the next step of ``quest`` can be done now (its needs met, its place open)."""
        return quest_ready(self.world, quest, self.player)

    @property
    def quest_progress(self) -> dict[str, int]:
        """Quest -> last step done."""
        return self.player.progress

    # grace, death and the bloodstain ----------------------------------------------------
    def rest(self) -> None:
        """Rest at a Site of Grace: use golden runes in the bag, buy levels as the policy says."""
        if self.bag:
            self.ledger.earn_items(self.bag)
            self.bag.clear()
        if self.patience.after_hours(self.env.now):  # self.check_quit(), inlined
            self.quit("hours")
        if not self._levelling:
            return
        if self.traits.spend_share > 0:
            self._spend_elsewhere()
        else:  # nothing is spent elsewhere: only the income seen moves on
            self._income_seen = self.ledger.earned
        p = self.player
        level, costs = p.level, self._levels.costs
        if 1 <= level < len(costs) and self.ledger.held < costs[level]:
            return  # not even the next level (most rests)
        bought, cost = self._levels.affordable(level, self.ledger.held)  # stops at the cap
        if bought <= 0:
            return
        self.ledger.spend(cost)
        p.level += bought
        now = self.env.now
        p.level_times.append(now)
        p.level_values.append(p.level)
        self.log("level_up", f"+{bought}", float(p.level))

    def _spend_elsewhere(self) -> None:
        """Spend the player's share of the income earned since the last rest on other things
        than levels (smithing stones, consumables, spells), as far as the runes held allow."""
        share = self.traits.spend_share
        new = self.ledger.earned - self._income_seen
        self._income_seen = self.ledger.earned
        if share <= 0 or new <= 0:
            return
        runes = min(int(share * new), self.ledger.held)
        if runes > 0:
            self.ledger.spend(runes)
            self.spent_other += runes

    # quitting -------------------------------------------------------------------------------
    def check_quit(self) -> None:
        """The hourly quitting hazard since the last check: raises ``Quit`` if the player leaves."""
        if self.patience.after_hours(self.env.now):
            self.quit("hours")

    def check_quit_after_loss(self, boss: str) -> None:
        """After the k-th boss loss in a row, the player leaves with chance per_loss_in_a_row x k
        (over the tolerance): that chance's hazard is added to the running total."""
        if self.patience.after_loss(self.player.streak):
            self.quit(f"{boss} after {self.player.streak} losses in a row")

    def quit(self, reason: str) -> None:
        p = self.player
        p.quit_at = self.env.now
        self.close()
        self.log("quit", reason, float(p.level))
        raise Quit(reason)

    def die(self, cause: str = "enemy") -> None:
        """Death: the runes held drop as a bloodstain here; an old stain is lost for good
        (as ``rules.death`` says: see ``Ledger.drop``). Golden-rune items in the bag are kept
        unless ``rules.death.golden_rune_items_kept`` is false."""
        p = self.player
        p.deaths += 1
        p.deaths_by[cause] += 1
        dropped = self.ledger.held if self.ledger.drop_held else 0
        if not self._keep_bag:
            self.bag.clear()
        lost = self.ledger.drop(p.zone, p.activity)
        if lost:
            self.log("lose", "", float(lost))
        detail = p.activity if cause in ("enemy", "boss", "farm") else f"{p.activity}: {cause}"
        self.log("death", detail, float(dropped))

    def respawn(self, gap: float, p_die: float | None = None) -> Proc:
        """Back at the last grace, run to the bloodstain; dying on the way loses it for good.

        The run back crosses enemies at the place's gap, unless ``p_die`` gives the risk.
        """
        if p_die is None:
            p_die = self._runback_risk.get(gap)
            if p_die is None:
                p_die = self._runback_risk[gap] = self._runback_failure(
                    self.combat.runback_death_chance(gap)
                )
        else:
            p_die = self._runback_failure(p_die)
        shape, scale = self.combat.runback_shape, self.combat.runback_scale
        rng = self.rng.runback
        while True:
            self.rest()
            run = rng.gamma(shape, scale) / HOUR
            try:
                yield from self.wait(run)
            except Died:  # a lost duel on the way: the death is already booked
                continue
            if self.u_runback() < p_die:
                self.die("runback")
                continue
            if self.ledger.stain:
                self.log("recover", "", float(self.ledger.recover()))
            else:
                self.ledger.recover()
            return

    def _runback_failure(self, p_die: float) -> float:
        """A run back can also fail to a fall or an ambush, less often for a careful player."""
        return 1.0 - (1.0 - p_die) * (1.0 - self.scenario.field.runback_failure / self.traits.care)

    def level_at(self, hour: float) -> int:
        """The player's level at ``hour`` of play."""
        p = self.player
        i = bisect.bisect_right(p.level_times, hour) - 1
        return p.level_values[max(i, 0)]
