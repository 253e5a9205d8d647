"""Read-only figures for /statistik, across the tables of every feature (no personal data)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from bot.clock import Clock, to_db
from bot.db import Database
from bot.store.counters import anonymous_counts


@dataclass(frozen=True)
class Figures:
    users: int = 0
    opted_out: int = 0
    blocked: int = 0
    new_users: int = 0  # since `since`
    registrations: int = 0
    new_registrations: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_kecamatan: dict[str, int] = field(default_factory=dict)
    by_occupation: dict[str, int] = field(default_factory=dict)
    reminders_active: int = 0
    reminders_paid: int = 0  # active reminders marked paid for `month`
    questions: int = 0  # typed questions
    unanswered: int = 0
    thumbs_up: int = 0
    thumbs_down: int = 0
    handoffs: dict[str, int] = field(default_factory=dict)
    handoff_helped: int = 0  # "Apakah terbantu?" after a hand-off (issue 17)
    handoff_not_helped: int = 0


class StatsRepo:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def _one(self, sql: str, params: Mapping[str, object] | None = None) -> int:
        row = await self.db.fetchone(sql, params or {})
        return int(row[0] or 0) if row else 0

    async def _grouped(self, sql: str) -> dict[str, int]:
        rows = await self.db.fetchall(sql)
        return {str(r[0]): int(r[1]) for r in rows}

    async def funnel(self) -> list[FunnelRow]:
        return await poster_funnel(self.db)

    async def figures(self, since: datetime, month: str) -> Figures:
        """Everything /statistik shows; `since` starts "this week", `month` is 'YYYY-MM'."""
        after = {"since": to_db(since)}
        # Rows deleted by /hapusdata or the question log's retention still count, anonymously.
        gone = await anonymous_counts(self.db)
        handoffs = await self._grouped("SELECT status, COUNT(*) FROM handoffs GROUP BY status")
        # A deleted thread is over, whatever its status was when it was deleted.
        for name, value in gone.items():
            if name.startswith("handoffs_"):
                handoffs["closed"] = handoffs.get("closed", 0) + value
        return Figures(
            users=await self._one("SELECT COUNT(*) FROM users"),
            opted_out=await self._one("SELECT COUNT(*) FROM users WHERE opted_out = 1"),
            blocked=await self._one("SELECT COUNT(*) FROM users WHERE blocked_at IS NOT NULL"),
            new_users=await self._one(
                "SELECT COUNT(*) FROM users WHERE first_seen >= :since", after
            ),
            registrations=await self._one("SELECT COUNT(*) FROM registrations"),
            new_registrations=await self._one(
                "SELECT COUNT(*) FROM registrations WHERE created_at >= :since", after
            ),
            by_status=await self._grouped(
                "SELECT status, COUNT(*) FROM registrations GROUP BY status"
            ),
            by_kecamatan=await self._grouped(
                "SELECT kecamatan, COUNT(*) FROM registrations GROUP BY kecamatan"
                " ORDER BY COUNT(*) DESC, kecamatan"
            ),
            by_occupation=await self._grouped(
                "SELECT occupation, COUNT(*) FROM registrations GROUP BY occupation"
                " ORDER BY COUNT(*) DESC, occupation"
            ),
            reminders_active=await self._one("SELECT COUNT(*) FROM reminders WHERE active = 1"),
            reminders_paid=await self._one(
                "SELECT COUNT(*) FROM reminders WHERE active = 1 AND paid_month >= :month",
                {"month": month},
            ),
            questions=gone.get("questions", 0)
            + await self._one("SELECT COUNT(*) FROM questions WHERE kind = 'text'"),
            unanswered=gone.get("unanswered", 0)
            + await self._one(
                "SELECT COUNT(*) FROM questions WHERE kind = 'text' AND answered = 0"
            ),
            thumbs_up=gone.get("thumbs_up", 0)
            + await self._one("SELECT COUNT(*) FROM questions WHERE vote = 1"),
            thumbs_down=gone.get("thumbs_down", 0)
            + await self._one("SELECT COUNT(*) FROM questions WHERE vote = -1"),
            handoffs=handoffs,
            handoff_helped=gone.get("handoff_helped", 0)
            + await self._one("SELECT COUNT(*) FROM handoffs WHERE feedback = 1"),
            handoff_not_helped=gone.get("handoff_not_helped", 0)
            + await self._one("SELECT COUNT(*) FROM handoffs WHERE feedback = -1"),
        )


@dataclass(frozen=True)
class FunnelRow:
    """One poster or QR code (`/start daftar_<poster>`): how far people got (issue 17)."""

    poster: str
    opened: int  # people whose first /start came from this poster's link
    registered: int  # registrations started from it (source 'link:<poster>')
    bpjs: int  # of those, marked "registered with BPJS" by staff


async def poster_funnel(db: Database) -> list[FunnelRow]:
    """Every poster seen in a first /start or a registration's source, busiest first."""
    rows = await db.fetchall(
        "WITH opened AS ("
        "   SELECT lower(substr(start_payload, 8)) AS poster, COUNT(*) AS n FROM users"
        "   WHERE lower(start_payload) LIKE 'daftar\\_%' ESCAPE '\\' GROUP BY 1),"
        " regs AS ("
        "   SELECT substr(source, 6) AS poster, COUNT(*) AS n,"
        "   SUM(status = 'terdaftar_bpjs') AS bpjs FROM registrations"
        "   WHERE source LIKE 'link:%' GROUP BY 1),"
        " posters AS (SELECT poster FROM opened UNION SELECT poster FROM regs)"
        " SELECT p.poster, COALESCE(o.n, 0) AS opened, COALESCE(r.n, 0) AS registered,"
        " COALESCE(r.bpjs, 0) AS bpjs FROM posters p"
        " LEFT JOIN opened o ON o.poster = p.poster LEFT JOIN regs r ON r.poster = p.poster"
        " WHERE p.poster != '' ORDER BY opened DESC, registered DESC, p.poster"
    )
    return [FunnelRow(r["poster"], r["opened"], r["registered"], r["bpjs"]) for r in rows]
