"""Stored runs: atomic writes, Parquet parts per chunk, ``manifest.json`` and ``summary.json``.

Layout of a stored run ``DIR/``::

    manifest.json              what was run, how, with which versions
    summary.json               headline metrics over the stored replications
    <table>.parquet/part-NNNNN.parquet   one part per chunk, for every table

Only this package writes files. Names are imported on first use, so a worker
that only encodes parts never imports pandas.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "TABLES",
    "atomic_write_bytes",
    "atomic_write_text",
    "complete_chunks",
    "part_path",
    "read_arrow",
    "read_manifest",
    "read_summary",
    "read_table",
    "schema",
    "summarise",
    "write_manifest",
    "write_part",
    "write_summary",
]

_HOME = {
    "TABLES": "schemas",
    "schema": "schemas",
    "atomic_write_bytes": "atomic",
    "atomic_write_text": "atomic",
    "complete_chunks": "parts",
    "part_path": "parts",
    "read_arrow": "parts",
    "read_table": "parts",
    "write_part": "parts",
    "read_manifest": "manifest",
    "read_summary": "manifest",
    "summarise": "manifest",
    "write_manifest": "manifest",
    "write_summary": "manifest",
}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module 'sim.store' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"sim.store.{_HOME[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
