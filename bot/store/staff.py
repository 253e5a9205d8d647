"""Staff members and the audit trail of their actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.clock import Clock, from_db, to_db
from bot.db import Database


@dataclass(frozen=True)
class StaffMember:
    user_id: int
    name: str
    added_by: int
    added_at: datetime


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor_id: int
    action: str
    target: str | None
    detail: str


class StaffRepo:
    """Reads and writes the staff and staff_audit tables."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    # ---- members -------------------------------------------------------------------------

    async def ids(self) -> set[int]:
        rows = await self.db.fetchall("SELECT user_id FROM staff")
        return {int(r["user_id"]) for r in rows}

    async def members(self) -> list[StaffMember]:
        rows = await self.db.fetchall(
            "SELECT s.user_id, s.added_by, s.added_at,"
            " COALESCE(NULLIF(u.first_name, ''), s.name) AS name"
            " FROM staff s LEFT JOIN users u ON u.id = s.user_id ORDER BY s.added_at, s.user_id"
        )
        return [
            StaffMember(r["user_id"], r["name"] or "", r["added_by"], from_db(r["added_at"]))
            for r in rows
        ]

    async def add(self, user_id: int, name: str, added_by: int, detail: str) -> bool:
        """Add a member and audit it in one transaction; False if they were staff already."""
        now = to_db(self.clock.now())
        async with self.db.transaction() as tx:
            cur = await tx.execute(
                "INSERT INTO staff (user_id, name, added_by, added_at)"
                " VALUES (:id, :name, :by, :now) ON CONFLICT (user_id) DO NOTHING",
                {"id": user_id, "name": name[:64], "by": added_by, "now": now},
            )
            if cur.rowcount != 1:
                return False
            await tx.execute(_AUDIT_SQL, _audit(now, added_by, "staff_add", str(user_id), detail))
        return True

    async def remove(self, user_id: int, removed_by: int) -> bool:
        """Remove a member and audit it in one transaction; False if they were not staff."""
        now = to_db(self.clock.now())
        async with self.db.transaction() as tx:
            cur = await tx.execute("DELETE FROM staff WHERE user_id = :id", {"id": user_id})
            if cur.rowcount != 1:
                return False
            await tx.execute(_AUDIT_SQL, _audit(now, removed_by, "staff_remove", str(user_id), ""))
        return True

    # ---- audit ---------------------------------------------------------------------------

    async def audit(self, actor_id: int, action: str, target: str | None, detail: str) -> None:
        await self.db.execute(
            _AUDIT_SQL, _audit(to_db(self.clock.now()), actor_id, action, target, detail)
        )

    async def audit_log(self, limit: int = 50) -> list[AuditEntry]:
        rows = await self.db.fetchall(
            "SELECT at, actor_id, action, target, detail FROM staff_audit"
            " ORDER BY id DESC LIMIT :limit",
            {"limit": limit},
        )
        return [
            AuditEntry(from_db(r["at"]), r["actor_id"], r["action"], r["target"], r["detail"])
            for r in rows
        ]


_AUDIT_SQL = (
    "INSERT INTO staff_audit (at, actor_id, action, target, detail)"
    " VALUES (:at, :actor, :action, :target, :detail)"
)


def _audit(at: str, actor: int, action: str, target: str | None, detail: str) -> dict[str, Any]:
    return {"at": at, "actor": actor, "action": action, "target": target, "detail": detail[:500]}
