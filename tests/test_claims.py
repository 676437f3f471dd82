"""Each claim's verdict flips with the world: a tiny world where it is true, one where it is
false."""

from __future__ import annotations

import json

import pytest

from sim.analysis.claims import CLAIM_FUNCTIONS, Part, config, measure_claims, verdict
from tests import claim_worlds as W


def _claim(number: int, runs, game):
    return CLAIM_FUNCTIONS[number - 1](runs, game, config(), 3)


def _verdict(number: int, runs, game) -> str:
    return _claim(number, runs, game).verdict


# claim 1: harder zones pay more per kill ------------------------------------------------------
def _tiers(rising: bool):
    z = W.zones(
        [
            ("Low", 2, "overworld", True),
            ("Mid", 5, "overworld", True),
            ("High", 9, "overworld", True),
        ]
    )
    pay = [10, 30, 90] if rising else [90, 30, 10]
    e = W.enemies(
        [("Soldier", zn, "common", p) for zn, p in zip(["Low", "Mid", "High"], pay, strict=True)], z
    )
    kills = [("Soldier", zn, 20) for zn in ("Low", "Mid", "High")]
    return [W.run("play", kills, [("Low", 1.0), ("Mid", 1.0), ("High", 1.0)], e)], W.game(z, e)


def test_claim_1_supported_where_harder_zones_pay_more():
    """Claim 1 is supported when the same enemy pays more per kill and per hour in higher tiers."""
    assert _verdict(1, *_tiers(True)) == "supported"


def test_claim_1_not_supported_where_harder_zones_pay_less():
    """Claim 1 is not supported when higher tiers pay less."""
    assert _verdict(1, *_tiers(False)) == "not supported"


def test_claim_1_counts_kills_at_ng0_before_buffs():
    """Runes paid with a buff (x1.2) do not move claim 1's runes per kill: it reads getSoul."""
    runs, game = _tiers(True)
    runs[0].income["runes"] = (runs[0].income["runes"] * 1.2).astype(int)
    c = _claim(1, runs, game)
    by_tier = c.figures["by_scenario"]["play"]["runes_per_kill_by_tier"]
    assert [round(t["runes_per_kill"]) for t in by_tier] == [10, 30, 90]
    assert c.figures["by_scenario"]["play"]["buffs"]["paid_over_ng0_unbuffed"] == pytest.approx(
        1.2, rel=0.01
    )


# claim 2: bosses by region, and the article's figures ------------------------------------------
def _bosses(true: bool):
    z = W.zones(
        [
            ("Early", 2, "overworld", True),
            ("Mid", 6, "overworld", True),
            ("Late", 12, "overworld", True),
        ]
    )
    art = config()["article"]
    fg, mal = art["late_bosses"]
    if true:
        rows = [
            (art["margit"], "Early", 12000, 60000),
            ("Mid Boss", "Mid", 50000, 150000),
            (fg, "Late", 350000, 700000),
            (mal, "Late", 400000, 800000),
        ]
    else:
        rows = [
            (art["margit"], "Early", 90000, 180000),
            ("Mid Boss", "Mid", 50000, 150000),
            (fg, "Late", 20000, 40000),
            (mal, "Late", 25000, 50000),
        ]
    z_runs = [W.run("play", [], [("Early", 1.0)], W.enemies([], z))]
    return z_runs, W.game(z, b=W.bosses(rows, z))


def test_claim_2_supported_when_the_article_figures_hold_on_one_journey():
    """Claim 2 is supported when payouts rise by region, Margit pays ~12,000 and the late bosses
    over 330,000."""
    assert _verdict(2, *_bosses(True)) == "supported"


def test_claim_2_not_supported_when_regions_and_figures_disagree():
    """Claim 2 is not supported when late regions pay less and neither article figure holds."""
    assert _verdict(2, *_bosses(False)) == "not supported"


def test_claim_2_reports_each_ng_cycle():
    """The article's figures are checked at NG+0 and at NG+1 separately."""
    c = _claim(2, *_bosses(False))
    cycles = c.figures["article_figures_by_cycle"]
    assert cycles["ng+0"]["margit"] == 90000 and cycles["ng+1"]["margit"] == 180000
    assert cycles["ng+0"]["late_well_over_article"] is False


# claim 3: secret areas at equal tier, and the mid-game gap -------------------------------------
def _secret(true: bool):
    z = W.zones(
        [
            ("A", 2, "overworld", True),
            ("B", 5, "overworld", True),
            ("C", 8, "overworld", True),
            ("Hidden", 10, "secret", False),
        ]
    )
    hidden = 2000 if true else 50
    e = W.enemies(
        [
            ("Foe", "A", "common", 20),
            ("Foe", "B", "common", 40),
            ("Foe", "C", "common", 80),
            ("Foe", "Hidden", "common", hidden),
        ],
        z,
    )
    kills = [("Foe", zn, 30) for zn in ("A", "B", "C", "Hidden")]
    hours = [(zn, 1.0) for zn in ("A", "B", "C", "Hidden")]
    milestone = config()["article"]["mid_game_zone"]
    gap = 40 if true else 0
    nat_ev = [
        {
            "replication": r,
            "hours": 10.0,
            "event": "zone_enter",
            "zone": milestone,
            "detail": "",
            "value": 0.0,
        }
        for r in range(W.N)
    ]
    nat_ev += [
        {
            "replication": r,
            "hours": 9.0,
            "event": "level_up",
            "zone": "A",
            "detail": "",
            "value": 50.0 + r % 3,
        }
        for r in range(W.N)
    ]
    rush_ev = [
        {
            "replication": r,
            "hours": 8.0,
            "event": "level_up",
            "zone": "Hidden",
            "detail": "",
            "value": 50.0 + gap + 2 * (r % 3),
        }
        for r in range(W.N)
    ]
    nat = W.run("natural", kills[:3], hours[:3], e, events=nat_ev)
    rush = W.run("rush", kills, hours, e, strategy="rush_mohgwyn", events=rush_ev)
    return [nat, rush], W.game(z, e)


def test_claim_3_supported_where_secret_areas_beat_the_tier_trend():
    """Claim 3 is supported when secret areas pay above the main-path tier trend and the rusher is
    far ahead."""
    assert _verdict(3, *_secret(True)) == "supported"


def test_claim_3_not_supported_where_secret_areas_pay_below_the_trend():
    """Claim 3 is not supported when secret areas pay below the trend and rushing gains no level."""
    assert _verdict(3, *_secret(False)) == "not supported"


# claim 4: enemy kinds and classes in one area ----------------------------------------------------
def _kinds(true: bool):
    z = W.zones([("Vale", 3, "overworld", True)])
    soldier, wolf, knight = (50, 120, 600) if true else (50, 40, 45)
    e = W.enemies(
        [
            ("Soldier", "Vale", "common", soldier),
            ("Wolf", "Vale", "common", wolf),
            ("Knight", "Vale", "elite", knight),
        ],
        z,
    )
    k = W.kinds({"Soldier": "humanoid", "Wolf": "beast", "Knight": "humanoid"})
    kills = [("Soldier", "Vale", 20), ("Wolf", "Vale", 20), ("Knight", "Vale", 5)]
    return [W.run("play", kills, [("Vale", 1.0)], e)], W.game(z, e, k=k)


def test_claim_4_supported_where_beasts_and_elites_pay_more():
    """Claim 4 is supported when a beast outpays a humanoid of its class and an elite outpays
    commons."""
    assert _verdict(4, *_kinds(True)) == "supported"


def test_claim_4_not_supported_where_kinds_pay_alike():
    """Claim 4 is not supported when humanoids pay more than beasts and elites no more than
    commons."""
    assert _verdict(4, *_kinds(False)) == "not supported"


def test_claim_4_direction_and_spread_are_in_the_figures():
    """Claim 4 shows the direction (per area and class) and the within-area spread."""
    c = _claim(4, *_kinds(True))
    assert c.figures["direction_cells"][0]["ratio"] == pytest.approx(120 / 50)
    assert c.figures["within_area"][0]["ratio"] == pytest.approx(600 / 50)


# claim 5: PvP hot spots ---------------------------------------------------------------------------
def _pvp(true: bool):
    z = W.zones(
        [
            ("Quiet", 2, "overworld", True),
            ("Busy", 4, "overworld", True),
            ("Far", 6, "overworld", True),
        ]
    )
    e = W.enemies([("Foe", zn, "common", 100) for zn in ("Quiet", "Busy", "Far")], z)
    kills = [("Foe", zn, 20) for zn in ("Quiet", "Busy", "Far")]
    busy = 20000 if true else 500
    reward, dropped = (3000, 100) if true else (0, 5000)
    extra = (
        [
            {
                "source_kind": "invasion",
                "source": "invader",
                "zone": "Busy",
                "count": 1,
                "runes": reward,
            }
        ]
        if reward
        else []
    )
    events = []
    for r in range(W.N):
        events += [
            {
                "replication": r,
                "hours": 0.5,
                "event": "duel_lost",
                "zone": "Busy",
                "detail": "",
                "value": 0.0,
            },
            {
                "replication": r,
                "hours": 0.5,
                "event": "death",
                "zone": "Busy",
                "detail": "",
                "value": float(dropped),
            },
        ]
    hours = [(zn, 1.0) for zn in ("Quiet", "Busy", "Far")]
    online = W.run(
        "online",
        kills,
        hours,
        e,
        extra_income=extra,
        earned={"Quiet": 2000, "Busy": busy, "Far": 4000},
        invasions={"Busy": 3, "Quiet": 1, "Far": 1},
        events=events,
    )
    return [online], W.game(z, e, hot=("Busy",))


def test_claim_5_supported_where_hot_spots_pay_more_net():
    """Claim 5 is supported when hot spots pay more net per hour at equal tier and rewards beat
    losses."""
    assert _verdict(5, *_pvp(True)) == "supported"


def test_claim_5_not_supported_where_hot_spots_pay_less_net():
    """Claim 5 is not supported when hot spots pay less net and invaders take more than they
    give."""
    assert _verdict(5, *_pvp(False)) == "not supported"


def test_claim_5_not_measured_offline():
    """With no invasions in any run, claim 5 is not measured and says why."""
    runs, game = _pvp(True)
    runs[0].activity["invasions"] = 0
    c = _claim(5, runs, game)
    assert c.verdict == "not measured" and "offline" in c.summary


# verdicts, JSON ----------------------------------------------------------------------------------
def test_parts_that_disagree_make_a_partly_supported_claim_naming_them():
    """One part holding and one failing is 'partly supported', naming the failing part."""
    a = Part.measured("a", 2.0, [1.5, 2.5], 1.0, "")
    b = Part.measured("b", 0.5, [0.4, 0.6], 1.0, "")
    v, why = verdict([a, b])
    assert v == "partly supported" and "fails: b" in why


def test_interval_straddling_the_threshold_is_undecided():
    """A part whose interval contains its threshold neither holds nor fails."""
    assert Part.measured("a", 1.1, [0.9, 1.3], 1.0, "").status == "undecided"


def test_claims_json_has_the_contract_keys_and_is_strict_json():
    """Every claim has number, claim, verdict, summary, ci95 and figures, in strict JSON."""
    from sim.analysis.claims import claims_json

    data = claims_json(measure_claims(*_tiers(True), seed=3))
    text = json.dumps(data, allow_nan=False)
    assert [c["number"] for c in json.loads(text)["claims"]] == [1, 2, 3, 4, 5]
    for c in data["claims"]:
        assert {"number", "claim", "verdict", "summary", "ci95", "figures"} <= c.keys()


def test_enemy_kills_look_up_matches_the_join_of_payouts():
    """Each enemy kill gets its payout by (enemy, zone) as an inner join would: order kept,
    unpaid and zoneless kills left out, other sources never joined."""
    import pandas as pd

    from sim.analysis.claims import game_tables
    from sim.analysis.claims.tiers import _enemy_kills

    game = game_tables()
    paid = game.enemies.iloc[[3, 0, 7]]
    income = pd.DataFrame(
        {
            "replication": [0, 0, 1, 1, 2, 2],
            "source_kind": ["enemy", "enemy", "boss", "enemy", "enemy", "enemy"],
            "source": [paid["name"].iloc[0], "nobody", paid["name"].iloc[1],
                       paid["name"].iloc[1], paid["name"].iloc[2], paid["name"].iloc[0]],
            "zone": [paid["zone"].iloc[0], paid["zone"].iloc[0], paid["zone"].iloc[1],
                     paid["zone"].iloc[1], None, paid["zone"].iloc[0]],
            "tier": [9, 9, 9, 9, 9, 9],
            "count": [2, 1, 1, 3, 1, 5],
            "runes": [10, 10, 10, 10, 10, 10],
        }
    )  # fmt: skip
    pay = game.enemies.rename(columns={"name": "source", "runes": "getsoul"})
    joined = (
        income[income["source_kind"] == "enemy"]
        .drop(columns=["tier"])
        .merge(pay[["source", "zone", "getsoul", "tier"]], on=["source", "zone"], how="inner")
    )
    joined["base"] = joined["count"] * joined["getsoul"]
    got = _enemy_kills(income, game)
    pd.testing.assert_frame_equal(got, joined, check_exact=True)
    assert got["replication"].tolist() == [0, 1, 2]
