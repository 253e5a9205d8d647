"""Registration's service: drafts (registration dialogues, bot/dialogs.py) and stored
registrations (encrypted); handlers call this, never the repositories."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.clock import Clock, to_db
from bot.config import Settings
from bot.crypto import FieldCipher, open_cipher
from bot.dialogs import DialogService
from bot.registration.flow import (
    CONSENT_VERSION,
    KINDS,
    REGISTRATION,
    REGISTRATION_EDIT,
    Answers,
    Draft,
    Step,
    after_consent,
)
from bot.registration.options import OTHER_OCCUPATION, Catalog
from bot.registration.validators import (
    parse_nik,
    parse_phone,
    validate_free_text,
    validate_name,
)
from bot.store.registrations import (
    KeyCheckRepo,
    RegistrationRepo,
    RegistrationRow,
    Status,
    SubmitOutcome,
)


def reference(registration_id: int) -> str:
    """The number a person quotes to staff: SKP-000123."""
    return f"SKP-{registration_id:06d}"


# ---- what is stored -------------------------------------------------------------------------


@dataclass(frozen=True)
class Registration:
    """A stored registration, decrypted for display to its owner or to staff."""

    id: int
    user_id: int
    full_name: str
    nik: str
    phone: str
    occupation: str
    occupation_other: str | None
    kecamatan: str
    kelurahan: str
    bpjs: str
    status: str
    source: str | None
    consent_at: datetime
    consent_version: str
    created_at: datetime
    updated_at: datetime
    status_changed_at: datetime | None = None
    duplicate_of: int | None = None
    """A possible duplicate for the staff to check: its NIK was first registered in this one
    (issue 14, item 9; the person was told nothing different)."""

    @property
    def reference(self) -> str:
        return reference(self.id)

    def answers(self) -> dict[str, Any]:
        """The same keys as a draft's data, for rendering with one function."""
        return {
            "name": self.full_name,
            "nik": self.nik,
            "phone": self.phone,
            "occupation": self.occupation,
            "occupation_other": self.occupation_other,
            "kecamatan": self.kecamatan,
            "kelurahan": self.kelurahan,
            "bpjs": self.bpjs,
        }


@dataclass(frozen=True)
class CurrentDraft:
    """The person's registration dialogue, or why there is none: `expired` is the one just
    forgotten for its age (the next message says so)."""

    draft: Draft | None
    expired: Draft | None = None


@dataclass(frozen=True)
class Entry:
    """Where a way in (/daftar, the menu, a deep link) leads: the stored registration (any
    draft was discarded), or the draft to ask from (`resumed`: it was already open)."""

    registration: Registration | None = None
    draft: Draft | None = None
    resumed: bool = False


class RegistrationService:
    """The registration feature's logic; handlers call this, never the repositories."""

    def __init__(
        self,
        repo: RegistrationRepo,
        keycheck: KeyCheckRepo,
        cipher: FieldCipher,
        clock: Clock,
        settings: Settings,
        catalog: Catalog,
        dialogs: DialogService,
    ) -> None:
        self.repo = repo
        self.keycheck = keycheck
        self.cipher = cipher
        self.clock = clock
        self.settings = settings
        self.catalog = catalog
        self.dialogs = dialogs

    async def open(self) -> None:
        """At start, after migrations: load the encryption key and check it (ConfigError)."""
        await open_cipher(self.cipher, self.settings, self.keycheck)

    def today(self) -> date:
        return self.clock.now().astimezone(self.settings.tz).date()

    # ---- drafts (the registration dialogues) ---------------------------------------------

    async def current(self, user_id: int) -> CurrentDraft:
        """The person's registration dialogue (a new registration or a change), if any."""
        current = await self.dialogs.current(user_id)
        draft, expired = current.dialog, current.expired
        return CurrentDraft(
            draft if draft is not None and draft.kind in KINDS else None,
            expired if expired is not None and expired.kind in KINDS else None,
        )

    async def enter(self, user_id: int, source: str) -> Entry:
        """A way in: someone registered sees their data; an open draft goes on; else a new
        registration starts at the consent."""
        registration = await self.registration(user_id)
        draft = (await self.current(user_id)).draft
        if registration is not None:
            if draft is not None:
                await self.discard(draft)
            return Entry(registration=registration)
        if draft is not None:
            return Entry(draft=draft, resumed=True)
        return Entry(draft=await self.start(user_id, source))

    async def start(self, user_id: int, source: str | None) -> Draft:
        """A new registration (replacing any other dialogue), at the consent."""
        return await self.dialogs.start(user_id, REGISTRATION, Answers(source=source))

    async def start_change(self, user_id: int) -> Draft:
        """A change of the stored registration, at "which answer?"."""
        return await self.dialogs.start(user_id, REGISTRATION_EDIT, Answers(), Step.FIELD.value)

    async def move(self, draft: Draft, step: Step) -> None:
        """Go to `step` (with the answers as they are now) and save."""
        await self.dialogs.move(draft, step.value)

    async def give_consent(self, draft: Draft) -> None:
        draft.state.consent_at = to_db(self.clock.now())
        draft.state.consent_version = CONSENT_VERSION
        await self.move(draft, after_consent(draft.state))

    async def discard(self, draft: Draft) -> bool:
        return await self.dialogs.end(draft)

    def check(self, step: Step, text: str) -> str:
        """A typed answer at `step`, normalised, or Invalid with the reason."""
        if step is Step.NAME:
            return validate_name(text)
        if step is Step.NIK:
            return parse_nik(text, self.today())
        if step is Step.PHONE:
            return parse_phone(text)
        return validate_free_text(text)  # OCCUPATION_OTHER, PLACE_OTHER

    # ---- registrations --------------------------------------------------------------------

    def _decrypt(self, row: RegistrationRow) -> Registration:
        return Registration(
            id=row.id,
            user_id=row.user_id,
            full_name=self.cipher.decrypt(row.full_name_enc),
            nik=self.cipher.decrypt(row.nik_enc),
            phone=self.cipher.decrypt(row.phone_enc),
            occupation=row.occupation,
            occupation_other=row.occupation_other,
            kecamatan=row.kecamatan,
            kelurahan=row.kelurahan,
            bpjs=row.bpjs_participant,
            status=row.status,
            source=row.source,
            consent_at=row.consent_at,
            consent_version=row.consent_version,
            created_at=row.created_at,
            updated_at=row.updated_at,
            status_changed_at=row.status_changed_at,
            duplicate_of=row.duplicate_of,
        )

    async def registration(self, user_id: int) -> Registration | None:
        row = await self.repo.get_by_user(user_id)
        return self._decrypt(row) if row else None

    async def nik_registered_by_other(self, user_id: int, nik: str) -> int | None:
        """The registration id when this NIK is registered from another account: for the
        staff's report only. The dialogue goes on the same whatever this returns (issue 14,
        item 9: what the bot says must not tell whether a NIK is registered); the
        registration is then stored marked `duplicate_of` that one."""
        row = await self.repo.find_by_nik_hash(self.cipher.keyed_hash(nik))
        return row.id if row is not None and row.user_id != user_id else None

    async def submit(self, draft: Draft) -> SubmitOutcome:
        """Store the draft as a registration (status baru), ending the dialogue in the same
        transaction: at most once per draft."""
        data = draft.state
        if data.first_missing() is not None or not data.consent_at:
            return SubmitOutcome("no_draft")
        assert data.name and data.nik and data.phone and data.occupation  # first_missing
        values = {
            "full_name_enc": self.cipher.encrypt(data.name),
            "nik_enc": self.cipher.encrypt(data.nik),
            "nik_hash": self.cipher.keyed_hash(data.nik),
            "phone_enc": self.cipher.encrypt(data.phone),
            "occupation": data.occupation,
            "occupation_other": data.occupation_other
            if data.occupation == OTHER_OCCUPATION
            else None,
            "kecamatan": data.kecamatan,
            "kelurahan": data.kelurahan,
            "bpjs_participant": data.bpjs,
            "source": data.source,
            "consent_at": data.consent_at,
            "consent_version": data.consent_version or CONSENT_VERSION,
        }
        repo = self.dialogs.repo
        return await self.repo.submit(
            draft.user_id, values, lambda tx: repo.delete_in(tx, draft.user_id, draft.nonce)
        )

    async def apply_edit(self, draft: Draft) -> bool:
        """Write the answers of a change (/ubahdata) to the registration; end the dialogue.

        False when the registration is gone. A new NIK that another registration has is saved
        and the registration marked as a possible duplicate (the person is not told).
        """
        data = draft.state
        values: dict[str, Any] = {}
        if data.name is not None:
            values["full_name_enc"] = self.cipher.encrypt(data.name)
        if data.nik is not None:
            values["nik_enc"] = self.cipher.encrypt(data.nik)
            values["nik_hash"] = self.cipher.keyed_hash(data.nik)
        if data.phone is not None:
            values["phone_enc"] = self.cipher.encrypt(data.phone)
        if data.occupation is not None:
            values["occupation"] = data.occupation
            values["occupation_other"] = (
                data.occupation_other if data.occupation == OTHER_OCCUPATION else None
            )
        if data.kecamatan is not None and data.kelurahan:
            values["kecamatan"] = data.kecamatan
            values["kelurahan"] = data.kelurahan
        if data.bpjs is not None:
            values["bpjs_participant"] = data.bpjs
        ok = bool(values) and await self.repo.update_fields(draft.user_id, values)
        await self.dialogs.end(draft)
        return ok

    async def delete(self, user_id: int, registration_id: int | None = None) -> bool:
        """/hapusdata: delete the registration and any registration dialogue in one
        transaction; only a count remains."""
        repo, kinds = self.dialogs.repo, tuple(kind.name for kind in KINDS)
        return await self.repo.delete_by_user(
            user_id, registration_id, lambda tx: repo.delete_in(tx, user_id, kinds=kinds)
        )

    # ---- for staff tools (a later issue) ---------------------------------------------------

    async def list_by_status(
        self, status: Status = "baru", limit: int = 50, offset: int = 0
    ) -> list[Registration]:
        return [self._decrypt(r) for r in await self.repo.list_by_status(status, limit, offset)]

    async def get(self, registration_id: int) -> Registration | None:
        row = await self.repo.get(registration_id)
        return self._decrypt(row) if row else None

    async def list_all(self) -> list[Registration]:
        """Every registration, decrypted, oldest first (exports)."""
        return [self._decrypt(r) for r in await self.repo.list_all()]

    async def count_by_status(self) -> dict[str, int]:
        return await self.repo.count_by_status()

    async def set_status(self, registration_id: int, status: Status) -> bool:
        return await self.repo.set_status(registration_id, status)

    async def deletion_count(self) -> int:
        return await self.repo.deletion_count()
