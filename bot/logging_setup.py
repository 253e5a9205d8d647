"""Logging set-up with a filter that keeps tokens, NIKs and phone numbers out of every line."""

from __future__ import annotations

import logging
import re

from bot.config import TOKEN_PATTERN

# A bot token, in a URL or alone: any token the settings would accept.
_TOKEN_RE = re.compile(rf"(?<!\d){TOKEN_PATTERN}")
# 16 digits, possibly grouped with spaces or dots: an NIK.
_NIK_RE = re.compile(r"(?<!\d)(?:\d[ .]?){15}\d(?!\d)")
# Indonesian phone numbers: +62 / 62 / 08 followed by 7-12 digits, with separators.
_PHONE_RE = re.compile(r"(?<![\d\w])(?:\+?62[\s.-]?|0)8[\d\s.-]{7,14}\d(?!\d)")


def redact(text: str) -> str:
    """Replace secrets and personal numbers in a log text."""
    text = _TOKEN_RE.sub("<token>", text)
    text = _NIK_RE.sub("<nik>", text)
    return _PHONE_RE.sub("<phone>", text)


class RedactingFilter(logging.Filter):
    """Rewrites each record's final message through redact()."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if record.exc_info and record.exc_info[1] is not None:
            # Exception texts can quote user input; format them now and redact.
            formatter = logging.Formatter()
            record.exc_text = redact(formatter.formatException(record.exc_info))
            record.exc_info = None
        if cleaned != message or record.args:
            record.msg = cleaned
            record.args = None
        return True


def setup_logging(level: str) -> None:
    """Configure the root logger once: one line per record, redacted."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    root.addHandler(handler)
    root.setLevel(level)
    # httpx logs every request URL, and the URL holds the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
