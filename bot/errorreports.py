"""Error reports to the staff chat: from a queue, outside the handlers, grouped and capped.

The error handler only calls `submit()`, which never waits: a post to the staff group can
wait a long time (Telegram allows a group about 20 messages a minute), and an update that
waited for it would hold one of the CONCURRENT_UPDATES slots. A background task posts.

Errors are grouped by kind (exception type and the innermost line of our code), as error
trackers do: the first of a kind is reported at once with its traceback; further ones
within `window` (10 minutes) are only counted, and the count is posted when the window
ends. So a kind costs at most about one post per window, however often it happens, and at
most `max_pending` posts wait at any time.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import traceback
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.clock import Clock
from bot.logging_setup import redact

logger = logging.getLogger(__name__)

WINDOW = timedelta(minutes=10)
MAX_PENDING = 20
TRACEBACK_LIMIT = 3500
IDLE_CHECK_SECONDS = 60.0  # how often window ends are looked for when nothing happens
_PROJECT = Path(__file__).resolve().parents[1]


def kind_of(error: BaseException) -> str:
    """'ValueError at handlers/registration.py:921': the type and the innermost line of the
    project's own code (else the innermost line at all). An attacker can only produce as
    many kinds as there are such lines."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if Path(f.filename).resolve().is_relative_to(_PROJECT)]
    where = ""
    if ours or frames:
        frame = (ours or frames)[-1]
        path = Path(frame.filename).resolve()
        shown = path.relative_to(_PROJECT) if path.is_relative_to(_PROJECT) else path.name
        where = f" at {shown}:{frame.lineno}"
    return f"{type(error).__qualname__}{where}"


@dataclass
class _Kind:
    window_start: datetime
    unreported: int = 0  # occurrences in this window not posted yet


class ErrorReporter:
    """Queues error reports for the staff chat and posts them from one background task."""

    def __init__(
        self,
        clock: Clock,
        chat_id: int | None,
        window: timedelta = WINDOW,
        max_pending: int = MAX_PENDING,
    ) -> None:
        self.clock = clock
        self.chat_id = chat_id
        self.window = window
        self.max_pending = max_pending
        self._kinds: dict[str, _Kind] = {}
        self._pending: list[str] = []
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._task: asyncio.Task[None] | None = None
        self.posted = 0  # reports that reached the staff chat
        self.dropped = 0  # reports not queued because `max_pending` were waiting

    # ---- the handlers' side ------------------------------------------------------------

    def submit(self, error: BaseException, update_id: int | None, user_id: int | None) -> None:
        """Count the error; queue a report when it is the first of its kind in the window.
        Never waits and never raises."""
        if self.chat_id is None:
            return
        kind = kind_of(error)
        now = self.clock.now()
        self._summarise_ended(now)
        known = self._kinds.get(kind)
        if known is not None:
            known.unreported += 1
            return
        self._kinds[kind] = _Kind(now)
        tb = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        tb = redact(tb)[-TRACEBACK_LIMIT:]
        self._queue(
            f"⚠️ <b>Error</b> {html.escape(kind)}\nupdate {update_id} user {user_id}\n"
            f"<pre>{html.escape(tb)}</pre>"
        )

    def _summarise_ended(self, now: datetime) -> None:
        """Windows that ended: post their counts, forget the kinds."""
        for kind, known in list(self._kinds.items()):
            if now - known.window_start < self.window:
                continue
            del self._kinds[kind]
            if known.unreported:
                minutes = int(self.window.total_seconds() // 60)
                self._queue(
                    f"⚠️ <b>Error</b> {html.escape(kind)}\n"
                    f"{known.unreported} more time(s) in the {minutes} minutes after the "
                    "report above (not reported one by one)."
                )

    def _queue(self, text: str) -> None:
        if len(self._pending) >= self.max_pending:
            self.dropped += 1
            logger.warning("error report not queued: %s reports are waiting", self.max_pending)
            return
        self._pending.append(text)
        self._idle.clear()
        self._wake.set()

    # ---- the background task -----------------------------------------------------------

    def start(self, bot: Any) -> None:
        if self._task is None and self.chat_id is not None:
            self._task = asyncio.create_task(self._run(bot), name="error-reports")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self, bot: Any) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), IDLE_CHECK_SECONDS)
            self._wake.clear()
            await self.flush(bot)

    async def flush(self, bot: Any) -> int:
        """Post what is queued (and the counts of windows that ended); the number posted."""
        self._summarise_ended(self.clock.now())
        posted = 0
        try:
            while self._pending:
                text = self._pending.pop(0)
                try:
                    await bot.send_message(self.chat_id, text, parse_mode=ParseMode.HTML)
                except TelegramError:
                    logger.warning("could not report an error to the staff chat", exc_info=True)
                    continue
                posted += 1
                self.posted += 1
        finally:
            if not self._pending:
                self._idle.set()
        return posted

    async def idle(self) -> None:
        """Until nothing is waiting to be posted (for tests and benchmarks)."""
        await self._idle.wait()

    @property
    def pending(self) -> int:
        return len(self._pending)
