"""Button presses in the dialogues are answered in place: the pressed question turns into the
next one (one editMessageText, sent together with answerCallbackQuery) instead of losing its
buttons and a new message being sent. Falls back to a new message when the edit is refused."""

from __future__ import annotations

from typing import Any

from bot.clock import FakeClock
from bot.config import Settings
from sakpore_sim.harness import Harness, UserDriver
from sakpore_sim.simulator import SimMessage, TelegramSimulator
from tests.test_registration import step_of
from tests.test_registration import up_to_occupation as answer_up_to_occupation

KECAMATAN_QUESTION = "Di mana Anda tinggal? Pilih kecamatan Anda."


async def up_to_occupation(u: UserDriver) -> SimMessage:
    """Start a registration and answer up to the occupation question; return that question."""
    await answer_up_to_occupation(u)
    question = u.last()
    assert "(4/6)" in question.plain
    return question


def showing(u: UserDriver, text: str) -> list[SimMessage]:
    return [m for m in u.messages() if text in m.plain]


async def double_tap(h: Harness, u: UserDriver, message: SimMessage, label: str) -> None:
    """Two taps on one button that both reach the bot before the first is handled."""
    data = u.find_button(label, message)[1]["callback_data"]
    taps = [h.sim.callback(u.user, message, data), h.sim.callback(u.user, message, data)]
    for tap in taps:
        await h.process(tap)


async def test_a_press_costs_one_edit_answered_at_the_same_time(
    settings: Settings, clock: FakeClock
) -> None:
    class CountingSimulator(TelegramSimulator):
        """Records how many Bot API calls were in flight at once."""

        in_flight = 0
        most = 0

        async def call(self, api_method: str, params: dict[str, Any]) -> tuple[int, bytes]:
            self.in_flight += 1
            self.most = max(self.most, self.in_flight)
            try:
                return await super().call(api_method, params)
            finally:
                self.in_flight -= 1

    sim = CountingSimulator(clock, latency=0.01)
    async with Harness.create(settings, clock, sim=sim) as h:
        u = h.user(1001)
        question = await up_to_occupation(u)
        calls, sim.most = len(sim.calls), 0
        shown = await u.press_in_place("Pengayuh becak", question)
        methods = sorted(c.method for c in sim.calls[calls:])
        assert methods == ["answerCallbackQuery", "editMessageText"]  # nothing else
        assert sim.most == 2  # both calls were under way together
        assert shown.plain.startswith(f"✅ Pekerjaan: Pengayuh becak\n\n(5/6) {KECAMATAN_QUESTION}")
        assert all(call.ok for call in sim.calls)


async def test_a_double_tap_advances_once_and_asks_the_next_question_once(
    harness: Harness,
) -> None:
    u = harness.user(1001)
    question = await up_to_occupation(u)
    before = len(u.messages())
    await double_tap(harness, u, question, "Pengayuh becak")
    assert await step_of(harness, 1001) == "kecamatan"
    assert len(u.messages()) == before  # nothing new: the question itself was turned
    assert showing(u, KECAMATAN_QUESTION) == [question]
    assert u.callback_answer() == "Tombol itu untuk pertanyaan sebelumnya."  # the second tap
    row = await harness.deps.registrations.current(1001)
    assert row.draft is not None and row.draft.state.occupation == "pengayuh_becak"
    # The next question still works as usual
    await u.press_in_place("Pekalongan Barat", question)
    assert await step_of(harness, 1001) == "kelurahan"
    assert all(call.ok for call in harness.sim.calls)


async def test_a_double_tap_towards_the_phone_step_asks_once(harness: Harness) -> None:
    u = harness.user(1001)
    question = await up_to_occupation(u)
    await u.press("Pengayuh becak", question)
    await u.press("Pekalongan Barat")
    await u.press("Medono")
    await u.press("Belum")
    await u.press_in_place("Ubah")
    fields = u.last()
    assert "Jawaban mana yang mau diubah?" in fields.plain
    assert fields.plain.startswith("Nama: Siti Aminah\n")  # the data stays in view
    before = len(u.messages())
    await double_tap(harness, u, fields, "Nomor HP")
    # The phone question needs a reply keyboard, so it comes as a new message, once
    assert len(u.messages()) == before + 1
    phone = u.last()
    assert phone.reply_buttons[0]["request_contact"] is True
    assert fields.inline_buttons == []  # the answered question lost its buttons
    assert await step_of(harness, 1001) == "phone"
    assert all(call.ok for call in harness.sim.calls)


async def test_when_the_edit_is_refused_the_next_question_comes_as_a_new_message(
    harness: Harness,
) -> None:
    u = harness.user(1001)
    question = await up_to_occupation(u)
    # Telegram refuses the edit (e.g. the message was deleted)
    harness.sim.fail("bad_request", method="editMessageText", chat_id=1001)
    new = await u.press("Pengayuh becak", question)
    assert len(new) == 1 and KECAMATAN_QUESTION in new[0].plain
    assert question.inline_buttons == [] and "(4/6)" in question.plain
    assert await step_of(harness, 1001) == "kecamatan"
    assert len(showing(u, KECAMATAN_QUESTION)) == 1
    assert len(harness.sim.calls_to("answerCallbackQuery")) == 2  # consent and this press


async def test_message_not_modified_falls_back_to_a_new_message(harness: Harness) -> None:
    u = harness.user(1001)
    question = await up_to_occupation(u)
    row = (await harness.deps.registrations.current(1001)).draft
    assert row is not None
    forged = f"rg:{row.nonce}:occupation:nonsense"
    await u.press_data(forged, question)
    assert question.plain.startswith("⚠️ Silakan pilih salah satu tombol.\n\n(4/6)")
    # The same again: Telegram refuses an edit that changes nothing ("message is not
    # modified"), so the warning and the question come as a new message.
    new = await u.press_data(forged, question)
    assert len(new) == 1 and new[0].plain.startswith("⚠️ Silakan pilih salah satu tombol.")
    assert new[0].inline_buttons and question.inline_buttons == []
    assert await step_of(harness, 1001) == "occupation"
    failed = [c for c in harness.sim.calls if not c.ok]
    assert [c.method for c in failed] == ["editMessageText"]


async def test_a_failed_answer_does_not_lose_the_edit(harness: Harness) -> None:
    u = harness.user(1001)
    question = await up_to_occupation(u)
    harness.sim.fail("bad_request", method="answerCallbackQuery")  # e.g. query too old
    shown = await u.press_in_place("Pengayuh becak", question)
    assert KECAMATAN_QUESTION in shown.plain
    assert await step_of(harness, 1001) == "kecamatan"


async def test_consent_keeps_its_text_and_ubahdata_changes_in_place(harness: Harness) -> None:
    u = harness.user(1001)
    await up_to_occupation(u)
    for label in ("Pengayuh becak", "Pekalongan Barat", "Medono", "Belum", "Kirim"):
        await u.press_in_place(label)
    await u.send("/ubahdata")
    fields = u.last()
    shown = await u.press_in_place("Pekerjaan", fields)
    assert shown.plain.startswith("✏️ Pekerjaan\n\nApa pekerjaan utama Anda?")
    shown = await u.press_in_place("Ojek pangkalan", fields)
    assert shown.plain.startswith("✅ Pekerjaan: Ojek pangkalan\n\n✅ Tersimpan.")
    assert shown.buttons == ["✏️ Ubah data", "🗑 Hapus data"]
    reg = await harness.deps.registrations.registration(1001)
    assert reg is not None and reg.occupation == "ojek_pangkalan"


async def test_reminder_set_up_after_a_typed_day_answers_the_time_in_place(
    harness: Harness,
) -> None:
    u = harness.user(1001)
    await u.send("/pengingat")
    new = await u.send("10")  # typed: the time question is a new message
    assert len(new) == 1 and new[0].plain.startswith("✅ Setiap tanggal 10.\n\n⏰ Jam berapa?")
    done = await u.press_in_place("19.00", new[0])
    assert "setiap tanggal 10, pukul 19.00 WIB" in done.plain
    # A time question that cannot be edited any more: the confirmation comes as a new message
    await u.press("Ubah", done)
    await u.press_in_place("rem:day:15")
    harness.sim.fail("bad_request", method="editMessageText", chat_id=1001)
    new = await u.press("12.00")
    assert len(new) == 1 and "setiap tanggal 15, pukul 12.00 WIB" in new[0].plain
    reminder = await harness.deps.reminders.get(1001)
    assert reminder is not None and reminder.minute == 12 * 60
