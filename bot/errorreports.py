"""Error reports to the staff chat: from a queue, outside the handlers, grouped and capped.

The error handler only calls `submit()`, which never waits: a post to the staff group can
wait a long time (Telegram allows a group about 20 messages a minute), and an update that
waited for it would hold one of the CONCURRENT_UPDATES slots. A background task posts.

Errors are grouped by kind (exception type and the innermost line of our code), as error
trackers do: the first of a kind is reported at once with its traceback; further ones
within `window` (10 minutes) are only counted, and the count is posted when the window
ends. So a kind costs at most about one post per window, however often it happens, and at
most `max_pending` posts wait at any time (more are dropped, with a log line).

The task never dies: a failed post is logged and the next one tried, and anything else that
goes wrong in a round is logged and the task goes on. A RetryAfter (the group limit, after
the rate limiter's own retry) is waited out and the post tried once more. `stop()` (at
post_stop, while the bot can still send) posts what is still queued, within
`stop_timeout` seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from telegram.error import RetryAfter, TelegramError

from bot.clock import Clock
from bot.logging_setup import redact

logger = logging.getLogger(__name__)

WINDOW = timedelta(minutes=10)
MAX_PENDING = 20
TRACEBACK_LIMIT = 3500
IDLE_CHECK_SECONDS = 60.0  # how often window ends are looked for when nothing happens
STOP_TIMEOUT_SECONDS = 10.0  # the last flush at shutdown
MAX_RETRY_AFTER_SECONDS = 300.0  # a longer RetryAfter is waited this long, then tried once
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
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        stop_timeout: float = STOP_TIMEOUT_SECONDS,
    ) -> None:
        self.clock = clock
        self.chat_id = chat_id
        self.window = window
        self.max_pending = max_pending
        self.sleep = sleep  # waits out a RetryAfter (tests pass their own)
        self.stop_timeout = stop_timeout
        self._bot: Any = None
        self._kinds: dict[str, _Kind] = {}
        self._pending: list[str] = []
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._task: asyncio.Task[None] | None = None
        self._flushing = asyncio.Lock()  # one flush at a time: a post is tried once
        self._stopping = False
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
            self._bot = bot
            self._task = asyncio.create_task(self._run(bot), name="error-reports")

    async def stop(self) -> None:
        """End the task, then post what is still queued once (at most `stop_timeout`)."""
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping = True  # the loop ends even if a cancel is lost in a wake-up
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, TimeoutError):
            await asyncio.wait_for(task, self.stop_timeout)
        if not self._pending:
            return
        try:
            await asyncio.wait_for(self.flush(self._bot), self.stop_timeout)
        except TimeoutError:
            pass
        except Exception:
            logger.exception("error reports: the last flush failed")
        if self._pending:
            logger.warning("error reports: %s not posted at shutdown", len(self._pending))

    async def _run(self, bot: Any) -> None:
        while not self._stopping:
            # asyncio.timeout, not wait_for: wait_for (3.11) can swallow a cancel that
            # arrives as the event is set.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(IDLE_CHECK_SECONDS):
                    await self._wake.wait()
            self._wake.clear()
            try:
                await self.flush(bot)
            except Exception:  # whatever it was, the next report must still go out
                logger.exception("error reports: a round failed; the task goes on")

    async def flush(self, bot: Any) -> int:
        """Post what is queued (and the counts of windows that ended); the number posted.
        A post that fails is logged and dropped; the others still go."""
        async with self._flushing:
            return await self._flush(bot)

    async def _flush(self, bot: Any) -> int:
        posted = 0
        try:
            self._summarise_ended(self.clock.now())
            while self._pending:
                # Taken off the queue only once tried: a post in flight when stop() cancels
                # the task is tried again by stop()'s flush.
                text = self._pending[0]
                try:
                    sent = await self._post(bot, text)
                except Exception:
                    logger.exception("could not report an error to the staff chat")
                    sent = False
                self._pending.pop(0)
                if sent:
                    posted += 1
                    self.posted += 1
        finally:
            if not self._pending:
                self._idle.set()
        return posted

    async def _post(self, bot: Any, text: str) -> bool:
        """One report; a RetryAfter is waited out and the post tried once more."""
        for attempt in range(2):
            try:
                await bot.send_message(self.chat_id, text)
                return True
            except RetryAfter as error:
                if attempt:
                    break
                delay = error.retry_after
                seconds = delay.total_seconds() if isinstance(delay, timedelta) else float(delay)
                await self.sleep(min(seconds, MAX_RETRY_AFTER_SECONDS))
            except TelegramError:
                logger.warning("could not report an error to the staff chat", exc_info=True)
                return False
        logger.warning("could not report an error to the staff chat: flood control twice")
        return False

    async def idle(self) -> None:
        """Until nothing is waiting to be posted (for tests and benchmarks)."""
        await self._idle.wait()

    @property
    def pending(self) -> int:
        return len(self._pending)
