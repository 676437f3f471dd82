"""Is a TOML file a route-search spec? Told by its keys alone, without building the spec's
schema (``runesim validate`` asks it of every file, scenarios included)."""

from __future__ import annotations

import tomllib
from pathlib import Path

__all__ = ["SPEC_KEYS", "looks_like_spec"]

SPEC_KEYS = ("base", "objective", "search", "constraints", "against")  # no scenario has these


def looks_like_spec(path: str | Path) -> bool:
    """True if ``path`` is a TOML file with a key only a route-search spec has (``base``,
    ``[objective]``, ``[search]``...); anything else is left to the scenario loader."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError, tomllib.TOMLDecodeError):
        return False
    return any(key in data for key in SPEC_KEYS)
