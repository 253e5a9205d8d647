"""Thin Telegram adapters, one module per feature. Order matters: first match wins."""

from __future__ import annotations

import logging
from typing import Any

from bot.context import BotContext, SakporeApp
from handlers import (
    broadcast,
    common,
    dialogs,
    errors,
    fallback,
    faq,
    followup,
    handoff,
    kb_edit,
    kb_staff,
    registration,
    reminders,
    staff,
    staff_tools,
    start,
)

logger = logging.getLogger(__name__)


# Every kind of dialogue, as it talks (handlers/dialogs.py); their kinds are in bot/app.py.
FLOWS: list[dialogs.Flow[Any]] = [
    reminders.FLOW,
    broadcast.FLOW,
    staff.FLOW,
    handoff.FLOW,
    kb_edit.FLOW,
    *registration.FLOWS,
]


def register_all(app: SakporeApp) -> None:
    """Add every handler in an explicit order; the catch-all handlers come last."""
    common.register(app)
    dialogs.register(app, FLOWS)
    registration.register(app)  # before start: its /start daftar deep link wins
    start.register(app)
    staff.register(app)
    broadcast.register(app)
    staff_tools.register(app)
    followup.register(app)
    kb_staff.register(app)
    kb_edit.register(app)
    handoff.register(app)
    reminders.register(app)
    registration.register_fallbacks(app)  # after every feature's own /batal
    faq.register(app)  # the catch-all free-text handler: after every feature, before fallback
    fallback.register(app)
    errors.register(app)


async def run_reminders(context: BotContext) -> None:
    """The reminder worker: one run sends what is due (see bot.reminders)."""
    await context.deps.reminders.tick(context.bot)


def start_workers(app: SakporeApp) -> None:
    """Start the periodic background jobs: a few fixed jobs, never one per user."""
    if app.job_queue is None:
        logger.warning("no JobQueue (install python-telegram-bot[job-queue]): workers off")
        return
    registration.start_jobs(app)
    handoff.start_jobs(app)
    followup.start_jobs(app)
    interval = app.bot_data["deps"].settings.worker_interval_seconds
    dialogs.start_jobs(app, interval, FLOWS)
    app.job_queue.run_repeating(run_reminders, interval=interval, first=interval, name="reminders")
    # A catch-up run as soon as the JobQueue starts: reminders that fell due while the bot was
    # down. (A repeating job's `first=0` would be lost: the scheduler starts after this call.)
    app.job_queue.run_once(
        run_reminders,
        when=0,
        name="reminders-catch-up",
        job_kwargs={"misfire_grace_time": None},
    )
    # Looks for due broadcasts and (re)starts the delivery engine; see handlers/broadcast.py.
    app.job_queue.run_repeating(
        broadcast.broadcast_job, interval=interval, first=1, name="broadcasts"
    )
