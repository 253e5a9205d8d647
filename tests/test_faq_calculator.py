"""The totals calculator: computed from the configured contribution, never from an article."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.config import LOCALES_DIR, Settings
from bot.faq.calculator import duration_months, total
from bot.faq.kb import plain
from bot.faq.service import FaqService, load_knowledge
from bot.i18n import I18n


@pytest.fixture
def service(settings: Settings) -> FaqService:
    return FaqService.load(settings)


@pytest.fixture
def tr(settings: Settings):  # type: ignore[no-untyped-def]
    return I18n("id", settings.tz).get("id")


def test_total_is_simple_arithmetic() -> None:
    assert total(300, 16800) == 5_040_000
    assert total(12, 16800) == 201_600
    with pytest.raises(ValueError):
        total(-1, 16800)


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("iuran 10 thn totalnya brp", 120),
        ("kalau bayar 2 tahun habis berapa", 24),
        ("setaun piro", 12),
        ("selawe taun totale piro", 300),
        ("2 tahun 6 bulan totalnya", 30),
        ("bayar 6 bulan berapa", 6),
        ("dua puluh lima tahun total iuran", 300),
    ],
)
def test_durations(text: str, months: int) -> None:
    know = load_knowledge(LOCALES_DIR).for_locale("id")
    norm = know.normaliser.normalise(text)
    assert duration_months(norm.words, know.normaliser.lexicon) == months


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("iuran 10 thn totalnya brp", "Rp2.016.000"),
        ("kalau bayar 2 tahun habis berapa", "Rp403.200"),
        ("setaun piro", "Rp201.600"),
        ("iuran 25 tahun totalnya berapa", "Rp5.040.000"),
        ("2 tahun 6 bulan totalnya berapa", "Rp504.000"),
    ],
)
def test_totals_questions(service: FaqService, tr, question: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    answer = service.ask(question, tr)
    assert answer.kind == "totals"
    assert answer.topic == "total_iuran"
    assert expected in plain(answer.text)


@pytest.mark.parametrize(
    "question",
    [
        "umur 40 tahun iurannya berapa",  # an age, not a duration
        "cicilan motor 2 tahun berapa",  # not our contribution
        "iuran sebulan berapa",  # one month: the monthly contribution entry answers
        "nek 3 bulan ora mbayar piye",  # not paying: the payment entry's 3-month rule
        "kalau telat bayar 2 bulan gimana",
    ],
)
def test_not_totals(service: FaqService, tr, question: str) -> None:  # type: ignore[no-untyped-def]
    assert service.ask(question, tr).kind != "totals"


def test_totals_follow_the_configured_contribution(
    make_settings: Callable[..., Settings],
    tr,  # type: ignore[no-untyped-def]
) -> None:
    service = FaqService.load(make_settings(contribution_monthly_idr=20000))
    text = plain(service.ask("iuran 25 tahun totalnya berapa", tr).text)
    assert "Rp20.000" in text and "Rp6.000.000" in text
    entry_text = plain(service.ask("iurannya berapa sebulan", tr).text)
    assert "Rp20.000" in entry_text and "16.800" not in entry_text


def test_the_wrong_article_total_never_appears(service: FaqService, tr) -> None:  # type: ignore[no-untyped-def]
    texts = [service.entry_text(e, tr) for e in service.kb("id")]
    texts += [service.totals_text(m, tr) for m in (12, 60, 120, 300)]
    en = I18n("en", tr.tz).get("en")
    texts += [service.entry_text(e, en) for e in service.kb("en")]
    for text in texts:
        assert "8 juta" not in text and "8.000.000" not in text and "8 million" not in text
    assert "Rp5.040.000" in service.totals_text(300, tr)
