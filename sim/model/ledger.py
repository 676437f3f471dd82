"""Where every rune goes: earned, spent on levels, held, lying in a bloodstain, or lost.

The ledger keeps the conservation law true by construction
(earned = spent + held + in bloodstain + lost) and aggregates income and play
time by source and activity as flat rows, tabulated once at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Ledger", "EARN_KINDS", "SourceTotals", "PlaceTotals"]

EARN_KINDS = ("enemy", "boss", "item", "farm", "invasion")


@dataclass(slots=True)
class SourceTotals:
    """An ``income`` row's totals: what one source paid in one zone and activity."""

    count: int = 0
    runes: int = 0


@dataclass(slots=True)
class PlaceTotals:
    """An ``activity`` row's totals: play in one zone and activity."""

    hours: float = 0.0
    deaths: int = 0
    runes_earned: int = 0
    runes_lost: int = 0
    invasions: int = 0


@dataclass(slots=True)
class Ledger:
    """The runes of one player, and the records of how they moved."""

    held: int = 0
    spent: int = 0
    lost: int = 0
    stain: int = 0  # runes lying in the bloodstain
    stain_zone: str = ""  # where the bloodstain lies ("" = none)
    earned: int = 0
    earned_by: dict[str, int] = field(default_factory=lambda: dict.fromkeys(EARN_KINDS, 0))
    # (source_kind, source, zone, activity) -> totals
    income: dict[tuple[str, str, str, str], SourceTotals] = field(default_factory=dict)
    # (zone, activity) -> totals
    activity: dict[tuple[str, str], PlaceTotals] = field(default_factory=dict)
    # a zone's list of income keys by encounter type (``ZonePlan.income_keys``) -> the income
    # row of each key, or None before its first kill (the kills booked without a key look-up)
    by_type: dict[int, tuple[list, list[SourceTotals | None]]] = field(default_factory=dict)
    # the world's death rules (rules.toml [death]): a death drops the runes held, and an
    # unrecovered bloodstain is lost at the next death
    drop_held: bool = True
    lose_old_stain: bool = True

    def earn(
        self, runes: int, kind: str, source: str, zone: str, activity: str, count: int = 1
    ) -> None:
        """Add ``runes`` to the runes held, booked to their source."""
        self.held += runes
        self.earned += runes
        self.earned_by[kind] += runes
        key = (kind, source, zone, activity)
        row = self.income.get(key)
        if row is None:
            self.income[key] = SourceTotals(count, runes)
        else:
            row.count += count
            row.runes += runes
        place = self.activity.get((zone, activity))  # self.place(zone, activity), inlined
        if place is None:
            place = self.activity[(zone, activity)] = PlaceTotals()
        place.runes_earned += runes

    def earn_items(self, bag: list[tuple[str, int, str, str]]) -> None:
        """``earn(runes, "item", item, zone, activity)`` for each ``(item, runes, zone,
        activity)`` of ``bag``, in order (rows are created in the same order; the totals
        added once)."""
        income, places = self.income, self.activity
        total = 0
        for item, runes, zone, activity in bag:
            total += runes
            key = ("item", item, zone, activity)
            row = income.get(key)
            if row is None:
                income[key] = SourceTotals(1, runes)
            else:
                row.count += 1
                row.runes += runes
            place = places.get((zone, activity))
            if place is None:
                place = places[(zone, activity)] = PlaceTotals()
            place.runes_earned += runes
        self.held += total
        self.earned += total
        self.earned_by["item"] += total

    def income_row(self, key: tuple[str, str, str, str]) -> SourceTotals:
        """The income row of ``key`` (created empty, in first-booking order, on first use)."""
        row = self.income.get(key)
        if row is None:
            row = self.income[key] = SourceTotals()
        return row

    def rows_of(self, keys: list[tuple[str, str, str, str]]) -> list[SourceTotals | None]:
        """The income rows of ``keys`` as a list, kept for the replication (see ``by_type``)."""
        hit = self.by_type.get(id(keys))
        if hit is None or hit[0] is not keys:
            hit = self.by_type[id(keys)] = (keys, [self.income.get(k) for k in keys])
        return hit[1]

    def spend(self, runes: int) -> None:
        """Spend runes held (at a grace, on levels)."""
        if runes > self.held:
            raise ValueError(f"cannot spend {runes} runes holding {self.held}")
        self.held -= runes
        self.spent += runes

    def drop(self, zone: str, activity: str) -> int:
        """Die: an unrecovered bloodstain is lost for good; the runes held become the new stain.

        Returns the runes lost for good by this death (0 if there was no old stain). Under
        other death rules the runes held stay held (``drop_held`` false), or the old stain
        joins the new one (``lose_old_stain`` false).
        """
        self.place(zone, activity).deaths += 1
        if not self.drop_held:
            return 0
        lost_now = self.stain if self.lose_old_stain else 0
        if lost_now:
            self.lost += lost_now
            self.place(self.stain_zone, activity).runes_lost += lost_now
        self.stain = self.held + (0 if self.lose_old_stain else self.stain)
        self.stain_zone = zone
        self.held = 0
        return lost_now

    def recover(self) -> int:
        """Touch the bloodstain: its runes are held again."""
        runes = self.stain
        self.held += runes
        self.stain = 0
        self.stain_zone = ""
        return runes

    def add_time(self, zone: str, activity: str, hours: float) -> None:
        self.place(zone, activity).hours += hours

    def add_invasion(self, zone: str, activity: str) -> None:
        self.place(zone, activity).invasions += 1

    def place(self, zone: str, activity: str) -> PlaceTotals:
        """The totals of play in ``zone`` at ``activity`` (created empty on first use)."""
        key = (zone, activity)
        row = self.activity.get(key)
        if row is None:
            row = self.activity[key] = PlaceTotals()
        return row

    def balanced(self) -> bool:
        """The conservation law: earned = spent + held + in bloodstain + lost."""
        return self.earned == self.spent + self.held + self.stain + self.lost
