"""No token, NIK or phone number reaches a log line."""

from __future__ import annotations

import io
import logging
from datetime import date

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


def test_filter_redacts_arguments_and_tracebacks() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    log = logging.getLogger("test.redact")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("user typed %s", "3375011201900012")
        try:
            raise ValueError(f"bad nik 3375011201900012 token {TOKEN}")
        except ValueError:
            log.exception("failed")
    finally:
        log.removeHandler(handler)
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
    national = draw(st.sampled_from(_MOBILE)) + draw(st.text("0123456789", min_size=7, max_size=9))
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
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    log = logging.getLogger("test.redact.property")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("Processing update %s", text)
    finally:
        log.removeHandler(handler)
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
