"""Thin Telegram adapters, one module per feature. Order matters: first match wins."""

from __future__ import annotations

from bot.context import SakporeApp
from handlers import common, errors, fallback, registration, start

# The command menu shown by Telegram, in this order.
USER_COMMANDS: list[tuple[str, str]] = [*start.COMMANDS, *registration.COMMANDS]


def register_all(app: SakporeApp) -> None:
    """Add every handler in an explicit order; the catch-all handlers come last."""
    common.register(app)
    registration.register(app)  # before start: its /start daftar deep link wins
    start.register(app)
    registration.register_fallbacks(app)  # after every feature's own /batal
    fallback.register(app)
    errors.register(app)


def start_workers(app: SakporeApp) -> None:
    """Start the periodic background jobs."""
    registration.start_jobs(app)
