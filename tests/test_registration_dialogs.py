"""Registration on the one dialogue mechanism (issue 15): the one rule in the registration
(/batal, another dialogue's command, a program question, a typed answer at a button step),
/daftar in every other dialogue, and open drafts of the old table carried over on upgrade."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.clock import FakeClock, to_db
from bot.config import MIGRATIONS_DIR, Settings
from bot.db import Database, discover_migrations
from sakpore_sim.harness import Harness, UserDriver
from tests.conftest import ADMIN_ID
from tests.test_dialogs import COMMANDS, DIALOGUES, admin_in, kind_of
from tests.test_registration import NIK, PHONE, register, step_of

AGAIN = "Pendaftaran Anda belum selesai"  # the line before a question asked again
FEE = "Rp16.800"  # in the FAQ's answer to "iurane piro"


async def up_to(u: UserDriver, step: str) -> None:
    """Start a registration and answer (with buttons and valid text) up to `step`."""
    await u.send("/daftar")
    answers: list[tuple[str, Callable[[], Awaitable[object]]]] = [
        ("consent", lambda: u.press("Setuju")),
        ("name", lambda: u.send("Siti Aminah")),
        ("nik", lambda: u.send(NIK)),
        ("phone", lambda: u.send(PHONE)),
        ("occupation", lambda: u.press("Buruh batik")),
        ("kecamatan", lambda: u.press("Pekalongan Barat")),
        ("kelurahan", lambda: u.press("Medono")),
        ("bpjs", lambda: u.press("Belum")),
    ]
    for name, answer in answers:
        if name == step:
            return
        await answer()
    assert step == "summary"


# ---- a program question typed in the middle ---------------------------------------------------

# step -> (a question typed there, a phrase of the FAQ's answer, a phrase of the question)
QUESTIONS = {
    "consent": ("iurane piro", FEE, "Setuju"),  # a button step (consent)
    "name": ("iurane piro", FEE, "nama lengkap"),  # a typed step that takes any words
    "nik": ("nik ki opo to", "disimpan", "16 angka"),  # a numeric step
    "phone": ("iurane piro", FEE, "Nomor HP"),  # a numeric step with a reply keyboard
    "occupation": ("iurane piro", FEE, "pekerjaan utama"),  # a button step (catalogue)
    "kelurahan": ("iurane piro", FEE, "kelurahan"),
    "summary": ("iurane piro", FEE, "Mohon cek data Anda"),
}


@pytest.mark.parametrize("step", list(QUESTIONS))
async def test_a_program_question_is_answered_and_the_question_asked_again(
    harness: Harness, step: str
) -> None:
    u = harness.user(1001)
    await up_to(u, step)
    assert await step_of(harness, 1001) == step
    question, answer, again = QUESTIONS[step]
    replies = await u.send(question)
    assert len(replies) == 2, [r.plain for r in replies]
    assert answer in replies[0].plain
    assert AGAIN in replies[1].plain and again in replies[1].plain
    for refusal in ("Silakan pilih salah satu tombol", "NIK hanya berisi angka", "bukan nomor"):
        assert refusal not in replies[0].plain + replies[1].plain
    assert await step_of(harness, 1001) == step  # nothing was taken as the answer
    if step == "phone":  # the "share my number" button is offered again
        assert replies[1].reply_buttons[0]["request_contact"] is True


async def test_a_wrong_answer_is_still_refused_with_its_reason(harness: Harness) -> None:
    """Not a question, not an answer: the step's own reason, as before."""
    u = harness.user(1001)
    await up_to(u, "nik")
    [refused] = await u.send("3375O14501900012")
    assert "hanya berisi angka" in refused.plain and FEE not in refused.plain
    await u.send(NIK)
    [refused] = await u.send("halo")  # a greeting is no program question
    assert "bukan nomor HP" in refused.plain
    await u.send(PHONE)
    [refused] = await u.send("resep soto ayam")
    assert "pilih salah satu tombol" in refused.plain and "Pengayuh becak" in refused.buttons


# ---- typed answers at button steps ------------------------------------------------------------


async def test_typed_answers_are_matched_to_the_buttons(harness: Harness) -> None:
    u = harness.user(1001)
    await up_to(u, "occupation")
    await u.send("tukang becak")
    assert await step_of(harness, 1001) == "kecamatan"
    await u.send("pekalongan utra")  # a typo in the kecamatan
    assert await step_of(harness, 1001) == "kelurahan"
    assert "Kecamatan Pekalongan Utara" in u.last().plain
    await u.send("panjang wetn")
    assert await step_of(harness, 1001) == "bpjs"
    await u.send("sudah")
    await u.send("kirim")
    reg = await harness.deps.registrations.registration(1001)
    assert reg is not None
    assert (reg.occupation, reg.kecamatan, reg.kelurahan, reg.bpjs) == (
        "pengayuh_becak",
        "pekalongan_utara",
        "Panjang Wetan",
        "ya",
    )


async def test_an_ambiguous_typed_answer_is_asked_again(harness: Harness) -> None:
    u = harness.user(1001)
    await up_to(u, "occupation")
    [again] = await u.send("buruh")  # two buttons say "buruh"
    assert "pilih salah satu tombol" in again.plain
    assert await step_of(harness, 1001) == "occupation"


async def test_the_english_wording_names_whose_dialogue_it_is(harness: Harness) -> None:
    u = harness.user(1001, "Ann", language_code="en")
    await u.send("/daftar")
    await u.press("I agree")
    replies = await u.send("/help")
    assert "Your registration is not finished yet." in replies[-1].plain
    [ask] = await u.send("/pengingat")
    assert "Finish your registration first, or cancel it?" in ask.plain
    await u.press("Continue")
    await u.send("/batal")
    await u.send("/pengingat")
    [ask] = await u.send("/daftar")
    assert "Finish the payment reminder set-up first, or cancel it?" in ask.plain


# ---- /batal and other dialogues' commands -----------------------------------------------------


@pytest.mark.parametrize("step", ["consent", "name", "occupation", "summary"])
async def test_batal_cancels_the_registration_and_says_so(harness: Harness, step: str) -> None:
    u = harness.user(1001)
    await up_to(u, step)
    [cancelled] = await u.send("/batal")
    assert "Pendaftaran dibatalkan" in cancelled.plain
    assert await kind_of(harness, 1001) is None
    [nothing] = await u.send("/batal")
    assert "Tidak ada yang perlu dibatalkan" in nothing.plain


async def test_batal_cancels_a_change_of_the_stored_data(harness: Harness) -> None:
    u = harness.user(1001)
    await register(u)
    await u.send("/ubahdata")
    assert await kind_of(harness, 1001) == "registration_edit"
    [cancelled] = await u.send("/batal")
    assert "Data Anda tetap seperti sebelumnya" in cancelled.plain
    assert await kind_of(harness, 1001) is None


@pytest.mark.parametrize("other", list(COMMANDS))
async def test_another_dialogues_command_during_registration_asks_finish_or_cancel(
    harness: Harness, other: str
) -> None:
    admin = harness.user(ADMIN_ID, "Admin")
    await up_to(admin, "occupation")
    [ask] = await admin.send(COMMANDS[other])
    assert "Selesaikan pendaftaran Anda dulu atau batalkan?" in ask.plain
    assert len(ask.buttons) == 2
    assert await kind_of(harness, ADMIN_ID) == "registration"  # no second dialogue
    # "Continue": the registration's question again; the answers are kept.
    replies = await admin.press("Lanjutkan")
    assert "pekerjaan utama" in replies[-1].plain
    await admin.send("tukang becak")
    assert await step_of(harness, ADMIN_ID) == "kecamatan"
    # "Cancel it and start": the registration goes, the other dialogue begins.
    await admin.send(COMMANDS[other])
    replies = await admin.press("mulai:")
    assert any("Dibatalkan: pendaftaran Anda" in m.plain for m in admin.edited)
    assert DIALOGUES[other][2] in replies[-1].plain
    assert await kind_of(harness, ADMIN_ID) == other
    assert await step_of(harness, ADMIN_ID) is None


@pytest.mark.parametrize("way_in", ["/daftar", "menu:daftar"])  # the command, the menu button
@pytest.mark.parametrize("kind", list(DIALOGUES))
async def test_daftar_during_another_dialogue_asks_finish_or_cancel(
    harness: Harness, kind: str, way_in: str
) -> None:
    admin = await admin_in(harness, kind)  # the main menu is above it
    what = DIALOGUES[kind][1]
    [ask] = await (admin.send(way_in) if way_in.startswith("/") else admin.press(way_in))
    assert f"Selesaikan {what} dulu atau batalkan?" in ask.plain
    assert await kind_of(harness, ADMIN_ID) == kind
    replies = await admin.press("mulai: pendaftaran Anda")
    assert any(f"Dibatalkan: {what}" in m.plain for m in admin.edited)
    assert "UU PDP" in replies[-1].plain  # the consent: the registration began
    assert await step_of(harness, ADMIN_ID) == "consent"
    await admin.press("Setuju")
    assert await step_of(harness, ADMIN_ID) == "name"


@pytest.mark.parametrize("kind", list(DIALOGUES))
async def test_ubahdata_without_a_registration_during_another_dialogue_only_answers(
    harness: Harness, kind: str
) -> None:
    """Nothing to change: /ubahdata says so as it does anywhere, and the open dialogue goes on
    (no "finish or cancel")."""
    admin = await admin_in(harness, kind)
    replies = await admin.send("/ubahdata")
    assert len(replies) == 2, [r.plain for r in replies]
    assert "Anda belum mendaftar" in replies[0].plain
    assert "dulu atau batalkan" not in replies[0].plain
    assert "belum selesai" in replies[1].plain and DIALOGUES[kind][2] in replies[1].plain
    assert await kind_of(harness, ADMIN_ID) == kind


@pytest.mark.parametrize("kind", list(DIALOGUES))
async def test_ubahdata_with_a_registration_during_another_dialogue_asks_finish_or_cancel(
    harness: Harness, kind: str
) -> None:
    admin = harness.user(ADMIN_ID, "Admin")
    await register(admin)
    admin = await admin_in(harness, kind)
    [ask] = await admin.send("/ubahdata")
    assert f"Selesaikan {DIALOGUES[kind][1]} dulu atau batalkan?" in ask.plain
    await admin.press("mulai: perubahan data Anda")
    assert await kind_of(harness, ADMIN_ID) == "registration_edit"


async def test_own_commands_go_on_with_the_registration(harness: Harness) -> None:
    """/daftar continues it, /ubahdata at the summary chooses an answer to change, /datasaya
    says what is kept: none of them asks "finish or cancel"."""
    u = harness.user(1001)
    await up_to(u, "summary")
    [daftar] = await u.send("/daftar")
    assert "Anda sudah mulai mendaftar" in daftar.plain
    [change] = await u.send("/ubahdata")
    assert "Jawaban mana yang mau diubah?" in change.plain
    [mine] = await u.send("/datasaya")
    assert "disimpan 24 jam" in mine.plain
    assert await step_of(harness, 1001) == "field"


# ---- upgrade: an open draft of the old table ---------------------------------------------------


@pytest.mark.parametrize("before", [9, 10])
async def test_an_open_draft_of_the_old_table_continues_after_the_upgrade(
    make_settings: Callable[..., Settings], clock: FakeClock, tmp_path: Path, before: int
) -> None:
    """A draft in registration_drafts (main's schema, before 0009; or written by a bot that ran
    0009 with registration still on its own table) is carried over by the migrations with its
    encrypted answers and nonce: the next message continues it, its old buttons still work."""
    key = Fernet.generate_key()
    settings = make_settings(nik_encryption_key=key.decode())
    old = tmp_path / "old-migrations"
    old.mkdir()
    for migration in discover_migrations(MIGRATIONS_DIR):
        if migration.version < before:
            (old / migration.path.name).write_text(migration.sql, encoding="utf-8")
    db = Database(settings.database_path, clock)
    await db.connect()
    await db.migrate(old)
    now = to_db(clock.now())
    await db.execute(
        "INSERT INTO users (id, first_name, language, first_seen, last_seen)"
        " VALUES (1001, 'Siti', 'id', :now, :now)",
        {"now": now},
    )
    answers = {"source": "command", "consent_at": now, "consent_version": "2026-01-v1"}
    answers |= {"name": "Siti Aminah"}
    data_enc = Fernet(key).encrypt(json.dumps(answers).encode()).decode()
    await db.execute(
        "INSERT INTO registration_drafts VALUES (1001, 'abc123', 'new', 'nik', :data, :now, :now)",
        {"data": data_enc, "now": now},
    )
    await db.close()

    async with Harness.create(settings, clock) as h:
        tables = {r[0] for r in await h.deps.db.fetchall("SELECT name FROM sqlite_master")}
        assert "registration_drafts" not in tables
        assert await step_of(h, 1001) == "nik"
        u = h.user(1001, "Siti")
        await u.send(NIK)  # the answer to the question asked before the upgrade
        assert await step_of(h, 1001) == "phone"
        await u.send(PHONE)
        # A button of the old dialogue (same nonce) is recognised as this dialogue's.
        await u.press_data("rg:abc123:occupation:buruh_batik")
        assert await step_of(h, 1001) == "kecamatan"
        await u.press("Pekalongan Barat")
        await u.press("Medono")
        await u.press("Belum")
        assert "Siti Aminah" in u.last().plain  # the answer given before the upgrade
        await u.press("Kirim")
        reg = await h.deps.registrations.registration(1001)
        assert reg is not None and (reg.full_name, reg.nik) == ("Siti Aminah", NIK)
        assert reg.consent_at.isoformat().startswith(now[:19])


async def test_a_command_after_the_draft_expired_is_told_and_still_works(
    harness: Harness, clock: FakeClock
) -> None:
    u = harness.user(1001)
    await up_to(u, "nik")
    clock.advance(hours=24)
    replies = await u.send("/daftar")
    assert "tidak selesai dalam 24 jam" in replies[0].plain
    assert "UU PDP" in replies[-1].plain  # and /daftar started a new one
    assert await step_of(harness, 1001) == "consent"
