"""The question classifier (bot/faq/classifier.py) and its training (bot/faq/training.py)."""

from __future__ import annotations

import dataclasses
import gzip
import json
import logging
import shutil
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.config import LOCALES_DIR, Settings
from bot.faq.classifier import (
    MATCHER_SURE,
    MODEL_FILE,
    OUT_OF_SCOPE,
    ClassifierParams,
    Model,
    Reading,
    features,
)
from bot.faq.service import (
    SMALL_TALK_OVER,
    TOTALS_ENTRY,
    ClauseInputs,
    FaqService,
    ReadingInputs,
    Readings,
    combine,
    decide,
    load_knowledge,
    other_question,
    pair_told_apart,
    question_after_story,
    questions_told_apart,
    second_question,
)
from bot.faq.training import (
    CLAUSE_WORDS,
    SELECTION_FILES,
    Example,
    Figures,
    abstains_too_little,
    decided,
    estimate,
    examples,
    fit,
    keeps,
    questions,
    rank,
)
from bot.faq.tuning import KEEP_MARGIN
from bot.i18n import I18n, Translator

EXAMPLES = [
    Example("iur bulan berapa", "iuran", "a"),
    Example("bayar iur sebulan berapa", "iuran", "a"),
    Example("iur per bulan", "iuran", "a"),
    Example("cara daftar peserta", "daftar", "a"),
    Example("daftar dimana", "daftar", "b"),
    Example("mau daftar ikut program", "daftar", "b"),
    Example("harga cabai hari ini", OUT_OF_SCOPE, "b"),
    Example("jadwal kereta semarang", OUT_OF_SCOPE, "b"),
    Example("cuaca besok hujan", OUT_OF_SCOPE, "b"),
]


@pytest.fixture(scope="module")
def tr() -> Translator:
    return I18n("id", Settings(_env_file=None).tz).get("id")  # type: ignore[call-arg]


@pytest.fixture(scope="module")
def service() -> FaqService:
    return FaqService.load(Settings(_env_file=None))  # type: ignore[call-arg]


def test_the_bot_reads_the_weights_as_scikit_learn_computes_them(tmp_path: Path) -> None:
    fitted = estimate(EXAMPLES)
    model = fit(EXAMPLES, ClassifierParams())
    expected = fitted.estimator.predict_proba(fitted.matrix)
    classes = [str(c) for c in fitted.estimator.classes_]
    for row, example in enumerate(EXAMPLES):
        reading = model.read(example.text, example.text.split(), frozenset())
        for column, label in enumerate(classes):
            assert reading.probabilities[label] == pytest.approx(expected[row][column], abs=1e-9)
        assert reading.best == example.label  # it learned its own examples
        assert not reading.unseen
    # new texts: the model's own features, in the estimator's columns (the bot sums the
    # character n-grams word by word: words and n-grams said more than once, words never seen)
    for text in (
        "iur sebulan bayar dimana",
        "Iur iur bulan bulan bulanan, bayar bayar dimana sebulan annnnn",
        "zzqx",
    ):
        vector = [0.0] * len(fitted.columns)
        for gram, value in features(text, model.idf).items():
            vector[fitted.columns[gram]] = value
        new = fitted.estimator.predict_proba([vector])[0]
        reading = model.read(text, text.split(), frozenset())
        assert [reading.probabilities[c] for c in classes] == pytest.approx(list(new), abs=1e-9)
    text = "iur sebulan bayar dimana"
    reading = model.read(text, text.split(), frozenset())
    # saved and loaded: the same reading, to the rounding of the file
    path = tmp_path / MODEL_FILE
    model.save(path)
    loaded = Model.load(path)
    assert loaded is not None and loaded.classes == model.classes
    again = loaded.read(text, text.split(), frozenset())
    for label in classes:
        assert again.probabilities[label] == pytest.approx(reading.probabilities[label], abs=2e-3)
    first = path.read_bytes()
    model.save(path)
    assert path.read_bytes() == first  # the same model, the same bytes


def test_words_the_model_never_saw_are_counted_and_story_words_are_not() -> None:
    model = fit(EXAMPLES, ClassifierParams())
    reading = model.read(
        "iur bulan miras tetangga", ["iur", "bulan", "miras", "tetangga"], frozenset({"tetangga"})
    )
    assert reading.unseen == ("miras",) and reading.words == 4
    vetoed = ClassifierParams(threshold=0.0, floor=0.0, unseen_share=0.2)
    allowed = ClassifierParams(threshold=0.0, floor=0.0, unseen_share=0.25)
    assert reading.decide(vetoed, {"iuran": 1.0}, other_topic=False) is None
    assert reading.decide(allowed, {"iuran": 1.0}, other_topic=False) == "iuran"


def _reading(**probabilities: float) -> Reading:
    return Reading({k.replace("oos", OUT_OF_SCOPE): v for k, v in probabilities.items()}, (), 3)


def test_a_text_read_again_is_not_computed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """The accuracy gate reads each labelled question twice (before and after a staff change)
    through the same model: the second reading is remembered, and the memory is bounded."""
    import bot.faq.classifier as classifier

    model = fit(EXAMPLES, ClassifierParams())
    first = model.read("iur bulan berapa", ["iur", "bulan"], frozenset())
    again = model.read("iur bulan berapa", ["iur", "bulan", "zzz"], frozenset())
    assert again.probabilities is first.probabilities  # remembered, not recomputed
    assert again.unseen == ("zzz",) and first.unseen == ()  # the tokens are still read
    monkeypatch.setattr(classifier, "READ_MEMO", 3)
    for n in range(10):
        model.read(f"daftar {n}", [], frozenset())
    assert model.read("iur bulan berapa", [], frozenset()).probabilities == first.probabilities
    assert len(model._memo) <= 3
    # the words' remembered n-gram rows (`_char_rows`) are bounded too, and a word read again
    # after they were forgotten gives the same scores
    monkeypatch.setattr(classifier, "WORD_MEMO", 4)
    for n in range(10):
        model.read(f"kata{n} lain{n}", [], frozenset())
    assert 0 < len(model._words) <= 4
    model._memo.clear()
    assert model.read("iur bulan berapa", [], frozenset()).probabilities == pytest.approx(
        first.probabilities, abs=1e-12
    )


def test_how_the_reading_and_the_matcher_are_combined() -> None:
    params = ClassifierParams(threshold=0.6, floor=0.3)
    sure_iuran = _reading(iuran=0.9, daftar=0.05, oos=0.05)
    # the model decides an entry the matcher missed, or chose otherwise
    assert combine((), sure_iuran, params, {"iuran": 0.5}, False) == ("iuran",)
    assert combine(("daftar",), sure_iuran, params, {"daftar": 0.8, "iuran": 0.5}, False) == (
        "iuran",
    )
    # ... and keeps the matcher's second entry when it agrees on the first
    assert combine(("iuran", "daftar"), sure_iuran, params, {"iuran": 0.9}, False) == (
        "iuran",
        "daftar",
    )
    # not when the matcher scores the entry under the floor, nor on another programme's words
    assert combine((), sure_iuran, params, {"iuran": 0.2}, False) == ()
    assert combine((), sure_iuran, params, {"iuran": 0.9}, True) == ()
    # unsure: the matcher's choice stands
    unsure = _reading(iuran=0.5, daftar=0.3, oos=0.2)
    assert combine(("daftar",), unsure, params, {"daftar": 0.8}, False) == ("daftar",)
    # sure it is out of scope: the matcher's answer is held back
    outside = _reading(iuran=0.2, daftar=0.1, oos=0.7)
    assert combine(("iuran",), outside, params, {"iuran": 0.8}, False) == ()
    # ... unless the question says a phrasing word for word (one staff just added)
    assert combine(("iuran",), outside, params, {"iuran": MATCHER_SURE}, False) == ("iuran",)
    # a phrasing said almost word for word stands, unless the classifier is sure of another
    # entry and all but rules out the matcher's ("if i join who pays" holds "who can join")
    sure_daftar = _reading(daftar=0.95, iuran=0.02, oos=0.03)
    nearly = {"iuran": MATCHER_SURE, "daftar": 0.5}
    assert combine(("iuran",), sure_daftar, params, nearly, False) == ("daftar",)
    # ... and a phrasing said word for word (`said`, one staff just added) stands even then
    said = frozenset({"iuran"})
    assert combine(("iuran",), sure_daftar, params, nearly, False, said=said) == ("iuran",)
    # an entry staff added after training is the matcher's alone, and so is one they removed
    assert combine(("senam",), outside, params, {"senam": 0.8}, False, frozenset({"senam"})) == (
        "senam",
    )
    gone = frozenset({"iuran"})
    assert combine((), sure_iuran, params, {"iuran": 0.9}, False, gone) == ()
    # an entry about another programme than the one the message names is never the model's
    # pick, neither when it decides nor when it overrules the matcher
    other = frozenset({"iuran"})
    assert combine((), sure_iuran, params, {"iuran": 0.9}, False, frozenset(), other) == ()
    overruling = dataclasses.replace(params, overrule=0.2, overrule_threshold=0.4)
    assert (
        combine(("daftar",), sure_iuran, overruling, {"daftar": 0.8}, False, frozenset(), other)
        == ()
    )


def test_a_message_that_asks_nothing_gets_its_small_talk_unless_the_reading_is_sure() -> None:
    """ "makasih bnyk infonya, nanti sy sampaikan ke suami": thanks, and a plain statement. The
    matcher's entry (the work accident, for "suami") read at 0.3 is no answer to it."""
    params = ClassifierParams(threshold=0.5, floor=0.3)
    thanks = ReadingInputs(
        "terimakasih sampai keluarga",
        (),
        {"kecelakaan_kerja": 0.85},
        False,
        frozenset(),
        small_talk="terima_kasih",
    )
    off_menu = frozenset({"terima_kasih"})
    matched = ("kecelakaan_kerja",)

    def decided_with(reading: Reading, inputs: ReadingInputs) -> tuple[str, ...]:
        return decide(matched, Readings(reading), inputs, params, frozenset(), off_menu)

    weak = _reading(kecelakaan_kerja=SMALL_TALK_OVER - 0.2, total_iuran=0.3, oos=0.2)
    sure = _reading(kecelakaan_kerja=SMALL_TALK_OVER + 0.1, oos=0.4 - SMALL_TALK_OVER)
    assert decided_with(weak, thanks) == ("terima_kasih",)
    assert decided_with(sure, thanks) == matched
    # a message that asks (no small talk found) keeps what the readings give
    asks = dataclasses.replace(thanks, small_talk=None)
    assert decided_with(weak, asks) == matched


def test_the_one_question_after_a_story_is_answered() -> None:
    """ "selamat pagi, saya Bu Siti dari Krapyak, jualan pecel keliling tiap hari. cara
    daftarnya gimana ya?": the story's words read out of scope (0.65), the one asking clause
    as registering (0.99), the matcher's choice. Not when the whole message is surely out of
    scope, the clause less sure or of another entry, or a word points to another topic."""
    scores = {"daftar": 0.43, "siapa_bisa_ikut": 0.35}
    inputs = ReadingInputs("profesi keliling cara daftar", (), scores, False, frozenset())
    register = _reading(daftar=0.99, oos=0.01)

    def after(whole: Reading, *asking: Reading, told: ReadingInputs = inputs) -> tuple[str, ...]:
        return question_after_story(("daftar",), Readings(whole, lambda: asking), told, frozenset())

    story = _reading(oos=0.65, daftar=0.3, siapa_bisa_ikut=0.05)
    assert after(story, register) == ("daftar",)
    assert after(_reading(oos=0.9, daftar=0.1), register) == ()
    assert after(story, _reading(daftar=0.9, oos=0.1)) == ()
    assert after(story, _reading(siapa_bisa_ikut=0.99, oos=0.01)) == ()
    assert after(story, register, register) == ()  # two questions: questions_told_apart's
    other = dataclasses.replace(inputs, other_topic=True)
    assert after(story, register, told=other) == ()


def test_of_two_entries_one_no_clause_reads_gives_way_to_the_one_a_clause_asks() -> None:
    """ "daftar dmn trus sapa yg bayar?": the matcher's pair is the types of work the city
    pays for and registering, but the clause "sapa yg bayar" is sure of who pays, or fairly
    sure of it while the whole message leans towards it."""
    params = ClassifierParams(threshold=0.6, floor=0.3)
    scores = {"dibayar_pemkot": 0.8, "daftar": 0.7, "siapa_bayar": 0.6}
    asked = ReadingInputs("daftar mana siapa bayar", (), scores, False, frozenset())
    whole = _reading(daftar=0.7, siapa_bayar=0.2, oos=0.1)
    register = _reading(daftar=0.99, oos=0.01)
    who_pays = _reading(siapa_bayar=0.98, oos=0.02)
    pair = ("dibayar_pemkot", "daftar")

    def readings(*clauses: Reading) -> Readings:
        return Readings(whole, lambda: clauses)

    def told(chosen: tuple[str, ...], read: Readings, inputs: ReadingInputs) -> tuple[str, ...]:
        return pair_told_apart(chosen, read, inputs, floor=params.floor, excluded=frozenset())

    both = readings(register, who_pays)
    assert told(pair, both, asked) == ("siapa_bayar", "daftar")
    # not when a clause reads the entry, when the clause is less sure or also gives one of
    # the pair some say, when the matcher scores it under the floor, or for one entry
    read = readings(register, _reading(dibayar_pemkot=0.6, siapa_bayar=0.4))
    assert told(pair, read, asked) == pair
    less_sure = _reading(siapa_bayar=0.85, oos=0.15)
    # ... though a clause less sure of it (at least SECOND_LIKELY) replaces it when the whole
    # message leans towards it more than towards the unread entry (0.2 against none) ...
    assert told(pair, readings(register, less_sure), asked) == ("siapa_bayar", "daftar")
    # ... and not when the whole leans more towards the unread one, or the clause is unsure
    leaning = Readings(
        _reading(daftar=0.6, dibayar_pemkot=0.3, siapa_bayar=0.1), lambda: (register, less_sure)
    )
    assert told(pair, leaning, asked) == pair
    unsure = readings(register, _reading(siapa_bayar=0.55, oos=0.45))
    assert told(pair, unsure, asked) == pair
    mixed = readings(register, _reading(siapa_bayar=0.9, dibayar_pemkot=0.1))
    assert told(pair, mixed, asked) == pair
    low = dataclasses.replace(asked, scores={**scores, "siapa_bayar": 0.2})
    assert told(pair, both, low) == pair
    assert told(("daftar",), both, asked) == ("daftar",)
    # neither entry read by a clause: nothing to tell which one gives way
    neither = readings(who_pays, _reading(iuran=0.95, oos=0.05))
    assert told(pair, neither, asked) == pair


def test_a_message_about_two_entries_gets_both_when_a_clause_states_the_second() -> None:
    """ "daftar lwt bot, dataku aman?": the whole message leans towards registering too, and
    its first clause, which asks nothing, is about registering alone (`_stated_second`)."""
    params = ClassifierParams(threshold=0.6, floor=0.3)
    scores = {"data_pribadi": 0.8, "daftar": 0.5}
    inputs = ReadingInputs("daftar lewat bot data aman", (), scores, False, frozenset())
    whole = _reading(data_pribadi=0.55, daftar=0.4, oos=0.05)
    stated = _reading(daftar=0.99, oos=0.01)
    asked = _reading(data_pribadi=0.98, oos=0.02)
    one = ("data_pribadi",)

    def split(
        chosen: tuple[str, ...], read: Readings, given: ReadingInputs = inputs
    ) -> tuple[str, ...]:
        return second_question(chosen, read, given, params, frozenset())

    def readings(
        asking: tuple[Reading, ...], stating: tuple[Reading, ...], reading: Reading = whole
    ) -> Readings:
        return Readings(reading, lambda: asking, lambda: stating)

    assert split(one, readings((asked,), (stated,))) == ("data_pribadi", "daftar")
    # a clause that asks counts the same; two that ask nothing too ("beasiswa + santunan mati")
    assert split(one, readings((asked, stated), ())) == ("data_pribadi", "daftar")
    assert split(one, readings((), (asked, stated))) == ("data_pribadi", "daftar")
    # but what a message's one question asks is the first entry's to answer, in the light of
    # the rest ("bapak meninggal karena stroke. dapat apa?" is not also given the benefits)
    story = _reading(oos=0.9, data_pribadi=0.05, daftar=0.05)
    assert split(one, readings((stated,), (story,))) == one
    # not when the whole message hardly leans towards it, the clause is less sure or gives
    # the first entry some say, the matcher scores it under the floor, or the message has
    # one clause; nor to two entries, to a message with a negation or naming another programme
    aside = _reading(data_pribadi=0.94, daftar=0.01, oos=0.05)
    assert split(one, readings((asked,), (stated,), aside)) == one
    # ... though a faint lean (SPLIT_FAINT) is enough for a clause all but certain of it
    # (SPLIT_CERTAIN): "tulung dataku dibusak wae, terus aku pengin ngomong karo petugas"
    faint = _reading(data_pribadi=0.9, daftar=0.05, oos=0.05)
    assert split(one, readings((asked,), (stated,), faint)) == ("data_pribadi", "daftar")
    fairly = _reading(daftar=0.95, oos=0.05)
    assert split(one, readings((asked,), (fairly,), faint)) == one
    assert split(one, readings((asked,), (_reading(daftar=0.7, oos=0.3),))) == one
    assert split(one, readings((asked,), (_reading(daftar=0.85, data_pribadi=0.15),))) == one
    low = dataclasses.replace(inputs, scores={**scores, "daftar": 0.2})
    assert split(one, readings((asked,), (stated,)), low) == one
    assert split(one, readings((), (stated,))) == one
    assert split(("data_pribadi", "pengingat"), readings((asked,), (stated,))) == (
        "data_pribadi",
        "pengingat",
    )
    negates = dataclasses.replace(inputs, negates=True)
    assert split(one, readings((asked,), (stated,)), negates) == one
    other = dataclasses.replace(inputs, other_topic=True)
    assert split(one, readings((asked,), (stated,)), other) == one
    excluded = second_question(
        one, readings((asked,), (stated,)), inputs, params, frozenset({"daftar"})
    )
    assert excluded == one


def test_a_second_question_in_another_clause_is_answered_when_the_model_is_sure() -> None:
    params = ClassifierParams(threshold=0.6, floor=0.3)
    scores = {"siapa_bisa_ikut": 0.8, "iuran": 0.5}

    def inputs(*clauses: tuple[bool, str]) -> ReadingInputs:
        return ReadingInputs(
            "ojol bisa ikut tidak berapa bulan",
            (),
            scores,
            False,
            frozenset(),
            tuple(ClauseInputs(asks, text, ()) for asks, text in clauses),
        )

    asked = inputs((True, "ojol bisa ikut tidak"), (True, "berapa bulan"))
    whole = _reading(siapa_bisa_ikut=0.9, iuran=0.05, oos=0.05)
    first_clause = _reading(siapa_bisa_ikut=0.95, iuran=0.03, oos=0.02)

    def readings(*clauses: Reading) -> Readings:
        return Readings(whole, lambda: clauses)

    sure = readings(first_clause, _reading(iuran=0.95, oos=0.05))
    one = ("siapa_bisa_ikut",)
    assert second_question(one, sure, asked, params, frozenset()) == ("siapa_bisa_ikut", "iuran")
    # not when the clause is less sure, also reads as the first entry, does not ask, names
    # small talk, or the matcher scores the entry under the floor for the whole message
    unsure = readings(_reading(iuran=0.85, oos=0.15))
    assert second_question(one, unsure, asked, params, frozenset()) == one
    mixed = readings(_reading(iuran=0.9, siapa_bisa_ikut=0.1))
    assert second_question(one, mixed, asked, params, frozenset()) == one
    # less sure of the clause is enough when the whole message leans towards the entry too
    leaning = _reading(siapa_bisa_ikut=0.75, iuran=0.15, oos=0.1)
    for p, added in ((0.85, True), (0.6, True), (0.55, False)):
        clause = _reading(iuran=p, oos=1 - p)

        def read_clause(found: Reading = clause) -> tuple[Reading, ...]:
            return (first_clause, found)

        got = second_question(one, Readings(leaning, read_clause), asked, params, frozenset())
        assert got == (("siapa_bisa_ikut", "iuran") if added else one), p
    # a clause that asks nothing is never read ("saya tukang parkir. bisa ikut?")
    stated = inputs((True, "ojol bisa ikut tidak"), (False, "saya ojol"))
    model = fit(EXAMPLES, ClassifierParams())
    assert len(stated.read(model).clauses()) == 1
    assert second_question(one, sure, asked, params, frozenset({"iuran"})) == one
    low = dataclasses.replace(asked, scores={"siapa_bisa_ikut": 0.8, "iuran": 0.2})
    assert second_question(one, sure, low, params, frozenset()) == one
    # nor to two entries already, or to a message naming another programme
    assert second_question(("siapa_bisa_ikut", "daftar"), sure, asked, params, frozenset()) == (
        "siapa_bisa_ikut",
        "daftar",
    )
    other = dataclasses.replace(asked, other_topic=True)
    assert second_question(one, sure, other, params, frozenset()) == one
    negates = dataclasses.replace(asked, negates=True)
    assert second_question(one, sure, negates, params, frozenset()) == one
    # under 0.9 in the clause and under 0.1 in the whole message: not added, unless the
    # message is so short that one clause drowns the other in the whole ("iuran & cr daftar")
    likely = readings(first_clause, _reading(iuran=0.85, oos=0.15))
    long = dataclasses.replace(asked, tokens=("ojol", "bisa", "ikut", "tidak", "berapa", "bulan"))
    assert second_question(one, likely, long, params, frozenset()) == one
    short = dataclasses.replace(asked, tokens=("ojol", "ikut", "berapa"))
    assert second_question(one, likely, short, params, frozenset()) == (
        "siapa_bisa_ikut",
        "iuran",
    )


def test_a_clause_after_a_joining_word_is_a_second_question_by_its_form() -> None:
    """ "Who pays the contribution, and what does the family get if the worker dies?": the
    second clause reads the death benefit at 0.89 and the whole message gives it 0.08; the
    clause opens after "and", so it asks a question of its own (`SECOND_JOINED`)."""
    params = ClassifierParams(threshold=0.6, floor=0.3)
    tokens = ("who", "pay", "contribution", "family", "get", "worker", "die")
    scores = {"siapa_bayar": 0.8, "manfaat_kematian": 0.6}
    inputs = ReadingInputs(" ".join(tokens), tokens, scores, False, frozenset())
    whole = _reading(siapa_bayar=0.8, manfaat_kematian=0.08, oos=0.12)
    first = _reading(siapa_bayar=0.96, oos=0.04)
    one = ("siapa_bayar",)

    def answered(p: float, follows: bool) -> tuple[str, ...]:
        second = _reading(manfaat_kematian=p, oos=1 - p)
        asked = (
            ClauseInputs(True, "who pay contribution", tokens[:3]),
            ClauseInputs(True, "family get worker die", tokens[3:], follows=follows),
        )
        readings = Readings(whole, lambda: (first, second), _no_statements, lambda: asked)
        return second_question(one, readings, inputs, params, frozenset())

    assert answered(0.89, follows=True) == ("siapa_bayar", "manfaat_kematian")
    assert answered(0.89, follows=False) == one
    # even under SECOND_LIKELY ("can a pemulung join? and how much is it per month": 0.57)
    assert answered(0.55, follows=True) == ("siapa_bayar", "manfaat_kematian")
    assert answered(0.55, follows=False) == one
    assert answered(0.45, follows=True) == one
    # the clause before the joining word asks a question of its own too ("how do i sign my
    # dad up, and can i get a monthly reminder?" answered with the reminders)
    reminders = ("pengingat",)
    sign_up = _reading(daftar=0.84, oos=0.16)
    asked = (
        ClauseInputs(True, "how sign dad", ("how", "sign", "dad")),
        ClauseInputs(True, "month reminder pay", ("month", "reminder", "pay"), follows=True),
    )
    both = Readings(
        _reading(pengingat=0.9, daftar=0.04, oos=0.06),
        lambda: (sign_up, _reading(pengingat=0.99, oos=0.01)),
        _no_statements,
        lambda: asked,
    )
    scores = {"pengingat": 0.9, "daftar": 0.5}
    long = ReadingInputs("how sign dad month reminder pay", tokens, scores, False, frozenset())
    assert second_question(reminders, both, long, params, frozenset()) == ("pengingat", "daftar")


def test_a_clause_of_how_much_alone_asks_the_price_beside_another_question() -> None:
    """ "brp, byr dmn": the classifier reads a bare "brp" as the monthly contribution at 0.5
    only, and the whole message leans to where to pay; the clause made of how-much words alone
    (the lexicon's [price_clause]) adds the contribution. Not after an answer that names an
    amount of its own ("meninggal dapat apa? brp?"), nor without such a clause."""
    params = ClassifierParams(threshold=0.6, floor=0.3)
    price = ("iuran", frozenset({"manfaat_kematian"}))
    inputs = ReadingInputs(
        "berapa bayar mana", ("berapa", "bayar", "mana"), {}, False, frozenset(), price=price
    )
    whole = _reading(cara_bayar=0.75, iuran=0.11, oos=0.14)
    clauses = (_reading(iuran=0.5, total_iuran=0.35, oos=0.15), _reading(cara_bayar=0.99))

    def readings(asks_price: bool, found: tuple[Reading, ...] = clauses) -> Readings:
        asked = (
            ClauseInputs(True, "berapa", ("berapa",), price=asks_price),
            ClauseInputs(True, "bayar mana", ("bayar", "mana")),
        )
        return Readings(whole, lambda: found, _no_statements, lambda: asked[: len(found)])

    one = ("cara_bayar",)
    assert second_question(one, readings(True), inputs, params, frozenset()) == (
        "cara_bayar",
        "iuran",
    )
    assert second_question(one, readings(False), inputs, params, frozenset()) == one
    # one clause that asks: "brp" is the question the first answer answers
    alone = readings(True, clauses[:1])
    assert second_question(one, alone, inputs, params, frozenset()) == one
    death = ("manfaat_kematian",)
    assert second_question(death, readings(True), inputs, params, frozenset()) == death
    assert second_question(one, readings(True), inputs, params, frozenset({"iuran"})) == one
    unset = dataclasses.replace(inputs, price=(None, frozenset()))
    assert second_question(one, readings(True), unset, params, frozenset()) == one


def _no_statements() -> tuple[Reading, ...]:
    return ()


def test_the_other_clauses_entry_is_the_first_button_under_a_one_entry_answer() -> None:
    """ "sosialisasi ada lg ga, sy mau daftar": answered with the sessions, the button under
    the answer is registering, which a clause says (though it asks nothing) and the whole
    message gives only 0.05, under the floor of the classifier's own leaning (0.1)."""
    whole = _reading(sosialisasi=0.92, daftar=0.05, kontak=0.02, oos=0.01)
    asking = (_reading(sosialisasi=0.99, oos=0.01),)
    stating = (_reading(daftar=0.97, salam=0.02, oos=0.01),)
    readings = Readings(whole, lambda: asking, lambda: stating)
    assert whole.leaning() == ("sosialisasi",)  # the premise: no other entry from the whole
    one = ("sosialisasi",)
    assert other_question(one, readings, frozenset()) == ("daftar",)
    # also when the bot abstains; never small talk or an entry the model was not trained on
    assert other_question((), readings, frozenset()) == ("sosialisasi", "daftar")
    assert other_question(one, readings, frozenset({"daftar"})) == ()
    # the whole message's say and the surest clause's add up: "brp, byr dmn" answered with
    # where to pay offers the monthly amount (0.27 + 0.18) before the total (0.40 + 0.05)
    brp = Readings(
        _reading(cara_bayar=0.38, oos=0.31, iuran=0.18, total_iuran=0.05, kontak=0.08),
        lambda: (
            _reading(total_iuran=0.40, oos=0.27, iuran=0.27, kontak=0.06),
            _reading(cara_bayar=0.99, oos=0.01),
        ),
    )
    assert other_question(("cara_bayar",), brp, frozenset())[:2] == ("iuran", "total_iuran")
    # nothing from a message of one clause (the whole message's leaning stands), nor beside
    # two answers
    single = Readings(whole, lambda: asking)
    assert other_question(one, single, frozenset()) == ()
    assert other_question(("sosialisasi", "daftar"), readings, frozenset()) == ()


def test_one_question_after_a_story_gets_one_answer() -> None:
    """With one clause that asks, a second entry needs another clause stating the first
    ("saya mau daftar. iuran brp?"); otherwise the first entry answers that one question in
    the light of the story ("bapak meninggal karena stroke, bukan kecelakaan kerja. dapat
    apa?" is not also given the list of benefits, with the work-accident sum)."""
    params = ClassifierParams(threshold=0.6, floor=0.0)
    scores = {"manfaat_kematian": 0.8, "manfaat": 0.5}
    inputs = ReadingInputs("meninggal stroke dapat apa", (), scores, False, frozenset())
    whole = _reading(manfaat_kematian=0.65, manfaat=0.1, oos=0.25)
    asks = _reading(manfaat=0.93, manfaat_kematian=0.03, oos=0.04)
    first = ("manfaat_kematian",)

    def with_statement(stated: Reading) -> Readings:
        return Readings(whole, lambda: (asks,), lambda: (stated,))

    story = _reading(manfaat_kematian=0.38, oos=0.62)
    assert second_question(first, with_statement(story), inputs, params, frozenset()) == first
    assert second_question(
        first, Readings(whole, lambda: (asks,)), inputs, params, frozenset()
    ) == (first)
    stated = _reading(manfaat_kematian=0.7, oos=0.3)
    assert second_question(first, with_statement(stated), inputs, params, frozenset()) == (
        "manfaat_kematian",
        "manfaat",
    )


def test_two_plain_questions_are_answered_though_the_whole_reads_like_a_look_alike() -> None:
    """ "cara daftar gimana, iurannya sebulan berapa, saya baru buka usaha jahit": the whole
    message reads like a business loan, each of its two questions plainly asks for an entry
    the matcher chose (round 13)."""
    scores = {"daftar": 0.43, "iuran": 0.53}
    inputs = ReadingInputs("cara daftar iur berapa usaha jahit", (), scores, False, frozenset())
    whole = _reading(oos=0.79, iuran=0.1, daftar=0.08)
    daftar, iuran = _reading(daftar=0.98, oos=0.02), _reading(iuran=0.99, oos=0.01)
    matcher = ("iuran", "daftar")
    both = Readings(whole, lambda: (daftar, iuran))
    assert questions_told_apart(matcher, both, inputs, frozenset()) == ("daftar", "iuran")
    # in the order asked, and the same entry asked twice is one answer
    again = Readings(whole, lambda: (iuran, daftar, iuran))
    assert questions_told_apart(matcher, again, inputs, frozenset()) == ("iuran", "daftar")
    # one question in a story: the story may say what it is about
    assert (
        questions_told_apart(matcher, Readings(whole, lambda: (daftar,)), inputs, frozenset()) == ()
    )
    # a clause that asks something else, or unsurely
    loan = _reading(oos=0.82, iuran=0.1)
    assert (
        questions_told_apart(matcher, Readings(whole, lambda: (daftar, loan)), inputs, frozenset())
        == ()
    )
    unsure = _reading(iuran=0.8, oos=0.2)
    assert (
        questions_told_apart(
            matcher, Readings(whole, lambda: (daftar, unsure)), inputs, frozenset()
        )
        == ()
    )
    # an entry the matcher did not choose, small talk, or a word of another programme
    assert questions_told_apart(("daftar",), both, inputs, frozenset()) == ()
    assert questions_told_apart(matcher, both, inputs, frozenset({"iuran"})) == ()
    other = dataclasses.replace(inputs, other_topic=True)
    assert questions_told_apart(matcher, both, other, frozenset()) == ()
    # four plain questions, two of them the matcher's: those two (one answer gives at most two)
    beasiswa, kontak = _reading(beasiswa=0.99, oos=0.01), _reading(kontak=0.99, oos=0.01)
    four = Readings(whole, lambda: (iuran, daftar, beasiswa, kontak))
    pair = ("beasiswa", "daftar")
    assert questions_told_apart(pair, four, inputs, frozenset()) == ("daftar", "beasiswa")
    assert questions_told_apart(("beasiswa",), four, inputs, frozenset()) == ()
    # and the bot's whole decision takes it when the classifier abstains on the whole
    params = ClassifierParams(threshold=0.5, floor=0.0)
    assert decide(matcher, both, inputs, params, frozenset(), frozenset()) == ("daftar", "iuran")


def test_a_story_does_not_drown_two_plain_questions(service: FaqService, tr: Translator) -> None:
    question = "cara daftar gimana, iurannya sebulan berapa, saya baru buka usaha jahit"
    assert service.ask(question, tr).topics == ("daftar", "iuran")
    # a loan's questions stay unanswered
    assert service.ask("mau pinjam modal usaha, syaratnya apa, bunganya brp", tr).topic is None


def test_a_question_about_bpjs_kesehatan_never_gets_the_bpjs_tk_contribution(
    service: FaqService, tr: Translator
) -> None:
    """The knowledge base has no BPJS Kesehatan contribution. The matcher ranks no entry about
    BPJS Ketenagakerjaan alone for a message that names BPJS Kesehatan only; the classifier,
    which reads "how much ... each month" as the contribution, read these two as Rp16.800."""
    for question in (
        "how much do i pay for jkn each month",
        "whats the bpjs kesehatan monthly premium, not the tk one",
    ):
        answer = service.ask(question, tr)
        assert "iuran" not in answer.topics and TOTALS_ENTRY not in answer.topics, question
        # nor as the first button: the buttons about BPJS Kesehatan come first
        buttons = [e.id for e in answer.suggestions]
        assert buttons and buttons[0] != "iuran", (question, buttons)
        if "iuran" in buttons:
            assert buttons[-1] == "iuran", (question, buttons)
    # the same words about this programme still get its contribution
    assert service.ask("how much is the bpjs tk contribution per month", tr).topics == ("iuran",)


def test_the_model_overrules_a_matcher_choice_it_finds_unlikely() -> None:
    overruling = ClassifierParams(threshold=0.6, floor=0.3, overrule=0.2, overrule_threshold=0.4)
    scores = {"daftar": 0.7, "iuran": 0.5}
    leaning_iuran = _reading(iuran=0.45, daftar=0.1, manfaat=0.15, oos=0.3)
    # the matcher's choice gets 0.1 < 0.2: the model's own entry, being at least 0.4 sure
    assert combine(("daftar",), leaning_iuran, overruling, scores, False) == ("iuran",)
    # less sure of its own: neither (both become buttons)
    unsure = _reading(iuran=0.35, daftar=0.1, manfaat=0.25, oos=0.3)
    assert combine(("daftar",), unsure, overruling, scores, False) == ()
    # ... and the same checks as its usual answer: the floor, another programme's words
    assert combine(("daftar",), leaning_iuran, overruling, {"daftar": 0.7}, False) == ()
    assert combine(("daftar",), leaning_iuran, overruling, scores, True) == ()
    # the matcher's choice stands when the model gives it at least `overrule`, when the
    # question says a phrasing word for word, and when overruling is off
    agreeing = _reading(iuran=0.45, daftar=0.25, oos=0.3)
    assert combine(("daftar",), agreeing, overruling, scores, False) == ("daftar",)
    sure = {"daftar": MATCHER_SURE, "iuran": 0.5}
    assert combine(("daftar",), leaning_iuran, overruling, sure, False) == ("daftar",)
    off = ClassifierParams(threshold=0.6, floor=0.3)
    assert combine(("daftar",), leaning_iuran, off, scores, False) == ("daftar",)


def test_the_shipped_model_is_trained_on_the_files_as_they_are(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A change to faq.toml, a lexicon, faq_matching.toml or a labelled file needs
    `sakpore-bot kb train --write` (the model's fingerprint says which files it learned)."""
    code = main(["kb", "train", "--check"])
    assert code == 0, capsys.readouterr().out


def test_the_saved_model_reads_back_the_same_weights(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Weights are saved as whole ten-thousandths (a packed block, fast to load) and read back
    as the very floats they round to; a block that does not fit the classes is refused."""
    model = Model(
        classes=("-", "iuran", "daftar"),
        intercepts=(0.1, -0.2, 0.3),
        idf={"wiuran": 1.5, "cbu": 2.25},
        weights={"wiuran": [-0.12344, 2.5, -4.00006], "cbu": [0.0, 1e-05, -5.20671]},
        vocabulary=frozenset({"iuran"}),
        params=ClassifierParams(threshold=0.4),
        fingerprint="abc",
    )
    path = tmp_path / MODEL_FILE
    model.save(path)
    loaded = Model.load(path)
    assert loaded is not None
    assert dict(loaded.weights) == {"cbu": [0.0, 0.0, -5.2067], "wiuran": [-0.1234, 2.5, -4.0001]}
    assert loaded.params == model.params and loaded.classes == model.classes
    data = json.loads(gzip.decompress(path.read_bytes()))
    data["classes"] = ["-", "iuran"]  # three weights a row, two classes
    data["intercepts"] = [0.1, -0.2]
    path.write_bytes(gzip.compress(json.dumps(data).encode()))
    with caplog.at_level(logging.WARNING):
        assert Model.load(path) is None
    assert "weights do not match the classes" in caplog.text


def test_an_unusable_model_leaves_the_matcher_alone(
    tmp_path: Path, tr: Translator, caplog: pytest.LogCaptureFixture
) -> None:
    directory = tmp_path / "locales"
    shutil.copytree(LOCALES_DIR, directory)
    (directory / MODEL_FILE).write_bytes(gzip.compress(b'{"features_version": 1}'))
    with caplog.at_level(logging.WARNING):
        knowledge = load_knowledge(directory)
    assert knowledge.model is None
    assert "question classifier not used" in caplog.text
    service = FaqService(knowledge=knowledge, monthly=16800)
    assert service.ask("iuran sebulan berapa", tr).topic == "iuran"


def test_the_classifier_answers_what_the_matcher_alone_does_not(
    service: FaqService, tr: Translator
) -> None:
    question = "jkm 42 juta kuwi bener po mung iklan"
    alone = dataclasses.replace(service, classifier=False)
    assert alone.ask(question, tr).topic is None
    assert service.ask(question, tr).topic == "manfaat_kematian"
    # and look-alikes still get no answer
    for look_alike in ("cara daftar CPNS", "perda miras", "beasiswa lpdp"):
        assert service.ask(look_alike, tr).topic is None, look_alike


def test_kb_train_replays_the_bot_s_own_rule(service: FaqService, tr: Translator) -> None:
    """`kb train` chooses the parameters by replaying the bot's decision from the matcher's
    answer and the model's reading (training.decided): the replay must be what the bot
    answers, or the chosen parameters would be tuned to another bot."""
    model = service.knowledge.model
    assert model is not None
    path = LOCALES_DIR / "labelled" / SELECTION_FILES[0]
    replayed = questions(service, [path], tr)
    assert len(replayed) >= 150
    for q in replayed:
        reading = q.read(model)
        answered = service.ask(q.question, tr).topics
        # the bot then puts two answers in the order the message asks them (asked_order)
        assert sorted(decided(q, reading, model.params)) == sorted(answered), q.question


def test_the_clauses_of_a_two_question_message_teach_each_its_entry(
    service: FaqService, tr: Translator, tmp_path: Path
) -> None:
    """A two-question message is no example as a whole; each clause in which the matcher
    clearly reads one of its two entries is an example of that entry, in the message's
    fold. A one-word clause, or one the matcher reads as both, teaches nothing."""
    path = tmp_path / "two.csv"
    path.write_text(
        "question,expected_topic\n"
        '"how do i sign my dad up, and can i get a monthly reminder for his payments?",'
        "daftar+pengingat\n"
        '"iuran brp? trs cara bayarnya gimana?",iuran+cara_bayar\n'
        '"brp? bayar dmn?",iuran+cara_bayar\n',
        encoding="utf-8",
    )
    found = examples(service.knowledge, questions(service, [path], tr))
    taught = {(e.text, e.label) for e in found if e.fold == path.name}
    assert ("month reminder pay", "pengingat") in taught
    assert ("cara bayar bagaimana", "cara_bayar") in taught
    # no whole message, no one-word clause ("berapa"), no third entry
    assert all(len(text.split()) >= CLAUSE_WORDS for text, _ in taught)
    assert {label for _, label in taught} <= {"daftar", "pengingat", "iuran", "cara_bayar"}
    whole = {q.inputs.text for q in questions(service, [path], tr)}
    assert not any(text in whole or text == "berapa" for text, _ in taught)


def test_the_model_s_likeliest_entries_become_buttons() -> None:
    reading = _reading(iuran=0.5, daftar=0.3, oos=0.15, manfaat=0.05)
    assert reading.leaning() == ("iuran", "daftar")
    assert reading.leaning(frozenset({"iuran"})) == ("daftar",)  # not an entry staff removed


def test_a_setting_that_answers_look_alikes_comes_last() -> None:
    """kb train ranks last the settings under issue 13's 95 % abstention on the fresh
    out-of-scope questions of the selection files together."""
    # in scope, right, wrong, out of scope, abstained
    assert not abstains_too_little(Figures(10, 9, 0, 20, 19))  # 95 %
    assert abstains_too_little(Figures(10, 10, 0, 20, 18))  # 90 %, however right in scope
    assert abstains_too_little(Figures(10, 9, 0, 20, 20), Figures(5, 5, 0, 20, 17))  # 92.5 %
    assert not abstains_too_little(Figures(10, 9, 0, 0, 0))  # nothing out of scope


def test_only_the_selection_files_decide_and_the_labelled_files_break_ties() -> None:
    """The labelled files' look-alikes were studied and mended in the lexicon, so they abstain
    at any threshold: a setting cheaper on them must not win over one cheaper on the
    never-studied selection files (round 13, tests/data/README.md)."""
    # in scope, right, wrong, out of scope, abstained
    cautious = rank(Figures(100, 90, 1, 40, 40), Figures(1000, 900, 40, 300, 290))  # cost 11
    loose = rank(Figures(100, 93, 3, 40, 38), Figures(1000, 960, 30, 300, 295))  # cost 14
    assert cautious < loose
    # equal on the selection files: the labelled files decide
    assert rank(Figures(100, 90, 1, 40, 40), Figures(1000, 930, 40, 300, 290)) < cautious
    # under 95 % abstained on the selection files comes last, however cheap
    assert rank(Figures(100, 99, 0, 40, 37), Figures(1000, 999, 0, 300, 300)) > loose


def test_kb_train_keeps_the_parameters_in_use_unless_another_setting_is_clearly_cheaper() -> None:
    """Two settings within KEEP_MARGIN of each other on the selection files are a tie: the bot
    keeps answering as it does (round 9 flipped between two such settings at each small
    change). A setting clearly cheaper there still needs the held-back labelled files not to
    find it dearer (the fifteenth session: threshold 0.6 was 4 cheaper on the selection files,
    13 dearer held back, and 17 right answers worse on the check files)."""
    # abstains too little, the selection files' cost, the held-back labelled files' cost
    assert keeps((False, 144.0, 500.0), (False, 142.0, 490.0))
    assert keeps((False, 142.0 + KEEP_MARGIN - 0.5, 500.0), (False, 142.0, 490.0))
    assert not keeps((False, 142.0 + KEEP_MARGIN, 500.0), (False, 142.0, 490.0))
    # clearly cheaper on the selection files, but dearer held back (or the same): kept
    assert keeps((False, 142.0 + KEEP_MARGIN, 426.0), (False, 142.0, 439.0))
    assert keeps((False, 142.0 + KEEP_MARGIN, 439.0), (False, 142.0, 439.0))
    # never a setting that abstains on too few look-alikes over one that abstains enough
    assert not keeps((True, 140.0, 400.0), (False, 142.0, 490.0))
    assert keeps((True, 140.0, 500.0), (True, 139.0, 490.0))
