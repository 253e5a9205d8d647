"""`kb check`: broken knowledge-base files are caught, named by file and entry, and the bot
refuses to start with them."""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.app import build_app
from bot.config import LOCALES_DIR, Settings
from bot.faq.kb import MAX_SOURCE_LINE_CHARS, KnowledgeBaseError, plain
from bot.faq.matcher import MATCHING_FILE
from bot.faq.service import FaqService, check_directory, load_knowledge
from bot.i18n import I18n, Translator
from sakpore_sim.simulator import TelegramSimulator

SEEDS_DIR = Path("/work/shared/seeds")


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
            assert 0 < len(entry.source_line) <= MAX_SOURCE_LINE_CHARS


@pytest.fixture(scope="module")
def service() -> FaqService:
    """The real knowledge base with the default contribution and no office contact set."""
    return FaqService.load(Settings(_env_file=None))  # type: ignore[call-arg]


def _translators() -> list[tuple[str, Translator]]:
    tz = Settings(_env_file=None).tz  # type: ignore[call-arg]
    return [(locale, I18n(locale, tz).get(locale)) for locale in ("id", "en")]


def test_every_answer_ends_with_its_visible_source_line(service: FaqService) -> None:
    labels = {"id": "Sumber: ", "en": "Source: "}
    for locale, tr in _translators():
        for entry in service.kb(locale):
            text = service.entry_text(entry, tr)
            last = text.rsplit("\n", 1)[-1]
            source = html.escape(entry.source_line, quote=False)
            assert last == f"<i>{labels[locale]}{source}</i>", (locale, entry.id, last)
            if entry.general_info:  # the general-information note stays, above the source
                assert "ℹ️" in text.rsplit("\n", 2)[-2], (locale, entry.id)


# Every figure a user can read in an answer must come from somewhere we can name. The seed
# texts count as a whole; other figures are allowed one by one, each tied to the row of
# /work/shared/DOMAIN.md (or the bot's arithmetic) that allows it.
PUBLIC_FIGURES: dict[str, str] = {
    "2.000": "DOMAIN 'The program': in 2024, 2,000 more participants (seed 000 says '2 ribu')",
    "2,000": "DOMAIN 'The program': in 2024, 2,000 more participants (seed 000 says '2 ribu')",
    "10/2023": "DOMAIN 'Beyond the sources': Perda Kota Pekalongan No. 10/2023",
    "19B/2022": "DOMAIN 'Beyond the sources': earlier lists of work types (Perwal 19B/2022)",
    "2022": "DOMAIN 'Beyond the sources': Perwal 19B/2022; 'Personal data': UU No. 27 Tahun 2022",
    "2023": "DOMAIN 'Beyond the sources': earlier lists of work types (2023 plans)",
    "27": "DOMAIN 'Personal data': UU No. 27 Tahun 2022 (UU PDP)",
    "23": "DOMAIN 'Beyond the sources': scholarships until age 23 (and seed 002: Jumat 23/02)",
    "2": "DOMAIN 'Beyond the sources': scholarships for at most 2 children",
    "3": "DOMAIN 'Beyond the sources': coverage lapses after 3 unpaid months",
    "175": "DOMAIN 'Beyond the sources': BPJS Ketenagakerjaan contact centre 175",
    "165": "DOMAIN 'Beyond the sources': BPJS Kesehatan Care Center 165",
    "44/2015": "DOMAIN 'Beyond the sources': regulations, PP 44/2015",
    "82/2019": "DOMAIN 'Beyond the sources': regulations, PP 82/2019",
}
# total_iuran lists the periods of {yearly} {total_5y} {total_10y} {total_25y} and gives
# "3 tahun" as an example question; the amounts themselves are computed.
CALCULATOR_PERIODS = frozenset({"1", "3", "5", "10", "25"})
_NUMBER = re.compile(r"\d+(?:[.,/]\d+)*[A-Z]?(?:/\d+)?")


def _seed_figures() -> set[str]:
    figures: set[str] = set()
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        for token in _NUMBER.findall(path.read_text(encoding="utf-8")):
            figures.add(token)
            figures.update(token.split("/"))  # "Jumat (23/02)": the 23rd
    return figures


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason="the seed texts are not on this machine")
def test_every_number_in_an_answer_has_a_named_source(service: FaqService) -> None:
    seeds = _seed_figures()
    assert {"16.800", "42", "174", "96", "13", "4"} <= seeds  # the seeds were read
    unsourced: list[tuple[str, str, str]] = []
    for locale, tr in _translators():
        computed = {
            token
            for value in service.values(tr).values()
            for token in _NUMBER.findall(plain(value))
        }
        for entry in service.kb(locale):
            text = plain(service.entry_text(entry, tr))
            for token in _NUMBER.findall(text):
                if token in computed or token in seeds or token in PUBLIC_FIGURES:
                    continue
                if entry.id == "total_iuran" and token in CALCULATOR_PERIODS:
                    continue
                unsourced.append((locale, entry.id, token))
    assert not unsourced, unsourced


def test_the_old_care_center_number_is_gone(service: FaqService) -> None:
    for locale, tr in _translators():
        texts = [service.entry_text(e, tr) for e in service.kb(locale)]
        texts.append(service.reach_person_text(tr))
        assert not any("1500" in t for t in texts), locale
        assert "165" in plain(service.entry_text(service.kb(locale).entries["kontak"], tr))


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
            "<b>4 kota/kabupaten</b> yang punya",
            "<b>4 kota/kabupaten</b> (total sekitar Rp8 juta) yang punya",
            "wrong total",
        ),
        (
            "id",
            'sources = ["seeds/000_9dabfd3e368f32f2.txt"]\nsource_line = "sosialisasi Pemkot dan',
            'sources = []\nsource_line = "sosialisasi Pemkot dan',
            "entry 'iuran': sources",
        ),
        (
            "id",
            'sources = ["seeds/000_9dabfd3e368f32f2.txt"]\nsource_line = "sosialisasi Pemkot dan',
            'sources = ["koran"]\nsource_line = "sosialisasi Pemkot dan',
            "neither a seed file",
        ),
        (
            "id",
            'related = ["tentang_program", "dibayar_pemkot"]',
            'related = ["nope"]',
            "'nope' does not exist",
        ),
        # the visible source line: required, non-empty, short, plain text
        (
            "id",
            'source_line = "sosialisasi Pemkot dan BPJS, Februari 2024"\n',
            "",
            "entry 'iuran': 'source_line' is missing",
        ),
        (
            "en",
            'source_line = "this bot"\n',
            'source_line = " "\n',
            "entry 'pengingat': source_line must be a non-empty text",
        ),
        (
            "id",
            'source_line = "fitur bot ini"\n',
            'source_line = "' + "fitur bot ini, " * 6 + '"\n',
            f"entry 'pengingat': source_line is 89 characters; keep it short "
            f"(at most {MAX_SOURCE_LINE_CHARS})",
        ),
        (
            "id",
            'source_line = "fitur bot ini"\n',
            'source_line = "<b>fitur</b> bot ini"\n',
            "entry 'pengingat': source_line is plain text",
        ),
        # time-bound figures carry their date; "tahun ini" (2024, long past) is refused
        (
            "id",
            "Pada Februari 2024 Wali Kota menyampaikan: sekitar <b>96%</b>",
            "Wali Kota menyampaikan: sekitar <b>96%</b>",
            "entry 'berobat_ktp': answer quotes a time-bound figure (UHC about 96%) without",
        ),
        (
            "en",
            "In February 2024 it was said that of all cities",
            "Of all cities",
            "entry 'perda': answer quotes a time-bound figure (only 4 regions) without its date",
        ),
        (
            "id",
            "<b>13 profesi</b>, dan untuk 2024 direncanakan 2.000 peserta lagi.",
            "<b>13 profesi</b>. Lalu direncanakan 2.000 peserta lagi.",
            "entry 'dibayar_pemkot': answer quotes a time-bound figure (2,000 more participants)",
        ),
        (
            "id",
            "dan untuk 2024 direncanakan 2.000 peserta lagi.",
            "dan tahun ini ditambah lagi, sampai 2024.",
            "entry 'dibayar_pemkot': answer says 'tahun ini'",
        ),
        (
            "en",
            "with 2.000 more planned for 2024.",
            "with more planned this year (2024).",
            "entry 'dibayar_pemkot': answer says 'this year'",
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
    # keep 4 of the entry's phrasings (one a line), however many it has
    head, entry, rest = path.read_text(encoding="utf-8").partition('id = "perda"\n')
    block = re.search(r"phrasings = \[\n(.*?)\n\]", rest, re.S)
    assert block is not None
    kept = "\n".join(block.group(1).splitlines()[:4])
    assert kept.count('",') == 4, kept
    path.write_text(
        head + entry + rest[: block.start(1)] + kept + rest[block.end(1) :], encoding="utf-8"
    )
    edit(path, "siapa pun yang menjabat.", "siapa pun yang menjabat. " + "Panjang sekali. " * 40)
    found = problems(kb_dir)
    assert any("entry 'perda'" in p and "write at least 5" in p for p in found), found
    assert any("entry 'perda'" in p and "keep it under 600" in p for p in found), found


def test_broken_lexicon_is_reported(kb_dir: Path) -> None:
    (kb_dir / "id" / "lexicon.toml").write_text("[words]\nbrp = 1\n", encoding="utf-8")
    assert any("lexicon.toml" in p and "[words]" in p for p in problems(kb_dir))


@pytest.mark.parametrize(
    ("written", "entry", "misspelt"),
    [
        # [negation] entries: the entry a negated word rules out
        ('entries = { kecelakaan_kerja = ["kerja"] }', "kecelakaan_kerja", "kecelakan_kerja"),
        # ... and the entry answered beside one it rules out but the message names again
        ('beside = { manfaat_kematian = ["meninggal"', "manfaat_kematian", "manfaat_kematin"),
        # [named]: the entries another is answered instead of
        ('instead_of = ["manfaat_kematian"', "manfaat_kematian", "manfaat_kematan"),
        # ... and the entries it is answered beside
        ('beside = ["kecelakaan_kerja"]', "kecelakaan_kerja", "kecelakaan_kerjo"),
    ],
)
def test_a_lexicon_rule_for_an_unknown_entry_is_reported(
    kb_dir: Path, written: str, entry: str, misspelt: str
) -> None:
    """A lexicon rule naming a misspelt entry id would do nothing, silently."""
    edit(kb_dir / "id" / "lexicon.toml", written, written.replace(entry, misspelt))
    found = problems(kb_dir)
    assert any("lexicon.toml" in p and misspelt in p for p in found), found


def test_a_broken_named_entry_rule_is_reported(kb_dir: Path) -> None:
    edit(
        kb_dir / "id" / "lexicon.toml",
        'instead_of = ["manfaat_kematian", "beasiswa", "manfaat"]',
        'instead_of = "manfaat_kematian"',
    )
    assert any("[named] kecelakaan_kerja" in p for p in problems(kb_dir))


def test_a_named_entry_rule_with_neither_list_is_reported(kb_dir: Path) -> None:
    """A [named] rule must say what it replaces (instead_of) or what it is added to (beside):
    without either it would do nothing, silently."""
    edit(kb_dir / "id" / "lexicon.toml", 'beside = ["kecelakaan_kerja"]', "")
    assert any("[named] manfaat_kematian" in p for p in problems(kb_dir))


@pytest.mark.parametrize("locale", ["id", "en"])
def test_named_entry_phrases_are_written_as_the_matcher_reads_them(
    service: FaqService, locale: str
) -> None:
    """[named] phrases are compared with the matcher's tokens: a phrase written otherwise
    ("bekerja" for "kerja") would never be found."""
    know = service.knowledge.for_locale(locale)
    named = know.normaliser.lexicon.named_entries
    assert named
    for spec in named.values():
        for group in spec.phrases:
            for phrase in group:
                read = know.matcher.corrected(know.normaliser.normalise(" ".join(phrase)).tokens)
                assert tuple(read) == phrase


def test_lexicon_entry_lists_name_entries_the_knowledge_base_has(kb_dir: Path) -> None:
    """An entry id mistyped in a lexicon list that names entries would do nothing, silently:
    `kb check` names it ([negation] second_anyway, [other_topics] follow_ups: round 75)."""
    edit(
        kb_dir / "id" / "lexicon.toml", 'second_anyway = ["kontak"]', 'second_anyway = ["kontakk"]'
    )
    edit(
        kb_dir / "en" / "lexicon.toml", 'follow_ups = ["beasiswa"]', 'follow_ups = ["scholarship"]'
    )
    found = problems(kb_dir)
    assert any("[negation] second_anyway names an entry" in p for p in found), found
    assert any("[other_topics] follow_ups names an entry" in p for p in found), found


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
