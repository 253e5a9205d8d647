"""Broadcasts, their recipients (the delivery queue) and the SQL of each audience."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.clock import Clock, from_db, to_db
from bot.db import Database


@dataclass(frozen=True)
class AudienceQuery:
    """How to find an audience in SQL.

    `members` selects user ids (one column) and may use the named parameter `:arg` (the option
    the staff member picked). Everyone who opted out (/berhenti) or blocked the bot is removed
    by `BroadcastRepo` itself, so a query never has to remember it. `options` (for audiences with
    a choice, like a kecamatan) selects the distinct values to offer as buttons. `then` (for an
    audience of two filters) selects the second choice's values given the first (`:first`);
    the stored arg is then "<first>/<second>".
    """

    members: str
    options: str | None = None
    then: str | None = None


_KECAMATAN_OPTIONS = (
    "SELECT DISTINCT kecamatan FROM registrations ORDER BY kecamatan = 'luar_kota', kecamatan"
)


# The audience registry, SQL half (the labels are in bot.broadcast.AUDIENCES; a test checks the
# two lists name the same audiences).
AUDIENCE_QUERIES: dict[str, AudienceQuery] = {
    "all": AudienceQuery("SELECT id FROM users"),
    "registered": AudienceQuery("SELECT user_id FROM registrations"),
    # Reminders that are on (a paused one belongs to a user who blocked the bot: excluded anyway).
    "reminders": AudienceQuery("SELECT user_id FROM reminders WHERE active = 1"),
    "kecamatan": AudienceQuery(
        "SELECT user_id FROM registrations WHERE kecamatan = :arg", options=_KECAMATAN_OPTIONS
    ),
    # Issue 17: a kelurahan of the city (outside the city the "kelurahan" is a typed place).
    "kelurahan": AudienceQuery(
        "SELECT user_id FROM registrations WHERE kecamatan != 'luar_kota' AND kelurahan = :arg",
        options="SELECT DISTINCT kelurahan FROM registrations WHERE kecamatan != 'luar_kota'"
        " ORDER BY kelurahan",
    ),
    "occupation": AudienceQuery(
        "SELECT user_id FROM registrations WHERE occupation = :arg",
        options="SELECT occupation FROM registrations GROUP BY occupation"
        " ORDER BY occupation = 'lainnya', COUNT(*) DESC, occupation",
    ),
    # Two filters: a kecamatan AND an occupation (catalogue keys never contain "/").
    "kecamatan_occupation": AudienceQuery(
        "SELECT user_id FROM registrations WHERE kecamatan || '/' || occupation = :arg",
        options=_KECAMATAN_OPTIONS,
        then="SELECT occupation FROM registrations WHERE kecamatan = :first GROUP BY occupation"
        " ORDER BY occupation = 'lainnya', COUNT(*) DESC, occupation",
    ),
    "reg_status": AudienceQuery(
        "SELECT user_id FROM registrations WHERE status = :arg",
        options="SELECT DISTINCT status FROM registrations ORDER BY CASE status"
        " WHEN 'baru' THEN 1 WHEN 'dihubungi' THEN 2 WHEN 'terdaftar_bpjs' THEN 3 ELSE 4 END",
    ),
    "language": AudienceQuery(
        "SELECT id FROM users WHERE language = :arg",
        options="SELECT DISTINCT language FROM users ORDER BY language",
    ),
}

# Only people who can and want to receive announcements.
_REACHABLE = (
    "SELECT u.id FROM users u WHERE u.opted_out = 0 AND u.blocked_at IS NULL AND u.id IN ({q})"
)

OPEN_STATUSES = ("pending", "sending")
FINAL_STATUSES = ("sent", "blocked", "failed", "uncertain", "skipped", "cancelled")


@dataclass(frozen=True)
class Broadcast:
    id: int
    created_by: int
    created_at: datetime
    kind: str
    body_html: str
    file_id: str | None
    excerpt: str
    audience: str
    audience_arg: str | None
    status: str
    scheduled_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    total: int
    paused_until: datetime | None
    progress_chat_id: int | None
    progress_message_id: int | None
    progress_text: str | None
    progress_at: datetime | None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Broadcast:
        return cls(
            id=row["id"],
            created_by=row["created_by"],
            created_at=from_db(row["created_at"]),
            kind=row["kind"],
            body_html=row["body_html"],
            file_id=row["file_id"],
            excerpt=row["excerpt"],
            audience=row["audience"],
            audience_arg=row["audience_arg"],
            status=row["status"],
            scheduled_at=from_db(row["scheduled_at"]),
            started_at=_opt(row["started_at"]),
            finished_at=_opt(row["finished_at"]),
            total=row["total"],
            paused_until=_opt(row["paused_until"]),
            progress_chat_id=row["progress_chat_id"],
            progress_message_id=row["progress_message_id"],
            progress_text=row["progress_text"],
            progress_at=_opt(row["progress_at"]),
        )


@dataclass(frozen=True)
class Candidate:
    """A pending recipient whose turn has come."""

    user_id: int
    attempts: int
    language: str | None
    opted_out: bool
    blocked: bool
    known: bool  # False when the users row is gone


def _opt(value: str | None) -> datetime | None:
    return from_db(value) if value else None


class UnknownAudienceError(KeyError):
    """An audience name that AUDIENCE_QUERIES does not know."""


def _query(audience: str) -> AudienceQuery:
    try:
        return AUDIENCE_QUERIES[audience]
    except KeyError:
        raise UnknownAudienceError(audience) from None


class BroadcastRepo:
    """Reads and writes broadcasts and broadcast_recipients."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    # ---- audiences -----------------------------------------------------------------------

    async def audience_count(self, audience: str, arg: str | None) -> int:
        # The fragments come from the AUDIENCE_QUERIES constant, never from user input.
        members = _REACHABLE.format(q=_query(audience).members)
        sql = f"SELECT COUNT(*) FROM ({members})"  # noqa: S608
        row = await self.db.fetchone(sql, {"arg": arg})
        return int(row[0]) if row else 0

    async def audience_options(self, audience: str, first: str | None = None) -> list[str]:
        """The values to offer; with `first`, the second choice's values (two filters)."""
        query = _query(audience)
        sql = query.options if first is None else query.then
        if sql is None:
            return []
        rows = await self.db.fetchall(sql, {"first": first} if first is not None else {})
        return [str(r[0]) for r in rows if r[0] is not None and str(r[0]) != ""]

    # ---- broadcasts ----------------------------------------------------------------------

    async def create(
        self,
        *,
        created_by: int,
        kind: str,
        body_html: str,
        file_id: str | None,
        excerpt: str,
        audience: str,
        audience_arg: str | None,
        scheduled_at: datetime,
    ) -> int:
        _query(audience)
        cur = await self.db.execute(
            "INSERT INTO broadcasts (created_by, created_at, kind, body_html, file_id, excerpt,"
            " audience, audience_arg, status, scheduled_at)"
            " VALUES (:by, :now, :kind, :body, :file, :excerpt, :aud, :arg, 'scheduled', :at)",
            {
                "by": created_by,
                "now": to_db(self.clock.now()),
                "kind": kind,
                "body": body_html,
                "file": file_id,
                "excerpt": excerpt[:200],
                "aud": audience,
                "arg": audience_arg,
                "at": to_db(scheduled_at),
            },
        )
        assert cur.lastrowid is not None
        return int(cur.lastrowid)

    async def get(self, broadcast_id: int) -> Broadcast | None:
        row = await self.db.fetchone(
            "SELECT * FROM broadcasts WHERE id = :id", {"id": broadcast_id}
        )
        return Broadcast.from_row(row) if row else None

    async def recent(self, limit: int = 10) -> list[Broadcast]:
        rows = await self.db.fetchall(
            "SELECT * FROM broadcasts ORDER BY id DESC LIMIT :limit", {"limit": limit}
        )
        return [Broadcast.from_row(r) for r in rows]

    async def cancel(self, broadcast_id: int, by: int) -> bool:
        """Stop a scheduled or running broadcast; its pending recipients are not sent to."""
        now = to_db(self.clock.now())
        async with self.db.transaction() as tx:
            cur = await tx.execute(
                "UPDATE broadcasts SET status = 'cancelled', cancelled_by = :by,"
                " finished_at = :now WHERE id = :id AND status IN ('scheduled', 'running')",
                {"id": broadcast_id, "by": by, "now": now},
            )
            if cur.rowcount != 1:
                return False
            await tx.execute(
                "UPDATE broadcast_recipients SET status = 'cancelled', updated_at = :now"
                " WHERE broadcast_id = :id AND status = 'pending'",
                {"id": broadcast_id, "now": now},
            )
        return True

    async def due(self) -> list[Broadcast]:
        """Scheduled broadcasts whose time has come, oldest first."""
        rows = await self.db.fetchall(
            "SELECT * FROM broadcasts WHERE status = 'scheduled' AND scheduled_at <= :now"
            " ORDER BY scheduled_at, id",
            {"now": to_db(self.clock.now())},
        )
        return [Broadcast.from_row(r) for r in rows]

    async def postpone(self, broadcast_id: int, until: datetime) -> bool:
        """A scheduled broadcast moves to `until`; False when it is no longer scheduled."""
        cursor = await self.db.execute(
            "UPDATE broadcasts SET scheduled_at = :until WHERE id = :id AND status = 'scheduled'",
            {"id": broadcast_id, "until": to_db(until)},
        )
        return cursor.rowcount > 0

    async def activate(self, broadcast: Broadcast) -> int | None:
        """scheduled -> running: write one pending row per reachable member of the audience.

        Returns the number of recipients, or None when the broadcast was no longer scheduled.
        """
        now = to_db(self.clock.now())
        members = _REACHABLE.format(q=_query(broadcast.audience).members)
        async with self.db.transaction() as tx:
            row = await tx.fetchone(
                "SELECT status FROM broadcasts WHERE id = :id", {"id": broadcast.id}
            )
            if row is None or row["status"] != "scheduled":
                return None
            insert = f"INSERT OR IGNORE INTO broadcast_recipients (broadcast_id, user_id, status, next_attempt_at, updated_at) SELECT :bid, id, 'pending', :now, :now FROM ({members})"  # noqa: E501, S608
            await tx.execute(
                insert,
                {"bid": broadcast.id, "now": now, "arg": broadcast.audience_arg},
            )
            count = await tx.fetchone(
                "SELECT COUNT(*) FROM broadcast_recipients WHERE broadcast_id = :id",
                {"id": broadcast.id},
            )
            total = int(count[0]) if count else 0
            await tx.execute(
                "UPDATE broadcasts SET status = 'running', started_at = :now, total = :total"
                " WHERE id = :id",
                {"id": broadcast.id, "now": now, "total": total},
            )
        return total

    async def running(self) -> list[Broadcast]:
        rows = await self.db.fetchall(
            "SELECT * FROM broadcasts WHERE status = 'running' ORDER BY started_at, id"
        )
        return [Broadcast.from_row(r) for r in rows]

    async def status(self, broadcast_id: int) -> str | None:
        row = await self.db.fetchone(
            "SELECT status FROM broadcasts WHERE id = :id", {"id": broadcast_id}
        )
        return str(row["status"]) if row else None

    async def set_paused(self, broadcast_id: int, until: datetime) -> None:
        await self.db.execute(
            "UPDATE broadcasts SET paused_until = :until WHERE id = :id"
            " AND (paused_until IS NULL OR paused_until < :until)",
            {"id": broadcast_id, "until": to_db(until)},
        )

    async def finish(self, broadcast_id: int) -> bool:
        """running -> done, once no recipient is pending or in flight."""
        async with self.db.transaction() as tx:
            open_row = await tx.fetchone(
                "SELECT COUNT(*) FROM broadcast_recipients"
                " WHERE broadcast_id = :id AND status IN ('pending', 'sending')",
                {"id": broadcast_id},
            )
            if open_row is None or int(open_row[0]) > 0:
                return False
            cur = await tx.execute(
                "UPDATE broadcasts SET status = 'done', finished_at = :now, paused_until = NULL"
                " WHERE id = :id AND status = 'running'",
                {"id": broadcast_id, "now": to_db(self.clock.now())},
            )
            return cur.rowcount == 1

    async def set_progress(
        self, broadcast_id: int, chat_id: int | None, message_id: int | None, text: str | None
    ) -> None:
        await self.db.execute(
            "UPDATE broadcasts SET progress_chat_id = :chat, progress_message_id = :mid,"
            " progress_text = :text, progress_at = :now WHERE id = :id",
            {
                "id": broadcast_id,
                "chat": chat_id,
                "mid": message_id,
                "text": text,
                "now": to_db(self.clock.now()),
            },
        )

    async def next_wake(self) -> datetime | None:
        """The earliest moment something becomes due: a schedule, a retry, a pause's end."""
        row = await self.db.fetchone(
            "SELECT MIN(t) FROM ("
            " SELECT scheduled_at AS t FROM broadcasts WHERE status = 'scheduled'"
            " UNION ALL"
            " SELECT MAX(MIN(r.next_attempt_at), COALESCE(b.paused_until, ''))"
            "  FROM broadcast_recipients r JOIN broadcasts b ON b.id = r.broadcast_id"
            "  WHERE b.status = 'running' AND r.status = 'pending' GROUP BY b.id)"
        )
        return from_db(row[0]) if row and row[0] else None

    # ---- recipients ----------------------------------------------------------------------

    async def recover(self) -> int:
        """After a crash: a row left 'sending' may have been delivered; never resend it."""
        cur = await self.db.execute(
            "UPDATE broadcast_recipients SET status = 'uncertain', updated_at = :now,"
            " error = 'interrupted while sending' WHERE status = 'sending'",
            {"now": to_db(self.clock.now())},
        )
        return cur.rowcount

    async def candidates(self, broadcast_id: int, limit: int) -> list[Candidate]:
        rows = await self.db.fetchall(
            "SELECT r.user_id, r.attempts, u.language, u.opted_out, u.blocked_at,"
            " u.id IS NOT NULL AS known"
            " FROM broadcast_recipients r LEFT JOIN users u ON u.id = r.user_id"
            " WHERE r.broadcast_id = :id AND r.status = 'pending' AND r.next_attempt_at <= :now"
            " ORDER BY r.next_attempt_at, r.user_id LIMIT :limit",
            {"id": broadcast_id, "now": to_db(self.clock.now()), "limit": limit},
        )
        return [
            Candidate(
                user_id=r["user_id"],
                attempts=r["attempts"],
                language=r["language"],
                opted_out=bool(r["opted_out"]),
                blocked=r["blocked_at"] is not None,
                known=bool(r["known"]),
            )
            for r in rows
        ]

    async def claim(self, broadcast_id: int, user_id: int) -> bool:
        """pending -> sending, only while the broadcast runs and the user still wants news.

        One statement, so two workers can never both claim a row.
        """
        cur = await self.db.execute(
            "UPDATE broadcast_recipients SET status = 'sending', updated_at = :now"
            " WHERE broadcast_id = :bid AND user_id = :uid AND status = 'pending'"
            " AND EXISTS (SELECT 1 FROM broadcasts WHERE id = :bid AND status = 'running')"
            " AND EXISTS (SELECT 1 FROM users WHERE id = :uid AND opted_out = 0"
            "             AND blocked_at IS NULL)",
            {"bid": broadcast_id, "uid": user_id, "now": to_db(self.clock.now())},
        )
        return cur.rowcount == 1

    async def skip(self, broadcast_id: int, user_id: int, status: str, reason: str) -> None:
        """A pending row that will not be sent (opted out, blocked, gone, cancelled)."""
        await self.db.execute(
            "UPDATE broadcast_recipients SET status = :status, error = :reason, updated_at = :now"
            " WHERE broadcast_id = :bid AND user_id = :uid AND status = 'pending'",
            {
                "bid": broadcast_id,
                "uid": user_id,
                "status": status,
                "reason": reason,
                "now": to_db(self.clock.now()),
            },
        )

    async def record(
        self,
        broadcast_id: int,
        user_id: int,
        status: str,
        *,
        message_id: int | None = None,
        error: str | None = None,
        attempts: int | None = None,
        next_attempt_at: datetime | None = None,
    ) -> None:
        """The outcome of a claimed ('sending') row."""
        params: dict[str, Any] = {
            "bid": broadcast_id,
            "uid": user_id,
            "status": status,
            "mid": message_id,
            "error": error[:200] if error else None,
            "attempts": attempts,
            "next": to_db(next_attempt_at) if next_attempt_at else None,
            "now": to_db(self.clock.now()),
        }
        await self.db.execute(
            "UPDATE broadcast_recipients SET status = :status, message_id = :mid, error = :error,"
            " attempts = COALESCE(:attempts, attempts),"
            " next_attempt_at = COALESCE(:next, next_attempt_at), updated_at = :now"
            " WHERE broadcast_id = :bid AND user_id = :uid AND status = 'sending'",
            params,
        )

    async def counts(self, broadcast_id: int) -> dict[str, int]:
        rows = await self.db.fetchall(
            "SELECT status, COUNT(*) AS n FROM broadcast_recipients WHERE broadcast_id = :id"
            " GROUP BY status",
            {"id": broadcast_id},
        )
        return {str(r["status"]): int(r["n"]) for r in rows}

    async def deliveries(self, broadcast_id: int) -> dict[int, str]:
        """Every recipient's status (for tests and the CLI)."""
        rows = await self.db.fetchall(
            "SELECT user_id, status FROM broadcast_recipients WHERE broadcast_id = :id",
            {"id": broadcast_id},
        )
        return {int(r["user_id"]): str(r["status"]) for r in rows}
