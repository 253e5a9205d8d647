"""The users table: everyone who writes to the bot in a private chat."""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock, from_db, to_db
from bot.db import Database


@dataclass(frozen=True)
class User:
    id: int
    first_name: str
    language: str
    first_seen: datetime
    last_seen: datetime
    start_payload: str | None
    opted_out: bool
    blocked_at: datetime | None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> User:
        return cls(
            id=row["id"],
            first_name=row["first_name"],
            language=row["language"],
            first_seen=from_db(row["first_seen"]),
            last_seen=from_db(row["last_seen"]),
            start_payload=row["start_payload"],
            opted_out=bool(row["opted_out"]),
            blocked_at=from_db(row["blocked_at"]) if row["blocked_at"] else None,
        )


TOUCH_EVERY = timedelta(seconds=60)
"""`last_seen` is written at most once a minute per person (it is kept to the minute)."""

_RECENT_MAX = 10_000


class UserRepo:
    """Reads and writes users rows. This class is the only writer of the users table (the
    command-line tools only read it), which is what lets `seen` keep a small cache."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        # People seen in the last minute, as last written: `seen` answers them from here.
        # Every other write to a row drops its entry (before and after the write).
        self._recent: OrderedDict[int, User] = OrderedDict()

    async def _update(self, user_id: int, sql: str, params: dict[str, object]) -> None:
        """Change the user's row; drop the cached copy before and after (a `seen` that runs
        while the statement waits for the database must not keep the old row)."""
        self._recent.pop(user_id, None)
        try:
            await self.db.execute(sql, params)
        finally:
            self._recent.pop(user_id, None)

    async def seen(self, user_id: int, first_name: str, language: str) -> tuple[User, bool]:
        """Record that the user wrote now; create the row on first contact.

        Writing again also clears a 'blocked' mark: the user is reachable again.
        Returns the user and whether this was the first contact. A person who wrote less
        than TOUCH_EVERY ago with the same name and no 'blocked' mark is answered from
        memory: this runs for every update, and the row would not change but for last_seen.
        """
        moment = self.clock.now()
        cached = self._recent.get(user_id)
        if (
            cached is not None
            and cached.first_name == first_name[:64]
            and cached.blocked_at is None
            and timedelta(0) <= moment - cached.last_seen < TOUCH_EVERY
        ):
            return cached, False
        now = to_db(moment)
        # One statement (an UPSERT with RETURNING): this runs for every update.
        row = await self.db.fetchone(
            "INSERT INTO users (id, first_name, language, first_seen, last_seen)"
            " VALUES (:id, :name, :lang, :now, :now)"
            " ON CONFLICT (id) DO UPDATE SET last_seen = excluded.last_seen,"
            " first_name = excluded.first_name, blocked_at = NULL"
            " RETURNING *",
            {"id": user_id, "name": first_name[:64], "lang": language, "now": now},
        )
        assert row is not None
        created = row["first_seen"] == now and row["start_payload"] is None
        user = User.from_row(row)
        self._recent[user_id] = user
        self._recent.move_to_end(user_id)
        if len(self._recent) > _RECENT_MAX:
            self._recent.popitem(last=False)
        return user, created

    async def get(self, user_id: int) -> User | None:
        row = await self.db.fetchone("SELECT * FROM users WHERE id = :id", {"id": user_id})
        return User.from_row(row) if row else None

    async def record_start_payload(self, user_id: int, payload: str) -> None:
        """Keep the deep-link payload of the user's first /start that had one."""
        await self._update(
            user_id,
            "UPDATE users SET start_payload = :payload WHERE id = :id AND start_payload IS NULL",
            {"id": user_id, "payload": payload[:64]},
        )

    async def set_language(self, user_id: int, language: str) -> None:
        await self._update(
            user_id,
            "UPDATE users SET language = :lang WHERE id = :id",
            {"id": user_id, "lang": language},
        )

    async def set_opted_out(self, user_id: int, opted_out: bool) -> None:
        """/berhenti (True) and /mulai (False): announcements off or on."""
        await self._update(
            user_id,
            "UPDATE users SET opted_out = :v WHERE id = :id",
            {"id": user_id, "v": int(opted_out)},
        )

    async def forget_name(self, user_id: int) -> None:
        """/hapusdata: blank the stored Telegram first name (the row stays: language and
        opt-out). Telegram sends the name again with the person's next message."""
        await self._update(
            user_id, "UPDATE users SET first_name = '' WHERE id = :id", {"id": user_id}
        )

    async def mark_blocked(self, user_id: int) -> None:
        """Telegram answered 403: the user blocked the bot."""
        await self._update(
            user_id,
            "UPDATE users SET blocked_at = :now WHERE id = :id AND blocked_at IS NULL",
            {"id": user_id, "now": to_db(self.clock.now())},
        )

    async def count(self) -> int:
        row = await self.db.fetchone("SELECT COUNT(*) FROM users")
        return int(row[0]) if row else 0
