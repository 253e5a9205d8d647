"""The reminders table: each person's monthly rule and its next due time."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.clock import from_db, to_db
from bot.db import Queryable


def _dt(value: str | None) -> datetime | None:
    return from_db(value) if value else None


@dataclass(frozen=True)
class Reminder:
    """One person's reminder: the rule (day, minute of the day in WIB) and where it stands."""

    user_id: int
    day: int  # 1-31, or 0 for the last day of the month
    minute: int  # minutes after midnight, local time
    active: bool
    paused: bool
    next_due: datetime | None
    due_month: str | None
    due_kind: str  # 'regular' or 'snooze'
    attempts: int
    sent_month: str | None
    paid_month: str | None
    snooze_month: str | None
    snooze_count: int
    rev: int
    created_at: datetime
    updated_at: datetime
    last_sent_at: datetime | None

    @classmethod
    def new(
        cls, user_id: int, day: int, minute: int, next_due: datetime, month: str, now: datetime
    ) -> Reminder:
        """A fresh, active reminder that has sent nothing yet."""
        return cls(
            user_id=user_id,
            day=day,
            minute=minute,
            active=True,
            paused=False,
            next_due=next_due,
            due_month=month,
            due_kind="regular",
            attempts=0,
            sent_month=None,
            paid_month=None,
            snooze_month=None,
            snooze_count=0,
            rev=0,
            created_at=now,
            updated_at=now,
            last_sent_at=None,
        )

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Reminder:
        return cls(
            user_id=row["user_id"],
            day=row["day"],
            minute=row["minute"],
            active=bool(row["active"]),
            paused=bool(row["paused"]),
            next_due=_dt(row["next_due"]),
            due_month=row["due_month"],
            due_kind=row["due_kind"],
            attempts=row["attempts"],
            sent_month=row["sent_month"],
            paid_month=row["paid_month"],
            snooze_month=row["snooze_month"],
            snooze_count=row["snooze_count"],
            rev=row["rev"],
            created_at=from_db(row["created_at"]),
            updated_at=from_db(row["updated_at"]),
            last_sent_at=_dt(row["last_sent_at"]),
        )


@dataclass(frozen=True)
class DueReminder:
    """A due row with what the worker needs to know about its user."""

    reminder: Reminder
    first_name: str
    language: str
    blocked: bool


def _state(reminder: Reminder) -> dict[str, Any]:
    return {
        "user_id": reminder.user_id,
        "day": reminder.day,
        "minute": reminder.minute,
        "active": int(reminder.active),
        "paused": int(reminder.paused),
        "next_due": to_db(reminder.next_due) if reminder.next_due else None,
        "due_month": reminder.due_month,
        "due_kind": reminder.due_kind,
        "attempts": reminder.attempts,
        "sent_month": reminder.sent_month,
        "paid_month": reminder.paid_month,
        "snooze_month": reminder.snooze_month,
        "snooze_count": reminder.snooze_count,
        "created_at": to_db(reminder.created_at),
        "updated_at": to_db(reminder.updated_at),
        "last_sent_at": to_db(reminder.last_sent_at) if reminder.last_sent_at else None,
    }


_COLUMNS = (
    "user_id, day, minute, active, paused, next_due, due_month, due_kind, attempts, sent_month,"
    " paid_month, snooze_month, snooze_count, created_at, updated_at, last_sent_at"
)
_VALUES = (
    ":user_id, :day, :minute, :active, :paused, :next_due, :due_month, :due_kind, :attempts,"
    " :sent_month, :paid_month, :snooze_month, :snooze_count, :created_at, :updated_at,"
    " :last_sent_at"
)


# The worker's scan (tests check its plan with EXPLAIN QUERY PLAN): it walks reminders_due.
DUE_SQL = (
    "SELECT r.*, u.first_name AS u_first_name, u.language AS u_language,"
    " u.blocked_at AS u_blocked_at"
    " FROM reminders AS r JOIN users AS u ON u.id = r.user_id"
    " WHERE r.next_due <= :now ORDER BY r.next_due LIMIT :limit"
)


class ReminderRepo:
    """Plain SQL for reminders. Every method takes the Database or an open transaction."""

    async def get(self, q: Queryable, user_id: int) -> Reminder | None:
        row = await q.fetchone("SELECT * FROM reminders WHERE user_id = :id", {"id": user_id})
        return Reminder.from_row(row) if row else None

    async def insert(self, q: Queryable, reminder: Reminder) -> None:
        await q.execute(
            f"INSERT INTO reminders ({_COLUMNS}) VALUES ({_VALUES})",  # noqa: S608 (constants)
            _state(reminder),
        )

    async def insert_many(self, q: Queryable, reminders: Iterable[Reminder]) -> None:
        """Bulk insert (benchmarks, imports)."""
        await q.executemany(
            f"INSERT INTO reminders ({_COLUMNS}) VALUES ({_VALUES})",  # noqa: S608 (constants)
            (_state(r) for r in reminders),
        )

    async def save(self, q: Queryable, reminder: Reminder) -> bool:
        """Write the new state if nobody changed the row since `reminder.rev` was read.

        Returns False (and writes nothing) when the row moved on meanwhile.
        """
        params = _state(reminder) | {"rev": reminder.rev}
        cur = await q.execute(
            "UPDATE reminders SET day = :day, minute = :minute, active = :active,"
            " paused = :paused, next_due = :next_due, due_month = :due_month,"
            " due_kind = :due_kind, attempts = :attempts, sent_month = :sent_month,"
            " paid_month = :paid_month, snooze_month = :snooze_month,"
            " snooze_count = :snooze_count, updated_at = :updated_at,"
            " last_sent_at = :last_sent_at, rev = rev + 1"
            " WHERE user_id = :user_id AND rev = :rev",
            params,
        )
        return cur.rowcount == 1

    async def due(self, q: Queryable, now: datetime, limit: int) -> list[DueReminder]:
        """The rows whose time has come, oldest first (walks the reminders_due index)."""
        rows = await q.fetchall(DUE_SQL, {"now": to_db(now), "limit": limit})
        return [
            DueReminder(
                Reminder.from_row(row),
                row["u_first_name"],
                row["u_language"],
                row["u_blocked_at"] is not None,
            )
            for row in rows
        ]

    async def paused_reachable(self, q: Queryable, limit: int) -> list[Reminder]:
        """Paused reminders whose user is reachable again (wrote to the bot since the 403)."""
        rows = await q.fetchall(
            "SELECT r.* FROM reminders AS r JOIN users AS u ON u.id = r.user_id"
            " WHERE r.paused = 1 AND u.blocked_at IS NULL LIMIT :limit",
            {"limit": limit},
        )
        return [Reminder.from_row(row) for row in rows]

    async def count_active(self, q: Queryable) -> int:
        row = await q.fetchone("SELECT COUNT(*) FROM reminders WHERE active = 1")
        return int(row[0]) if row else 0
