"""python-telegram-bot's AIORateLimiter, plus a way to send once without its 429 retry.

AIORateLimiter caps every Bot API call (TELEGRAM_MAX_RATE) and, on a 429 (RetryAfter), pauses
*all* calls for `retry_after` seconds and then retries (`max_retries`). That is right for
replies to users, but not for a broadcast: the broadcast engine wants to see the RetryAfter
itself, pause only the broadcast (persisted, so a restart honours it), and let FAQ replies
carry on. AIORateLimiter reads `rate_limit_args` as "max retries", yet 0 cannot switch
retries off: ExtBot drops a falsy value and AIORateLimiter reads `rate_limit_args or
max_retries`. This subclass gives `rate_limit_args=NO_RETRY` (-1) that meaning, through
the public `process_request` override point only: the call still counts against the
overall rate; a RetryAfter is passed through unchanged, without sleeping and without
holding back other calls.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter

NO_RETRY = -1
"""`rate_limit_args` for a call that must not be retried by the rate limiter."""

_Result = bool | dict[str, Any] | list[dict[str, Any]]


class _PassThrough(Exception):
    """Carries a RetryAfter past AIORateLimiter's retry loop."""

    def __init__(self, error: RetryAfter) -> None:
        super().__init__(str(error))
        self.error = error


class SakporeRateLimiter(AIORateLimiter):
    """AIORateLimiter where `rate_limit_args=NO_RETRY` means: one try, RetryAfter raised."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, _Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> _Result:
        if rate_limit_args != NO_RETRY:
            return await super().process_request(
                callback, args, kwargs, endpoint, data, rate_limit_args
            )

        async def once(*a: Any, **kw: Any) -> _Result:
            try:
                return await callback(*a, **kw)
            except RetryAfter as exc:
                raise _PassThrough(exc) from exc

        try:
            return await super().process_request(once, args, kwargs, endpoint, data, None)
        except _PassThrough as wrapped:
            raise wrapped.error from None
