"""Stored runs: atomic writes, Parquet parts per chunk, ``manifest.json`` and ``summary.json``.

Layout of a stored run ``DIR/``::

    manifest.json              what was run, how, with which versions
    summary.json               headline metrics over the stored replications
    <table>.parquet/part-NNNNN.parquet   one part per chunk, for every table

Only this package writes files; it computes no statistics (``summary.json``'s figures
come from ``sim.batch.summary``). Importing it costs pyarrow and numpy, not pandas.
"""

from sim.store.atomic import atomic_write_bytes, atomic_write_text
from sim.store.manifest import read_manifest, read_summary, write_manifest, write_summary
from sim.store.parts import complete_chunks, part_path, read_arrow, read_table, write_part
from sim.store.schemas import TABLES, schema

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
    "write_manifest",
    "write_part",
    "write_summary",
]
