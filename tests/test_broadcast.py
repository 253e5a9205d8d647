"""Broadcasts end to end: compose, preview, audience, deliver with faults, restarts, cancel,
scheduling, the rate cap and opt-outs. Time is a FakeClock; the engine's waits move it."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bot.broadcast import Pacer, parse_when, sleeper_for
from bot.clock import FakeClock
from bot.config import Settings
from sakpore_sim.harness import Harness, UserDriver
from sakpore_sim.simulator import ApiCall, SimMessage, TelegramSimulator
from tests.conftest import ADMIN_ID
from tests.test_staff import add_staff
from tests.test_staff_tools import seed_registration

USERS = list(range(1001, 1011))
BOLD = [{"type": "bold", "offset": 0, "length": 5}]


async def start_users(h: Harness, ids: list[int], language: str = "id") -> None:
    for uid in ids:
        await h.user(uid, f"U{uid}", language).send("/start")


async def compose(
    h: Harness, text: str = "Rapat warga besok pagi", audience: str = "Semua pengguna"
) -> UserDriver:
    """The admin writes a broadcast and picks the audience; returns the admin."""
    admin = h.user(ADMIN_ID, "Admin")
    await admin.send("/siaran")
    await admin.send_content(text=text, entities=BOLD)
    await admin.press(audience)
    return admin


async def schedule(h: Harness, when: str) -> UserDriver:
    """The admin writes a broadcast for everyone, taps "Jadwalkan" and types `when`."""
    admin = await compose(h)
    await admin.press("Jadwalkan")
    await admin.send(when)
    return admin


async def override_quiet_hours(h: Harness) -> UserDriver:
    """In the quiet hours, the admin writes a broadcast for everyone and sends it anyway."""
    admin = await compose(h)
    quiet = await admin.press_in_place("Kirim sekarang")
    await admin.press("Tetap kirim sekarang", quiet)
    return admin


async def send_now(h: Harness, text: str = "Rapat warga besok pagi") -> UserDriver:
    admin = await compose(h, text)
    await admin.press("Kirim sekarang")
    await admin.press("Ya, kirim")  # the confirmation (issue 17)
    assert "Siaran #" in admin.last().plain
    return admin


def recipient_messages(sim: TelegramSimulator, uid: int) -> list[SimMessage]:
    return [m for m in sim.bot_messages(uid, include_deleted=True) if "Pengumuman" in m.plain]


def record_sends(h: Harness, ids: list[int]) -> list[tuple[int, datetime]]:
    """(chat, fake time) of every delivered broadcast message to `ids`."""
    seen: list[tuple[int, datetime]] = []

    def listener(call: ApiCall, message: SimMessage | None) -> None:
        if call.method == "sendMessage" and message is not None and message.chat_id in ids:
            seen.append((message.chat_id, h.clock.now()))

    h.sim.on_message(listener)
    return seen


async def test_compose_preview_and_send_to_everyone(harness: Harness) -> None:
    await start_users(harness, USERS)
    await harness.user(1010).send("/berhenti")
    admin = await compose(harness)
    preview = [m for m in admin.messages() if "Rapat warga" in m.plain][-1]
    assert preview.text.startswith("<b>Rapat</b> warga besok pagi")
    assert "Ketik /berhenti" in preview.plain
    # Everyone who started the bot and did not opt out: 9 users and the admin.
    assert "10 orang akan menerima" in admin.last().plain
    await admin.press("Kirim sekarang")
    await admin.press("Ya, kirim")  # the confirmation (issue 17)
    assert (await harness.deps.dialogs.current(ADMIN_ID)).dialog is None

    assert await harness.deps.broadcaster.run(harness.app.bot)
    for uid in USERS[:-1]:
        [got] = recipient_messages(harness.sim, uid)
        assert got.text == preview.text
    assert recipient_messages(harness.sim, 1010) == []
    report = admin.last().plain
    assert "Siaran #1 selesai" in report
    assert "Terkirim: 10 dari 10" in report
    [broadcast] = await harness.deps.broadcaster.repo.recent()
    assert broadcast.status == "done"
    assert [e.action for e in await harness.deps.staff.audit_log()] == ["broadcast_send"]
    # The progress message was closed with the final figures.
    progress = [m for m in admin.messages() if "Terkirim" in m.plain and m.edits]
    assert progress and "Terkirim 10 dari 10" in progress[0].plain


async def test_403_429_500_and_timeout(harness: Harness) -> None:
    await start_users(harness, USERS)
    sim = harness.sim
    sim.block(1002)
    sim.fail("retry_after", chat_id=1003, retry_after=5)
    sim.fail("server_error", chat_id=1004, times=2)
    sim.fail("server_error", chat_id=1005, times=None)
    sim.fail("timeout", chat_id=1006, delivered=True)
    sends = record_sends(harness, USERS)
    calls: list[tuple[int, datetime, bool]] = []

    def every_call(call: ApiCall, message: SimMessage | None) -> None:
        if call.method == "sendMessage" and call.params.get("chat_id") in USERS:
            calls.append((int(call.params["chat_id"]), harness.clock.now(), call.ok))

    sim.on_message(every_call)
    admin = await send_now(harness)
    await harness.deps.broadcaster.run(harness.app.bot)

    statuses = await harness.deps.broadcaster.repo.deliveries(1)
    assert statuses[1002] == "blocked"
    assert (await harness.deps.users.get(1002)).blocked_at is not None  # type: ignore[union-attr]
    assert statuses[1003] == "sent"
    assert statuses[1004] == "sent"
    assert statuses[1005] == "failed"
    assert statuses[1006] == "uncertain"
    for uid in (1001, 1007, 1008, 1009, 1010):
        assert statuses[uid] == "sent"
    # 500 twice, then delivered; 500 for ever: stopped after BROADCAST_MAX_ATTEMPTS tries.
    assert [ok for c, _, ok in calls if c == 1004] == [False, False, True]
    assert len([c for c, _, _ in calls if c == 1005]) == 5
    # The timeout was delivered by Telegram: never sent again.
    assert len([c for c, _, _ in calls if c == 1006]) == 1
    assert len(recipient_messages(sim, 1006)) == 1
    # After the 429 nothing went out for retry_after seconds.
    [(_, limited, _)] = [c for c in calls if c[0] == 1003 and not c[2]]
    later = [t for _, t, ok in calls if t > limited]
    assert later and min(later) >= limited + timedelta(seconds=5)
    # Everyone got it at most once.
    assert all(n == 1 for n in Counter(chat for chat, _ in sends).values())
    report = admin.last().plain
    assert "Terkirim: 8 dari 11" in report
    assert "Memblokir bot: 1" in report
    assert "Gagal: 1" in report
    assert "Belum pasti (mungkin sudah sampai): 1" in report


async def test_restart_in_the_middle_delivers_each_exactly_once(
    make_settings: Callable[..., Settings], clock: FakeClock
) -> None:
    settings = make_settings(broadcast_max_per_second=5)
    ids = list(range(1001, 1031))
    async with Harness.create(settings, clock) as h1:
        await start_users(h1, ids)
        await send_now(h1)
        await h1.deps.broadcaster.run(h1.app.bot, max_seconds=2)
        first = {uid: len(recipient_messages(h1.sim, uid)) for uid in ids}
        assert 5 <= sum(first.values()) < 20
    async with Harness.create(settings, clock, sim=h1.sim) as h2:
        await h2.deps.broadcaster.run(h2.app.bot)
        second = {uid: len(recipient_messages(h2.sim, uid)) - first[uid] for uid in ids}
        assert (await h2.deps.broadcaster.repo.get(1)).status == "done"  # type: ignore[union-attr]
    assert all(first[uid] + second[uid] == 1 for uid in ids)


async def test_crash_with_sends_in_flight_never_sends_twice(
    make_settings: Callable[..., Settings], clock: FakeClock
) -> None:
    """A crash while requests are out: those rows become 'uncertain' and are not resent."""
    settings = make_settings(broadcast_max_per_second=1000)
    ids = list(range(1001, 1021))
    sim1 = TelegramSimulator(clock)
    async with Harness.create(settings, clock, sim=sim1) as h1:
        await start_users(h1, ids)
        await send_now(h1)
        # Messages to the recipients leave the bot but do not reach Telegram: in flight.
        sim1.hold(lambda method, params: method == "sendMessage" and params["chat_id"] in ids)
        run = asyncio.create_task(h1.deps.broadcaster.run(h1.app.bot))
        await sim1.wait_for(
            lambda: sum(method == "sendMessage" for method, _params in sim1.held) >= 3
        )
        # The crash: every task of the engine dies where it is.
        for task in asyncio.all_tasks():
            if task is not asyncio.current_task() and "deliver" in repr(task.get_coro()):
                task.cancel()
        run.cancel()
        await asyncio.gather(run, return_exceptions=True)
        assert not sim1.held  # the crash took the requests with it
        sim1.release()
        in_flight = {
            uid
            for uid, s in (await h1.deps.broadcaster.repo.deliveries(1)).items()
            if s == "sending"
        }
        assert len(in_flight) >= 3
    async with Harness.create(settings, clock, sim=sim1) as h2:
        await h2.deps.broadcaster.run(h2.app.bot)
        statuses = await h2.deps.broadcaster.repo.deliveries(1)
        for uid in ids:
            total = len(recipient_messages(sim1, uid))
            if uid in in_flight:
                # In flight at the crash: Telegram may or may not have it (here: not); never
                # resent.
                assert statuses[uid] == "uncertain" and total == 0
            else:
                assert statuses[uid] == "sent" and total == 1


async def test_scheduled_broadcast_survives_a_restart(
    make_settings: Callable[..., Settings], clock: FakeClock
) -> None:
    settings = make_settings()
    async with Harness.create(settings, clock) as h1:
        await start_users(h1, USERS)
        admin = await compose(h1)
        await admin.press("Jadwalkan")
        assert "Kapan dikirim" in admin.last().plain
        await admin.send("kemarin")
        assert "belum terbaca" in admin.last().plain
        await admin.send("04-01-2026 07.00")
        assert "sudah lewat" in admin.last().plain
        await admin.send("06-01-2026 07.00")
        assert "Selasa, 6 Januari 2026 pukul 07.00 WIB" in admin.last().plain
        await h1.deps.broadcaster.run(h1.app.bot)
        assert all(recipient_messages(h1.sim, uid) == [] for uid in USERS)
    clock.set(datetime(2026, 1, 5, 23, 59, tzinfo=UTC))  # 06.59 WIB
    async with Harness.create(settings, clock) as h2:
        # The engine waits for work due soon, unless told to stop sooner.
        await h2.deps.broadcaster.run(h2.app.bot, max_seconds=30)
        assert all(recipient_messages(h2.sim, uid) == [] for uid in USERS)
        clock.advance(seconds=30)
        await h2.deps.broadcaster.run(h2.app.bot)
        assert all(len(recipient_messages(h2.sim, uid)) == 1 for uid in USERS)
        [b] = await h2.deps.broadcaster.repo.recent()
        assert b.status == "done" and b.started_at == datetime(2026, 1, 6, 0, 0, tzinfo=UTC)
    assert [e.action for e in await h2_audit(settings, clock)] == ["broadcast_schedule"]


async def h2_audit(settings: Settings, clock: FakeClock):  # type: ignore[no-untyped-def]
    async with Harness.create(settings, clock) as h:
        return await h.deps.staff.audit_log()


async def test_quick_time_buttons_schedule(harness: Harness) -> None:
    await start_users(harness, USERS[:2])
    admin = await compose(harness)
    await admin.press("Jadwalkan")
    await admin.press("Selasa, 6 Januari 2026 pukul 12.00 WIB")
    assert "dijadwalkan Selasa, 6 Januari 2026 pukul 12.00 WIB" in admin.last().plain
    [b] = await harness.deps.broadcaster.repo.recent()
    assert b.status == "scheduled" and b.scheduled_at == datetime(2026, 1, 6, 5, 0, tzinfo=UTC)


async def test_cancel_a_running_and_a_scheduled_broadcast(
    make_settings: Callable[..., Settings], clock: FakeClock
) -> None:
    settings = make_settings(broadcast_max_per_second=5)
    ids = list(range(1001, 1021))
    async with Harness.create(settings, clock) as h:
        await start_users(h, ids)
        admin = await send_now(h)
        await h.deps.broadcaster.run(h.app.bot, max_seconds=1)
        await admin.send("/siaran_daftar")
        assert "#1 · sedang dikirim" in admin.last().plain
        await admin.press("Hentikan #1")
        await admin.press("Ya, hentikan")
        assert "Siaran #1 dihentikan" in admin.last().plain
        sent_before = sum(len(recipient_messages(h.sim, uid)) for uid in ids)
        await h.deps.broadcaster.run(h.app.bot)
        assert sum(len(recipient_messages(h.sim, uid)) for uid in ids) == sent_before
        counts = await h.deps.broadcaster.repo.counts(1)
        assert counts["sent"] == sent_before and counts["cancelled"] == 21 - sent_before
        progress = [m for m in admin.messages() if "Terkirim" in m.plain and m.edits]
        assert "dibatalkan" in progress[0].plain

        # A scheduled one, stopped with the button under /siaran_daftar.
        admin2 = await compose(h)
        await admin2.press("Jadwalkan")
        await admin2.send("10-01-2026 08.00")
        await admin.send("/siaran_daftar")
        assert "#2 · terjadwal" in admin.last().plain
        await admin.press("Hentikan #2")
        await admin.press("Ya, hentikan")
        clock.advance(days=10)
        await h.deps.broadcaster.run(h.app.bot)
        assert (await h.deps.broadcaster.repo.get(2)).status == "cancelled"  # type: ignore[union-attr]
        assert sum(len(recipient_messages(h.sim, uid)) for uid in ids) == sent_before
        actions = [e.action for e in reversed(await h.deps.staff.audit_log())]
        assert actions == [
            "broadcast_send",
            "broadcast_cancel",
            "broadcast_schedule",
            "broadcast_cancel",
        ]


async def test_rate_never_above_the_cap(
    make_settings: Callable[..., Settings], clock: FakeClock
) -> None:
    settings = make_settings(broadcast_max_per_second=7, broadcast_progress_seconds=1)
    ids = list(range(1001, 1051))
    async with Harness.create(settings, clock) as h:
        await start_users(h, ids)
        sends = record_sends(h, ids)
        admin = await send_now(h)
        start = clock.now()
        await h.deps.broadcaster.run(h.app.bot)
        assert len(sends) == 50
        per_second = Counter(int((t - start).total_seconds()) for _, t in sends)
        assert max(per_second.values()) <= 7
        assert (clock.now() - start).total_seconds() >= 50 / 7 - 1
        # The progress message was edited along the way, never with the same text.
        progress = [m for m in admin.messages() if "Terkirim" in m.plain and m.edits]
        assert progress[0].edits >= 3
        assert not [c for c in h.sim.calls if c.error and "not modified" in c.error]


async def test_user_who_opts_out_during_a_broadcast_is_skipped(
    make_settings: Callable[..., Settings], clock: FakeClock
) -> None:
    settings = make_settings(broadcast_max_per_second=2)
    async with Harness.create(settings, clock) as h:
        await start_users(h, USERS)
        await send_now(h)
        await h.deps.broadcaster.run(h.app.bot, max_seconds=1)
        statuses = await h.deps.broadcaster.repo.deliveries(1)
        later = max(uid for uid, s in statuses.items() if s == "pending" and uid in USERS)
        await h.user(later).send("/berhenti")
        await h.deps.broadcaster.run(h.app.bot)
        assert recipient_messages(h.sim, later) == []
        assert (await h.deps.broadcaster.repo.deliveries(1))[later] == "skipped"


async def test_dialog_survives_a_restart_and_photo_keeps_its_caption(
    make_settings: Callable[..., Settings], clock: FakeClock
) -> None:
    settings = make_settings()
    async with Harness.create(settings, clock) as h1:
        await start_users(h1, USERS[:3])
        admin = h1.user(ADMIN_ID, "Admin")
        await admin.send("/siaran")
        photo = [{"file_id": "PHOTO-1", "file_unique_id": "p1", "width": 90, "height": 90}]
        await admin.send_content(
            photo=photo,
            caption="Jadwal & tempat",
            caption_entities=[{"type": "italic", "offset": 0, "length": 6}],
        )
        preview = admin.messages()[-2]
        assert preview.kind == "photo"
        assert preview.text.startswith("<i>Jadwal</i> &amp; tempat")
        question = admin.last()
    async with Harness.create(settings, clock, sim=h1.sim) as h2:
        admin = h2.user(ADMIN_ID, "Admin")
        await admin.press_data("bc:aud:all", question)
        assert "4 orang akan menerima" in admin.last().plain
        await admin.press("Kirim sekarang")
        await admin.press("Ya, kirim")  # the confirmation (issue 17)
        await h2.deps.broadcaster.run(h2.app.bot)
        [got] = [m for m in h2.sim.bot_messages(1001) if m.kind == "photo"]
        assert len([m for m in h2.sim.bot_messages(ADMIN_ID) if m.kind == "photo"]) == 2
        assert got.text == preview.text
        assert h2.sim.calls_to("sendPhoto")[-1].params["photo"] == "PHOTO-1"


async def test_audience_by_language_and_other_inputs(harness: Harness) -> None:
    await start_users(harness, USERS[:3])
    await start_users(harness, USERS[3:5], language="en")
    admin = await compose(harness, audience="Menurut bahasa")
    assert {"English", "Bahasa Indonesia"} <= set(admin.last().buttons)
    await admin.press("English")
    assert "Menurut bahasa: English" in admin.last().plain
    assert "2 orang akan menerima" in admin.last().plain
    await admin.press("Kirim sekarang")
    await admin.press("Ya, kirim")  # the confirmation (issue 17)
    await harness.deps.broadcaster.run(harness.app.bot)
    [english] = [m for m in harness.sim.bot_messages(1004) if "Rapat" in m.plain]
    assert "Type /berhenti" in english.plain
    assert [m for m in harness.sim.bot_messages(1001) if "Rapat" in m.plain] == []

    # A sticker is not content; /batal ends the dialogue; the next text is an ordinary message.
    await admin.send("/siaran")
    await admin.send_sticker()
    assert "Mohon kirim teks, foto, atau dokumen" in admin.last().plain
    await admin.send("/batal")
    assert "Dibatalkan" in admin.last().plain
    assert (await harness.deps.dialogs.current(ADMIN_ID)).dialog is None


async def test_too_long_is_refused_before_the_preview(harness: Harness) -> None:
    admin = harness.user(ADMIN_ID, "Admin")
    await admin.send("/siaran")
    await admin.send("x" * 4090)
    assert "kelebihan" in admin.last().plain
    assert (await harness.deps.dialogs.current(ADMIN_ID)).dialog.step == "content"  # type: ignore[union-attr]


def test_parse_when() -> None:
    from zoneinfo import ZoneInfo

    wib = ZoneInfo("Asia/Jakarta")
    assert parse_when("25-12-2026 07.00", wib) == datetime(2026, 12, 25, 7, 0, tzinfo=wib)
    assert parse_when("25/12/26 pukul 7:30 WIB", wib) == datetime(2026, 12, 25, 7, 30, tzinfo=wib)
    assert parse_when("31-02-2026 07.00", wib) is None
    assert parse_when("besok pagi", wib) is None


async def test_pacer_spaces_starts_on_the_fake_clock() -> None:
    clock = FakeClock()
    pacer = Pacer(clock, 4, sleeper_for(clock))
    start = clock.now()
    times = []
    for _ in range(9):
        await pacer.wait()
        times.append((clock.now() - start).total_seconds())
    assert times == [0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0]
    pacer.hold_until(clock.now() + timedelta(seconds=3))
    await pacer.wait()
    assert (clock.now() - start).total_seconds() == 5.0


def test_audience_registry_halves_match() -> None:
    from bot.broadcast import AUDIENCES
    from bot.store.broadcasts import AUDIENCE_QUERIES

    assert [a.name for a in AUDIENCES] == list(AUDIENCE_QUERIES)
    for audience in AUDIENCES:
        assert audience.has_options == (audience.option_label is not None), audience.name
        assert len(f"bc:aud:{audience.name}".encode()) <= 64


# ---- the safer flow (issue 17 item 7) ---------------------------------------------------------


def wib(day: int, hour: int, minute: int = 0) -> datetime:
    """January 2026, WIB."""
    return datetime(2026, 1, day, hour, minute, tzinfo=UTC) - timedelta(hours=7)


async def test_send_now_asks_again_with_the_count_and_the_estimate(harness: Harness) -> None:
    await start_users(harness, USERS)
    admin = await compose(harness)
    assert "11 orang akan menerima" in admin.last().plain
    assert (
        "Pengiriman butuh sekitar 1 detik" in admin.last().plain
    )  # 10 users and the admin at 25 a second
    await start_users(harness, [1011])  # someone new meanwhile: counted again
    sure = await admin.press_in_place("Kirim sekarang")
    assert "Kirim sekarang ke 12 orang?\nPenerima: Semua pengguna" in sure.plain
    assert "Ya, kirim ke 12 orang" in sure.buttons[0]
    assert await harness.deps.broadcaster.repo.recent() == []  # nothing before the second tap
    await admin.press("Ya, kirim")
    assert "Siaran #1" in admin.last().plain
    await harness.deps.broadcaster.run(harness.app.bot)
    assert all(len(recipient_messages(harness.sim, uid)) == 1 for uid in USERS)
    # "selesai" once: the final report; the progress message points to it.
    finished = [m for m in harness.sim.bot_messages(ADMIN_ID) if "selesai" in m.plain]
    assert len(finished) == 1 and "Terkirim: 12 dari 12" in finished[0].plain
    assert "Memakan waktu 1 detik" in finished[0].plain
    progress = [m for m in admin.messages() if "laporannya ada di bawah" in m.plain]
    assert len(progress) == 1 and "Terkirim 12 dari 12" in progress[0].plain


async def test_the_estimate_follows_the_configured_rate(
    make_settings: Callable[..., Settings], clock: FakeClock
) -> None:
    async with Harness.create(make_settings(broadcast_max_per_second=0.05), clock) as h:
        await start_users(h, USERS)
        admin = await compose(h)
        assert "Pengiriman butuh sekitar 4 menit" in admin.last().plain  # 11 at 1 per 20 s


async def test_no_send_now_in_quiet_hours_unless_an_admin_overrides(
    make_settings: Callable[..., Settings],
) -> None:
    clock = FakeClock(wib(5, 21, 30))
    async with Harness.create(make_settings(), clock) as h:
        await start_users(h, USERS[:3])
        member = await add_staff(h)
        await member.send("/siaran")
        await member.send("Rapat warga besok pagi")
        await member.press("Semua pengguna")
        quiet = await member.press_in_place("Kirim sekarang")
        assert "Sekarang pukul 21.30 WIB, jam tenang (21.00–06.00 WIB)" in quiet.plain
        assert "Ya, kirim" not in " ".join(quiet.buttons)
        assert "Tetap kirim" not in " ".join(quiet.buttons)  # staff, not admin
        await member.press_data("bc:night", quiet)  # a forged override
        assert "Hanya admin" in member.last().plain
        await member.press_data("bc:sure", quiet)
        assert await h.deps.broadcaster.repo.recent() == []
        await member.press("Batal")

        admin = await override_quiet_hours(h)
        assert "Siaran #1" in admin.last().plain
        [b] = await h.deps.broadcaster.repo.recent()
        assert b.scheduled_at <= clock.now()  # now, not tomorrow morning
        [entry] = [e for e in await h.deps.staff.audit_log() if e.action == "broadcast_send"]
        assert "quiet hours, admin override" in (entry.detail or "")
        # At 06.00 the quiet hours are over.
        clock.set(wib(6, 6, 0))
        admin2 = await compose(h)
        sure = await admin2.press_in_place("Kirim sekarang")
        assert "Ya, kirim ke" in sure.buttons[0]


async def test_a_schedule_in_quiet_hours_is_moved_only_with_consent(harness: Harness) -> None:
    await start_users(harness, USERS[:2])
    admin = await schedule(harness, "06-01-2026 23.15")
    refused = admin.last()
    assert "Selasa, 6 Januari 2026 pukul 23.15 WIB masuk jam tenang" in refused.plain
    assert await harness.deps.broadcaster.repo.recent() == []
    await admin.press("Pindahkan ke Rabu, 7 Januari 2026 pukul 06.00 WIB")
    assert "dijadwalkan Rabu, 7 Januari 2026 pukul 06.00 WIB" in admin.last().plain
    [b] = await harness.deps.broadcaster.repo.recent()
    assert b.status == "scheduled" and b.scheduled_at == wib(7, 6, 0)
    # Early morning is quiet too: moved to 06.00 the same day.
    admin = await schedule(harness, "08-01-2026 05.00")
    assert "Pindahkan ke Kamis, 8 Januari 2026 pukul 06.00 WIB" in " ".join(admin.last().buttons)


async def test_a_broadcast_due_before_the_quiet_hours_does_not_start_in_them(
    make_settings: Callable[..., Settings],
) -> None:
    clock = FakeClock(wib(5, 20, 0))
    async with Harness.create(make_settings(), clock) as h:
        await start_users(h, USERS[:3])
        admin = await schedule(h, "05-01-2026 20.50")
        assert "dijadwalkan Senin, 5 Januari 2026 pukul 20.50 WIB" in admin.last().plain
        clock.set(wib(5, 21, 10))  # the bot was down at 20.50: it comes up in the quiet hours
        await h.deps.broadcaster.run(h.app.bot)
        assert all(recipient_messages(h.sim, uid) == [] for uid in USERS[:3])
        [b] = await h.deps.broadcaster.repo.recent()
        assert b.status == "scheduled" and b.scheduled_at == wib(6, 6, 0)
        told = admin.last()
        assert "Siaran #1 seharusnya mulai Senin, 5 Januari 2026 pukul 20.50 WIB" in told.plain
        assert "Selasa, 6 Januari 2026 pukul 06.00 WIB" in told.plain
        assert "Hentikan" in " ".join(told.buttons)
        clock.set(wib(6, 6, 0))
        await h.deps.broadcaster.run(h.app.bot)
        assert all(len(recipient_messages(h.sim, uid)) == 1 for uid in USERS[:3])
        # An admin's override in the quiet hours starts at once.
        clock.set(wib(6, 22, 0))
        admin = await override_quiet_hours(h)
        await h.deps.broadcaster.run(h.app.bot)
        assert all(len(recipient_messages(h.sim, uid)) == 2 for uid in USERS[:3])


async def test_kelurahan_and_kecamatan_with_occupation_as_audiences(harness: Harness) -> None:
    h = harness
    await seed_registration(h, 1001, "Siti A", "buruh_batik", "pekalongan_barat", "Medono")
    await seed_registration(h, 1002, "Budi B", "pengayuh_becak", "pekalongan_barat", "Medono")
    await seed_registration(h, 1003, "Sri C", "buruh_batik", "pekalongan_barat", "Tirto")
    await seed_registration(h, 1004, "Dewi D", "buruh_batik", "pekalongan_utara", "Panjang Wetan")
    await seed_registration(h, 1005, "Tono E", "lainnya", "luar_kota", "Medono")  # a typed place

    admin = await compose(h, audience="Per kelurahan")
    assert admin.last().buttons[:3] == ["Medono", "Panjang Wetan", "Tirto"]
    await admin.press("Medono")
    assert "Per kelurahan: Medono: 2 orang akan menerima" in admin.last().plain

    await admin.press("Ganti penerima")
    await admin.press("Per kecamatan dan pekerjaan")
    await admin.press("Pekalongan Barat")
    second = admin.last()
    assert "Per kecamatan dan pekerjaan: Pekalongan Barat" in second.plain
    assert second.buttons[:2] == ["Buruh batik", "Pengayuh becak"]
    await admin.press("Buruh batik")
    confirm = admin.last().plain
    assert "Pekalongan Barat + Buruh batik: 2 orang akan menerima" in confirm
    await admin.press("Kirim sekarang")
    await admin.press("Ya, kirim")
    await h.deps.broadcaster.run(h.app.bot)
    got = [uid for uid in range(1001, 1006) if recipient_messages(h.sim, uid)]
    assert got == [1001, 1003]


async def test_natural_times_are_shown_back_before_scheduling(harness: Harness) -> None:
    """Monday 5 January 2026, 08.00 WIB (the fixture's clock)."""
    await start_users(harness, USERS[:2])
    admin = await schedule(harness, "Jumat 09.00")
    assert "Terbaca: Jumat, 9 Januari 2026 pukul 09.00 WIB" in admin.last().plain
    assert await harness.deps.broadcaster.repo.recent() == []  # not before the tap
    await admin.send("nanti jam 4 sore")
    assert "Terbaca: Senin, 5 Januari 2026 pukul 16.00 WIB" in admin.last().plain
    await admin.send("besok jam 8")
    assert "Terbaca: Selasa, 6 Januari 2026 pukul 08.00 WIB" in admin.last().plain
    await admin.press("Ya, jadwalkan")
    assert "dijadwalkan Selasa, 6 Januari 2026 pukul 08.00 WIB" in admin.last().plain
    [b] = await harness.deps.broadcaster.repo.recent()
    assert b.scheduled_at == wib(6, 8, 0)
    # A natural time in the quiet hours is refused at the tap, with the move offered.
    admin = await schedule(harness, "besok jam 10 malam")
    await admin.press("Ya, jadwalkan")
    assert "masuk jam tenang" in admin.last().plain
    await admin.send("kemarin jam 8")
    assert "belum terbaca" in admin.last().plain and "besok jam 8" in admin.last().plain


def test_parse_natural_forms() -> None:
    from zoneinfo import ZoneInfo

    from bot.naturaltime import parse_natural

    tz = ZoneInfo("Asia/Jakarta")
    now = datetime(2026, 12, 2, 10, 0, tzinfo=tz)  # Wednesday 10.00

    def at(day: int, hour: int, minute: int = 0) -> datetime:
        return datetime(2026, 12, day, hour, minute, tzinfo=tz)

    cases = {
        "besok jam 8": at(3, 8),
        "Jumat 09.00": at(4, 9),
        "Jum'at, 09.00 WIB": at(4, 9),
        "nanti jam 4 sore": at(2, 16),
        "nanti jam 4": at(2, 16),  # already past 04.00: the afternoon
        "lusa pukul 7.30 pagi": at(4, 7, 30),
        "rabu jam 9": at(9, 9),  # today's 09.00 has passed: next week
        "rabu jam 11": at(2, 11),
        "jam 1 siang": at(2, 13),
        "besok jam 9 malam": at(3, 21),
        "tomorrow 8": at(3, 8),
        "friday 14:00": at(4, 14),
    }
    for text, expected in cases.items():
        assert parse_natural(text, now, tz) == expected, text
    for text in ("8", "besok jam 25", "besok jam 8.75", "kemarin jam 8", "25-12-2026 07.00", ""):
        assert parse_natural(text, now, tz) is None, text
