"""Registrations of interest and the key check (drafts are dialogues: bot/store/dialogs.py).

Personal fields arrive here already encrypted (bot.registration does that); this module only
moves rows. Staff tools use `list_by_status`, `set_status`, `get_by_user`, `count_by_status`
and `deletion_count`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from bot.clock import Clock, from_db, to_db
from bot.db import Database, Queryable, Tx

# Ends the draft's dialogue inside a registration's transaction (DialogRepo.delete_in).
Claim = Callable[[Tx], Awaitable[bool]]

STATUSES = ("baru", "dihubungi", "terdaftar_bpjs", "tidak_memenuhi_syarat")
Status = Literal["baru", "dihubungi", "terdaftar_bpjs", "tidak_memenuhi_syarat"]

# Columns a person may change after sending (with /ubahdata).
EDITABLE_COLUMNS = frozenset(
    {
        "full_name_enc",
        "nik_enc",
        "nik_hash",
        "phone_enc",
        "occupation",
        "occupation_other",
        "kecamatan",
        "kelurahan",
        "bpjs_participant",
    }
)


@dataclass(frozen=True)
class RegistrationRow:
    id: int
    user_id: int
    full_name_enc: str
    nik_enc: str
    nik_hash: str
    phone_enc: str
    occupation: str
    occupation_other: str | None
    kecamatan: str
    kelurahan: str
    bpjs_participant: str
    status: str
    source: str | None
    consent_at: datetime
    consent_version: str
    created_at: datetime
    updated_at: datetime
    status_changed_at: datetime | None
    duplicate_of: int | None = None  # a possible duplicate: its NIK was first in this one

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> RegistrationRow:
        return cls(
            id=row["id"],
            user_id=row["user_id"],
            full_name_enc=row["full_name_enc"],
            nik_enc=row["nik_enc"],
            nik_hash=row["nik_hash"],
            phone_enc=row["phone_enc"],
            occupation=row["occupation"],
            occupation_other=row["occupation_other"],
            kecamatan=row["kecamatan"],
            kelurahan=row["kelurahan"],
            bpjs_participant=row["bpjs_participant"],
            status=row["status"],
            source=row["source"],
            consent_at=from_db(row["consent_at"]),
            consent_version=row["consent_version"],
            created_at=from_db(row["created_at"]),
            updated_at=from_db(row["updated_at"]),
            status_changed_at=(
                from_db(row["status_changed_at"]) if row["status_changed_at"] else None
            ),
            duplicate_of=row["duplicate_of"],
        )


@dataclass(frozen=True)
class SubmitOutcome:
    """What happened to a 'Kirim': created, or why not."""

    kind: Literal["created", "no_draft", "already_registered"]
    registration_id: int | None = None
    duplicate_of: int | None = None  # created, and marked: the NIK is in this registration


class RegistrationRepo:
    """Reads and writes registrations and registration_counters."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    # ---- registrations ------------------------------------------------------------------

    async def submit(self, user_id: int, values: Mapping[str, Any], claim: Claim) -> SubmitOutcome:
        """Turn a draft into a registration, at most once, in one transaction: `claim` ends
        the draft's dialogue in it (False: already ended).

        A second 'Kirim' finds no draft; an account that already has a registration is refused
        (the UNIQUE constraint is the last guard). A NIK that is already registered is taken
        all the same and marked `duplicate_of` (issue 14, item 9: the person is not told).
        """
        now = to_db(self.clock.now())
        try:
            async with self.db.transaction() as tx:
                existing = await tx.fetchone(
                    "SELECT id FROM registrations WHERE user_id = :u", {"u": user_id}
                )
                if existing is not None:
                    return SubmitOutcome("already_registered", int(existing["id"]))
                if not await claim(tx):
                    return SubmitOutcome("no_draft")
                duplicate_of = await _first_with_nik(tx, values["nik_hash"], user_id)
                cur = await tx.execute(
                    "INSERT INTO registrations (user_id, full_name_enc, nik_enc, nik_hash,"
                    " phone_enc, occupation, occupation_other, kecamatan, kelurahan,"
                    " bpjs_participant, status, source, consent_at, consent_version,"
                    " created_at, updated_at, duplicate_of)"
                    " VALUES (:user_id, :full_name_enc, :nik_enc, :nik_hash, :phone_enc,"
                    " :occupation, :occupation_other, :kecamatan, :kelurahan,"
                    " :bpjs_participant, 'baru', :source, :consent_at, :consent_version,"
                    " :now, :now, :duplicate_of)",
                    {**values, "user_id": user_id, "now": now, "duplicate_of": duplicate_of},
                )
                registration_id = int(cur.lastrowid or 0)
        except sqlite3.IntegrityError:
            # Another path won a race past the checks above: nothing was written.
            mine = await self.get_by_user(user_id)
            return SubmitOutcome("already_registered", mine.id if mine else None)
        return SubmitOutcome("created", registration_id, duplicate_of)

    async def get_by_user(self, user_id: int) -> RegistrationRow | None:
        row = await self.db.fetchone(
            "SELECT * FROM registrations WHERE user_id = :u", {"u": user_id}
        )
        return RegistrationRow.from_row(row) if row else None

    async def get(self, registration_id: int) -> RegistrationRow | None:
        row = await self.db.fetchone(
            "SELECT * FROM registrations WHERE id = :id", {"id": registration_id}
        )
        return RegistrationRow.from_row(row) if row else None

    async def find_by_nik_hash(self, nik_hash: str) -> RegistrationRow | None:
        """The oldest registration with this NIK (there can be several: `duplicate_of`)."""
        row = await self.db.fetchone(
            "SELECT * FROM registrations WHERE nik_hash = :h ORDER BY id LIMIT 1", {"h": nik_hash}
        )
        return RegistrationRow.from_row(row) if row else None

    async def update_fields(self, user_id: int, values: Mapping[str, Any]) -> bool:
        """Change some fields of the user's registration (/ubahdata). False: none exists.

        A new NIK that another registration has is saved all the same, and the registration
        marked `duplicate_of` it; a new NIK nobody else has clears the mark."""
        unknown = set(values) - EDITABLE_COLUMNS
        if unknown or not values:
            raise ValueError(f"not editable: {sorted(unknown) or 'nothing'}")
        # Column names come from the fixed EDITABLE_COLUMNS set above, never from input.
        assignments = ", ".join(f"{column} = :{column}" for column in sorted(values))
        params: dict[str, Any] = {**values, "user_id": user_id, "now": to_db(self.clock.now())}
        async with self.db.transaction() as tx:
            if "nik_hash" in values:
                assignments += ", duplicate_of = :duplicate_of"
                params["duplicate_of"] = await _first_with_nik(tx, values["nik_hash"], user_id)
            cur = await tx.execute(
                f"UPDATE registrations SET {assignments}, updated_at = :now"  # noqa: S608
                " WHERE user_id = :user_id",
                params,
            )
        return cur.rowcount > 0

    async def delete_by_user(self, user_id: int, registration_id: int | None, also: Claim) -> bool:
        """Delete the person's registration, and with `also` (in the same transaction) their
        draft; count the deletion (nothing else)."""
        async with self.db.transaction() as tx:
            params: dict[str, Any] = {"u": user_id}
            sql = "DELETE FROM registrations WHERE user_id = :u"
            if registration_id is not None:
                sql += " AND id = :id"
                params["id"] = registration_id
            cur = await tx.execute(sql, params)
            deleted = cur.rowcount > 0
            await also(tx)
            if deleted:
                await tx.execute(
                    "UPDATE registration_counters SET value = value + 1 WHERE name = 'deleted'"
                )
        return deleted

    async def deletion_count(self) -> int:
        row = await self.db.fetchone(
            "SELECT value FROM registration_counters WHERE name = 'deleted'"
        )
        return int(row[0]) if row else 0

    async def list_by_status(
        self, status: Status = "baru", limit: int = 50, offset: int = 0
    ) -> list[RegistrationRow]:
        """Registrations with this status, oldest first (staff work through them in order)."""
        rows = await self.db.fetchall(
            "SELECT * FROM registrations WHERE status = :s ORDER BY created_at, id"
            " LIMIT :limit OFFSET :offset",
            {"s": status, "limit": limit, "offset": offset},
        )
        return [RegistrationRow.from_row(r) for r in rows]

    async def list_all(self) -> list[RegistrationRow]:
        rows = await self.db.fetchall("SELECT * FROM registrations ORDER BY id")
        return [RegistrationRow.from_row(r) for r in rows]

    async def set_status(self, registration_id: int, status: Status) -> bool:
        """Staff moved a registration on: baru / dihubungi / terdaftar_bpjs /
        tidak_memenuhi_syarat. False when it does not exist (any more)."""
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        now = to_db(self.clock.now())
        cur = await self.db.execute(
            "UPDATE registrations SET status = :s, status_changed_at = :now, updated_at = :now"
            " WHERE id = :id",
            {"s": status, "now": now, "id": registration_id},
        )
        return cur.rowcount > 0

    async def change_status(self, q: Queryable, registration_id: int, status: Status) -> int | None:
        """Set a different status inside the caller's transaction (together with the
        message that tells the person, bot/followup.py); the person's user id, or None when
        the registration is gone or already has this status."""
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        row = await q.fetchone(
            "UPDATE registrations SET status = :s, status_changed_at = :now, updated_at = :now"
            " WHERE id = :id AND status != :s RETURNING user_id",
            {"s": status, "now": to_db(self.clock.now()), "id": registration_id},
        )
        return int(row[0]) if row is not None else None

    async def count_by_status(self) -> dict[str, int]:
        rows = await self.db.fetchall(
            "SELECT status, COUNT(*) AS n FROM registrations GROUP BY status"
        )
        counts = dict.fromkeys(STATUSES, 0)
        counts.update({r["status"]: int(r["n"]) for r in rows})
        return counts


class KeyCheckRepo:
    """The encrypted known value that tells whether the loaded key is this database's."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def get(self) -> str | None:
        row = await self.db.fetchone("SELECT token FROM crypto_key_check WHERE id = 1")
        return str(row[0]) if row else None

    async def put(self, token: str) -> None:
        await self.db.execute(
            "INSERT INTO crypto_key_check (id, token, created_at) VALUES (1, :t, :now)"
            " ON CONFLICT (id) DO NOTHING",
            {"t": token, "now": to_db(self.clock.now())},
        )


async def _first_with_nik(tx: Tx, nik_hash: str, user_id: int) -> int | None:
    """The oldest registration of another account with this NIK hash (None: no other)."""
    row = await tx.fetchone(
        "SELECT id FROM registrations WHERE nik_hash = :h AND user_id != :u ORDER BY id LIMIT 1",
        {"h": nik_hash, "u": user_id},
    )
    return int(row["id"]) if row else None
