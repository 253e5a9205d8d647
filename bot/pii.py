"""Personal numbers in free text: the grammar the NIK and phone parsers accept, and redaction.

One place for both sides: `bot.registration.parse_nik` strips `NIK_SEPARATORS`, and
`parse_phone` is `phonenumbers.parse(text, "ID")` plus a validity check (`is_phone`). The
redaction below finds every run of digits joined by any separator either parser accepts
(spaces of every kind, dots, dashes, en and em dashes, slashes, parentheses, brackets,
tildes, a leading + or "(+62)") and replaces it when it holds a NIK (16 digits or more) or
when any stretch of it is a number `parse_phone` would accept. Used for log lines
(`bot.logging_setup`) and before free text is stored (question log, hand-off messages).
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


def is_phone(text: str) -> bool:
    """True when `parse_phone` would accept `text` (an Indonesian number phonenumbers calls
    valid)."""
    try:
        number = phonenumbers.parse(text, "ID")
    except phonenumbers.NumberParseException:
        return False
    return number.country_code == 62 and phonenumbers.is_valid_number(number)


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
