"""Rows left after /hapusdata that contain the person's text (issue 14; target 0). Prints ONE
JSON object; not part of `make test`.

    .venv/bin/python bench/deletion.py

The real Application through the in-memory Bot API (sakpore_sim/harness.py), the scenario of
tests/test_privacy.py (sakpore_sim/audit.py, shared by both): a person asks
questions with their NIK and phone number typed in them (with separators), talks with the
staff ("Tanya petugas", a staff reply, the person's answer), registers, then deletes their
data with /hapusdata. Every text value of every table is then searched for the person's
words, name, NIK and phone digits (digits also compared with the separators removed), and
the raw database and -wal files for the same bytes. The needles include the Telegram first
name alone (the users row stays, with the name blanked). Before the fix (commit 627f0e0): 4
rows (2 questions, 2 hand-off messages, NIK and phone in clear), the words also in the
files, a 543,872-byte WAL; after: 0, none, 0 bytes (docs/security.md).
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.clock import FakeClock
from bot.config import Settings
from sakpore_sim.audit import (
    FIRST_NAME,
    NAME,
    NIK,
    PHONE_DIGITS,
    WORDS,
    person_talks_registers_and_deletes,
    rows_with_text,
)
from sakpore_sim.harness import Harness

# The scenario's staff (the same as tests/test_privacy.py's; a benchmark imports nothing from
# tests/); the person and their data are in sakpore_sim/audit.py.
ADMIN_ID = 9001
STAFF_ID = 2001
STAFF_CHAT_ID = -100500


def _in_files(database: Path, needles: tuple[str, ...]) -> tuple[list[str], int]:
    """The needles found in the raw database and -wal files, and the -wal file's size."""
    wal = Path(str(database) + "-wal")
    raw = b"".join(p.read_bytes() for p in (database, wal) if p.exists())
    return sorted(
        n for n in needles if n.encode() in raw
    ), wal.stat().st_size if wal.exists() else 0


async def run() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            _env_file=None,
            database_path=Path(tmp) / "sakpore.db",
            admin_ids=frozenset({ADMIN_ID}),
            staff_chat_id=STAFF_CHAT_ID,
            telegram_max_rate=0,
            flood_max_per_minute=0,
            telegram_bot_token=None,
            nik_encryption_key=None,
        )
        clock = FakeClock(datetime(2026, 1, 5, 1, 0, tzinfo=UTC))
        needles = (*WORDS, NAME, FIRST_NAME, NIK, PHONE_DIGITS)
        async with Harness.create(settings, clock) as h:
            await person_talks_registers_and_deletes(
                h, admin_id=ADMIN_ID, staff_id=STAFF_ID, staff_chat_id=STAFF_CHAT_ID
            )
            left = rows_with_text(settings.database_path, needles)
            figures = await h.deps.stats.figures(clock.now(), "2026-01")
            in_files, wal_bytes = _in_files(settings.database_path, needles)
        return {
            "rows_left_with_persons_text": sum(left.values()),
            "rows_left_by_table": left,
            "persons_text_in_database_or_wal_files": in_files,
            "wal_bytes_after_deletion": wal_bytes,
            "statistik_after_deletion": {
                "questions": figures.questions,
                "handoffs": figures.handoffs,
            },
        }


def main() -> None:
    logging.basicConfig(level=logging.ERROR)
    out = {"benchmark": "deletion", **asyncio.run(run())}
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
