"""What the daily digest lists (issue 17, item 3): read-only queries over registrations and
hand-offs. No personal data leaves here: references, catalogue keys and times only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from bot.clock import from_db, to_db
from bot.db import Database


@dataclass(frozen=True)
class RegistrationLine:
    id: int
    created_at: datetime
    occupation: str
    kecamatan: str


@dataclass(frozen=True)
class HandoffLine:
    id: int
    created_at: datetime
    post_id: int  # the bot's latest post of the person's message in the staff group


T = TypeVar("T")


@dataclass(frozen=True)
class Listing(Generic[T]):
    count: int
    first: list[T]


@dataclass(frozen=True)
class Waiting(Listing[HandoffLine]):
    late: int = 0  # of `count`, how many wait longer than the office's promise


class DigestRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def new_registrations(
        self, since: datetime, until: datetime, limit: int
    ) -> Listing[RegistrationLine]:
        params = {"since": to_db(since), "until": to_db(until), "limit": limit}
        where = "WHERE created_at >= :since AND created_at < :until"
        return await self._registrations(where, params)

    async def still_new(self, created_before: datetime, limit: int) -> Listing[RegistrationLine]:
        params = {"before": to_db(created_before), "limit": limit}
        return await self._registrations("WHERE status = 'baru' AND created_at < :before", params)

    async def _registrations(
        self, where: str, params: dict[str, object]
    ) -> Listing[RegistrationLine]:
        count = await self.db.fetchone(f"SELECT COUNT(*) FROM registrations {where}", params)  # noqa: S608
        rows = await self.db.fetchall(
            f"SELECT id, created_at, occupation, kecamatan FROM registrations {where}"  # noqa: S608
            " ORDER BY created_at, id LIMIT :limit",
            params,
        )
        lines = [
            RegistrationLine(r["id"], from_db(r["created_at"]), r["occupation"], r["kecamatan"])
            for r in rows
        ]
        return Listing(int(count[0]) if count else 0, lines)

    async def waiting_handoffs(
        self, chat_id: int, limit: int, late_before: datetime | None = None
    ) -> Waiting:
        """Threads no staff member has answered yet whose question is posted in `chat_id`,
        oldest first; `late`: those opened before `late_before` (the office's promise)."""
        rows = await self.db.fetchall(
            "SELECT h.id, h.created_at, (SELECT m.group_message_id FROM handoff_messages m"
            "   WHERE m.handoff_id = h.id AND m.direction = 'user' AND m.group_chat_id = :chat"
            "   AND m.group_message_id IS NOT NULL ORDER BY m.id DESC LIMIT 1) AS post"
            " FROM handoffs h WHERE h.status = 'open' AND post IS NOT NULL"
            " ORDER BY h.created_at, h.id",
            {"chat": chat_id},
        )
        lines = [HandoffLine(r["id"], from_db(r["created_at"]), int(r["post"])) for r in rows]
        late = sum(1 for line in lines if late_before is not None and line.created_at < late_before)
        return Waiting(len(lines), lines[:limit], late)

    async def handoff_post(self, handoff_id: int, chat_id: int) -> int | None:
        """The bot's latest post of this open thread in `chat_id`, None when it is answered,
        closed or gone."""
        row = await self.db.fetchone(
            "SELECT m.group_message_id FROM handoff_messages m JOIN handoffs h"
            " ON h.id = m.handoff_id WHERE h.id = :id AND h.status = 'open'"
            " AND m.direction = 'user' AND m.group_chat_id = :chat"
            " AND m.group_message_id IS NOT NULL ORDER BY m.id DESC LIMIT 1",
            {"id": handoff_id, "chat": chat_id},
        )
        return int(row[0]) if row else None
