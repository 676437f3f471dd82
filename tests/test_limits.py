"""`validate` agrees with `run`: every value a run cannot use is refused up front, with the key
path, the value (cut short) and the limit; command-line options are checked the same way."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sim.errors import InputError
from sim.scenario.load import load_scenario
from tests.clihelp import NATURAL, SCENARIOS, TINY, assert_refused, cli

ROUTE = SCENARIOS / "custom_route.toml"
FARM = 'route.steps=["farm \\"Palace Approach Ledge-Road\\" {}"]'


def refused(path: Path, *overrides: str) -> InputError:
    with pytest.raises(InputError) as err:
        load_scenario(path, overrides)
    return err.value


@pytest.mark.parametrize(
    ("override", "key", "expected"),
    [
        ("horizon_hours=inf", "horizon_hours", "finite"),
        ("horizon_hours=nan", "horizon_hours", "finite"),
        ("horizon_hours=1e308", "horizon_hours", "less than or equal to 2000"),
        ("player.skill.sd=inf", "player.skill.sd", "finite"),
        ("seed=1180591620717411303424", "seed", "less than or equal to 9223372036854775807"),
        ("seed=9223372036854775808", "seed", "less than or equal to"),
        ("seed=-1", "seed", "greater than or equal to 0"),
        ("record.grid_hours=1e-9", "record.grid_hours", "one minute"),
        ("replications=1000000000000000", "replications", "less than or equal to 1000000"),
        ("replications=true", "replications", "not a boolean"),
        ("chunk_size=false", "chunk_size", "not a boolean"),
        ("player.skill.sd=true", "player.skill.sd", "not a boolean"),
        ('player.skill.sd="3"', "player.skill.sd", "not text"),
        ("player.start_class=3", "player.start_class", "text in quotes"),
        ("record.levels=[20, true]", "record.levels[1]", "not a boolean"),
        ("model.kill_time.gap_min=70", "model.kill_time.gap_max", "greater than gap_min"),
        ("record.level_hours=[-1]", "record.level_hours[0]", "greater than 0"),
        ("record.level_hours=[0]", "record.level_hours[0]", "greater than 0"),
        ("record.levels=[20, 20]", "record.levels", "distinct"),
        ("record.levels=[9999]", "record.levels[0]", "a level from 1 to 713"),
        ('player.has=["zone:Narnia"]', "player.has[0]", "a known zone name"),
        ('player.has=["great_runes:many"]', "player.has[0]", "access token"),
        ('player.has=["nonsense"]', "player.has[0]", "access token"),
        ('name=""', "name", "a label"),
        ("horizon_hours=2000", "record.grid_hours", "horizon_hours / 50,000"),
        (
            "invasions.taunters_tongue_per_hour=1e300",
            "invasions.taunters_tongue_per_hour",
            "one a minute",
        ),
        ("traits.tolerance_sd=1e308", "traits.tolerance_sd", "less than or equal to 3"),
        ("traits.care_sd=1e300", "traits.care_sd", "less than or equal to 3"),
        (
            "model.kill_time.farm_loop_scale=1e-300",
            "model.kill_time.farm_loop_scale",
            "greater than or equal to 0.01",
        ),
    ],
)
def test_values_a_run_cannot_use_are_refused(override, key, expected):
    """Non-finite, out-of-range, wrongly typed, inconsistent and unknown values: one problem
    naming the key path and what was expected."""
    extra = ["record.grid_hours=0.02"] if override.startswith("horizon_hours=2000") else []
    err = refused(NATURAL, override, *extra)
    assert [p.key_path for p in err.problems] == [key], err.message
    assert expected in err.message


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        ("until level >= 9999", "at most 713"),
        ("until level >= 0", "above the start (9)"),
        ("until level >= 9", "above the start (9)"),
        ("for 0 min", "a time above zero"),
        ("for 0.0 h", "a time above zero"),
    ],
)
def test_route_levels_and_durations_are_bounded(step, expected):
    """A farm step's level is above the start and at most 713; its time is above zero."""
    err = refused(ROUTE, "strategy=route", FARM.format(step), 'player.has=["quest:Varre"]')
    assert err.problems[0].key_path == "route.steps[0]"
    assert expected in err.message


def test_a_route_without_steps_names_the_key(tmp_path):
    """strategy = "route" with no steps names route.steps, not the whole document."""
    f = tmp_path / "r.toml"
    f.write_text('strategy = "route"\n')
    err = refused(f)
    assert err.problems[0].key_path == "route.steps"
    assert "(top level)" not in err.message


def test_a_huge_value_is_quoted_short():
    """A 5 MB string in a scenario gives a message of a few hundred characters."""
    err = refused(NATURAL, "player.start_class=" + "x" * 5_000_000)
    assert len(err.message) < 500
    assert "5,000,002 characters" in err.message  # the quoted value: 5 MB and its quotes


def test_deep_nesting_is_refused(tmp_path):
    """TOML nested 5,000 deep (arrays or tables) is exit 2, not a RecursionError."""
    f = tmp_path / "deep.toml"
    f.write_text("a = " + "[" * 5000 + "]" * 5000 + "\n")
    assert "nested too deep" in refused(f).message
    deep_key = ".".join(["a"] * 5000) + "=1"
    assert "nested too deep" in refused(NATURAL, deep_key).message


def test_a_nul_byte_in_a_name_or_path_is_refused(tmp_path, capsys):
    """A NUL byte in the scenario name or in the file path is exit 2 with a message."""
    assert "a label" in refused(NATURAL, 'name="a\\u0000b"').message
    assert_refused(cli(capsys, "validate", "a\x00b.toml"), "null byte")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("-n", "0"), "from 1 to 1,000,000"),
        (("-n", "1000000000000000"), "from 1 to 1,000,000"),
        (("--seed", str(2**63)), "2**63 - 1"),
        (("--seed", "-1"), "2**63 - 1"),
        (("--extend", "-3"), "--extend"),
        (("--jobs", "0"), "--jobs"),
        (("--scheduler", "bogus"), "tcp://"),
        (("--scheduler", "tcp://host:99999"), "tcp://"),
        (("--resume", "--overwrite"), "not both"),
    ],
)
def test_run_options_are_checked(args, needle, capsys, tmp_path):
    """run's -n, --seed, --extend, --jobs and --scheduler are checked before anything is written."""
    out = tmp_path / "run"
    r = cli(capsys, "run", NATURAL, "--out", out, "--no-progress", *args)
    assert_refused(r, needle)
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--target-error", "-1"), "between 0 and 1"),
        (("--target-error", "0"), "between 0 and 1"),
        (("--target-error", "1.5"), "between 0 and 1"),
        (("--target-error", "nan"), "between 0 and 1"),
        (("--block", "0"), "--block"),
        (("--max-n", "0"), "--max-n"),
        (("-n", "0"), "-n"),
        (("--seed", str(2**63)), "--seed"),
    ],
)
def test_compare_options_are_checked(args, needle, capsys, tmp_path):
    """compare's --target-error is in (0, 1), --block and --max-n at least 1, -n and --seed
    bounded."""
    r = cli(capsys, "compare", NATURAL, NATURAL, "--out", tmp_path / "c", *args)
    assert_refused(r, needle)


def test_a_dead_scheduler_address_fails_with_a_message(capsys, tmp_path):
    """A scheduler address nobody answers is exit 2 naming it, after a short connection timeout."""
    r = cli(
        capsys, "run", NATURAL, "--out", tmp_path / "run", *TINY, "--scheduler", "tcp://127.0.0.1:9"
    )
    assert_refused(r, "tcp://127.0.0.1:9", "cannot reach the Dask scheduler")


def test_every_model_event_is_documented():
    """Every event name the model logs (retreat included) is in the documented event list."""
    root = Path(__file__).resolve().parents[1]
    logged = set()
    for f in (root / "sim").rglob("*.py"):
        logged |= set(re.findall(r'\blog\("([a-z_]+)"', f.read_text()))
    doc = (root / "docs" / "architecture.md").read_text()
    listed = doc[doc.index("`event` is one of") :][:1200]
    assert "retreat" in logged
    assert [e for e in sorted(logged) if e not in listed] == []
