"""Registration of interest, split by role:

* validators.py: each typed answer checked and normalised (NIK, phone, name, free text);
* options.py: the occupations and places (editable TOML files) and the button labels;
* flow.py: the dialogue's steps, typed state, kinds and every transition;
* service.py: drafts (on bot/dialogs.py) and the stored, encrypted registrations.

handlers/registration*.py render it and wire it to Telegram.
"""

from bot.registration.flow import (
    CONSENT_TEXT,
    CONSENT_VERSION,
    DRAFT_TTL,
    KINDS,
    REGISTRATION,
    REGISTRATION_EDIT,
    TEXT_STEPS,
    Answers,
    Draft,
    Field,
    Step,
)
from bot.registration.options import (
    BPJS_ANSWERS,
    OTHER_OCCUPATION,
    OUTSIDE_CITY,
    Catalog,
    Kecamatan,
    Kelurahan,
    Occupation,
    default_catalog,
    slug,
)
from bot.registration.service import (
    CurrentDraft,
    Entry,
    Registration,
    RegistrationService,
    reference,
)
from bot.registration.validators import (
    MAX_FREE_TEXT,
    MAX_NAME,
    PROVINCE_CODES,
    Invalid,
    format_phone,
    mask_nik,
    nik_birth_date,
    parse_nik,
    parse_phone,
    validate_free_text,
    validate_name,
)

__all__ = [
    "BPJS_ANSWERS",
    "CONSENT_TEXT",
    "CONSENT_VERSION",
    "DRAFT_TTL",
    "KINDS",
    "MAX_FREE_TEXT",
    "MAX_NAME",
    "OTHER_OCCUPATION",
    "OUTSIDE_CITY",
    "PROVINCE_CODES",
    "REGISTRATION",
    "REGISTRATION_EDIT",
    "TEXT_STEPS",
    "Answers",
    "Catalog",
    "CurrentDraft",
    "Draft",
    "Entry",
    "Field",
    "Invalid",
    "Kecamatan",
    "Kelurahan",
    "Occupation",
    "Registration",
    "RegistrationService",
    "Step",
    "default_catalog",
    "format_phone",
    "mask_nik",
    "nik_birth_date",
    "parse_nik",
    "parse_phone",
    "reference",
    "slug",
    "validate_free_text",
    "validate_name",
]
