"""No token, NIK or phone number reaches a log line."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from phonenumbers import phonenumberutil

from bot.logging_setup import RedactingFilter, redact
from bot.pii import NIK_SEPARATORS
from bot.registration import PROVINCE_CODES, Invalid, parse_nik, parse_phone

TOKEN = "123456789:AAHk3j4-abcdefghijklmnopqrstuvwxyz012"


def test_every_token_the_settings_accept_is_redacted() -> None:
    from bot.config import load_settings

    short = "123:abcdefghij-KLMNOPQRST"  # the shortest shape the settings accept
    assert load_settings(_env_file=None, telegram_bot_token=short).token == short
    assert redact(f"GET https://api.telegram.org/bot{short}/getMe") == (
        "GET https://api.telegram.org/bot<token>/getMe"
    )


def test_redact() -> None:
    text = (
        f"POST https://api.telegram.org/bot{TOKEN}/sendMessage nik 3375 0112 9000 0012 "
        "hp +62 812-3456-7890 and 081234567890 id 1001 amount 16800 date 2026-01-05"
    )
    cleaned = redact(text)
    assert TOKEN not in cleaned and "<token>" in cleaned
    assert "3375 0112 9000 0012" not in cleaned and "<nik>" in cleaned
    assert "812-3456-7890" not in cleaned and "081234567890" not in cleaned
    assert "id 1001" in cleaned and "16800" in cleaned and "2026-01-05" in cleaned


@contextmanager
def redacted_log(name: str) -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger whose lines pass through the redacting filter into a string."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    log = logging.getLogger(name)
    log.addHandler(handler)
    log.propagate = False
    try:
        yield log, stream
    finally:
        log.removeHandler(handler)


def test_filter_redacts_arguments_and_tracebacks() -> None:
    with redacted_log("test.redact") as (log, stream):
        log.warning("user typed %s", "3375011201900012")
        try:
            raise ValueError(f"bad nik 3375011201900012 token {TOKEN}")
        except ValueError:
            log.exception("failed")
    output = stream.getvalue()
    assert "3375011201900012" not in output and TOKEN not in output
    assert "ValueError" in output and output.count("<nik>") >= 2


# ---- every format the parsers accept (issue 14, Medium 3) ---------------------------------

_CONTEXT = st.text(
    alphabet="abcdefghijklmnopqrstuvwyz ABCDEFGHIJKLMNOPQRSTUVWYZ:=,;'\"{}", max_size=12
)
# The separators the NIK parser strips, drawn from its own pattern.
_NIK_SEPARATOR = st.from_regex(NIK_SEPARATORS, fullmatch=True)
# What phonenumbers (the phone parser) accepts between digits: its own punctuation, without
# "x" (which starts an extension).
_PHONE_SEPARATOR = st.text(
    alphabet=sorted(
        {ch for ch in phonenumberutil._VALID_PUNCTUATION if ch not in "x\\"}
        | {"\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015"}
    ),
    max_size=2,
)
_PHONE_PREFIXES = ("0", "+62", "+62 ", "62", "(+62)", "(+62) ", "+62 (0)", "＋62", "")
_MOBILE = ("811", "812", "813", "821", "822", "852", "853", "857", "858", "877", "878", "895")
# Fixed lines: area code (Jakarta, Bandung, Semarang, Surabaya, Medan, Yogyakarta,
# Pekalongan, Batang, Kudus, Malang, Denpasar, Makassar, Palembang) and subscriber digits.
_AREA = ("21", "22", "24", "31", "61", "274", "285", "286", "291", "341", "361", "411", "711")
# Surrounding text with digits in it, as a log line has (update and user ids, counts).
_CONTEXT_WITH_DIGITS = st.text(
    alphabet="abcdefghijklmnopqrstuvwyz ABCDEFGHIJKLMNOPQRSTUVWYZ:=,;'\"{}0123456789", max_size=12
)


@st.composite
def typed_niks(draw: st.DrawFn) -> tuple[str, str]:
    """(the NIK as typed, its 16 digits): any NIK parse_nik accepts, any separators."""
    province = draw(st.sampled_from(sorted(PROVINCE_CODES)))
    region = draw(st.integers(1, 99)), draw(st.integers(1, 99))
    day = draw(st.integers(1, 28)) + draw(st.sampled_from((0, 40)))
    month, year = draw(st.integers(1, 12)), draw(st.integers(0, 99))
    serial = draw(st.integers(1, 9999))
    digits = f"{province:02d}{region[0]:02d}{region[1]:02d}{day:02d}{month:02d}{year:02d}"
    digits += f"{serial:04d}"
    typed = "".join(
        ch + (draw(_NIK_SEPARATOR) if draw(st.booleans()) else "") for ch in digits[:-1]
    )
    typed += digits[-1]
    assert parse_nik(typed, date(2026, 1, 5)) == digits
    return typed, digits


@st.composite
def typed_phones(draw: st.DrawFn) -> str:
    """An Indonesian number as people type it, one parse_phone accepts."""
    if draw(st.booleans()):
        national = draw(st.sampled_from(_MOBILE)) + draw(
            st.text("0123456789", min_size=7, max_size=9)
        )
    else:
        national = draw(st.sampled_from(_AREA)) + draw(
            st.text("0123456789", min_size=5, max_size=8)
        )
    cuts = sorted(draw(st.sets(st.integers(1, len(national) - 1), max_size=4)))
    groups = [national[a:b] for a, b in zip([0, *cuts], [*cuts, len(national)], strict=True)]
    if draw(st.booleans()):
        groups[0] = f"({groups[0]})"
    typed = draw(st.sampled_from(_PHONE_PREFIXES)) + groups[0]
    for group in groups[1:]:
        typed += draw(_PHONE_SEPARATOR) + group
    try:
        parse_phone(typed)
    except Invalid:
        assume(False)
    return typed


def _logged(text: str) -> str:
    with redacted_log("test.redact.property") as (log, stream):
        log.warning("Processing update %s", text)
    return stream.getvalue()


@settings(max_examples=300, deadline=None)
@given(typed_niks(), _CONTEXT, _CONTEXT)
def test_no_nik_the_parser_accepts_survives_in_a_log_line(
    nik: tuple[str, str], before: str, after: str
) -> None:
    line = _logged(f"{before}{nik[0]}{after}")
    assert not any(ch.isdigit() for ch in line), line


@settings(max_examples=300, deadline=None)
@given(typed_phones(), _CONTEXT, _CONTEXT)
def test_no_phone_the_parser_accepts_survives_in_a_log_line(
    phone: str, before: str, after: str
) -> None:
    line = _logged(f"{before} {phone} {after}")
    assert not any(ch.isdigit() for ch in line), line


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


@settings(max_examples=300, deadline=None)
@given(typed_phones(), _CONTEXT_WITH_DIGITS, _CONTEXT_WITH_DIGITS)
def test_a_phone_among_other_digits_is_redacted(phone: str, before: str, after: str) -> None:
    """Ids and counts around the number (issue 14 review, finding 22): still no phone."""
    national = parse_phone(phone).removeprefix("+62")
    line = _logged(f"{before} {phone} {after}")
    assert national not in _digits(line.removeprefix("Processing update ")), line
    assert "<phone>" in line or "<nik>" in line, line


# ---- Telegram ids are not phones (review findings 4 and 15) -------------------------------


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 10**6), st.integers(100_000, 9_999_999_999), st.integers(1, 10**6))
def test_telegram_ids_survive_in_a_log_line(update_id: int, user_id: int, chat: int) -> None:
    """A bare run of up to 10 digits (a user id) is no phone, even when phonenumbers would
    call it a valid Indonesian number (8123456789, 7..., 2...)."""
    text = f"error while handling update {update_id} (user {user_id}) chat -{chat}"
    assert redact(text) == text
    assert (
        redact(f"{{'id': {user_id}, 'is_bot': False}}") == f"{{'id': {user_id}, 'is_bot': False}}"
    )


@pytest.mark.parametrize("user_id", ["8123456789", "7123456789", "2123456789", "6281234567"])
def test_ids_phonenumbers_calls_valid_are_left_alone(user_id: str) -> None:
    assert redact(f"update 123 user {user_id}") == f"update 123 user {user_id}"
    with pytest.raises(Invalid):
        parse_phone(user_id)  # the one rule: the parser refuses them too


@pytest.mark.parametrize(
    "typed", ["08123456789", "+628123456789", "6281234567890", "812-3456-7890", "(0285) 412345"]
)
def test_the_same_digits_with_a_phone_cue_are_a_phone(typed: str) -> None:
    parse_phone(typed)
    assert redact(f"update 123 user {typed}") == "update 123 user <phone>"


# ---- letters (review finding 13) ---------------------------------------------------------

_KEYPAD = {"2": "ABC", "3": "DEF", "4": "GHI", "5": "JKL", "6": "MNO", "7": "PQRS", "8": "TUV"}


def test_a_vanity_number_is_refused() -> None:
    for typed in ("0812-FLOWERS", "0812 3456 78ab", "+62 812 3456 7890 ext. 12"):
        with pytest.raises(Invalid):
            parse_phone(typed)


@settings(max_examples=200, deadline=None)
@given(typed_phones(), st.data())
def test_no_phone_with_letters_is_accepted(phone: str, data: st.DataObject) -> None:
    """phonenumbers reads keypad letters as digits; the parser refuses any letter, so a
    registration never stores a number the redaction would not recognise."""
    spots = [i for i, ch in enumerate(phone) if ch in _KEYPAD]
    assume(spots)
    spot = data.draw(st.sampled_from(spots))
    lettered = phone[:spot] + data.draw(st.sampled_from(_KEYPAD[phone[spot]])) + phone[spot + 1 :]
    with pytest.raises(Invalid):
        parse_phone(lettered)


def test_formats_the_old_filter_missed() -> None:
    for typed in (
        "3375-0145-0190-0012",
        "3375  0145  0190  0012",
        "(0812) 3456-7890",
        "0812/3456/7890",
        "0812–3456–7890",
        "(+62) 812 3456 7890",
        "+62 (0) 812 3456 7890",
    ):
        cleaned = redact(f"user typed {typed}.")
        assert cleaned in ("user typed <nik>.", "user typed <phone>."), (typed, cleaned)
