"""Telegram outages in-process: reminders pause bot-wide without using anyone's tries, the
broadcast progress message says why it waits, and a getUpdates outage is logged once, not
as an error report per retry. The real bot through the simulator; time is a FakeClock,
except for python-telegram-bot's own waits: its polling pauses (about 2.5 s in one test) and
the rate limiter's wait after a 429 (1 s in another)."""

from __future__ import annotations

import itertools
import logging
import re
from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from telegram.error import Conflict, TelegramError
from telegram.ext import MessageHandler, filters

from bot.broadcast import progress_text
from bot.clock import FakeClock
from bot.context import BotContext
from bot.reminders import OUTAGE_PROBE_SECONDS
from sakpore_sim.harness import Harness, UserDriver
from sakpore_sim.simulator import ApiCall, Fault, FaultKind, SimMessage, SimUser
from tests.conftest import STAFF_CHAT_ID
from tests.test_broadcast import send_now, start_users
from tests.test_reminders import reminders_of, set_reminder, stored, tick, wib

USERS = list(range(1001, 1006))
DUE = (2026, 1, 6, 7, 0)


def send_log(h: Harness) -> list[tuple[int, bool, datetime]]:
    """(chat, delivered?, fake time) of every sendMessage the bot makes from now on."""
    log: list[tuple[int, bool, datetime]] = []

    def listener(call: ApiCall, message: SimMessage | None) -> None:
        if call.method == "sendMessage":
            log.append((int(call.params["chat_id"]), call.ok, h.clock.now()))

    h.sim.on_message(listener)
    return log


# ---- reminders -------------------------------------------------------------------------------


async def assert_reminded_once_without_losing_a_try(h: Harness, u: UserDriver) -> None:
    row = await stored(h, u.id)
    assert row is not None and row.attempts == 0 and row.sent_month == "2026-01"
    assert len(reminders_of(u)) == 1


async def test_reminders_wait_out_an_outage_and_nobody_loses_a_try(
    harness: Harness, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    sim = harness.sim
    users = [harness.user(uid, f"U{uid}") for uid in USERS]
    for u in users:
        await set_reminder(u, "6", "07.00")
    sends = send_log(harness)

    def network_goes_down(call: ApiCall, message: SimMessage | None) -> None:
        delivered = sum(1 for _, ok, _ in sends if ok)
        if delivered == 2 and not sim.faults:  # in the middle of the run
            sim.fail("unreachable", method="sendMessage", times=None)

    sim.on_message(network_goes_down)
    caplog.set_level(logging.INFO, logger="bot.reminders")
    clock.set(wib(*DUE))
    report = await tick(harness)

    assert report.sent == 2
    assert report.retry_later == report.failed == report.uncertain == 0
    assert report.more_due
    probes = [(chat, at) for chat, ok, at in sends if not ok]
    # One try per pause, bot-wide, all through the run's budget (29 s): not a burst of three
    # failures one after the other, each row pushing back its own retry.
    assert report.released == len(probes) >= 5
    gaps = [(b - a).total_seconds() for (_, a), (_, b) in itertools.pairwise(probes)]
    assert all(gap >= OUTAGE_PROBE_SECONDS for gap in gaps), gaps
    assert len({chat for chat, _ in probes}) == 1  # always the oldest due row
    # The three not reached are exactly as before the run: due at 07.00, no try counted.
    waiting = [u for u in users if not reminders_of(u)]
    assert len(waiting) == 3
    for u in waiting:
        row = await stored(harness, u.id)
        assert row is not None
        assert (row.attempts, row.sent_month, row.due_month) == (0, None, "2026-01")
        assert row.next_due == wib(*DUE)
    pauses = [r for r in caplog.records if "reminders pause" in r.getMessage()]
    assert [r.levelname for r in pauses] == ["WARNING"]  # once per outage, not per probe

    # Telegram is back: the next run reminds everyone still waiting, exactly once.
    sim.clear_faults()
    sim.listeners.remove(network_goes_down)
    clock.advance(seconds=30)
    report = await tick(harness)
    assert report.sent == 3 and report.released == 0
    assert [len(reminders_of(u)) for u in users] == [1] * 5
    for u in users:
        row = await stored(harness, u.id)
        assert row is not None and row.sent_month == "2026-01" and row.attempts == 0
        assert row.next_due == wib(2026, 2, 6, 7, 0)
    assert any("reminders sending again" in r.getMessage() for r in caplog.records)
    for _ in range(3):
        clock.advance(hours=2)
        await tick(harness)
    assert Counter(chat for chat, ok, _ in sends if ok) == Counter(USERS)


async def test_reminders_resume_seconds_after_telegram_is_back(
    harness: Harness, clock: FakeClock
) -> None:
    users = [harness.user(uid, f"U{uid}") for uid in USERS]
    for u in users:
        await set_reminder(u, "6", "07.00")
    sends = send_log(harness)
    harness.sim.fail("unreachable", method="sendMessage", times=3)  # down for three probes
    clock.set(wib(*DUE))
    report = await tick(harness)

    assert report.released == 3 and report.sent == 5
    last_probe = max(at for _, ok, at in sends if not ok)
    first_back = min(at for _, ok, at in sends if ok)
    assert first_back - last_probe <= timedelta(seconds=OUTAGE_PROBE_SECONDS + 0.5)
    for u in users:
        await assert_reminded_once_without_losing_a_try(harness, u)


async def test_reminders_honour_telegrams_retry_after_without_counting_a_try(
    harness: Harness, clock: FakeClock
) -> None:
    u = harness.user()
    await set_reminder(u, "6", "07.00")
    sends = send_log(harness)
    # Two 429s: the rate limiter waits out the first (1 s of real time) and retries once.
    harness.sim.fail("retry_after", method="sendMessage", times=2, retry_after=1)
    clock.set(wib(*DUE))
    report = await tick(harness)

    assert report.released == 1 and report.sent == 1 and report.retry_later == 0
    [(_, _, refused)] = [s for s in sends if not s[1]][-1:]
    [(_, _, delivered)] = [s for s in sends if s[1]]
    assert delivered - refused >= timedelta(seconds=1)
    await assert_reminded_once_without_losing_a_try(harness, u)


async def test_a_server_error_still_counts_as_the_rows_own_try(
    harness: Harness, clock: FakeClock
) -> None:
    """Only 'unreachable' and 429 pause everyone; a 500 is this send's trouble (backoff)."""
    u = harness.user()
    await set_reminder(u, "6", "07.00")
    harness.sim.fail("server_error", chat_id=u.id, times=1)
    clock.set(wib(*DUE))
    report = await tick(harness)
    assert report.retry_later == 1 and report.released == 0 and report.sent == 0
    row = await stored(harness, u.id)
    assert (
        row is not None
        and row.attempts == 1
        and row.next_due
        == wib(*DUE) + timedelta(seconds=harness.deps.settings.reminder_retry_seconds)
    )


# ---- the broadcast progress message -------------------------------------------------------


async def progress_texts_during_a_pause(h: Harness, fault: FaultKind) -> list[str]:
    """A broadcast during which every recipient but the sender meets `fault`, until the
    sender's progress message shows the pause; every text that message showed."""
    sim = h.sim
    await start_users(h, USERS)
    admin = await send_now(h)
    texts: list[str] = []
    faults: list[Fault] = []

    def watch(call: ApiCall, message: SimMessage | None) -> None:
        text = str(call.params.get("text", ""))
        if call.method == "sendMessage" and call.ok and "Terkirim 0 dari" in text and not texts:
            texts.append(text)  # the progress message is out: now Telegram goes away
            for uid in USERS:
                faults.append(sim.fail(fault, chat_id=uid, times=None, retry_after=20))
        elif call.method == "editMessageText" and call.ok:
            texts.append(text)
            if "⏸" in text:  # the sender has seen the pause: Telegram is back
                for each in faults:
                    sim.clear_faults(each)

    sim.on_message(watch)
    assert await h.deps.broadcaster.run(h.app.bot)
    assert faults and texts, "no progress message"
    assert "Siaran #1 selesai" in admin.last().plain
    statuses = await h.deps.broadcaster.repo.deliveries(1)
    assert set(statuses.values()) == {"sent"}  # the pauses cost nobody their message
    return texts


async def test_progress_says_when_telegram_cannot_be_reached(harness: Harness) -> None:
    texts = await progress_texts_during_a_pause(harness, "unreachable")
    paused = [t for t in texts if "⏸" in t]
    assert paused, texts
    assert all(
        re.search(r"⏸ Telegram sedang tidak bisa dihubungi; dicoba lagi pukul \d\d\.\d\d WIB\.", t)
        for t in paused
    ), paused
    assert not any("meminta kita menunggu" in t for t in texts)


async def test_progress_says_when_telegram_asks_us_to_wait(harness: Harness) -> None:
    texts = await progress_texts_during_a_pause(harness, "retry_after")
    paused = [t for t in texts if "⏸" in t]
    assert paused, texts
    assert all("⏸ Telegram meminta kita menunggu; dikirim lagi pukul" in t for t in paused)
    assert not any("tidak bisa dihubungi" in t for t in texts)


async def test_the_two_pause_texts_in_english(harness: Harness) -> None:
    await start_users(harness, USERS)
    await send_now(harness)
    stored_broadcast = await harness.deps.broadcaster.repo.get(1)
    assert stored_broadcast is not None
    now = harness.clock.now()
    paused = replace(stored_broadcast, paused_until=now + timedelta(minutes=1))
    tr = harness.deps.i18n.get("en")
    network = progress_text(tr, paused, {"pending": 11}, now, 25, unreachable=True)
    assert "⏸ Telegram cannot be reached right now; trying again at 08:01 WIB." in network
    limited = progress_text(tr, paused, {"pending": 11}, now, 25)
    assert "⏸ Telegram asked us to wait; sending again at 08:01 WIB." in limited


# ---- getUpdates during an outage -------------------------------------------------------------


async def boom(update: object, context: BotContext) -> None:
    raise RuntimeError("a bug in a handler")


async def test_a_polling_outage_is_one_warning_not_an_error_per_retry(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """Polls as Application.run_polling does: its error_callback hands polling errors to the
    error handlers (update None). Two failed getUpdates (PTB waits 1 s, then 1.5 s)."""
    app, sim = harness.app, harness.sim
    assert app.updater is not None
    app.add_handler(MessageHandler(filters.Regex("^boom$"), boom), group=-99)
    caplog.set_level(logging.INFO)
    sim.fail("unreachable", method="getUpdates", times=2)
    visitor = SimUser(2001, "Tamu")
    sim.user_message(visitor, text="/start", queue=True)

    await app.start()

    def on_error(exc: TelegramError) -> None:
        app.create_task(app.process_error(error=exc, update=None))

    await app.updater.start_polling(timeout=1, error_callback=on_error)
    try:
        await sim.wait_for(lambda: bool(sim.bot_messages(visitor.id)), within=15)
        outage = [r for r in caplog.records if r.name == "bot.polling"]
        assert [r.levelname for r in outage] == ["WARNING", "INFO"], outage
        assert "Telegram cannot be reached" in outage[0].getMessage()
        assert "ConnectError" in outage[0].getMessage()
        assert re.search(r"Telegram reachable again after \d+ s", outage[1].getMessage())
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert sim.bot_messages(STAFF_CHAT_ID) == []  # no error report to the staff chat

        # A real bug in a handler still reaches the error handler and the staff chat ...
        await harness.user(1001).send("boom")
        await harness.deps.error_reports.idle()  # reports are posted from a queue
        errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert len(errors) == 1 and errors[0].name == "handlers.errors"
        assert "RuntimeError" in sim.bot_messages(STAFF_CHAT_ID)[-1].plain
        # ... and so does a polling error that is not an outage (a second copy polling).
        await app.process_error(update=None, error=Conflict("terminated by other getUpdates"))
        await harness.deps.error_reports.idle()
        assert "Conflict" in sim.bot_messages(STAFF_CHAT_ID)[-1].plain
    finally:
        await app.updater.stop()
        await app.stop()
