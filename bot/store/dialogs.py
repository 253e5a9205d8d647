"""The dialogs table: the one dialogue each person is in, with its step and stored state."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.clock import Clock, from_db, to_db
from bot.db import Database, Tx
from bot.store.presence import PresenceIndex


@dataclass(frozen=True)
class DialogRow:
    """One row as stored: `state` is JSON, or ciphertext for kinds with personal data."""

    user_id: int
    kind: str
    step: str
    nonce: str
    state: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> DialogRow:
        times = {name: from_db(row[name]) for name in ("created_at", "updated_at")}
        return cls(**(dict(row) | times))


class DialogRepo:
    """Plain SQL for the dialogs table; this class is its only writer."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        # Who may be in a dialogue (bot/store/presence.py): every private message asks, and
        # nearly everyone is in none. Loaded at start-up (bot/app.py).
        self.index = PresenceIndex("SELECT user_id FROM dialogs")

    async def get(self, user_id: int) -> DialogRow | None:
        row = await self.index.lookup(
            user_id,
            lambda: self.db.fetchone("SELECT * FROM dialogs WHERE user_id = :u", {"u": user_id}),
        )
        return DialogRow.from_row(row) if row else None

    async def put(self, user_id: int, kind: str, step: str, nonce: str, state: str) -> None:
        """Write the person's dialogue (replacing any other); a new nonce is a new start."""
        self.index.add(user_id)
        await self.db.execute(
            "INSERT INTO dialogs (user_id, kind, step, nonce, state, created_at, updated_at)"
            " VALUES (:u, :kind, :step, :nonce, :state, :now, :now)"
            " ON CONFLICT (user_id) DO UPDATE SET kind = excluded.kind, step = excluded.step,"
            " state = excluded.state, updated_at = excluded.updated_at,"
            " created_at = CASE WHEN dialogs.nonce = excluded.nonce"
            " THEN dialogs.created_at ELSE excluded.created_at END, nonce = excluded.nonce",
            {
                "u": user_id,
                "kind": kind,
                "step": step,
                "nonce": nonce,
                "state": state,
                "now": to_db(self.clock.now()),
            },
        )

    async def delete(self, user_id: int, nonce: str | None = None) -> bool:
        """Delete the person's dialogue (only the one with `nonce`, when given)."""
        if not self.index.may_have(user_id):
            return False
        cur = await self.db.execute(
            "DELETE FROM dialogs WHERE user_id = :u AND (:nonce IS NULL OR nonce = :nonce)",
            {"u": user_id, "nonce": nonce},
        )
        return cur.rowcount > 0

    async def delete_kinds(self, user_id: int, kinds: tuple[str, ...]) -> bool:
        """Delete the person's dialogue if it is of one of `kinds`."""
        if not self.index.may_have(user_id) or not kinds:
            return False
        marks = ", ".join(f":k{i}" for i in range(len(kinds)))
        cur = await self.db.execute(
            f"DELETE FROM dialogs WHERE user_id = :u AND kind IN ({marks})",  # noqa: S608 (marks)
            {"u": user_id} | {f"k{i}": kind for i, kind in enumerate(kinds)},
        )
        return cur.rowcount > 0

    async def delete_in(
        self, tx: Tx, user_id: int, nonce: str | None = None, kinds: tuple[str, ...] = ()
    ) -> bool:
        """Delete the person's dialogue inside another store's transaction (a registration
        sent, a person's data erased): only the one with `nonce`, or of `kinds`, when given."""
        sql = "DELETE FROM dialogs WHERE user_id = :u AND (:nonce IS NULL OR nonce = :nonce)"
        if kinds:
            sql += " AND kind IN (" + ", ".join(f":k{i}" for i in range(len(kinds))) + ")"
        cur = await tx.execute(
            sql, {"u": user_id, "nonce": nonce} | {f"k{i}": kind for i, kind in enumerate(kinds)}
        )
        return cur.rowcount > 0

    async def delete_untouched(self, row: DialogRow) -> bool:
        """Delete `row` if it has not changed since it was read (the expiry job)."""
        cur = await self.db.execute(
            "DELETE FROM dialogs WHERE user_id = :u AND nonce = :nonce AND updated_at = :at",
            {"u": row.user_id, "nonce": row.nonce, "at": to_db(row.updated_at)},
        )
        return cur.rowcount > 0

    async def older_than(self, before: datetime) -> list[DialogRow]:
        """Every dialogue untouched since `before`, oldest first (walks dialogs_updated)."""
        rows = await self.db.fetchall(
            "SELECT * FROM dialogs WHERE updated_at < :before ORDER BY updated_at",
            {"before": to_db(before)},
        )
        return [DialogRow.from_row(r) for r in rows]
