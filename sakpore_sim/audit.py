"""What a database file still holds of a person: used by the privacy tests and
bench/deletion.py to check that /hapusdata leaves none of the person's words behind."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def rows_with_text(database: Path, needles: tuple[str, ...]) -> dict[str, int]:
    """Per table, the rows with a text value containing any needle (digits compared
    without separators)."""
    found: dict[str, int] = {}
    conn = sqlite3.connect(database)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            # Table names come from sqlite_master itself, not from input.
            for row in conn.execute(f"SELECT * FROM {table}"):  # noqa: S608
                values = [str(v) for v in row if isinstance(v, str)]
                squeezed = ["".join(ch for ch in v if ch.isdigit()) for v in values]
                if any(n in v for n in needles for v in values) or any(
                    n.isdigit() and n in s for n in needles for s in squeezed
                ):
                    found[table] = found.get(table, 0) + 1
    finally:
        conn.close()
    return found
