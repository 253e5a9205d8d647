"""Issue 17 follow-through, end to end through the simulator: status messages (item 1)."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image
from pydantic import ValidationError

from bot.clock import FakeClock
from bot.config import LOCALES_DIR, Settings
from bot.outbox import OutboxReport
from bot.reminders import Rule
from sakpore_sim.harness import Harness, UserDriver
from sakpore_sim.simulator import SimMessage
from tests.conftest import ADMIN_ID, STAFF_CHAT_ID
from tests.test_handoff import UNKNOWN
from tests.test_staff import STAFF_ID, add_staff, unknown_reply
from tests.test_staff_tools import documents, nik_of, read_csv, read_xlsx, seed_registration

SITI = 1101


@pytest.fixture
def settings(make_settings: Callable[..., Settings]) -> Settings:
    """The status-message tests without the daily digest (tested below with its own)."""
    return make_settings(digest_time="")


REGISTERED = "SKP-000001 sudah didaftarkan ke BPJS Ketenagakerjaan"


async def run_outbox(h: Harness, after: timedelta = timedelta(seconds=61)) -> OutboxReport:
    """Let the status-message delay pass, then one run of the outbox worker."""
    assert isinstance(h.clock, FakeClock)
    h.clock.advance(seconds=after.total_seconds())
    return await h.deps.outbox.tick(h.app.bot)


def from_bot_after(person: UserDriver, count: int) -> list[SimMessage]:
    return person.messages()[count:]


async def registered_siti(h: Harness) -> UserDriver:
    """Siti with a new registration (SKP-000001)."""
    await seed_registration(h, SITI, "Siti Aminah")
    return h.user(SITI, "Siti")


async def mark(h: Harness, label: str, reference: str = "SKP-000001") -> None:
    """A staff member (the admin) opens the registration and presses a status button."""
    admin = h.user(ADMIN_ID, "Admin")
    [card] = await admin.send(f"/pendaftar {reference}")
    await admin.press(label, card)


async def test_registered_with_bpjs_tells_the_person_once_with_the_reminder_offer(
    harness: Harness,
) -> None:
    siti = await registered_siti(harness)
    before = len(siti.messages())
    await mark(harness, "Terdaftar BPJS")
    # Nothing before the delay (time to undo a wrong tap) ...
    assert (await harness.deps.outbox.tick(harness.app.bot)).sent == 0
    assert from_bot_after(siti, before) == []
    # ... then exactly one message, in Indonesian, the figure from the settings (Babel).
    report = await run_outbox(harness)
    assert report.sent == 1
    [message] = from_bot_after(siti, before)
    assert REGISTERED in message.plain
    assert "Rp16.800 per bulan" in message.plain
    assert "saya bisa mengingatkan setiap bulan" in message.plain
    assert message.buttons == ["⏰ Pasang pengingat iuran"]
    # The offer's button starts the reminder set-up.
    await siti.press("Pasang pengingat")
    assert "tanggal" in siti.last().plain.lower()
    # Never twice: later runs, and a restart of the worker, send nothing more.
    for _ in range(3):
        assert (await run_outbox(harness, timedelta(hours=1))).sent == 0
    assert len([m for m in siti.messages() if REGISTERED in m.plain]) == 1
    [row] = await harness.deps.outbox.repo.of_registration(1)
    assert row.state == "sent" and row.sent_at is not None


async def test_each_status_has_its_message_and_a_reminder_already_set_is_not_offered(
    make_settings: Callable[..., Settings], clock: FakeClock
) -> None:
    async with Harness.create(make_settings(contribution_monthly_idr=20000), clock) as h:
        await seed_registration(h, SITI, "Siti Aminah")
        await seed_registration(h, 1102, "Budi Santoso")
        await h.deps.reminders.set_rule(SITI, Rule(5, 7, 0))
        siti, budi = h.user(SITI, "Siti"), h.user(1102, "Budi")
        await mark(h, "Sudah dihubungi")
        await run_outbox(h)
        assert "SKP-000001: petugas program sudah menghubungi Anda" in siti.last().plain
        await mark(h, "Terdaftar BPJS")
        await run_outbox(h)
        assert REGISTERED in siti.last().plain
        assert "Rp20.000 per bulan" in siti.last().plain  # CONTRIBUTION_MONTHLY_IDR
        assert "mengingatkan" not in siti.last().plain and siti.last().buttons == []
        await mark(h, "Tidak memenuhi syarat", "SKP-000002")
        await run_outbox(h)
        assert "SKP-000002: setelah diperiksa" in budi.last().plain
        assert "belum memenuhi syarat" in budi.last().plain


async def test_a_newer_mark_within_the_delay_replaces_the_message_and_back_to_new_says_nothing(
    harness: Harness,
) -> None:
    siti = await registered_siti(harness)
    before = len(siti.messages())
    await mark(harness, "Tidak memenuhi syarat")  # a wrong tap ...
    await mark(harness, "Terdaftar BPJS")  # ... corrected at once
    await run_outbox(harness)
    texts = [m.plain for m in from_bot_after(siti, before)]
    assert len(texts) == 1 and REGISTERED in texts[0]
    # A wrong tap undone with "back to new": the person hears nothing.
    await mark(harness, "Kembalikan ke baru")
    await mark(harness, "Sudah dihubungi")
    await mark(harness, "Kembalikan ke baru")
    await run_outbox(harness)
    assert len(from_bot_after(siti, before)) == 1
    states = [r.state for r in await harness.deps.outbox.repo.of_registration(1)]
    assert states == ["cancelled", "sent", "cancelled"]


async def test_status_messages_ignore_berhenti_and_follow_the_persons_language(
    harness: Harness,
) -> None:
    siti = await registered_siti(harness)
    await siti.send("/berhenti")  # stops announcements, not answers to their own request
    await siti.send("/bahasa")
    await siti.press("English")
    await mark(harness, "Terdaftar BPJS")
    await run_outbox(harness)
    assert "SKP-000001 has been registered with BPJS Ketenagakerjaan" in siti.last().plain
    assert "Rp16.800 a month" in siti.last().plain


async def test_a_deleted_registration_or_a_blocked_person_gets_nothing_and_nothing_is_retried(
    harness: Harness,
) -> None:
    await seed_registration(harness, SITI, "Siti Aminah")
    await seed_registration(harness, 1102, "Budi Santoso")
    siti = harness.user(SITI, "Siti")
    before = len(siti.messages())
    await mark(harness, "Terdaftar BPJS")
    await harness.deps.registrations.delete(SITI)  # /hapusdata before the message went out
    harness.sim.block(1102)
    await mark(harness, "Sudah dihubungi", "SKP-000002")
    report = await run_outbox(harness)
    assert report.sent == 0 and report.blocked == 1
    assert from_bot_after(siti, before) == []
    assert await harness.deps.outbox.repo.of_registration(1) == []  # deleted with it
    [row] = await harness.deps.outbox.repo.of_registration(2)
    assert row.state == "blocked"
    assert (await run_outbox(harness, timedelta(hours=2))).sent == 0


async def test_telegram_errors_retry_a_5xx_and_never_resend_a_timeout(harness: Harness) -> None:
    await seed_registration(harness, SITI, "Siti Aminah")
    await seed_registration(harness, 1102, "Budi Santoso")
    siti, budi = harness.user(SITI, "Siti"), harness.user(1102, "Budi")
    await mark(harness, "Terdaftar BPJS")
    await mark(harness, "Terdaftar BPJS", "SKP-000002")
    harness.sim.fail("server_error", chat_id=SITI)
    harness.sim.fail("timeout", chat_id=1102, delivered=True)
    report = await run_outbox(harness)
    assert (report.retry_later, report.uncertain) == (1, 1)
    assert [m for m in siti.messages() if REGISTERED in m.plain] == []
    report = await run_outbox(harness, timedelta(minutes=5))
    assert report.sent == 1  # Siti's, after the 5xx
    assert len([m for m in siti.messages() if REGISTERED in m.plain]) == 1
    # Budi's timed out after Telegram took it: delivered once, never sent again.
    assert len([m for m in budi.messages() if "SKP-000002 sudah didaftarkan" in m.plain]) == 1
    [row] = await harness.deps.outbox.repo.of_registration(2)
    assert row.state == "uncertain"


# ---- the daily digest (item 3) ---------------------------------------------------------------


def wib(day: int, hour: int, minute: int = 0) -> datetime:
    """January 2026, WIB (UTC+7)."""
    return datetime(2026, 1, day, hour, minute, tzinfo=UTC) - timedelta(hours=7)


def digests(h: Harness) -> list[SimMessage]:
    return [m for m in h.sim.bot_messages(STAFF_CHAT_ID) if "Ringkasan harian" in m.plain]


async def ask_staff(h: Harness, user_id: int = 1001) -> None:
    """A person asks a question the bot cannot answer and sends it to the staff (#T...)."""
    person = h.user(user_id, "Budi")
    await person.send("/start")
    await person.send(UNKNOWN)
    await person.press("Tanya petugas")


async def test_the_daily_digest_lists_new_stale_and_waiting_once_a_day(
    make_settings: Callable[..., Settings],
) -> None:
    clock = FakeClock(wib(1, 10))  # Thursday 1 January 2026
    async with Harness.create(make_settings(), clock) as h:
        await seed_registration(h, SITI, "Siti Aminah")  # SKP-000001, waits as "baru"
        clock.set(wib(4, 20))
        await seed_registration(h, 1102, "Budi Santoso", "pengayuh_becak")  # SKP-000002
        await ask_staff(h)  # #T1
        clock.set(wib(5, 7, 59))
        await h.deps.outbox.tick(h.app.bot)
        assert digests(h) == []  # not before DIGEST_TIME (08:00)
        clock.set(wib(5, 9, 30))  # the bot was down at 08:00: the digest comes when it runs
        report = await h.deps.outbox.tick(h.app.bot)
        assert report.sent == 1
        [digest] = digests(h)
        assert "Ringkasan harian · Senin, 5 Januari 2026" in digest.plain
        assert "Pendaftar baru sejak ringkasan terakhir: 1" in digest.plain
        assert "SKP-000002 · Pengayuh becak · Pekalongan Barat" in digest.plain
        assert "Masih “baru” lebih dari 3 hari: 1" in digest.plain
        assert "SKP-000001 · mendaftar Kamis, 1 Januari 2026 (4 hari lalu)" in digest.plain
        assert "Pertanyaan menunggu petugas: 1" in digest.plain and "#T1 · sejak" in digest.plain
        assert digest.buttons == ["📝 SKP-000002", "📝 SKP-000001", "💬 #T1"]
        assert "Siti" not in digest.plain and "Budi" not in digest.plain  # no personal data
        # Once a day: later runs that day add nothing.
        for hour in (12, 18, 23):
            clock.set(wib(5, hour))
            await h.deps.outbox.tick(h.app.bot)
        assert len(digests(h)) == 1
        # The next day lists what came since the last digest, not SKP-000002 again.
        clock.set(wib(5, 15))
        await seed_registration(h, 1103, "Dewi Lestari")  # SKP-000003
        clock.set(wib(6, 8))
        await h.deps.outbox.tick(h.app.bot)
        second = digests(h)[-1]
        assert len(digests(h)) == 2 and "Selasa, 6 Januari 2026" in second.plain
        assert "Pendaftar baru sejak ringkasan terakhir: 1" in second.plain
        assert "SKP-000003" in second.plain and "SKP-000002 ·" not in second.plain
        keys = [r["dedupe_key"] for r in await h.deps.db.fetchall("SELECT * FROM outbox")]
        assert keys == ["digest:2026-01-05", "digest:2026-01-06"]


async def test_digest_buttons_open_a_registration_privately_and_point_at_a_question(
    make_settings: Callable[..., Settings],
) -> None:
    clock = FakeClock(wib(5, 7))
    async with Harness.create(make_settings(), clock) as h:
        await seed_registration(h, SITI, "Siti Aminah")
        await ask_staff(h)
        member = await add_staff(h)
        clock.set(wib(5, 8))
        await h.deps.outbox.tick(h.app.bot)
        [digest] = digests(h)
        # Someone in the group who is not staff: nothing happens.
        stranger = h.user(3003, "Tamu")
        assert await stranger.press("SKP-000001", digest) == []
        assert stranger.messages() == []
        # A staff member: the card comes to their private chat, with the status buttons.
        before = len(member.messages())
        await member.press("SKP-000001", digest)
        assert member.callback_answer() == (
            "SKP-000001: sudah dikirim ke chat pribadi Anda dengan bot."
        )
        [card] = member.messages()[before:]
        assert "SKP-000001" in card.plain and "Siti Aminah" in card.plain
        assert card.chat_id == STAFF_ID
        assert "Siti Aminah" not in " ".join(m.plain for m in h.sim.bot_messages(STAFF_CHAT_ID))
        await member.press("Sudah dihubungi", card)
        registration = await h.deps.registrations.get(1)
        assert registration is not None and registration.status == "dihubungi"
        # The question: the bot replies in the group to the thread's post.
        [post] = [m for m in h.sim.bot_messages(STAFF_CHAT_ID) if "#T1 · pertanyaan" in m.plain]
        await member.press("#T1", digest)
        pointer = h.sim.bot_messages(STAFF_CHAT_ID)[-1]
        assert "#T1 masih menunggu jawaban" in pointer.plain
        [call] = [c for c in h.sim.calls if c.method == "sendMessage"][-1:]
        reply_to = call.params["reply_parameters"]
        reply_to = json.loads(reply_to) if isinstance(reply_to, str) else reply_to
        assert reply_to["message_id"] == post.message_id
        # Once a staff member has answered, the button says so.
        await member.send_in_group(STAFF_CHAT_ID, "Silakan datang ke kelurahan", post)
        await member.press("#T1", digest)
        assert member.callback_answer() == "#T1 sudah tidak menunggu lagi."
        # A forged digest button with a bad number reaches no handler of the family.
        assert await member.press_data("dg:r:x", digest) == []


async def test_no_digest_without_a_staff_group_or_with_nothing_to_list(
    make_settings: Callable[..., Settings],
) -> None:
    clock = FakeClock(wib(5, 9))
    async with Harness.create(make_settings(staff_chat_id=None), clock) as h:
        await seed_registration(h, SITI, "Siti Aminah")
        await h.deps.outbox.tick(h.app.bot)
        assert await h.deps.db.fetchall("SELECT * FROM outbox") == []
    clock = FakeClock(wib(5, 9))
    settings = make_settings(database_path=make_settings().database_path.with_name("b.db"))
    async with Harness.create(settings, clock) as h:
        report = await h.deps.outbox.tick(h.app.bot)
        assert report.cancelled == 1 and digests(h) == []  # nothing to list: not sent
        clock.set(wib(6, 9))
        await seed_registration(h, SITI, "Siti Aminah")
        clock.set(wib(7, 9))
        await h.deps.outbox.tick(h.app.bot)
        [digest] = digests(h)  # the window starts where the empty one ended
        assert "Pendaftar baru sejak ringkasan terakhir: 1" in digest.plain


async def test_the_digest_marks_questions_waiting_longer_than_the_offices_promise(
    make_settings: Callable[..., Settings],
) -> None:
    clock = FakeClock(wib(5, 9))  # Monday
    async with Harness.create(make_settings(handoff_reply_hours=24), clock) as h:
        await ask_staff(h, 1001)  # #T1, Monday 09:00
        clock.set(wib(6, 7))
        await ask_staff(h, 1002)  # #T2, Tuesday 07:00
        clock.set(wib(6, 10))  # Tuesday's digest, late: #T1 has waited 25 hours, #T2 3 hours
        await h.deps.outbox.tick(h.app.bot)
        digest = digests(h)[-1]
        assert "Pertanyaan menunggu petugas: 2" in digest.plain
        assert "⏰ 1 menunggu lebih lama dari janji kantor (24 jam)" in digest.plain
        assert "⏰ #T1 · sejak" in digest.plain and "• #T2 · sejak" in digest.plain
    clock = FakeClock(wib(5, 9))
    settings = make_settings(database_path=make_settings().database_path.with_name("b.db"))
    async with Harness.create(settings, clock) as h:  # no promise stated: nothing marked
        await ask_staff(h, 1001)
        clock.set(wib(7, 9))
        await h.deps.outbox.tick(h.app.bot)
        digest = digests(h)[-1]
        assert "• #T1 · sejak" in digest.plain and "⏰" not in digest.plain


def test_digest_time_setting(make_settings: Callable[..., Settings]) -> None:
    assert make_settings(digest_time="7.30").digest_time == "07:30"
    assert make_settings(digest_time="").digest_at is None
    for bad in ("25:00", "8", "08:60", "pagi"):
        with pytest.raises(ValidationError):
            make_settings(digest_time=bad)


# ---- office hours, holidays and /libur (item 5) ----------------------------------------------


def dec(day: int, hour: int, minute: int = 0) -> datetime:
    """December 2026, WIB."""
    return datetime(2026, 12, day, hour, minute, tzinfo=UTC) - timedelta(hours=7)


async def test_libur_is_for_staff_only(harness: Harness) -> None:
    budi = harness.user(1001)
    await budi.send("/start")
    for command in ("/libur", "/libur tambah 2026-12-28 Acara", "/libur hapus 2026-12-28"):
        expected = await unknown_reply(budi, command)
        assert [(m.plain, m.buttons) for m in await budi.send(command)] == [expected]
    assert harness.deps.closed_days.days.extra == {}
    menu = {c["command"] for c in harness.sim.commands[f"chat:{ADMIN_ID}|"]}
    assert "libur" in menu
    assert "libur" not in {c["command"] for c in harness.sim.commands["default|"]}


async def test_libur_lists_adds_and_removes_closed_days_and_they_survive_a_restart(
    make_settings: Callable[..., Settings],
) -> None:
    clock = FakeClock(dec(1, 9))
    settings = make_settings(digest_time="")
    async with Harness.create(settings, clock) as h:
        member = await add_staff(h)
        [listing] = await member.send("/libur")
        assert "Hari kantor tutup (120 hari ke depan)" in listing.plain
        assert "Kamis, 24 Desember 2026 · Cuti Bersama Hari Raya Natal" in listing.plain
        assert "Jumat, 25 Desember 2026 · Hari Raya Natal" in listing.plain
        assert "Jumat, 1 Januari 2027 · Tahun Baru Masehi" in listing.plain
        [added] = await member.send("/libur tambah 28-12-2026 Acara <kota>")
        assert "Senin, 28 Desember 2026 dicatat sebagai hari libur: Acara <kota>." in added.plain
        [again] = await member.send("/libur tambah 2026-12-25 Natal")
        assert "Hari itu memang libur nasional: Hari Raya Natal" in again.plain
        [bad] = await member.send("/libur tambah 31-02-2026")
        assert "Tanggal “31-02-2026” tidak bisa dibaca" in bad.plain
        [past] = await member.send("/libur tambah 2026-11-30 Kemarin")
        assert "sudah lewat" in past.plain
        [national] = await member.send("/libur hapus 2026-12-24")
        assert "libur nasional atau cuti bersama dari kalender" in national.plain
    async with Harness.create(settings, clock) as h:  # a restart: the list is in SQLite
        member = h.user(STAFF_ID, "Sari")
        [listing] = await member.send("/libur")
        assert "Senin, 28 Desember 2026 · Acara <kota> ✍️" in listing.plain
        [removed] = await member.send("/libur hapus 2026-12-28")
        assert "sudah dihapus dari daftar hari libur" in removed.plain
        [removed] = await member.send("/libur hapus 2026-12-25")  # added on top of the calendar
        assert "Kantor tetap tutup hari itu karena libur nasional" in removed.plain
        [listing] = await member.send("/libur")
        assert "Acara" not in listing.plain and listing.plain.count("✍️") == 1  # the legend
        assert "Jumat, 25 Desember 2026 · Hari Raya Natal" in listing.plain
        actions = [(e.action, e.target) for e in await h.deps.staff.audit_log()]
        assert ("closed_day_add", "2026-12-28") in actions
        assert ("closed_day_remove", "2026-12-28") in actions


async def test_office_hours_skip_public_holidays_cuti_bersama_and_staff_closed_days(
    make_settings: Callable[..., Settings],
) -> None:
    clock = FakeClock(dec(23, 17))  # Wednesday 23 December 2026, after office hours
    settings = make_settings(office_hours="Mon-Fri 08:00-16:00", digest_time="")
    async with Harness.create(settings, clock) as h:
        member = await add_staff(h)
        budi = h.user(1001, "Budi")
        await budi.send("/start")
        await budi.send(UNKNOWN)
        await budi.press("Tanya petugas")
        # 24 Dec cuti bersama, 25 Dec Christmas, then the weekend: Monday 28 December.
        assert "jawaban paling cepat Senin, 28 Desember 2026 pukul 08.00 WIB" in budi.last().plain
        await member.send("/libur tambah 2026-12-28 Acara kota")
        dewi = h.user(1003, "Dewi")
        await dewi.send("/start")
        await dewi.send(UNKNOWN)
        await dewi.press("Tanya petugas")
        assert "jawaban paling cepat Selasa, 29 Desember 2026 pukul 08.00 WIB" in dewi.last().plain


async def test_on_a_closed_day_the_hand_off_reply_names_why(
    make_settings: Callable[..., Settings],
) -> None:
    """Issue 17 item 10: on a holiday the person hears its name, not only "outside office
    hours"; the same for a day staff closed with /libur."""
    clock = FakeClock(dec(25, 10))  # Friday 25 December 2026, 10.00 WIB: Christmas
    settings = make_settings(office_hours="Mon-Fri 08:00-16:00", digest_time="")
    async with Harness.create(settings, clock) as h:
        member = await add_staff(h)
        budi = h.user(1001, "Budi")
        await budi.send("/start")
        await budi.send(UNKNOWN)
        await budi.press("Tanya petugas")
        note = budi.last().plain
        assert "Hari ini kantor tutup (Hari Raya Natal)" in note
        assert "jawaban paling cepat Senin, 28 Desember 2026 pukul 08.00 WIB" in note
        clock.set(dec(28, 10))
        await member.send("/libur tambah 2026-12-28 Acara <kota>")
        dewi = h.user(1003, "Dewi")
        await dewi.send("/start")
        await dewi.send(UNKNOWN)
        await dewi.press("Tanya petugas")
        assert "Hari ini kantor tutup (Acara <kota>)" in dewi.last().plain
        # An ordinary evening still says "outside office hours".
        clock.set(dec(29, 19))
        sri = h.user(1004, "Sri")
        await sri.send("/start")
        await sri.send(UNKNOWN)
        await sri.press("Tanya petugas")
        assert "di luar jam kerja" in sri.last().plain and "kantor tutup" not in sri.last().plain


def test_closed_days_in_the_office_hours_check() -> None:
    from zoneinfo import ZoneInfo

    from bot.officehours import ClosedDays, OfficeHours, parse_date

    wib_zone = ZoneInfo("Asia/Jakarta")
    hours = OfficeHours.parse("Mon-Fri 08:00-16:00")
    closed = ClosedDays()
    independence = datetime(2026, 8, 17, 3, 0, tzinfo=UTC)  # Monday 10.00 WIB
    assert hours.is_open(independence, wib_zone)
    assert not hours.is_open(independence, wib_zone, closed)
    assert closed.closed_on(independence.date()) == "Hari Kemerdekaan Republik Indonesia"
    assert closed.holiday(independence.date(), "en") == "Independence Day"
    # Lebaran 2026: Idul Fitri 21-22 March (weekend), cuti bersama 20, 23 and 24 March.
    opens = hours.next_open(datetime(2026, 3, 19, 10, 0, tzinfo=UTC), wib_zone, closed)
    assert opens == datetime(2026, 3, 25, 8, 0, tzinfo=wib_zone)
    assert parse_date("24/12/2026") == parse_date("2026-12-24") == datetime(2026, 12, 24).date()
    assert parse_date("2026-13-01") is None and parse_date("besok") is None


async def test_no_daily_digest_on_a_holiday_the_next_one_covers_it(
    make_settings: Callable[..., Settings],
) -> None:
    clock = FakeClock(dec(23, 10))
    async with Harness.create(make_settings(), clock) as h:
        await seed_registration(h, SITI, "Siti Aminah")
        clock.advance(minutes=1)
        await h.deps.outbox.tick(h.app.bot)
        assert len(digests(h)) == 1  # Wednesday
        clock.set(dec(23, 12))
        await seed_registration(h, 1102, "Budi Santoso")
        for day in (24, 25):  # cuti bersama, Christmas
            clock.set(dec(day, 9))
            await h.deps.outbox.tick(h.app.bot)
        assert len(digests(h)) == 1
        clock.set(dec(26, 9))  # Saturday: no OFFICE_HOURS set, so weekends are not skipped
        await h.deps.outbox.tick(h.app.bot)
        assert len(digests(h)) == 2 and "SKP-000002" in digests(h)[-1].plain


# ---- exports (item 8) ------------------------------------------------------------------------


async def seed_from(h: Harness, user_id: int, source: str, kecamatan: str, place: str) -> None:
    """A registration started from `source` (command, menu, link, link:<poster>)."""
    await h.user(user_id, "Warga").send("/start")
    svc = h.deps.registrations
    draft = await svc.start(user_id, source)
    vars(draft.state).update(
        {
            "name": f"Warga {user_id}",
            "nik": nik_of(user_id),
            "phone": f"+628123456{user_id % 10000:04d}",
            "occupation": "buruh_batik",
            "occupation_other": None,
            "kecamatan": kecamatan,
            "kelurahan": place,
            "bpjs": "tidak_tahu",
        }
    )
    await svc.give_consent(draft)
    assert (await svc.submit(draft)).kind == "created"


async def test_exports_keep_all_16_nik_digits_and_label_every_column(harness: Harness) -> None:
    h = harness
    await seed_from(h, 1301, "command", "pekalongan_barat", "Medono")
    await seed_from(h, 1302, "link:medono", "luar_kota", "Kedungwuni")
    await seed_from(h, 1303, "menu", "pekalongan_utara", "Krapyak")
    await seed_from(h, 1304, "link", "pekalongan_utara", "Krapyak")
    admin = h.user(ADMIN_ID, "Admin")
    await admin.send("/ekspor")
    await admin.press("CSV, NIK lengkap")
    rows = read_csv(documents(h)[-1])
    table = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    # Excel, Google Sheets and LibreOffice read ="..." as a text cell: all 16 digits.
    assert [r["NIK"] for r in table] == [f'="{nik_of(u)}"' for u in (1301, 1302, 1303, 1304)]
    assert [r["Sumber"] for r in table] == [
        "perintah /daftar",
        "poster atau kode QR daftar_medono",
        "tombol menu",
        "tautan /start daftar",
    ]
    assert table[1]["Kecamatan"] == "Luar Kota Pekalongan"
    assert table[1]["Kelurahan / tempat"] == "Kedungwuni (luar Kota Pekalongan)"
    assert table[0]["Kelurahan / tempat"] == "Medono"
    assert table[2]["Status peserta BPJS"] == "tidak tahu"
    # Masked NIKs are text anyway; nothing else is written as a formula.
    await admin.press("Excel (XLSX)")
    sheet = read_xlsx(documents(h)[-1])
    assert all(isinstance(r[3], str) and "•" in r[3] for r in sheet[1:])
    await admin.press("XLSX, NIK lengkap")
    document = documents(h)[-1]
    assert [r[3] for r in read_xlsx(document)[1:]] == [nik_of(u) for u in (1301, 1302, 1303, 1304)]
    assert document.file is not None
    with zipfile.ZipFile(io.BytesIO(document.file)) as book:
        sheet_xml = book.read("xl/worksheets/sheet1.xml").decode()
    assert '<ignoredError sqref="A2:O5" numberStoredAsText="1"/>' in sheet_xml
    await admin.send("/ekspor")
    await admin.press("📄 CSV")
    masked = read_csv(documents(h)[-1])
    assert all("=" not in row[3] and "•" in row[3] for row in masked[1:])


# ---- staff find their tools (item 9) ---------------------------------------------------------


async def test_start_and_bantuan_list_the_staff_commands_for_staff_only(harness: Harness) -> None:
    budi = harness.user(1001, "Budi")
    [welcome] = await budi.send("/start")
    [help_message] = await budi.send("/bantuan")
    for text in (welcome.plain, help_message.plain):
        assert "Perintah staf" not in text and "/pendaftar" not in text and "/siaran" not in text
    member = await add_staff(harness)
    [welcome] = await member.send("/start")
    assert "🛠 Perintah staf: /siaran · /siaran_daftar · /pendaftar" in welcome.plain
    assert "/libur (penjelasan: /bantuan)" in welcome.plain and "/staf " not in welcome.plain
    [help_message] = await member.send("/bantuan")
    assert "🛠 Perintah staf (hanya terlihat oleh staf)" in help_message.plain
    assert "/pendaftar – Pendaftar baru: tindak lanjut" in help_message.plain
    assert "/staf –" not in help_message.plain  # an admin command
    admin = harness.user(ADMIN_ID, "Admin")
    [help_message] = await admin.send("/bantuan")
    assert "/staf – " in help_message.plain and "/libur – " in help_message.plain
    # A staff member removed: the list is gone at once.
    await admin.send(f"/staf hapus {STAFF_ID}")
    if admin.last().buttons:
        await admin.press(admin.last().buttons[0])
    [help_message] = await member.send("/bantuan")
    assert "Perintah staf" not in help_message.plain


# ---- small defects (item 10) ---------------------------------------------------------------------


async def test_doctor_shows_the_knowledge_base_check_its_help_promises(
    make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    from bot.ops import run_doctor

    results = {c.name: c for c in await run_doctor(make_settings(), online=False)}
    assert results["knowledge base"].ok and "id: " in results["knowledge base"].detail
    broken = tmp_path / "kb"
    shutil.copytree(LOCALES_DIR, broken)
    faq = broken / "id" / "faq.toml"
    faq.write_text(faq.read_text(encoding="utf-8") + "\n[[entry]]\nid = 1\n", encoding="utf-8")
    results = {c.name: c for c in await run_doctor(make_settings(faq_dir=broken), online=False)}
    assert not results["knowledge base"].ok
    assert "sakpore-bot kb check" in results["knowledge base"].detail


async def test_bahasa_and_the_abstain_text_read_right(harness: Harness) -> None:
    budi = harness.user(1001, "Budi")
    await budi.send("/start")
    await budi.send("/bahasa")
    [done] = await budi.press("Bahasa Indonesia")
    assert "Siap, saya akan memakai Bahasa Indonesia." in done.plain
    assert "bahasa Bahasa" not in done.plain
    [unsure] = await budi.send(UNKNOWN)
    assert unsure.buttons[0] == "📚 Lihat semua topik"  # no suggestions above
    assert "juga" not in unsure.plain
    assert "Silakan pilih pertanyaan dari daftar topik di bawah." in unsure.plain


def test_the_nik_date_error_says_it_in_words(harness: Harness) -> None:
    from bot.registration import Invalid, parse_nik

    with pytest.raises(Invalid) as caught:
        parse_nik("3375013102900012", datetime(2026, 1, 5).date())  # born 31-02-90
    for locale, words in (("id", "tanggal, bulan dan tahun lahir"), ("en", "day, month and year")):
        text = harness.deps.i18n.get(locale).gettext(caught.value.reason)
        assert words in text and "TTBBTT" not in text and "DDMMYY" not in text


# ---- /statistik: posters and QR codes (item 6) --------------------------------------------------


async def test_statistik_follows_each_poster_to_registrations_and_bpjs(harness: Harness) -> None:
    h = harness
    for uid in (1401, 1402, 1403):
        person = h.user(uid, "Warga")
        await person.send("/start daftar_Medono")  # the poster's QR code
        await person.send("/batal")
    await h.user(1404, "Warga").send("/start daftar_pasar")
    await h.user(1404, "Warga").send("/batal")
    await seed_from(h, 1401, "link:medono", "pekalongan_barat", "Medono")
    await seed_from(h, 1402, "link:medono", "pekalongan_barat", "Medono")
    await seed_from(h, 1405, "command", "pekalongan_barat", "Medono")  # not from a poster
    assert await h.deps.status_messages.set_status(1, "terdaftar_bpjs")
    member = await add_staff(h)
    text, chart = await member.send("/statistik")
    assert "Dari poster dan kode QR (membuka tautan → mendaftar → terdaftar BPJS)" in text.plain
    assert "• daftar_medono: 3 → 2 (67%) → 1" in text.plain
    assert "• daftar_pasar: 1 → 0 (0%) → 0" in text.plain
    assert chart.kind == "photo" and chart.file is not None
    # The chart has the posters' panel: taller than the same figures without it.
    from bot.charts import bar_chart
    from bot.funnel import funnel_section

    tr = h.deps.i18n.get("id")
    panel = funnel_section(tr, await h.deps.stats.funnel())
    assert list(panel.bars[:3]) == [
        ("medono: membuka", 3),
        ("medono: mendaftar", 2),
        ("medono: terdaftar BPJS", 1),
    ]
    with_panel = Image.open(io.BytesIO(chart.file))
    without = Image.open(io.BytesIO(bar_chart([])))
    assert with_panel.height > without.height


# ---- what /daftar does, said plainly (item 2) --------------------------------------------


async def test_the_menu_and_registration_texts_say_it_is_interest_and_who_calls(
    harness: Harness,
) -> None:
    siti = harness.user(SITI, "Siti")
    [welcome] = await siti.send("/start")
    assert "📝 Daftar minat" in welcome.buttons
    menu = {c["command"]: c["description"] for c in harness.sim.commands["default|"]}
    assert menu["daftar"] == "Daftar minat ikut BPJS Ketenagakerjaan"
    [consent] = await siti.send("/daftar")
    assert "ini belum pendaftaran BPJS" in consent.plain
    assert "Petugas Program Pekalongan Sakpore dari Pemkot Pekalongan akan menghubungi Anda" in (
        consent.plain
    )
    assert "Setiap ada perkembangan, Anda mendapat kabar di chat ini." in consent.plain
    assert "Rp16.800 sebulan" in consent.plain
    await siti.press("Setuju")
    await siti.send("Siti Aminah")
    await siti.send(nik_of(SITI))
    await siti.send("081234561101")
    await siti.press("Pengayuh becak")
    await siti.press("Pekalongan Barat")
    await siti.press("Medono")
    await siti.press("Belum")
    await siti.press("Kirim")
    done = siti.last().plain
    assert "Minat Anda sudah kami catat. Anda belum terdaftar di BPJS." in done
    assert "Nomor pendaftaran: SKP-000001" in done
    assert "petugas Program Pekalongan Sakpore dari Pemkot Pekalongan akan menghubungi" in done
