"""What a database file still holds of a person: used by the privacy tests and
bench/deletion.py to check that /hapusdata leaves none of the person's words behind, with the
scenario both run (a person who talks, registers and deletes their data)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sakpore_sim.harness import Harness

# The scenario's data. Test data only: not a real person's NIK or number.
FIRST_NAME = "Zulaikha"
NAME = f"{FIRST_NAME} Wibisono"
NIK = "3375014501900012"
# Typed with the separators people use: the stored text must not keep them.
NIK_TYPED = "3375-0145-0190-0012"
PHONE = "0813-9876-5432"
PHONE_TYPED = "(+62) 813 9876 5432"
PHONE_DIGITS = "81398765432"
UNKNOWN = "resep soto tauto kalongan"
WORDS = ("soto tauto", "kok belum masuk", "tolong dicek pak")
PERSON_ID = 1001


def rows_with_text(database: Path, needles: tuple[str, ...]) -> dict[str, int]:
    """Per table, the rows with a text value containing any needle (digits compared
    without separators)."""
    found: dict[str, int] = {}
    conn = sqlite3.connect(database)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            # Table names come from sqlite_master itself, not from input.
            for row in conn.execute(f"SELECT * FROM {table}"):  # noqa: S608
                values = [str(v) for v in row if isinstance(v, str)]
                squeezed = ["".join(ch for ch in v if ch.isdigit()) for v in values]
                if any(n in v for n in needles for v in values) or any(
                    n.isdigit() and n in s for n in needles for s in squeezed
                ):
                    found[table] = found.get(table, 0) + 1
    finally:
        conn.close()
    return found


async def person_talks_registers_and_deletes(
    h: Harness, *, admin_id: int, staff_id: int, staff_chat_id: int
) -> None:
    """Admin `admin_id` adds staff member `staff_id` ("Sari"); then a person (PERSON_ID) asks
    with their NIK and phone in the text, talks with the staff in group `staff_chat_id`,
    registers (buttons pressed, phone typed), then deletes their data with /hapusdata."""
    admin, member = h.user(admin_id, "Admin"), h.user(staff_id, "Sari")
    await member.send("/start")
    await admin.send(f"/staf tambah {staff_id}")
    u = h.user(PERSON_ID, FIRST_NAME)
    await u.send("/start")
    await u.send(f"NIK saya {NIK_TYPED} hp {PHONE_TYPED} kok belum masuk")
    await u.send(UNKNOWN)
    await u.press("Tanya petugas")
    post = h.sim.bot_messages(staff_chat_id)[-1]
    await member.send_in_group(staff_chat_id, "Boleh kirim nomor HP Anda?", post)
    await u.press("Balas petugas")
    await u.send(f"tolong dicek pak, {PHONE_TYPED}")
    await u.send("/daftar")
    await u.press("Setuju")
    for answer in (NAME, NIK, PHONE):
        await u.send(answer)
    for label in ("Pengayuh becak", "Pekalongan Barat", "Medono", "Belum", "Kirim"):
        await u.press(label)
    await u.send("/hapusdata")
    await u.press("Ya, hapus")
