"""Error reports to the staff chat: from a queue, outside the handlers, grouped and capped.

The error handler only calls `submit()`, which never waits: a post to the staff group can
wait a long time (Telegram allows a group about 20 messages a minute), and an update that
waited for it would hold one of the CONCURRENT_UPDATES slots. A background task posts.

Errors are grouped by kind (exception type and the innermost line of our code), as error
trackers do: the first of a kind is reported at once with its traceback; further ones
within `window` (10 minutes) are only counted, and the count is posted when the window
ends. So a kind costs at most about one post per window, however often it happens, and at
most `max_pending` posts wait at any time (more are dropped, with a log line).

Hand-offs come first. The staff group gets the users' questions too, under the same limit of
about 20 messages a minute; a burst of reports must never delay one. So reports (and the
staff notices queued with `notify()`) use at most `per_minute` posts in any minute
(`PER_MINUTE`, 8: the other 12 of the group's 20 stay free for hand-off posts); more wait in
the queue for the next minute. They are sent through `bot.sender.safe_send`, the project's
one path for 429/403/5xx, without the rate limiter's own retry (`NO_RETRY`): a RetryAfter
would pause every call of the bot, hand-offs included, while the limiter waited it out.

The task never dies: a failed post is logged and the next one tried, and anything else that
goes wrong in a round is logged and the task goes on. A RetryAfter (the group limit) is
waited out by this task alone and the post tried once more. `stop()` (at post_stop, while
the bot can still send) posts what is still queued, whatever the share, within
`stop_timeout` seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import traceback
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bot.clock import Clock
from bot.logging_setup import redact
from bot.ratelimit import NO_RETRY
from bot.sender import Outcome, safe_send

logger = logging.getLogger(__name__)

WINDOW = timedelta(minutes=10)
MAX_PENDING = 20
TRACEBACK_LIMIT = 3500
IDLE_CHECK_SECONDS = 60.0  # how often window ends are looked for when nothing happens
STOP_TIMEOUT_SECONDS = 10.0  # the last flush at shutdown
MAX_RETRY_AFTER_SECONDS = 300.0  # a longer RetryAfter is waited this long, then tried once
PER_MINUTE = 8  # of the staff group's ~20 posts a minute; the rest is for hand-off posts
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
    label: str = ""  # the first line of the count's post (HTML)


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
        per_minute: int | None = PER_MINUTE,
    ) -> None:
        self.clock = clock
        self.chat_id = chat_id
        self.window = window
        self.max_pending = max_pending
        self.sleep = sleep  # waits out a RetryAfter (tests pass their own)
        self.stop_timeout = stop_timeout
        self.per_minute = per_minute  # None: no share (all queued posts go at once)
        self._recent: deque[datetime] = deque()  # when the last `per_minute` posts went
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
        if not self._first_in_window(kind, f"⚠️ <b>Error</b> {html.escape(kind)}"):
            return
        tb = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        tb = redact(tb)[-TRACEBACK_LIMIT:]
        self._queue(
            f"⚠️ <b>Error</b> {html.escape(kind)}\nupdate {update_id} user {user_id}\n"
            f"<pre>{html.escape(tb)}</pre>"
        )

    def notify(self, text: str, kind: str | None = None) -> None:
        """Queue a notice for the staff group (HTML), posted like a report: outside the
        handler, within the reports' share of the group's budget. Never waits. Notices of
        one `kind` are grouped as errors are: the first posted, later ones in the window
        counted, and the count posted when it ends."""
        if self.chat_id is None:
            return
        if kind is not None and not self._first_in_window(kind, f"⚠️ {html.escape(kind)}"):
            return
        self._queue(text)

    def _first_in_window(self, kind: str, label: str) -> bool:
        """Whether `kind` is the first of its kind in the current window (then it opens one,
        summarised under `label` when it ends); a later one is only counted."""
        now = self.clock.now()
        self._summarise_ended(now)
        known = self._kinds.get(kind)
        if known is not None:
            known.unreported += 1
            return False
        self._kinds[kind] = _Kind(now, label=label)
        return True

    def _summarise_ended(self, now: datetime) -> None:
        """Windows that ended: post their counts, forget the kinds."""
        for kind, known in list(self._kinds.items()):
            if now - known.window_start < self.window:
                continue
            del self._kinds[kind]
            if known.unreported:
                minutes = int(self.window.total_seconds() // 60)
                self._queue(
                    f"{known.label}\n"
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
            await asyncio.wait_for(self.flush(self._bot, everything=True), self.stop_timeout)
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
                async with asyncio.timeout(self._next_check()):
                    await self._wake.wait()
            self._wake.clear()
            try:
                await self.flush(bot)
            except Exception:  # whatever it was, the next report must still go out
                logger.exception("error reports: a round failed; the task goes on")

    def _next_check(self) -> float:
        """Seconds until the next look: when the share frees up, else IDLE_CHECK_SECONDS."""
        full = self.per_minute is not None and len(self._recent) >= self.per_minute
        try:
            if self._pending and full and self._share_used(self.clock.now()):
                ends = self._recent[0] + timedelta(minutes=1) - self.clock.now()
                return min(IDLE_CHECK_SECONDS, max(1.0, ends.total_seconds()))
        except Exception:  # the loop must go on (the round will log what is wrong)
            logger.debug("error reports: next check unknown", exc_info=True)
        return IDLE_CHECK_SECONDS

    def _share_used(self, now: datetime) -> bool:
        """Whether `per_minute` posts went out in the last minute (hand-offs keep the rest)."""
        while self._recent and now - self._recent[0] >= timedelta(minutes=1):
            self._recent.popleft()
        return self.per_minute is not None and len(self._recent) >= self.per_minute

    async def flush(self, bot: Any, *, everything: bool = False) -> int:
        """Post what is queued (and the counts of windows that ended), within the share of
        the minute unless `everything` (at shutdown); the number posted. A post that fails
        is logged and dropped; the others still go."""
        async with self._flushing:
            return await self._flush(bot, everything)

    async def _flush(self, bot: Any, everything: bool = False) -> int:
        posted = 0
        try:
            self._summarise_ended(self.clock.now())
            while self._pending and (everything or not self._share_used(self.clock.now())):
                # Taken off the queue only once tried: a post in flight when stop() cancels
                # the task is tried again by stop()'s flush.
                text = self._pending[0]
                try:
                    sent = await self._post(bot, text)
                except Exception:
                    logger.exception("could not report an error to the staff chat")
                    sent = False
                self._pending.pop(0)
                self._recent.append(self.clock.now())
                if sent:
                    posted += 1
                    self.posted += 1
        finally:
            if not self._pending or self._share_used(self.clock.now()):
                self._idle.set()
        return posted

    async def _post(self, bot: Any, text: str) -> bool:
        """One report, through safe_send; a RetryAfter is waited out and the post tried
        once more. Anything else Telegram answers is logged by safe_send and dropped."""
        assert self.chat_id is not None
        for attempt in range(2):
            result = await safe_send(bot, self.chat_id, text, rate_limit_args=NO_RETRY)
            if result.ok:
                return True
            if result.outcome is not Outcome.RETRY_LATER or result.retry_after is None:
                logger.warning("could not report an error to the staff chat: %s", result.outcome)
                return False
            if attempt:
                break
            await self.sleep(min(result.retry_after, MAX_RETRY_AFTER_SECONDS))
        logger.warning("could not report an error to the staff chat: flood control twice")
        return False

    async def idle(self) -> None:
        """Until nothing is waiting that could be posted now: the queue is empty, or what is
        left waits for the next minute's share (for tests and benchmarks)."""
        await self._idle.wait()

    @property
    def pending(self) -> int:
        return len(self._pending)
