"""Thin Telegram adapters, one module per feature. Order matters: first match wins."""

from __future__ import annotations

from bot.context import SakporeApp
from handlers import broadcast, common, errors, fallback, staff, start

# The command menu shown by Telegram, in this order.
USER_COMMANDS: list[tuple[str, str]] = [*start.COMMANDS]
# Shown, after the user commands, only in staff members' and admins' own chats
# (BotCommandScopeChat, see handlers/staff.py); admins also get ADMIN_COMMANDS.
STAFF_COMMANDS: list[tuple[str, str]] = [*broadcast.COMMANDS]
ADMIN_COMMANDS: list[tuple[str, str]] = [*staff.COMMANDS]


def register_all(app: SakporeApp) -> None:
    """Add every handler in an explicit order; the catch-all handlers come last."""
    common.register(app)
    start.register(app)
    staff.register(app)
    broadcast.register(app)
    fallback.register(app)
    errors.register(app)


def start_workers(app: SakporeApp) -> None:
    """Start the periodic background jobs."""
    settings = app.bot_data["deps"].settings
    if app.job_queue is not None:
        # Looks for due broadcasts and (re)starts the delivery engine; see handlers/broadcast.py.
        app.job_queue.run_repeating(
            broadcast.broadcast_job,
            interval=settings.worker_interval_seconds,
            first=1,
            name="broadcasts",
        )
