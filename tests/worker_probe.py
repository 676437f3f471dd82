"""Functions a test ships to a worker process by name (this module imports nothing heavy)."""

from __future__ import annotations

import sys
from typing import Any


def chunk_in_worker(scenario_json: str) -> tuple[list[str], dict[str, Any]]:
    """Run replications 0..2 here; which of pandas and pyarrow's compute module got imported,
    and the chunk's record."""
    from sim.batch.worker import run_chunk

    result = run_chunk(scenario_json, 0, 3)
    return [m for m in ("pandas", "pyarrow.compute") if m in sys.modules], result["record"]
