"""Telegram outages as long polling sees them: one line when they start, one when they end.

python-telegram-bot's `Application.run_polling` calls getUpdates in a loop that never gives
up (telegram.ext._utils.networkloop.network_retry_loop): after a failure it waits 1 s, then
1.5 times longer each time, at most 30 s. A `TimedOut` or `RetryAfter` is retried quietly;
every other `TelegramError` goes to `Updater.start_polling`'s `error_callback`, which
run_polling sets to "hand it to the application's error handlers, with update=None". During
an outage that was one ERROR with a traceback, plus a report to the staff chat (which also
failed), per retry.

`WatchedRequest` wraps the request object that only getUpdates uses
(ApplicationBuilder.get_updates_request) and tells a `PollingWatch` about every answer and
every failure. The watch logs one WARNING when getUpdates starts failing and one INFO
("Telegram reachable again after N s") when Telegram answers again. handlers/errors.py asks
`PollingWatch.is_outage_error` and stays quiet for those errors; everything else (a bug in a
handler, a 409 Conflict because a second copy of the bot polls, a 400) still reaches the
error handler, the log and the staff chat as before.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from telegram.error import BadRequest, NetworkError
from telegram.request import BaseRequest, RequestData

from bot.clock import Clock

logger = logging.getLogger(__name__)


def is_network_error(error: object) -> bool:
    """A failure to talk to Telegram (no connection, a lost one, a timeout, a 5xx), as opposed
    to an answer about the request itself (BadRequest is a NetworkError subclass in PTB)."""
    return isinstance(error, NetworkError) and not isinstance(error, BadRequest)


def _describe(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    cause = error.__cause__
    if cause is not None and type(cause).__name__ not in text:
        text = f"{text} ({type(cause).__name__})"
    return text


class PollingWatch:
    """Is getUpdates reaching Telegram? Logs the start and the end of each outage once."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.down_since: datetime | None = None
        self.failures = 0  # failed getUpdates calls in the current outage

    @property
    def down(self) -> bool:
        return self.down_since is not None

    def failed(self, reason: str) -> None:
        self.failures += 1
        if self.down_since is None:
            self.down_since = self.clock.now()
            logger.warning(
                "Telegram cannot be reached (getUpdates: %s); polling keeps trying quietly "
                "until it answers again",
                reason,
            )
        else:
            logger.debug("getUpdates failed again (%s): %s", self.failures, reason)

    def answered(self) -> None:
        if self.down_since is None:
            return
        seconds = (self.clock.now() - self.down_since).total_seconds()
        logger.info(
            "Telegram reachable again after %.0f s (%s failed getUpdates calls)",
            seconds,
            self.failures,
        )
        self.down_since = None
        self.failures = 0

    def is_outage_error(self, error: object, *, from_polling: bool) -> bool:
        """Whether the error handler may skip this error: a network error of getUpdates
        (`from_polling`: it came without an update, job or task, as the Updater's do)
        while the watch knows of an outage, so it has been logged already."""
        return from_polling and self.down and is_network_error(error)


class WatchedRequest(BaseRequest):
    """A BaseRequest that passes everything to `inner` and reports each outcome to `watch`.

    For getUpdates only (ApplicationBuilder.get_updates_request): any HTTP answer below 500
    means Telegram is reachable; a transport failure or a 5xx means it is not.
    """

    def __init__(self, inner: BaseRequest, watch: PollingWatch) -> None:
        self.inner = inner
        self.watch = watch

    @property
    def read_timeout(self) -> float | None:
        return self.inner.read_timeout

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        try:
            status, payload = await self.inner.do_request(
                url,
                method,
                request_data,
                read_timeout=read_timeout,
                write_timeout=write_timeout,
                connect_timeout=connect_timeout,
                pool_timeout=pool_timeout,
            )
        except Exception as exc:  # re-raised: python-telegram-bot handles it as before
            self.watch.failed(_describe(exc))
            raise
        if status >= 500:
            self.watch.failed(f"HTTP {status}")
        else:
            self.watch.answered()
        return status, payload
