"""Logging set-up with a filter that keeps tokens, NIKs and phone numbers out of every line."""

from __future__ import annotations

import logging
import re

from bot.config import TOKEN_PATTERN
from bot.pii import redact_personal_numbers

# A bot token, in a URL or alone: any token the settings would accept.
_TOKEN_RE = re.compile(rf"(?<!\d){TOKEN_PATTERN}")


def redact(text: str) -> str:
    """Replace secrets and personal numbers (every format the NIK and phone parsers accept,
    see bot.pii) in a log text."""
    return redact_personal_numbers(_TOKEN_RE.sub("<token>", text))


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
