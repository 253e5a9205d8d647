"""The matcher's scores on a small knowledge base: cosine of IDF-weighted words, unknown
words held against a question, and an entry's words shared between its phrasings."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from bot.config import Settings
from bot.faq.gate import LABELLED_DIR
from bot.faq.kb import Entry, KnowledgeBase
from bot.faq.matcher import Matcher, MatchParams
from bot.faq.normalize import Lexicon, Normaliser
from bot.faq.service import FaqService, load_knowledge
from bot.i18n import I18n


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
    ranking = matcher.rank(text, MatchParams(**weights))
    return next((s.score for s in ranking.scores if s.entry_id == entry_id), 0.0)


def test_a_phrasing_said_again_scores_one(matcher: Matcher) -> None:
    assert score(matcher, "cara daftar", "daftar") == pytest.approx(1.0)
    assert score(matcher, "yang cara daftar", "daftar") == pytest.approx(1.0)  # a stop word


def test_a_phrasing_said_word_for_word_is_told(matcher: Matcher) -> None:
    """`says`: the entries one of whose phrasings has exactly the message's content words
    (in any order); not a message that holds a phrasing and says more."""
    said = matcher.normaliser.normalise
    assert matcher.says(said("yang cara daftar").tokens) == {"daftar"}
    assert matcher.says(said("daftar cara").tokens) == {"daftar"}
    assert matcher.says(said("cara daftar berapa").tokens) == frozenset()


def test_an_unknown_word_counts_against_the_question(matcher: Matcher) -> None:
    plain = score(matcher, "cara daftar", "daftar", unknown_weight=1.0)
    look_alike = score(matcher, "cara daftar cpns", "daftar", unknown_weight=1.0)
    heavier = score(matcher, "cara daftar cpns", "daftar", unknown_weight=2.0)
    assert plain > look_alike > heavier
    assert matcher.rank("cara daftar cpns").unknown == ("cpns",)


def test_two_neighbouring_letters_swapped_are_one_slip() -> None:
    """A swap of two neighbouring letters ("iuarn") falls under the fuzzy cutoff of a short
    word, yet it is one slip of the thumb: the known word, weighed by its similarity."""
    matcher = load_knowledge().for_locale("id").matcher
    assert matcher.correct("iuarn") == ("iur", 0.8)
    dafatr = matcher.correct("dafatr")
    assert dafatr is not None and dafatr[0] == "daftar" and dafatr[1] == pytest.approx(0.833, 1e-3)
    assert matcher.correct("xqzvw") is None  # not a swap of anything known
    best = matcher.rank("iuarn brapa sbln").best  # issue 13's example
    assert best is not None and best.entry_id == "iuran"


def test_the_classifier_reads_typos_as_the_matcher_corrects_them() -> None:
    """The matcher forgives "pengigat" (it scores "pengingat"), and the classifier now reads
    the word so too: it was a word it had never seen. Known words, numbers, story words and
    another programme's words stay as typed ("prakerja" is no typo of anything)."""
    know = load_knowledge().for_locale("id")
    matcher, normaliser = know.matcher, know.normaliser
    typed = normaliser.normalise("pengigat bayar bisa? santuann 2 kali").tokens
    plain = normaliser.normalise("pengingat bayar bisa? santunan 2 kali").tokens
    assert typed != plain and matcher.corrected(typed) == plain
    for kept in ("prakerja daftar gmn", "janda bisa ikut", "iuran 3 bulan"):
        tokens = normaliser.normalise(kept).tokens
        assert matcher.corrected(tokens) == tokens, kept
    service = FaqService.load(Settings(_env_file=None))  # type: ignore[call-arg]
    inputs = service.reading_inputs("pengigat bayar bisa ga? terus santuann brp", "id")
    assert "pengingat" in inputs.tokens and "pengigat" not in inputs.text
    assert all("santuann" not in c.text for c in inputs.clauses)


def test_a_clause_asks_by_inversion() -> None:
    """English asks by inversion: "does she need both", typed without the question mark."""
    lexicon = Lexicon(
        question_words=frozenset({"what"}),
        question_openers=frozenset({"does", "is"}),
        question_openers_after=frozenset({"so", "and"}),
    )
    matcher = Matcher(KnowledgeBase("en", Path("faq.toml")), Normaliser(lexicon))
    assert matcher.asks_in(["does", "she", "need", "both"])
    assert matcher.asks_in(["so", "does", "she", "need", "both"])
    assert not matcher.asks_in(["it", "is", "expensive"])  # "is" inside a statement
    assert not matcher.asks_in(["so", "she", "does", "batik"])


def test_apa_apa_is_anything_not_a_question() -> None:
    """ "nggak ada jaminan apa-apa" (no protection at all) tells the story: it asks nothing, so
    the clause does not compete with the questions after it; "apa-apa aja" still asks."""
    know = load_knowledge().for_locale("id")
    matcher, normaliser = know.matcher, know.normaliser
    for told in ("nggak ada jaminan apa-apa", "ora ono opo-opo", "ga punya jaminan apa2"):
        assert not matcher.asks_in(normaliser.normalise(told).words), told
    for asked in ("manfaatnya apa-apa aja", "entuk opo-opo wae", "kalau ada apa-apa gimana"):
        assert matcher.asks_in(normaliser.normalise(asked).words), asked


def test_the_javanese_po_asks() -> None:
    """ "po" is the Javanese question particle ("X po Y?": X or Y?): a clause with it asks,
    without a question mark, so a second question said with it is answered too."""
    know = load_knowledge().for_locale("id")
    matcher, normaliser = know.matcher, know.normaliser
    for asked in ("sing mbayari pemkot po dewe", "iki gratis po ora", "becak mlebu daftar po"):
        assert matcher.asks_in(normaliser.normalise(asked).words), asked
    assert not matcher.asks_in(normaliser.normalise("aku karo adhiku arep melu").words)


def test_another_regulation_is_another_topic() -> None:
    """ "perda parkir", "perda tentang sampah": another regulation than the one behind the
    programme; "perda sakpore nomor berapa" and "perdanya udah sah?" are about ours."""
    know = load_knowledge().for_locale("id")
    matcher, normaliser = know.matcher, know.normaliser
    for other in ("perda parkir pekalongan", "perda ttg reklame", "perda larangan miras"):
        assert matcher.other_regulation(normaliser.normalise(other).words), other
    for ours in ("perda sakpore nomor berapa", "perdanya udah sah?", "perda e kapan metu"):
        assert not matcher.other_regulation(normaliser.normalise(ours).words), ours


def test_the_land_tax_is_another_topic() -> None:
    """ "PBB" (the land and building tax) and a traffic ticket ("tilang") are paid at the post
    office or a bank too: not our contribution, whose payment places they share."""
    know = load_knowledge().for_locale("id")
    for text, other in (
        ("bayar pbb bisa di kantor pos?", True),
        ("bayar iuran di pos bisa", False),
        # nor is a traffic ticket's fine
        ("tilang motor bayar dimana ya", True),
        ("kemarin ditilang, dendanya bayar di bank mana", True),
    ):
        assert know.matcher.names_other_topic_in(know.normaliser.normalise(text)) is other, text


def test_how_to_claim_is_another_topic_unless_a_person_is_asked_for() -> None:
    """The documents and requirements of a claim are not in the sources; asking whom to
    contact about a claim is the contacts' entry, and what one can claim is ours."""
    know = load_knowledge().for_locale("id")
    matcher, normaliser = know.matcher, know.normaliser

    def procedure(text: str) -> bool:
        return matcher.unanswered(normaliser.normalise(text).words)

    assert procedure("klaim 42 jutane syarate opo wae?")
    assert procedure("berkas klaim jkk apa aja")
    assert not procedure("nek arep ngurus klaim kudu hubungi petugas sopo")
    assert not procedure("bisa klaim apa aja kalau ikut")


@pytest.mark.parametrize(
    ("locale", "text", "unanswered"),
    [
        # a disability's sum: the sources name care and income, no amount
        ("id", "santunan cacat tetap brp min?", True),
        ("id", "nek kecelakaan terus cacat tetap, oleh santunan pira?", True),
        ("id", "kecelakaan kerja terus cacat, oleh santunan ora?", False),
        ("id", "saya cacat kaki, iurannya berapa", False),  # what a disabled worker pays
        ("en", "permanent disability how much do we get", True),
        # one's own membership number, not a phone number
        ("id", "nomer kepesertaan bpjs tk ku pira yo, lali aku", True),
        ("id", "lupa nomor kpj bpjs tk", True),
        ("id", "daftar jadi peserta perlu nomor hp ga", False),
        ("en", "I forgot my membership number", True),
        # one's own status, not a job on the city's list nor the data this bot keeps
        ("id", "gmn cara cek aku wis aktif dadi peserta opo durung", True),
        ("id", "cek status klaim jkm bapak sy dong", True),
        ("id", "mau cek kerjaan saya termasuk 13 profesi atau belum", False),
        ("id", "cek data yg disimpen bot ini", False),
        ("en", "can u check if my mom's registration went through", True),
        ("en", "can I register through this bot", False),
        ("en", "how do I check if my dad can register", False),
        ("en", "I went to the office to register, what do I bring", False),
        ("id", "saya belum terdaftar, cek syaratnya dong", False),
        # paying ahead, not registering two people at once
        ("id", "iso mbayar iuran setaun sekaligus", True),
        ("id", "bayar dimuka bisa?", True),
        ("id", "daftarin suami sama saya, bisa sekaligus?", False),
        # "langsung" beside a year: paying ahead; not paying in person, nor its amount
        ("id", "bayar setaun langsung iso?", True),
        ("id", "bayar 1 tahun langsung bisa?", True),
        ("id", "bayar langsung di kantor bisa?", False),
        ("id", "bayar setahun langsung berapa", False),
        # a registration or claim being processed
        ("id", "pendaftaranku wis diproses durung", True),
        ("id", "prosese daftar piye", False),
        # how to get KIS PBI, not an employer registering staff as PBI nor a PBI holder joining
        ("id", "gimana caranya daftar pbi buat simbah", True),
        ("en", "where can my grandpa apply for PBI", True),
        ("id", "karyawan konveksi sy didaftarin pbi, harusnya ppu ya?", False),
        ("id", "sdh punya kis pbi masih perlu daftar bpjs tk", False),
        ("en", "my boss registered me as PBI, is that wrong", False),
        # an official's own number, not the programme's contacts
        ("id", "minta nomer wa pribadi pak walikota dong", True),
        ("en", "send me the walikota's personal whatsapp number", True),
        ("id", "nomor wa petugas berapa", False),
    ],
)
def test_what_the_sources_do_not_answer(locale: str, text: str, unanswered: bool) -> None:
    know = load_knowledge().for_locale(locale)
    words = know.normaliser.normalise(text).words
    assert know.matcher.unanswered(words) is unanswered
    assert know.matcher.names_other_topic_in(know.normaliser.normalise(text)) is unanswered


def test_our_programme_named_by_its_own_name_is_not_another_one() -> None:
    """A message naming BPJS Kesehatan leaves out the entries about BPJS Ketenagakerjaan
    ("iuran bpjs kesehatan berapa"), unless it names our programme too, also as "sakpore":
    "kis udh ada, sakpore perlu? klo perlu dftr dmn" asks how to register as well."""
    know = load_knowledge().for_locale("id")
    matcher, normaliser = know.matcher, know.normaliser

    def other(text: str) -> frozenset[str]:
        return matcher.other_programme(normaliser.normalise(text).tokens)

    assert "daftar" in other("kis udh ada, perlu dftr dmn")
    assert "daftar" not in other("kis udh ada, sakpore perlu? klo perlu dftr dmn")
    assert "daftar" not in other("punya bpjs kesehatan, bpjs tk daftar dmn")
    service = FaqService.load(Settings(_env_file=None))  # type: ignore[call-arg]
    tr = I18n("id", Settings(_env_file=None).tz).get("id")  # type: ignore[call-arg]
    answer = service.ask(
        "udah punya KIS, masih perlu ikut sakpore? kalau perlu daftarnya gimana", tr
    )
    assert "daftar" in answer.topics


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
            params = MatchParams(unknown_weight=unknown_weight, entry_weight=entry_weight)
            direct = matcher.rank("cara daftar cpns lewat kantor", params)
            assert matcher.ranking(query, scores, unknown_weight) == direct


def test_the_tuner_s_top_two_are_the_ranking_s() -> None:
    """`kb tune` reads only the best entry and the runner-up's score (`top_two`); on the real
    knowledge base and the labelled questions they are the ranking's, ties included."""
    matcher = load_knowledge().for_locale("id").matcher
    with (LABELLED_DIR / "faq_tuning.csv").open(encoding="utf-8") as f:
        questions = [row["question"] for row in csv.DictReader(f)][::3]
    assert len(questions) > 150
    runner_ups = set()
    for text in questions:
        query = matcher.prepare(text)
        evidence = matcher.answer_evidence(query)
        for entry_weight in (0.0, 1.0):
            scores = matcher.entry_scores(query, entry_weight)
            for unknown, ordinary, answer in ((1.0, 1.0, 0.0), (2.5, 0.25, 0.6)):
                ranking = matcher.ranking(query, scores, unknown, ordinary, answer, evidence)
                top = matcher.top_two(query, scores, unknown, ordinary, answer, evidence)
                assert top == (ranking.best, ranking.runner_up), text
                runner_ups.add(ranking.runner_up > 0.0)
    assert runner_ups == {True, False}  # both cases met


def borrowed_scores(matcher: Matcher, text: str, entry_weight: float) -> dict[str, float]:
    """The entry weight by its definition, phrasing by phrasing: a phrasing also has, at
    `entry_weight`, each word of the question that another phrasing of its entry uses."""
    query = matcher.prepare(text)
    kb, normaliser, best = matcher.kb, matcher.normaliser, {}
    for e in kb:
        phrasings = [
            {t: matcher.idf[t] for t in normaliser.normalise(p).tokens if t in matcher.idf}
            for p in (e.title, *e.phrasings)
        ]
        known = {t for p in phrasings for t in p} & set(query.weights)
        if not known:
            continue
        scores = []
        for own in filter(None, phrasings):
            vector = own | {t: entry_weight * matcher.idf[t] for t in known - set(own)}
            dot = sum(query.weights[t] * w for t, w in vector.items() if t in query.weights)
            scores.append(dot / math.sqrt(sum(w * w for w in vector.values())))
        best[e.id] = max(scores)
    return matcher._same_programme(query, best)


@pytest.mark.parametrize("entry_weight", [0.25, 0.5, 1.0])
def test_borrowed_words_are_scored_as_defined(entry_weight: float) -> None:
    """entry_scores visits only the phrasings a question touches (and each entry's
    shortest one); on the real knowledge base and the labelled questions it gives what
    scoring every phrasing by the definition gives."""
    matcher = load_knowledge().for_locale("id").matcher
    with (LABELLED_DIR / "faq_tuning.csv").open(encoding="utf-8") as f:
        questions = [row["question"] for row in csv.DictReader(f)]
    assert len(questions) > 500
    for text in questions:
        fast = matcher.entry_scores(matcher.prepare(text), entry_weight)
        slow = borrowed_scores(matcher, text, entry_weight)
        assert fast.keys() == slow.keys(), text
        assert all(fast[k] == pytest.approx(slow[k], abs=1e-9) for k in fast), text


def test_an_entry_about_one_programme_does_not_answer_for_another() -> None:
    """The registration entry speaks of BPJS Ketenagakerjaan: a question that names BPJS
    Kesehatan is not for it, while entries that name no programme, or both, stay in."""
    know = load_knowledge()
    matcher = know.for_locale("id").matcher
    assert matcher.programs == {"bpjstk", "bpjskes"}

    def entries(text: str) -> set[str]:
        params = MatchParams(unknown_weight=1.25, entry_weight=1.0)
        return {s.entry_id for s in matcher.rank(text, params).scores}

    assert "daftar" in entries("cara daftar bpjs tk")
    assert "daftar" in entries("cara daftar")  # no programme named: nothing excluded
    assert "daftar" not in entries("cara daftar bpjs kesehatan")
    assert "tk_vs_kesehatan" in entries("cara daftar bpjs kesehatan")  # names both
    assert "berobat_ktp" not in entries("bpjs tk bisa buat berobat")
