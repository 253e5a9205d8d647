"""Roles: who is an admin (ADMIN_IDS) and who is staff (the staff table), and the audit trail.

The one place that answers "may this person use staff tools?". Handlers use it through the
`staff_only` / `admin_only` decorators in handlers/staff.py; later staff features do the same.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Sequence
from datetime import timedelta

from bot import callbacks
from bot.clock import Clock
from bot.commands import Cmd
from bot.config import Settings
from bot.dialogs import DialogKind, NoState
from bot.i18n import N_
from bot.roles import Role
from bot.store.staff import AuditEntry, StaffMember, StaffRepo

logger = logging.getLogger(__name__)

# A dialogue (which step of /siaran ...) left alone longer than this is forgotten, so an
# abandoned one does not swallow a staff member's messages days later.
DIALOG_TTL = timedelta(hours=24)


class AddResult(enum.StrEnum):
    ADDED = "added"
    ALREADY = "already"
    IS_ADMIN = "is_admin"


class RemoveResult(enum.StrEnum):
    REMOVED = "removed"
    NOT_STAFF = "not_staff"
    IS_ADMIN = "is_admin"


def _names_nobody(args: Sequence[str]) -> bool:
    """`/staf tambah` without a usable id: the dialogue asks who."""
    return (
        bool(args)
        and args[0].lower() in ("tambah", "add")
        and (len(args) < 2 or callbacks.number(args[1], callbacks.USER_ID_DIGITS) is None)
    )


STAFF_ADD = DialogKind(
    name="staff_add",
    title=N_("adding a staff member"),
    steps=("who",),
    state=NoState,
    ttl=DIALOG_TTL,
    commands=(Cmd.STAFF,),
    starts_with=_names_nobody,
    role=Role.ADMIN,
    numeric=frozenset({"who"}),
)


class StaffService:
    """Admins come from the settings; staff from the database (cached, single process)."""

    def __init__(self, repo: StaffRepo, settings: Settings, clock: Clock) -> None:
        self.repo = repo
        self.settings = settings
        self.clock = clock
        self._ids: set[int] | None = None
        self.menus: set[int] = set()  # chats whose staff command menu this process has set

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.settings.admin_ids

    async def _staff_ids(self) -> set[int]:
        if self._ids is None:
            self._ids = await self.repo.ids()
        return self._ids

    async def is_staff(self, user_id: int | None) -> bool:
        """Admins and staff members."""
        if user_id is None:
            return False
        return self.is_admin(user_id) or user_id in await self._staff_ids()

    async def has_role(self, user_id: int | None, role: Role) -> bool:
        """The one rights check: every staff command, every button and every step of a
        staff dialogue asks it when it runs, never trusting an earlier answer."""
        if role is Role.ADMIN:
            return self.is_admin(user_id)
        return await self.is_staff(user_id)

    async def everyone(self) -> set[int]:
        """Every admin and staff member (for their command menus)."""
        return set(self.settings.admin_ids) | await self._staff_ids()

    async def members(self) -> list[StaffMember]:
        return await self.repo.members()

    async def add(self, actor_id: int, user_id: int, name: str, how: str) -> AddResult:
        if self.is_admin(user_id):
            return AddResult.IS_ADMIN
        added = await self.repo.add(user_id, name, actor_id, how)
        self._ids = None
        if added:
            logger.info("staff member %s added by %s", user_id, actor_id)
        return AddResult.ADDED if added else AddResult.ALREADY

    async def remove(self, actor_id: int, user_id: int) -> RemoveResult:
        if self.is_admin(user_id):
            return RemoveResult.IS_ADMIN
        removed = await self.repo.remove(user_id, actor_id)
        self._ids = None
        if removed:
            logger.info("staff member %s removed by %s", user_id, actor_id)
        return RemoveResult.REMOVED if removed else RemoveResult.NOT_STAFF

    async def audit(
        self, actor_id: int, action: str, target: object = None, detail: str = ""
    ) -> None:
        """Write one staff action to the audit table."""
        await self.repo.audit(actor_id, action, None if target is None else str(target), detail)

    async def audit_log(self, limit: int = 50) -> list[AuditEntry]:
        return await self.repo.audit_log(limit)
