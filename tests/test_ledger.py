"""The ledger's batched bookings give the rows and sums of booking one by one."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sim.model.ledger import Ledger

ITEMS = st.lists(
    st.tuples(
        st.sampled_from(["Golden Rune [1]", "Golden Rune [5]", "Hero's Rune [2]"]),
        st.integers(min_value=0, max_value=10_000),
        st.sampled_from(["Limgrave", "Caelid"]),
        st.sampled_from(["explore", "grind"]),
    ),
    max_size=30,
)


@given(first=ITEMS, bag=ITEMS)
def test_earning_a_bag_of_items_is_earning_each(first, bag) -> None:
    one, many = Ledger(), Ledger()
    for led in (one, many):  # rows that exist before the bag, in both
        for item, runes, zone, act in first:
            led.earn(runes, "item", item, zone, act)
    for item, runes, zone, act in bag:
        one.earn(runes, "item", item, zone, act)
    many.earn_items(bag)
    assert list(many.income.items()) == list(one.income.items())  # same rows, same order
    assert list(many.activity.items()) == list(one.activity.items())
    assert (many.held, many.earned, many.earned_by) == (one.held, one.earned, one.earned_by)
