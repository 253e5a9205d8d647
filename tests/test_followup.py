"""Issue 17 follow-through, end to end through the simulator: status messages (item 1)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from bot.clock import FakeClock
from bot.config import Settings
from bot.harness import Harness, UserDriver
from bot.outbox import OutboxReport
from bot.reminders import Rule
from bot.simulator import SimMessage
from tests.conftest import ADMIN_ID
from tests.test_staff_tools import seed_registration

SITI = 1101
REGISTERED = "SKP-000001 sudah didaftarkan ke BPJS Ketenagakerjaan"


async def run_outbox(h: Harness, after: timedelta = timedelta(seconds=61)) -> OutboxReport:
    """Let the status-message delay pass, then one run of the outbox worker."""
    assert isinstance(h.clock, FakeClock)
    h.clock.advance(seconds=after.total_seconds())
    return await h.deps.outbox.tick(h.app.bot)


def from_bot_after(person: UserDriver, count: int) -> list[SimMessage]:
    return person.messages()[count:]


async def mark(h: Harness, label: str, reference: str = "SKP-000001") -> None:
    """A staff member (the admin) opens the registration and presses a status button."""
    admin = h.user(ADMIN_ID, "Admin")
    [card] = await admin.send(f"/pendaftar {reference}")
    await admin.press(label, card)


async def test_registered_with_bpjs_tells_the_person_once_with_the_reminder_offer(
    harness: Harness,
) -> None:
    await seed_registration(harness, SITI, "Siti Aminah")
    siti = harness.user(SITI, "Siti")
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
    assert message.buttons == ["⏰ Pasang pengingat bayar iuran"]
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
    await seed_registration(harness, SITI, "Siti Aminah")
    siti = harness.user(SITI, "Siti")
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
    await seed_registration(harness, SITI, "Siti Aminah")
    siti = harness.user(SITI, "Siti")
    await siti.send("/berhenti")  # stops announcements, not answers to their own request
    await siti.send("/bahasa")
    await siti.press("English")
    await mark(harness, "Terdaftar BPJS")
    await run_outbox(harness)
    assert "SKP-000001 has been registered with BPJS Ketenagakerjaan" in siti.last().plain
    assert "Rp16,800 a month" in siti.last().plain


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
