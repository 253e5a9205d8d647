"""The outbox worker: status messages and the daily digest, each sent exactly once (issue 17).

The same pattern as the reminders (bot/reminders.py) and broadcasts: a row first, then a
periodic worker (run by the JobQueue every WORKER_INTERVAL_SECONDS and once at start):

1. `before_run` hooks add rows that have come due by the clock (the daily digest).
2. In one transaction the worker takes the oldest due 'pending' row and marks it 'sending'
   *before* the send. A row still 'sending' when a run starts was in flight at a crash:
   Telegram may have delivered it, so it becomes 'uncertain' and is never sent again. A crash
   can lose at most that one message; it can never send one twice.
3. The row's kind renders the text at send time, in the recipient's language (a renderer that
   returns None cancels the row: the registration was deleted, nothing to report...).
4. `safe_send`, then the outcome is recorded: sent, uncertain (a timeout: never resent),
   failed (400), blocked (403). Only a clear "not delivered" puts the row back: a 5xx after a
   doubling wait (counted, at most MAX_ATTEMPTS), Telegram unreachable or a 429 without
   counting a try, and the run stops there (the next run tries again).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from telegram import InlineKeyboardMarkup

from bot.clock import Clock
from bot.config import Settings
from bot.reminders import SendWindow, Sleep, clock_sleep
from bot.sender import Outcome, safe_send
from bot.store.outbox import OutboxRepo, OutboxRow
from bot.store.users import UserRepo

if TYPE_CHECKING:
    from telegram.ext import ExtBot

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
RETRY_MAX = timedelta(hours=1)
OUTAGE_WAIT = timedelta(seconds=5)


@dataclass(frozen=True)
class Rendered:
    text: str
    markup: InlineKeyboardMarkup | None = None


Render = Callable[[OutboxRow], Awaitable[Rendered | None]]
Hook = Callable[[], Awaitable[None]]


@dataclass
class OutboxReport:
    sent: int = 0
    uncertain: int = 0
    failed: int = 0
    blocked: int = 0
    cancelled: int = 0
    retry_later: int = 0
    released: int = 0  # Telegram unreachable or asked to wait: back untouched, no try
    recovered: int = 0  # found 'sending' (a crash): now 'uncertain'
    busy: bool = False

    @property
    def anything(self) -> bool:
        counts = (self.sent, self.uncertain, self.failed, self.blocked, self.cancelled)
        return any(counts) or any((self.retry_later, self.released, self.recovered))


@dataclass
class Outbox:
    """Sends the outbox rows; features register how each kind of row is rendered."""

    settings: Settings
    clock: Clock
    repo: OutboxRepo
    users: UserRepo
    sleep: Sleep | None = None
    renderers: dict[str, Render] = field(default_factory=dict)
    before_run: list[Hook] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._sleep: Sleep = self.sleep or clock_sleep(self.clock)
        self.window = SendWindow(
            self.clock, self.settings.reminder_max_per_second, lambda s: self._sleep(s)
        )
        self._running = asyncio.Lock()

    def register(self, kind: str, render: Render) -> None:
        self.renderers[kind] = render

    async def tick(self, bot: ExtBot[Any], budget: timedelta | None = None) -> OutboxReport:
        """Send what is due, for at most `budget` (a little under one worker interval)."""
        if self._running.locked():
            return OutboxReport(busy=True)
        async with self._running:
            report = OutboxReport()
            # Only this worker marks rows 'sending', and runs never overlap: any found now
            # were in flight when the process died.
            report.recovered = await self.repo.recover()
            if report.recovered:
                logger.warning(
                    "%s outbox messages were in flight at a crash: uncertain", report.recovered
                )
            for hook in self.before_run:
                await hook()
            interval = self.settings.worker_interval_seconds
            budget = budget or timedelta(seconds=max(1.0, interval - 1.0))
            started = self.clock.now()
            while self.clock.now() - started < budget:
                await self.window.wait()
                row = await self.repo.claim(self.clock.now())
                if row is None:
                    break
                if not await self._deliver(bot, row, report):
                    break
            if report.anything:
                logger.info("outbox run: %s", report)
            return report

    async def _deliver(self, bot: ExtBot[Any], row: OutboxRow, report: OutboxReport) -> bool:
        """Render, send and record one claimed row; False: stop this run (Telegram away)."""
        render = self.renderers.get(row.kind)
        rendered = await render(row) if render is not None else None
        if rendered is None:
            await self.repo.finish(row.id, "cancelled", "nothing to send")
            report.cancelled += 1
            return True
        self.window.record()
        result = await safe_send(
            bot, row.chat_id, rendered.text, reply_markup=rendered.markup, users=self.users
        )
        now = self.clock.now()
        match result.outcome:
            case Outcome.SENT:
                await self.repo.finish(row.id, "sent")
                report.sent += 1
            case Outcome.UNCERTAIN:
                logger.warning("outbox %s message %s may not have arrived", row.kind, row.id)
                await self.repo.finish(row.id, "uncertain", result.error)
                report.uncertain += 1
            case Outcome.FAILED:
                logger.warning("outbox %s message %s refused: %s", row.kind, row.id, result.error)
                await self.repo.finish(row.id, "failed", result.error)
                report.failed += 1
            case Outcome.BLOCKED:
                await self.repo.finish(row.id, "blocked", result.error)
                report.blocked += 1
            case Outcome.RETRY_LATER if result.unreachable or result.retry_after is not None:
                wait = (
                    timedelta(seconds=result.retry_after)
                    if result.retry_after is not None
                    else OUTAGE_WAIT
                )
                await self.repo.put_back(row.id, now + wait, count_try=False)
                report.released += 1
                return False
            case _:  # RETRY_LATER: a 5xx, Telegram did not take it
                if row.attempts + 1 >= MAX_ATTEMPTS:
                    await self.repo.finish(row.id, "failed", f"gave up: {result.error}")
                    report.failed += 1
                else:
                    first = timedelta(seconds=self.settings.reminder_retry_seconds)
                    delay = min(first * (2**row.attempts), RETRY_MAX)
                    await self.repo.put_back(row.id, now + delay, count_try=True)
                    report.retry_later += 1
        return True
