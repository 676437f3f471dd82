"""Where a stored run's table parts live: ``DIR/<table>.parquet/part-NNNNN.parquet``."""

from __future__ import annotations

from pathlib import Path

__all__ = ["table_dir", "part_path"]


def table_dir(run_dir: Path | str, name: str) -> Path:
    """The directory holding the parts of table ``name``."""
    return Path(run_dir) / f"{name}.parquet"


def part_path(run_dir: Path | str, name: str, chunk_index: int) -> Path:
    """The file of chunk ``chunk_index`` of table ``name``."""
    return table_dir(run_dir, name) / f"part-{chunk_index:05d}.parquet"
