"""Personal numbers in free text: the grammar the NIK and phone parsers accept, and redaction.

One place for both sides: `bot.registration.parse_nik` strips `NIK_SEPARATORS`, and
`parse_phone` accepts exactly what `phone_number` below accepts (the one phone rule). The
redaction finds every run of digits joined by any separator either parser accepts (spaces of
every kind, dots, dashes, en and em dashes, slashes, parentheses, brackets, tildes, a leading
+ or "(+62)") and replaces it when it holds a NIK (16 digits or more) or when any stretch of
it is a number `phone_number` accepts. Used for log lines (`bot.logging_setup`) and before
free text is stored (question log, hand-off messages).

The phone rule. A text is a phone number when all of these hold:

* it has no letters (phonenumbers would read "0812-FLOWERS" as a vanity number and "ext."
  as an extension; a registration should not store either);
* phonenumbers parses it (region ID) as a valid Indonesian (+62) number;
* it carries a phone cue: a plus sign before the first digit ("+62 812...", "(+62)"), or a
  first digit 0 (the trunk prefix: "0812...", "(0285) 412345"), or a separator between two
  digits ("812-3456-7890", "62 812 3456 7890"), or 11 digits or more ("6281234567890").

So a bare run of at most 10 digits with no plus, no leading 0 and no separator is never a
phone: that is what a Telegram user id looks like in a log line ("update 123 user
8123456789"), and phonenumbers would call many of them valid Indonesian numbers. (User ids
have 10 digits at most today; a longer one would be redacted, which is the safe side.)
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import phonenumberutil

NIK_DIGITS = 16
# What parse_nik strips between (and around) the 16 digits.
NIK_SEPARATOR_CLASS = r"\s.\-"
NIK_SEPARATORS = re.compile(f"[{NIK_SEPARATOR_CLASS}]+")

# What phonenumbers accepts between digits (its own constants: dashes of every kind, slashes,
# full-width brackets, soft hyphen, zero-width space...) and as a leading plus.
_PHONE_PUNCTUATION: str = phonenumberutil._VALID_PUNCTUATION
_PLUS_CHARS: str = phonenumberutil._PLUS_CHARS
# phonenumbers writes its punctuation as character-class content (with ranges such as
# U+2010-U+2015, the dashes): it goes first, so its leading "-" stays a literal.
_SEPARATOR = f"[{_PHONE_PUNCTUATION}{NIK_SEPARATOR_CLASS}{_PLUS_CHARS}]"
# A maximal run of digits joined by separators, with a leading plus, "(" or "(+".
_RUN_RE = re.compile(rf"[{_PLUS_CHARS}(（]*(?<!\d)\d(?:{_SEPARATOR}*\d)*(?!\d)")
_GROUP_RE = re.compile(r"\d+")
# Fewer digits than this is never a number parse_phone accepts (the shortest Indonesian
# numbers have 8 digits with the leading 0, 7 without).
_MIN_PHONE_DIGITS = 7
_MAX_GROUPS = 12  # a longer run is checked as a whole and by its last 12 groups

NIK_PLACEHOLDER = "<nik>"
PHONE_PLACEHOLDER = "<phone>"


# No phone has more digits than this (E.164 allows 15); a longer text is not parsed.
_MAX_PHONE_DIGITS = 15
# Bare digit runs this long or shorter are left alone: Telegram user ids (see above).
_MAX_BARE_ID_DIGITS = 10


def _has_cue(text: str) -> bool:
    """A plus before the first digit, a first digit 0, a separator between digits, or more
    digits than a Telegram user id."""
    first = next((i for i, ch in enumerate(text) if ch.isdigit()), None)
    if first is None:
        return False
    if any(ch in _PLUS_CHARS for ch in text[:first]) or text[first] == "0":
        return True
    digits = text[first:].rstrip().rstrip(")）")
    if any(not ch.isdigit() for ch in digits):
        return True
    return len(digits) > _MAX_BARE_ID_DIGITS


def phone_number(text: str) -> phonenumbers.PhoneNumber | None:
    """The Indonesian number `text` is written as, by the phone rule above; else None.
    `parse_phone` and the redaction both use it."""
    if any(ch.isalpha() for ch in text) or not _has_cue(text):
        return None
    if _digit_count(text) > _MAX_PHONE_DIGITS + 1:  # (+1: a "(0)" after +62)
        return None
    try:
        number = phonenumbers.parse(text, "ID")
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 62 or not phonenumbers.is_valid_number(number):
        return None
    return number


def is_phone(text: str) -> bool:
    """True when `text` is a phone number by the phone rule (what `parse_phone` accepts)."""
    return phone_number(text) is not None


def _digit_count(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def _holds_phone(run: str) -> bool:
    """Whether the run, or a stretch of it from one digit group to another, is a phone."""
    if _digit_count(run) < _MIN_PHONE_DIGITS:
        return False
    if is_phone(run):
        return True
    groups = list(_GROUP_RE.finditer(run))[-_MAX_GROUPS:]
    for i, first in enumerate(groups):
        # Include the plus or "(+" written right before the group.
        start = first.start()
        while start > 0 and run[start - 1] in f"{_PLUS_CHARS}(（ ":
            start -= 1
        for last in groups[i:]:
            stretch = run[start : last.end()]
            if _digit_count(stretch) >= _MIN_PHONE_DIGITS and is_phone(stretch):
                return True
    return False


def _replace(match: re.Match[str]) -> str:
    run = match.group(0)
    if _digit_count(run) >= NIK_DIGITS:
        return NIK_PLACEHOLDER
    if _holds_phone(run):
        return PHONE_PLACEHOLDER
    return run


def redact_personal_numbers(text: str) -> str:
    """`text` with every NIK- or phone-shaped number replaced by <nik> or <phone>."""
    return _RUN_RE.sub(_replace, text)
