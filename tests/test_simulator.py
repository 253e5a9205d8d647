"""The simulator behaves like Telegram where it matters, and safe_send classifies its answers."""

from __future__ import annotations

import asyncio
import functools

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest

from bot.sender import Outcome, safe_send
from sakpore_sim.harness import Harness
from sakpore_sim.simulator import ApiError, SimUser, TelegramSimulator, parse_html


@pytest.mark.parametrize(
    ("html", "plain"),
    [
        ("<b>tebal</b> &amp; <i>miring</i>", "tebal & miring"),
        ('<a href="https://t.me/x">tautan</a>', "tautan"),
        ("&lt;script&gt; &#128512; &#x41;", "<script> 😀 A"),
        ("<pre><code>x</code></pre>", "x"),
    ],
)
def test_html_accepted(html: str, plain: str) -> None:
    assert parse_html(html) == plain


@pytest.mark.parametrize(
    "html",
    ["<div>x</div>", "<b>x", "<b>x</i>", "x </b>", "a < b", "a & b", "1 > 0", "<a>x</a>", "&nbsp;"],
)
def test_html_rejected(html: str) -> None:
    with pytest.raises(ApiError) as info:
        parse_html(html)
    assert info.value.code == 400


async def test_telegram_limits_are_enforced(harness: Harness) -> None:
    bot = harness.app.bot
    send = functools.partial(bot.send_message, parse_mode="HTML")
    with pytest.raises(BadRequest, match="too long"):
        await send(1001, "a" * 4097)
    await send(1001, "a" * 4096)
    with pytest.raises(BadRequest, match="empty"):
        await send(1001, "<b> </b>")
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="x" * 65)]])
        await send(1001, "ok", reply_markup=markup)
    message = await send(1001, "same")
    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_text(
            "same", chat_id=1001, message_id=message.message_id, parse_mode="HTML"
        )
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await send(1001, "<blink>x</blink>")


async def test_texts_without_parse_mode_html_are_refused(harness: Harness) -> None:
    """The bot writes every text as HTML; the Application's Defaults give every call the HTML
    parse mode. A text sent without it would show people the tags, so the simulator refuses it
    (html_only): losing the default fails the tests."""
    bot, sim = harness.app.bot, harness.sim
    message = await bot.send_message(1001, "<b>Iuran</b> &amp; denda")  # HTML by default
    assert sim.bot_messages(1001)[-1].plain == "Iuran & denda"
    with pytest.raises(BadRequest, match="without parse_mode"):
        await bot.send_message(1001, "<b>Iuran</b> &amp; denda", parse_mode=None)
    with pytest.raises(BadRequest, match="without parse_mode"):
        await bot.edit_message_text(
            "baru", chat_id=1001, message_id=message.message_id, parse_mode=None
        )
    plain = TelegramSimulator(harness.clock, html_only=False)  # a bot sending plain text
    status, _ = await plain.call("sendMessage", {"chat_id": 1001, "text": "<b>x</b>"})
    assert status == 200 and plain.bot_messages(1001)[-1].plain == "<b>x</b>"


async def test_safe_send_outcomes(harness: Harness) -> None:
    bot, sim, users = harness.app.bot, harness.sim, harness.deps.users
    budi = harness.user(1001)
    await budi.send("/start")

    assert (await safe_send(bot, 1001, "halo")).outcome is Outcome.SENT

    sim.fail("server_error", chat_id=1001)
    assert (await safe_send(bot, 1001, "halo")).outcome is Outcome.RETRY_LATER

    sim.fail("timeout", chat_id=1001, delivered=True)
    before = sim.sent_count(1001)
    result = await safe_send(bot, 1001, "halo")
    assert result.outcome is Outcome.UNCERTAIN
    assert sim.sent_count(1001) == before + 1  # it did arrive: never resend an UNCERTAIN

    sim.fail("bad_request", chat_id=1001)
    assert (await safe_send(bot, 1001, "halo")).outcome is Outcome.FAILED

    sim.block(1001)
    result = await safe_send(bot, 1001, "halo", users=users)
    assert result.outcome is Outcome.BLOCKED
    user = await users.get(1001)
    assert user is not None and user.blocked_at is not None
    sim.clear_faults()


async def test_retry_after_is_retried_once_by_the_rate_limiter_then_reported(
    harness: Harness,
) -> None:
    bot, sim = harness.app.bot, harness.sim
    sim.fail("retry_after", chat_id=1001, times=1, retry_after=1)
    assert (await safe_send(bot, 1001, "halo")).outcome is Outcome.SENT
    sim.fail("retry_after", chat_id=1001, times=2, retry_after=1)
    result = await safe_send(bot, 1001, "halo")
    assert result.outcome is Outcome.RETRY_LATER and result.retry_after == 1


async def test_long_polling_through_get_updates(settings, clock) -> None:  # type: ignore[no-untyped-def]
    """The real Updater polls the simulator's getUpdates and handles a queued /start."""
    async with Harness.create(settings, clock, start_jobs=True) as h:
        assert h.app.updater is not None
        await h.app.updater.start_polling(timeout=1, poll_interval=0)
        try:
            h.sim.user_message(SimUser(3001, "Rina"), text="/start", queue=True)
            await h.sim.wait_for(lambda: bool(h.sim.bot_messages(3001)), within=10)
            assert "Halo, Rina" in h.sim.bot_messages(3001)[0].plain
            # The offset was confirmed: the update is not delivered twice.
            await h.sim.wait_for(lambda: h.sim.pending_updates() == 0, within=10)
        finally:
            await h.app.updater.stop()
        assert len(h.sim.bot_messages(3001)) == 1


async def test_unknown_method_is_404(harness: Harness) -> None:
    from telegram.error import EndPointNotFound

    with pytest.raises(EndPointNotFound):
        await harness.app.bot.do_api_request("sendUnknownThing", api_kwargs={"chat_id": 1})


async def test_held_calls_stay_in_flight_until_released(harness: Harness) -> None:
    sim, bot = harness.sim, harness.app.bot
    sim.hold(lambda method, params: params.get("chat_id") == 1001)
    held = asyncio.create_task(bot.send_message(1001, "tertahan", parse_mode="HTML"))
    await sim.wait_for(lambda: len(sim.held) == 1)
    await bot.send_message(1002, "lewat", parse_mode="HTML")  # not held: arrives at once
    assert [m.plain for m in sim.bot_messages(1002)] == ["lewat"]
    assert not sim.bot_messages(1001) and not held.done()
    sim.release()
    await held
    assert [m.plain for m in sim.bot_messages(1001)] == ["tertahan"]
    assert not sim.held
