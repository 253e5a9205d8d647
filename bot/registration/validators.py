"""Registration's validators: each typed answer checked, normalised, or refused with a reason.

Pure functions: `Invalid.reason` is a msgid the handler translates, `params` fill it in.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

import phonenumbers

from bot.i18n import N_
from bot.pii import NIK_SEPARATORS, phone_number, redact_personal_numbers

MAX_NAME = 100
MAX_FREE_TEXT = 60


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
    # "&" is allowed ("jualan sate & es teh"); every place that shows the value escapes it.
    if any(not (ch.isalnum() or ch in " '.,-/()&") for ch in value):
        raise Invalid(N_("Please use only letters, numbers, spaces and . , - / ( ) &"))
    if sum(ch.isalpha() for ch in value) < 2:
        raise Invalid(N_("That is too short. Please type it in a few words."))
    # Stored in clear (registrations.occupation_other, the typed place): never a NIK or phone.
    return redact_personal_numbers(value)
