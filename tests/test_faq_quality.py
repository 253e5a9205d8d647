"""The held-out half of the labelled questions: never used for tuning or for editing the
knowledge base (see tests/data/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.faq.gate import LABELLED_DIR, LABELLED_FILES
from bot.faq.service import FaqService
from bot.faq.training import SELECTION_FILES
from bot.faq.tuning import Report, read_labelled, run_eval
from bot.i18n import I18n

DATA = Path(__file__).resolve().parent / "data"
# never used for tuning or for editing the knowledge base (tests/data/README.md)
NEW_HELD_OUT = "faq_heldout_2026-12.csv"
HELD_OUT_FILES = ("faq_heldout.csv", NEW_HELD_OUT)
# fresh questions kept apart as checks, never studied (tests/data/README.md)
CHECK_FILES = (
    "faq_dev3_check_2026-12.csv",
    "faq_dev4_check_2026-12.csv",
    "faq_dev6_check_2026-12.csv",
    "faq_dev7_check_2026-12.csv",
    "faq_dev9_check_2026-12.csv",
    "faq_dev10_2026-12.csv",  # round 10, whole: never trained on, never studied
    "faq_dev11_check_2026-12.csv",
    "faq_dev12_check_2026-12.csv",
    "faq_dev13_check_2026-12.csv",
    "faq_dev15_check_2026-12.csv",
    "faq_dev16_check_2026-12.csv",
    "faq_dev17_check_2026-12.csv",  # with key facts (the `must` column)
    "faq_dev18_check_2026-12.csv",  # the same
    "faq_dev19_check_2026-12.csv",  # the same
    "faq_dev20_check_2026-12.csv",  # the same
    "faq_dev21_check_2026-12.csv",  # the same
    "faq_dev22_check_2026-12.csv",  # the same
    "faq_dev23_check_2026-12.csv",  # round 23, whole: never studied
    "faq_dev24_check_2026-12.csv",  # round 24's check half: never studied
    "faq_dev25_check_2026-12.csv",  # round 25's check half: never studied
    "faq_dev26_check_2026-12.csv",  # round 26's check half: never studied
    "faq_dev27_check_2026-12.csv",  # round 27's check half: never studied
    "faq_dev28_check_2026-12.csv",  # round 28's check half: never studied
    "faq_dev29_check_2026-12.csv",  # round 29's check half: never studied
    "faq_dev30_check_2026-12.csv",  # round 30's check half: never studied
    "faq_dev31_check_2026-12.csv",  # round 31's check half: never studied
    "faq_dev32_check_2026-12.csv",  # round 32's check half: never studied
    "faq_dev33_check_2026-12.csv",  # round 33's check half: never studied
    "faq_dev34_check_2026-12.csv",  # round 34's check half: never studied
    "faq_dev35_check_2026-12.csv",  # round 35's check half: never studied
    "faq_dev36_check_2026-12.csv",  # round 36, whole: never studied
    "faq_dev37_check_2026-12.csv",  # round 37's check half: never studied
    "faq_dev38_check_2026-12.csv",  # round 38, whole: never studied
    "faq_dev39_check_2026-12.csv",  # round 39's check half: never studied
    "faq_dev40_check_2026-12.csv",  # round 40, whole: never studied
    "faq_dev41_check_2026-12.csv",  # round 41's check half: never studied
    "faq_dev42_check_2026-12.csv",  # round 42, whole: never studied
    "faq_dev43_check_2026-12.csv",  # round 43's check half: never studied
    "faq_dev44_check_2026-12.csv",  # round 44, whole: never studied
    "faq_dev45_check_2026-12.csv",  # round 45's check half: never studied
    "faq_dev46_check_2026-12.csv",  # round 46, whole: never studied
    "faq_dev47_check_2026-12.csv",  # round 47's check half: never studied
    "faq_dev48_check_2026-12.csv",  # round 47's third writer, whole: never studied
    "faq_dev49_check_2026-12.csv",  # round 48, whole: read once, on the final code
    "faq_dev50_check_2026-12.csv",  # round 49's check half (two questions): never studied
    "faq_dev51_check_2026-12.csv",  # round 49's second writer, whole: never studied
    "faq_dev52_check_2026-12.csv",  # round 49's third writer, whole: read once, on the final code
    "faq_dev53_check_2026-12.csv",  # round 50's check half (English): never studied
    "faq_dev54_check_2026-12.csv",  # round 51's check half (the border): never studied
    "faq_dev55_check_2026-12.csv",  # round 51's fifth writer, whole: read once, on the final code
    "faq_dev56_check_2026-12.csv",  # round 52's check half (look-alikes): never studied
    "faq_dev57_check_2026-12.csv",  # round 53's check half: never studied
    "faq_dev58_check_2026-12.csv",  # round 53's fifth writer, whole: read once, on the final code
    "faq_dev59_check_2026-12.csv",  # round 54's check half (English, two questions): never studied
    "faq_dev60_check_2026-12.csv",  # round 55's check half (look-alike entries): never studied
    "faq_dev61_check_2026-12.csv",  # round 55's fourth writer, whole: read once, on the final code
    "faq_dev62_check_2026-12.csv",  # round 56's check half (traps, English, short): never studied
    "faq_dev63_check_2026-12.csv",  # round 56's fourth writer, whole: read once, on the final code
    "faq_dev64_check_2026-12.csv",  # round 57's check half (conditions, practical steps)
    "faq_dev65_check_2026-12.csv",  # round 57's third writer, whole: read once, on the final code
    "faq_dev66_check_2026-12.csv",  # round 58's check half (neighbouring entries, chat English)
    "faq_dev67_check_2026-12.csv",  # round 58's third writer, whole: read once, on the final code
    "faq_dev68_check_2026-12.csv",  # round 59's check half (money, worries, chat English)
    "faq_dev70_check_2026-12.csv",  # round 60's check half (two questions, long messages)
    "faq_dev71_check_2026-12.csv",  # round 60's third writer, whole: read once, on the final code
    "faq_dev72_check_2026-12.csv",  # round 61's check half (family totals, other programmes)
    "faq_dev73_check_2026-12.csv",  # round 61's third writer, whole: read once, on the final code
    "faq_dev74_check_2026-12.csv",  # round 62's check half (very short messages, English)
    "faq_dev75_check_2026-12.csv",  # round 62's third writer, whole: read once, on the final code
    "faq_dev76_check_2026-12.csv",  # round 63's check half (negations and conditions, typos)
    "faq_dev77_check_2026-12.csv",  # round 63's third writer, whole: read once, on the final code
    "faq_dev78_check_2026-12.csv",  # round 64's check half (two questions, money in English)
    "faq_dev79_check_2026-12.csv",  # round 64's third writer, whole: read once, on the final code
    "faq_dev80_check_2026-12.csv",  # round 65's check half (part answerable, no key word)
    "faq_dev81_check_2026-12.csv",  # round 65's third writer, whole: read once, on the final code
    "faq_dev82_check_2026-12.csv",  # round 66's check half (family totals, short second questions)
    "faq_dev83_check_2026-12.csv",  # round 66's third writer, whole: read once, on the final code
    "faq_dev84_check_2026-12.csv",  # round 67's check half (totals told naturally, two questions)
    "faq_dev85_check_2026-12.csv",  # round 67's third writer, whole: read once, on the final code
    "faq_dev86_check_2026-12.csv",  # round 68's check half (first-time users, other programmes)
    "faq_dev87_check_2026-12.csv",  # round 68's third writer, whole: read once, on the final code
    "faq_dev88_check_2026-12.csv",  # round 69's check half (two questions joined, life situations)
    "faq_dev89_check_2026-12.csv",  # round 69's third writer, whole: read once, on the final code
    "faq_dev90_check_2026-12.csv",  # round 70's check half (fragments, asking for others)
    "faq_dev91_check_2026-12.csv",  # round 70's third writer, whole: read once, on the final code
    "faq_dev92_check_2026-12.csv",  # round 71's check half (two questions, money and time)
    "faq_dev93_check_2026-12.csv",  # round 71's third writer, whole: read once, on the final code
    "faq_dev94_check_2026-12.csv",  # round 72's check half (first messages, long stories)
    "faq_dev95_check_2026-12.csv",  # round 72's third writer, whole: read once, on the final code
    "faq_dev96_check_2026-12.csv",  # round 73's check half (two questions, everyday words)
    "faq_dev97_check_2026-12.csv",  # round 73's third writer, whole
    "faq_dev98_check_2026-12.csv",  # round 74's check half (neighbouring entries, totals)
    "faq_dev99_check_2026-12.csv",  # round 74's third writer, whole
    "faq_dev100_check_2026-12.csv",  # round 75's check half (two questions, Javanese)
    "faq_dev101_check_2026-12.csv",  # round 75's third writer, whole
    "faq_dev102_check_2026-12.csv",  # round 76's check half (life events, money)
    "faq_dev103_check_2026-12.csv",  # round 76's third writer, whole
    "faq_dev104_check_2026-12.csv",  # round 77's check half (voice-typed, very short)
    "faq_dev105_check_2026-12.csv",  # round 77's third writer, whole
    "faq_dev106_check_2026-12.csv",  # round 78's check half (close entries, worried and annoyed)
    "faq_dev107_check_2026-12.csv",  # round 78's third writer, whole
    "faq_dev108_check_2026-12.csv",  # round 79's check half (two questions, newcomers)
    "faq_dev109_check_2026-12.csv",  # round 79's third writer, whole
    "faq_dev110_check_2026-12.csv",  # round 80's check half (two questions, voice and polite)
    "faq_dev111_check_2026-12.csv",  # round 80's third writer, whole
    "faq_dev112_check_2026-12.csv",  # round 81's check half (jobs and who pays, halfout)
    "faq_dev113_check_2026-12.csv",  # round 81's third writer, whole
    "faq_dev114_check_2026-12.csv",  # round 82's check half (a plain mix, neighbouring entries)
    "faq_dev115_check_2026-12.csv",  # round 82's third writer, whole
    "faq_dev116_check_2026-12.csv",  # round 83's check half (a plain mix, typed in one breath)
    "faq_dev117_check_2026-12.csv",  # round 83's third writer, whole
)


@pytest.fixture(scope="module")
def service() -> FaqService:
    return FaqService.load(Settings(_env_file=None))  # type: ignore[call-arg]


def test_labelled_set_size() -> None:
    rows = read_labelled(LABELLED_DIR / "faq_tuning.csv") + read_labelled(DATA / "faq_heldout.csv")
    assert len(rows) >= 200
    assert sum(1 for r in rows if r.expected is None) >= 50
    fresh = read_labelled(LABELLED_DIR / "faq_dev_2026-12.csv") + read_labelled(DATA / NEW_HELD_OUT)
    assert len(fresh) >= 250 and len(read_labelled(DATA / NEW_HELD_OUT)) >= 120
    # every file the question classifier learns from or is tuned on (bot/faq/training.py)
    development = {
        r.question.casefold()
        for name in (*LABELLED_FILES, *SELECTION_FILES)
        for r in read_labelled(LABELLED_DIR / name)
    }
    for held_out_file in (*HELD_OUT_FILES, *CHECK_FILES):
        held_out = {r.question.casefold() for r in read_labelled(DATA / held_out_file)}
        # a count, never the questions: a failure message must not show held-out text
        in_both = len(development & held_out)
        assert in_both == 0, f"{in_both} development questions are also in {held_out_file}"


@pytest.fixture(scope="module")
def held_out(service: FaqService) -> Report:
    tr = I18n("id", Settings(_env_file=None).tz).get("id")  # type: ignore[call-arg]
    report = run_eval(service, read_labelled(DATA / "faq_heldout.csv"), tr)
    assert not report.unknown_topics
    return report


def _figures(report: Report) -> str:
    # only the figures in messages: the held-out questions stay out of sight while tuning
    return (
        f"in-scope accuracy {report.in_scope_accuracy:.1%}, abstention {report.abstention_rate:.1%}"
        f", one tap {report.one_tap_rate:.1%}, key facts {report.facts_rate:.1%}"
        f" of {report.facts_checked}"
    )


def test_held_out_abstention(held_out: Report) -> None:
    rate = held_out.abstention_rate  # a plain number: pytest's explanation shows no questions
    assert rate >= 0.85, _figures(held_out)


@pytest.fixture(scope="module")
def new_held_out(service: FaqService) -> Report:
    tr = I18n("id", Settings(_env_file=None).tz).get("id")  # type: ignore[call-arg]
    report = run_eval(service, read_labelled(DATA / NEW_HELD_OUT), tr)
    assert not report.unknown_topics
    return report


def test_new_held_out_figures(new_held_out: Report) -> None:
    """Questions written fresh in December 2026 by someone who never saw the knowledge base,
    never used for tuning (tests/data/README.md). Issue 13's targets are 92 % in scope, 95 %
    of out-of-scope abstained and 98 % within one tap; measured on 2026-12-02: 81.4 %, 100 %,
    93.8 % (look 2); with the question classifier 91.5 %, 95.0 %, 95.5 % (look 5); with
    more examples and the "not this one?" button 91.0 %, 100 %, 98.3 % (look 7); with round
    6's examples, the classifier overruling an unlikely matcher choice and second questions
    read per clause 92.7 %, 97.5 %, 98.3 % (looks 9 and 10); with round 11's examples 92.1 %,
    100 %, 97.7 % (looks 19 and 20); with rounds 13, 15 and 16's 93.2 %, 100 %, 97.7 %
    (look 30); with the other clause's button 93.2 %, 100 %, 98.9 % (looks 34 to 44); with
    rounds 49 to 52, a story's one question and more look-alikes, 96.6 %, 100 %, 98.9 % (look
    148).

    These are regression floors, about two questions under those figures, not the targets:
    on 177 questions one question is 0.6 %, and the targets had one question of slack, so a
    retrain that the 1,785 questions of the check files (below) judge better (round 11: 11
    more right, 2 fewer wrong, 6 more look-alikes abstained) failed here by one question.
    `kb eval` reports the targets; tests/data/README.md records every look."""
    report = new_held_out  # plain numbers below: pytest's explanation shows no questions
    in_scope, abstained, one_tap = (
        report.in_scope_accuracy,
        report.abstention_rate,
        report.one_tap_rate,
    )
    assert in_scope >= 0.90, _figures(report)
    assert abstained >= 0.95, _figures(report)
    assert one_tap >= 0.975, _figures(report)


def test_check_files_figures(service: FaqService) -> None:
    """All the never-studied check files together (5,963 in scope, 2,303 out of scope): a
    regression gate with little noise, 1-2 points under the figures (round 18: 92.2 %
    right, 96.0 % abstained, 97.5 % within one tap; with rounds 19 and 20, whose round 20 is
    the hardest so far, 91.7 %, 96.1 %, 97.4 %; with round 21, 91.9 %, 96.1 %, 97.5 %; with
    round 22, 91.8 %, 96.5 %, 97.4 %; with round 23, 91.5 %, 96.9 %, 97.2 %; with rounds 24
    and 25, 91.9 %, 97.2 %, 97.5 %; with round 26, 91.5 %, 96.9 %, 97.4 %; with round 27,
    91.7 %, 97.0 %, 97.5 %; with round 28, 91.6 %, 97.1 %, 97.5 %; with round 29, 91.5 %,
    96.8 %, 97.4 %; with round 30, 91.6 %, 96.2 %, 97.3 %; with round 31, 91.5 %, 96.5 %,
    97.2 %; with rounds 32 and 33, 91.6 %, 96.7 %, 97.6 %; with rounds 34 to 36, 91.7 %,
    96.4 %, 97.5 %; with rounds 37 and 38, 91.5 %, 96.8 %, 97.3 %; with rounds 39 and 40,
    91.3 %, 96.6 %, 97.3 %; with rounds 41 and 42, the hardest check files so far (first
    readings 85.4 % and 83.9 % right), 90.9 %, 96.6 %, 97.1 % on the code before them and
    91.1 %, 96.6 %, 97.2 % after that session's changes, so the floor for right answers moves
    from 91 % to 90 %; with rounds 43 and 44, 91.0 %, 96.5 %, 97.2 % on the code before them;
    with round 45, 90.8 %, 96.5 %, 97.4 % on the code before it; with round 46, 90.9 %,
    96.5 %, 97.4 %; with round 47, 90.9 %, 96.4 %, 97.4 % on the code before it; with
    round 48, read once on that session's final code, 91.1 %, 96.5 %, 97.4 %; with rounds
    49 and 50, 90.9 %, 96.4 %, 97.3 % on the code before them (without round 49's third
    writer, read once on the final code) and 91.4 %, 96.4 %, 97.4 % on the final code; with
    rounds 51 and 52, whose check halves hold look-alikes at the border (90.7 % and 88.2 %
    abstained), 91.5 %, 96.3 %, 97.6 % on the final code; with rounds 53 and 54 (look-alikes
    at the border again, English, two questions), 91.6 %, 95.7 %, 97.7 % on the final code;
    with round 55, 91.7 %, 95.5 %, 97.8 %; with round 56 (traps, school English, short
    messages), 91.9 %, 95.4 %, 97.8 % on the final code; with round 57 (a condition before
    the question, practical steps), 92.1 %, 95.4 %, 97.8 % on the final code; with round
    58 (neighbouring entries, chat English), 92.3 %, 95.4 %, 97.8 % on the final code; with
    rounds 59 to 61 (money, two questions, long messages, family totals, another programme
    as context), 92.2 %, 95.1 %, 97.7 % on the final code; with rounds 62 to 64 (very short
    messages, English, negations, typos, two questions, money in English), 92.2 %, 94.9 %,
    97.8 % on the final code; with rounds 65 and 66 (messages only part answerable, no key
    word, family totals, short second questions), 92.0 %, 95.0 %, 97.6 % on the final code;
    with round 67 (totals told with places, trades and people left out, two questions),
    92.0 %, 94.8 %, 97.7 % on the final code; tests/data/README.md).
    Only the figures are read: a failure message shows no question."""
    tr = I18n("id", Settings(_env_file=None).tz).get("id")  # type: ignore[call-arg]
    rows = [row for name in CHECK_FILES for row in read_labelled(DATA / name)]
    report = run_eval(service, rows, tr)
    assert not report.unknown_topics
    assert report.in_scope >= 8786 and report.out_of_scope >= 3022
    assert report.in_scope_accuracy >= 0.90, _figures(report)
    assert report.abstention_rate >= 0.94, _figures(report)
    assert report.one_tap_rate >= 0.965, _figures(report)
    # the answers' text: the key facts of the check files that name them (rounds 17 and 18:
    # 266 in scope, 91.4 % answered with every key fact; with rounds 19 and 20, 535 in scope
    # and 90.1 %; with round 21, 666 in scope and 91.1 %; with round 22, 843 in scope and
    # 91.3 %; with round 23, 961 in scope and 90.7 %; with rounds 24 and 25, 1,129 in scope
    # and 91.2 %; with round 26, 1,204 in scope and 90.9 %; with round 27, 1,289 in scope and
    # 91.0 %; with round 28, 1,359 in scope and 91.0 %; with round 29, 1,438 in scope and
    # 91.2 %; with round 30, 1,518 in scope and 91.2 %; with round 31, 1,607 in scope and
    # 91.0 %; with rounds 32 and 33, 1,753 in scope and 91.2 %; with rounds 34 to 36, 2,025 in
    # scope and 91.6 %; with rounds 37 and 38, 2,265 in scope and 91.6 %; with rounds 39 and
    # 40, 2,503 in scope and 91.5 %; with rounds 41 and 42, 2,725 in scope and 91.3 %; with
    # rounds 43 and 44, 2,927 in scope and 91.6 %; with round 45, 2,989 in scope and 91.6 %;
    # with round 46, 3,124 in scope and 91.8 %; with round 47, 3,233 in scope and 91.7 %; with
    # round 48, 3,359 in scope and 91.9 %; with rounds 49 and 50, 3,586 in scope and 92.2 %;
    # with rounds 51 and 52, 3,810 in scope and 92.5 %; with rounds 53 and 54, 4,083 in scope
    # and 92.5 %; with round 55, 4,224 in scope and 92.6 %; with round 56, 4,358 in scope and
    # 92.8 %; with round 57, 4,468 in scope and 92.8 %; with round 58, 4,575 in scope and
    # 93.3 %; with rounds 59 to 61, 4,870 in scope and 93.2 %; with rounds 62 to 64, 5,165 in
    # scope and 93.1 %; with rounds 65 and 66, 5,397 in scope and 92.8 %; with round 67, 5,517
    # in scope and 92.6 %: the floor stays at 89.5 %)
    assert report.facts_checked >= 7242, _figures(report)
    assert report.facts_rate >= 0.895, _figures(report)


def test_held_out_accuracy(held_out: Report) -> None:
    """The issue's target. Reached on 2026-11-21 (90.8 %, no wrong answer; see
    docs/benchmarks.md and tests/data/README.md)."""
    accuracy = held_out.in_scope_accuracy
    assert accuracy >= 0.90, _figures(held_out)


@pytest.mark.parametrize("held_out_file", HELD_OUT_FILES)
@pytest.mark.parametrize("locale", ["id", "en"])
def test_no_held_out_question_is_copied_into_the_knowledge_base(
    service: FaqService, held_out_file: str, locale: str
) -> None:
    """A phrasing equal to a held-out question after normalisation, or nearly equal as typed,
    would make the held-out figures dishonest. Greetings and thanks are exempt ("halo" is
    "halo"), and so are the short menu titles ("Iuran per bulan"), written before the
    questions."""
    from rapidfuzz import fuzz

    small_talk = {"salam", "salam_islam", "terima_kasih"}
    normaliser = service.knowledge.for_locale(locale).normaliser
    phrasings = [p for e in service.kb(locale) if e.id not in small_talk for p in e.phrasings]
    # only the knowledge base's side is named: a failure message must not show held-out text
    too_close = sorted(
        {
            p
            for r in read_labelled(DATA / held_out_file)
            if r.expected is not None and not r.expected_topics & small_talk
            for p in phrasings
            if normaliser.key(p) == normaliser.key(r.question)
            or fuzz.ratio(p.lower(), r.question.lower()) >= 80
        }
    )
    assert not too_close, f"phrasings too close to a held-out question: {too_close}"
