"""The held-out half of the labelled questions: never used for tuning or for editing the
knowledge base (see tests/data/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.faq.service import FaqService
from bot.faq.tuning import Report, read_labelled, run_eval
from bot.i18n import I18n

DATA = Path(__file__).resolve().parent / "data"
# never used for tuning or for editing the knowledge base (tests/data/README.md)
HELD_OUT_FILES = ("faq_heldout.csv", "faq_heldout_2026-12.csv")


@pytest.fixture(scope="module")
def service() -> FaqService:
    return FaqService.load(Settings(_env_file=None))  # type: ignore[call-arg]


def test_labelled_set_size() -> None:
    rows = read_labelled(DATA / "faq_tuning.csv") + read_labelled(DATA / "faq_heldout.csv")
    assert len(rows) >= 200
    assert sum(1 for r in rows if r.expected is None) >= 50
    tuning = {r.question for r in read_labelled(DATA / "faq_tuning.csv")}
    held_out = {r.question for r in read_labelled(DATA / "faq_heldout.csv")}
    # a count, never the questions: a failure message must not show held-out text
    in_both = len(tuning & held_out)
    assert in_both == 0, f"{in_both} tuning questions are also in the held-out file"


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
    )


def test_held_out_abstention(held_out: Report) -> None:
    rate = held_out.abstention_rate  # a plain number: pytest's explanation shows no questions
    assert rate >= 0.85, _figures(held_out)


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
            if r.expected is not None and not set(r.expected_topics) & small_talk
            for p in phrasings
            if normaliser.key(p) == normaliser.key(r.question)
            or fuzz.ratio(p.lower(), r.question.lower()) >= 80
        }
    )
    assert not too_close, f"phrasings too close to a held-out question: {too_close}"
