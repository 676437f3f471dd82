"""The packaged world data: schema, references, sources, spot checks against the sources, access
graph."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from sim.errors import InputError
from sim.world.access import requirement_cycle, satisfied, unreachable, zones_reachable
from sim.world.load import DATA_DIR, load_world, read_world

ZONES = [
    "Limgrave", "Weeping Peninsula", "Stormveil Castle", "Liurnia of the Lakes",
    "Academy of Raya Lucaria", "Caelid", "Dragonbarrow", "Siofra River", "Ainsel River",
    "Nokron", "Deeproot Depths", "Lake of Rot", "Altus Plateau", "Mt. Gelmir", "Volcano Manor",
    "Leyndell Royal Capital", "Subterranean Shunning-Grounds", "Mountaintops of the Giants",
    "Consecrated Snowfield", "Mohgwyn Palace", "Crumbling Farum Azula",
    "Miquella's Haligtree and Elphael", "Leyndell Ashen Capital",
]  # fmt: skip

CSV_FILES = [
    "zones.csv", "enemies.csv", "rosters.csv", "bosses.csv", "loot.csv", "farms.csv",
    "quests.csv", "route.csv", "calibration.csv",
]  # fmt: skip


@pytest.fixture(scope="module")
def world():
    return load_world()


def _rows(file: str) -> list[dict[str, str]]:
    with (DATA_DIR / file).open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


class _State:
    def __init__(self, **kw):
        self.bosses = set(kw.get("bosses", ()))
        self.zones = set(kw.get("zones", ()))
        self.items = set(kw.get("items", ()))
        self.quests = set(kw.get("quests", ()))
        self.great_runes = kw.get("great_runes", 0)


# ------------------------------------------------------------------ schema and integrity


def test_world_loads_with_every_zone(world):
    """The packaged data loads and holds exactly the 23 base-game zones."""
    assert sorted(world.zones) == sorted(ZONES)


def test_load_world_is_cached_for_default_dir():
    """The default world is read once and shared."""
    assert load_world() is load_world()


@pytest.mark.parametrize("file", CSV_FILES)
def test_every_row_has_a_source(file):
    """Every row of every data table names its source."""
    assert all(r["source"].strip() for r in _rows(file))


@pytest.mark.parametrize("file", ["enemies.csv", "bosses.csv"])
def test_rune_values_are_positive_integers(file):
    """Rune values are written as positive whole numbers."""
    for r in _rows(file):
        assert r["runes"].isdigit() and int(r["runes"]) > 0, r["name"]


def test_every_zone_has_enemies(world):
    """Each zone has at least one enemy row and one roster row."""
    for z in ZONES:
        assert any(e.zone == z for e in world.enemies), z
        assert any(r.zone == z for r in world.rosters), z


def test_at_least_all_base_bosses(world):
    """All 165 base-game bosses of the shared research are present, none from the DLC."""
    assert len(world.bosses) == 165


def test_roster_enemies_exist_in_their_zone(world):
    """Every roster row names an enemy listed for that zone."""
    for r in world.rosters:
        world.enemy(r.enemy, r.zone)


def test_field_bosses_stay_out_of_rosters(world):
    """Field bosses (paid once through GameAreaParam, like bosses.csv) are not roster enemies."""
    classes = {(e.name, e.zone): e.enemy_class for e in world.enemies}
    assert all(classes[r.enemy, r.zone] != "field_boss" for r in world.rosters)


def test_loot_items_are_golden_rune_items(world):
    """Every loot item is a key of the golden-rune table in rules.toml."""
    assert {x.item for x in world.loot} <= set(world.rules.golden_runes)


def test_route_starts_in_limgrave_and_ends_with_the_final_boss(world):
    """The main path starts by exploring Limgrave and ends at Radagon and the Elden Beast."""
    assert (world.route[0].action, world.route[0].target) == ("explore", "Limgrave")
    assert world.route[-1].target == "Radagon of the Golden Order + Elden Beast"


def test_varre_quest_grants_mohgwyn_access(world):
    """The last step of Varre's questline grants quest:Varre, which opens Mohgwyn Palace."""
    steps = sorted((s for s in world.quests if s.quest == "Varre"), key=lambda s: s.step)
    assert steps[-1].grants == ("quest:Varre",)
    assert satisfied(world.zones["Mohgwyn Palace"].requires, _State(quests={"Varre"}))


# ------------------------------------------------------------------ spot checks against the sources


def test_margit_pays_12000(world):
    """Margit pays 12,000 (GameAreaParam[10000850].bonusSoul_single)."""
    assert world.bosses["Margit, the Fell Omen"].runes == 12_000


def test_godrick_pays_20000(world):
    """Godrick pays 20,000 (GameAreaParam[10000800].bonusSoul_single)."""
    assert world.bosses["Godrick the Grafted"].runes == 20_000


def test_patches_pays_800(world):
    """Patches pays his NpcParam getSoul of 800 (his GameAreaParam row is 0)."""
    assert world.bosses["Patches (Murkwater Cave)"].runes == 800


def test_bloodbane_albinauric_pays_2044(world):
    """A Mohgwyn Bloodbane Albinauric pays 2,044 (NpcParam[34700268].getSoul)."""
    assert world.enemy("Bloodbane Albinauric", "Mohgwyn Palace").runes == 2_044


def test_troll_pays_more_in_the_mountaintops(world):
    """A Troll pays 1,000 in Limgrave and 3,780 in the Mountaintops of the Giants."""
    assert world.enemy("Troll", "Limgrave").runes == 1_000
    assert world.enemy("Troll", "Mountaintops of the Giants").runes == 3_780


def test_great_rune_holders(world):
    """Exactly the seven shardbearers hold a Great Rune."""
    holders = {b.name for b in world.bosses.values() if b.great_rune}
    assert holders == {
        "Godrick the Grafted", "Rennala, Queen of the Full Moon", "Starscourge Radahn",
        "Rykard, Lord of Blasphemy", "Morgott, the Omen King", "Mohg, Lord of Blood",
        "Malenia, Blade of Miquella",
    }  # fmt: skip


def test_zone_tiers_follow_the_area_scaling(world):
    """Zone tiers are the NpcParam area-scaling tiers: Limgrave 2, Stormveil 4, Mohgwyn 18."""
    tiers = {z: world.zones[z].tier for z in ("Limgrave", "Stormveil Castle", "Mohgwyn Palace")}
    assert tiers == {"Limgrave": 2, "Stormveil Castle": 4, "Mohgwyn Palace": 18}


def test_mohgwyn_farm_reproduces_ng0_loop(world):
    """The Ledge-Road loop kills 13 Bloodbane Albinaurics: 26,572 runes at NG+0 per 15 s loop."""
    farm = world.farms["Palace Approach Ledge-Road (Albinaurics only)"]
    runes = sum(k.count * world.enemy(k.enemy, farm.zone).runes for k in farm.kills)
    assert (runes, farm.loop_seconds) == (26_572, 15)


# ------------------------------------------------------------------ access graph


def test_access_graph_is_acyclic(world):
    """No zone or boss requires itself through a chain of mandatory requirements."""
    assert requirement_cycle(world) is None


def test_every_zone_and_boss_is_reachable_from_limgrave(world):
    """Starting with nothing, playing on opens every zone and every boss."""
    assert unreachable(world) == {"zones": [], "bosses": []}


def test_leyndell_needs_two_great_runes(world):
    """Leyndell stays shut with one Great Rune and opens with two."""
    req = world.zones["Leyndell Royal Capital"].requires
    assert not satisfied(req, _State(zones={"Altus Plateau"}, great_runes=1))
    assert satisfied(req, _State(zones={"Altus Plateau"}, great_runes=2))


def test_mohgwyn_opens_by_varre_or_the_snowfield(world):
    """Mohgwyn Palace opens with Varre's quest or with the Consecrated Snowfield, not with
    neither."""
    req = world.zones["Mohgwyn Palace"].requires
    assert satisfied(req, _State(quests={"Varre"}))
    assert satisfied(req, _State(zones={"Consecrated Snowfield"}))
    assert not satisfied(req, _State())


def test_only_limgrave_side_zones_open_at_the_start(world):
    """From a fresh start the reachable set before any boss includes Limgrave but not Liurnia."""
    reach = zones_reachable(world, _State(zones={"Limgrave"}))
    assert "Liurnia of the Lakes" in reach  # after playing on (Margit can be beaten)
    assert not satisfied(world.zones["Liurnia of the Lakes"].requires, _State(zones={"Limgrave"}))


# ------------------------------------------------------------------ broken data


def _broken_copy(tmp_path: Path, file: str, edits: dict[tuple[int, str], str]) -> Path:
    """A copy of the data dir with cells of ``file`` replaced: {(row, column): value}, rows from
    1."""
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    rows = _rows(file)
    for (row, column), value in edits.items():
        rows[row - 1][column] = value
    with (data / file).open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return data


def test_unknown_zone_names_file_row_and_value(tmp_path):
    """A roster row naming an unknown zone raises InputError with file, row and the bad value."""
    data = _broken_copy(tmp_path, "rosters.csv", {(3, "zone"): "Limgrove"})
    with pytest.raises(InputError) as exc:
        read_world(data)
    assert exc.value.file == "rosters.csv"
    problem = exc.value.problems[0]
    assert (problem.key_path, problem.value) == ("row 3.zone", "Limgrove")
    assert "Limgrave" in problem.suggestions


def test_negative_runes_are_rejected(tmp_path):
    """A boss row with non-positive runes raises InputError naming bosses.csv, row 2 and runes."""
    data = _broken_copy(tmp_path, "bosses.csv", {(2, "runes"): "-5"})
    with pytest.raises(InputError) as exc:
        read_world(data)
    assert exc.value.file == "bosses.csv"
    assert (exc.value.problems[0].key_path, exc.value.problems[0].value) == ("row 2.runes", "-5")


def test_missing_source_is_rejected(tmp_path):
    """An enemy row with an empty source raises InputError naming enemies.csv, row 5, source."""
    data = _broken_copy(tmp_path, "enemies.csv", {(5, "source"): ""})
    with pytest.raises(InputError) as exc:
        read_world(data)
    assert (exc.value.file, exc.value.problems[0].key_path) == ("enemies.csv", "row 5.source")


def test_unknown_requirement_token_is_rejected(tmp_path):
    """A zone requiring an unknown boss raises InputError naming zones.csv, the row and requires."""
    data = _broken_copy(tmp_path, "zones.csv", {(7, "requires"): "boss:Margot"})
    with pytest.raises(InputError) as exc:
        read_world(data)
    assert exc.value.file == "zones.csv"
    assert (exc.value.problems[0].key_path, exc.value.problems[0].value) == (
        "row 7.requires",
        "Margot",
    )


def test_requirement_cycle_is_rejected(tmp_path):
    """Weeping Peninsula and Stormveil Castle requiring each other is refused as a cycle."""
    rows = _rows("zones.csv")
    assert (rows[1]["name"], rows[2]["name"]) == ("Weeping Peninsula", "Stormveil Castle")
    edits = {(2, "requires"): "zone:Stormveil Castle", (3, "requires"): "zone:Weeping Peninsula"}
    data = _broken_copy(tmp_path, "zones.csv", edits)
    with pytest.raises(InputError) as exc:
        read_world(data)
    assert exc.value.problems[0].expected == "an acyclic access graph"
