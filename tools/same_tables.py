"""Check that a code change leaves the simulator's tables identical.

Runs every shipped scenario (and natural on the reference engine) with a small fixed
batch, hashes the contents of each Parquet file it writes (the table read back and
encoded one fixed way, zstd as parts were first stored: the hash of a part stored so is
that of its bytes, and a change of codec or encoding options changes no hash), and
either records the hashes or checks them against a recording made before the change:

    python tools/same_tables.py record /tmp/tables-before.json   # on the old code
    python tools/same_tables.py check  /tmp/tables-before.json   # on the new code

Exit 0 when every table is the same byte for byte, 1 otherwise (the differing
tables are listed).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
N, SEED = 12, 7


def _runs() -> list[tuple[str, list[str]]]:
    runs = []
    for path in sorted((ROOT / "scenarios").glob("*.toml")):
        if path.stem.startswith("optimize_"):  # search specs, not scenarios
            continue
        runs.append((path.stem, [str(path)]))
    runs.append(
        (
            "natural_reference",
            [str(ROOT / "scenarios/natural.toml"), "--set", "model.engine=reference"],
        )
    )
    return runs


def _content_hash(part: Path) -> str:
    """SHA-256 of the part's table read back and encoded as parts were first stored."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.ParquetFile(part).read().replace_schema_metadata(None)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return hashlib.sha256(sink.getvalue().to_pybytes()).hexdigest()


def table_hashes() -> dict[str, str]:
    hashes: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, args in _runs():
            out = Path(tmp) / name
            cmd = [sys.executable, "-m", "sim", "run", *args, "-n", str(N), "--seed", str(SEED)]
            cmd += ["-j", "1", "--out", str(out), "--no-progress"]
            subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
            for part in sorted(out.rglob("*.parquet")):
                if part.is_file():
                    key = str(part.relative_to(tmp))
                    hashes[key] = _content_hash(part)
            print(f"{name}: done", file=sys.stderr)
    return hashes


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("record", "check"):
        print(__doc__)
        return 2
    action, where = argv[0], Path(argv[1])
    now = table_hashes()
    if action == "record":
        where.write_text(json.dumps(now, indent=1, sort_keys=True))
        print(f"recorded {len(now)} tables in {where}")
        return 0
    before = json.loads(where.read_text())
    differ = sorted(k for k in before.keys() | now.keys() if before.get(k) != now.get(k))
    for key in differ:
        print(f"differs: {key}")
    print(f"{len(before) - len(differ)} of {len(before)} tables identical")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
