"""Registration of interest: validators, the editable option lists, the dialogue's state
machine and the service that stores drafts and registrations (encrypted).

The dialogue (handlers/registration.py renders it):

    consent -> name -> nik -> phone -> occupation [-> occupation_other]
            -> kecamatan -> kelurahan | place_other -> bpjs -> summary -> (Kirim) registration

Its state lives in `registration_drafts` (one row per user, answers encrypted), written after
every answer, so a restart continues at the same step, and a draft untouched for 24 hours is
discarded. "Ubah" on the summary and /ubahdata reuse the same steps through `field`.
"""

from __future__ import annotations

import enum
import re
import secrets
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import phonenumbers

from bot.clock import Clock, to_db
from bot.config import LOCALES_DIR, ConfigError, Settings
from bot.crypto import DecryptionError, FieldCipher, open_cipher
from bot.i18n import N_
from bot.pii import NIK_SEPARATORS, phone_number, redact_personal_numbers
from bot.store.registrations import (
    DraftRow,
    KeyCheckRepo,
    RegistrationRepo,
    RegistrationRow,
    Status,
    SubmitOutcome,
)

DRAFT_TTL = timedelta(hours=24)

# The consent text shown at the start. Change CONSENT_VERSION whenever the text changes:
# each registration stores the version its person agreed to.
CONSENT_VERSION = "2026-01-v1"
CONSENT_TEXT = N_(
    "📝 <b>Register your interest in BPJS Ketenagakerjaan</b>\n"
    "It takes about 2 minutes.\n\n"
    "<b>What I will ask:</b> your full name, NIK (the number on your KTP), phone number, "
    "work, where you live, and whether you are already a BPJS Ketenagakerjaan participant.\n"
    "<b>Why:</b> so that the Program Pekalongan Sakpore staff can contact you and help you "
    "join BPJS Ketenagakerjaan ({amount} a month). This is not yet a BPJS registration.\n"
    "<b>Who sees it:</b> only the program staff of the Pekalongan city government, only to "
    "help you register. Your name, NIK and phone number are stored encrypted.\n"
    "<b>Your rights (UU PDP, UU No. 27/2022):</b> see your data with /datasaya, correct it "
    "with /ubahdata, delete it with /hapusdata. Stop at any time with /batal.\n\n"
    "Do you agree?"
)

OTHER_OCCUPATION = "lainnya"
OUTSIDE_CITY = "luar_kota"
BPJS_ANSWERS = ("ya", "belum", "tidak_tahu")
MAX_NAME = 100
MAX_FREE_TEXT = 60
_KEY_RE = re.compile(r"^[a-z0-9_]{1,24}$")


def reference(registration_id: int) -> str:
    """The number a person quotes to staff: SKP-000123."""
    return f"SKP-{registration_id:06d}"


# ---- validation ----------------------------------------------------------------------------


class Invalid(Exception):
    """An answer was not accepted. `reason` is a msgid (translated by the handler) and
    `params` fill its placeholders."""

    def __init__(self, reason: str, **params: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params


def _normalise_text(text: str) -> str:
    """NFC, typographic apostrophes to ', whitespace (incl. newlines) collapsed, trimmed."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    return " ".join(text.split())


def validate_name(text: str) -> str:
    """A full name: 2 to 100 characters of letters, spaces and ' . - (trimmed)."""
    name = _normalise_text(text)
    if not name:
        raise Invalid(N_("Please type your full name."))
    if len(name) > MAX_NAME:
        raise Invalid(
            N_("A name can have at most {max} characters. Please shorten it."), max=MAX_NAME
        )
    if any(ch.isdigit() for ch in name):
        raise Invalid(N_("A name should not contain numbers."))
    if any(not (ch.isalpha() or ch in " '.-") for ch in name):
        raise Invalid(N_("Please use only letters, spaces and the signs ' . - in your name."))
    if len(name) < 2 or sum(ch.isalpha() for ch in name) < 2:
        raise Invalid(N_("That is too short for a name. Please type your full name."))
    return name


# Kemendagri province codes (the first 2 digits of a NIK), including the Papua provinces
# created in 2022.
PROVINCE_CODES = frozenset(
    {11, 12, 13, 14, 15, 16, 17, 18, 19, 21}
    | set(range(31, 37))
    | {51, 52, 53}
    | set(range(61, 66))
    | set(range(71, 77))
    | {81, 82}
    | set(range(91, 97))
)


def nik_birth_date(nik: str, today: date) -> date | None:
    """The birth date in a 16-digit NIK (day + 40 for women), or None when not a date.

    YY is read as 20YY unless that date is after `today`, then as 19YY.
    """
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if day > 40:
        day -= 40
    for year in (2000 + yy, 1900 + yy):
        try:
            born = date(year, month, day)
        except ValueError:
            continue
        if born <= today:
            return born
    return None


def parse_nik(text: str, today: date) -> str:
    """The 16 digits of a NIK (spaces, dots and dashes tolerated), or Invalid with the reason.

    Checks the shape, the province code, that the regency and district codes are not 00,
    the embedded birth date (DDMMYY, women's day + 40) and a serial from 0001. Any valid
    Indonesian NIK is accepted, not only Kota Pekalongan's (3375...).
    """
    digits = NIK_SEPARATORS.sub("", text)  # shared with the log and storage redaction
    if not digits:
        raise Invalid(N_("Please type the 16 digits of your NIK."))
    if not (digits.isascii() and digits.isdigit()):
        raise Invalid(N_("A NIK has only digits (0-9). Please check it and type it again."))
    if len(digits) != 16:
        raise Invalid(
            N_("A NIK has 16 digits, but you sent {count}. Please check your KTP and try again."),
            count=len(digits),
        )
    if int(digits[0:2]) not in PROVINCE_CODES:
        raise Invalid(
            N_(
                "The first 2 digits of a NIK are the province code, but {code} is not one. "
                "Please check your NIK."
            ),
            code=digits[0:2],
        )
    if digits[2:4] == "00":
        raise Invalid(N_("Digits 3-4 of a NIK (the city or regency code) cannot be 00."))
    if digits[4:6] == "00":
        raise Invalid(N_("Digits 5-6 of a NIK (the kecamatan code) cannot be 00."))
    day, month = int(digits[6:8]), int(digits[8:10])
    if not 1 <= month <= 12:
        raise Invalid(
            N_("Digits 9-10 of a NIK are the birth month, but {month} is not a month."),
            month=digits[8:10],
        )
    if not (1 <= day <= 31 or 41 <= day <= 71):
        raise Invalid(
            N_(
                "Digits 7-8 of a NIK are the birth day (women add 40), but {day} is not a "
                "possible day."
            ),
            day=digits[6:8],
        )
    if nik_birth_date(digits, today) is None:
        raise Invalid(
            N_("Digits 7-12 of a NIK are the birth date (DDMMYY), but {digits} is not a date."),
            digits=digits[6:12],
        )
    if digits[12:16] == "0000":
        raise Invalid(N_("The last 4 digits of a NIK cannot be 0000."))
    return digits


def mask_nik(nik: str) -> str:
    """3375 •••• •••• 0012: the region and the last 4 digits only."""
    return f"{nik[:4]} •••• •••• {nik[-4:]}"


def parse_phone(text: str, from_contact: bool = False) -> str:
    """An Indonesian phone number in E.164 (+62...), or Invalid with the reason."""
    value = text.strip()
    if from_contact and value and not value.startswith(("+", "0")):
        value = "+" + value  # Telegram sends contacts as 6281..., without the plus
    if not value:
        raise Invalid(N_("Please type your phone number."))
    if len(value) > 32:
        raise Invalid(N_("That is too long for a phone number."))
    accepted = phone_number(value)  # the one phone rule, shared with the redaction (bot.pii)
    if accepted is not None:
        return phonenumbers.format_number(accepted, phonenumbers.PhoneNumberFormat.E164)
    # Refused: find the most helpful reason.
    not_a_phone = N_("That does not look like a phone number. Type it like 08xx-xxxx-xxxx.")
    if any(ch.isalpha() for ch in value):
        raise Invalid(not_a_phone)  # letters: a vanity number or an extension
    try:
        number = phonenumbers.parse(value, "ID")
    except phonenumbers.NumberParseException:
        raise Invalid(not_a_phone) from None
    if number.country_code != 62:
        raise Invalid(N_("Please give an Indonesian number (starting with 08 or +62)."))
    if not phonenumbers.is_valid_number(number):
        raise Invalid(
            N_(
                "This number looks incomplete or wrong. Indonesian mobile numbers start with 08 "
                "and have 10 to 13 digits."
            )
        )
    raise Invalid(not_a_phone)  # a bare run of digits, like a Telegram id: no 0, + or 62


def format_phone(e164: str) -> str:
    """+62 812-3456-7890 for display."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def validate_free_text(text: str) -> str:
    """A short typed answer (an occupation not in the list, a place outside the city)."""
    value = _normalise_text(text)
    if len(value) > MAX_FREE_TEXT:
        raise Invalid(N_("Please keep it to at most {max} characters."), max=MAX_FREE_TEXT)
    if any(not (ch.isalnum() or ch in " '.,-/()") for ch in value):
        raise Invalid(N_("Please use only letters, numbers, spaces and . , - / ( )"))
    if sum(ch.isalpha() for ch in value) < 2:
        raise Invalid(N_("That is too short. Please type it in a few words."))
    # Stored in clear (registrations.occupation_other, the typed place): never a NIK or phone.
    return redact_personal_numbers(value)


def _fold(text: str) -> str:
    """For matching typed answers to buttons: case-folded letters and digits only."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


_YES = {"setuju", "ya", "iya", "yes", "agree", "iagree", "ok", "oke", "okay", "y"}
_NO = {"tidaksetuju", "tidak", "tdk", "gak", "ga", "nggak", "ngga", "no", "idonotagree", "n"}
_BPJS_WORDS = {
    "ya": {"ya", "iya", "yes", "sudah", "udah", "sdh", "udh"},
    "belum": {"belum", "blm", "notyet", "no", "tidak", "gak", "ga", "nggak", "belom"},
    "tidak_tahu": {"tidaktahu", "gatau", "gaktau", "gatahu", "tdktahu", "idontknow", "dontknow"},
}


def match_consent(text: str) -> bool | None:
    folded = _fold(text)
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    return None


def match_bpjs(text: str) -> str | None:
    folded = _fold(text)
    for answer, words in _BPJS_WORDS.items():
        if folded in words:
            return answer
    return None


def match_label(text: str, options: Mapping[str, list[str]]) -> str | None:
    """The key whose label (in any language) equals the typed text, ignoring case/signs."""
    folded = _fold(text)
    if not folded:
        return None
    for key, labels in options.items():
        if any(_fold(label) == folded for label in labels):
            return key
    return None


# ---- the option lists (editable TOML files) -------------------------------------------------


@dataclass(frozen=True)
class Occupation:
    key: str
    labels: dict[str, str]

    def label(self, locale: str) -> str:
        return self.labels.get(locale) or self.labels["id"]


@dataclass(frozen=True)
class Kelurahan:
    key: str
    name: str


@dataclass(frozen=True)
class Kecamatan:
    key: str
    name: str
    code: str
    kelurahan: tuple[Kelurahan, ...]

    def find(self, key: str) -> Kelurahan | None:
        return next((k for k in self.kelurahan if k.key == key), None)


def slug(name: str) -> str:
    """'Sapuro Kebulen' -> 'sapuro_kebulen' (for callback data)."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


@dataclass(frozen=True)
class Catalog:
    occupations: tuple[Occupation, ...]
    kecamatan: tuple[Kecamatan, ...]

    def occupation(self, key: str) -> Occupation | None:
        return next((o for o in self.occupations if o.key == key), None)

    def find_kecamatan(self, key: str) -> Kecamatan | None:
        return next((k for k in self.kecamatan if k.key == key), None)

    @classmethod
    def load(cls, directory: Path = LOCALES_DIR / "id") -> Catalog:
        """Read occupations.toml and places.toml; ConfigError naming the file when wrong."""
        return cls(
            _load_occupations(directory / "occupations.toml"),
            _load_places(directory / "places.toml"),
        )


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"{path}: file is missing") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def _check_key(path: Path, key: Any, seen: set[str], what: str) -> str:
    if not isinstance(key, str) or not _KEY_RE.match(key):
        raise ConfigError(f"{path}: {what} key {key!r} must be 1-24 characters of a-z, 0-9 and _")
    if key in seen or key in (OTHER_OCCUPATION, OUTSIDE_CITY):
        raise ConfigError(f"{path}: {what} key {key!r} is used twice or reserved")
    seen.add(key)
    return key


def _load_occupations(path: Path) -> tuple[Occupation, ...]:
    entries = _read_toml(path).get("occupation")
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{path}: needs at least one [[occupation]] entry")
    seen: set[str] = set()
    result = []
    for entry in entries:
        key = _check_key(path, entry.get("key"), seen, "occupation")
        labels = {
            loc: str(entry[loc]).strip()
            for loc in ("id", "en")
            if isinstance(entry.get(loc), str) and entry[loc].strip()
        }
        if "id" not in labels:
            raise ConfigError(f"{path}: occupation {key!r} needs an 'id' label")
        if any(len(label) > 60 for label in labels.values()):
            raise ConfigError(f"{path}: occupation {key!r} has a label over 60 characters")
        result.append(Occupation(key, labels))
    return tuple(result)


def _load_places(path: Path) -> tuple[Kecamatan, ...]:
    entries = _read_toml(path).get("kecamatan")
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{path}: needs at least one [[kecamatan]] entry")
    seen: set[str] = set()
    result = []
    for entry in entries:
        key = _check_key(path, entry.get("key"), seen, "kecamatan")
        name = entry.get("name")
        names = entry.get("kelurahan")
        if not isinstance(name, str) or not name.strip():
            raise ConfigError(f"{path}: kecamatan {key!r} needs a name")
        if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
            raise ConfigError(f"{path}: kecamatan {key!r} needs a list of kelurahan names")
        kelurahan = []
        slugs: set[str] = set()
        for kel_name in names:
            kel_key = slug(kel_name)
            if not _KEY_RE.match(kel_key) or kel_key in slugs:
                raise ConfigError(f"{path}: kelurahan {kel_name!r} is empty, too long or twice")
            slugs.add(kel_key)
            kelurahan.append(Kelurahan(kel_key, kel_name.strip()))
        result.append(Kecamatan(key, name.strip(), str(entry.get("code", "")), tuple(kelurahan)))
    return tuple(result)


# ---- the dialogue ---------------------------------------------------------------------------


class Step(enum.StrEnum):
    CONSENT = "consent"
    NAME = "name"
    NIK = "nik"
    PHONE = "phone"
    OCCUPATION = "occupation"
    OCCUPATION_OTHER = "occupation_other"
    KECAMATAN = "kecamatan"
    KELURAHAN = "kelurahan"
    PLACE_OTHER = "place_other"
    BPJS = "bpjs"
    SUMMARY = "summary"
    FIELD = "field"  # choosing which answer to change


class Field(enum.StrEnum):
    """What "Ubah" and /ubahdata let a person change."""

    NAME = "name"
    NIK = "nik"
    PHONE = "phone"
    OCCUPATION = "occupation"
    PLACE = "place"
    BPJS = "bpjs"


FIELD_FIRST_STEP = {
    Field.NAME: Step.NAME,
    Field.NIK: Step.NIK,
    Field.PHONE: Step.PHONE,
    Field.OCCUPATION: Step.OCCUPATION,
    Field.PLACE: Step.KECAMATAN,
    Field.BPJS: Step.BPJS,
}

# Steps answered by typing; the others by buttons (typing the label works too).
TEXT_STEPS = frozenset({Step.NAME, Step.NIK, Step.PHONE, Step.OCCUPATION_OTHER, Step.PLACE_OTHER})

Mode = Literal["new", "edit"]


@dataclass
class Draft:
    """A dialogue in progress. `data` holds the answers so far (encrypted when stored)."""

    user_id: int
    nonce: str
    mode: Mode
    step: Step
    data: dict[str, Any] = field(default_factory=dict)
    updated_at: datetime | None = None


def first_missing(data: Mapping[str, Any]) -> Step | None:
    """The first question of a new registration still without an answer."""
    if not data.get("name"):
        return Step.NAME
    if not data.get("nik"):
        return Step.NIK
    if not data.get("phone"):
        return Step.PHONE
    if not data.get("occupation"):
        return Step.OCCUPATION
    if data["occupation"] == OTHER_OCCUPATION and not data.get("occupation_other"):
        return Step.OCCUPATION_OTHER
    if not data.get("kecamatan"):
        return Step.KECAMATAN
    if not data.get("kelurahan"):
        return Step.PLACE_OTHER if data["kecamatan"] == OUTSIDE_CITY else Step.KELURAHAN
    if data.get("bpjs") not in BPJS_ANSWERS:
        return Step.BPJS
    return None


def apply_answer(draft: Draft, step: Step, value: str) -> Step | None:
    """Record a validated answer and return the next step; None when an edit of a stored
    registration (/ubahdata) is complete and can be saved."""
    data = draft.data
    if step is Step.OCCUPATION:
        data["occupation"] = value
        if value == OTHER_OCCUPATION:
            data.pop("occupation_other", None)
            return Step.OCCUPATION_OTHER
        data["occupation_other"] = None
    elif step is Step.OCCUPATION_OTHER:
        data["occupation"] = OTHER_OCCUPATION
        data["occupation_other"] = value
    elif step is Step.KECAMATAN:
        data["kecamatan"] = value
        data.pop("kelurahan", None)
        return Step.PLACE_OTHER if value == OUTSIDE_CITY else Step.KELURAHAN
    elif step in (Step.KELURAHAN, Step.PLACE_OTHER):
        data["kelurahan"] = value
    elif step in (Step.NAME, Step.NIK, Step.PHONE, Step.BPJS):
        data[step.value] = value
    else:
        raise ValueError(f"{step} takes no answer")
    if draft.mode == "edit":
        return None
    return first_missing(data) or Step.SUMMARY


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
    """The user's draft, or why there is none: `expired` when it was just discarded."""

    draft: Draft | None
    expired: bool = False
    expired_step: Step | None = None


class RegistrationService:
    """The registration feature's logic; handlers call this, never the repository."""

    def __init__(
        self,
        repo: RegistrationRepo,
        keycheck: KeyCheckRepo,
        cipher: FieldCipher,
        clock: Clock,
        settings: Settings,
        catalog: Catalog,
    ) -> None:
        self.repo = repo
        self.keycheck = keycheck
        self.cipher = cipher
        self.clock = clock
        self.settings = settings
        self.catalog = catalog

    async def open(self) -> None:
        """At start, after migrations: load the encryption key and check it (ConfigError)."""
        await open_cipher(self.cipher, self.settings, self.keycheck)

    def today(self) -> date:
        return self.clock.now().astimezone(self.settings.tz).date()

    # ---- drafts ---------------------------------------------------------------------------

    def _draft_from_row(self, row: DraftRow) -> Draft:
        try:
            data = self.cipher.decrypt_json(row.data_enc)
        except (DecryptionError, ValueError):
            data = {}
        step = Step(row.step) if row.step in Step._value2member_map_ else Step.CONSENT
        mode: Mode = "edit" if row.mode == "edit" else "new"
        return Draft(row.user_id, row.nonce, mode, step, data, row.updated_at)

    async def current(self, user_id: int) -> CurrentDraft:
        """The user's draft; one untouched for 24 hours is deleted and reported as expired."""
        row = await self.repo.get_draft(user_id)
        if row is None:
            return CurrentDraft(None)
        if self.clock.now() - row.updated_at >= DRAFT_TTL:
            await self.repo.delete_draft(user_id)
            step = Step(row.step) if row.step in Step._value2member_map_ else None
            return CurrentDraft(None, expired=True, expired_step=step)
        return CurrentDraft(self._draft_from_row(row))

    async def start(
        self, user_id: int, source: str | None, mode: Mode = "new", step: Step = Step.CONSENT
    ) -> Draft:
        """A new draft (replacing any other) at `step`."""
        data: dict[str, Any] = {"source": source} if source else {}
        draft = Draft(user_id, secrets.token_hex(3), mode, step, data)
        await self.save(draft)
        return draft

    async def save(self, draft: Draft) -> None:
        await self.repo.save_draft(
            draft.user_id,
            draft.nonce,
            draft.mode,
            draft.step.value,
            self.cipher.encrypt_json(draft.data),
        )

    async def give_consent(self, draft: Draft) -> None:
        draft.data["consent_at"] = to_db(self.clock.now())
        draft.data["consent_version"] = CONSENT_VERSION
        draft.step = first_missing(draft.data) or Step.SUMMARY
        await self.save(draft)

    async def discard(self, user_id: int) -> bool:
        return await self.repo.delete_draft(user_id)

    async def expire_drafts(self) -> list[DraftRow]:
        """Delete every draft untouched for 24 hours; return them (for a notice)."""
        return await self.repo.take_expired_drafts(self.clock.now() - DRAFT_TTL)

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
        """Store the draft as a registration (status baru); idempotent per draft."""
        data = draft.data
        if first_missing(data) is not None or not data.get("consent_at"):
            return SubmitOutcome("no_draft")
        values = {
            "full_name_enc": self.cipher.encrypt(data["name"]),
            "nik_enc": self.cipher.encrypt(data["nik"]),
            "nik_hash": self.cipher.keyed_hash(data["nik"]),
            "phone_enc": self.cipher.encrypt(data["phone"]),
            "occupation": data["occupation"],
            "occupation_other": data.get("occupation_other")
            if data["occupation"] == OTHER_OCCUPATION
            else None,
            "kecamatan": data["kecamatan"],
            "kelurahan": data["kelurahan"],
            "bpjs_participant": data["bpjs"],
            "source": data.get("source"),
            "consent_at": data["consent_at"],
            "consent_version": data.get("consent_version", CONSENT_VERSION),
        }
        return await self.repo.submit(draft.user_id, draft.nonce, values)

    async def apply_edit(self, draft: Draft) -> bool:
        """Write the answers of an /ubahdata draft to the registration; discard the draft.

        False when the registration is gone. A new NIK that another registration has is saved
        and the registration marked as a possible duplicate (the person is not told).
        """
        data = draft.data
        values: dict[str, Any] = {}
        if "name" in data:
            values["full_name_enc"] = self.cipher.encrypt(data["name"])
        if "nik" in data:
            values["nik_enc"] = self.cipher.encrypt(data["nik"])
            values["nik_hash"] = self.cipher.keyed_hash(data["nik"])
        if "phone" in data:
            values["phone_enc"] = self.cipher.encrypt(data["phone"])
        if "occupation" in data:
            values["occupation"] = data["occupation"]
            values["occupation_other"] = (
                data.get("occupation_other") if data["occupation"] == OTHER_OCCUPATION else None
            )
        if "kecamatan" in data and data.get("kelurahan"):
            values["kecamatan"] = data["kecamatan"]
            values["kelurahan"] = data["kelurahan"]
        if "bpjs" in data:
            values["bpjs_participant"] = data["bpjs"]
        ok = bool(values) and await self.repo.update_fields(draft.user_id, values)
        await self.repo.delete_draft(draft.user_id)
        return ok

    async def delete(self, user_id: int, registration_id: int | None = None) -> bool:
        """/hapusdata: delete the registration (and any draft); only a count remains."""
        return await self.repo.delete_by_user(user_id, registration_id)

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
