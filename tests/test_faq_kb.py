"""`kb check`: broken knowledge-base files are caught, named by file and entry, and the bot
refuses to start with them."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.app import build_app
from bot.config import LOCALES_DIR, Settings
from bot.faq.kb import KnowledgeBaseError
from bot.faq.matcher import MATCHING_FILE
from bot.faq.service import check_directory, load_knowledge
from bot.simulator import TelegramSimulator


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    """A copy of the real knowledge base to break."""
    target = tmp_path / "kb"
    for locale in ("id", "en"):
        (target / locale).mkdir(parents=True)
        for name in ("faq.toml", "lexicon.toml"):
            shutil.copy(LOCALES_DIR / locale / name, target / locale / name)
    shutil.copy(LOCALES_DIR / MATCHING_FILE, target / MATCHING_FILE)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(directory: Path) -> list[str]:
    return [str(p) for p in check_directory(directory)[1]]


def test_the_real_knowledge_base_is_valid() -> None:
    assert problems(LOCALES_DIR) == []


def test_real_answers_are_short_and_sourced() -> None:
    knowledge = load_knowledge(LOCALES_DIR)
    for locale in ("id", "en"):
        for entry in knowledge.for_locale(locale).kb:
            assert len(entry.phrasings) >= 5
            assert entry.sources


@pytest.mark.parametrize(
    ("locale", "old", "new", "expected"),
    [
        ("id", 'id = "perda"', 'id = "tentang_program"', "entry 'tentang_program': id is used"),
        ("id", '"perdanya apa",', '"perdanya apa", "perdanya apa",', "entry 'perda': phrasing"),
        ("id", '"perdanya apa",', '"perdanya apa", "sakpore itu program apa sih",', "duplicates"),
        ("id", "<b>Perda</b> (peraturan", "<b>Perda (peraturan", "invalid HTML"),
        ("id", "<b>Perda</b> (peraturan", "<script>Perda</script> (peraturan", "not allowed"),
        (
            "id",
            "{monthly} per bulan</b> (setahun",
            "{bulanan} per bulan</b> (setahun",
            "placeholder",
        ),
        ("id", "{monthly} per bulan</b> (setahun", "{monthly per bulan</b> (setahun", "malformed"),
        ("id", "{monthly} per bulan</b> (setahun", "Rp16.800 per bulan</b> (setahun", "{monthly}"),
        (
            "id",
            "<b>4</b> yang punya",
            "<b>4</b> (total sekitar Rp8 juta) yang punya",
            "wrong total",
        ),
        (
            "id",
            'sources = ["seeds/000_9dabfd3e368f32f2.txt"]\nrelated = ["tentang_program"]',
            'sources = []\nrelated = ["tentang_program"]',
            "entry 'perda': sources",
        ),
        (
            "id",
            'sources = ["seeds/000_9dabfd3e368f32f2.txt"]\nrelated = ["tentang_program"]',
            'sources = ["koran"]\nrelated = ["tentang_program"]',
            "neither a seed file",
        ),
        (
            "id",
            'related = ["tentang_program"]\n\n[[entry]]\nid = "siapa_bisa_ikut"',
            'related = ["nope"]\n\n[[entry]]\nid = "siapa_bisa_ikut"',
            "'nope' does not exist",
        ),
        (
            "id",
            'title = "Perda Sakpore"',
            'title = "Peraturan Daerah Program Pekalongan Sakpore"',
            "at most 32",
        ),
        ("id", 'title = "Perda Sakpore"', 'titel = "Perda Sakpore"', "unknown field 'titel'"),
        ("en", 'id = "perda"', 'id = "regulation"', "entry 'perda': is in id but missing here"),
        ("id", 'id = "total_iuran"', 'id = "totals"', "entry 'total_iuran': is missing"),
        ("id", '[[entry]]\nid = "perda"', '[[entry]\nid = "perda"', "not valid TOML"),
    ],
)
def test_kb_check_names_file_and_entry(
    kb_dir: Path, locale: str, old: str, new: str, expected: str
) -> None:
    edit(kb_dir / locale / "faq.toml", old, new)
    found = problems(kb_dir)
    assert any(expected in p and f"{locale}/faq.toml" in p for p in found), found


def test_too_few_phrasings_and_long_answer(kb_dir: Path) -> None:
    path = kb_dir / "id" / "faq.toml"
    edit(path, '    "kenapa program ini pakai perda",\n', "")
    edit(path, '    "apa istimewanya perda sakpore",\n', "")
    edit(path, '    "berapa daerah yang punya perda kayak gini",\n', "")
    edit(path, '    "perda ki gunane opo",\n', "")
    edit(path, '    "perda jaminan sosial itu apa",\n', "")
    edit(path, '    "dasar hukum program ini apa",\n', "")
    edit(path, '    "peraturan daerahnya sudah ada belum",\n', "")
    edit(path, '    "perda nomer berapa",\n', "")
    edit(path, "siapa pun yang menjabat.", "siapa pun yang menjabat. " + "Panjang sekali. " * 40)
    found = problems(kb_dir)
    assert any("entry 'perda'" in p and "write at least 5" in p for p in found), found
    assert any("entry 'perda'" in p and "keep it under 600" in p for p in found), found


def test_broken_lexicon_is_reported(kb_dir: Path) -> None:
    (kb_dir / "id" / "lexicon.toml").write_text("[words]\nbrp = 1\n", encoding="utf-8")
    assert any("lexicon.toml" in p and "[words]" in p for p in problems(kb_dir))


def test_cli_kb_check(kb_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "check", "--dir", str(kb_dir)]) == 0
    assert "knowledge base OK" in capsys.readouterr().out
    edit(kb_dir / "id" / "faq.toml", 'id = "perda"', 'id = "tentang_program"')
    assert main(["kb", "check", "--dir", str(kb_dir)]) == 1
    out = capsys.readouterr().out
    assert "id/faq.toml: entry 'tentang_program': id is used by another entry" in out
    assert "problem(s) found" in out


def test_load_raises_and_the_bot_refuses_to_start(
    kb_dir: Path,
    make_settings: Callable[..., Settings],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    edit(kb_dir / "id" / "faq.toml", "<b>Perda</b> (peraturan", "<b>Perda (peraturan")
    with pytest.raises(KnowledgeBaseError, match="invalid HTML"):
        load_knowledge(kb_dir)
    with pytest.raises(KnowledgeBaseError):
        build_app(make_settings(faq_dir=kb_dir), request=TelegramSimulator())
    # `sakpore-bot run` with a token: exits 1 with the problem, never starts polling
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:" + "A" * 30)
    monkeypatch.setenv("FAQ_DIR", str(kb_dir))
    monkeypatch.setenv("DATABASE_PATH", str(kb_dir / "db.sqlite"))
    assert main(["run"]) == 1
    assert "invalid HTML" in capsys.readouterr().err
