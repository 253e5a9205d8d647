"""Staff rights: what a staff command, button or dialogue needs (apart from bot/staff.py so
that the dialogue mechanism, which bot/staff.py builds on, can name them)."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    """What a staff command, button or dialogue needs."""

    STAFF = "staff"  # staff members and admins
    ADMIN = "admin"  # ADMIN_IDS only
