"""The closed_days table: extra days the office is closed, added by staff with /libur."""

from __future__ import annotations

from datetime import date

from bot.clock import Clock, to_db
from bot.db import Database
from bot.officehours import ClosedDays


class ClosedDayRepo:
    """The only writer of closed_days; every write also updates `days.extra` (the in-memory
    copy the office-hours checks read)."""

    def __init__(self, db: Database, clock: Clock, days: ClosedDays) -> None:
        self.db = db
        self.clock = clock
        self.days = days

    async def load(self) -> None:
        rows = await self.db.fetchall("SELECT day, note FROM closed_days")
        self.days.extra = {date.fromisoformat(r["day"]): r["note"] for r in rows}

    async def add(self, day: date, note: str, added_by: int) -> bool:
        """False when the day was already on the list (its note is replaced)."""
        cur = await self.db.execute(
            "INSERT INTO closed_days (day, note, added_by, added_at)"
            " VALUES (:day, :note, :by, :now)"
            " ON CONFLICT (day) DO UPDATE SET note = excluded.note, added_by = excluded.added_by,"
            " added_at = excluded.added_at",
            {"day": day.isoformat(), "note": note, "by": added_by, "now": to_db(self.clock.now())},
        )
        new = day not in self.days.extra
        self.days.extra[day] = note
        return new and cur.rowcount > 0

    async def remove(self, day: date) -> bool:
        cur = await self.db.execute(
            "DELETE FROM closed_days WHERE day = :day", {"day": day.isoformat()}
        )
        self.days.extra.pop(day, None)
        return cur.rowcount > 0
