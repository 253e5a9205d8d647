"""Error reports (bot/errorreports.py): the task survives, flushes at stop, waits out a
RetryAfter; reports are capped and kept apart by kind (review findings 6, 20, 22).

The staff chat here is a small stand-in for Telegram's Bot (it records posts, or fails or
waits as told); the reporter is the real one. A wait_for timeout only turns a stuck task into
a failure.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.clock import FakeClock
from bot.errorreports import ErrorReporter

STUCK = 5.0
STAFF = -100500


class StaffChat:
    """Stands in for telegram.Bot.send_message: records posts; `fail` holds exceptions to
    raise first; `gate`, when set, makes every post wait for it."""

    def __init__(self, *fail: BaseException) -> None:
        self.fail = list(fail)
        self.posts: list[str] = []
        self.gate: asyncio.Event | None = None

    async def send_message(self, chat_id: int, text: str, **kwargs: Any) -> SimpleNamespace:
        if self.gate is not None:
            await self.gate.wait()
        if self.fail:
            raise self.fail.pop(0)
        self.posts.append(text)
        return SimpleNamespace(message_id=len(self.posts))  # what safe_send reads of a Message


def _error(name: str) -> Exception:
    """A raised (so traced) exception of its own type: one kind per name."""
    try:
        raise type(name, (Exception,), {})(f"{name} happened")
    except Exception as error:
        return error


def _reporter(clock: FakeClock | None = None, **kwargs: Any) -> ErrorReporter:
    return ErrorReporter(clock or FakeClock(), STAFF, **kwargs)


async def _idle(reporter: ErrorReporter) -> None:
    await asyncio.wait_for(reporter.idle(), STUCK)


async def test_the_task_survives_a_post_that_raises() -> None:
    """Not a TelegramError (a bug, a closed connection...): logged, and the next report still
    goes out."""
    chat = StaffChat(RuntimeError("connection closed"))
    reporter = _reporter()
    reporter.start(chat)
    try:
        reporter.submit(_error("First"), 1, 1001)
        await _idle(reporter)
        reporter.submit(_error("Second"), 2, 1001)
        await _idle(reporter)
        assert len(chat.posts) == 1 and "Second" in chat.posts[0]
    finally:
        await reporter.stop()


class _FailingClock(FakeClock):
    """Raises once when told to, as any bug in a flush round might."""

    def __init__(self) -> None:
        super().__init__()
        self.fail_next = False
        self.failed = asyncio.Event()

    def now(self) -> datetime:
        if self.fail_next:
            self.fail_next = False
            self.failed.set()
            raise RuntimeError("a bug in the round")
        return super().now()


async def test_the_task_survives_a_round_that_raises(caplog: pytest.LogCaptureFixture) -> None:
    clock = _FailingClock()
    chat = StaffChat()
    reporter = _reporter(clock)
    reporter.start(chat)
    try:
        reporter.submit(_error("First"), 1, 1001)
        clock.fail_next = True
        await asyncio.wait_for(clock.failed.wait(), STUCK)
        reporter.submit(_error("Second"), 2, 1001)
        await _idle(reporter)
        assert [("First" in p, "Second" in p) for p in chat.posts] == [
            (True, False),
            (False, True),
        ]
        assert "a round failed" in caplog.text
    finally:
        await reporter.stop()


async def test_stop_posts_what_is_still_queued() -> None:
    chat = StaffChat()
    reporter = _reporter()
    reporter.start(chat)
    reporter.submit(_error("AtShutdown"), 1, 1001)
    await reporter.stop()
    assert len(chat.posts) == 1 and "AtShutdown" in chat.posts[0]


async def test_stop_gives_up_after_its_timeout(caplog: pytest.LogCaptureFixture) -> None:
    """A staff group that does not answer cannot hold the shutdown."""
    chat = StaffChat()
    chat.gate = asyncio.Event()  # never set
    reporter = _reporter(stop_timeout=0.05)
    reporter.start(chat)
    reporter.submit(_error("Stuck"), 1, 1001)
    await asyncio.wait_for(reporter.stop(), STUCK)
    assert chat.posts == [] and "1 not posted at shutdown" in caplog.text


async def test_a_retry_after_is_waited_out_and_the_report_posted() -> None:
    """The group limit, still there after the rate limiter's one retry."""
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    chat = StaffChat(RetryAfter(30))
    reporter = _reporter(sleep=sleep)
    reporter.submit(_error("Limited"), 1, 1001)
    assert await reporter.flush(chat) == 1
    assert waits == [30.0] and len(chat.posts) == 1


async def test_a_second_retry_after_drops_the_report(caplog: pytest.LogCaptureFixture) -> None:
    async def sleep(seconds: float) -> None:
        pass

    chat = StaffChat(RetryAfter(30), RetryAfter(30))
    reporter = _reporter(sleep=sleep)
    reporter.submit(_error("Limited"), 1, 1001)
    reporter.submit(_error("Next"), 2, 1001)
    assert await reporter.flush(chat) == 1
    assert "Next" in chat.posts[0] and "flood control twice" in caplog.text


async def test_at_most_max_pending_reports_wait_and_the_rest_are_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    reporter = _reporter(per_minute=None)  # no share of the group's minute: the cap alone
    with caplog.at_level(logging.WARNING, logger="bot.errorreports"):
        for i in range(25):
            reporter.submit(_error(f"Kind{i}"), i, 1001)
    assert reporter.pending == 20 and reporter.dropped == 5
    assert caplog.text.count("error report not queued: 20 reports are waiting") == 5
    chat = StaffChat()
    assert await reporter.flush(chat) == 20
    assert [f"Kind{i}" in post for i, post in enumerate(chat.posts)] == [True] * 20


async def test_each_kind_is_reported_and_counted_on_its_own() -> None:
    clock = FakeClock()
    reporter = _reporter(clock)
    for _ in range(3):
        reporter.submit(_error("Often"), 1, 1001)
    reporter.submit(_error("Once"), 2, 1002)
    chat = StaffChat()
    await reporter.flush(chat)
    assert len(chat.posts) == 2
    assert "Often" in chat.posts[0] and "Once" in chat.posts[1]
    clock.advance(timedelta(minutes=11))
    await reporter.flush(chat)
    assert len(chat.posts) == 3
    assert "Often" in chat.posts[2] and "2 more time(s)" in chat.posts[2]
