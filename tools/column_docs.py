"""Regenerate the column tables of ``docs/architecture.md`` from ``sim/columns.py``.

Each stored table's columns are declared once, as records in ``sim/columns.py``; the
architecture doc shows them between markers, rewritten by this script:

    python tools/column_docs.py          # rewrite the tables in the doc
    python tools/column_docs.py --check  # exit 1 if the doc is out of date

``tests/test_columns.py`` fails when the doc and the Arrow schemas disagree.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "architecture.md"


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    from sim.store.schemas import with_doc_tables

    text = DOC.read_text(encoding="utf-8")
    new = with_doc_tables(text)
    if "--check" in argv:
        if new != text:
            print(f"{DOC.relative_to(ROOT)}: column tables out of date; run tools/column_docs.py")
            return 1
        print(f"{DOC.relative_to(ROOT)}: column tables up to date")
        return 0
    if new != text:
        DOC.write_text(new, encoding="utf-8")
        print(f"{DOC.relative_to(ROOT)}: column tables rewritten")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
