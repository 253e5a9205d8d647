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

import ast
import asyncio
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot import callbacks
from bot.clock import FakeClock
from sakpore_sim.harness import Harness, UpdateQueue
from sakpore_sim.simulator import SimUser
from tests.conftest import ADMIN_ID, STAFF_CHAT_ID

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


def test_a_word_with_a_capture_group_is_refused() -> None:
    """A group in a Word would shift every later field's position in `parse`."""
    with pytest.raises(ValueError, match="capture group"):
        callbacks.Word("(csv|xlsx)")
    assert callbacks.Format("t", callbacks.Word("(?:csv|xlsx)"), callbacks.Num()).parse("t:csv:1")


_PREFIXES = re.compile(r"^(?:menu|lang|rg|rgx|faq|ho|bc|staf|pd|ex|rem):")


def test_no_handler_writes_callback_data_by_hand() -> None:
    """Every callback format is packed and parsed in bot/callbacks.py only: no string in
    handlers/ (docstrings aside) starts with a format's prefix, as "menu:faq" or a
    startswith("bc:keep") that also took "bc:keepXYZ" did."""
    found = []
    for path in sorted(Path(__file__).resolve().parents[1].joinpath("handlers").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        found += [
            f"{path.name}:{node.lineno} {node.value!r}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and _PREFIXES.match(node.value)
        ]
    assert found == []


async def test_data_no_broadcast_format_parses_is_a_stale_button(
    make_settings: Any, clock: FakeClock
) -> None:
    """`bc:keepXYZ` used to pass a startswith("bc:keep") and was taken silently."""
    async with Harness.create(make_settings(), clock) as h:
        admin = h.user(ADMIN_ID)
        await admin.send("/start")
        seen: list[tuple[list[str], str | None]] = []
        for data in ("bc:keepXYZ", "bc:stop:1x", "bc:nothing"):
            replies = await admin.press_data(data)
            seen.append(([m.plain for m in replies], admin.callback_answer()))
        stale: tuple[list[str], str | None] = ([], STALE)
        assert seen == [stale] * 3


STALE = "Tombol ini sudah tidak berlaku. Silakan buka menu lagi: /start"


async def test_forged_callbacks_and_arguments_get_the_stale_or_usage_reply_and_no_error(
    make_settings: Any, clock: FakeClock
) -> None:
    """What each forged press and argument gets: the stale-button notice, or the command's
    reply as without the argument (`/pendaftar SKP-²`: not found); no error is reported."""
    async with Harness.create(make_settings(), clock) as h:
        user, admin = h.user(1001), h.user(ADMIN_ID)
        await user.send("/start")
        await admin.send("/start")
        for data in FORGED:
            for who in (user, admin):
                replies = await who.press_data(data)
                assert ([m.plain for m in replies], who.callback_answer()) == ([], STALE), data
        for command, plain in [
            ("/pertanyaan ²", "/pertanyaan"),
            ("/staf tambah ²", "/staf tambah"),
        ]:
            [forged] = await admin.send(command)
            [usual] = await admin.send(plain)
            assert forged.plain == usual.plain, command
        await admin.send("/batal")
        [missing] = await admin.send("/pendaftar SKP-²")
        assert missing.plain == "Pendaftaran SKP-² tidak ditemukan."
        await h.deps.error_reports.idle()
        assert (h.deps.error_reports.posted, h.deps.error_reports.pending) == (0, 0)
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


def _distinct_error(index: int) -> Exception:
    """A raised exception of a kind of its own (its type's name)."""
    try:
        raise type(f"Burst{index}", (Exception,), {})("boom")
    except Exception as error:
        return error


async def test_a_burst_of_error_reports_does_not_delay_a_hand_off_post(
    make_settings: Any, clock: FakeClock
) -> None:
    """Item C of the review: 20 distinct errors at once, with Telegram's real 20-a-minute
    group limit (the rate limiter on): the reports take their share of the minute and the
    rest wait, so a person's question still reaches the staff group at once."""
    async with Harness.create(make_settings(telegram_max_rate=30), clock, start_jobs=True) as h:
        reporter = h.deps.error_reports
        budi = h.user(1001, "Budi")
        await budi.send("/start")
        [unsure] = await budi.send("resep soto tauto")
        for index in range(20):
            reporter.submit(_distinct_error(index), index, 2000 + index)
        await asyncio.wait_for(reporter.idle(), STUCK)  # what may go now has gone
        await asyncio.wait_for(budi.press("Tanya petugas", unsure), 1.0)
        [post] = [m for m in h.sim.bot_messages(STAFF_CHAT_ID) if "#T1" in m.plain]
        assert "resep soto tauto" in post.plain
        assert "Sudah diteruskan ke petugas program (nomor #T1)" in budi.last().plain
        assert len(_error_reports(h)) == reporter.per_minute == 8
        assert reporter.pending == 12  # the rest wait for the next minute's share
        clock.advance(timedelta(minutes=1))
        await reporter.flush(h.app.bot)
        assert len(_error_reports(h)) == 16


async def test_a_flood_limit_on_an_error_report_does_not_pause_the_bot(
    make_settings: Any, clock: FakeClock
) -> None:
    """Item E: a report goes through safe_send without the rate limiter's own retry. That
    retry paused every call of the bot for `retry_after` seconds; now only the report waits."""
    async with Harness.create(make_settings(telegram_max_rate=30), clock, start_jobs=True) as h:
        h.sim.fail("retry_after", chat_id=STAFF_CHAT_ID, retry_after=3)
        h.deps.error_reports.submit(_distinct_error(0), 1, 2001)
        await h.sim.wait_for(lambda: any(c.error for c in h.sim.calls_to("sendMessage")), STUCK)
        sri = h.user(1002, "Sri")
        await asyncio.wait_for(sri.send("/bantuan"), 1.0)
        assert len(sri.messages()) == 1


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
