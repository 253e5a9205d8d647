"""Registration of interest, end to end through the simulator (issue 4)."""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet

from bot import export
from bot.clock import FakeClock
from bot.config import ConfigError, Settings, load_settings
from bot.registration import mask_nik
from handlers import FLOWS
from handlers.dialogs import expire
from sakpore_sim.harness import Harness, UserDriver
from tests.conftest import ADMIN_ID, STAFF_CHAT_ID

# Test data only (a woman born 5 January 1990 in Kota Pekalongan; a man from Kabupaten
# Pekalongan); not real people.
NIK = "3375014501900012"
NIK_MAN = "3326011203850001"
PHONE = "081234567890"
PHONE_E164 = "+6281234567890"


async def up_to_occupation(
    u: UserDriver, *, name: str = "Siti Aminah", nik: str = NIK, phone: str = PHONE
) -> None:
    """Start a registration (consent given) and answer name, NIK and phone (typed): the
    occupation question comes next."""
    await u.send("/daftar")
    await u.press("Setuju")
    await u.send(name)
    await u.send(nik)
    await u.send(phone)


async def register(
    u: UserDriver,
    *,
    name: str = "Siti Aminah",
    nik: str = NIK,
    phone: str = PHONE,
    send: bool = True,
) -> None:
    """The happy path with buttons (phone typed)."""
    await up_to_occupation(u, name=name, nik=nik, phone=phone)
    await u.press("Pengayuh becak")
    await u.press("Pekalongan Barat")
    await u.press("Medono")
    await u.press("Belum")
    if send:
        await u.press("Kirim")


DRAFTS = "dialogs WHERE kind IN ('registration', 'registration_edit')"


async def step_of(h: Harness, user_id: int) -> str | None:
    """The step of the person's registration dialogue, as stored."""
    row = await h.deps.db.fetchone(f"SELECT step FROM {DRAFTS} AND user_id = :u", {"u": user_id})
    return str(row["step"]) if row else None


async def expire_drafts(h: Harness) -> int:
    """One run of the dialogues' expiry job."""
    return await expire(h.deps, h.app.bot, FLOWS)


async def count_rows(h: Harness, table: str) -> int:
    row = await h.deps.db.fetchone(f"SELECT COUNT(*) FROM {table}")
    assert row is not None
    return int(row[0])


def texts(messages: list[Any]) -> str:
    return "\n".join(m.plain for m in messages)


# ---- the happy path ------------------------------------------------------------------------


async def test_happy_path_stores_a_registration_and_answers_with_a_reference(
    harness: Harness,
) -> None:
    u = harness.user(1001)
    await u.send("/daftar")
    consent = u.last()
    assert "UU PDP" in consent.plain
    assert "/hapusdata" in consent.plain and "/datasaya" in consent.plain
    assert "Rp16.800" in consent.plain
    assert consent.buttons == ["✅ Setuju", "❌ Tidak setuju"]

    # The consent message stays readable, with the answer and the first question below it
    agreed = await u.press_in_place("Setuju")
    assert agreed is consent and "UU PDP" in agreed.plain and agreed.buttons == []
    assert "Apakah Anda setuju?\n\n✅ Setuju\n\nTerima kasih! 🙏\n\n(1/6)" in agreed.plain
    assert "nama lengkap" in agreed.plain
    await u.send("  Siti   Aminah ")
    assert "(2/6)" in u.last().plain
    await u.send("3375 0145.0190 0012")  # spaces and dots are tolerated
    phone_prompt = u.last()
    assert "(3/6)" in phone_prompt.plain
    share = phone_prompt.reply_buttons[0]
    assert share["text"] == "📱 Bagikan nomor" and share["request_contact"] is True

    new = await u.send_contact("6281234567890")  # Telegram sends no '+'
    assert new[0].plain == "✅ Nomor tersimpan: +62 812-3456-7890"
    assert new[0].reply_markup == {"remove_keyboard": True}
    assert "(4/6)" in new[1].plain
    assert "✏️ Lainnya (ketik)" in new[1].buttons
    # From here each press turns the question into the next one, the answer on top
    question = await u.press_in_place("Buruh batik")
    assert question is new[1]
    assert question.plain.startswith("✅ Pekerjaan: Buruh batik\n\n(5/6) ")
    assert u.last().buttons == [
        "Pekalongan Barat",
        "Pekalongan Timur",
        "Pekalongan Utara",
        "Pekalongan Selatan",
        "Luar Kota Pekalongan",
    ]
    question = await u.press_in_place("Pekalongan Selatan")
    assert question.plain.startswith("✅ Tempat tinggal: Pekalongan Selatan\n\n")
    assert u.last().buttons[:6] == [
        "Banyurip",
        "Buaran Kradenan",
        "Jenggot",
        "Kuripan Kertoharjo",
        "Kuripan Yosorejo",
        "Sokoduwet",
    ]
    question = await u.press_in_place("Jenggot")
    assert question.plain.startswith(
        "✅ Tempat tinggal: Kelurahan Jenggot, Kecamatan Pekalongan Selatan\n\n(6/6) "
    )
    question = await u.press_in_place("Tidak tahu")
    assert question.plain.startswith("✅ Status peserta BPJS: Tidak tahu\n\nMohon cek data Anda:")

    summary = u.last().plain
    assert "Siti Aminah" in summary
    assert "3375 •••• •••• 0012" in summary and NIK not in summary
    assert "+62 812-3456-7890" in summary
    assert "Buruh batik" in summary
    assert "Kelurahan Jenggot, Kecamatan Pekalongan Selatan" in summary
    assert u.last().buttons == ["📨 Kirim", "✏️ Ubah", "✖️ Batal"]

    done = await u.press_in_place("Kirim")
    assert "SKP-000001" in done.plain
    assert "petugas" in done.plain and "Rp16.800" in done.plain
    # The data sent stays visible above the thank-you (NIK masked)
    assert done.plain.startswith("Nama: Siti Aminah\nNIK: 3375 •••• •••• 0012\n")
    assert NIK not in done.plain
    assert done.buttons == ["⏰ Pasang pengingat iuran"]
    assert u.find_button("menu:pengingat")[1]["text"] == "⏰ Pasang pengingat iuran"
    # Five messages in all: consent (then the name question), NIK question, phone question,
    # "number saved", occupation question (then every later question, the summary and the
    # thank-you). Every press was answered.
    assert len(u.messages()) == 5
    assert len(harness.sim.calls_to("answerCallbackQuery")) == 6
    assert harness.sim.calls_to("editMessageReplyMarkup") == []
    assert all(call.ok for call in harness.sim.calls)

    reg = await harness.deps.registrations.registration(1001)
    assert reg is not None
    assert (reg.full_name, reg.nik, reg.phone) == ("Siti Aminah", NIK, PHONE_E164)
    assert (reg.occupation, reg.kecamatan, reg.kelurahan, reg.bpjs) == (
        "buruh_batik",
        "pekalongan_selatan",
        "Jenggot",
        "tidak_tahu",
    )
    assert reg.status == "baru" and reg.source == "command"
    assert reg.consent_version == "2026-01-v1"
    assert reg.consent_at == harness.clock.now().replace(microsecond=0)
    assert await count_rows(harness, DRAFTS) == 0


async def test_menu_button_and_deep_links_start_the_dialogue_and_keep_the_source(
    harness: Harness,
) -> None:
    a = harness.user(1001)
    await a.send("/start")
    await a.press("menu:daftar")
    assert "UU PDP" in a.last().plain
    assert await step_of(harness, 1001) == "consent"

    b = harness.user(1002)
    await b.send("/start DAFTAR_Kel_Medono")
    assert "UU PDP" in b.last().plain
    assert len(b.messages()) == 1  # no welcome text on top of the consent
    user = await harness.deps.users.get(1002)
    assert user is not None and user.start_payload == "DAFTAR_Kel_Medono"
    await register(b, nik=NIK_MAN)  # /daftar continues the same draft
    reg = await harness.deps.registrations.registration(1002)
    assert reg is not None and reg.source == "link:kel_medono"

    c = harness.user(1003)
    await c.send("/start daftar")
    assert "UU PDP" in c.last().plain
    # An ordinary /start still welcomes
    d = harness.user(1004)
    await d.send("/start poster_x")
    assert "Sakpore Bot" in d.last().plain


async def test_typed_labels_work_instead_of_buttons(harness: Harness) -> None:
    u = harness.user(1001)
    await u.send("/daftar")
    await u.send("setuju")
    await u.send("Budi Santoso")
    await u.send(NIK_MAN)
    await u.send("+62 812-3456-7890")
    await u.send("ojek pangkalan")
    await u.send("pekalongan utara")
    await u.send("panjang wetan")
    await u.send("sudah")
    assert await step_of(harness, 1001) == "summary"
    await u.send("kirim")
    reg = await harness.deps.registrations.registration(1001)
    assert reg is not None
    assert (reg.occupation, reg.kelurahan, reg.bpjs) == ("ojek_pangkalan", "Panjang Wetan", "ya")


async def test_other_occupation_and_outside_the_city_are_typed(harness: Harness) -> None:
    u = harness.user(1001)
    await up_to_occupation(u, name="Budi", nik=NIK_MAN)
    await u.press("Lainnya")
    await u.send("<b>")
    assert "huruf, angka" in u.last().plain
    await u.send("Penjahit rumahan")
    await u.press("Luar Kota Pekalongan")
    await u.send("Kabupaten Batang")
    await u.press("Ya, sudah")
    summary = u.last().plain
    assert "Penjahit rumahan" in summary and "luar Kota Pekalongan: Kabupaten Batang" in summary
    await u.press("Kirim")
    reg = await harness.deps.registrations.registration(1001)
    assert reg is not None
    assert (reg.occupation, reg.occupation_other) == ("lainnya", "Penjahit rumahan")
    assert (reg.kecamatan, reg.kelurahan) == ("luar_kota", "Kabupaten Batang")


async def test_other_occupation_may_contain_an_ampersand_shown_escaped(harness: Harness) -> None:
    """Issue 17 item 10: "jualan sate & es teh" is accepted; the summary, /datasaya and the
    staff card show it escaped (the simulator parses the HTML, so a raw "&" would fail)."""
    u = harness.user(1001)
    await up_to_occupation(u, name="Budi", nik=NIK_MAN)
    await u.press("Lainnya")
    await u.send("jualan sate & es teh")
    await u.press("Pekalongan Barat")
    await u.press("Medono")
    await u.press("Belum")
    summary = u.last()
    assert "jualan sate & es teh" in summary.plain
    assert "jualan sate &amp; es teh" in summary.text
    await u.press("Kirim")
    reg = await harness.deps.registrations.registration(1001)
    assert reg is not None and reg.occupation_other == "jualan sate & es teh"
    await u.send("/datasaya")
    assert "jualan sate &amp; es teh" in u.last().text


async def test_kelurahan_back_button_returns_to_kecamatan(harness: Harness) -> None:
    u = harness.user(1001)
    await register(u, send=False)
    await u.press("Ubah")
    await u.press("Tempat tinggal")
    await u.press("Pekalongan Timur")
    await u.press("Kembali")
    assert await step_of(harness, 1001) == "kecamatan"
    await u.press("Pekalongan Utara")
    await u.press("Degayu")
    assert await step_of(harness, 1001) == "summary"
    assert "Kelurahan Degayu, Kecamatan Pekalongan Utara" in u.last().plain


async def test_english_users_see_english_labels(harness: Harness) -> None:
    u = harness.user(1001, language_code="en")
    await u.send("/daftar")
    assert u.last().buttons == ["✅ I agree", "❌ I do not agree"]
    await u.press("I agree")
    await u.send("John Doe")
    await u.send(NIK_MAN)
    await u.send(PHONE)
    assert "Becak (pedicab) driver" in u.last().buttons
    assert "✏️ Other (type it)" in u.last().buttons


# ---- validation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("A", "terlalu pendek"),
        ("Budi 2", "tidak boleh berisi angka"),
        ("Budi 😀", "hanya boleh berisi huruf"),
        ("<b>Budi</b>", "hanya boleh berisi huruf"),
        ("x" * 5000, "paling panjang 100"),
        ("--", "terlalu pendek"),
    ],
)
async def test_name_validation(harness: Harness, text: str, reason: str) -> None:
    u = harness.user(1001)
    await u.send("/daftar")
    await u.press("Setuju")
    new = await u.send(text)
    assert len(new) == 1 and reason in new[0].plain
    assert "nama lengkap" in new[0].plain  # the question is asked again
    assert await step_of(harness, 1001) == "name"


async def test_names_with_apostrophes_dots_and_dashes_are_accepted(harness: Harness) -> None:
    u = harness.user(1001)
    await u.send("/daftar")
    await u.press("Setuju")
    await u.send("H. Nur’aini Al-Farisi")
    assert await step_of(harness, 1001) == "nik"
    draft = await harness.deps.registrations.current(1001)
    assert draft.draft is not None and draft.draft.state.name == "H. Nur'aini Al-Farisi"


@pytest.mark.parametrize(
    ("nik", "reason"),
    [
        ("337501450190001", "yang Anda kirim 15 angka"),
        ("33750145019000123", "yang Anda kirim 17 angka"),
        ("3375O14501900012", "hanya berisi angka"),
        ("9975014501900012", "99 bukan kode provinsi"),
        ("3300014501900012", "kode kabupaten/kota"),
        ("3375004501900012", "kode kecamatan"),
        ("3375013201900012", "32 tidak mungkin"),
        ("3375017501900012", "75 tidak mungkin"),
        ("3375010013900012", "13 bukan bulan"),
        ("3375013102900012", "310290 bukan tanggal"),
        ("3375017102900012", "710290 bukan tanggal"),  # 31 Feb for a woman
        ("3375014501900000", "0000"),
    ],
)
async def test_nik_validation_gives_a_specific_reason(
    harness: Harness, nik: str, reason: str
) -> None:
    u = harness.user(1001)
    await u.send("/daftar")
    await u.press("Setuju")
    await u.send("Siti Aminah")
    new = await u.send(nik)
    assert len(new) == 1 and reason in new[0].plain, new[0].plain
    assert await step_of(harness, 1001) == "nik"


@pytest.mark.parametrize(
    "nik",
    [
        NIK,
        NIK_MAN,
        "3175072902000001",  # Jakarta, 29 Feb 2000
        "9471015212990003",  # Papua, a woman born 12 Dec 1999
        "3375.01.450190.0012",
    ],
)
async def test_valid_niks_from_anywhere_are_accepted(harness: Harness, nik: str) -> None:
    u = harness.user(1001)
    await u.send("/daftar")
    await u.press("Setuju")
    await u.send("Siti Aminah")
    await u.send(nik)
    assert await step_of(harness, 1001) == "phone"


@pytest.mark.parametrize(
    ("phone", "reason"),
    [
        ("0812", "kurang atau salah"),
        ("+60 12-345 6789", "nomor Indonesia"),
        ("halo", "bukan nomor HP"),
        ("0" * 40, "terlalu panjang"),
    ],
)
async def test_phone_validation(harness: Harness, phone: str, reason: str) -> None:
    u = harness.user(1001)
    await u.send("/daftar")
    await u.press("Setuju")
    await u.send("Siti Aminah")
    await u.send(NIK)
    new = await u.send(phone)
    assert len(new) == 1 and reason in new[0].plain, new[0].plain
    assert new[0].reply_buttons[0]["request_contact"] is True  # the button is offered again
    assert await step_of(harness, 1001) == "phone"


async def test_only_the_users_own_contact_is_accepted(harness: Harness) -> None:
    u = harness.user(1001)
    await u.send("/daftar")
    await u.press("Setuju")
    await u.send("Siti Aminah")
    await u.send(NIK)
    new = await u.send_contact("6281234567890", user_id=4242)
    assert "nomor Anda sendiri" in new[0].plain
    assert await step_of(harness, 1001) == "phone"
    new = await u.send_contact("60123456789")
    assert "nomor Indonesia" in new[0].plain
    await u.send_contact("+6281234567890")
    assert await step_of(harness, 1001) == "occupation"


@pytest.mark.parametrize("kind", ["sticker", "photo", "voice", "emoji", "html", "long"])
async def test_bad_input_at_a_button_step_gets_a_short_reask(harness: Harness, kind: str) -> None:
    u = harness.user(1001)
    await register(u, send=False)
    await u.press("Ubah")
    await u.press("Pekerjaan")
    before = await step_of(harness, 1001)
    if kind == "sticker":
        new = await u.send_sticker()
    elif kind == "photo":
        new = await u.send_photo()
    elif kind == "voice":
        new = await u.send_voice()
    elif kind == "emoji":
        new = await u.send("🙏🙏")
    elif kind == "html":
        new = await u.send("<script>alert(1)</script> & co")
    else:
        new = await u.send("a" * 5000)
    assert len(new) == 1
    assert "pilih salah satu tombol" in new[0].plain
    assert "Pengayuh becak" in new[0].buttons
    assert await step_of(harness, 1001) == before == "occupation"
    assert all(call.ok for call in harness.sim.calls)


@pytest.mark.parametrize("kind", ["sticker", "photo", "voice"])
async def test_non_text_at_a_typing_step_asks_for_text(harness: Harness, kind: str) -> None:
    u = harness.user(1001)
    await u.send("/daftar")
    await u.press("Setuju")
    new = await getattr(u, f"send_{kind}")()
    assert len(new) == 1 and "hanya bisa membaca tulisan" in new[0].plain
    assert await step_of(harness, 1001) == "name"


@pytest.mark.parametrize(
    "service",
    [
        {"message_auto_delete_timer_changed": {"message_auto_delete_time": 86400}},
        {"pinned_message": {"message_id": 1, "date": 0, "chat": {"id": 1001, "type": "private"}}},
    ],
)
async def test_service_messages_are_not_taken_as_an_answer(
    harness: Harness, service: dict[str, Any]
) -> None:
    """Pinning a message or setting auto-delete in the private chat makes Telegram send a
    service message: it is not the person's answer, so the dialogue waits on, silently."""
    u = harness.user(1001)
    await u.send("/daftar")
    await u.press("Setuju")
    assert await u.send_content(**service) == []
    assert await step_of(harness, 1001) == "name"
    new = await u.send("Siti Aminah")
    assert await step_of(harness, 1001) == "nik" and len(new) == 1


async def test_buttons_from_old_messages_do_not_act(harness: Harness) -> None:
    u = harness.user(1001)
    await u.send("/daftar")
    consent = u.last()
    await u.press("Setuju")
    # The answered question loses its buttons
    assert consent.inline_buttons == []
    # A button of the question this message showed before (a forged or a late second tap):
    # a notice, no action, and the question now on screen is not asked again
    new = await u.press_data(f"rg:{await nonce(harness)}:consent:no", consent)
    assert u.callback_answer() == "Tombol itu untuk pertanyaan sebelumnya."
    assert await step_of(harness, 1001) == "name"
    assert new == [] and u.edited == []
    # A button of an earlier question in an older message asks the current question again
    await u.send("Siti Aminah")
    await u.send(NIK)
    await u.send(PHONE)
    occupation = u.last()
    await u.press_in_place("Buruh batik", occupation)  # now the kecamatan question
    await u.send("Pekalongan Barat")  # typed: the kelurahan question comes as a new message
    assert await step_of(harness, 1001) == "kelurahan"
    new = await u.press("Pekalongan Utara", occupation)
    assert u.callback_answer() == "Tombol itu untuk pertanyaan sebelumnya."
    assert len(new) == 1 and "Pilih kelurahan Anda di Kecamatan Pekalongan Barat" in new[0].plain
    assert await step_of(harness, 1001) == "kelurahan"
    # A button of a cancelled dialogue
    old_nonce = await nonce(harness)
    await u.send("/batal")
    await u.send("/daftar")
    await u.press_data(f"rg:{old_nonce}:consent:yes")
    assert u.callback_answer() == "Tombol itu dari pesan sebelumnya."
    assert await step_of(harness, 1001) == "consent"
    # Garbage and a button with no dialogue at all
    await u.press_data("rg:zzz")
    await u.send("/batal")
    await u.press_data("rg:abc:name:x")
    assert u.callback_answer() == "Tombol ini sudah tidak berlaku. Ketik /daftar untuk mendaftar."
    assert await count_rows(harness, "registrations") == 0
    assert all(call.ok for call in harness.sim.calls)


async def nonce(h: Harness) -> str:
    row = await h.deps.db.fetchone(f"SELECT nonce FROM {DRAFTS} AND user_id = 1001")
    assert row is not None
    return str(row["nonce"])


async def test_double_tap_on_send_makes_one_registration(harness: Harness) -> None:
    u = harness.user(1001)
    await register(u, send=False)
    summary = u.last()
    send = u.find_button("Kirim")[1]["callback_data"]
    await u.press_data(send, summary)
    second = await u.press_data(send, summary)
    assert second == []  # only a short notice on the button
    assert u.callback_answer() == "Sudah terkirim ✅ Nomor pendaftaran Anda SKP-000001."
    assert await count_rows(harness, "registrations") == 1
    done = [m for m in u.messages() if "SKP-000001" in m.plain]
    assert len(done) == 1


# ---- consent, cancel, restart, expiry ------------------------------------------------------


async def test_declining_consent_stores_nothing(harness: Harness) -> None:
    u = harness.user(1001)
    await u.send("/daftar")
    declined = await u.press_in_place("Tidak setuju")
    assert "UU PDP" in declined.plain and "\n\n❌ Tidak setuju\n\n" in declined.plain
    assert "tidak ada data yang disimpan" in declined.plain
    assert "📝 Daftar minat" in declined.buttons  # the main menu
    assert await count_rows(harness, DRAFTS) == 0
    assert await count_rows(harness, "registrations") == 0
    # Afterwards text goes to the other features again
    new = await u.send("Siti Aminah")
    assert "NIK" not in new[-1].plain  # another feature answered (FAQ or the fallback)
    assert await step_of(harness, 1001) is None


@pytest.mark.parametrize("at", ["consent", "name", "nik", "phone", "occupation", "summary"])
async def test_batal_cancels_at_any_step_and_stores_nothing(harness: Harness, at: str) -> None:
    u = harness.user(1001)
    await u.send("/daftar")
    steps: list[tuple[str, Callable[[], Any]]] = [
        ("name", lambda: u.press("Setuju")),
        ("nik", lambda: u.send("Siti Aminah")),
        ("phone", lambda: u.send(NIK)),
        ("occupation", lambda: u.send(PHONE)),
    ]
    for step, action in steps:
        if await step_of(harness, 1001) == at:
            break
        await action()
        assert await step_of(harness, 1001) == step
    if at == "summary":
        await u.press("Marbot")
        await u.press("Pekalongan Timur")
        await u.press("Kauman")
        await u.press("Belum")
    assert await step_of(harness, 1001) == at
    new = await u.send("/batal")
    assert "Pendaftaran dibatalkan" in new[-1].plain
    if at == "phone":
        assert new[-1].reply_markup == {"remove_keyboard": True}
    assert await count_rows(harness, DRAFTS) == 0
    assert await count_rows(harness, "registrations") == 0
    new = await u.send("/batal")
    assert "Tidak ada yang perlu dibatalkan" in new[-1].plain


async def test_cancel_button_on_the_summary(harness: Harness) -> None:
    u = harness.user(1001)
    await register(u, send=False)
    await u.press("Batal")
    assert await count_rows(harness, DRAFTS) == 0
    assert await count_rows(harness, "registrations") == 0


async def test_a_restart_resumes_at_the_same_step(settings: Settings, clock: FakeClock) -> None:
    async with Harness.create(settings, clock) as h:
        u = h.user(1001)
        await up_to_occupation(u)
        await u.press("Kuli bangunan")
        assert await step_of(h, 1001) == "kecamatan"
    # A new Application on the same database file (and key file)
    async with Harness.create(settings, clock) as h2:
        u2 = h2.user(1001)
        await u2.send("/daftar")
        assert "Anda sudah mulai mendaftar" in u2.last().plain
        assert "Pekalongan Barat" in u2.last().buttons
        await u2.press("Pekalongan Utara")
        await u2.press("Krapyak")
        await u2.press("Belum")
        summary = u2.last().plain
        assert "Siti Aminah" in summary and "Kuli bangunan" in summary
        await u2.press("Kirim")
        reg = await h2.deps.registrations.registration(1001)
        assert reg is not None and reg.nik == NIK and reg.kelurahan == "Krapyak"


async def test_a_restart_mid_dialogue_accepts_the_next_answer_directly(
    settings: Settings, clock: FakeClock
) -> None:
    async with Harness.create(settings, clock) as h:
        u = h.user(1001)
        await u.send("/daftar")
        await u.press("Setuju")
        await u.send("Siti Aminah")
    async with Harness.create(settings, clock) as h2:
        u2 = h2.user(1001)
        await u2.send(NIK)  # the answer to the question asked before the restart
        assert await step_of(h2, 1001) == "phone"


async def test_an_abandoned_dialogue_expires_after_24_hours(
    harness: Harness, clock: FakeClock
) -> None:
    u = harness.user(1001)
    await u.send("/daftar")
    await u.press("Setuju")
    await u.send("Siti Aminah")
    clock.advance(hours=23, minutes=59)
    await u.send(NIK)  # still alive; the answer renews the 24 hours
    assert await step_of(harness, 1001) == "phone"
    clock.advance(hours=24)
    new = await u.send(PHONE)
    assert "tidak selesai dalam 24 jam" in new[-1].plain
    assert new[-1].reply_markup == {"remove_keyboard": True}
    assert await count_rows(harness, DRAFTS) == 0
    new = await u.send("Siti Aminah")
    assert "NIK" not in new[-1].plain  # no dialogue any more
    assert await step_of(harness, 1001) is None


async def test_the_expiry_job_discards_old_drafts_and_tells_the_user_once(
    harness: Harness, clock: FakeClock
) -> None:
    a, b = harness.user(1001), harness.user(1002)
    await a.send("/daftar")
    await a.press("Setuju")
    clock.advance(hours=12)
    await b.send("/daftar")
    clock.advance(hours=12, seconds=1)
    assert await expire_drafts(harness) == 1
    assert "tidak selesai dalam 24 jam" in a.last().plain
    assert await step_of(harness, 1001) is None
    answer = await a.send("Siti Aminah")  # the draft (and any copy of it) is gone
    assert "NIK" not in answer[-1].plain
    assert await step_of(harness, 1002) == "consent"
    assert await expire_drafts(harness) == 0
    assert len([m for m in a.messages() if "24 jam" in m.plain]) == 1


# ---- duplicates, commands in the middle, private chats -------------------------------------


def transcript(u: UserDriver) -> list[tuple[str, list[str]]]:
    """What the user saw (texts and button labels), registration numbers and the masked NIK
    (which differ, by design, between two people) left out."""

    def plain(text: str) -> str:
        return re.sub(r"[0-9]{4} •••• •••• [0-9]{4}", "NIK", re.sub(r"SKP-[0-9]+", "SKP", text))

    return [(plain(m.plain), m.buttons) for m in u.messages()]


async def staff_notices(h: Harness) -> list[str]:
    await h.deps.error_reports.idle()  # staff notices are posted from the reporter's queue
    return [m.plain for m in h.sim.bot_messages(STAFF_CHAT_ID)]


async def test_a_registered_nik_gets_the_same_dialogue_as_any_other_and_is_flagged(
    harness: Harness,
) -> None:
    """Issue 14, item 9: the typist cannot tell from anything the bot says whether a NIK is
    registered. The registration is taken, marked for the staff, and every hit reported."""
    h = harness
    await register(h.user(1001, first_name="Siti"))
    known = h.user(1002, first_name="Mallory")
    fresh = h.user(1003, first_name="Mallory")
    await register(known, nik=NIK.replace("0145", "0145-"))  # Siti's NIK
    await register(fresh, nik=NIK_MAN)  # nobody's
    assert transcript(known) == transcript(fresh)
    assert "SKP-000002" in known.last().plain and "Terima kasih" in known.last().plain
    marked = await h.deps.registrations.registration(1002)
    unmarked = await h.deps.registrations.registration(1003)
    assert marked is not None and marked.duplicate_of == 1 and marked.nik == NIK
    assert unmarked is not None and unmarked.duplicate_of is None
    # The hit at the NIK step and the registration sent: both reported, never the NIK.
    hit, sent = await staff_notices(h)
    assert "SKP-000001" in hit and "1002" in hit and "Mallory" in hit
    assert "SKP-000002" in sent and "SKP-000001" in sent
    assert NIK not in hit + sent and "0145" not in hit + sent
    # What the staff see: /pendaftar's card and the export's last column.
    admin = h.user(ADMIN_ID, "Admin")
    await admin.send("/pendaftar SKP-000002")
    assert "Kemungkinan ganda: NIK sama dengan SKP-000001" in admin.last().plain
    await admin.send("/pendaftar SKP-000003")
    assert "ganda" not in admin.last().plain
    rows = export.table(
        await h.deps.registrations.list_all(), h.deps.i18n.get("id"), full_nik=False
    )
    assert rows.header[-1] == "Kemungkinan ganda dari"
    assert [row[-1] for row in rows.rows] == ["", "SKP-000001", ""]


async def test_every_hit_is_reported_even_when_the_dialogue_is_restarted(
    harness: Harness, clock: FakeClock
) -> None:
    h = harness
    await register(h.user(1001))
    other = h.user(1002)
    for _ in range(3):  # typed, then /daftar again and typed again...
        await other.send("/daftar")
        await other.press("Setuju")
        await other.send("Siti Aminah")
        await other.send(NIK)
        assert await step_of(h, 1002) == "phone"  # the dialogue goes on, as for any NIK
        await other.send("/batal")
    # One post for the typist's first hit, the later ones counted (as error reports are),
    # so probing cannot flood the staff group, and none is lost.
    [notice] = await staff_notices(h)
    assert "1002" in notice and "SKP-000001" in notice
    clock.advance(timedelta(minutes=11))
    await h.deps.error_reports.flush(h.app.bot)
    notice, count = await staff_notices(h)
    assert "1002" in count and "2 more time(s)" in count


async def test_a_hit_without_a_staff_group_is_logged_without_the_nik_and_flagged(
    make_settings: Callable[..., Settings], clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    async with Harness.create(make_settings(staff_chat_id=None), clock) as h:
        await register(h.user(1001))
        await register(h.user(1002))
        reg = await h.deps.registrations.registration(1002)
        assert reg is not None and reg.duplicate_of == 1
    hits = [r.getMessage() for r in caplog.records if "registered from another" in r.getMessage()]
    assert len(hits) == 2 and all("1002" in hit and NIK not in hit for hit in hits)


async def test_a_nik_registered_while_the_summary_was_open_is_flagged_at_send(
    harness: Harness,
) -> None:
    a, b = harness.user(1001), harness.user(1002)
    await register(a, send=False)
    await register(b, send=False)
    await a.press("Kirim")
    shown = await b.press_in_place("Kirim")
    assert "SKP-000002" in shown.plain and "Terima kasih" in shown.plain
    reg = await harness.deps.registrations.registration(1002)
    assert reg is not None and reg.duplicate_of == 1
    [notice] = await staff_notices(harness)
    assert "SKP-000002" in notice and "SKP-000001" in notice


async def test_other_commands_in_the_middle_answer_and_the_dialogue_continues(
    harness: Harness,
) -> None:
    u = harness.user(1001)
    await u.send("/daftar")
    await u.press("Setuju")
    await u.send("Siti Aminah")
    new = await u.send("/bantuan")
    assert "Yang bisa saya bantu" in new[0].plain
    assert "/daftar" in new[0].plain and "/hapusdata" in new[0].plain
    assert "Pendaftaran Anda belum selesai" in new[-1].plain and "NIK" in new[-1].plain
    new = await u.send("/perintahaneh")
    assert "tidak saya kenal" in new[0].plain
    assert "Pendaftaran Anda belum selesai" in new[-1].plain
    await u.send(NIK)
    assert await step_of(harness, 1001) == "phone"
    new = await u.send("/daftar")
    assert len(new) == 1 and "Anda sudah mulai mendaftar" in new[0].plain


async def test_group_chats_never_start_a_registration(harness: Harness) -> None:
    u = harness.user(1001)
    payload = harness.sim.user_message(u.user, text="/daftar", chat_id=-100777)
    await harness.process(payload)
    assert harness.sim.bot_messages(-100777) == []
    assert await count_rows(harness, DRAFTS) == 0


# ---- /daftar again, /datasaya, /ubahdata, /hapusdata ---------------------------------------


async def test_daftar_when_registered_shows_the_data_and_offers_changes(harness: Harness) -> None:
    u = harness.user(1001)
    await register(u)
    new = await u.send("/daftar")
    text = new[-1].plain
    assert "Anda sudah terdaftar" in text and "SKP-000001" in text
    assert mask_nik(NIK) in text and NIK not in text
    assert new[-1].buttons == ["✏️ Ubah data", "🗑 Hapus data"]
    assert await count_rows(harness, DRAFTS) == 0


async def test_datasaya_shows_what_is_stored_with_the_nik_masked(harness: Harness) -> None:
    u = harness.user(1001)
    new = await u.send("/datasaya")
    assert "belum menyimpan data" in new[-1].plain
    await register(u, name="Siti O'Neil")
    new = await u.send("/datasaya")
    text = new[-1].plain
    for expected in (
        "SKP-000001",
        "Siti O'Neil",
        "3375 •••• •••• 0012",
        "+62 812-3456-7890",
        "Pengayuh becak",
        "Kelurahan Medono, Kecamatan Pekalongan Barat",
        "Belum",
        "diterima, menunggu dihubungi petugas",
        "Senin, 5 Januari 2026",
    ):
        assert expected in text, expected
    assert NIK not in text


async def test_ubahdata_changes_one_field(harness: Harness) -> None:
    u = harness.user(1001)
    await register(u)
    await u.send("/ubahdata")
    assert "Nama" in u.last().buttons
    await u.press("Nomor HP")
    assert u.last().reply_buttons[0]["request_contact"] is True
    await u.send("0812")
    assert "kurang atau salah" in u.last().plain
    new = await u.send("0813 9876 5432")
    assert new[0].reply_markup == {"remove_keyboard": True}
    assert "Tersimpan" in new[-1].plain and "+62 813-9876-5432" in new[-1].plain
    reg = await harness.deps.registrations.registration(1001)
    assert reg is not None and reg.phone == "+6281398765432" and reg.full_name == "Siti Aminah"

    await u.send("/ubahdata")
    await u.press("Tempat tinggal")
    await u.press("Luar Kota Pekalongan")
    await u.send("Kabupaten Pekalongan")
    reg = await harness.deps.registrations.registration(1001)
    assert reg is not None and (reg.kecamatan, reg.kelurahan) == (
        "luar_kota",
        "Kabupaten Pekalongan",
    )

    await u.send("/ubahdata")
    await u.press("NIK")
    await u.send(NIK_MAN)
    reg = await harness.deps.registrations.registration(1001)
    assert reg is not None and reg.nik == NIK_MAN
    assert reg.id == 1 and await count_rows(harness, "registrations") == 1

    await u.press("Ubah data")
    await u.press("Kembali")
    assert "tidak ada yang diubah" in u.last().plain
    await u.send("/ubahdata")
    await u.send("/batal")
    assert "Data Anda tetap" in u.last().plain


async def test_ubahdata_to_a_nik_of_another_registration_saves_and_flags(
    harness: Harness,
) -> None:
    h = harness
    await register(h.user(1001))
    known, fresh = h.user(1002), h.user(1003)
    for u, nik in ((known, NIK_MAN), (fresh, "3375014501900013")):
        await register(u, nik=nik)
    for u, nik in ((known, NIK), (fresh, "3326011203850002")):
        await u.send("/ubahdata")
        await u.press("NIK")
        await u.send(nik)
    assert transcript(known) == transcript(fresh)
    assert "Tersimpan" in known.last().plain
    marked = await h.deps.registrations.registration(1002)
    assert marked is not None and marked.nik == NIK and marked.duplicate_of == 1
    unmarked = await h.deps.registrations.registration(1003)
    assert unmarked is not None and unmarked.duplicate_of is None
    [notice] = await staff_notices(h)
    assert "1002" in notice and "SKP-000001" in notice
    # Back to a NIK nobody else has: the mark goes.
    await known.send("/ubahdata")
    await known.press("NIK")
    await known.send(NIK_MAN)
    again = await h.deps.registrations.registration(1002)
    assert again is not None and again.duplicate_of is None


async def test_ubahdata_before_registering(harness: Harness) -> None:
    u = harness.user(1001)
    new = await u.send("/ubahdata")
    assert "Anda belum mendaftar" in new[-1].plain
    await register(u, send=False)
    await u.send("/ubahdata")
    await u.press("Nama")
    await u.send("Siti Rahma")
    assert await step_of(harness, 1001) == "summary"
    assert "Siti Rahma" in u.last().plain


async def test_hapusdata_deletes_after_confirmation_and_keeps_only_a_count(
    harness: Harness,
) -> None:
    u = harness.user(1001)
    new = await u.send("/hapusdata")
    assert "Tidak ada yang perlu dihapus" in new[-1].plain
    await register(u)
    await u.send("/hapusdata")
    confirm = u.last()
    await u.press("Tidak, simpan saja")
    assert await count_rows(harness, "registrations") == 1
    await u.send("/hapusdata")
    await u.press("Ya, hapus")
    assert "Sudah dihapus" in u.last().plain and "pendaftaran Anda" in u.last().plain
    assert await count_rows(harness, "registrations") == 0
    assert await harness.deps.registrations.deletion_count() == 1
    # The old confirmation button cannot delete anything else
    await u.press_data("rgx:confirm:1", confirm)
    assert "/hapusdata lagi" in u.last().plain
    assert await harness.deps.registrations.deletion_count() == 1
    # Registering again works, with a new reference number
    await register(u)
    reg = await harness.deps.registrations.registration(1001)
    assert reg is not None and reg.reference == "SKP-000002"


async def test_hapusdata_during_a_dialogue_deletes_the_draft(harness: Harness) -> None:
    u = harness.user(1001)
    await u.send("/daftar")
    await u.press("Setuju")
    await u.send("Siti Aminah")
    new = await u.send("/hapusdata")
    assert await count_rows(harness, DRAFTS) == 1  # not before the button
    new = await u.press("Ya, hapus", new[-1])
    assert "jawaban pendaftaran Anda yang belum selesai" in new[-1].plain
    assert "pendaftaran Anda (nama" not in new[-1].plain
    assert await count_rows(harness, DRAFTS) == 0
    assert await harness.deps.registrations.deletion_count() == 0


# ---- protection at rest ----------------------------------------------------------------------


def _raw_bytes(path: Path) -> bytes:
    data = b""
    for suffix in ("", "-wal", "-shm"):
        candidate = Path(str(path) + suffix)
        if candidate.exists():
            data += candidate.read_bytes()
    return data


async def test_nik_phone_and_name_are_not_stored_in_clear(
    settings: Settings, clock: FakeClock
) -> None:
    async with Harness.create(settings, clock) as h:
        await register(h.user(1001), name="Zulaikha Wibisono")
        u = h.user(1002)
        await register(u, nik=NIK_MAN, phone="0813 9876 5432", send=False)  # a draft
        raw = _raw_bytes(settings.database_path)
        for secret in (
            NIK,
            NIK_MAN,
            "6281234567890",
            "6281398765432",
            "081234567890",
            "Zulaikha",
        ):
            assert secret.encode() not in raw, secret
            assert secret.encode("utf-16-le") not in raw, secret
    raw = _raw_bytes(settings.database_path)
    assert NIK.encode() not in raw and b"6281234567890" not in raw
    # and it is really there, encrypted
    conn = sqlite3.connect(settings.database_path)
    token = conn.execute("SELECT nik_enc FROM registrations").fetchone()[0]
    conn.close()
    key = Path(str(settings.database_path) + ".key").read_text().strip()
    assert Fernet(key.encode()).decrypt(token.encode()).decode() == NIK


async def test_a_key_file_is_generated_with_mode_0600(settings: Settings, clock: FakeClock) -> None:
    key_file = Path(str(settings.database_path) + ".key")
    assert not key_file.exists()
    async with Harness.create(settings, clock):
        pass
    assert key_file.exists()
    assert os.stat(key_file).st_mode & 0o777 == 0o600
    Fernet(key_file.read_text().strip().encode())  # a valid key


async def test_a_configured_key_is_used_and_no_file_is_written(
    make_settings: Callable[..., Settings], clock: FakeClock
) -> None:
    key = Fernet.generate_key().decode()
    settings = make_settings(nik_encryption_key=key)
    async with Harness.create(settings, clock) as h:
        await register(h.user(1001))
    assert not Path(str(settings.database_path) + ".key").exists()
    conn = sqlite3.connect(settings.database_path)
    token = conn.execute("SELECT nik_enc FROM registrations").fetchone()[0]
    conn.close()
    assert Fernet(key.encode()).decrypt(token.encode()).decode() == NIK


async def test_a_wrong_or_malformed_key_stops_the_start(
    make_settings: Callable[..., Settings], clock: FakeClock
) -> None:
    settings = make_settings(nik_encryption_key=Fernet.generate_key().decode())
    async with Harness.create(settings, clock) as h:
        await register(h.user(1001))
    wrong = make_settings(nik_encryption_key=Fernet.generate_key().decode())
    with pytest.raises(ConfigError, match=r"NIK_ENCRYPTION_KEY: .*not the key"):
        async with Harness.create(wrong, clock):
            pass
    with pytest.raises(ConfigError, match=r"NIK_ENCRYPTION_KEY: is not a valid encryption key"):
        load_settings(_env_file=None, nik_encryption_key="not-a-key")
    # A damaged key file
    broken = make_settings(database_path=wrong.database_path.with_name("other.db"))
    Path(str(broken.database_path) + ".key").write_text("garbage\n")
    with pytest.raises(ConfigError, match=r"other\.db\.key: is not a valid encryption key"):
        async with Harness.create(broken, clock):
            pass
    # Without the setting and without a key file, the old data cannot be read: refuse too
    missing = make_settings()
    with pytest.raises(ConfigError, match=r"key file .* is missing"):
        async with Harness.create(missing, clock):
            pass
    assert not Path(str(missing.database_path) + ".key").exists()


def test_a_bad_key_exits_with_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.__main__ import EXIT_CONFIG, main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "x.db"))
    monkeypatch.setenv("NIK_ENCRYPTION_KEY", "too-short")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:" + "A" * 35)
    assert main(["run"]) == EXIT_CONFIG
    err = capsys.readouterr().err
    assert "NIK_ENCRYPTION_KEY" in err and "too-short" not in err


async def test_repository_functions_for_staff_tools(harness: Harness) -> None:
    await register(harness.user(1001))
    await register(harness.user(1002), nik=NIK_MAN)
    svc = harness.deps.registrations
    new = await svc.list_by_status("baru")
    assert [r.reference for r in new] == ["SKP-000001", "SKP-000002"]
    assert new[0].nik == NIK  # decrypted for staff
    assert await svc.set_status(1, "dihubungi")
    assert not await svc.set_status(99, "dihubungi")
    with pytest.raises(ValueError):
        await svc.repo.set_status(1, "hilang")  # type: ignore[arg-type]
    counts = await svc.repo.count_by_status()
    assert counts == {"baru": 1, "dihubungi": 1, "terdaftar_bpjs": 0, "tidak_memenuhi_syarat": 0}
    row = await svc.repo.get(1)
    assert row is not None and row.status_changed_at == harness.clock.now().replace(microsecond=0)
    u = harness.user(1001)
    await u.send("/datasaya")
    assert "sudah dihubungi petugas" in u.last().plain
