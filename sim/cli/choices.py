"""The options that take one of a few words, as types: typer lists them in the help and
refuses any other word (exit 2, naming the choices). Each member equals its text."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Format", "Uncertainty", "Method"]


class Format(StrEnum):
    """``runesim data --format``."""

    table = "table"
    csv = "csv"
    json = "json"


class Uncertainty(StrEnum):
    """``runesim compare --uncertainty``: none, or sample the uncertain inputs."""

    none = "none"
    sample = "sample"


class Method(StrEnum):
    """``runesim sensitivity --method``."""

    sobol = "sobol"
    morris = "morris"
