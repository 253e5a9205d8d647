"""A deleted person is really gone (issue 14, Medium 2 and Low 13): /hapusdata deletes what
they typed (questions, hand-off messages) with their registration, stored free text never
holds a NIK or phone number, the question log has a retention period, and the WAL is
checkpointed after a deletion."""

from __future__ import annotations

import logging
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.config import Settings
from bot.erasure import enforce_retention
from bot.registration import validate_free_text
from sakpore_sim import audit
from sakpore_sim.audit import (
    FIRST_NAME,
    NAME,
    NIK,
    NIK_TYPED,
    PHONE_DIGITS,
    PHONE_TYPED,
    UNKNOWN,
    WORDS,
    rows_with_text,
)
from sakpore_sim.harness import Harness
from tests.conftest import ADMIN_ID, STAFF_CHAT_ID
from tests.test_registration import register
from tests.test_staff import STAFF_ID, add_staff


async def person_talks_registers_and_deletes(h: Harness) -> None:
    """The scenario of sakpore_sim/audit.py (bench/deletion.py runs it too), with this suite's
    admin, staff member and staff group."""
    await audit.person_talks_registers_and_deletes(
        h, admin_id=ADMIN_ID, staff_id=STAFF_ID, staff_chat_id=STAFF_CHAT_ID
    )


async def test_hapusdata_deletes_the_persons_words_and_keeps_only_counts(
    settings: Settings, clock: FakeClock
) -> None:
    async with Harness.create(settings, clock) as h:
        await person_talks_registers_and_deletes(h)
        u = h.user(1001)
        asked = u.messages()[-2].plain
        # The confirmation promises no more than the bot does: the group posts stay.
        assert "tidak bisa melihatnya lagi" not in asked
        assert "grup petugas" in asked
        done = u.last().plain
        assert "Sudah dihapus" in done and "pendaftaran Anda" in done
        assert "2 pertanyaan yang Anda ajukan" in done
        assert "3 pesan antara Anda dan petugas" in done
        # ...and says what stays, instead of "nothing that points to you".
        assert "tidak ada yang menunjuk ke Anda" not in done
        assert "/pengingat" in done and "grup petugas" in done
        figures = await h.deps.stats.figures(clock.now() - timedelta(days=7), "2026-01")
        assert figures.questions == 2 and figures.unanswered >= 1
        # The deleted thread is over: /statistik no longer counts it as open.
        assert figures.handoffs == {"closed": 1}
        assert await h.deps.registrations.deletion_count() == 1
        needles = (*WORDS, FIRST_NAME, NIK, PHONE_DIGITS)
        assert rows_with_text(settings.database_path, needles) == {}
        # The users row stays (language, announcements), without the first name.
        person = await h.deps.users.get(1001)
        assert person is not None and person.first_name == ""
    # Nothing either: the text is gone from the file, not only from the tables.
    raw = b"".join(
        p.read_bytes() for p in settings.database_path.parent.glob("*.db*") if p.is_file()
    )
    for needle in (*WORDS, FIRST_NAME, NIK, PHONE_DIGITS):
        assert needle.encode() not in raw, needle


async def test_stored_free_text_never_holds_a_nik_or_phone(harness: Harness) -> None:
    h = harness
    member = await add_staff(h)
    u = h.user(1001)
    await u.send(f"NIK saya {NIK_TYPED} hp {PHONE_TYPED} kok belum masuk")
    await u.send(f"{UNKNOWN} 3375 0145 0190 0012")
    await u.press("Tanya petugas")
    post = h.sim.bot_messages(STAFF_CHAT_ID)[-1]
    # A logged question forwarded to the staff is the stored copy: redacted too.
    assert post.plain.splitlines()[1] == f"{UNKNOWN} <nik>"
    await member.send_in_group(STAFF_CHAT_ID, "Nomor HP Anda berapa?", post)
    await u.press("Balas petugas")
    await u.send(f"nomor saya {PHONE_TYPED}")
    assert PHONE_TYPED in h.sim.bot_messages(STAFF_CHAT_ID)[-1].plain  # typed for the staff
    found = rows_with_text(h.deps.settings.database_path, (NIK, PHONE_DIGITS))
    assert found == {}
    first = (await h.deps.questions.for_user(1001))[-1]
    assert first.text == "NIK saya <nik> hp <phone> kok belum masuk"


async def test_hapusdata_without_a_registration_asks_first_then_deletes_and_says_so(
    harness: Harness,
) -> None:
    h = harness
    member = await add_staff(h)
    u = h.user(1001)
    new = await u.send("/hapusdata")
    assert "Tidak ada data Anda" in new[-1].plain
    await u.send(UNKNOWN)
    await u.press("Tanya petugas")
    post = h.sim.bot_messages(STAFF_CHAT_ID)[-1]
    new = await u.send("/hapusdata")
    # Nothing is deleted before the person confirms, the open thread included.
    assert len(await h.deps.questions.for_user(1001)) == 1
    assert (await h.deps.handoffs.repo.counts()) == {"open": 1}
    await u.press("Tidak, simpan", new[-1])
    assert len(await h.deps.questions.for_user(1001)) == 1
    new = await u.send("/hapusdata")
    await u.press("Ya, hapus", new[-1])
    done = u.last().plain
    assert "1 pertanyaan yang Anda ajukan" in done
    assert "pendaftaran Anda" not in done
    assert await h.deps.questions.for_user(1001) == []
    assert (await h.deps.handoffs.repo.counts()) == {}
    assert (await h.deps.stats.figures(h.clock.now(), "2026-01")).questions == 1
    # A staff member still answering the deleted thread is told why it goes nowhere.
    await member.send_in_group(STAFF_CHAT_ID, "Sudah kami cek, Bu.", post)
    notice = h.sim.bot_messages(STAFF_CHAT_ID)[-1].plain
    assert "menghapus datanya" in notice


async def test_a_stale_confirm_button_erases_nothing(harness: Harness) -> None:
    u = harness.user(1001)
    await register(u, name=NAME)
    [asked] = await u.send("/hapusdata")
    [stale] = [b["callback_data"] for b in asked.inline_buttons if "Ya, hapus" in b["text"]]
    await u.press("Ya, hapus", asked)
    # Registered again, with a new question: the old button no longer matches.
    await register(u, name=NAME)
    await u.send(UNKNOWN)
    new = await u.press_data(stale, asked)
    assert "/hapusdata" in new[-1].plain
    assert await harness.deps.registrations.registration(1001) is not None
    assert len(await harness.deps.questions.for_user(1001)) == 1


def test_typed_occupation_and_place_never_hold_a_nik_or_phone() -> None:
    assert validate_free_text("jualan online 0813-9876-5432") == "jualan online <phone>"
    assert validate_free_text(f"Desa Kauman {NIK_TYPED}") == "Desa Kauman <nik>"


async def test_the_wal_checkpoint_is_retried_and_a_busy_wal_is_logged(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    db = harness.deps.db
    await db.execute("PRAGMA busy_timeout=1")  # keep the blocked attempts short
    reader = sqlite3.connect(harness.deps.settings.database_path)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT COUNT(*) FROM users").fetchall()
        with caplog.at_level(logging.WARNING, logger="bot.db"):
            assert await db.checkpoint() is False
        [record] = [r for r in caplog.records if r.name == "bot.db"]
        assert "checkpoint" in record.getMessage() and record.levelno == logging.WARNING
    finally:
        reader.close()
    assert await db.checkpoint() is True


async def test_the_question_log_is_kept_for_the_retention_period_only(
    settings: Settings, clock: FakeClock
) -> None:
    assert settings.question_retention_days == 180
    async with Harness.create(settings, clock) as h:
        u = h.user(1001)
        await u.send(UNKNOWN)
        clock.advance(timedelta(days=100))
        await u.send("iurannya berapa")
        assert await enforce_retention(h.deps) == 0
        clock.advance(timedelta(days=81))
        assert await enforce_retention(h.deps) == 1
        [left] = await h.deps.questions.for_user(1001)
        assert left.text == "iurannya berapa"
        figures = await h.deps.stats.figures(clock.now(), "2026-01")
        assert figures.questions == 2 and figures.unanswered >= 1


async def test_the_wal_keeps_no_page_of_a_deleted_registration(
    settings: Settings, clock: FakeClock
) -> None:
    async with Harness.create(settings, clock) as h:
        u = h.user(1001)
        await register(u, name=NAME)
        row = await h.deps.db.fetchone("SELECT nik_enc, phone_enc FROM registrations")
        assert row is not None
        secrets = [str(row["nik_enc"]).encode(), str(row["phone_enc"]).encode()]
        await u.send("/hapusdata")
        await u.press("Ya, hapus")
        wal = Path(str(settings.database_path) + "-wal")
        files = [settings.database_path, wal]
        raw = b"".join(p.read_bytes() for p in files if p.exists())
        for secret in secrets:
            assert secret not in raw
