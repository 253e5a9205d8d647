"""The kb_changes table: every staff change to the knowledge base, as a version (issue 16)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.clock import Clock, from_db, to_db
from bot.db import Database
from bot.faq.layer import Change, Version

Status = Literal["live", "pending", "held", "rejected", "superseded"]


@dataclass(frozen=True)
class KbChange:
    id: int
    author_id: int
    author: str  # "import" for `kb import`, else ""
    created_at: datetime
    reason: str
    locale: str
    entry_id: str
    kind: str
    change: Change
    base_hash: str | None
    status: Status
    approved_by: int | None
    decided_at: datetime | None
    gate: str
    snapshot: str | None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> KbChange:
        return cls(
            id=int(row["id"]),
            author_id=int(row["author_id"]),
            author=str(row["author"]),
            created_at=from_db(row["created_at"]),
            reason=str(row["reason"]),
            locale=str(row["locale"]),
            entry_id=str(row["entry_id"]),
            kind=str(row["kind"]),
            change=Change.from_json(row["change"]),
            base_hash=row["base_hash"],
            status=row["status"],
            approved_by=row["approved_by"],
            decided_at=from_db(row["decided_at"]) if row["decided_at"] else None,
            gate=str(row["gate"]),
            snapshot=row["snapshot"],
        )

    @property
    def version(self) -> Version:
        return Version(self.id, self.locale, self.entry_id, self.change, self.base_hash)


class KbChangeRepo:
    """Reads and writes kb_changes rows."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def add(
        self,
        *,
        author_id: int,
        locale: str,
        entry_id: str,
        kind: str,
        change: Change,
        base_hash: str | None,
        status: Status,
        reason: str = "",
        author: str = "",
        gate: str = "",
        snapshot: str | None = None,
        approved_by: int | None = None,
    ) -> int:
        now = to_db(self.clock.now())
        cur = await self.db.execute(
            "INSERT INTO kb_changes (author_id, author, created_at, reason, locale, entry_id,"
            " kind, change, base_hash, status, approved_by, decided_at, gate, snapshot)"
            " VALUES (:author_id, :author, :at, :reason, :locale, :entry_id, :kind, :change,"
            " :base_hash, :status, :approved_by, :decided_at, :gate, :snapshot)",
            {
                "author_id": author_id,
                "author": author,
                "at": now,
                "reason": reason[:500],
                "locale": locale,
                "entry_id": entry_id,
                "kind": kind,
                "change": change.to_json(),
                "base_hash": base_hash,
                "status": status,
                "approved_by": approved_by,
                "decided_at": now if status == "live" else None,
                "gate": gate,
                "snapshot": snapshot,
            },
        )
        change_id = cur.lastrowid
        assert change_id is not None
        return change_id

    async def get(self, change_id: int) -> KbChange | None:
        row = await self.db.fetchone("SELECT * FROM kb_changes WHERE id = :id", {"id": change_id})
        return KbChange.from_row(row) if row else None

    async def with_status(self, *statuses: Status) -> list[KbChange]:
        """Changes in any of `statuses`, oldest first (version order)."""
        marks = ", ".join(f":s{i}" for i in range(len(statuses)))
        rows = await self.db.fetchall(
            f"SELECT * FROM kb_changes WHERE status IN ({marks}) ORDER BY id",  # noqa: S608
            {f"s{i}": s for i, s in enumerate(statuses)},
        )
        return [KbChange.from_row(r) for r in rows]

    async def history(
        self, limit: int, offset: int = 0, entry_id: str | None = None
    ) -> list[KbChange]:
        """Newest first (all statuses), optionally of one entry."""
        rows = await self.db.fetchall(
            "SELECT * FROM kb_changes WHERE (:entry IS NULL OR entry_id = :entry)"
            " ORDER BY id DESC LIMIT :limit OFFSET :offset",
            {"entry": entry_id, "limit": limit, "offset": offset},
        )
        return [KbChange.from_row(r) for r in rows]

    async def count(self, entry_id: str | None = None) -> int:
        row = await self.db.fetchone(
            "SELECT COUNT(*) FROM kb_changes WHERE (:entry IS NULL OR entry_id = :entry)",
            {"entry": entry_id},
        )
        return int(row[0]) if row else 0

    async def decide(
        self,
        change_id: int,
        status: Status,
        *,
        expected: Status,
        by: int | None = None,
        snapshot: str | None = None,
    ) -> bool:
        """Move a change from `expected` to `status`; False when it was no longer `expected`
        (decided meanwhile, e.g. a double tap)."""
        cur = await self.db.execute(
            "UPDATE kb_changes SET status = :status, approved_by = COALESCE(:by, approved_by),"
            " decided_at = :at, snapshot = COALESCE(:snapshot, snapshot)"
            " WHERE id = :id AND status = :expected",
            {
                "id": change_id,
                "status": status,
                "by": by,
                "at": to_db(self.clock.now()),
                "snapshot": snapshot,
                "expected": expected,
            },
        )
        return cur.rowcount == 1

    async def supersede(self, locale: str, entry_id: str, before: int) -> int:
        """A restore replaces every field: the entry's earlier live changes are superseded."""
        cur = await self.db.execute(
            "UPDATE kb_changes SET status = 'superseded', decided_at = :at"
            " WHERE locale = :locale AND entry_id = :entry AND status = 'live' AND id < :before",
            {"locale": locale, "entry": entry_id, "before": before, "at": to_db(self.clock.now())},
        )
        return cur.rowcount

    async def usage(self, entry_id: str) -> tuple[int, int, int]:
        """Times an entry was answered, 👍 and 👎 (from the question log)."""
        row = await self.db.fetchone(
            "SELECT COUNT(*) AS n, COALESCE(SUM(vote = 1), 0) AS up,"
            " COALESCE(SUM(vote = -1), 0) AS down FROM questions WHERE entry_id = :entry",
            {"entry": entry_id},
        )
        return (int(row["n"]), int(row["up"]), int(row["down"])) if row else (0, 0, 0)
