"""Issue 17 with the real bot process (tests/faultlab.py): the outbox worker (status messages,
the daily digest) is killed with SIGKILL mid-run and started again on the same SQLite file.
Nothing is sent twice; at most the one message in flight is left 'uncertain'."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import FakeClock, SystemClock
from sakpore_sim.harness import Harness
from sakpore_sim.simulator import ApiCall
from tests.faultlab import BotProcess, Lab, hang_next_send, user_ids
from tests.test_faults_process import quiet_log
from tests.test_staff_tools import seed_registration

pytestmark = pytest.mark.slow  # real processes, SIGKILL

STATUS_MARK = "sudah didaftarkan ke BPJS Ketenagakerjaan"


def arrived(lab: Lab, mark: str) -> Counter[int]:
    """Messages containing `mark` per chat, as Telegram (the simulator) holds them."""
    found: Counter[int] = Counter()
    for chat_id in list(lab.sim.chats):
        for message in lab.sim.bot_messages(chat_id, include_deleted=True):
            if mark in message.plain:
                found[chat_id] += 1
    return found


@pytest.mark.timeout(90)
async def test_sigkill_during_status_messages_never_tells_anyone_twice(tmp_path: Path) -> None:
    ids = user_ids(40)
    async with Lab.open(
        tmp_path, latency=0.02, REMINDER_MAX_PER_SECOND="20", TELEGRAM_MAX_RATE="0"
    ) as lab:
        settings = lab.settings().model_copy(update={"status_message_delay_seconds": 0})
        async with Harness.create(settings, SystemClock()) as h:
            for uid in ids:
                registration = await seed_registration(h, uid, f"Warga {uid}")
                assert await h.deps.status_messages.set_status(registration, "terdaftar_bpjs")
        bot = await lab.start_bot()
        await lab.wait(lambda: sum(arrived(lab, STATUS_MARK).values()) >= 15, 60, "15 messages")
        victim = await hang_next_send(lab, delivered=True)  # Telegram took it, no answer
        await bot.kill()
        at_kill = {r["chat_id"]: r["state"] for r in lab.query("SELECT * FROM outbox")}
        sent_at_kill = {u for u, state in at_kill.items() if state == "sent"}

        bot = await lab.start_bot()
        await lab.wait(lambda: set(arrived(lab, STATUS_MARK)) >= set(ids), 60, "everyone told")
        exit_code = await bot.terminate()
        rows = {r["chat_id"]: r["state"] for r in lab.query("SELECT * FROM outbox")}
        logs = lab.logs()

    counts = arrived(lab, STATUS_MARK)
    assert at_kill[victim] == "sending"  # claimed before the send
    assert 15 <= len(sent_at_kill) < len(ids) - 1  # killed mid-run
    # The message in flight was delivered by Telegram: marked uncertain, never sent again.
    assert rows[victim] == "uncertain"
    assert "outbox messages were in flight at a crash: uncertain" in logs
    assert all(counts[u] == 1 for u in ids), {u: counts[u] for u in ids if counts[u] != 1}
    assert all(rows[u] == "sent" for u in ids if u != victim)
    assert exit_code == 0
    quiet_log(logs)


@pytest.mark.timeout(90)
async def test_sigkill_while_the_daily_digest_is_sent_never_posts_it_twice(
    tmp_path: Path,
) -> None:
    staff_chat = -100500
    async with Lab.open(
        tmp_path, STAFF_CHAT_ID=str(staff_chat), DIGEST_TIME="00:00", TELEGRAM_MAX_RATE="0"
    ) as lab:
        # Something to list: a registration an hour ago (timestamps are whole seconds, and a
        # digest lists what came before the second it was queued in).
        an_hour_ago = FakeClock(datetime.now(UTC) - timedelta(hours=1))
        async with Harness.create(lab.settings(), an_hour_ago) as h:
            await seed_registration(h, 100_001, "Warga Satu")

        def digest_sends() -> list[ApiCall]:
            return [
                c
                for c in lab.sim.calls
                if c.method == "sendMessage" and "Ringkasan" in str(c.params)
            ]

        # The first process: the digest's send hangs (Telegram took it) and the process dies.
        hang = lab.sim.fail("timeout", method="sendMessage", chat_id=staff_chat, delivered=True)
        bot = await lab.start_bot()
        await lab.wait(lambda: bool(digest_sends()), 30, "the digest on its way")
        await bot.kill()
        assert hang.remaining == 0
        at_kill = [dict(r) for r in lab.query("SELECT state, dedupe_key FROM outbox")]
        # Two more starts the same day: no second digest, no second row.
        for mark in ("in flight at a crash: uncertain", "is already queued or sent"):
            bot = await lab.start_bot()

            def logged(mark: str = mark, process: BotProcess = bot) -> bool:
                return mark in process.log()

            await lab.until(logged, 30, mark)
            exit_code = await bot.terminate()
        rows = [dict(r) for r in lab.query("SELECT state, dedupe_key FROM outbox")]
        logs = lab.logs()

    assert [r["state"] for r in at_kill] == ["sending"]
    assert len(rows) == 1 and rows[0]["state"] == "uncertain"
    assert rows[0]["dedupe_key"].startswith("digest:")
    assert arrived(lab, "Ringkasan harian")[staff_chat] == 1  # delivered once, never again
    assert len(digest_sends()) == 1
    assert exit_code == 0
    quiet_log(logs)
