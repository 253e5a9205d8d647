"""Thin Telegram adapters, one module per feature. Order matters: first match wins."""

from __future__ import annotations

from bot.context import SakporeApp
from handlers import common, errors, fallback, faq, start

# The command menu shown by Telegram, in this order.
USER_COMMANDS: list[tuple[str, str]] = [*start.COMMANDS, *faq.COMMANDS]


def register_all(app: SakporeApp) -> None:
    """Add every handler in an explicit order; the catch-all handlers come last."""
    common.register(app)
    start.register(app)
    faq.register(app)  # the catch-all free-text handler: after every feature, before fallback
    fallback.register(app)
    errors.register(app)


def start_workers(app: SakporeApp) -> None:
    """Start the periodic background jobs (none in the foundation)."""
    return None
