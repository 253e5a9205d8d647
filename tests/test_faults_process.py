"""Proof under faults (issue 7), with the real bot process.

`python -m bot run` talks over HTTP to the simulated Bot API served by this test
(tests/faultlab.py). It is killed with SIGKILL in the middle of a broadcast, a reminder run
and a registration, then started again on the same SQLite file; it faces 429 storms, 500s
and timeouts; and "Telegram" disappears from the network and comes back. Afterwards nothing
committed is lost, nothing is sent twice beyond what was in flight (and then it is marked
'uncertain', never resent), dialogues resume, and the process stops cleanly on SIGTERM.

FAULT_OUTAGE_SECONDS (default 10) sets how long Telegram stays unreachable in the outage
test; bench/faults.py runs it with two minutes.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from sakpore_sim.simulator import SimMessage, SimUser
from tests.faultlab import (
    ADMIN_ID,
    BROADCAST_MARK,
    FINISHED_MARK,
    Lab,
    add_users,
    compose_broadcast,
    kill_during_broadcast,
    kill_during_reminders,
    telegram_outage,
    user_ids,
)

pytestmark = pytest.mark.slow  # real processes, SIGKILL

OUTAGE_SECONDS = float(os.environ.get("FAULT_OUTAGE_SECONDS", "10"))

# Test data only (see tests/test_registration.py): not a real person's NIK or number.
NIK = "3375014501900012"
PHONE = "081234567890"


def quiet_log(log: str) -> None:
    """Nothing crashed: no task died unnoticed, no shutdown error."""
    assert "Task exception was never retrieved" not in log
    assert "Error while shutting down" not in log
    assert "CRITICAL" not in log


@pytest.mark.timeout(90)
async def test_sigkill_during_a_broadcast_loses_nothing_and_sends_nothing_twice(
    tmp_path: Path,
) -> None:
    concurrency = 20
    async with Lab.open(
        tmp_path,
        latency=0.1,  # each send takes 100 ms: at 100/s about ten are always on their way
        BROADCAST_MAX_PER_SECOND="100",
        BROADCAST_CONCURRENCY=str(concurrency),
        TELEGRAM_MAX_RATE="0",
    ) as lab:
        run = await kill_during_broadcast(lab, users=400, kill_after=150)
        logs = lab.logs()

    assert run.recipients == 401  # 400 people and the admin who sent it
    # The kill landed mid-run, with requests on their way.
    assert 150 <= sum(run.arrived_at_kill.values()) < 300
    assert 150 - concurrency <= len(run.sent_before_kill) < 300
    assert 1 <= len(run.in_flight) <= concurrency
    # Those (and only those) are 'uncertain' now: maybe delivered, never resent.
    assert run.with_status("uncertain") == run.in_flight
    assert all(run.arrived[u] <= 1 for u in run.in_flight)
    # Nothing committed is lost: rows sent before the kill stay sent, and got one message.
    assert run.sent_before_kill <= run.with_status("sent")
    assert all(run.arrived_at_kill[u] == 1 for u in run.sent_before_kill)
    # The broadcast finished after the restart: everyone else got it exactly once.
    assert run.final_status == "done"
    assert run.with_status("sent") | run.in_flight == set(run.final)
    assert all(run.arrived[u] == 1 for u in run.with_status("sent"))
    assert run.duplicates == []
    assert run.lost == []
    assert "were in flight at a crash: uncertain" in run.restart_log
    assert run.exit_code == 0
    quiet_log(logs)


@pytest.mark.timeout(90)
async def test_sigkill_during_a_reminder_run_never_reminds_twice(tmp_path: Path) -> None:
    """bot/reminders.py: a row is moved on (its month written as sent) *before* the send, so
    a crash can lose at most the one message in flight and never sends a month twice."""
    async with Lab.open(
        tmp_path,
        latency=0.02,
        REMINDER_MAX_PER_SECOND="25",  # 200 due at once take 8 s
        TELEGRAM_MAX_RATE="0",
    ) as lab:
        # First kill: the send on its way never reached Telegram. Second: it did.
        run = await kill_during_reminders(lab, users=200, kills=[(50, False), (120, True)])
        logs = lab.logs()

    (lost, _), (delivered, _) = run.in_flight
    assert run.arrived_at_kill[0] < run.arrived_at_kill[1] < 200  # both kills mid-run
    # The reminder in flight was already marked sent: after the restart it is not resent ...
    assert lost in run.claimed_at_kill[0] and delivered in run.claimed_at_kill[1]
    assert run.arrived[delivered] == 1
    # ... so the one that never reached Telegram is the only one missing, as designed.
    assert run.missing == [lost]
    assert run.duplicates == []
    assert all(run.arrived[u] == 1 for u in run.users if u != lost)
    # Every row says this month was reminded and waits for next month.
    assert run.not_moved_on == []
    assert run.exit_code == 0
    quiet_log(logs)


@pytest.mark.timeout(90)
async def test_sigkill_mid_registration_resumes_at_the_same_step(tmp_path: Path) -> None:
    siti = SimUser(2001, "Siti")
    async with Lab.open(tmp_path) as lab:

        def draft_step() -> str | None:
            rows = lab.query(
                "SELECT step FROM registration_drafts WHERE user_id = :id", {"id": siti.id}
            )
            return str(rows[0]["step"]) if rows else None

        bot = await lab.start_bot()
        lab.say(siti, "/daftar")
        await lab.expect_button(siti.id, "Setuju")
        lab.press(siti, "Setuju")
        await lab.expect(siti.id, "(1/6)")
        lab.say(siti, "Siti Aminah")
        await lab.expect(siti.id, "(2/6)")
        lab.say(siti, NIK)
        await lab.expect(siti.id, "(3/6)")
        await lab.acknowledged()
        await bot.kill()
        assert draft_step() == "phone"

        bot = await lab.start_bot()
        lab.say(siti, PHONE)  # answers the question asked before the kill
        await lab.expect(siti.id, "(4/6)")
        lab.press(siti, "Pengayuh becak")
        await lab.expect(siti.id, "(5/6)")
        lab.press(siti, "Pekalongan Barat")
        await lab.expect_button(siti.id, "Medono")
        lab.press(siti, "Medono")
        await lab.expect(siti.id, "(6/6)")
        lab.press(siti, "Belum")
        await lab.expect_button(siti.id, "Kirim")
        await lab.acknowledged()
        await bot.kill()
        assert draft_step() == "summary"

        bot = await lab.start_bot()
        lab.press(siti, "Kirim")  # the button of the summary shown before the kill
        await lab.expect(siti.id, "SKP-000001")
        assert await bot.terminate() == 0

        assert [tuple(r) for r in lab.query("SELECT user_id FROM registrations")] == [(siti.id,)]
        assert draft_step() is None
        async with lab.prepare() as h:  # decrypt what was stored, with the key file beside it
            reg = await h.deps.registrations.registration(siti.id)
        assert reg is not None
        assert (reg.full_name, reg.nik, reg.phone) == ("Siti Aminah", NIK, "+6281234567890")
        assert (reg.occupation, reg.kelurahan, reg.bpjs) == ("pengayuh_becak", "Medono", "belum")
        assert lab.integrity() == "ok"
        quiet_log(lab.logs())


@pytest.mark.timeout(120)
async def test_telegram_storms_during_a_broadcast_and_replies(tmp_path: Path) -> None:
    ids = user_ids(300)
    blocked, broken, refused = ids[10:15], ids[20:23], ids[30:32]
    timeout_arrived, timeout_lost = ids[40:43], ids[50:53]
    visitors = [SimUser(800_000 + i, f"Tamu {i}") for i in range(10)]
    async with Lab.open(
        tmp_path,
        latency=0.02,
        BROADCAST_MAX_PER_SECOND="60",
        BROADCAST_CONCURRENCY="20",
        BROADCAST_RETRY_SECONDS="0.5",
        BROADCAST_MAX_ATTEMPTS="4",
        TELEGRAM_MAX_RATE="0",
    ) as lab:
        sim = lab.sim
        async with lab.prepare() as h:
            await add_users(h, ids)
            await compose_broadcast(h)
        for uid in blocked:
            sim.block(uid)
        for uid in broken:
            sim.fail("server_error", chat_id=uid, times=None)
        for uid in refused:
            sim.fail("bad_request", chat_id=uid, times=None)
        for uid in timeout_arrived:
            sim.fail("timeout", chat_id=uid, delivered=True)
        for uid in timeout_lost:
            sim.fail("timeout", chat_id=uid, delivered=False)

        bot = await lab.start_bot()
        await lab.wait(lambda: lab.arrivals.total(BROADCAST_MARK) >= 60, 60, "60 deliveries")
        # The storms, one after the other, for whatever the bot sends next (broadcast
        # messages, its progress edits, replies to the visitors who write meanwhile).
        sim.fail("retry_after", times=40, retry_after=1)
        sim.fail("server_error", times=30)
        sim.fail("timeout", times=3, delivered=True)
        sim.fail("timeout", times=3, delivered=False)
        for visitor in visitors:
            lab.say(visitor, "/start")
        await lab.wait(
            lambda: lab.arrivals.counts[FINISHED_MARK][ADMIN_ID] >= 1, 90, "the final report"
        )
        assert bot.alive
        # Telegram is well again: everyone who writes is answered, also those whose answer
        # meets one more 429 (the rate limiter waits and sends it again, once).
        sim.clear_faults()
        for visitor in visitors[::2]:
            sim.fail("retry_after", chat_id=visitor.id, retry_after=1)
        for visitor in visitors:
            lab.say(visitor, "berapa iuran sebulan?")
        await lab.wait(
            lambda: all(lab.shown(v.id, "Iuran per bulan") for v in visitors), 60, "answers"
        )
        assert sim.faults == []  # the five 429s met those answers (and were waited out)
        assert bot.alive
        exit_code = await bot.terminate()
        final = lab.recipients()
        arrived = lab.arrivals.exact(BROADCAST_MARK)
        status = lab.broadcast_status()
        blocked_rows = lab.query("SELECT id FROM users WHERE blocked_at IS NOT NULL ORDER BY id")
        logs = lab.logs()

    assert exit_code == 0
    assert status == "done"
    by_status: dict[str, set[int]] = {}
    for uid, s in final.items():
        by_status.setdefault(s, set()).add(uid)
    assert set(by_status) <= {"sent", "uncertain", "failed", "blocked"}
    # Each recipient: reached exactly once, or marked for what happened to them.
    for uid, s in final.items():
        expected = {"sent": {1}, "uncertain": {0, 1}, "failed": {0}, "blocked": {0}}[s]
        assert arrived[uid] in expected, (uid, s, arrived[uid])
    assert by_status["blocked"] == set(blocked)
    assert [r["id"] for r in blocked_rows] == blocked
    assert set(broken) | set(refused) <= by_status["failed"]
    assert set(timeout_arrived) | set(timeout_lost) <= by_status["uncertain"]
    assert all(arrived[u] == 1 for u in timeout_arrived)
    assert all(arrived[u] == 0 for u in timeout_lost)
    # The storms cost at most their own timeouts (uncertain) and, rarely, a recipient whose
    # every try met a 500; everyone else got the message after the storm.
    assert len(by_status["uncertain"]) <= len(timeout_arrived) + len(timeout_lost) + 6
    assert len(by_status["failed"]) <= len(broken) + len(refused) + 30 // 4
    assert len(by_status["sent"]) >= len(final) - 5 - 3 - 2 - 6 - 6 - 30 // 4
    # Replies: nobody was answered twice; everyone was answered once Telegram was well.
    for visitor in visitors:
        texts = [m.plain for m in sim.bot_messages(visitor.id)]
        assert sum("Halo" in t for t in texts) <= 1
        assert sum("Iuran per bulan" in t for t in texts) == 1
    quiet_log(logs)


@pytest.mark.timeout(90 + 3 * OUTAGE_SECONDS)
@pytest.mark.parametrize("kind", ["refused", "blackhole"])
async def test_telegram_unreachable_then_back(tmp_path: Path, kind: str) -> None:
    """Down as "refused" (the server is gone: connecting fails at once) or "blackhole" (the
    network drops packets: connecting times out after 5 s)."""
    concurrency = 20
    async with Lab.open(
        tmp_path,
        latency=0.05,
        BROADCAST_MAX_PER_SECOND="40",
        BROADCAST_CONCURRENCY=str(concurrency),
        # Two tries, one second apart, for a recipient's own trouble: far less than the
        # outage, so a recipient counting the outage as their failed tries would be lost.
        BROADCAST_RETRY_SECONDS="1",
        BROADCAST_MAX_ATTEMPTS="2",
        REMINDER_MAX_PER_SECOND="10",
        REMINDER_RETRY_SECONDS="1",
        WORKER_INTERVAL_SECONDS="5",
        TELEGRAM_MAX_RATE="0",
    ) as lab:
        run = await telegram_outage(
            lab,
            users=200,
            reminder_users=100,
            outage_s=OUTAGE_SECONDS,
            down_after=40,
            within=60 + 2 * OUTAGE_SECONDS,
            kind=kind,
        )
        logs = lab.logs()

    # Work was pending when Telegram went away ...
    assert run.broadcast_arrived_before < len(run.recipients)
    assert run.reminders_arrived_before < len(run.reminder_users)
    # ... the bot came back by itself: it reads updates again and answers who wrote meanwhile
    # (python-telegram-bot retries getUpdates with a growing pause, at most 30 s),
    assert run.answered == run.waiting_users
    assert run.updates_resumed_s is not None and run.updates_resumed_s <= 35
    # and the pending sends completed, none twice, nobody lost to the outage.
    assert run.duplicates == 0
    assert run.broadcast_lost == []
    assert set(run.recipients.values()) <= {"sent", "uncertain"}
    # 'uncertain' only for requests cut off when the connections dropped; a connection that
    # was never made is not a maybe-delivered message.
    assert len(run.with_status("uncertain")) <= concurrency
    assert len(run.uncertain_not_arrived) <= 3  # cut before the server read them: rare
    assert run.reminders_unsettled == []
    assert len(run.reminders_missing) <= 1  # the reminder on its way at the cut, if any
    assert run.exit_code == 0
    quiet_log(logs)
    # The outage is one WARNING and one INFO line (bot/polling.py), not an ERROR with a
    # traceback and a staff-chat report for each getUpdates retry.
    assert logs.count("WARNING bot.polling: Telegram cannot be reached (getUpdates") == 1, logs
    assert len(re.findall(r"INFO bot.polling: Telegram reachable again after \d+ s", logs)) == 1
    assert " ERROR " not in logs, logs
    # Reminders paused once for the whole outage, not a failed try per row and probe.
    assert logs.count("Telegram unreachable: reminders pause") == 1, logs


@pytest.mark.timeout(90)
async def test_sigkill_while_a_hand_off_post_is_on_its_way_loses_no_question(
    tmp_path: Path,
) -> None:
    """Issue 14, item 5: the process dies after storing a person's question for the staff
    and before Telegram took the post (which never arrives). At the next start the post is
    sent again, and a staff reply to it reaches the person."""
    staff_chat = -100500
    budi = SimUser(2001, "Budi")
    admin = SimUser(ADMIN_ID, "Admin")
    question = "resep soto tauto"

    def to_staff(method: str, params: dict[str, object]) -> bool:
        return method == "sendMessage" and str(params.get("chat_id")) == str(staff_chat)

    def posts() -> list[SimMessage]:
        return [m for m in lab.sim.bot_messages(staff_chat) if m.plain.startswith("🙋")]

    async with Lab.open(tmp_path, STAFF_CHAT_ID=str(staff_chat)) as lab:
        bot = await lab.start_bot()
        lab.say(budi, question)
        await lab.expect_button(budi.id, "Tanya petugas")
        lab.sim.hold(to_staff)
        lab.press(budi, "Tanya petugas")
        await lab.wait(lambda: bool(lab.sim.held), 30, "the post on its way")
        await bot.kill()
        lab.sim.fail("timeout", chat_id=staff_chat, delivered=False)  # it never arrives
        lab.sim.release()
        pending = lab.query("SELECT group_message_id FROM handoff_messages")
        assert [tuple(r) for r in pending] == [(None,)] and posts() == []

        bot = await lab.start_bot()
        await lab.wait(lambda: len(posts()) == 1, 30, "the question sent again at start")
        [post] = posts()
        assert question in post.plain
        reply = lab.sim.user_message(
            admin,
            text="Coba tanya di kelurahan",
            chat_id=staff_chat,
            reply_to_message=lab.sim.message_json(post),
            queue=True,
        )
        assert reply
        await lab.expect(budi.id, "Coba tanya di kelurahan")
        assert await bot.terminate() == 0
        assert len(posts()) == 1
        assert lab.integrity() == "ok"
        quiet_log(lab.logs())
