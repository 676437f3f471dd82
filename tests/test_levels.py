"""Level-up costs: the published figures, the exact-arithmetic convention, greedy buying."""

from __future__ import annotations

import math
import tomllib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.world import levels
from sim.world.levels import (
    affordable_levels,
    level_cost,
    level_total,
    levels_table,
    packaged_levels,
)

MAX_LEVEL = packaged_levels().max_level
COSTS = packaged_levels().costs
TOTALS = packaged_levels().totals

# ---- single steps (mechanics.md s.4; cost indexed by the level you are at) ----


def test_cost_level_1_to_2():
    """The first level-up costs 673 runes (npm elden-ring README '2: { runes: 673 }')."""
    assert level_cost(1) == 673


def test_cost_level_2_to_3():
    """Level 2 -> 3 costs 689 (npm elden-ring README '3: { runes: 689, total: 1362 }')."""
    assert level_cost(2) == 689


def test_cost_level_11_to_12():
    """11 -> 12 costs 847, the last step on the flat 0.1 slope."""
    assert level_cost(11) == 847


def test_cost_level_12_to_13():
    """12 -> 13 costs 1,038: the 0.02 slope starts once x = L + 81 passes 92."""
    assert level_cost(12) == 1_038


def test_cost_level_49_to_50():
    """49 -> 50 costs 14,535."""
    assert level_cost(49) == 14_535


def test_cost_level_50_to_51():
    """50 -> 51 costs 15,102 (a rounding variant of the formula would give 15,103)."""
    assert level_cost(50) == 15_102


def test_cost_level_100_to_101():
    """100 -> 101 costs 61,591."""
    assert level_cost(100) == 61_591


def test_cost_level_150_to_151():
    """150 -> 151 costs 153,680."""
    assert level_cost(150) == 153_680


def test_cost_level_237_to_238():
    """237 -> 238 costs 467,193."""
    assert level_cost(237) == 467_193


def test_cost_level_257_to_258_matches_in_game_report():
    """257 -> 258 costs 573,505, the one in-game figure reported at high level (floor, not
    round)."""
    assert level_cost(257) == 573_505


# ---- totals ----


def test_total_level_1_to_150():
    """Reaching 150 from level 1 costs 7,112,459 runes (the sum of cost(1..149))."""
    assert level_total(149) == 7_112_459


def test_total_level_1_to_713():
    """Reaching the maximum level 713 from level 1 costs 1,692,566,842 runes."""
    assert level_total(MAX_LEVEL - 1) == 1_692_566_842


def test_total_level_1_to_10_matches_npm_runes_to():
    """npm elden-ring runesTo(10) = 6,667: reaching 10 from 1."""
    assert level_total(9) == 6_667


def test_total_level_7_to_10_matches_npm_runes_from_to():
    """npm elden-ring runesFromTo(7, 10) = 2,379."""
    assert level_total(9) - level_total(6) == 2_379


def test_total_vagabond_start_to_150():
    """A Vagabond (level 9) needs 7,106,603 runes to reach 150."""
    assert level_total(149) - level_total(8) == 7_106_603


def test_total_level_0_is_nothing():
    """level_total(0) is the empty sum: staying at level 1 costs nothing."""
    assert level_total(0) == 0


# ---- shape of the curve ----


def test_cost_strictly_increasing():
    """Every level costs more than the one before it, 1 -> 2 through 712 -> 713."""
    assert all(a < b for a, b in zip(COSTS[1:], COSTS[2:], strict=False))


def test_table_has_every_purchasable_level():
    """The precomputed table covers the steps 1 -> 2 ... 712 -> 713 and nothing else."""
    assert MAX_LEVEL == 713
    assert len(COSTS) == MAX_LEVEL and COSTS[0] == 0
    with pytest.raises(ValueError):
        level_cost(MAX_LEVEL)
    with pytest.raises(ValueError):
        level_cost(0)


def test_totals_are_running_sums_of_costs():
    """TOTALS[L] is cost(1) + ... + cost(L) at every level."""
    assert all(TOTALS[L] == sum(COSTS[1 : L + 1]) for L in range(0, MAX_LEVEL, 37))
    assert TOTALS[-1] == sum(COSTS)


def test_coefficients_come_from_rules_toml():
    """The curve the module evaluates is the [level_curve] table of sim/data/rules.toml."""
    with levels.RULES_FILE.open("rb") as f:
        curve = tomllib.load(f)["level_curve"]
    assert all(levels.curve_cost(L, **curve) == COSTS[L] for L in (1, 12, 300, 712))


def test_exact_convention_at_level_24():
    """Where the product is an exact integer the +1 is kept: 24 -> 25 costs 3,970 (doubles:
    3,969)."""
    assert level_cost(24) == 3_970


def test_exact_and_double_precision_differ_by_one_at_36_levels():
    """The +-1 doubt is bounded: a left-to-right double evaluation is one rune lower at exactly 36
    levels."""

    def in_doubles(level: int) -> int:
        x = level + 81
        return math.floor((max(0, x - 92) * 0.02 + 0.1) * x * x + 1)

    diffs = {L: level_cost(L) - in_doubles(L) for L in range(1, MAX_LEVEL)}
    differing = sorted(L for L, d in diffs.items() if d)
    assert len(differing) == 36
    assert differing[:4] == [24, 29, 209, 224]
    assert {diffs[L] for L in differing} == {1}


# ---- levels_table ----


def test_levels_table_rows():
    """levels_table() has one row per level 1..712 with level, cost and running total."""
    rows = levels_table()
    assert len(rows) == 712
    assert rows[0] == {"level": 1, "cost": 673, "total": 673}
    assert rows[1] == {"level": 2, "cost": 689, "total": 1_362}
    assert rows[-1]["level"] == 712 and rows[-1]["total"] == 1_692_566_842


# ---- affordable_levels ----


def test_affordable_one_rune_short_buys_nothing():
    """672 runes at level 1 buy nothing."""
    assert affordable_levels(1, 672) == (0, 0)


def test_affordable_buys_greedily_and_keeps_change():
    """673 + 688 runes at level 1 buy one level (the next costs 689) and spend 673."""
    assert affordable_levels(1, 673 + 688) == (1, 673)


def test_affordable_stops_at_max_level():
    """Unlimited runes from level 1 buy 712 levels, to 713, and no more."""
    assert affordable_levels(1, 10**12) == (712, 1_692_566_842)
    assert affordable_levels(MAX_LEVEL, 10**9) == (0, 0)


def test_affordable_rejects_negative_runes():
    """Holding a negative number of runes is a programming error."""
    with pytest.raises(ValueError):
        affordable_levels(1, -1)


@given(level=st.integers(1, MAX_LEVEL), runes=st.integers(0, 2 * 10**9))
def test_affordable_spends_exact_sum_never_more_than_held(level, runes):
    """Greedy buying spends exactly the sum of the bought steps, never more than held,
    and stops only when the next step is unaffordable or the maximum level is reached."""
    bought, spent = affordable_levels(level, runes)
    assert spent == sum(level_cost(L) for L in range(level, level + bought))
    assert 0 <= spent <= runes
    reached = level + bought
    assert reached == MAX_LEVEL or runes - spent < level_cost(reached)


def test_the_simulator_levels_on_the_loaded_worlds_curve(tmp_path):
    """A world with its own level curve (a data directory's rules.toml) reaches levelling:
    the costs come from the loaded world, and are computed once per world."""
    from sim.world.levels import levels_of
    from sim.world.load import load_world

    world = load_world()
    steeper = world.model_copy(
        update={
            "rules": world.rules.model_copy(
                update={"level_curve": world.rules.level_curve.model_copy(update={"slope": "0.2"})}
            )
        }
    )
    assert levels_of(world).costs == COSTS
    assert levels_of(steeper).cost(1) > level_cost(1)
    assert levels_of(world) is levels_of(world)
    assert levels_of(steeper) is not levels_of(world)
