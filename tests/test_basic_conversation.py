"""End-to-end: /start, deep links, /bahasa, /berhenti, /mulai, /bantuan, odd input, errors."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import CommandHandler

from bot.clock import FakeClock
from bot.context import BotContext
from sakpore_sim.harness import Harness
from sakpore_sim.simulator import SimUser
from tests.conftest import STAFF_CHAT_ID


async def test_start_stores_user_and_shows_menu(harness: Harness) -> None:
    budi = harness.user(1001, "Budi")
    replies = await budi.send("/start")
    assert len(replies) == 1
    welcome = replies[0]
    assert "Halo, Budi" in welcome.plain
    assert "Rp16.800" in welcome.plain
    assert welcome.buttons == [
        "❓ Tanya program",
        "📝 Daftar minat",  # issue 17: not "Daftar", it does not enrol anyone in BPJS
        "⏰ Pengingat iuran",
        "ℹ️ Bantuan",
    ]
    user = await harness.deps.users.get(1001)
    assert user is not None
    assert user.first_name == "Budi" and user.language == "id"
    assert user.first_seen == harness.clock.now()
    assert user.start_payload is None and not user.opted_out


async def test_deep_link_payload_recorded_once(harness: Harness) -> None:
    siti = harness.user(1002, "Siti")
    await siti.send("/start poster_medono")
    await siti.send("/start poster_kauman")
    user = await harness.deps.users.get(1002)
    assert user is not None and user.start_payload == "poster_medono"


async def test_name_with_html_is_escaped(harness: Harness) -> None:
    odd = harness.user(1003, "<b>Joko</b> & co")
    replies = await odd.send("/start")
    assert "Halo, <b>Joko</b> & co" in replies[0].plain


async def test_language_from_telegram_and_unknown_falls_back_to_indonesian(
    harness: Harness,
) -> None:
    english = harness.user(1004, "Ann", language_code="en-GB")
    assert "Hello, Ann" in (await english.send("/start"))[0].plain
    javanese = harness.user(1005, "Tono", language_code="jv")
    assert "Halo, Tono" in (await javanese.send("/start"))[0].plain
    nobody = harness.user(1006, "X", language_code=None)
    assert "Halo, X" in (await nobody.send("/start"))[0].plain


async def test_bahasa_switches_and_is_stored(harness: Harness) -> None:
    budi = harness.user(1001)
    replies = await budi.send("/bahasa")
    assert replies[0].buttons == ["Bahasa Indonesia", "English"]
    replies = await budi.press("English")
    assert "I will speak English" in replies[-1].plain
    user = await harness.deps.users.get(1001)
    assert user is not None and user.language == "en"
    assert "Hello" in (await budi.send("/start"))[0].plain
    await budi.send("/bahasa")
    await budi.press("lang:id")
    assert "Halo" in (await budi.send("/start"))[0].plain


async def test_berhenti_and_mulai(harness: Harness) -> None:
    budi = harness.user(1001)
    await budi.send("/start")
    replies = await budi.send("/berhenti")
    assert "tidak akan menerima pengumuman" in replies[0].plain
    assert (await harness.deps.users.get(1001)).opted_out  # type: ignore[union-attr]
    replies = await budi.send("/berhenti")
    assert "sudah berhenti" in replies[0].plain
    replies = await budi.send("/mulai")
    assert "menerima pengumuman program lagi" in replies[0].plain
    assert not (await harness.deps.users.get(1001)).opted_out  # type: ignore[union-attr]


async def test_bantuan_lists_commands_and_only_configured_contacts(
    make_settings: Any, clock: Any
) -> None:
    async with Harness.create(make_settings(), clock) as h:
        text = (await h.user().send("/bantuan"))[0].plain
        assert "/bahasa" in text and "/berhenti" in text
        assert "Kontak petugas" not in text  # nothing configured, nothing invented
    settings = make_settings(contact_phone="(0285) 000-TEST", contact_hours="Senin–Jumat")
    async with Harness.create(settings, clock) as h:
        text = (await h.user().send("/bantuan"))[0].plain
        assert "Kontak petugas" in text and "(0285) 000-TEST" in text


async def test_menu_help_button(harness: Harness) -> None:
    budi = harness.user()
    await budi.send("/start")
    replies = await budi.press("Bantuan")
    assert "/bantuan" in replies[-1].plain


async def test_unknown_command_sticker_photo_voice_get_polite_hints(harness: Harness) -> None:
    budi = harness.user()
    replies = await budi.send("/apaini <script>")
    assert replies and "/apaini" in replies[0].plain and "/bantuan" in replies[0].plain
    for action in (budi.send_sticker, budi.send_photo, budi.send_voice):
        replies = await action()
        assert len(replies) == 1
        assert "hanya bisa membaca pesan teks" in replies[0].plain


async def test_stale_button_is_answered(harness: Harness) -> None:
    budi = harness.user()
    await budi.send("/start")
    await budi.press_data("nonsense:123")
    assert budi.callback_answer() is not None
    assert "tidak berlaku" in (budi.callback_answer() or "")


async def test_commands_published_in_both_languages(harness: Harness) -> None:
    default = harness.sim.commands["default|"]
    english = harness.sim.commands["default|en"]
    assert [c["command"] for c in default] == [c["command"] for c in english]
    assert {"start", "bantuan", "bahasa", "berhenti", "mulai"} <= {c["command"] for c in default}
    start_id = next(c for c in default if c["command"] == "start")["description"]
    start_en = next(c for c in english if c["command"] == "start")["description"]
    assert start_id == "Menu utama" and start_en == "Main menu"


async def test_error_handler_reports_to_staff_and_apologises(harness: Harness) -> None:
    async def boom(update: Update, context: BotContext) -> None:
        raise RuntimeError("kaboom <b>& secret 3375011201900012")

    harness.app.add_handler(CommandHandler("boom", boom), group=-1)
    budi = harness.user()
    replies = await budi.send("/boom")
    assert any("ada gangguan" in m.plain for m in replies)
    reports = harness.sim.bot_messages(STAFF_CHAT_ID)
    assert len(reports) == 1
    assert "RuntimeError" in reports[0].plain and "kaboom <b>&" in reports[0].plain
    assert "3375011201900012" not in reports[0].plain  # NIK redacted


async def test_group_chat_only_start_gets_a_private_link(harness: Harness) -> None:
    sim = harness.sim
    member = SimUser(2001, "Ani")
    group = -100777
    await harness.process(sim.user_message(member, text="halo semua", chat_id=group))
    assert sim.bot_messages(group) == []
    await harness.process(sim.user_message(member, text="/start", chat_id=group))
    [answer] = sim.bot_messages(group)
    assert "t.me/" in answer.plain
    assert await harness.deps.users.get(2001) is None  # group members are not stored


async def test_edited_messages_are_ignored(harness: Harness) -> None:
    budi = harness.user()
    await budi.send("/start")
    before = harness.sim.sent_count(budi.id)
    message = harness.sim.user_message(budi.user, text="/start")
    await harness.process(
        {"update_id": 999, "edited_message": {**message["message"], "edit_date": 1}}
    )
    assert harness.sim.sent_count(budi.id) == before


async def test_user_blocking_the_bot_is_recorded_and_writing_again_clears_it(
    harness: Harness,
) -> None:
    budi = harness.user()
    await budi.send("/start")
    now = int(harness.clock.now().timestamp())
    chat = {"id": budi.id, "type": "private", "first_name": "Budi"}
    bot_user = {"id": 1, "is_bot": True, "first_name": "Sakpore Bot"}
    await harness.process(
        {
            "update_id": 500,
            "my_chat_member": {
                "chat": chat,
                "from": budi.user.to_json(),
                "date": now,
                "old_chat_member": {"user": bot_user, "status": "member"},
                "new_chat_member": {"user": bot_user, "status": "kicked", "until_date": 0},
            },
        }
    )
    user = await harness.deps.users.get(budi.id)
    assert user is not None and user.blocked_at is not None
    await budi.send("/start")
    user = await harness.deps.users.get(budi.id)
    assert user is not None and user.blocked_at is None


async def test_last_seen_is_written_at_most_once_a_minute(
    harness: Harness, clock: FakeClock
) -> None:
    """Every update records the person; within a minute of the last write the row is not
    written again (bot/store/users.py), but a new name or a language change is never missed."""
    budi = harness.user(1001, "Budi")
    await budi.send("/start")
    first = harness.clock.now()
    clock.advance(seconds=59)
    await budi.send("halo")
    user = await harness.deps.users.get(1001)
    assert user is not None and user.last_seen == first
    clock.advance(seconds=1)
    await budi.send("halo lagi")
    user = await harness.deps.users.get(1001)
    assert user is not None and user.last_seen == harness.clock.now()

    # Within the minute: a changed Telegram name is stored, /bahasa takes effect at once.
    renamed = harness.user(1001, "Budi Santoso")
    await renamed.send("halo")
    user = await harness.deps.users.get(1001)
    assert user is not None and user.first_name == "Budi Santoso"
    await renamed.send("/bahasa")
    await renamed.press("English")
    assert "help" in (await renamed.send("/bantuan"))[-1].plain.lower()
