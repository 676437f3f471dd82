"""The rules data (rules.toml) and starting classes (classes.csv), and an independent
cross-check of rules.toml against the game's own params as exported by ``erdb``.

The erdb checks need ``pip install --no-deps erdb`` (its runtime dependencies are
heavy and unused here); without it they are skipped.
"""

from __future__ import annotations

import csv
import io
import tomllib
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from sim.world.schema import Rules, StartingClass

DATA = Path(__file__).resolve().parent.parent / "sim" / "data"
ERDB_VERSION = "1.10.0"  # the regulation rules.toml states


@pytest.fixture(scope="module")
def rules() -> Rules:
    with (DATA / "rules.toml").open("rb") as f:
        return Rules.model_validate(tomllib.load(f))


@pytest.fixture(scope="module")
def classes() -> dict[str, StartingClass]:
    with (DATA / "classes.csv").open(newline="", encoding="utf-8") as f:
        rows = [StartingClass.model_validate(r) for r in csv.DictReader(f)]
    return {c.name: c for c in rows}


# ---- rules.toml on its own ----


def test_rules_toml_parses_into_rules(rules):
    """rules.toml validates against the Rules schema (no unknown keys, right types)."""
    assert rules.version.startswith("regulation 1.10")


def test_every_rules_section_names_a_source(rules):
    """The level curve, multipliers, golden runes, death and invasion figures each carry a
    source."""
    for text in (
        rules.level_curve.source,
        rules.multipliers.source,
        rules.multipliers.stacking_note,
        rules.golden_runes_source,
        rules.death.source,
        rules.invasion_win_runes_source,
    ):
        assert len(text) > 40


def test_level_curve_coefficients(rules):
    """The curve is x = L + 81, slope 0.1, 0.02 above x = 92, +1, levels up to 713."""
    c = rules.level_curve
    assert (c.offset, c.slope, c.slope_above, c.boundary, c.adjustment, c.max_level) == (
        81,
        "0.1",
        "0.02",
        92,
        1,
        713,
    )


def test_scarab_and_fowl_foot(rules):
    """Gold Scarab x1.2, Gold-Pickled Fowl Foot x1.3 for 180 s, assumed to multiply."""
    m = rules.multipliers
    assert (m.golden_scarab, m.gold_pickled_fowl_foot, m.fowl_foot_seconds) == (1.2, 1.3, 180)
    assert m.stacking == "multiplicative"
    assert "no source" in m.stacking_note.lower()


def test_ng_plus_cycle_rates(rules):
    """ClearCountCorrectParam.SoulRate by cycle: NG 1.0, NG+1 1.0 ... NG+7 1.275."""
    assert rules.multipliers.ng_plus_cycle == (1.0, 1.0, 1.1, 1.125, 1.2, 1.225, 1.25, 1.275)


def test_ng_plus_tier_covers_all_21_tiers(rules):
    """Every area tier 1..21 has an NG+ rune rate, falling from x5 (Limgrave) to x2 (late game)."""
    tiers = rules.multipliers.ng_plus_tier
    assert sorted(tiers) == list(range(1, 22))
    assert [tiers[t] for t in (1, 4, 5, 7, 8, 12, 13, 21)] == [5, 5, 4, 4, 3, 3, 2, 2]
    assert all(tiers[t] >= tiers[t + 1] for t in range(1, 21))


def test_ng_plus_tier_matches_boss_notes(rules):
    """bosses.csv notes: Margit x5 (SpEffect 7430, tier 4), Godrick x4 (7440, tier 5),
    Red Wolf x4 (7460, tier 7), Rennala x3 (7470, tier 8); tier = (SpEffect - 7400) / 10 + 1."""
    tiers = rules.multipliers.ng_plus_tier
    for speffect, rate in ((7430, 5), (7440, 4), (7460, 4), (7470, 3)):
        assert tiers[(speffect - 7400) // 10 + 1] == rate


def test_golden_rune_values(rules):
    """Golden Rune [1] 200 ... [13] 10,000, Numen's 12,500, Hero's [1..5], Lord's 50,000, Lands
    Between 3,000."""
    g = rules.golden_runes
    assert [g[f"Golden Rune [{i}]"] for i in range(1, 14)] == [
        200, 400, 800, 1200, 1600, 2000, 2500, 3000, 3800, 5000, 6250, 7500, 10000,
    ]  # fmt: skip
    assert [g[f"Hero's Rune [{i}]"] for i in range(1, 6)] == [15000, 20000, 25000, 30000, 35000]
    assert (g["Numen's Rune"], g["Lord's Rune"], g["Lands Between Rune"]) == (12500, 50000, 3000)
    assert len(g) == 21


def test_death_rules(rules):
    """Death drops all held runes; a second death loses them; rune items are kept; rest respawns."""
    d = rules.death
    assert d.drop_all_held and d.lost_on_second_death
    assert d.golden_rune_items_kept and d.respawn_on_rest


def test_invasion_win_pays_nothing_sourced(rules):
    """No sourced payout for beating an invader: 0, with the reason stated."""
    assert rules.invasion_win_runes == 0
    assert "MultiSoulBonusRateParam" in rules.invasion_win_runes_source


# ---- classes.csv ----


def test_ten_starting_classes_and_levels(classes):
    """The ten starting classes start at their published levels (Wretch 1 ... Confessor 10)."""
    assert {n: c.level for n, c in classes.items()} == {
        "Vagabond": 9,
        "Warrior": 8,
        "Hero": 7,
        "Bandit": 5,
        "Astrologer": 6,
        "Prophet": 7,
        "Samurai": 9,
        "Prisoner": 9,
        "Confessor": 10,
        "Wretch": 1,
    }


def test_every_class_names_a_source(classes):
    """Each class row cites where its level comes from."""
    assert all("deliton/eldenring-api" in c.source for c in classes.values())


# ---- independent cross-check against the game's params (erdb) ----


@pytest.fixture(scope="module")
def params() -> dict[str, dict[int, dict[str, str]]]:
    """Rows of the erdb 1.10.0 param exports, keyed by param name and row ID."""
    from importlib.resources import files

    try:
        import erdb  # noqa: F401  (only its data files are used)
    except ImportError as exc:
        pytest.skip(f"erdb not importable ({exc}); run: pip install --no-deps erdb")

    archive = files("erdb") / "data" / "gamedata" / f"{ERDB_VERSION}.zip"
    tables = {}
    with archive.open("rb") as raw, zipfile.ZipFile(raw) as z:
        for name in ("CalcCorrectGraph", "SpEffectParam", "EquipParamGoods"):
            text = z.read(f"{name}.csv").decode("utf-8-sig")
            reader = csv.DictReader(io.StringIO(text), delimiter=";")
            tables[name] = {int(r["Row ID"]): r for r in reader}
    return tables


def _num(text: str) -> Decimal:
    return Decimal(text)


def test_erdb_level_curve_is_calccorrectgraph_200(rules, params):
    """CalcCorrectGraph row 200 'Soul Level - Souls Required' holds the curve's coefficients."""
    row = params["CalcCorrectGraph"][200]
    c = rules.level_curve
    assert _num(row["init_inclination_soul"]) == Decimal(c.slope)
    assert _num(row["boundry_inclination_soul"]) == Decimal(c.slope_above)
    assert _num(row["boundry_value"]) == c.boundary
    assert _num(row["adjustment_value"]) == c.adjustment


def test_erdb_gold_scarab(rules, params):
    """SpEffectParam 311100 (Gold Scarab): soulRate equals rules golden_scarab, lasts while worn."""
    row = params["SpEffectParam"][311100]
    assert _num(row["soulRate"]) == Decimal(str(rules.multipliers.golden_scarab))
    assert _num(row["effectEndurance"]) == -1


def test_erdb_gold_pickled_fowl_foot(rules, params):
    """SpEffectParam 3971 (Gold-Pickled Fowl Foot): soulRate and effectEndurance match rules."""
    row = params["SpEffectParam"][3971]
    m = rules.multipliers
    assert _num(row["soulRate"]) == Decimal(str(m.gold_pickled_fowl_foot))
    assert _num(row["effectEndurance"]) == Decimal(str(m.fowl_foot_seconds))


def test_erdb_scarab_and_fowl_foot_do_not_overwrite_each_other(params):
    """The two effects sit in different spCategory groups, so both can be active at once."""
    sp = params["SpEffectParam"]
    assert sp[311100]["spCategory"] != sp[3971]["spCategory"]


def test_erdb_ng_plus_tier_rates(rules, params):
    """haveSoulRate of SpEffect 7400 + 10*(tier-1) equals rules ng_plus_tier for all 21 tiers."""
    sp = params["SpEffectParam"]
    for tier, rate in rules.multipliers.ng_plus_tier.items():
        row = sp[7400 + 10 * (tier - 1)]
        assert "NG+" in row["Row Name"]
        assert _num(row["haveSoulRate"]) == Decimal(str(rate)), tier


def test_erdb_area_tiers_pay_nothing_extra_at_ng(params):
    """The NG+0 area-tier SpEffects 7000..7200 leave runes unchanged (rates 1)."""
    sp = params["SpEffectParam"]
    for tier in range(1, 22):
        row = sp[7000 + 10 * (tier - 1)]
        assert _num(row["haveSoulRate"]) == 1 and _num(row["soulRate"]) == 1


def test_erdb_golden_rune_values(rules, params):
    """Each golden-rune item's SpEffect `soul` (and its sellValue) equals rules golden_runes."""
    goods = {r["Row Name"]: r for r in params["EquipParamGoods"].values()}
    sp = params["SpEffectParam"]
    for item, runes in rules.golden_runes.items():
        row = goods[item]
        assert int(sp[int(row["refId_default"])]["soul"]) == runes, item
        assert int(row["sellValue"]) == runes, item
