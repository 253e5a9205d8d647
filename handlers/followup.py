"""Issue 17 follow-through: the outbox worker's job (status messages, the daily digest)."""

from __future__ import annotations

from bot.context import BotContext, SakporeApp


async def run_outbox(context: BotContext) -> None:
    """The outbox worker: one run sends what is due (see bot/outbox.py)."""
    await context.deps.outbox.tick(context.bot)


def register(app: SakporeApp) -> None:
    """No handlers yet."""


def start_jobs(app: SakporeApp) -> None:
    """A repeating run, and one as soon as the JobQueue starts (rows a crash left behind,
    messages that fell due while the bot was down)."""
    assert app.job_queue is not None
    interval = app.bot_data["deps"].settings.worker_interval_seconds
    app.job_queue.run_repeating(run_outbox, interval=interval, first=interval, name="outbox")
    app.job_queue.run_once(
        run_outbox, when=0, name="outbox-catch-up", job_kwargs={"misfire_grace_time": None}
    )
