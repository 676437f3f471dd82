"""The code's shape: small modules."""

from __future__ import annotations

from pathlib import Path

SIM = Path(__file__).resolve().parents[1] / "sim"
LIMIT = 400


def test_every_module_in_sim_is_under_400_lines() -> None:
    long = {
        str(p.relative_to(SIM)): n
        for p in SIM.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) >= LIMIT
    }
    assert not long, f"modules of {LIMIT} lines or more: {long}"
