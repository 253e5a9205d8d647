"""One dialogue mechanism (issue 15): the same rule in every dialogue, drafts carried over on
upgrade, expiry on the injected clock, typed answers matched to buttons."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

import pytest

from bot.clock import FakeClock, to_db
from bot.config import MIGRATIONS_DIR, Settings
from bot.db import Database, discover_migrations
from bot.dialogs import match_option, only_option_words
from bot.faq.service import FaqService
from bot.registration import Catalog
from sakpore_sim.harness import Harness, UserDriver
from tests.conftest import ADMIN_ID
from tests.test_handoff import UNKNOWN, group_posts

QUESTION = "berapa iurannya?"  # the FAQ answers it for sure (Rp16.800)
ANSWER = "Rp16.800"


async def open_reminder(u: UserDriver) -> None:
    await u.send("/pengingat")


async def open_broadcast(u: UserDriver) -> None:
    await u.send("/siaran")


async def open_staff_add(u: UserDriver) -> None:
    await u.send("/staf tambah")


async def open_handoff(u: UserDriver) -> None:
    await u.send("/bantuan")
    await u.press("Tanya petugas")
    if any("Tulis pertanyaan lain" in b for b in u.last().buttons):
        await u.press("Tulis pertanyaan lain")


# kind -> (how to open it, its human name in Indonesian, a phrase of its question)
DIALOGUES: dict[str, tuple[Callable[[UserDriver], Awaitable[None]], str, str]] = {
    "reminder": (open_reminder, "pengaturan pengingat iuran", "Tanggal berapa"),
    "broadcast": (open_broadcast, "siaran", "disiarkan"),
    "staff_add": (open_staff_add, "penambahan staf", "Teruskan"),
    "handoff": (open_handoff, "pesan untuk petugas", "ketik pertanyaan Anda"),
}
COMMANDS = {"reminder": "/pengingat", "broadcast": "/siaran", "staff_add": "/staf tambah"}
PAIRS = [(x, y) for x in DIALOGUES for y in COMMANDS if x != y]


async def kind_of(h: Harness, user_id: int) -> str | None:
    dialog = (await h.deps.dialogs.current(user_id)).dialog
    return dialog.kind.name if dialog is not None else None


async def admin_in(h: Harness, kind: str) -> UserDriver:
    """The admin (who may open every dialogue), in a dialogue of `kind`."""
    admin = h.user(ADMIN_ID, "Admin")
    await admin.send("/start")
    await DIALOGUES[kind][0](admin)
    assert await kind_of(h, ADMIN_ID) == kind
    return admin


@pytest.mark.parametrize(("open_kind", "new_kind"), PAIRS)
async def test_a_command_of_another_dialogue_asks_finish_or_cancel(
    harness: Harness, open_kind: str, new_kind: str
) -> None:
    admin = await admin_in(harness, open_kind)
    _, what, question = DIALOGUES[open_kind]
    new_what = DIALOGUES[new_kind][1]
    [ask] = await admin.send(COMMANDS[new_kind])
    assert f"Selesaikan {what} dulu atau batalkan?" in ask.plain
    assert len(ask.buttons) == 2
    keep = ask.inline_buttons[0]["callback_data"]
    assert await kind_of(harness, ADMIN_ID) == open_kind  # nothing started yet

    # "Continue": the open dialogue's question again.
    replies = await admin.press("Lanjutkan")
    assert question in replies[-1].plain
    assert await kind_of(harness, ADMIN_ID) == open_kind

    # "Cancel it and start the new one".
    await admin.send(COMMANDS[new_kind])
    replies = await admin.press(f"mulai: {new_what}")
    assert any(f"Dibatalkan: {what}" in m.plain for m in admin.edited)
    assert DIALOGUES[new_kind][2] in replies[-1].plain
    assert await kind_of(harness, ADMIN_ID) == new_kind
    # The old question's buttons are stale now.
    await admin.press_data(keep, ask)
    assert admin.callback_answer() == "Tombol ini sudah tidak berlaku."


@pytest.mark.parametrize("kind", list(DIALOGUES))
async def test_batal_says_what_it_cancelled(harness: Harness, kind: str) -> None:
    admin = await admin_in(harness, kind)
    [answer] = await admin.send("/batal")
    assert f"Dibatalkan: {DIALOGUES[kind][1]}." in answer.plain
    assert "Tidak ada yang perlu dibatalkan" not in answer.plain
    assert await kind_of(harness, ADMIN_ID) is None
    [nothing] = await admin.send("/batal")
    assert "Tidak ada yang perlu dibatalkan" in nothing.plain


@pytest.mark.parametrize("kind", list(DIALOGUES))
async def test_another_command_is_answered_then_the_question_again(
    harness: Harness, kind: str
) -> None:
    admin = await admin_in(harness, kind)
    replies = await admin.send("/bantuan")
    assert len(replies) == 2
    assert "/daftar" in replies[0].plain  # /bantuan's own answer
    assert "belum selesai" in replies[1].plain and DIALOGUES[kind][2] in replies[1].plain
    assert await kind_of(harness, ADMIN_ID) == kind


@pytest.mark.parametrize("kind", ["reminder", "staff_add"])
async def test_a_program_question_is_answered_then_the_question_again(
    harness: Harness, kind: str
) -> None:
    admin = await admin_in(harness, kind)
    replies = await admin.send(QUESTION)
    assert len(replies) == 2 and ANSWER in replies[0].plain
    assert "belum selesai" in replies[1].plain and DIALOGUES[kind][2] in replies[1].plain
    assert await kind_of(harness, ADMIN_ID) == kind
    # Something that is neither an answer nor a question the FAQ knows is refused as before.
    [refused] = await admin.send(UNKNOWN)
    assert ANSWER not in refused.plain and await kind_of(harness, ADMIN_ID) == kind


async def test_a_question_typed_as_the_announcement_or_for_the_staff_is_that(
    harness: Harness,
) -> None:
    """In /siaran and "Tanya petugas" whatever is typed is the answer: the announcement's text,
    the message for the staff; the FAQ does not take it."""
    admin = await admin_in(harness, "broadcast")
    replies = await admin.send(QUESTION)
    assert replies[0].plain.startswith(QUESTION)  # the preview
    assert "Siapa yang akan menerima?" in replies[-1].plain
    await admin.send("/batal")
    await open_handoff(admin)
    replies = await admin.send(QUESTION)
    assert "diteruskan ke petugas program" in replies[-1].plain and ANSWER not in replies[-1].plain
    assert QUESTION in group_posts(harness)[-1].plain
    assert await kind_of(harness, ADMIN_ID) is None


async def test_a_typed_day_with_words_is_the_day(harness: Harness) -> None:
    u = harness.user()
    await u.send("/pengingat")
    [answer] = await u.send("tanggal 5")
    assert "Setiap tanggal 5" in answer.plain and "Jam berapa" in answer.plain


async def test_dialogues_expire_on_the_injected_clock(harness: Harness, clock: FakeClock) -> None:
    """The expiry job forgets each kind after its own time: the reminder set-up after 30
    minutes, /siaran after 24 hours."""
    u, admin = harness.user(), harness.user(ADMIN_ID, "Admin")
    await u.send("/pengingat")
    await admin.send("/siaran")
    clock.advance(timedelta(minutes=31))
    assert [d.kind.name for d in await harness.deps.dialogs.expire()] == ["reminder"]
    clock.advance(timedelta(hours=24))
    assert [d.kind.name for d in await harness.deps.dialogs.expire()] == ["broadcast"]
    assert await harness.deps.db.fetchall("SELECT * FROM dialogs") == []


def test_a_typed_answer_is_matched_to_the_buttons(settings: Settings) -> None:
    catalog = Catalog.load()
    options = {o.key: list(o.labels.values()) for o in catalog.occupations}
    filler = FaqService.load(settings).filler_words("id")
    assert "tukang" in filler and "saya" in filler
    assert match_option("tukang becak", options, filler) == "pengayuh_becak"
    assert match_option("saya narik becak", options, filler) == "pengayuh_becak"
    assert match_option("Buruh Batik", options, filler) == "buruh_batik"
    assert match_option("ojek", options, filler) == "ojek_pangkalan"
    assert match_option("sopir angkut", options, filler) == "sopir_angkot"  # a typo forgiven
    assert match_option("buruh", options, filler) is None  # several say "buruh": ask again
    assert match_option("resep soto", options, filler) is None
    # words of the buttons only: an answer to choose among them, never sent to the FAQ
    # (which may answer "buruh" alone with who can join)
    assert only_option_words("buruh", options, filler)
    assert only_option_words("tukang buruh", options, filler)
    assert not only_option_words("buruh bisa ikut ga", options, filler)
    assert not only_option_words("iuran brp", options, filler)


# ---- upgrade: the open drafts are carried over ------------------------------------------------


async def _database_before_dialogs(settings: Settings, clock: FakeClock, tmp_path: Path) -> None:
    """A database at the schema before 0009 with one open draft of every old kind."""
    old = tmp_path / "old-migrations"
    old.mkdir()
    for migration in discover_migrations(MIGRATIONS_DIR):
        if migration.version < 9:
            (old / migration.path.name).write_text(migration.sql, encoding="utf-8")
    db = Database(settings.database_path, clock)
    await db.connect()
    await db.migrate(old)
    now = to_db(clock.now())
    for user_id in (1001, 1002, 1004, 1005, 1006, ADMIN_ID):
        await db.execute(
            "INSERT INTO users (id, first_name, language, first_seen, last_seen)"
            " VALUES (:id, 'X', 'id', :now, :now)",
            {"id": user_id, "now": now},
        )
    await db.execute(
        "INSERT INTO reminder_drafts VALUES (1001, 'time', 5, :now), (1006, 'day', NULL, :now)",
        {"now": now},
    )
    await db.execute(
        "INSERT INTO staff_dialogs VALUES (:admin, 'staff_add', '{}', :now)",
        {"admin": ADMIN_ID, "now": now},
    )
    await db.execute(
        "INSERT INTO handoffs (user_id, status, awaiting_text, awaiting_since, created_at,"
        " updated_at) VALUES (1004, 'open', 1, :now, :now, :now)",
        {"now": now},
    )
    for user_id in (1005, 1006):  # 1006 has a reminder draft too: the registration wins
        await db.execute(
            "INSERT INTO registration_drafts VALUES (:u, 'abc123', 'new', 'nik', 'ciphertext',"
            " :now, :now)",
            {"u": user_id, "now": now},
        )
    await db.close()


async def test_open_drafts_are_carried_over_on_upgrade(
    settings: Settings, clock: FakeClock, tmp_path: Path
) -> None:
    await _database_before_dialogs(settings, clock, tmp_path)
    async with Harness.create(settings, clock) as h:
        rows = await h.deps.db.fetchall("SELECT user_id, kind, step, state FROM dialogs")
        stored = {r["user_id"]: (r["kind"], r["step"], r["state"]) for r in rows}
        assert stored[1005] == ("registration", "nik", "ciphertext")  # as it was, encrypted
        assert stored[1006][0] == "registration"
        tables = {r[0] for r in await h.deps.db.fetchall("SELECT name FROM sqlite_master")}
        assert not {"reminder_drafts", "staff_dialogs"} & tables
        # Each carried-over dialogue takes the next message where it stopped.
        answer = await h.user(1001).send("07.30")
        assert "setiap tanggal 5, pukul 07.30 WIB" in answer[-1].plain
        await h.user(ADMIN_ID, "Admin").send("4004")
        assert await h.deps.staff.repo.ids() == {4004}
        await h.user(1004).send("Kapan ada sosialisasi?")
        assert "Kapan ada sosialisasi?" in group_posts(h)[-1].plain


async def test_a_button_that_starts_another_dialogue_asks_too(harness: Harness) -> None:
    """The main menu's "Pengingat iuran" pressed while composing /siaran: the same question as
    for /pengingat; the composition is not lost silently."""
    admin = await admin_in(harness, "broadcast")
    await admin.send("/start")  # the main menu (answered, then /siaran's question again)
    [ask] = await admin.press("Pengingat iuran")
    assert "Selesaikan siaran dulu atau batalkan?" in ask.plain
    assert await kind_of(harness, ADMIN_ID) == "broadcast"
    replies = await admin.press("mulai: pengaturan pengingat iuran")
    assert "Tanggal berapa" in replies[-1].plain
    assert await kind_of(harness, ADMIN_ID) == "reminder"
