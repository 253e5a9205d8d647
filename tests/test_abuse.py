"""Issue 14: a handful of accounts cannot silence the bot.

Forged callback data and command arguments are parsed by one strict parser that cannot
raise (bot/callbacks.py); error reports never hold an update slot and are grouped and capped
(bot/errorreports.py); a flooding user's queued updates hold at most one slot and are dropped
before taking one (bot/updates.py); a press whose answerCallbackQuery fails is still carried
out (handlers/ui.answer_quietly).

The concurrency tests run updates through the Application's own update queue and update
processor (sakpore_sim.harness.UpdateQueue). Calls to the staff group or to the flooder's chat are
held at the simulator's gate: they stand for Telegram's group limit and a slow chat, without
sleeping. A wait_for timeout only turns a stuck bot into a failure.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from bot import callbacks
from bot.clock import FakeClock
from sakpore_sim.harness import Harness, UpdateQueue
from sakpore_sim.simulator import SimUser
from tests.conftest import STAFF_CHAT_ID

STUCK = 5.0  # seconds: far more than any answer here needs


def _error_reports(h: Harness) -> list[str]:
    return [m.plain for m in h.sim.bot_messages(STAFF_CHAT_ID) if m.plain.startswith("⚠️ Error")]


# ---- the parser -------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["²", "١٢", "12x", "", "-1", " 1", "1" * 13, "１２"])
def test_number_refuses_all_but_ascii_digits(text: str) -> None:
    assert callbacks.number(text) is None


def test_number_and_formats_round_trip() -> None:
    assert callbacks.number("0042") == 42
    data = callbacks.REG_DELETE_CONFIRM.pack(123)
    parsed = callbacks.REG_DELETE_CONFIRM.parse(data)
    assert parsed is not None and parsed.num(0) == 123
    assert callbacks.PD_SET.parse(callbacks.PD_SET.pack(9, "d", -1)) is not None
    with pytest.raises(ValueError):
        callbacks.FAQ_TOPIC.pack("Not A Key")


FORGED = [
    "rgx:confirm:²",
    "bc:opt:²",
    "bc:at:²",
    "bc:stop:²",
    "faq:v:²:+",
    "faq:s:١:iuran",
    "ho:reply:²",
    "pd:go:²",
    "pd:set:²:d:1",
    "staf:rm:²",
    "rem:day:²",
    "rem:time:²²²²",
    "rem:paid:²０２６-01",
    "rg:abc:consent:yes:extra",
    "rgx:confirm:" + "9" * 60,
]


@pytest.mark.parametrize("data", FORGED)
def test_no_format_parses_forged_data(data: str) -> None:
    formats = [v for v in vars(callbacks).values() if isinstance(v, callbacks.Format)]
    assert [f for f in formats if f.parse(data) is not None] == []


async def test_forged_callbacks_and_arguments_cause_no_error(
    make_settings: Any, clock: FakeClock
) -> None:
    async with Harness.create(make_settings(), clock) as h:
        user, admin = h.user(1001), h.user(1)
        await user.send("/start")
        await admin.send("/start")
        for data in FORGED:
            await user.press_data(data)
            await admin.press_data(data)
        await admin.send("/pertanyaan ²")
        await admin.send("/staf tambah ²")
        await admin.send("/pendaftar SKP-²")
        await h.deps.error_reports.idle()
        assert _error_reports(h) == []


# ---- error reports hold no slot, and are grouped and capped -----------------------------


async def test_forged_presses_do_not_delay_an_unrelated_user(
    make_settings: Any, clock: FakeClock
) -> None:
    """Five accounts press `rgx:confirm:²` 30 times each while posts to the staff group do
    not get through (Telegram's group limit); someone else's question is answered anyway."""
    settings = make_settings(concurrent_updates=4)
    async with Harness.create(settings, clock, start_jobs=True) as h:
        queue = UpdateQueue(h)
        h.sim.hold(lambda method, params: params.get("chat_id") == STAFF_CHAT_ID)
        attackers = [SimUser(2000 + i, "Eve", "id") for i in range(5)]
        pressed = []
        for attacker in attackers:
            await h.user(attacker.id).send("/start")
            menu = h.sim.bot_messages(attacker.id)[-1]
            for _ in range(30):
                pressed.append(await queue.put(h.sim.callback(attacker, menu, "rgx:confirm:²")))
        sri = h.user(1002, "Sri")
        answered = await queue.put(h.sim.user_message(sri.user, text="/bantuan"))
        try:
            await asyncio.wait_for(answered, STUCK)
            assert len(sri.messages()) == 1
            await asyncio.wait_for(asyncio.gather(*pressed), STUCK)
        finally:
            h.sim.release()
        await h.deps.error_reports.idle()
        assert _error_reports(h) == []


async def test_errors_while_the_staff_group_is_held_do_not_delay_an_unrelated_user(
    make_settings: Any, clock: FakeClock
) -> None:
    """Handlers that really raise (every send to five users' chats fails) while posts to the
    staff group do not get through: the report waits in the queue, not in a handler's slot,
    and someone else is answered at once. After the group is free, one report per kind."""
    settings = make_settings(concurrent_updates=4)
    async with Harness.create(settings, clock, start_jobs=True) as h:
        queue = UpdateQueue(h)
        h.sim.hold(lambda method, params: params.get("chat_id") == STAFF_CHAT_ID)
        failing = [SimUser(2000 + i, "Eve", "id") for i in range(5)]
        for user in failing:
            h.sim.fail("server_error", chat_id=user.id, times=None)
        handled = [
            await queue.put(h.sim.user_message(user, text="/bantuan"))
            for user in failing
            for _ in range(10)
        ]
        sri = h.user(1002, "Sri")
        answered = await queue.put(h.sim.user_message(sri.user, text="/bantuan"))
        try:
            await asyncio.wait_for(answered, STUCK)
            assert len(sri.messages()) == 1
            await asyncio.wait_for(asyncio.gather(*handled), STUCK)
            assert h.deps.error_reports.pending + len(h.sim.held) >= 1  # reported, waiting
        finally:
            h.sim.release()
        await asyncio.wait_for(h.deps.error_reports.idle(), STUCK)
        reports = _error_reports(h)
        assert len(reports) == 1 and "update" in reports[0], reports


async def test_identical_errors_are_reported_once_per_window_with_a_count(
    make_settings: Any, clock: FakeClock
) -> None:
    """A user whose chat fails every send makes 40 errors: one report (not 40), and when the
    window ends one more post with the count."""
    async with Harness.create(make_settings(), clock) as h:
        budi = h.user(1001)
        h.sim.fail("server_error", chat_id=budi.id, times=None)
        for _ in range(40):
            await budi.send("/bantuan")
        await h.deps.error_reports.idle()
        reports = _error_reports(h)
        assert len(reports) == 1 and "update" in reports[0]
        clock.advance(timedelta(minutes=11))
        await h.deps.error_reports.flush(h.app.bot)
        reports = _error_reports(h)
        assert len(reports) == 2 and "39 more time(s)" in reports[1]


# ---- a flooding user ----------------------------------------------------------------------


async def test_a_flooders_backlog_does_not_delay_another_user(
    make_settings: Any, clock: FakeClock
) -> None:
    """1,000 queued updates of one account, whose replies are slow (held): another user is
    answered at once, and the flooder's excess is dropped without being handled."""
    settings = make_settings(flood_max_per_minute=30)
    async with Harness.create(settings, clock, start_jobs=True) as h:
        queue = UpdateQueue(h)
        flooder = SimUser(3001, "Spam", "id")
        h.sim.hold(lambda method, params: params.get("chat_id") == flooder.id)
        for _ in range(1000):
            await queue.put(h.sim.user_message(flooder, text="/bantuan"))
        sri = h.user(1002, "Sri")
        answered = await queue.put(h.sim.user_message(sri.user, text="/bantuan"))
        processor = h.app.update_processor
        try:
            await asyncio.wait_for(answered, STUCK)
            assert len(sri.messages()) == 1
            assert processor.current_concurrent_updates <= 1  # the flooder's held update
        finally:
            h.sim.release()
        await asyncio.wait_for(h.app.update_queue.join(), STUCK)
        assert len(h.sim.bot_messages(flooder.id)) == 31  # 30 answers and one slow-down notice
        assert getattr(processor, "dropped", 0) >= 1000 - 31


# ---- answerCallbackQuery fails ------------------------------------------------------------


def _fail_answers(h: Harness) -> None:
    h.sim.fail("bad_request", method="answerCallbackQuery", times=None)


async def test_presses_are_carried_out_when_answering_them_fails(
    make_settings: Any, clock: FakeClock
) -> None:
    """'query is too old' (after downtime or a backlog): every button still does its job."""
    async with Harness.create(make_settings(), clock) as h:
        budi = h.user(1001)
        await budi.send("/start")
        _fail_answers(h)
        for label, expected in [
            ("Bantuan", "/daftar"),
            ("Tanya program", "topik"),
            ("Pengingat iuran", "tanggal"),
        ]:
            await budi.send("/start")
            replies = await budi.press(label)
            assert replies and expected in replies[-1].plain.lower(), (label, replies)
        await budi.send("/topik")
        topic = budi.last().inline_buttons[0]["callback_data"]
        replies = await budi.press_data(topic)
        assert replies, "the topic's answer"
        vote = next(
            b["callback_data"]
            for b in budi.last().inline_buttons
            if callbacks.FAQ_VOTE.parse(b["callback_data"])
        )
        await budi.press_data(vote)
        assert h.deps.db is not None
        rows = await h.deps.db.fetchall("SELECT vote FROM questions WHERE vote IS NOT NULL")
        assert len(rows) == 1
        await budi.send("/bahasa")
        await budi.press("English")
        assert "English" in budi.last().plain
        await h.deps.error_reports.idle()
        assert _error_reports(h) == []
