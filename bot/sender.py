"""safe_send(): the one way proactive messages (reminders, broadcasts, hand-offs) leave the bot.

It never raises for Telegram's answers; it classifies them so the caller can record the
outcome in SQLite and decide whether to try again:

* SENT          - delivered; `message_id` is set.
* BLOCKED       - 403: the user blocked the bot (or deleted their account); marked in `users`.
* RETRY_LATER   - 429 after the rate limiter's own retry, a 5xx answer, or a request that
                  never left (connection refused or its connect timed out: `unreachable`);
                  Telegram did not take the message, so it is safe to send again later.
* UNCERTAIN     - a timeout after the request went out, or the connection lost before an
                  answer came back: Telegram may have delivered it. Callers that promise
                  "never twice" must not resend these.
* FAILED        - a permanent error (400: chat not found, bad markup...); do not retry.

Rate limiting and the first retry after a 429 are done by python-telegram-bot's
AIORateLimiter (configured in bot/app.py), not by hand.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
from telegram import InlineKeyboardMarkup, InputFile, Message, ReplyKeyboardRemove
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

if TYPE_CHECKING:
    from telegram.ext import ExtBot

    from bot.store.users import UserRepo

logger = logging.getLogger(__name__)


# Transport failures (python-telegram-bot's HTTP client is httpx) after which the request
# cannot have reached Telegram: no connection was made (refused, or the connect timed out),
# or none was free in our own pool, so sending again is safe. Any other lost connection
# (read error, read timeout, "server disconnected without sending a response") can come
# after Telegram received the request and delivered the message.
_NOT_SENT = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.ProxyError,
    httpx.UnsupportedProtocol,
    httpx.LocalProtocolError,
)
# Of those, the ones that mean "Telegram cannot be reached at all right now".
_UNREACHABLE = (httpx.ConnectError, httpx.ConnectTimeout, httpx.ProxyError)


def _never_sent(exc: NetworkError) -> bool:
    return isinstance(exc.__cause__, _NOT_SENT)


def _may_have_arrived(exc: NetworkError) -> bool:
    """A NetworkError from a connection lost mid-request (not an HTTP answer such as a 5xx)."""
    cause = exc.__cause__
    return cause is not None and not isinstance(cause, _NOT_SENT)


class Outcome(enum.StrEnum):
    SENT = "sent"
    BLOCKED = "blocked"
    RETRY_LATER = "retry_later"
    UNCERTAIN = "uncertain"
    FAILED = "failed"


@dataclass(frozen=True)
class SendResult:
    outcome: Outcome
    message_id: int | None = None
    retry_after: float | None = None
    error: str | None = None
    # RETRY_LATER because Telegram could not be reached at all (no connection): it says
    # nothing about this recipient, so callers need not count it as their failed try.
    unreachable: bool = False

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.SENT


async def safe_send(
    bot: ExtBot[Any],
    chat_id: int,
    text: str,
    *,
    reply_markup: InlineKeyboardMarkup | ReplyKeyboardRemove | None = None,
    photo: str | bytes | InputFile | None = None,
    document: str | bytes | InputFile | None = None,
    filename: str | None = None,
    users: UserRepo | None = None,
    rate_limit_args: int | None = None,
) -> SendResult:
    """Send a text (or a photo/document with `text` as caption) and classify the outcome.

    `photo`/`document` may be a Telegram file id. `rate_limit_args=bot.ratelimit.NO_RETRY`
    skips the rate limiter's own retry after a 429, so the caller sees RETRY_LATER at once.
    """
    try:
        message: Message
        if photo is not None:
            message = await bot.send_photo(
                chat_id,
                photo,
                caption=text or None,
                reply_markup=reply_markup,
                rate_limit_args=rate_limit_args,
            )
        elif document is not None:
            message = await bot.send_document(
                chat_id,
                document,
                caption=text or None,
                reply_markup=reply_markup,
                filename=filename,
                rate_limit_args=rate_limit_args,
            )
        else:
            message = await bot.send_message(
                chat_id,
                text,
                reply_markup=reply_markup,
                link_preview_options=None,
                rate_limit_args=rate_limit_args,
            )
    except Forbidden as exc:
        logger.info("chat %s blocked the bot: %s", chat_id, exc.message)
        if users is not None:
            await users.mark_blocked(chat_id)
        return SendResult(Outcome.BLOCKED, error=exc.message)
    except RetryAfter as exc:
        seconds = exc.retry_after
        wait = seconds if isinstance(seconds, int | float) else seconds.total_seconds()
        logger.warning("flood limit for chat %s: retry after %s s", chat_id, wait)
        return SendResult(Outcome.RETRY_LATER, retry_after=float(wait), error=exc.message)
    except TimedOut as exc:
        if _never_sent(exc):
            cause = type(exc.__cause__).__name__
            logger.warning("send to chat %s did not leave (%s); safe to retry", chat_id, cause)
            return SendResult(
                Outcome.RETRY_LATER,
                error=exc.message,
                unreachable=isinstance(exc.__cause__, _UNREACHABLE),
            )
        logger.warning("send to chat %s timed out; delivery unknown", chat_id)
        return SendResult(Outcome.UNCERTAIN, error=exc.message)
    except BadRequest as exc:
        logger.warning("send to chat %s refused: %s", chat_id, exc.message)
        return SendResult(Outcome.FAILED, error=exc.message)
    except NetworkError as exc:
        if _may_have_arrived(exc):
            logger.warning("send to chat %s: connection lost; delivery unknown", chat_id)
            return SendResult(Outcome.UNCERTAIN, error=exc.message)
        logger.warning("send to chat %s failed (transient): %s", chat_id, exc.message)
        return SendResult(
            Outcome.RETRY_LATER,
            error=exc.message,
            unreachable=isinstance(exc.__cause__, _UNREACHABLE),
        )
    return SendResult(Outcome.SENT, message_id=message.message_id)
