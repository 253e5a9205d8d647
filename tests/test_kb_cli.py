"""Issue 16: `sakpore-bot kb export`, `kb import` and `kb conflicts` with staff changes."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import openpyxl
import pytest

from bot.__main__ import main
from bot.clock import FakeClock
from bot.config import LOCALES_DIR, Settings
from sakpore_sim.harness import Harness

# a phrasing that shares no word with a labelled question: "setoran rutin tiap purnama" made
# "dftr dmn trs bs dingtkn tiap bln?" lose its second answer, and the gate rightly held it
PHRASE = "setoran rutin kala purnama"


@pytest.fixture(autouse=True)
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.delenv("FAQ_DIR", raising=False)
    # the accuracy gate answers one labelled file for each imported change, as in
    # conftest.py's settings (all of them cost 10-20 s of CPU per import)
    monkeypatch.setenv("KB_GATE_FILES", "faq_dev2_2026-12.csv")
    db = tmp_path / "sakpore.db"
    monkeypatch.setenv("DATABASE_PATH", str(db))
    return db


def ask(db: Path, question: str, faq_dir: Path | None = None) -> str:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_path=db,
        telegram_bot_token=None,
        nik_encryption_key=None,
        faq_dir=faq_dir,
    )

    async def run() -> str:
        async with Harness.create(settings, FakeClock()) as h:
            await h.user(1001).send(question)
            return h.user(1001).last().plain

    return asyncio.run(run())


def edit_row(path: Path, entry_id: str, column: str, edit: object) -> None:
    book = openpyxl.load_workbook(path)
    sheet = book["id"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == entry_id:
            cell = row[header.index(column)]
            cell.value = edit(cell.value) if callable(edit) else edit
    book.save(path)


def test_export_import_round_trip(clean_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = Path("export")
    assert main(["kb", "export", str(out)]) == 0
    assert "0 staff change(s) included" in capsys.readouterr().out
    assert main(["kb", "check", "--dir", str(out)]) == 0  # the same format as locales/
    sheet = Path("reviewed.xlsx")
    shutil.copy(out / "faq.xlsx", sheet)
    edit_row(sheet, "iuran", "phrasings", lambda v: f"{v}\n{PHRASE}")
    edit_row(sheet, "kontak", "answer", lambda v: f"{v} 🙏")
    capsys.readouterr()
    assert main(["kb", "import", str(sheet)]) == 0
    printed = capsys.readouterr().out
    assert "id/iuran: version #1 live (Akurasi " in printed
    assert "id/kontak: version #2 pending" in printed  # an answer's text: a second person
    assert "Rp16.800" in ask(clean_env, PHRASE)
    # exported again: the staff change is in the TOML and the spreadsheet
    again = Path("export2")
    assert main(["kb", "export", str(again)]) == 0
    assert PHRASE in (again / "id" / "faq.toml").read_text(encoding="utf-8")
    assert main(["kb", "check", "--dir", str(again)]) == 0
    book = openpyxl.load_workbook(again / "faq.xlsx")
    assert any(PHRASE in str(c.value) for row in book["id"].iter_rows() for c in row)
    capsys.readouterr()
    assert main(["kb", "import", str(sheet)]) == 0
    assert "id/iuran" not in capsys.readouterr().out  # already live: nothing to change


def test_a_broken_spreadsheet_row_is_refused(
    clean_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = Path("export")
    assert main(["kb", "export", str(out)]) == 0
    edit_row(out / "faq.xlsx", "iuran", "answer", "Iuran <b>{monthly} sebulan.")
    capsys.readouterr()
    assert main(["kb", "import", str(out / "faq.xlsx")]) == 1
    printed = capsys.readouterr().out
    assert "id/iuran: refused" in printed and "invalid HTML" in printed


def test_conflicts_with_a_new_release(
    clean_env: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    release = tmp_path / "release"
    shutil.copytree(LOCALES_DIR, release, ignore=shutil.ignore_patterns("*.mo", "*.po*"))
    monkeypatch.setenv("FAQ_DIR", str(release))
    out = Path("export")
    assert main(["kb", "export", str(out)]) == 0
    edit_row(out / "faq.xlsx", "iuran", "phrasings", lambda v: f"{v}\n{PHRASE}")
    assert main(["kb", "import", str(out / "faq.xlsx")]) == 0
    capsys.readouterr()
    assert main(["kb", "conflicts"]) == 0
    assert "no conflicts (1 staff change(s) live)" in capsys.readouterr().out
    # the next release ships another version of the entry
    faq = release / "id" / "faq.toml"
    text = faq.read_text(encoding="utf-8")
    faq.write_text(text.replace('title = "Iuran per bulan"', 'title = "Iuran bulanan"'), "utf-8")
    assert main(["kb", "conflicts"]) == 0
    assert "version #1: id/iuran: the shipped entry changed since" in capsys.readouterr().out
    answer = ask(clean_env, PHRASE, release)
    assert "Iuran bulanan" in answer and "Rp16.800" in answer  # the staff change still applies
