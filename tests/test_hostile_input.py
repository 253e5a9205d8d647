"""Hostile input: 10,000 random updates from many users through the whole bot.

Random unicode, 4,096-character texts, HTML and Markdown specials, SQL fragments, random and
forged callback data (staff actions included), commands with arguments, edited messages,
group and channel messages, forwarded messages, other people's contacts, locations,
stickers. Afterwards: no unhandled exception, no message Telegram would reject,
`PRAGMA integrity_check` ok, and nothing done with staff rights by a non-staff user.
The generator is seeded, so a failure is reproducible.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from bot.clock import FakeClock
from sakpore_sim.harness import Harness, sticker_json
from sakpore_sim.simulator import SimUser
from tests.conftest import STAFF_CHAT_ID

pytestmark = pytest.mark.timeout(600)

UPDATES = 10_000
SEED = 20261121

COMMANDS = [
    "/start",
    "/start daftar",
    "/start daftar_poster_medono",
    "/start x" * 3,
    "/bantuan",
    "/bahasa",
    "/berhenti",
    "/mulai",
    "/topik",
    "/daftar",
    "/batal",
    "/datasaya",
    "/ubahdata",
    "/hapusdata",
    "/pengingat",
    "/siaran",
    "/siaran_daftar",
    "/staf tambah 1",
    "/staf hapus 9001",
    "/staf daftar",
    "/statistik",
    "/ekspor",
    "/pendaftar",
    "/pertanyaan",
    "/muatulang",
    "/help",
    "/cancel",
    "/register",
    "/start@SakporeSimBot",
    "/unknown_cmd arg",
    "/",
]
TEXTS = [
    "halo",
    "brp iurannya?",
    "nek melu program iki bayare piro?",
    "cara daftar CPNS",
    "Setuju",
    "Siti Aminah",
    "3375014501900012",
    "3375 0145 0190 0012",
    "081234567890",
    "+62 812-3456-7890",
    "Pengayuh becak",
    "Pekalongan Barat",
    "Medono",
    "Belum",
    "Kirim",
    "5",
    "31",
    "32",
    "akhir bulan",
    "07.00",
    "25.61",
    "jam 19",
    "ya",
    "tidak",
    "batal",
    "<b>bold</b>",
    "<script>alert(1)</script>",
    "a < b & c > d",
    "&amp; &lt; &#x41; &bogus;",
    "*bold* _it_ `code` [link](http://x)",
    "'; DROP TABLE users; --",
    "1 OR 1=1",
    "Robert'); DELETE FROM registrations;--",
    "😀" * 50,
    "\u200b\u200d\ufeff",
    "ﷺ" * 20,
    "\x00\x01\x02",
    "ẞ̶̡̛̭̙̖̣̲̓̋͐̏",
    " ",
    "\n\n\n",
]
CALLBACK_PREFIXES = [
    "menu:faq",
    "menu:daftar",
    "menu:pengingat",
    "menu:bantuan",
    "lang:id",
    "lang:en",
    "lang:xx",
    "faq:t:iuran",
    "faq:t:",
    "faq:s:1:iuran",
    "faq:v:1:+",
    "faq:v:999999:-",
    "faq:v:1:x",
    "rem:day:5",
    "rem:day:99",
    "rem:time:0700",
    "rem:time:9999",
    "rem:paid:2026-01",
    "rem:snooze:2026-01",
    "rem:stop",
    "rem:change",
    "rem:cancel",
    "rem:example",
    "rem:demo",
    "rg:consent:yes",
    "rg:send",
    "rg:x",
    "rgx:1",
    "staff:add:1",
    "staf:hapus:9001",
    "bc:send:1",
    "bc:cancel:1",
    "siaran:kirim:1",
    "adm:export",
    "",
    "x" * 64,
]


def random_text(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.35:
        return rng.choice(TEXTS)
    if roll < 0.45:
        return rng.choice(COMMANDS)
    if roll < 0.55:
        return "".join(rng.choice("abcdefghij<>&;'\"/\\*_`[]()") for _ in range(rng.randint(1, 80)))
    if roll < 0.65:
        return "".join(chr(rng.randint(0x20, 0x2FFF)) for _ in range(rng.randint(1, 200)))
    if roll < 0.70:
        return "x" * 4096 if rng.random() < 0.5 else "ß😀" * 2048
    if roll < 0.80:
        return f"{rng.choice(TEXTS)} {rng.choice(TEXTS)}"
    return " ".join(
        rng.choice(
            [
                "iuran",
                "daftar",
                "brp",
                "piye",
                "bpjs",
                "sakpore",
                "kecelakaan",
                "meninggal",
                "ktp",
                "pengingat",
                "tgl",
                "5",
                "<i>",
                "&",
            ]
        )
        for _ in range(rng.randint(1, 8))
    )


def random_callback(rng: random.Random) -> str:
    data = rng.choice(CALLBACK_PREFIXES)
    if rng.random() < 0.3:
        data = data + ":" + str(rng.randint(-5, 10**9))
    return data[:64] or "x"


class Fuzzer:
    def __init__(self, h: Harness, rng: random.Random) -> None:
        self.h = h
        self.rng = rng
        self.users = [
            SimUser(
                100_000 + i,
                rng.choice(["Budi", "Siti", "<b>X</b>", "Ñoño", "😀", "A&B"]),
                rng.choice(["id", "en", "jv", None]),
            )
            for i in range(150)
        ]

    async def step(self) -> None:
        rng, sim, h = self.rng, self.h.sim, self.h
        user = rng.choice(self.users)
        roll = rng.random()
        if roll < 0.45:
            await h.process(sim.user_message(user, text=random_text(rng)))
        elif roll < 0.70:
            messages = sim.bot_messages(user.id)
            if not messages:
                await h.process(sim.user_message(user, text="/start"))
                messages = sim.bot_messages(user.id)
            target = rng.choice(messages[-5:])
            buttons = [b["callback_data"] for b in target.inline_buttons if "callback_data" in b]
            data = rng.choice(buttons) if buttons and rng.random() < 0.6 else random_callback(rng)
            await h.process(sim.callback(user, target, data))
        elif roll < 0.75:
            payload = sim.user_message(user, text=random_text(rng))
            payload["edited_message"] = {**payload.pop("message"), "edit_date": 1}
            await h.process(payload)
        elif roll < 0.80:
            await h.process(sim.user_message(user, text=random_text(rng), chat_id=-100_900))
        elif roll < 0.82:
            post = {
                "message_id": rng.randint(1, 99),
                "date": 1,
                "chat": {"id": -100_901, "type": "channel", "title": "Kanal"},
                "text": random_text(rng),
            }
            await h.process({"update_id": rng.randint(10**6, 10**7), "channel_post": post})
        elif roll < 0.86:
            origin = {"type": "user", "date": 1, "sender_user": rng.choice(self.users).to_json()}
            await h.process(sim.user_message(user, text=random_text(rng), forward_origin=origin))
        elif roll < 0.90:
            other = rng.choice(self.users)
            contact = {
                "phone_number": rng.choice(["+6281234567890", "0812", "abc", "+1 555"]),
                "first_name": other.first_name,
                "user_id": other.id if rng.random() < 0.7 else user.id,
            }
            await h.process(sim.user_message(user, contact=contact))
        elif roll < 0.93:
            location = {"latitude": -6.89, "longitude": 109.67}
            await h.process(sim.user_message(user, location=location))
        elif roll < 0.97:
            sticker = sticker_json()
            await h.process(sim.user_message(user, sticker=sticker))
        else:
            await h.process(
                sim.user_message(user, voice={"file_id": "v", "file_unique_id": "v", "duration": 1})
            )
        if rng.random() < 0.05:
            clock = self.h.clock
            assert isinstance(clock, FakeClock)
            clock.advance(minutes=rng.randint(1, 600))


async def test_ten_thousand_hostile_updates(make_settings: Any, clock: FakeClock) -> None:
    settings = make_settings(flood_max_per_minute=0)
    async with Harness.create(settings, clock) as h:
        fuzzer = Fuzzer(h, random.Random(SEED))
        for _ in range(UPDATES):
            await fuzzer.step()

        # No unhandled exception: the error handler reports every one to the staff chat.
        errors = [m.plain for m in h.sim.bot_messages(STAFF_CHAT_ID) if "Error" in m.plain[:20]]
        assert errors == [], errors[0][-1500:] if errors else ""
        # No message Telegram would reject (bad HTML, too long, empty, bad buttons, ...).
        rejected = [(c.method, c.error, c.params) for c in h.sim.calls if not c.ok]
        assert rejected == [], rejected[:5]
        # Every user got answers; the database is intact.
        assert h.sim.sent_count() > UPDATES // 2
        row = await h.deps.db.fetchone("PRAGMA integrity_check")
        assert row is not None and row[0] == "ok"
        # Nothing was done with staff rights: no non-admin is staff, no broadcast exists.
        tables = {
            r[0]
            for r in await h.deps.db.fetchall("SELECT name FROM sqlite_master WHERE type='table'")
        }
        for table in ("staff", "staff_audit", "broadcasts"):
            if table in tables:
                rows = await h.deps.db.fetchall(f"SELECT * FROM {table}")
                assert rows == [], (table, [dict(r) for r in rows][:3])
        staff_dialogs = await h.deps.db.fetchall(
            "SELECT * FROM dialogs WHERE kind IN ('broadcast', 'staff_add')"
        )
        assert staff_dialogs == []
