"""The in-memory "who is in a dialogue" index (bot/store/presence.py) stays a superset of the
rows, so the hot path may skip lookups without ever missing a dialogue."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.clock import FakeClock
from bot.config import Settings
from bot.db import Database
from bot.store.presence import PresenceIndex
from bot.store.registrations import DraftRow
from sakpore_sim.harness import Harness
from tests.conftest import STAFF_CHAT_ID
from tests.test_handoff import UNKNOWN, group_posts
from tests.test_staff import add_staff


async def test_index_is_a_superset_of_the_table(settings: Settings) -> None:
    db = Database(settings.database_path)
    await db.connect()
    try:
        await db.execute("CREATE TABLE t (user_id INTEGER PRIMARY KEY)")
        await db.execute("INSERT INTO t VALUES (1), (2)")
        index = PresenceIndex("SELECT user_id FROM t")
        assert index.may_have(99)  # before loading the database decides
        index.add(3)  # written while the index was not loaded yet: kept by the load
        await db.execute("INSERT INTO t VALUES (3)")
        await index.load(db)
        assert index.loaded and len(index) == 3
        assert index.may_have(1) and index.may_have(2) and index.may_have(3)
        assert not index.may_have(99)

        # A lookup that finds nothing forgets the id...
        await db.execute("DELETE FROM t WHERE user_id IN (1, 2)")
        assert (
            await index.lookup(2, lambda: db.fetchone("SELECT 1 FROM t WHERE user_id = 2")) is None
        )
        assert not index.may_have(2)
        assert (
            await index.lookup(2, lambda: db.fetchone("SELECT 1 FROM t WHERE user_id = 2")) is None
        )

        # ... unless the row was added while the lookup was on its way.
        async def fetch_while_a_row_is_added() -> object:
            found = await db.fetchone("SELECT 1 FROM t WHERE user_id = 1")
            index.add(1)
            return found

        assert await index.lookup(1, fetch_while_a_row_is_added) is None
        assert index.may_have(1)
        found = await index.lookup(3, lambda: db.fetchone("SELECT 1 FROM t WHERE user_id = 3"))
        assert found is not None and index.may_have(3)
    finally:
        await db.close()


async def test_dialogues_open_before_a_restart_are_found_after_it(
    settings: Settings, clock: FakeClock
) -> None:
    """Registration, reminder set-up and "Tanya petugas" each wait for a typed message; after
    a restart (index loaded from the database) the typed message still reaches them."""
    async with Harness.create(settings, clock) as h:
        reg, rem, ask = h.user(2001), h.user(2002), h.user(2003)
        await reg.send("/daftar")
        await reg.press("Setuju")
        await rem.send("/pengingat")
        member = await add_staff(h)
        await ask.send(UNKNOWN)
        await ask.press("Tanya petugas")
        [post] = group_posts(h)
        await member.send_in_group(STAFF_CHAT_ID, "Coba tanya di kelurahan", post)
        await ask.press("Balas petugas")  # the thread now waits for the person's typed reply
        telegram = h.sim  # Telegram (and its message ids) outlives the bot's restart

    async with Harness.create(settings, clock, sim=telegram) as h:
        assert not h.deps.registrations.repo.drafts_index.may_have(9999)
        reg, rem, ask = h.user(2001), h.user(2002), h.user(2003)
        answer = await reg.send("Siti Aminah")
        assert "NIK" in answer[-1].plain  # the name was taken: the next question is the NIK
        answer = await rem.send("akhir bulan")
        assert "Jam berapa" in answer[-1].plain
        await ask.send("Kelurahan mana ya?")
        follow_up = group_posts(h)[-1]  # went to the staff group, not to the FAQ
        assert "#T1" in follow_up.plain and "Kelurahan mana ya?" in follow_up.plain


async def test_a_user_outside_every_dialogue_costs_no_dialogue_lookup(harness: Harness) -> None:
    """After a registration is sent, the draft is gone and the index forgets the person on the
    next lookup; messages then go straight to the FAQ."""
    u = harness.user(2010)
    await u.send("/pengingat")
    await u.send("/batal")
    answer = await u.send("berapa iurannya?")
    assert "Rp16.800" in answer[-1].plain
    assert not harness.deps.reminders.repo.drafts_index.may_have(2010)
    assert not harness.deps.registrations.repo.drafts_index.may_have(2010)


async def test_the_written_draft_copy_never_outlives_its_row(
    harness: Harness, clock: FakeClock
) -> None:
    """RegistrationRepo keeps the draft row it wrote last, so the next step does not read it
    back. A write during which another draft was deleted must not leave the older copy in
    place (found by bench/load.py: the dialogue jumped back a step), and every delete drops
    the copy."""
    repo = harness.deps.registrations.repo
    for user_id in (1, 2):
        await harness.user(user_id).send("/start")
    await repo.save_draft(1, "aaaaaa", "new", "name", "enc-1")
    await repo.save_draft(2, "bbbbbb", "new", "name", "enc-2")
    first = await repo.get_draft(1)
    assert first is not None and first.step == "name"

    # The next step is written while user 2's draft is deleted.
    await asyncio.gather(repo.save_draft(1, "aaaaaa", "new", "nik", "enc-1b"), repo.delete_draft(2))
    second = await repo.get_draft(1)
    assert second is not None and (second.step, second.data_enc) == ("nik", "enc-1b")
    assert second.created_at == first.created_at  # same dialogue (nonce): start time kept
    assert await repo.get_draft(2) is None

    # A copy, when kept, is exactly the row in the database.
    await repo.save_draft(1, "aaaaaa", "new", "phone", "enc-1c")
    row = await harness.deps.db.fetchone("SELECT * FROM registration_drafts WHERE user_id = 1")
    assert row is not None and await repo.get_draft(1) == DraftRow.from_row(row)

    # Every way a draft is deleted drops the copy.
    assert await repo.delete_draft(1)
    assert await repo.get_draft(1) is None
    await repo.save_draft(1, "cccccc", "new", "name", "enc-1d")
    clock.advance(timedelta(days=2))
    expired = await repo.take_expired_drafts(clock.now() - timedelta(days=1))
    assert [d.user_id for d in expired] == [1]
    assert await repo.get_draft(1) is None
    await repo.save_draft(1, "dddddd", "new", "name", "enc-1e")
    await repo.delete_by_user(1)
    assert await repo.get_draft(1) is None
