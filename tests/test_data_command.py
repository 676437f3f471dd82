"""``runesim data``: the rows of each table (``data_rows``) and the command's three formats.

The world here is a small one built in the test, so the facts checked are about the
tables' shape and arithmetic, not about the shipped data.
"""

from __future__ import annotations

import csv
import io
import json
import tomllib
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from sim.cli import data_cmd
from sim.errors import InputError
from sim.world.schema import (
    Boss,
    CalibrationTarget,
    Enemy,
    Farm,
    FarmKill,
    Loot,
    QuestStep,
    RosterEntry,
    RouteStep,
    Rules,
    StartingClass,
    World,
    Zone,
)
from sim.world.tables import COLUMNS, TABLES, data_rows

DATA = Path(__file__).resolve().parent.parent / "sim" / "data"


def _zone(name: str, region: str, tier: int, **kw) -> Zone:
    return Zone(
        name=name,
        region=region,
        tier=tier,
        kind=kw.pop("kind", "overworld"),
        level=kw.pop("level", 10.0),
        explore_hours=kw.pop("explore_hours", 2.0),
        invasions=kw.pop("invasions", False),
        source="test",
        **kw,
    )


@pytest.fixture(scope="module")
def world() -> World:
    with (DATA / "rules.toml").open("rb") as f:
        rules = Rules.model_validate(tomllib.load(f))
    zones = [
        _zone("Limgrave", "Limgrave", 2),
        _zone("Stormveil Castle", "Limgrave", 4, kind="legacy_dungeon", invasions=True),
        _zone("Mohgwyn Palace", "Mohgwyn Palace", 18, kind="secret", level=120.0),
    ]
    enemies = [
        Enemy(name="Godrick Soldier", zone="Limgrave", kind="humanoid", **{"class": "common"},
              runes=64, difficulty=1.0, source="test"),
        Enemy(name="Troll", zone="Limgrave", kind="giant", **{"class": "elite"},
              runes=1000, difficulty=4.0, source="test"),
        Enemy(name="Banished Knight", zone="Stormveil Castle", kind="humanoid",
              **{"class": "elite"}, runes=400, difficulty=3.0, source="test"),
        Enemy(name="Bloodbane Albinauric", zone="Mohgwyn Palace", kind="humanoid",
              **{"class": "common"}, runes=2044, difficulty=1.0, source="test"),
        Enemy(name="Bloodbane Giant Crow", zone="Mohgwyn Palace", kind="beast",
              **{"class": "elite"}, runes=11038, difficulty=3.0, source="test"),
    ]  # fmt: skip
    bosses = [
        Boss(name="Margit, the Fell Omen", zone="Stormveil Castle", region="Limgrave",
             runes=12000, ng_plus_runes=60000, kind="main", optional=False, level=20.0,
             source="test"),
        Boss(name="Godrick the Grafted", zone="Stormveil Castle", region="Limgrave",
             runes=20000, kind="main", optional=False, level=30.0, great_rune=True,
             requires=("boss:Margit, the Fell Omen",), source="test"),
        Boss(name="Tree Sentinel", zone="Limgrave", region="Limgrave", runes=3200,
             kind="field", optional=True, level=25.0, source="test"),
    ]  # fmt: skip
    farms = [
        Farm(name="Palace Approach", zone="Mohgwyn Palace",
             kills=(FarmKill(enemy="Bloodbane Albinauric", count=13),
                    FarmKill(enemy="Bloodbane Giant Crow", count=1)),
             loop_seconds=40.0, published_runes_per_hour=2_000_000.0, source="test"),
        Farm(name="Limgrave Troll", zone="Limgrave", kills=(FarmKill(enemy="Troll", count=1),),
             loop_seconds=90.0, source="test"),
    ]  # fmt: skip
    return World(
        zones={z.name: z for z in zones},
        enemies=tuple(enemies),
        rosters=(RosterEntry(zone="Limgrave", enemy="Troll", count=2, source="test"),),
        bosses={b.name: b for b in bosses},
        loot=(
            Loot(zone="Limgrave", item="Golden Rune [1]", count=5, source="test"),
            Loot(zone="Stormveil Castle", item="Golden Rune [2]", count=3, source="test"),
        ),
        farms={f.name: f for f in farms},
        quests=(
            QuestStep(
                quest="Varre",
                step=1,
                action="talk",
                zone="Limgrave",
                description="Meet Varre",
                grants=("quest:Varre 1",),
                source="test",
            ),
        ),  # fmt: skip
        classes={"Vagabond": StartingClass(name="Vagabond", level=9, source="test")},
        route=(
            RouteStep(order=1, action="explore", target="Limgrave", source="test"),
            RouteStep(order=2, action="boss", target="Margit, the Fell Omen", source="test"),
        ),
        rules=rules,
        calibration=(
            CalibrationTarget(
                name="main story",
                metric="finish_hours",
                low=40,
                high=60,
                unit="hours",
                source="test",
            ),
        ),  # fmt: skip
    )


# ---- data_rows ----


@pytest.mark.parametrize("table", TABLES)
def test_rows_start_with_the_contract_columns(world, table):
    """Every table's rows begin with its contract columns, in order."""
    rows = data_rows(world, table)
    assert rows, table
    for row in rows:
        assert tuple(row)[: len(COLUMNS[table])] == COLUMNS[table]


@pytest.mark.parametrize("table", TABLES)
def test_rows_hold_only_plain_scalars(world, table):
    """Every value is a str, int, float, bool or None, so csv/json/pandas take rows as they are."""
    for row in data_rows(world, table):
        assert all(v is None or isinstance(v, str | int | float | bool) for v in row.values())


def test_contract_columns_of_the_main_tables():
    """The csv/json column names promised to users for bosses, enemies, farms, levels and zones."""
    assert COLUMNS["bosses"] == ("name", "zone", "region", "runes", "kind", "source")
    assert COLUMNS["enemies"] == ("name", "zone", "class", "runes", "source")
    assert COLUMNS["farms"] == (
        "name", "zone", "runes_per_loop", "loop_seconds", "runes_per_hour", "source",
    )  # fmt: skip
    assert COLUMNS["levels"] == ("level", "cost", "total")
    assert COLUMNS["zones"] == (
        "name", "region", "tier", "kind", "level", "explore_hours", "invasions", "requires",
        "source",
    )  # fmt: skip


def test_enemies_keep_kind_and_difficulty(world):
    """Enemy rows carry kind and difficulty after the contract columns; class is the alias name."""
    row = data_rows(world, "enemies")[1]
    assert (row["name"], row["class"], row["kind"], row["difficulty"]) == (
        "Troll",
        "elite",
        "giant",
        4.0,
    )
    assert "enemy_class" not in row


def test_farm_runes_per_loop_is_kills_times_zone_runes(world):
    """A loop of 13 Albinaurics (2,044) and one Giant Crow (11,038) pays 37,610."""
    row = next(r for r in data_rows(world, "farms") if r["name"] == "Palace Approach")
    assert row["runes_per_loop"] == 13 * 2044 + 11038 == 37_610


def test_farm_runes_per_hour_is_per_loop_times_3600_over_loop_seconds(world):
    """37,610 runes every 40 s is 3,384,900 runes per hour; the published rate rides along."""
    row = next(r for r in data_rows(world, "farms") if r["name"] == "Palace Approach")
    assert row["runes_per_hour"] == pytest.approx(37_610 * 3600 / 40)
    assert row["published_runes_per_hour"] == 2_000_000.0
    assert row["kills"] == "13 x Bloodbane Albinauric; 1 x Bloodbane Giant Crow"


def test_levels_rows(world):
    """The levels table is level, cost, total for 1..712, starting 1 -> 673 and ending at
    1,692,566,842."""
    rows = data_rows(world, "levels")
    assert len(rows) == 712
    assert rows[0] == {"level": 1, "cost": 673, "total": 673}
    assert rows[-1]["total"] == 1_692_566_842


def test_loot_rows_value_the_items(world):
    """5 x Golden Rune [1] (200 each) is worth 1,000 runes."""
    row = data_rows(world, "loot", zone="Limgrave")[0]
    assert (row["runes_each"], row["runes"]) == (200, 1000)


def test_rules_rows_cover_every_figure(world):
    """The rules table has one row per figure, each with its source: 21 tiers, 8 cycles, 21
    items."""
    rows = {r["key"]: r for r in data_rows(world, "rules")}
    assert rows["level_curve.offset"]["value"] == 81
    assert rows["multipliers.golden_scarab"]["value"] == 1.2
    assert rows["multipliers.ng_plus_cycle[7]"]["value"] == 1.275
    assert sum(k.startswith("multipliers.ng_plus_tier.") for k in rows) == 21
    assert sum(k.startswith("golden_runes.") for k in rows) == 21
    assert rows["golden_runes.Lord's Rune"]["value"] == 50_000
    assert rows["invasion_win_runes"]["value"] == 0
    assert all(r["source"] for k, r in rows.items() if k != "version")


def test_route_rows_place_boss_steps_in_the_boss_zone(world):
    """A boss step's zone is the boss's zone; an explore step's zone is its target."""
    rows = data_rows(world, "route")
    assert [r["zone"] for r in rows] == ["Limgrave", "Stormveil Castle"]


def test_requires_are_joined(world):
    """Access tokens are joined with '; ' into one text cell."""
    row = next(r for r in data_rows(world, "bosses") if r["name"] == "Godrick the Grafted")
    assert row["requires"] == "boss:Margit, the Fell Omen"


# ---- the zone filter ----


def test_zone_filter_keeps_only_that_zone(world):
    """--zone Limgrave keeps the two Limgrave enemies and the one Limgrave field boss."""
    assert [r["name"] for r in data_rows(world, "enemies", zone="Limgrave")] == [
        "Godrick Soldier",
        "Troll",
    ]
    assert [r["name"] for r in data_rows(world, "bosses", zone="Limgrave")] == ["Tree Sentinel"]


def test_zone_filter_on_zones_selects_the_zone_itself(world):
    """On the zones table, --zone picks that zone's own row."""
    assert [r["name"] for r in data_rows(world, "zones", zone="Mohgwyn Palace")] == [
        "Mohgwyn Palace"
    ]


def test_unknown_zone_is_an_input_error_with_suggestion(world):
    """A misspelt zone raises InputError naming --zone and suggesting the closest zone."""
    with pytest.raises(InputError) as err:
        data_rows(world, "enemies", zone="Stormvel Castle")
    assert "--zone" in err.value.message
    assert "did you mean 'Stormveil Castle'" in err.value.message


def test_zone_filter_on_a_table_without_zones_is_an_input_error(world):
    """--zone on the levels table is refused rather than silently ignored."""
    with pytest.raises(InputError, match="--zone"):
        data_rows(world, "levels", zone="Limgrave")


def test_unknown_table_is_an_input_error_with_suggestion(world):
    """An unknown table name raises InputError suggesting the closest table."""
    with pytest.raises(InputError, match="did you mean 'bosses'"):
        data_rows(world, "boses")


# ---- the command ----


@pytest.fixture()
def run(world, monkeypatch):
    """Invoke ``data`` through a one-command typer app, on the test world."""
    monkeypatch.setattr(data_cmd, "_world", lambda: world)
    app = typer.Typer()
    app.command("data")(data_cmd.data)
    app.command("other")(lambda: None)  # a second command keeps "data" as a subcommand
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, ["data", *args])

    return invoke


def test_command_csv_has_contract_header(run):
    """--format csv prints a header starting with the contract columns, then one line per row."""
    result = run("bosses", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output)))
    assert tuple(rows[0][:6]) == COLUMNS["bosses"]
    assert len(rows) == 1 + 3


def test_command_json_is_a_list_of_row_objects(run):
    """--format json prints a list of objects, here the farms with their computed rates."""
    result = run("farms", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert isinstance(rows, list) and rows[0]["runes_per_loop"] == 37_610


def test_command_zone_option_filters(run):
    """--zone works from the command line."""
    result = run("enemies", "--format", "json", "--zone", "Mohgwyn Palace")
    assert [r["name"] for r in json.loads(result.output)] == [
        "Bloodbane Albinauric",
        "Bloodbane Giant Crow",
    ]


def test_command_table_format_shows_rows_and_sources(run):
    """The default rich table shows the rows and their source column."""
    result = run("classes")
    assert result.exit_code == 0, result.output
    assert "Vagabond" in result.output and "source" in result.output


def test_command_unknown_zone_raises_input_error(run):
    """An unknown zone surfaces as InputError (the app turns it into exit code 2)."""
    result = run("enemies", "--zone", "Limgrav")
    assert isinstance(result.exception, InputError)


def test_command_unknown_format_is_a_usage_error(run):
    """An unknown --format is exit 2 listing the formats (a typed choice)."""
    result = run("levels", "--format", "cvs")
    assert result.exit_code == 2
    assert "'csv'" in result.output


def test_data_farms_at_a_level_adds_the_models_rate():
    """`data farms --level 30 --format csv` adds the model's loop time and runes per hour at level
    30."""
    from typer.testing import CliRunner

    from sim.cli.app import cli_app

    result = CliRunner().invoke(cli_app(), ["data", "farms", "--level", "30", "--format", "csv"])
    assert result.exit_code == 0, result.output
    header = result.output.splitlines()[0].split(",")
    assert {"model_level", "model_upgrade", "model_loop_seconds", "model_runes_per_hour"} <= set(
        header
    )
    bad = CliRunner().invoke(cli_app(), ["data", "zones", "--level", "30"])
    assert isinstance(bad.exception, InputError) and "--level" in bad.exception.message
