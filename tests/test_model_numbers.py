"""Model numbers live in the scenario or the data: the death rules steer the ledger, the
rush follows the quest the scenario names, the enemy respawn rule reaches grinding."""

from __future__ import annotations

import pytest

from sim.errors import InputError
from sim.model.index import index_for
from sim.model.ledger import Ledger
from sim.scenario.check import check_scenario
from sim.scenario.schema import Scenario
from sim.world.load import load_world


def test_defaults_keep_the_numbers_they_replace():
    s = Scenario(name="x")
    assert s.model.travel.runback_shape == 2.0
    assert s.invasions.duel_shape == 3.0
    assert s.rush_mohgwyn.invasion_shape == 2.0
    assert s.rush_mohgwyn.quest == "Varre"
    assert s.buffs.scarab_item == "Golden Scarab"


def test_the_ledger_follows_the_death_rules():
    """The game's rules: the held runes drop, an old stain is lost. Other rules: kept, or merged."""
    game = Ledger(held=100, stain=40, stain_zone="A")
    assert game.drop("B", "explore") == 40 and (game.held, game.stain, game.lost) == (0, 100, 40)
    kept = Ledger(held=100, stain=40, stain_zone="A", drop_held=False)
    assert kept.drop("B", "explore") == 0 and (kept.held, kept.stain, kept.lost) == (100, 40, 0)
    merged = Ledger(held=100, stain=40, stain_zone="A", lose_old_stain=False)
    assert merged.drop("B", "explore") == 0 and (merged.held, merged.stain, merged.lost) == (
        0,
        140,
        0,
    )
    for ledger in (game, kept, merged):
        assert ledger.activity[("B", "explore")].deaths == 1  # the death is counted either way


def test_no_respawn_at_a_grace_leaves_nothing_to_grind():
    world = load_world()
    rules = world.rules.model_copy(
        update={"death": world.rules.death.model_copy(update={"respawn_on_rest": False})}
    )
    still = world.model_copy(update={"rules": rules})
    assert any(p.respawning for p in index_for(world).plans.values())
    assert not any(p.respawning for p in index_for(still).plans.values())


def test_the_rush_quest_must_be_a_known_quest():
    s = Scenario.model_validate(
        {"name": "x", "strategy": "rush_mohgwyn", "rush_mohgwyn": {"quest": "Varr"}}
    )
    with pytest.raises(InputError) as err:
        check_scenario(s, load_world(), "x.toml")
    assert "rush_mohgwyn.quest" in err.value.message and "'Varre'" in err.value.message
