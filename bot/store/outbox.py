"""The outbox table: status messages and daily digests, a row before each send (issue 17)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from bot.clock import Clock, from_db, to_db
from bot.db import Database, Queryable

Kind = Literal["status", "digest"]
# 'sending' is only ever seen between a claim and its settle, or after a crash.
FINAL_STATES = ("sent", "uncertain", "failed", "blocked", "cancelled")


@dataclass(frozen=True)
class OutboxRow:
    id: int
    kind: str
    chat_id: int
    registration_id: int | None
    dedupe_key: str | None
    payload: dict[str, Any]
    state: str
    due_at: datetime
    attempts: int
    error: str | None
    created_at: datetime
    sent_at: datetime | None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> OutboxRow:
        return cls(
            id=row["id"],
            kind=row["kind"],
            chat_id=row["chat_id"],
            registration_id=row["registration_id"],
            dedupe_key=row["dedupe_key"],
            payload=json.loads(row["payload"]),
            state=row["state"],
            due_at=from_db(row["due_at"]),
            attempts=row["attempts"],
            error=row["error"],
            created_at=from_db(row["created_at"]),
            sent_at=from_db(row["sent_at"]) if row["sent_at"] else None,
        )


class OutboxRepo:
    """Reads and writes outbox rows. Methods taking a `Queryable` run inside the caller's
    transaction (a status change and its message are one transaction)."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def add(
        self,
        q: Queryable,
        kind: Kind,
        chat_id: int,
        due_at: datetime,
        payload: dict[str, Any],
        *,
        registration_id: int | None = None,
        dedupe_key: str | None = None,
    ) -> int | None:
        """A pending row; None when a row with the same `dedupe_key` exists already."""
        now = to_db(self.clock.now())
        cur = await q.execute(
            "INSERT INTO outbox (kind, chat_id, registration_id, dedupe_key, payload, due_at,"
            " created_at, updated_at)"
            " VALUES (:kind, :chat, :reg, :key, :payload, :due, :now, :now)"
            " ON CONFLICT (dedupe_key) DO NOTHING",
            {
                "kind": kind,
                "chat": chat_id,
                "reg": registration_id,
                "key": dedupe_key,
                "payload": json.dumps(payload, sort_keys=True),
                "due": to_db(due_at),
                "now": now,
            },
        )
        return cur.lastrowid if cur.rowcount > 0 else None

    async def cancel_pending(self, q: Queryable, registration_id: int, kind: Kind) -> int:
        """Pending rows of this registration (not sent yet) are dropped: a newer status wins."""
        cur = await q.execute(
            "UPDATE outbox SET state = 'cancelled', error = 'superseded', updated_at = :now"
            " WHERE registration_id = :reg AND kind = :kind AND state = 'pending'",
            {"reg": registration_id, "kind": kind, "now": to_db(self.clock.now())},
        )
        return cur.rowcount

    async def recover(self) -> int:
        """Rows left 'sending' by a crash: Telegram may have them, so never resend them."""
        if await self.db.fetchone("SELECT 1 FROM outbox WHERE state = 'sending' LIMIT 1") is None:
            return 0  # the usual case: a read through the index, no write
        cur = await self.db.execute(
            "UPDATE outbox SET state = 'uncertain', error = 'in flight at a crash',"
            " updated_at = :now WHERE state = 'sending'",
            {"now": to_db(self.clock.now())},
        )
        return cur.rowcount

    async def claim(self, now: datetime) -> OutboxRow | None:
        """The oldest due pending row, moved to 'sending' in one transaction before any send."""
        at = to_db(now)
        if (
            await self.db.fetchone(
                "SELECT 1 FROM outbox WHERE state = 'pending' AND due_at <= :now LIMIT 1",
                {"now": at},
            )
            is None
        ):
            return None  # the usual case: one read through the index, no write lock
        async with self.db.transaction() as tx:
            row = await tx.fetchone(
                "SELECT * FROM outbox WHERE state = 'pending' AND due_at <= :now"
                " ORDER BY due_at, id LIMIT 1",
                {"now": at},
            )
            if row is None:
                return None
            await tx.execute(
                "UPDATE outbox SET state = 'sending', updated_at = :now WHERE id = :id",
                {"id": row["id"], "now": at},
            )
        return OutboxRow.from_row(row)

    async def finish(self, row_id: int, state: str, error: str | None = None) -> None:
        if state not in FINAL_STATES:
            raise ValueError(f"not a final state: {state!r}")
        now = to_db(self.clock.now())
        await self.db.execute(
            "UPDATE outbox SET state = :state, error = :error, updated_at = :now,"
            " sent_at = CASE WHEN :state = 'sent' THEN :now ELSE sent_at END"
            " WHERE id = :id AND state = 'sending'",
            {"id": row_id, "state": state, "error": error, "now": now},
        )

    async def put_back(self, row_id: int, due_at: datetime, *, count_try: bool) -> None:
        """Telegram did not take it: pending again, sent no earlier than `due_at`."""
        await self.db.execute(
            "UPDATE outbox SET state = 'pending', due_at = :due, updated_at = :now,"
            " attempts = attempts + :try WHERE id = :id AND state = 'sending'",
            {
                "id": row_id,
                "due": to_db(due_at),
                "now": to_db(self.clock.now()),
                "try": 1 if count_try else 0,
            },
        )

    async def get(self, row_id: int) -> OutboxRow | None:
        row = await self.db.fetchone("SELECT * FROM outbox WHERE id = :id", {"id": row_id})
        return OutboxRow.from_row(row) if row else None

    async def by_key(self, key: str) -> OutboxRow | None:
        row = await self.db.fetchone("SELECT * FROM outbox WHERE dedupe_key = :k", {"k": key})
        return OutboxRow.from_row(row) if row else None

    async def latest(self, kind: Kind) -> OutboxRow | None:
        row = await self.db.fetchone(
            "SELECT * FROM outbox WHERE kind = :kind ORDER BY id DESC LIMIT 1", {"kind": kind}
        )
        return OutboxRow.from_row(row) if row else None

    async def of_registration(self, registration_id: int) -> list[OutboxRow]:
        rows = await self.db.fetchall(
            "SELECT * FROM outbox WHERE registration_id = :reg ORDER BY id",
            {"reg": registration_id},
        )
        return [OutboxRow.from_row(r) for r in rows]
