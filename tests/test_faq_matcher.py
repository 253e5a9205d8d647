"""The matcher's scores on a small knowledge base: cosine of IDF-weighted words, unknown
words held against a question, and an entry's words shared between its phrasings."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.faq.kb import Entry, KnowledgeBase
from bot.faq.matcher import Matcher
from bot.faq.normalize import Lexicon, Normaliser
from bot.faq.service import load_knowledge


def entry(entry_id: str, *phrasings: str) -> Entry:
    return Entry(entry_id, entry_id, phrasings, "jawaban", ("bot: test",))


@pytest.fixture
def matcher() -> Matcher:
    kb = KnowledgeBase("id", Path("faq.toml"))
    for e in (
        entry("iuran", "iuran berapa", "biaya mandiri"),
        entry("daftar", "cara daftar", "daftar lewat aplikasi"),
        entry("kontak", "nomor petugas", "alamat kantor"),
    ):
        kb.entries[e.id] = e
    return Matcher(kb, Normaliser(Lexicon(stopwords=frozenset({"yang"}))))


def score(matcher: Matcher, text: str, entry_id: str, **weights: float) -> float:
    ranking = matcher.rank(text, **weights)
    return next((s.score for s in ranking.scores if s.entry_id == entry_id), 0.0)


def test_a_phrasing_said_again_scores_one(matcher: Matcher) -> None:
    assert score(matcher, "cara daftar", "daftar") == pytest.approx(1.0)
    assert score(matcher, "yang cara daftar", "daftar") == pytest.approx(1.0)  # a stop word


def test_an_unknown_word_counts_against_the_question(matcher: Matcher) -> None:
    plain = score(matcher, "cara daftar", "daftar", unknown_weight=1.0)
    look_alike = score(matcher, "cara daftar cpns", "daftar", unknown_weight=1.0)
    heavier = score(matcher, "cara daftar cpns", "daftar", unknown_weight=2.0)
    assert plain > look_alike > heavier
    assert matcher.rank("cara daftar cpns").unknown == ("cpns",)


def test_words_of_two_phrasings_of_one_entry_are_pooled(matcher: Matcher) -> None:
    """'iuran mandiri berapa' mixes both phrasings of "iuran": with the entry weight, the
    phrasings borrow each other's words; without it, each phrasing covers only half."""
    alone = score(matcher, "iuran mandiri berapa", "iuran", entry_weight=0.0)
    pooled = score(matcher, "iuran mandiri berapa", "iuran", entry_weight=1.0)
    assert alone < 0.85 < pooled
    # a word another entry uses is not borrowed: it still counts fully against "iuran"
    mixed = score(matcher, "iuran berapa petugas", "iuran", entry_weight=1.0)
    assert mixed == pytest.approx(score(matcher, "iuran berapa petugas", "iuran"))
    assert mixed < pooled


def test_scores_do_not_depend_on_how_they_are_computed(matcher: Matcher) -> None:
    """`kb tune` scores once per entry weight and rescales per unknown-word weight."""
    query = matcher.prepare("cara daftar cpns lewat kantor")
    for entry_weight in (0.0, 0.5, 1.0):
        scores = matcher.entry_scores(query, entry_weight)
        for unknown_weight in (1.0, 2.5):
            direct = matcher.rank("cara daftar cpns lewat kantor", unknown_weight, entry_weight)
            assert matcher.ranking(query, scores, unknown_weight) == direct


def test_an_entry_about_one_programme_does_not_answer_for_another() -> None:
    """The registration entry speaks of BPJS Ketenagakerjaan: a question that names BPJS
    Kesehatan is not for it, while entries that name no programme, or both, stay in."""
    know = load_knowledge()
    matcher = know.for_locale("id").matcher
    assert matcher.programs == {"bpjstk", "bpjskes"}

    def entries(text: str) -> set[str]:
        return {s.entry_id for s in matcher.rank(text, 1.25, 1.0).scores}

    assert "daftar" in entries("cara daftar bpjs tk")
    assert "daftar" in entries("cara daftar")  # no programme named: nothing excluded
    assert "daftar" not in entries("cara daftar bpjs kesehatan")
    assert "tk_vs_kesehatan" in entries("cara daftar bpjs kesehatan")  # names both
    assert "berobat_ktp" not in entries("bpjs tk bisa buat berobat")
