"""No token, NIK or phone number reaches a log line."""

from __future__ import annotations

import io
import logging

from bot.logging_setup import RedactingFilter, redact

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
