"""Staff tools through the simulator: /pendaftar, /statistik, /ekspor (+ CLI), /pertanyaan,
/muatulang, and the broadcast audiences that need registrations and reminders."""

from __future__ import annotations

import asyncio
import csv
import io
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PIL import Image

from bot.clock import FakeClock
from bot.config import LOCALES_DIR, Settings
from bot.faq import calculator
from bot.faq.service import FaqService
from bot.i18n import I18n
from bot.registration import mask_nik
from bot.reminders import Rule
from sakpore_sim.harness import Harness
from sakpore_sim.simulator import SimMessage
from tests.conftest import ADMIN_ID
from tests.test_staff import STAFF_ID, add_staff, unknown_reply

# Test data only, not real people: valid-looking NIKs (Kota Pekalongan, born 5 Jan 1990).
PEOPLE = [
    # user id, name, occupation, kecamatan, kelurahan
    (1101, "Siti Aminah", "pengayuh_becak", "pekalongan_barat", "Medono"),
    (1102, "Budi Santoso", "buruh_batik", "pekalongan_barat", "Tirto"),
    (1103, "Dewi Lestari", "buruh_batik", "pekalongan_utara", "Krapyak"),
    (1104, "Agus Salim", "lainnya", "luar_kota", "Kedungwuni"),
]


def nik_of(user_id: int) -> str:
    return f"337501450190{user_id % 10000:04d}"


def phone_of(user_id: int) -> str:
    return f"+628123456{user_id % 10000:04d}"


async def seed_registration(
    h: Harness,
    user_id: int,
    name: str,
    occupation: str = "buruh_batik",
    kecamatan: str = "pekalongan_barat",
    kelurahan: str = "Medono",
) -> int:
    """A registration through the real service (the chat dialogue is tested elsewhere)."""
    await h.user(user_id, name.split()[0]).send("/start")
    svc = h.deps.registrations
    draft = await svc.start(user_id, "command")
    vars(draft.state).update(
        {
            "name": name,
            "nik": nik_of(user_id),
            "phone": phone_of(user_id),
            "occupation": occupation,
            "occupation_other": "Penjahit" if occupation == "lainnya" else None,
            "kecamatan": kecamatan,
            "kelurahan": kelurahan,
            "bpjs": "belum",
        }
    )
    await svc.give_consent(draft)
    outcome = await svc.submit(draft)
    assert outcome.kind == "created" and outcome.registration_id is not None
    return outcome.registration_id


async def seed_people(h: Harness) -> list[int]:
    ids = []
    for uid, name, occupation, kecamatan, kelurahan in PEOPLE:
        ids.append(await seed_registration(h, uid, name, occupation, kecamatan, kelurahan))
        h.clock.advance(minutes=5)  # type: ignore[attr-defined]
    return ids


def documents(h: Harness) -> list[SimMessage]:
    return [m for chat in h.sim.chats.values() for m in chat if m.from_bot and m.kind == "document"]


# ---- who may use the tools ---------------------------------------------------------------


NEW_COMMANDS = [
    "/pendaftar",
    "/pendaftar SKP-000001",
    "/statistik",
    "/ekspor",
    "/ekspor xlsx",
    "/pertanyaan",
    "/pertanyaan 7",
    "/muatulang",
]
NEW_BUTTONS = [
    "pd:go:0",
    "pd:go:1",
    "pd:set:1:d:0",
    "pd:set:1:t:-1",
    "pd:set:1:b:0",
    "ex:csv:m",
    "ex:xlsx:m",
    "ex:csv:f",
    "ex:xlsx:f",
]


async def test_new_staff_tools_answer_others_like_unknown_commands(harness: Harness) -> None:
    await seed_people(harness)
    budi = harness.user(1001)
    await budi.send("/start")
    for command in NEW_COMMANDS:
        expected = await unknown_reply(budi, command)
        replies = await budi.send(command)
        assert [(m.plain, m.buttons) for m in replies] == [expected], command
    await budi.press_data("zz:unknown")
    stale = budi.callback_answer()
    sent = harness.sim.sent_count()
    for data in NEW_BUTTONS:
        assert await budi.press_data(data) == [], data
        assert budi.callback_answer() == stale, data
    assert harness.sim.sent_count() == sent
    assert documents(harness) == []
    assert (await harness.deps.registrations.count_by_status())["baru"] == len(PEOPLE)
    assert await harness.deps.staff.audit_log() == []
    # The menus: staff members get the new commands, nobody else does.
    menu = {c["command"] for c in harness.sim.commands[f"chat:{ADMIN_ID}|"]}
    assert {"pendaftar", "statistik", "ekspor", "pertanyaan", "muatulang"} <= menu
    default = {c["command"] for c in harness.sim.commands["default|"]}
    assert not {"pendaftar", "statistik", "ekspor", "pertanyaan", "muatulang"} & default


async def test_a_staff_member_cannot_export_full_niks_even_with_a_forged_button(
    harness: Harness,
) -> None:
    await seed_people(harness)
    member = await add_staff(harness)
    await member.send("/ekspor")
    assert member.last().buttons == ["📄 CSV", "📊 Excel (XLSX)"]
    await member.press_data("zz:unknown")
    stale = member.callback_answer()
    for data in ("ex:csv:f", "ex:xlsx:f", "ex:pdf:m"):
        assert await member.press_data(data) == []
        assert member.callback_answer() == stale
    assert documents(harness) == []
    assert [e.action for e in await harness.deps.staff.audit_log()] == ["staff_add"]


# ---- /pendaftar ---------------------------------------------------------------------------


async def test_pendaftar_pages_through_new_registrations_and_marks_them(harness: Harness) -> None:
    ids = await seed_people(harness)
    member = await add_staff(harness)
    [card] = await member.send("/pendaftar")
    assert "Pendaftar baru · 1 dari 4" in card.plain
    assert "SKP-000001" in card.plain and "Siti Aminah" in card.plain
    assert "+62 812-3456-1101" in card.plain
    assert mask_nik(nik_of(1101)) in card.plain and nik_of(1101) not in card.plain
    assert "Pengayuh becak" in card.plain and "Pekalongan Barat" in card.plain
    assert "Kembalikan ke baru" not in " ".join(card.buttons)

    await member.press("Berikutnya", card)
    assert "2 dari 4" in card.plain and "Budi Santoso" in card.plain
    await member.press("Sebelumnya", card)
    assert "1 dari 4" in card.plain

    await member.press("Sudah dihubungi", card)
    assert member.callback_answer() == "SKP-000001: dihubungi ✓"
    assert "SKP-000001 ditandai: dihubungi" in card.plain
    assert "1 dari 3" in card.plain and "Budi Santoso" in card.plain
    await member.press("Terdaftar BPJS", card)
    await member.press("Tidak memenuhi syarat", card)
    assert "Agus Salim" in card.plain and "Penjahit" in card.plain
    assert "Luar Kota Pekalongan" in card.plain
    await member.press("Sudah dihubungi", card)
    assert "Tidak ada pendaftar baru yang menunggu" in card.plain
    assert card.buttons == []

    counts = await harness.deps.registrations.count_by_status()
    assert counts == {"baru": 0, "dihubungi": 2, "terdaftar_bpjs": 1, "tidak_memenuhi_syarat": 1}
    log = [(e.actor_id, e.action, e.target, e.detail) for e in await harness.deps.staff.audit_log()]
    assert (STAFF_ID, "registration_status", "SKP-000002", "baru -> terdaftar_bpjs") in log
    assert len([e for e in log if e[1] == "registration_status"]) == 4

    # Any registration by its number, to correct a mistake.
    [card2] = await member.send("/pendaftar SKP-000002")
    assert "terdaftar BPJS" in card2.plain
    await member.press("Kembalikan ke baru", card2)
    assert "Status: baru" in card2.plain
    registration = await harness.deps.registrations.get(ids[1])
    assert registration is not None and registration.status == "baru"
    await member.send("/pendaftar SKP-999999")
    assert "tidak ditemukan" in member.last().plain


async def test_pendaftar_with_nobody_waiting(harness: Harness) -> None:
    member = await add_staff(harness)
    await member.send("/pendaftar")
    assert "Tidak ada pendaftar baru" in member.last().plain


# ---- /statistik ---------------------------------------------------------------------------


async def test_statistik_figures_and_chart(harness: Harness, clock: FakeClock) -> None:
    h = harness
    await seed_people(h)
    await h.deps.registrations.set_status(2, "dihubungi")
    # users: 4 registered, Budi, Wati (opted out), Joko (blocked), the staff member, the admin
    await h.user(1001).send("/start")
    wati = h.user(1002, "Wati")
    await wati.send("/start")
    await wati.send("/berhenti")
    await h.user(1003, "Joko").send("/start")
    await h.deps.users.mark_blocked(1003)
    member = await add_staff(h)
    # reminders: 3 on, 1 marked paid for January 2026
    for uid in (1101, 1102, 1103):
        await h.deps.reminders.set_rule(uid, Rule(5, 7, 0))
    await h.deps.reminders.mark_paid(1101, "2026-01")
    # questions: 2 answered, 1 not; one 👍 and one 👎
    budi = h.user(1001)
    await budi.send("berapa iurannya sebulan?")
    await budi.press("👍")
    await budi.send("resep soto tauto")
    await budi.send("apa itu JKM?")
    await budi.press("👎")

    before = len(h.sim.bot_messages(STAFF_ID))
    await member.send("/statistik")
    text, chart = h.sim.bot_messages(STAFF_ID)[before:]
    plain = text.plain
    assert "Pengguna: 9 · berhenti menerima pengumuman 1 · memblokir bot 1" in plain
    assert "Baru minggu ini (sejak Senin, 5 Januari 2026): 9 pengguna, 4 pendaftar" in plain
    assert "Pendaftar: 4" in plain
    assert "baru 3 · dihubungi 1 · terdaftar BPJS 0 · tidak memenuhi syarat 0" in plain
    assert "Pengingat iuran: 3 aktif · 1 (33,3%) sudah menandai lunas untuk Januari 2026" in plain
    assert "Pertanyaan: 3 · tidak terjawab 1 (33,3%) · 👍 1 · 👎 1" in plain
    assert chart.kind == "photo" and chart.file is not None
    assert chart.file.startswith(b"\x89PNG")
    image = Image.open(io.BytesIO(chart.file))
    assert image.width == 900 and image.height > 300
    assert "Pendaftar per status, kecamatan, dan pekerjaan" in chart.plain

    # A week later, "new this week" starts again.
    clock.advance(days=7)
    text, _chart = await member.send("/statistik")
    assert "9 pengguna" not in text.plain
    assert "(sejak Senin, 12 Januari 2026): 0 pengguna, 0 pendaftar" in text.plain


async def test_statistik_without_registrations_sends_no_chart(harness: Harness) -> None:
    member = await add_staff(harness)
    replies = await member.send("/statistik")
    assert [m.kind for m in replies] == ["text"]
    assert "Pendaftar: 0" in replies[0].plain


# ---- /ekspor ------------------------------------------------------------------------------


def read_csv(message: SimMessage) -> list[list[str]]:
    assert message.file is not None
    assert message.file.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets read UTF-8
    return list(csv.reader(io.StringIO(message.file.decode("utf-8-sig"))))


def read_xlsx(message: SimMessage) -> list[list[Any]]:
    assert message.file is not None
    book = openpyxl.load_workbook(io.BytesIO(message.file), read_only=True)
    return [list(row) for row in book.active.iter_rows(values_only=True)]


async def test_export_masked_for_staff_full_for_admins_only_to_the_requester(
    harness: Harness,
) -> None:
    h = harness
    await seed_people(h)
    member = await add_staff(h)
    await member.send("/ekspor")
    assert "4" in member.last().plain and "disamarkan" in member.last().plain
    await member.press("CSV")
    [doc] = documents(h)
    assert doc.chat_id == STAFF_ID
    assert doc.filename == "pendaftar_2026-01-05_0820.csv"
    rows = read_csv(doc)
    assert rows[0][:5] == ["Nomor", "Tanggal daftar", "Nama lengkap", "NIK", "Telepon"]
    assert len(rows) == 1 + len(PEOPLE)
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Nomor"] == "SKP-000001"
    assert first["Nama lengkap"] == "Siti Aminah"
    assert first["NIK"] == mask_nik(nik_of(1101))
    assert first["Telepon"] == "0812-3456-1101"
    assert first["Pekerjaan"] == "Pengayuh becak"
    assert first["Kecamatan"] == "Pekalongan Barat"
    assert first["Status"] == "baru"
    assert first["Tanggal daftar"] == "2026-01-05 08:00"
    agus = dict(zip(rows[0], rows[4], strict=True))
    assert agus["Pekerjaan"] == "Penjahit" and agus["Kecamatan"] == "Luar Kota Pekalongan"
    assert not any(nik_of(uid) in ",".join(r) for r in rows for uid, *_ in PEOPLE)

    await member.press("Excel (XLSX)")
    xlsx = documents(h)[-1]
    assert xlsx.chat_id == STAFF_ID and xlsx.filename is not None
    assert xlsx.filename.endswith(".xlsx")
    sheet = read_xlsx(xlsx)
    assert sheet[0][3] == "NIK" and sheet[1][3] == mask_nik(nik_of(1101))

    admin = h.user(ADMIN_ID, "Admin")
    await admin.send("/ekspor")
    assert "NIK lengkap" in " ".join(admin.last().buttons)
    await admin.press("XLSX, NIK lengkap")
    full = documents(h)[-1]
    assert full.chat_id == ADMIN_ID
    assert full.filename is not None and "nik-lengkap" in full.filename
    sheet = read_xlsx(full)
    assert [r[3] for r in sheet[1:]] == [nik_of(uid) for uid, *_ in PEOPLE]
    assert all(isinstance(r[3], str) for r in sheet[1:])  # text, not 3.375E+15
    assert "NIK lengkap" in full.plain
    # Documents went only to the two requesters' private chats.
    assert {m.chat_id for m in documents(h)} == {STAFF_ID, ADMIN_ID}
    log = [(e.actor_id, e.action, e.target, e.detail) for e in await h.deps.staff.audit_log()]
    assert (STAFF_ID, "export", "csv", "4 rows, masked NIK, sent") in log
    assert (STAFF_ID, "export", "xlsx", "4 rows, masked NIK, sent") in log
    assert (ADMIN_ID, "export", "xlsx", "4 rows, full NIK, sent") in log


async def test_export_cells_cannot_run_as_formulas(harness: Harness) -> None:
    member = await add_staff(harness)
    await seed_registration(harness, 1201, "Eko", "lainnya", "luar_kota", "-1+1 desa")
    await member.send("/ekspor")
    await member.press("CSV")
    rows = read_csv(documents(harness)[-1])
    assert "'-1+1 desa (luar Kota Pekalongan)" in rows[1]  # issue 17: the place, outside


async def test_export_with_no_registrations(harness: Harness) -> None:
    member = await add_staff(harness)
    await member.send("/ekspor")
    await member.press("CSV")
    assert "Belum ada pendaftar" in member.last().plain
    assert documents(harness) == []


def test_export_from_the_cli(
    make_settings: Any,
    clock: FakeClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings: Settings = make_settings()

    async def seed() -> None:
        async with Harness.create(settings, clock) as h:
            await seed_people(h)

    asyncio.run(seed())
    from bot.__main__ import main

    monkeypatch.chdir(tmp_path)
    for name in ("TELEGRAM_BOT_TOKEN", "NIK_ENCRYPTION_KEY", "FAQ_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_PATH", str(settings.database_path))
    masked, full = tmp_path / "out" / "p.csv", tmp_path / "p.xlsx"
    assert main(["export", str(masked)]) == 0
    text = masked.read_bytes().decode("utf-8-sig")
    assert mask_nik(nik_of(1101)) in text and nik_of(1101) not in text
    assert main(["export", str(full), "--full-nik"]) == 0
    book = openpyxl.load_workbook(full, read_only=True)
    niks = [row[3] for row in book.active.iter_rows(min_row=2, values_only=True)]
    assert niks == [nik_of(uid) for uid, *_ in PEOPLE]
    assert main(["export", str(tmp_path / "x.dat"), "--format", "xlsx"]) == 0
    assert (tmp_path / "x.dat").read_bytes()[:2] == b"PK"
    # The log says how many and how, never who.
    out, logged = capsys.readouterr()
    assert "4 registrations written to" in out
    assert "4 registrations as xlsx (full NIK)" in logged
    for uid, name, *_ in PEOPLE:
        assert nik_of(uid) not in logged and name not in logged
        assert phone_of(uid)[3:] not in logged


# ---- /pertanyaan --------------------------------------------------------------------------


async def test_pertanyaan_groups_unanswered_and_disliked_questions(harness: Harness) -> None:
    # Issue 16 changed /pertanyaan from a list into the review loop (tests/test_kb_staff.py):
    # one group at a time, newest first, "x of N", 👎 answers by their title.
    h = harness
    member = await add_staff(h)
    for uid in (1001, 1002, 1003):
        await h.user(uid).send("resep soto tauto")
    await h.user(1001).send("Resep  SOTO tauto?")
    await h.user(1002).send("<b>lowongan</b> & gaji PNS")
    await h.user(1003).send("apa itu JKM?")
    await h.user(1003).press("👎")
    await member.send("/pertanyaan")
    plain = member.last().plain
    assert "30 hari terakhir" in plain and "1 dari 3" in plain
    assert "“apa itu JKM?”" in plain and "Dinilai 👎 (jawaban yang diberikan: " in plain
    assert "jkk_jkm_jht" not in plain
    await member.press("Berikutnya")
    plain, source = member.edited[0].plain, member.edited[0].text
    assert "2 dari 3" in plain and "“<b>lowongan</b> & gaji PNS”" in plain
    assert "&lt;b&gt;lowongan&lt;/b&gt; &amp; gaji PNS" in source
    await member.press("Berikutnya")
    plain = member.edited[0].plain
    assert "3 dari 3" in plain and "“Resep SOTO tauto?”" in plain
    assert "Ditanyakan 4 kali oleh 3 orang" in plain
    # Older questions fall outside a shorter period.
    h.clock.advance(days=3)  # type: ignore[attr-defined]
    await member.send("/pertanyaan 2")
    assert "Tidak ada pertanyaan untuk ditinjau (2 hari terakhir)" in member.last().plain


# ---- /muatulang ---------------------------------------------------------------------------


def copy_knowledge(target: Path) -> Path:
    for name in ("faq_matching.toml", "id/faq.toml", "id/lexicon.toml", "en/faq.toml",
                 "en/lexicon.toml"):  # fmt: skip
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(LOCALES_DIR / name, target / name)
    return target


async def test_muatulang_keeps_the_old_knowledge_base_when_the_new_one_is_broken(
    make_settings: Any, clock: FakeClock, tmp_path: Path
) -> None:
    kb_dir = copy_knowledge(tmp_path / "kb")
    settings = make_settings(faq_dir=kb_dir)
    async with Harness.create(settings, clock) as h:
        member = await add_staff(h)
        budi = h.user(1001)
        await budi.send("/start")
        await budi.send("berapa iurannya sebulan?")
        answered = budi.last().plain
        assert "Rp16.800" in answered

        faq = kb_dir / "id" / "faq.toml"
        good = faq.read_text(encoding="utf-8")
        broken = good.replace('id = "total_iuran"', 'id = "Total Iuran!"', 1)
        assert broken != good
        faq.write_text(broken, encoding="utf-8")
        await member.send("/muatulang")
        reply = member.last().plain
        assert "tidak dimuat ulang" in reply and "versi sebelumnya" in reply
        assert "faq.toml" in reply and "Total Iuran!" in reply
        # The old knowledge base keeps answering.
        await budi.send("berapa iurannya sebulan?")
        assert budi.last().plain == answered

        # Fixed, with a new phrasing: the reload takes effect without a restart.
        phrase = "setoran rutin tiap purnama"  # a wording the knowledge base does not know
        await budi.send(phrase)
        assert "Rp16.800" not in budi.last().plain
        faq.write_text(_with_phrasing(good, "iuran", phrase), encoding="utf-8")
        await member.send("/muatulang")
        assert "sudah dimuat ulang" in member.last().plain
        await budi.send(phrase)
        assert "Rp16.800" in budi.last().plain
        await member.send("/muatulang")
        assert "Tidak ada berkas yang berubah" in member.last().plain
        log = [(e.action, e.detail) for e in await h.deps.staff.audit_log()]
        assert [a for a, d in log if d.startswith("refused")] == ["kb_reload"]
        assert ("kb_reload", "ok, changed=True") in log
        assert ("kb_reload", "ok, changed=False") in log


def _totals_ready(faq: FaqService) -> bool:
    """Whether the calculator's patterns are built for every language's lexicon (the first
    and the last of them a total builds)."""
    lexicons = [know.normaliser.lexicon for know in faq.knowledge.locales.values()]
    caches = (calculator._roll_patterns, calculator._named_lexicons)
    return all(cache.get(id(x), (None,))[0] is x for x in lexicons for cache in caches)


async def test_the_knowledge_base_is_ready_for_totals_before_the_first_question(
    make_settings: Any, clock: FakeClock, tmp_path: Path
) -> None:
    """The patterns a total needs are built at start and at /muatulang (`FaqService.warm`),
    not while the first person to ask one waits (150-300 ms)."""
    kb_dir = copy_knowledge(tmp_path / "kb")
    settings = make_settings(faq_dir=kb_dir)
    assert not _totals_ready(FaqService.load(settings))  # files no test has loaded before
    async with Harness.create(settings, clock) as h:
        assert _totals_ready(h.deps.faq)
        member = await add_staff(h)
        faq = kb_dir / "id" / "faq.toml"
        faq.write_text(
            _with_phrasing(faq.read_text(encoding="utf-8"), "iuran", "setoran tiap purnama"),
            encoding="utf-8",
        )
        await member.send("/muatulang")
        assert "sudah dimuat ulang" in member.last().plain
        assert _totals_ready(h.deps.faq)


def test_a_failed_warm_up_is_logged_and_the_bot_goes_on(
    make_settings: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The warm-up only saves the first asker some time: it must never stop a start or a
    /muatulang."""
    settings = make_settings()
    service = FaqService.load(settings)

    def broken(question: str, tr: object) -> None:
        raise RuntimeError("broken")

    monkeypatch.setattr(service, "ask", broken)
    service.warm([I18n("id", settings.tz).get("id")])
    assert "warm-up failed" in caplog.text


def _with_phrasing(toml: str, entry_id: str, phrase: str) -> str:
    """Add a phrasing to an entry of faq.toml (the line after `id = "<entry_id>"`)."""
    marker = f'id = "{entry_id}"'
    start = toml.index(marker)
    at = toml.index("phrasings = [", start) + len("phrasings = [")
    return toml[:at] + f'\n    "{phrase}",' + toml[at:]


# ---- audiences ----------------------------------------------------------------------------


async def test_new_audiences_show_their_counts(harness: Harness) -> None:
    h = harness
    await seed_people(h)
    await h.deps.registrations.set_status(3, "terdaftar_bpjs")
    await h.user(1101).send("/berhenti")  # opted out: never counted
    await h.deps.users.mark_blocked(1102)  # blocked: never counted
    await h.user(1001).send("/start")
    for uid in (1001, 1101, 1103):
        await h.deps.reminders.set_rule(uid, Rule(5, 7, 0))
    await h.deps.reminders.stop(1103)

    async def count_for(audience: str, option: str | None = None) -> str:
        admin = h.user(ADMIN_ID, "Admin")
        await admin.send("/siaran")
        await admin.send("Pengumuman uji")
        await admin.press(audience)
        if option is not None:
            await admin.press(option)
        shown = admin.last().plain
        await admin.send("/batal")
        return shown

    assert "2 orang akan menerima" in await count_for("Orang yang sudah mendaftar")
    assert "1 orang akan menerima" in await count_for("Orang yang memasang pengingat")
    shown = await count_for("Per kecamatan", "Pekalongan Barat")
    assert "Per kecamatan: Pekalongan Barat" in shown and "tidak ada yang" in shown
    assert "1 orang" in await count_for("Per kecamatan", "Pekalongan Utara")
    assert "1 orang" in await count_for("Per kecamatan", "Luar Kota Pekalongan")
    assert "1 orang" in await count_for("Per pekerjaan", "Buruh batik")
    assert "1 orang" in await count_for("Per status pendaftaran", "terdaftar BPJS")
    assert "1 orang" in await count_for("Per status pendaftaran", "baru")
    # The option buttons use the catalogue's labels, in the catalogue's words.
    admin = h.user(ADMIN_ID, "Admin")
    await admin.send("/siaran")
    await admin.send("Pengumuman uji")
    await admin.press("Per pekerjaan")
    assert admin.last().buttons[:3] == ["Buruh batik", "Pengayuh becak", "Lainnya"]
