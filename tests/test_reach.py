"""What a strategy keeps of the access state (sim/strategy/reach.py) agrees with the access
rules it stands for, at every look during real playthroughs."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.model.replication import simulate
from sim.scenario.load import load_scenario
from sim.strategy import reach as reach_module
from sim.strategy.reach import guide_of
from sim.world.access import Access, boss_open, farm_open, next_quest_step, zone_open
from sim.world.load import load_world

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


@pytest.fixture(scope="module")
def world():
    return load_world()


@pytest.mark.parametrize("name", ["natural", "rush_mohgwyn", "completionist"])
def test_kept_zones_are_the_open_zones_at_every_look(world, name, monkeypatch):
    """The zones Reach keeps are exactly those whose requirements hold, whenever asked; its
    bosses and farms are open exactly when the access rules say."""
    kept = reach_module.Reach.zones
    looks = []

    def checked(self: reach_module.Reach) -> set[str]:
        got = kept(self)
        if looks and looks[-1] < 0:  # a look from inside the checks below
            return got
        p = self.player
        assert got == {z for z in self.world.zones if zone_open(self.world, z, p)}
        looks.append(-1)
        for boss in ("Margit, the Fell Omen", "Starscourge Radahn", "Morgott, the Omen King"):
            assert self.boss(boss) == boss_open(self.world, boss, p)
        for spot in self.world.farms:
            assert self.farm(spot) == farm_open(self.world, spot, p)
        looks[-1] = len(got)
        return got

    monkeypatch.setattr(reach_module.Reach, "zones", checked)
    sc = load_scenario(SCENARIOS / f"{name}.toml", world=world)
    for i in range(3):
        simulate(sc, world, i)
    assert looks and max(looks) > 1


def test_guide_orders_zones_and_bosses_by_level(world):
    guide = guide_of(world)
    assert sorted(guide.by_level, key=lambda z: (z.level, z.name)) == list(guide.by_level)
    assert set(z.name for z in guide.by_level) == set(world.zones)
    assert all(not z.main_path for z in guide.side_zones)
    assert all(b.optional and b.zone == z for z, bs in guide.optional_bosses for b in bs)
    assert guide_of(world) is guide  # built once per world


def test_next_quest_step_is_the_lowest_step_not_done(world):
    for quest in {s.quest for s in world.quests}:
        numbers = sorted(s.step for s in world.quests if s.quest == quest)
        for done in [0, *numbers]:
            step = next_quest_step(world, quest, Access(progress={quest: done}))
            later = [n for n in numbers if n > done]
            assert (step.step if step else None) == (later[0] if later else None)


def test_a_zone_opens_when_the_token_it_waits_on_is_met(world):
    """Kept zones follow the state step by step, whichever token was met last: names that
    join the sets, a quest alternative, and the Great Runes count."""
    from types import SimpleNamespace

    player = Access()
    reach = reach_module.Reach(SimpleNamespace(world=world, player=player))

    def agrees() -> set[str]:
        got = set(reach.zones())
        assert got == {z for z in world.zones if zone_open(world, z, player)}
        return got

    assert agrees() == {"Limgrave"}
    player.zones |= {"Limgrave", "Liurnia of the Lakes"}
    player.bosses.add("Margit, the Fell Omen")
    assert "Liurnia of the Lakes" in agrees()
    player.bosses.add("Magma Wyrm Makar")  # the other alternative of the Dectus token
    assert "Altus Plateau" in agrees()
    player.zones.add("Altus Plateau")
    assert "Leyndell Royal Capital" not in agrees()  # waits on two Great Runes
    player.great_runes = 1
    assert "Leyndell Royal Capital" not in agrees()
    player.great_runes = 2
    assert "Leyndell Royal Capital" in agrees()
    player.quests.add("Varre")
    assert "Mohgwyn Palace" in agrees()
