"""``runesim claims``: scenarios or stored runs in, the five claims out (table or JSON)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

import sim

ROOT = Path(__file__).resolve().parents[1]
SCEN = [ROOT / "scenarios" / f"{s}.toml" for s in ("natural", "rush_mohgwyn", "natural_online")]


def runesim(*args) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sim", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )


@pytest.fixture(scope="module")
def claims_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("claims") / "c"
    r = runesim("claims", *SCEN, "-n", "3", "--seed", "5", "--jobs", "1", "--out", out, "--json")
    return r, out


@pytest.mark.slow
def test_claims_json_lists_five_claims_with_intervals(claims_run):
    """--json prints only {"claims": [...]}: five claims, each with the contract keys and a verdict
    word."""
    r, _ = claims_run
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert list(data) == ["claims"] and [c["number"] for c in data["claims"]] == [1, 2, 3, 4, 5]
    verdicts = {"supported", "partly supported", "not supported", "not measured"}
    for c in data["claims"]:
        assert {"number", "claim", "verdict", "summary", "ci95", "figures"} <= c.keys()
        assert c["verdict"] in verdicts and len(c["ci95"]) == 2


@pytest.mark.slow
def test_claims_read_back_from_stored_runs(claims_run):
    """Stored run directories give the same claims as the run that made them."""
    r, out = claims_run
    again = runesim("claims", *(out / s.stem for s in SCEN), "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout) == json.loads(r.stdout)


def test_claims_refuse_a_mix_of_files_and_directories(tmp_path):
    """Scenario files and directories mixed on one command line are exit 2 with a message."""
    r = runesim("claims", SCEN[0], tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr and "only scenario files" in r.stderr


def test_enemy_kinds_are_sourced_for_every_enemy():
    """Every enemy of enemies.csv has a kind row; every assigned kind names its source."""
    data = Path(sim.__file__).parent / "data"
    names = {r["name"] for r in csv.DictReader((data / "enemies.csv").open(encoding="utf-8"))}
    kinds = list(csv.DictReader((data / "enemy_kinds.csv").open(encoding="utf-8")))
    assert {k["name"] for k in kinds} == names
    assert all(k["source"].startswith("https://") for k in kinds if k["category"] != "unassigned")


@pytest.mark.slow
def test_claims_refuse_a_used_out_without_overwrite(claims_run):
    """Running scenarios into a directory that holds runs and claims is exit 2 unless
    --overwrite."""
    _, out = claims_run
    r = runesim("claims", SCEN[0], "-n", "2", "--out", out)
    assert r.returncode == 2 and "--overwrite" in r.stderr and "Traceback" not in r.stderr
