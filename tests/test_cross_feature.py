"""Features hand over to each other through their buttons: registration -> reminder."""

from __future__ import annotations

from sakpore_sim.harness import Harness
from tests.test_registration import register


async def test_registration_ends_with_a_working_reminder_offer(harness: Harness) -> None:
    siti = harness.user(1001, "Siti")
    await register(siti)
    final = siti.last()
    assert "SKP-" in final.plain
    offer = next(b for b in final.buttons if "ngingat" in b)  # "Pengingat iuran"
    replies = await siti.press(offer)
    assert replies, "the reminder button must open the reminder set-up"
    assert "tanggal" in replies[-1].plain.lower() or "tgl" in replies[-1].plain.lower()
    await siti.press("5")
    await siti.press("07.00")
    reminder = await harness.deps.db.fetchone("SELECT day FROM reminders WHERE user_id = 1001")
    assert reminder is not None and reminder["day"] == 5


async def test_main_menu_entries_all_lead_somewhere(harness: Harness) -> None:
    budi = harness.user(1002)
    await budi.send("/start")
    for label in ("Daftar", "Pengingat iuran", "Bantuan"):
        await budi.send("/batal")
        await budi.send("/start")
        replies = await budi.press(label)
        assert replies, f"menu entry {label} answered nothing"
        assert "tidak berlaku" not in (budi.callback_answer() or "")
