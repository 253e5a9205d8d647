"""The totals calculator: computed from the configured contribution, never from an article."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from bot.config import LOCALES_DIR, Settings
from bot.faq.calculator import (
    TotalsQuery,
    Unsure,
    asks_received_money,
    duration_months,
    named_people_query,
    names_no_amount,
    names_other_contribution,
    reply_months,
    reply_people,
    said_counts,
    total,
    totals_query,
)
from bot.faq.choose import choose
from bot.faq.kb import plain
from bot.faq.service import Answer, FaqService, load_knowledge
from bot.i18n import I18n, Translator


@pytest.fixture
def service(settings: Settings) -> FaqService:
    return FaqService.load(settings)


@pytest.fixture
def tr(settings: Settings) -> Translator:
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
        # Javanese numbers of one word (were not numbers at all)
        ("nganti limalas taun totale pira", 180),
        ("patlikur sasi pira", 24),
        ("telulas wulan pira", 13),
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


def test_javanese_tak_before_a_verb_is_i(service: FaqService, tr: Translator) -> None:
    """Javanese "tak" + verb ("tak celengi": I save) is not "tidak", which keeps the
    calculator off a message ("kalau 3 bulan tidak bayar" is the lapse rule)."""
    answer = service.ask("tak celengi saben sasi, 18 bulan entek piro", tr)
    assert answer.topic == "total_iuran"
    assert "Rp302.400" in plain(answer.text)
    # "tak bayar dewe" (I pay on my own), and "pirang duit" (how much money): round 75
    for question, expected in (
        ("nek limang sasi tak bayar dewe, piro", "Rp84.000"),
        ("telung taun iurane dadi pirang duit", "Rp604.800"),
    ):
        answer = service.ask(question, tr)
        assert answer.topic == "total_iuran", question
        assert expected in plain(answer.text), question


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # "melu loro": both of us join (was asked for how long: "loro" read as a stray number)
        ("aku karo adhiku melu loro, 6 sasi pira?", "Rp16.800 × 6 bulan × 2 orang = Rp201.600"),
        # months unpaid settled at once ("sekaligus"): their total (was "belum tahu", read as
        # paying ahead)
        ("nunggak 2 bulan, mau bayar sekaligus jadi berapa?", "Rp16.800 × 2 bulan = Rp33.600"),
        ("nek nunggak 4 sasi terus nyaur sekaligus, pira?", "Rp16.800 × 4 bulan = Rp67.200"),
    ],
)
def test_javanese_people_and_arrears_settled_at_once(
    service: FaqService, tr: Translator, question: str, expected: str
) -> None:
    answer = service.ask(question, tr)
    text = plain(answer.text)
    assert answer.topic == "total_iuran"
    assert expected in text
    # the late-payment answer added beside months unpaid comes after their total
    assert "Cara bayar" not in text or text.index(expected) < text.index("Cara bayar")


def test_paying_a_year_ahead_at_once_is_still_not_answered(
    service: FaqService, tr: Translator
) -> None:
    # the sources do not say whether months may be paid ahead
    assert service.ask("iso mbayar iuran setaun sekaligus?", tr).topics == ()


@pytest.mark.parametrize("locale", ["id", "en"])
def test_a_phrase_read_as_people_counts_them(service: FaqService, locale: str) -> None:
    """The calculator finds people in the message as typed (the lexicon's [people]); a
    [phrases] rewrite to a people word ("ber 3" -> "bertiga") it would not see, and it would
    count one person: each such phrase is a [people] phrase too, with the same count."""
    lexicon = service.knowledge.for_locale(locale).normaliser.lexicon
    rewrites = {" ".join(typed): " ".join(standard) for typed, standard in lexicon.phrases.items()}
    to_people = {
        typed: standard for typed, standard in rewrites.items() if standard in lexicon.people
    }
    assert locale == "en" or to_people  # "ber 3", round 75
    for typed, standard in to_people.items():
        assert lexicon.people.get(typed) == lexicon.people[standard], typed


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
    tr: Translator,
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


# -- issue 13: decimals, halves, people, programmes, ranges; never a wrong amount ------------

_RUPIAH = re.compile(r"Rp\s?(\d[\d.,]*\d|\d)(\s*(?:juta|million))?")


def amounts(text: str) -> set[int]:
    """Every rupiah figure in an answer ("Rp1.008.000" -> 1008000, "Rp42 juta" -> 42000000)."""
    found = set()
    for digits, millions in _RUPIAH.findall(text):
        value = int(digits.replace(".", "").replace(",", ""))
        found.add(value * 1_000_000 if millions else value)
    return found


DEATH_BENEFIT = 42_000_000  # the framing sentence's comparison, not a computed figure


def assert_totals(answer: Answer, monthly: int, months: tuple[int, ...], people: int) -> None:
    """A totals answer whose figures are exactly monthly × months × people (and parts)."""
    assert answer.kind == "totals", plain(answer.text)
    text = plain(answer.text)
    wanted = {monthly * m * people for m in months}
    allowed = wanted | {monthly * m for m in months} | {monthly, DEATH_BENEFIT}
    assert wanted <= amounts(text), text
    assert amounts(text) <= allowed, text
    assert (answer.months, answer.months_high, answer.people) == (
        months[0],
        months[1] if len(months) > 1 else None,
        people,
    )


@pytest.mark.parametrize(
    ("question", "months"),
    [
        ("iuran 1,5 tahun brp", 18),  # was the 5-year total: "1,5" read as 1 and 5
        ("iuran 2.5 tahun berapa", 30),
        ("iuran 2,5 thn berapa", 30),
        ("2,5thn totalnya brp", 30),
        ("iuran 0,5 tahun berapa", 6),
        ("iuran 1,25 tahun berapa", 15),
        ("iuran setengah tahun berapa", 6),
        ("iuran satu setengah tahun berapa", 18),
        ("iuran 1 setengah tahun berapa", 18),
        ("iuran 1 1/2 tahun berapa", 18),
        ("iuran 1/2 tahun berapa", 6),
        ("iuran setahun setengah berapa", 18),
        ("iurane rong taun setengah piro", 30),
    ],
)
def test_decimals_and_halves(service: FaqService, tr, question: str, months: int) -> None:  # type: ignore[no-untyped-def]
    assert_totals(service.ask(question, tr), 16800, (months,), 1)


@pytest.mark.parametrize(
    ("question", "months", "people"),
    [
        ("how much for 1.5 years", 18, 1),
        ("how much for 1,5 years", 18, 1),
        ("how much for half a year", 6, 1),
        ("how much for one and a half years", 18, 1),
        ("how much for a year and a half", 18, 1),
        ("total for 2 people for 6 months", 6, 2),
        ("how much for 2 years for me and my wife", 24, 2),
        ("if i pay 16800 every month for 10 years how much in total", 120, 1),
        ("16800 x 3 months how much", 3, 1),
        # the parents counted (was "for how many people?"), and the speaker joined to them
        ("for my mom and dad one year total?", 12, 2),
        ("both my parents, one whole year, how much", 12, 2),
        ("for mom and dad and me, 1 year how much", 12, 3),
        # "N of us" counts, also beside the family it names
        ("me, my wife and my son, 3 of us, for two years. total?", 24, 3),
        ("how much for the four of us for a year", 12, 4),
        # parents are two
        ("how much for my parents for 8 months", 8, 2),
        ("my parents and me, 1 year how much", 12, 3),
        ("my parents both, 6 months, how much", 6, 2),
    ],
)
def test_english_totals(
    service: FaqService, settings: Settings, question: str, months: int, people: int
) -> None:
    en = I18n("en", settings.tz).get("en")
    answer = service.ask(question, en)
    assert_totals(answer, 16800, (months,), people)
    if people > 1:
        assert "Each participant pays their own contribution" in plain(answer.text)


@pytest.mark.parametrize(
    ("question", "months", "people"),
    [
        ("iuran 2 orang setahun", 12, 2),  # was the total for one person
        ("sekeluarga 3 orang 6 bulan iurannya berapa", 6, 3),
        ("iuran 2 org 1 tahun berapa", 12, 2),
        ("iuran berdua setahun berapa", 12, 2),
        ("kami bertiga bayar 2 tahun totalnya berapa", 24, 3),
        ("iuran suami istri 1 tahun berapa", 12, 2),
        ("iurane aku karo bojoku setaun piro", 12, 2),
        ("iurane setaun wong loro piro", 12, 2),
        ("iuran sebulan berdua berapa", 1, 2),
        ("kula kaliyan semah setunggal taun pinten", 12, 2),  # was one person
        ("kami ber4 setahun brp", 12, 4),  # was one person
        ("iuran 6 bulan ber 3 brp", 6, 3),  # typed with a space: was asked how many
        ("istri dan anak, jadi ber 3, setahun brp", 12, 3),
        ("iuran buat bapak sama ibu setahun berapa", 12, 2),  # was one person
        ("bapak ibuku setaun pira", 12, 2),
        ("kulo sekalihan setunggal taun pinten", 12, 2),
        # people counted right after a number (was the table of totals)
        ("iuran 3 karyawan setahun berapa", 12, 3),
        ("iuran 2 tetangga 8 bulan brp", 8, 2),
        ("iuran 12 anggota satu setengah tahun berapa", 18, 12),
        ("Sy mau bantu bayarin 3 tetangga yg tukang parkir selama 6 bulan, brp semuanya?", 6, 3),
        # friends with their number beside the speaker (were asked: "the speaker may be one
        # more", though the speaker is named)
        ("saya dan 2 teman setahun brp", 12, 3),
        ("aku bareng 3 konco iuran setaun piro", 12, 4),
        # a helper ("rewang") named one by one beside the speaker (was the table of totals)
        ("aku karo rewangku siji, 3 taun pira", 36, 2),
        ("2 rewang setaun piro", 12, 2),
        # a count with a number covers the people a phrase named (was "for how many people?")
        ("bapak ibu saya sama saya sendiri jadi 3 orang, setahun berapa", 12, 3),
        # "both of them"
        ("istri saya juga, dua-duanya mau ikut, setahun berapa", 12, 2),
        ("aku karo bojoku, loro lorone melu, setaun pira", 12, 2),
        # all of them counted after everyone is named, family without a number among them
        # (was "for how many people?")
        ("saya sama istri dan anak yang sudah kerja mau ikut, setahun bertiga berapa", 12, 3),
        ("aku karo bojoku lan anakku, nem sasi telu-telune pira", 6, 3),
        # parents named as a pair (was one person), and the speaker joined to them
        ("iuran buat bapak ibu setahun berapa", 12, 2),
        ("iuran bapak ibu sama saya setahun berapa", 12, 3),
        ("sy sm bapak ibu setaun brp", 12, 3),
        # "all three of us" before the duration, and a number right after a people word:
        # three people for half a year, not three and a half years (was Rp705.600)
        ("Nek melu kabeh telu, setengah tahun entek pira?", 6, 3),
        ("kabeh telu setengah tahun pira", 6, 3),
        ("wong telu setengah tahun pira", 6, 3),
        ("orang 2 setengah tahun berapa", 6, 2),
        # Javanese words the lexicon did not know: the table of totals before
        ("iuran sataun kanggo uwong loro dados pinten", 12, 2),
        ("nyuwun sewu, sakeluarga wong telu sak taun dipunetang pinten", 12, 3),
    ],
)
def test_people(service: FaqService, tr, question: str, months: int, people: int) -> None:  # type: ignore[no-untyped-def]
    answer = service.ask(question, tr)
    assert_totals(answer, 16800, (months,), people)
    text = plain(answer.text)
    assert f"× {people} orang" in text
    assert "Setiap peserta membayar iurannya sendiri" in text


@pytest.mark.parametrize(
    ("question", "people"),
    [
        ("iuran aku karo adikku 5 bulan berapa", 2),
        ("bojoku karo anakku setaun pira", 2),
        ("istri dan 2 anak setahun brp", 3),
        ("anak 2 setahun berapa", 2),
        # the speaker named apart from the list may join too; a family without a number,
        # parents without a number, and a trade beside a number stay unknown
        ("saya mau daftarkan istri dan 2 anak, setahun berapa", None),
        ("aku melu, karo bojo lan anakku, setaun piro", None),
        ("iuran sekeluarga setahun berapa", None),
        ("iuran buat ortu setahun brp", None),
        ("saya dan 2 tukang parkir setahun berapa", None),
        # someone before the list in a form it does not read ("ane": Betawi "I")
        ("ane karo bojo lan anak loro melu kabeh, sewulan dadi piro", None),
    ],
)
def test_the_people_a_message_names(question: str, people: int | None) -> None:
    """`named_people_query`: the people a message names, when the calculator is unsure of
    them only because family words carry no number or the speaker is not among them."""
    know = load_knowledge(LOCALES_DIR).for_locale("id")
    strict = totals_query(question, know.normaliser, know.matcher.vocabulary, story=True)
    assert isinstance(strict, Unsure) and strict.reason == "people"  # the premise
    found = named_people_query(question, know.normaliser, know.matcher.vocabulary, strict)
    assert (found.people if found else None) == people
    assert found is None or found.months_low == strict.months


@pytest.mark.parametrize(
    ("question", "months"),
    [
        ("iuran sekeluarga setahun berapa", 12),  # how many are they?
        ("iuran keluarga 2 tahun totalnya berapa", 24),
        ("iuran 2 atau 3 orang setahun berapa", 12),
        ("iuran 1,5 orang setahun berapa", 12),
        # family named without a count: was the total for one person
        ("iuran buat ortu setahun brp", 12),
        # two counts, the second not covering the first
        ("saya dan istri 2 orang plus anak 3 orang setahun berapa", 12),
        ("iuran bapak ibu saya, 1 orang saja setahun berapa", 12),
        # a number before a trade one owns: riders or becaks? (was asked for the duration)
        ("saya punya 2 becak, iuran setahun berapa", 12),
        # a trade after "dan": the speaker may be one more
        ("saya dan 2 tukang parkir setahun berapa", 12),
        # an older brother typed apart: was a total for one person (round 76)
        ("aku karo mas ku rong taun pira", 24),
    ],
)
def test_people_unknown_asks(service: FaqService, tr, question: str, months: int) -> None:  # type: ignore[no-untyped-def]
    """The bot asks how many people, and gives the total for one person for the duration
    the message names (computed from the configured contribution)."""
    answer = service.ask(question, tr)
    assert answer.kind == "abstain" and answer.asks_back
    text = plain(answer.text)
    assert amounts(text) == {16800, months * 16800}
    assert "Untuk berapa orang?" in text
    assert f"{months * 16800:,}".replace(",", ".") + " per orang" in text


@pytest.mark.parametrize(
    ("question", "months", "people"),
    [
        # family named without a count, each family word one person (were asked how many)
        ("saya sm adek 2 thn brp", 24, 2),
        ("aku karo adhiku 8 wulan pira", 8, 2),
        ("iuran aku, bojoku karo ponakanku 4 sasi piro", 4, 3),
        ("simbok karo adhiku setaun pira", 12, 2),
        # an older brother and sister: was a total for one person (round 76)
        ("aq, masku, mbakku. telung taun pira ya", 36, 3),
        # the speaker not named: the people named (the speaker may be one more)
        ("istri dan 2 teman setahun brp", 12, 3),
        ("istri dan 2 anak setahun brp", 12, 3),
        # a number beside family named without a count: the number
        ("anak 2 setahun berapa", 12, 2),
        ("anakku loro setaun piro", 12, 2),
        ("putra kula kalih, iuranipun setaun pinten", 12, 2),
        ("2 anak saya iuran setahun berapa", 12, 2),
        ("anak saya 3, iuran 2 tahun berapa", 24, 3),
    ],
)
def test_the_people_named_get_their_total_and_the_question_stays(  # type: ignore[no-untyped-def]
    service: FaqService, tr, question: str, months: int, people: int
) -> None:
    """When the calculator would ask how many only because a family word carries no number,
    the speaker is not in the list, or a number beside family may leave the speaker out,
    the bot gives the total for the people the message names, says whom it counted, and
    keeps the other numbers one tap away (`Answer.counts`); a reply with a number still
    gets its total (until December 2026 it asked, with the total for one person)."""
    answer = service.ask(question, tr)
    assert answer.kind in ("totals", "entry") and answer.topic == "total_iuran"
    assert answer.asks_back and answer.counts == (1, 2, 3, 4, 5)
    text = plain(answer.text)
    assert months * 16800 * people in amounts(text)
    assert f"Saya hitung {people} orang yang Anda sebut" in text
    other = service.reply_to_question_back(question, str(people + 1), tr)
    assert other is not None and months * 16800 * (people + 1) in amounts(plain(other.text))


@pytest.mark.parametrize(
    ("question", "months"),
    [
        ("for my mom one year total?", 12),  # was the total for one person
        ("how much for my wife and kids for 2 years", 24),
        ("how much for my family for 6 months", 6),
    ],
)
def test_family_without_a_count_asks_in_english(
    service: FaqService, settings: Settings, question: str, months: int
) -> None:
    answer = service.ask(question, I18n("en", settings.tz).get("en"))
    assert answer.kind == "abstain" and answer.asks_back
    text = plain(answer.text)
    assert amounts(text) == {16800, months * 16800}
    assert "For how many people?" in text
    assert f"Rp{months * 16800:,} per person".replace(",", ".") in text


@pytest.mark.parametrize(
    ("question", "months", "people"),
    [
        ("my wife and my mom and dad, 1 year how much", 12, 3),  # was 2 people, then asked
        ("my wife and my parents, 1 year how much", 12, 3),
        ("my wife and 2 friends one year total", 12, 3),  # the speaker may be one more
        ("my 2 kids one year how much", 12, 2),  # was asked for the duration, then how many
        ("for my parents and my grandma, 9 months, total?", 9, 3),
    ],
)
def test_the_people_named_get_their_total_in_english(
    service: FaqService, settings: Settings, question: str, months: int, people: int
) -> None:
    answer = service.ask(question, I18n("en", settings.tz).get("en"))
    assert answer.topic == "total_iuran" and answer.asks_back and answer.counts
    text = plain(answer.text)
    assert months * 16800 * people in amounts(text)
    assert f"I counted the {people} people you named" in text


@pytest.mark.parametrize(
    "question",
    [
        "iuran bpjs kesehatan 3 bulan",  # was the BPJS Ketenagakerjaan total
        "iuran bpjs kesehatan 3 bulan berapa",
        "iuran bpjs kes setahun totalnya berapa",
        "iuran kis 2 tahun berapa",
        "iuran jkn 6 bulan berapa",
        "iuran jht 1 tahun berapa",  # JHT is optional, not in the Rp16.800
    ],
)
def test_other_programmes_are_not_computed(service: FaqService, tr, question: str) -> None:  # type: ignore[no-untyped-def]
    answer = service.ask(question, tr)
    assert answer.kind != "totals"
    assert answer.months is None


@pytest.mark.parametrize(
    ("question", "months"),
    [
        ("iuran bpjs tk 2 tahun berapa", 24),
        ("iuran bpjs ketenagakerjaan setahun berapa", 12),
        ("iuran bpjs 6 bulan totalnya berapa", 6),
    ],
)
def test_our_programme_is_computed(service: FaqService, tr, question: str, months: int) -> None:  # type: ignore[no-untyped-def]
    assert_totals(service.ask(question, tr), 16800, (months,), 1)


@pytest.mark.parametrize(
    ("question", "months", "people"),
    [
        ("iuran 3-6 bulan berapa", (3, 6), 1),  # was 6 months only
        ("iuran 3 - 6 bulan berapa", (3, 6), 1),
        ("iuran 3 sampai 6 bulan berapa", (3, 6), 1),
        ("iuran antara 1 dan 2 tahun berapa", (12, 24), 1),
        ("iuran 6 bulan s/d 1 tahun berapa", (6, 12), 1),
        ("iuran 1 atau 2 tahun totalnya berapa", (12, 24), 1),
        ("iuran 2 orang 1-2 tahun berapa", (12, 24), 2),
    ],
)
def test_ranges_give_both_ends(
    service: FaqService, tr: Translator, question: str, months: tuple[int, int], people: int
) -> None:
    answer = service.ask(question, tr)
    assert_totals(answer, 16800, months, people)


@pytest.mark.parametrize(
    ("locale", "text", "expected"),
    [
        # both ends counted (was: the question abstained, its two month names no duration)
        ("id", "bln maret smp desember 2 org brp", TotalsQuery(10, None, 2, False)),
        (
            "id",
            "buat keluarga saya 4 orang dari Januari sampai Juni berapa?",
            TotalsQuery(6, None, 4, False),
        ),
        ("id", "iuran bulan maret sampai bulan juni brp", TotalsQuery(4, None, 1, False)),
        ("id", "aku karo bojoku sasi januari tekan juni pira", TotalsQuery(6, None, 2, False)),
        ("id", "iuran okt s/d mar berapa", TotalsQuery(6, None, 1, False)),  # across new year
        ("id", "iuran oktober 2025 sampai maret 2027 berapa", TotalsQuery(18, None, 1, False)),
        ("en", "how much from march to december for 2 people", TotalsQuery(10, None, 2, False)),
        ("en", "contribution jan-jun for me and my wife?", TotalsQuery(6, None, 2, False)),
        # the month word of a rate before the span is the rate's ("16.800 tiap 2 bulan" gave
        # no total: found by the oracle property test)
        ("id", "kalau 16.800 tiap bulan januari sampai februari iuran nya brp", TotalsQuery(2)),
        ("en", "if i pay 16800 every month january to march how much", TotalsQuery(3)),
        # to the end of the year from a month named: to December (the year word was read
        # as a year: "dari Maret sampai akhir tahun" for two got Rp403.200, not Rp336.000)
        ("id", "sy sm suami ikut dari Maret sampai akhir tahun, brp?", TotalsQuery(10, None, 2)),
        ("id", "kl ikut dari bulan Mei sampai akhir tahun, brp?", TotalsQuery(8)),
        ("id", "mei nganti akhir taun iki wong loro pira", TotalsQuery(8, None, 2)),
        ("en", "my wife and i from june to the end of the year, total?", TotalsQuery(7, None, 2)),
        # ... and from no month named: how many months is not said, so the calculator asks
        ("id", "aku karo bojo sampai akhir tahun pira", Unsure("duration", people=2)),
        ("en", "how much until the end of the year for 3 people", Unsure("duration", people=3)),
        # one month, or thirteen? a month's name alone is no duration
        ("id", "iuran januari sampai januari berapa", None),
        ("id", "iuran januari sudah masuk belum", None),
        ("id", "iuran juni 2025 sampai maret 2025 berapa", None),  # ends before it starts
        ("en", "may i join with my 2 kids, how much", None),
    ],
)
def test_spans_of_months_by_name(
    locale: str, text: str, expected: TotalsQuery | Unsure | None
) -> None:
    assert query_in(locale, text) == expected


@pytest.mark.parametrize(
    ("locale", "text", "expected"),
    [
        # two durations, each asked for itself: a total for each (the calculator asked
        # "for how many months or years?", though the message said both)
        ("id", "2 taun piro totale? ro nek telung taun?", TotalsQuery(24, 36, apart=True)),
        ("id", "iuran setahun brp, 2 tahun brp", TotalsQuery(12, 24, apart=True)),
        ("id", "kami berdua 6 bulan berapa, setahun berapa", TotalsQuery(6, 12, 2, apart=True)),
        ("en", "how much for 1 year, and for 3 years?", TotalsQuery(12, 36, apart=True)),
        # a month and a year for several people: both for them all (the month was the
        # monthly contribution, for one person); for one person it still is
        ("id", "kami 4 orang sebulan brp, setahun brp", TotalsQuery(1, 12, 4, apart=True)),
        ("id", "iuran sebulan brp, setahun brp", TotalsQuery(12, monthly=True)),
        # a range stays a range, three durations a question back
        ("id", "iuran 1 atau 2 tahun berapa", TotalsQuery(12, 24)),
        ("id", "iuran 6 bulan, setahun, 2 tahun berapa", Unsure("duration", people=1)),
    ],
)
def test_two_durations_asked_apart(
    locale: str, text: str, expected: TotalsQuery | Unsure | None
) -> None:
    assert query_in(locale, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # one person said, and no money word: the total (it gave the table of 1 to 25 years)
        ("one and a half years for me alone?", TotalsQuery(18)),
        ("me alone, 2 years?", TotalsQuery(24)),
        # "only me" is no such phrase: "only me and my wife" are two
        ("only me and my wife, 6 months how much", TotalsQuery(6, None, 2)),
    ],
)
def test_one_person_said_in_english(text: str, expected: TotalsQuery) -> None:
    assert query_in("en", text, story=True) == expected


def test_two_durations_asked_apart_text(service: FaqService, tr) -> None:  # type: ignore[no-untyped-def]
    text = plain(service.ask("kami berdua 6 bulan berapa, setahun berapa", tr).text)
    assert "Total iuran 6 bulan dan 1 tahun untuk 2 orang" in text
    assert "6 bulan: Rp16.800 × 6 bulan × 2 orang = Rp201.600" in text
    assert "1 tahun: Rp16.800 × 12 bulan × 2 orang = Rp403.200" in text
    text = plain(service.ask("kami 4 orang sebulan brp, setahun brp", tr).text)
    assert "1 bulan: Rp16.800 × 1 bulan × 4 orang = Rp67.200" in text


def test_range_text(service: FaqService, tr) -> None:  # type: ignore[no-untyped-def]
    text = plain(service.ask("iuran 3-6 bulan berapa", tr).text)
    assert "3 bulan: Rp16.800 × 3 bulan = Rp50.400" in text
    assert "6 bulan: Rp16.800 × 6 bulan = Rp100.800" in text
    assert "BPJS Ketenagakerjaan untuk pekerja mandiri" in text


@pytest.mark.parametrize(
    "question",
    [
        "iuran 1,3 tahun berapa",  # 15.6 months: not a whole number of months
        "iuran 1,5 bulan berapa",
        "iuran setengah bulan berapa",
        "iuran beberapa tahun berapa",
        "iuran lebih dari 2 tahun berapa",
        "iuran 6-3 bulan berapa",
        "iuran 2 5 tahun berapa",
        # a comma keeps a number from the half after it: three what? (was 3,5 years)
        "iuran 3, setengah tahun berapa",
        "telu, setengah taun pira",
    ],
)
def test_unsure_durations_ask(service: FaqService, tr, question: str) -> None:  # type: ignore[no-untyped-def]
    answer = service.ask(question, tr)
    assert answer.kind == "abstain"
    assert "Untuk berapa bulan atau berapa tahun?" in plain(answer.text)
    assert not amounts(plain(answer.text))


@pytest.mark.parametrize(
    "question",
    [
        "iuran 2 minggu berapa",  # weeks and days: the contribution is monthly
        "iuran 10 hari totalnya berapa",
        "iuran 3 bulan 2 minggu berapa",
    ],
)
def test_weeks_and_days_are_not_computed(service: FaqService, tr, question: str) -> None:  # type: ignore[no-untyped-def]
    assert service.ask(question, tr).kind != "totals"


def test_people_and_ranges_follow_the_configured_contribution(
    make_settings: Callable[..., Settings],
    tr: Translator,
) -> None:
    service = FaqService.load(make_settings(contribution_monthly_idr=20000))
    assert_totals(service.ask("iuran 1,5 tahun brp", tr), 20000, (18,), 1)
    assert_totals(service.ask("iuran berdua 3-6 bulan berapa", tr), 20000, (3, 6), 2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("iuran 1,5 tahun brp", TotalsQuery(18)),
        ("iuran 2 orang setahun", TotalsQuery(12, None, 2)),
        ("iuran 3-6 bulan berapa", TotalsQuery(3, 6)),
        ("iuran 1,3 tahun berapa", Unsure("duration", people=1)),
        ("iuran sekeluarga setahun berapa", Unsure("people", 12)),
        ("iuran bpjs kesehatan 3 bulan", None),
        ("iuran sebulan berapa", None),
        ("16.800 itu iuran sebulan ya", None),  # a money figure, and the monthly entry
        ("iuran Rp16.800, kalau 2 tahun jadi berapa", TotalsQuery(24)),
        # the money figure's own unit is not a duration, nor is it one when multiplied
        ("iuran 16.800 sebulan, kalau 10 tahun jadi berapa", TotalsQuery(120)),
        ("bayar Rp16.800 per bulan 2 tahun totalnya brp", TotalsQuery(24)),
        ("16800 x 6 bulan jadi brp", TotalsQuery(6)),
        ("16.800 kali 12 bulan berapa", TotalsQuery(12)),
        ("2 kali 6 bulan berapa", Unsure("duration")),  # not a money figure: ask
        # another figure quoted: the total still comes from the configured contribution
        ("iuran 20.000 sebulan, kalau 2 tahun berapa", TotalsQuery(24)),
        # the unit before the figure it is per, and a "no" that only asks for confirmation
        ("sebulan 16.800 kan? setaun brp", TotalsQuery(12)),
        ("iuran 3 bln 50400 bener ga", TotalsQuery(3)),
        ("kalau 3 bulan tidak bayar apa tidak", None),
        # a "no" that ends another question's clause, one without a number, only asks it;
        # in the clause of the duration it may ask whether a year is paid at once
        (
            "sy sm suami mau ikut, 2 taun totalnya brp? trus bs diingetin tiap bulan ga?",
            TotalsQuery(24, None, 2),
        ),
        ("bayar setaun langsung bs gk", None),
        ("aku ora mbayar 4 wulan, piye", None),
        # ... also where a message typed without punctuation is cut after a question's
        # closing word: a total, then whether it can be paid somewhere or be reminded
        ("setaun brp bisa bayar di indomaret ga", TotalsQuery(12)),
        ("2 orang setahun berapa bisa bayar di kantor pos gak", TotalsQuery(12, None, 2)),
        ("nem sasi piro iso mbayar nang alfamart ora", TotalsQuery(6)),
        ("2 taun totalnya brp bs diingetin tiap bulan ga", TotalsQuery(24)),
        # ... but never cut after a "no", which may say the months unpaid
        ("kalau saya nggak bayar tiga bulan apa bpjs saya mati", None),
        ("klo sy ga bayar 3 bulan brp dendanya", None),
        ("iuran setaun brp? itu gratis ga sih?", TotalsQuery(12)),  # particles after the "no"
        ("iuran 3 bulan bisa ga sih", None),
        # a "no" before joining is the speaker's status, not months unpaid
        ("sy blm daftar, iuran 5 bulan totalnya brp", TotalsQuery(5)),
        ("durung melu, nek 4 wulan piro", TotalsQuery(4)),
        # ... and so is one before whom the city pays for ("not covered by the city")
        ("bapak ga ditanggung pemkot, 2 tahun brp", TotalsQuery(24)),
        ("ora dibayari pemkot, setaun pira", TotalsQuery(12)),
        ("kalau belum bayar 3 bulan gimana", None),
        ("belum bayar 3 bulan ke pemkot gimana", None),
        # the monthly contribution and a total in one message: the total (which shows both)
        ("berapa sebulan, terus kalau 5 tahun jadi berapa", TotalsQuery(60, monthly=True)),
        ("iuran 6 bulan atau 1 tahun", TotalsQuery(6, 12)),
        # two durations asked apart: a total for each (`test_two_durations_asked_apart`)
        ("iuran 2 bulan, kalau 3 tahun berapa", TotalsQuery(2, 36, apart=True)),
        ("bayar 1 tahun, kalau 2 tahun totalnya berapa", TotalsQuery(12, 24, apart=True)),
        # people phrases as typed, with the pronoun and the "and" in chat forms
        ("sy n istri ikut, 1 thn hbs brp", TotalsQuery(12, None, 2)),
        ("aku ro bojoku setaun pira", TotalsQuery(12, None, 2)),
        ("saya dan keluargaku setahun berapa", Unsure("people", 12)),
        # a people phrase, then more family: how many in all?
        ("aku ro bojoku ro anakku setaun pira", Unsure("people", 12)),
        ("iuran suami istri dan anak 1 tahun", Unsure("people", 12)),
        ("istri dan bapak ibu saya setahun berapa", Unsure("people", 12)),  # was 2 people
        ("kami berdua sama anak setahun berapa", Unsure("people", 12)),
        ("kalo sy daftarin bapak ibu sy, 2 org, sebulannya brp", TotalsQuery(1, None, 2)),
        # a number beside family named without a count: how many, with the speaker?
        ("anak 2 setahun berapa", Unsure("people", 12)),  # was asked for the duration
        ("putra kula kalih, iuranipun setaun pinten", Unsure("people", 12)),
        ("iuran 2 atau 3 orang setahun berapa", Unsure("people", 12)),
        ("satu keluarga 2 orang setahun berapa", TotalsQuery(12, None, 2)),  # one family
        # a title and a name are one person (was a total for one person); without the
        # speaker, ask, as for "istri dan 2 anak"
        ("saya, pak darto dan bu sri setahun berapa", TotalsQuery(12, None, 3)),
        ("aku karo mbak sari 3 bulan piro", TotalsQuery(3, None, 2)),
        ("pak darto karo bu sri 6 wulan piro", Unsure("people", 6)),
        ("anak 2 sebulan berapa", Unsure("people", 1)),  # one month: the monthly figure
        # everyone counted: "all three of them"
        (
            "aku, bojoku, karo anakku, telu kabeh arep melu, iuran setaun piro",
            TotalsQuery(12, None, 3),
        ),
        ("saya, istri dan anak, ketiganya ikut, 2 tahun berapa", TotalsQuery(24, None, 3)),
        # the count alone right after the people it restates, closing the part ("both of
        # them"; was asked for the duration), and parents-in-law are two; another number
        # stays a stray one
        ("aku karo bojoku loro, setaun piro", TotalsQuery(12, None, 2)),
        ("bapak ibu mertuaku kalih, rong taun pira", TotalsQuery(24, None, 2)),
        ("saya dan istri 3, setahun berapa", Unsure("duration")),
        # the count restated in Javanese, "wong" for "orang" (was asked how many)
        ("aku, bojoku karo adhiku loro, dadi papat wong, 3 sasi piro", TotalsQuery(3, None, 4)),
        # krama numbers and words
        ("kagem tiyang sekawan sedasa wulan pinten", TotalsQuery(10, None, 4)),
        # a unit without a number, for several people: one of it, for them all
        ("iuran per bulan untuk 2 orang berapa", TotalsQuery(1, None, 2)),
        ("iuran sekeluarga per bulan", None),
        ("umur 40 tahun iurannya berapa", None),
        # an age is read apart with its number, and the question is still computed
        ("umur sy 52 thn, setahun total brp", TotalsQuery(12)),
        ("sy lahir 1975, iuran 8 bulan totalnya?", TotalsQuery(8)),
        ("umur bapak 60, iuran 2 tahun berapa", TotalsQuery(24)),
        ("umur 45 tahun iuran 3 bulan berapa", TotalsQuery(3)),
        # things counted with a number are neither months nor people
        ("saya punya 2 gerobak, iuran setahun berapa", TotalsQuery(12)),
        ("saya punya 2 becak, iuran setahun berapa", Unsure("people", 12)),  # or 2 riders?
        # a number right before a trade counts people
        ("15 tukang parkir setahun berapa", TotalsQuery(12, None, 15)),
        ("3 tukang batikku 10 bulan brp totalnya", TotalsQuery(10, None, 3)),
        ("iuran 2 ojek setahun", TotalsQuery(12, None, 2)),
        # the programme's count of trades counts nobody
        ("13 profesi yg dibayar pemkot setahun iurannya berapa", Unsure("people", 12)),
        # a dropped vowel: "stahun", "wng" (was the table of totals)
        ("aku karo bojo 2 wng stahun total brp iurn", TotalsQuery(12, None, 2)),
        ("duwe lapak 2, iuran 3 wong setaun pira", TotalsQuery(12, None, 3)),
        ("becak 2 tahun iurannya berapa", TotalsQuery(24)),  # a trade, then a duration
        ("rumah setahun berapa", None),  # perhaps the rent: a thing alone is not ours
        # the monthly figure times a bare number: months
        ("16800 x 12 brp ya setahun", TotalsQuery(12)),
        ("16800 x 3 brp, kalau setahun?", TotalsQuery(3, 12, apart=True)),  # 3 months, and a year
        ("gerobak saya ada 2, iuran setahun berapa", TotalsQuery(12)),
        # the family's size is not the number who join
        ("kami sekeluarga 5 org, klo kami berdua ikut setengah thn brp", Unsure("people", 6)),
        # chat "ma" joins people as "sama" does; siblings counted ("we are three siblings")
        ("aku ma 2 anakku setaun brp", TotalsQuery(12, None, 3)),
        ("gw ma bini 6 bulan brp", TotalsQuery(6, None, 2)),
        ("ma, iuran setahun brp", TotalsQuery(12)),  # "ma" addressing a mother: nobody more
        ("kami 3 bersaudara 1 tahun brp", TotalsQuery(12, None, 3)),
        # a money figure after a counted word is no count of people (found by the oracle
        # property test: 16,800 neighbours, and "sebulan" a duration of its own)
        (
            "tetangga. 16.800 sebulan, iuran 7 tahun kami sekeluarga, jadi 4 orang totalnya brp",
            TotalsQuery(84, None, 4),
        ),
        ("warga 5 setahun brp", TotalsQuery(12, None, 5)),
    ],
)
def test_totals_query(text: str, expected: TotalsQuery | Unsure | None) -> None:
    know = load_knowledge(LOCALES_DIR).for_locale("id")
    assert totals_query(text, know.normaliser, know.matcher.vocabulary) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("aku karo bojo, dudu 13 profesi, 3 sasi pira", TotalsQuery(3, None, 2)),
        (
            "aku, adhiku karo bapak, telu wong, dudu 13 profesi, 3 sasi pira",
            TotalsQuery(3, None, 3),
        ),
        # alone, the count of trades may count people: the calculator asks
        ("dudu 13 profesi, 3 sasi pira", Unsure("people", 3)),
    ],
)
def test_the_programmes_count_of_trades_beside_people(
    text: str, expected: TotalsQuery | Unsure
) -> None:
    """With the people counted otherwise, "13 profesi" (the trades the city pays for) counts
    nobody: the calculator asked how many. Read as the story around a totals question."""
    assert query_in("id", text, story=True) == expected


@pytest.mark.parametrize(
    ("locale", "text", "expected"),
    [
        # people named one by one, the speaker among them, are counted
        ("id", "saya, istri dan 2 anak, setahun berapa", TotalsQuery(12, None, 4)),
        ("id", "sy+istri+bpk 1 thn brp", TotalsQuery(12, None, 3)),
        ("id", "iuran 7 tahun saya dan istri saya totalnya brp", TotalsQuery(84, None, 2)),
        ("id", "saya, suami, anak saya ada 3, 6 bulan berapa", TotalsQuery(6, None, 5)),
        ("id", "aku karo bojoku, karo anakku loro setaun piro", TotalsQuery(12, None, 4)),
        ("id", "kula kaliyan estri lan putra kalih, setaun pinten", TotalsQuery(12, None, 4)),
        ("en", "me, my wife and my 2 kids, 1 year how much", TotalsQuery(12, None, 4)),
        ("en", "me and my three kids for 2 years total", TotalsQuery(24, None, 4)),
        # a list counted again by a phrase for everyone: as many is the same count (its number
        # was stray, and the duration was asked for); another count leaves it in doubt
        ("en", "me and my 2 sisters, the three of us, 2 years total", TotalsQuery(24, None, 3)),
        ("en", "me and my 2 kids, the four of us, one year how much", Unsure("people", 12)),
        # a month for a count of people, then the family named: the count (was asked, and
        # before that the table of yearly totals)
        (
            "id",
            "sewulan kanggo wong lima, bapak ibu aku lan adhi loro, pira?",
            TotalsQuery(1, None, 5),
        ),
        # a list the [people] phrases count whole, and one read in doubt
        ("id", "bapak dan ibu setahun berapa", TotalsQuery(12, None, 2)),
        ("id", "iuran 1 tahun bapak saya, saya totalnya brp", Unsure("people", 12)),
        ("id", "pak, saya setahun berapa", TotalsQuery(12)),
        # a count said again after the people it counts ("dadi telu"); a different one is
        # read as before
        ("id", "bapak ibu karo aku dadi telu, 7 wulan pira?", TotalsQuery(7, None, 3)),
        ("id", "saya dan istri jadi 2 orang setahun berapa", TotalsQuery(12, None, 2)),
        ("id", "saya dan istri, jadi 2 tahun berapa", TotalsQuery(24, None, 2)),
        # "=" before a count is "jadi": "bapak ibu karo aku = 3" counts them; a sentence's end
        # after it leaves the duration whole ("= 5. sembilan bulan" read "5 9 bulan", asked
        # for a duration); a count that may disagree with the people named is asked
        ("id", "bapak ibu karo aku = 3. sembilan bulan brp?", TotalsQuery(9, None, 3)),
        ("id", "adik kakak sy 4 org + sy = 5. sembilan bulan brp?", Unsure("people", 9)),
        # a count said after family named without a number counts them all, when it leaves
        # each family word one person at least (was asked)
        (
            "id",
            "daftarin bapak ibu sama adek saya, jadi 3 orang, setahun berapa",
            TotalsQuery(12, None, 3),
        ),
        ("id", "aku karo bojo lan anakku dadi papat wong, setaun piro", TotalsQuery(12, None, 4)),
        # ... as it did for a list the calculator could not count; a count below the family
        # named, or said before it, is asked
        ("id", "saya, istri dan anak, jadi 4 orang, 6 bulan berapa", TotalsQuery(6, None, 4)),
        ("id", "bapak ibu sama adek, jadi 2 orang setahun brp", Unsure("people", 12)),
        (
            "id",
            "kami sekeluarga 5 orang, kalau bapak ibu sama adek ikut setahun berapa",
            Unsure("people", 12),
        ),
        # a title that opens the message addresses the reader: not one more person
        ("id", "pak, saya dan istri setahun berapa", TotalsQuery(12, None, 2)),
        ("id", "selamat pagi bu, saya dan ibu saya setahun berapa", TotalsQuery(12, None, 2)),
        # without the speaker, the speaker may be one more: asked
        ("id", "istri dan 2 anak setahun berapa", Unsure("people", 12)),
        ("en", "my wife and my mom and dad, 1 year how much", Unsure("people", 12)),
        # the speaker named outside a list without the speaker: asked (the speaker may be one
        # more); a list that opens with the speaker names the same person
        ("id", "saya mau daftarkan istri dan 2 anak, setahun berapa", Unsure("people", 12)),
        ("id", "umur saya 40 tahun, iuran 7 tahun saya, bapak saya brp", TotalsQuery(84, None, 2)),
        (
            "id",
            "saya mau bayarin iuran saya, suami, dan dua anak saya. 10 bulan berapa",
            TotalsQuery(10, None, 4),
        ),
        (
            "en",
            "i want to pay for me, my wife and my 2 kids, one year how much",
            TotalsQuery(12, None, 4),
        ),
        # ... and so does a list with the speaker as an item of its own (it was asked)
        (
            "id",
            "sy mau daftarin suami sama sy sendiri, setahun totalnya brp",
            TotalsQuery(12, None, 2),
        ),
        ("id", "aku arep ndaftarke bojoku karo aku, setaun piro", TotalsQuery(12, None, 2)),
        ("id", "saya mau daftarkan bapak saya dan saya setahun berapa", TotalsQuery(12, None, 2)),
        # a word between a number and the people it counts
        ("en", "if we enrol 4 casual staff for one month how much", TotalsQuery(1, None, 4)),
        ("en", "how much for my 3 new workers for 6 months", TotalsQuery(6, None, 3)),
        # ... unless the list is one [people] phrase ("for me and my wife": two)
        ("en", "if i pay 16800, how much for 7 years for me and my wife", TotalsQuery(84, None, 2)),
        # a family word the list cannot count: asked
        ("id", "saya, istri dan anak, setahun berapa", Unsure("people", 12)),
        # a number after a family word before a unit is the duration ("anak 2 tahun")
        ("id", "saya dan anak 2 tahun berapa", Unsure("people", 24)),
        # the speaker after a bare comma may start the next clause: the one who pays
        ("id", "putra kula kalih, kula bayar 2 taun pinten", Unsure("people", 24)),
        # nor before a half or a decimal: "anak 2 setengah tahun", "anak 2,5 tahun"
        ("id", "saya dan anak 2 setengah tahun berapa", Unsure("people", 30)),
        ("id", "saya dan anak 2,5 tahun berapa", Unsure("people", 30)),
        # people beside the speaker that no word counted were a total for one person (and
        # "me and my 2 friends" for two): one is counted, and friends with their number
        # (they were asked for); without a number they are asked for
        ("id", "aku ama pacar setengah taun brp", TotalsQuery(6, None, 2)),
        ("id", "aku karo paklik setaun piro", TotalsQuery(12, None, 2)),
        ("en", "me and my roommate for a year how much", TotalsQuery(12, None, 2)),
        ("id", "iuran aku karo konco 3 wulan", Unsure("people", 3)),
        ("id", "iuran aku ama temen 5 bln brp", Unsure("people", 5)),
        ("en", "me and my 2 friends for 6 months how much", TotalsQuery(6, None, 3)),
        ("en", "total for me and my 2 roommates for 7 months?", TotalsQuery(7, None, 3)),
        ("id", "gue sm 2 temen 3 bln brp semuanya", TotalsQuery(3, None, 3)),
        ("en", "how much for my cousins for 1 year", Unsure("people", 12)),
        # "both of them"
        ("id", "suami sama adik ipar ikut dua2nya, 3 tahun totalnya brp", TotalsQuery(36, None, 2)),
        # "the N of them" counts everyone named, as "N of us" does (was "for how many
        # people?"); parents in krama, "bapak kalih ibu" (was a stray "2": the duration asked)
        ("en", "my aunt and my mum, the two of them, 4 months how much", TotalsQuery(4, None, 2)),
        ("en", "grandpa and grandma, both of them, 9 months total?", TotalsQuery(9, None, 2)),
        ("id", "bapak kalih ibu setunggal taun pinten", TotalsQuery(12, None, 2)),
        ("id", "bapak kaliyan ibu 8 wulan sedaya pinten", TotalsQuery(8, None, 2)),
        # Pekalongan "nyong" (I) is the speaker (the list was read without it)
        ("id", "nyong karo bojo lan anakku loro, setaun piro", TotalsQuery(12, None, 4)),
        # an in-law or a step-relative named in two words is one person
        ("id", "sy + suami + ibu mertua + adik ipar, 1 thn brp ya", TotalsQuery(12, None, 4)),
        ("id", "aku, bojoku karo adik iparku setaun piro", TotalsQuery(12, None, 3)),
        ("en", "me, my wife and my mother-in-law for 6 months how much", TotalsQuery(6, None, 3)),
        # the people who work with the speaker, with their number, the speaker named: the
        # speaker is one more ("me and my four workers" read 4: Rp403.200 instead of Rp504.000)
        ("en", "How much for me and my four workers for 6 months?", TotalsQuery(6, None, 5)),
        ("en", "me and my 2 employees for a year", TotalsQuery(12, None, 3)),
        ("id", "saya dan 4 karyawan saya 6 bulan brp", TotalsQuery(6, None, 5)),
        ("id", "aku karo 2 pegawaiku 3 bulan piro", TotalsQuery(3, None, 3)),
        ("id", "4 karyawan saya 6 bulan brp", TotalsQuery(6, None, 4)),
        # the speaker joined to a count of people is one more ("saya dan 2 orang teman" read 2)
        ("id", "saya dan 2 orang teman setahun brp", TotalsQuery(12, None, 3)),
        ("id", "aku sama 2 orang setahun", TotalsQuery(12, None, 3)),
        ("en", "me and 2 other people for a year", TotalsQuery(12, None, 3)),
        ("id", "aku karo wong loro setaun piro", TotalsQuery(12, None, 3)),
        ("id", "aku karo bojoku, wong loro, setaun piro", TotalsQuery(12, None, 2)),
        ("id", "kami 2 orang setahun brp", TotalsQuery(12, None, 2)),
        # a count right after everyone is named, the speaker last, counts them all (it asked)
        ("id", "bapak ibu adik sm aku, 4 org, 6 bulan brp?", TotalsQuery(6, None, 4)),
        ("id", "istri sama aku, 2 orang, setahun", TotalsQuery(12, None, 2)),
        ("id", "bapak ibu sama adek, 2 orang, 6 bulan brp", Unsure("people", 6)),
        # relatives in chat slang and Javanese, one each beside the speaker (were a total for
        # one person: "gue sm bini 6 bulan" Rp100.800)
        ("id", "gue sm bini 6 bulan brp", TotalsQuery(6, None, 2)),
        ("id", "saya sama om 6 bulan berapa", TotalsQuery(6, None, 2)),
        ("id", "aku, nyokap, bokap setaun pira", TotalsQuery(12, None, 3)),
        ("id", "saya, abang saya dan 2 anak, setahun brp", TotalsQuery(12, None, 4)),
        ("id", "sy sm mantu 1 thn brp", TotalsQuery(12, None, 2)),
        ("en", "how much for me and my hubby for 6 months", TotalsQuery(6, None, 2)),
        ("en", "me, my spouse and 2 kids, one year?", TotalsQuery(12, None, 4)),
        ("en", "how much for me and my neighbour for 6 months", TotalsQuery(6, None, 2)),
        ("id", "gue sm laki gue setahun brp", TotalsQuery(12, None, 2)),
        ("id", "saya dan suami serta 2 anak setahun", TotalsQuery(12, None, 4)),
        ("id", "saya beserta istri 1 tahun berapa", TotalsQuery(12, None, 2)),
        ("id", "sy, suami, 3 bocil, 6 bln brp", TotalsQuery(6, None, 5)),
        ("id", "saya dan kedua orang tua setahun", TotalsQuery(12, None, 3)),
        ("en", "me n my wife 1 yr how much", TotalsQuery(12, None, 2)),
        # children or parents without their number: asked (were a total for one person)
        ("id", "saya sama bocil 6 bulan brp", Unsure("people", 6)),
        ("id", "saya dan orang tua saya setahun berapa", Unsure("people", 12)),
        # ... but a word that may address the reader opens no list ("om, ...", "bro, ...")
        ("id", "om iuran setahun brp", TotalsQuery(12)),
        ("id", "mbah, iuran 6 bulan pira", TotalsQuery(6)),
        ("en", "bro, how much for 6 months", TotalsQuery(6)),
        # a grandparent or a sibling who may be two: asked, then counted one each
        ("id", "aku karo eyang 3 wulan pira", Unsure("people", 3)),
        # counted words with a number stay counted; a worker is no list of people
        ("id", "iuran 2 tetangga setahun", TotalsQuery(12, None, 2)),
        ("id", "iuran pekerja 2 tahun berapa", TotalsQuery(24)),
    ],
)
def test_people_named_one_by_one(
    locale: str, text: str, expected: TotalsQuery | Unsure | None
) -> None:
    assert query_in(locale, text) == expected


def query_in(locale: str, text: str, story: bool = False) -> TotalsQuery | Unsure | None:
    """What the calculator reads in `text` with the knowledge of `locale`."""
    know = load_knowledge(LOCALES_DIR).for_locale(locale)
    return totals_query(text, know.normaliser, know.matcher.vocabulary, story=story)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # krama "warsa" is a year, "kuartal" a quarter (the first got the monthly answer,
        # "tigang warsa" no answer)
        ("iuran kalih warsa pinten", TotalsQuery(24)),
        ("iuran 2 kuartal berapa", TotalsQuery(6)),
        # "kurang lebih" / "kurang luwih" is "about": no vague duration (it asked how long)
        ("iuran setahun kurang lebih brp", TotalsQuery(12)),
        ("kurang lebih 2 tahun berapa", TotalsQuery(24)),
        ("iuran sebulan kurang lebih berapa", None),  # the monthly contribution
        # Javanese "more than" before another duration is vague, as "lebih": asked (it got
        # two totals, 3 months and a year)
        ("setaun luwih 3 sasi pira", Unsure("duration", people=1)),
        ("setaun punjul 3 sasi pira", Unsure("duration", people=1)),
    ],
)
def test_krama_years_quarters_and_about(text: str, expected: TotalsQuery | Unsure | None) -> None:
    assert query_in("id", text) == expected


def test_about_a_month_is_the_monthly_contribution(service: FaqService, tr: Translator) -> None:
    """ "Kurang lebih berapa sebulan" is the monthly figure, not "for how many months?"."""
    for question in (
        "iuran sebulan kurang lebih berapa",
        "setorane saben sasi kurang luwih pinten",
    ):
        answer = service.ask(question, tr)
        assert answer.topic == "iuran" and "Rp16.800" in plain(answer.text), question


@pytest.mark.parametrize(
    ("locale", "text", "expected"),
    [
        # who told a sum is not whom it is for: "my parents" was a total for two people
        ("en", "my parents said 5 years is 1 million total, is that right?", TotalsQuery(60)),
        ("en", "according to my neighbour 10 years costs 2 million, true?", TotalsQuery(120)),
        ("id", "kata bapak ibu saya 5 tahun totalnya 1 juta, bener?", TotalsQuery(60)),
        ("id", "istri sama anakku bilang 2 tahun totalnya 500rb, bener ga?", TotalsQuery(24)),
        # the people a sum is for stay counted
        (
            "id",
            "kata tetangga iurannya 16.800, kalo sy sama 2 anak sy 5 bulan brp",
            TotalsQuery(5, people=3),
        ),
        (
            "id",
            "saya dan istri bilang iurannya 16.800, 2 tahun berapa",
            TotalsQuery(24, people=2),
        ),
        # no sum told: the people may be the ones to pay for, and the calculator asks
        ("id", "istri saya bilang mau ikut juga, setahun berapa?", Unsure("people", 12)),
    ],
)
def test_who_told_a_sum_is_not_counted(
    locale: str, text: str, expected: TotalsQuery | Unsure | None
) -> None:
    """Read as the story around a totals question (`totals_query`'s `story`): "costs",
    "true" and "bener" are words the knowledge base does not know."""
    assert query_in(locale, text, story=True) == expected


def test_people_another_language_counts_are_not_a_total_for_one(
    service: FaqService, tr: Translator
) -> None:
    """ "me and my wife, 6 months, total brp?" reads as Indonesian, whose calculator counts
    nobody in it: it got the total for one person. The English reading counts two; where
    it cannot count them, the bot asks how many instead."""
    question = "me and my wife, 6 months, total brp?"
    assert query_in("id", question, story=True) == TotalsQuery(6)  # the premise
    answer = service.ask(question, tr)
    assert "Rp16.800 × 6 bulan × 2 orang = Rp201.600" in plain(answer.text)
    asked = service.ask("for my mother-in-law and my kids, 9 months, total?", tr)
    assert asked.asks_back and "Untuk berapa orang?" in plain(asked.text)


@pytest.mark.parametrize(
    ("question", "months", "people"),
    [
        # three children, or three people? ("... dadi telu", "so three", is a count of
        # everyone: test_counts_of_those_who_join)
        ("aku bojoku karo anakku sing gede telu setaun pira totale", 12, 3),
        ("aku lan bojoku, anakku sing mbarep ana telu, rong taun pira kabeh?", 24, 3),
    ],
)
def test_one_duration_beside_a_number_it_cannot_place_asks_how_many(
    service: FaqService, tr: Translator, question: str, months: int, people: int
) -> None:
    """A story around a totals question naming one duration beside a number the calculator
    cannot place gets the question back (how many people, the total for one, the numbers as
    buttons), not the table of totals (until December 2026); the number tapped or typed
    gets the total."""
    answer = service.ask(question, tr)
    text = plain(answer.text)
    assert answer.asks_back and answer.counts == (1, 2, 3, 4, 5), text
    assert "Kalau dihitung" not in text and months * 16800 in amounts(text)
    total = service.reply_to_question_back(question, str(people), tr)
    assert total is not None and months * 16800 * people in amounts(plain(total.text))


@pytest.mark.parametrize(
    ("lang", "question", "months", "said"),
    [
        (
            "id",
            "Anakku telu, loro buruh batik siji sablon. Bojoku kuli bangunan. Dadi pitu wong "
            "karo adikku. Nek mbayar dewe telung sasi entek pira?",
            3,
            7,
        ),
        (
            "en",
            "my dad drives a becak, my 3 brothers sell batik and my mum sews. so 6 people, plus "
            "my wife maybe. 1 year how much?",
            12,
            6,
        ),
    ],
)
def test_a_count_the_message_says_is_a_button_under_the_question_back(
    service: FaqService, settings: Settings, lang: str, question: str, months: int, said: int
) -> None:
    """A story whose people the calculator cannot be sure of, which says a count of its own
    beyond the usual buttons ("dadi pitu wong", "so 6 people, plus my wife maybe"), gets the
    question back with that count among the buttons (until December 2026 only 1 to 5: the
    person had to type it); the tap gets its total."""
    tr = I18n(lang, settings.tz).get(lang)
    answer = service.ask(question, tr)
    assert answer.asks_back and answer.counts == (1, 2, 3, 4, 5, said), plain(answer.text)
    totals = dict(service.button_totals(answer, tr))
    label = f"{said} orang" if lang == "id" else f"{said} people"
    assert months * 16800 * said in amounts(plain(totals[label].text))


@pytest.mark.parametrize(
    ("lang", "question", "months"),
    [
        # was the total for one person: the clause with the 7 was dropped as left out
        ("en", "we are 7 people but grandpa won't join. how much for 1 year?", 12),
        # were the totals for 5: is the one left out among them?
        ("id", "kami 5 orang, istri saya ga ikut. setahun berapa?", 12),
        ("id", "keluarga 5 wong, simbah ora melu. nem sasi pira", 6),
    ],
)
def test_a_count_of_everyone_with_someone_left_out_asks_how_many(
    service: FaqService, settings: Settings, lang: str, question: str, months: int
) -> None:
    """A message that counts everyone with a word for people and leaves someone out cannot
    say whether that person is among the count: the bot asks how many, with the total for
    one person, and gives no total for the count (until December 2026 the count's total, or
    the total for one person said as the answer)."""
    tr = I18n(lang, settings.tz).get(lang)
    answer = service.ask(question, tr)
    text = plain(answer.text)
    assert answer.kind == "abstain" and answer.asks_back, text
    assert amounts(text) == {16800, months * 16800}, text
    assert ("For how many people?" if lang == "en" else "Untuk berapa orang?") in text
    # the number the person then types gets its total
    total = service.reply_to_question_back(question, "4", tr)
    assert total is not None and months * 16800 * 4 in amounts(plain(total.text))


def test_people_left_out_without_a_count_of_everyone_keep_their_total(
    service: FaqService, settings: Settings
) -> None:
    """Without a count of everyone, the people left out are read apart as before: "me and my
    wife, our 3 kids are not joining" is two people, and so are the parents alone."""
    en = I18n("en", settings.tz).get("en")
    answer = service.ask("me and my wife, our 3 kids are not joining, how much for a year?", en)
    assert 12 * 16800 * 2 in amounts(plain(answer.text)) and not answer.asks_back
    tr = I18n("id", settings.tz).get("id")
    answer = service.ask("mau daftar buat bapak ibu saja, adik2 tidak. 3 tahun totalnya brp", tr)
    assert 36 * 16800 * 2 in amounts(plain(answer.text)) and not answer.asks_back


def test_the_reply_to_a_question_back_leads_with_its_total(
    service: FaqService, tr: Translator
) -> None:
    """The number typed (or tapped) after "Untuk berapa orang?" gets its total first, then
    any other answer the message brings: here the jobs the city pays for, which the story
    names ("kuli panggul") and which came first until December 2026."""
    question = (
        "Putra kula kalih, sami dados kuli panggul. Menawi kula bayaraken iuranipun kalih "
        "taun, pinten sedaya?"
    )
    total = service.reply_to_question_back(question, "3", tr)
    assert total is not None and set(total.topics) == {"total_iuran", "dibayar_pemkot"}
    text = plain(total.text)
    assert text.startswith("Total iuran selama 2 tahun untuk 3 orang"), text
    assert 24 * 16800 * 3 in amounts(text)


def test_said_counts_are_the_whole_counts_of_people() -> None:
    """`said_counts`: the counts with a people word or said again after the people, from 2
    up; not a duration, an age, a number of things, nor a count too large for a button."""
    know = load_knowledge(LOCALES_DIR).for_locale("id")

    def said(text: str) -> tuple[int, ...]:
        return said_counts(know.normaliser.normalise(text).words, know.normaliser.lexicon)

    assert said("anak 2 orang, mertua 3 orang, jadi 7 orang") == (2, 3, 7)
    assert said("dadi pitu wong, telung sasi") == (7,)
    assert said("iuran 6 bulan berapa") == ()
    assert said("umur 45 tahun, setahun berapa") == ()
    assert said("punya 2 becak, setahun berapa") == ()
    assert said("satu orang setahun") == ()
    assert said("paguyuban 40 orang setahun") == ()
    # after "ada" ("ana"), with no unit or money word after it ([calculator] exist_words)
    assert said("tukang cukur ana 8, setaun pira") == (8,)
    assert said("ada 8 bulan nunggak") == ()
    assert said("ada 20 ribu") == ()


@pytest.mark.parametrize(
    ("lang", "question", "months", "people"),
    [
        # the numbers before a count of everyone ("dadi telu wong") are its parts
        ("id", "warungku ana rewang loro ditambah aku dadi telu wong, setaun totale piro?", 12, 3),
        ("id", "tukang jahit loro ditambah aku dadi telu wong, nem sasi pira kabeh?", 6, 3),
        # a neighbourhood's number counts nobody
        ("id", "kami daftarkan 8 warga RT 05 untuk setahun, totalnya berapa?", 12, 8),
        ("id", "warga gang 3 ada 6 orang, iuran 4 bulan berapa semuanya?", 4, 6),
        ("en", "7 people from RT 2, how much for 6 months in total?", 6, 7),
        # relatives with their number and a possessive ending ("3 sedulurku", "2 koncoku")
        ("id", "aku karo 3 sedulurku melu kabeh, setaun pira?", 12, 4),
        # a group larger than a family (the calculator counted at most 20)
        ("id", "paguyuban kami 30 orang, setahun totalnya berapa?", 12, 30),
        # the total's own sentence counts them; the other sentence asks about something else
        (
            "id",
            "aku lan bojoku rong taun pira totale? nek aku ninggal, keluargaku entuk apa?",
            24,
            2,
        ),
        # ... or the sentence before it lists them
        (
            "id",
            "aku, bojoku karo bapakku. setaun setengah pira? nek aku mati bojoku entuk santunan?",
            18,
            3,
        ),
        # "telu. kabeh" is no "telu kabeh" (all three): the 3 children and two more (it gave 3)
        ("id", "aku, bojoku karo anakku telu. kabeh melu rong taun, pira?", 24, 5),
        # the family is the five of them
        ("id", "kami berlima sekeluarga, setahun berapa totalnya?", 12, 5),
        # people left out (the English counted the two children too: a total for four)
        ("id", "daftarin bapak sama ibu aja, kakak2 ga ikut. 2 tahun totalnya brp?", 24, 2),
        ("id", "aku karo bojoku wae, anak-anakku ora melu. nem sasi pira?", 6, 2),
        ("en", "me and my husband, our 2 kids are not joining, how much for 6 months?", 6, 2),
    ],
)
def test_counts_of_people_the_calculator_was_unsure_of(
    service: FaqService, lang: str, question: str, months: int, people: int
) -> None:
    """A count of people said plainly beside a number that is a part of it ("rewang loro
    ditambah aku dadi telu wong") or a neighbourhood's number ("RT 05"), relatives counted
    with a possessive ending, a group of more than 20, and two people said in the total's
    own sentence (or listed in the sentence before it) while another sentence asks what the
    family gets, and the people who join when others are left out ("kakak2 ga ikut"): each
    gets the total (until December 2026 the calculator asked "for how
    many months?", or "for how many people?" with the total for one, or counted three in
    "anakku telu. kabeh melu")."""
    assert_total_for(service, lang, question, months, people)


def assert_total_for(
    service: FaqService, lang: str, question: str, months: int, people: int
) -> None:
    """The question gets the total for `people` over `months`, not a question back."""
    tr = I18n(lang, Settings(_env_file=None).tz).get(lang)  # type: ignore[call-arg]
    answer = service.ask(question, tr)
    text = plain(answer.text)
    assert not answer.asks_back, text
    assert months * 16800 * people in amounts(text), text
    assert re.search(rf"× {months} (?:bulan|months?) × {people} (?:orang|people) =", text), text


@pytest.mark.parametrize(
    ("lang", "question", "months", "people"),
    [
        # those who join, said after the others are counted ("sisanya 4", "only the 2 adults")
        (
            "id",
            "kami pengamen 6 orang, 2 sudah dibayari pemkot, sisanya 4 mau bayar sendiri. setahun"
            " berapa?",
            12,
            4,
        ),
        ("en", "we are 6 at home, only the 2 adults join, 1 year how much?", 12, 2),
        # "sisanya" without a number: the count less the people left out
        (
            "id",
            "di rumah ada 5 orang, yang 2 masih sekolah tidak ikut. sisanya ikut 6 bulan berapa?",
            6,
            3,
        ),
        ("id", "keluarga besar 8 orang, yang kerja cuma separuhnya, setahun brp?", 12, 4),
        # everyone, counted after "semua" / "all"
        ("id", "semua 3 ikut setengah tahun, berapa totalnya?", 6, 3),
        ("en", "there are 5 of us at the stall, cover all 5 for 3 months, total?", 3, 5),
        # the number after the word naming them ("anggotanya 12")
        ("id", "paguyuban tukang parkir anggotanya 12, setahun berapa semuanya?", 12, 12),
        # "Kel." is a kelurahan and "satu perahu" one boat: seven people
        ("id", "Kel. Krapyak, kami nelayan 7 orang satu perahu, 6 bulan berapa?", 6, 7),
        # neighbours in Javanese, with the speaker
        ("id", "aku karo 3 tonggoku arep melu, rong sasi pira?", 2, 4),
        # a semester is six months; a month in brackets still starts a span
        ("id", "sak semester kanggo wong telu pira?", 6, 3),
        ("id", "dari (Mei) sampai Oktober buat 3 orang brp?", 6, 3),
        # the day a span starts on, and the end of its last month
        ("id", "tukang parkir 3 orang, mulai 1 Maret sampai akhir Agustus totalnya brp?", 6, 3),
        ("en", "from 1 march to the end of june for me and my wife how much", 4, 2),
        # a bare count after the people named ("dadi telu")
        ("id", "aku bojoku karo anakku sing ragil dadi telu, rong taun pira totale", 24, 3),
        ("id", "aku lan bojoku, anakku sing mbarep dadi telu, rong taun pira kabeh?", 24, 3),
        # children still at school are left out
        ("id", "ketiga anak saya masih sekolah, saya sama suami setahun brp", 12, 2),
        ("en", "my 2 kids are still in school, for me and my wife 1 year how much?", 12, 2),
    ],
)
def test_counts_of_those_who_join(
    service: FaqService, lang: str, question: str, months: int, people: int
) -> None:
    """Groups told with those who join apart from the others, everyone counted after
    "semua", members counted after their word, a kelurahan and a boat beside the count, and
    everyday periods: each gets its total (until December 2026 the calculator asked "for how
    many people?" or "for how many months?", and gave the total for all ten of "keluarga besar
    10 org, yg kerja cuma separuhnya")."""
    assert_total_for(service, lang, question, months, people)


@pytest.mark.parametrize(
    ("lang", "question", "wrong"),
    [
        # the rest are at school, not joining: never their total
        ("id", "keluarga 5 orang, 3 ikut, sisanya 2 masih sekolah, setahun brp", 2),
        ("id", "keluarga 5 orang, 3 ikut, sisanya masih sekolah, setahun brp", 2),
        ("en", "there are 4 of us, the remaining 2 are still in school, for 1 year how much?", 2),
    ],
)
def test_people_left_out_are_never_the_count(
    service: FaqService, lang: str, question: str, wrong: int
) -> None:
    """The people a message leaves out ("sisanya 2 masih sekolah") are not those who join:
    the bot may ask, but never gives their total."""
    tr = I18n(lang, Settings(_env_file=None).tz).get(lang)  # type: ignore[call-arg]
    text = plain(service.ask(question, tr).text)
    assert "×" not in text or "orang" in text or "people" in text, text
    assert not re.search(rf"× {wrong} (?:orang|people) =", text), text


def test_a_school_semester_is_no_duration(service: FaqService, tr: Translator) -> None:
    """ "Semester" is six months ("sak semester kanggo wong loro"), but "semester 3" at school
    is no duration: the question about the scholarship gets its answer, not a total."""
    answer = service.ask("anak saya kuliah semester 3, kalau saya meninggal dapat beasiswa?", tr)
    assert answer.topic == "beasiswa" and "×" not in plain(answer.text)


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        # friends told of, not asked about, in another sentence: two people, or four?
        ("id", "aku karo bojoku setaun pira? karo 2 kancaku yo melu"),
        # a list cut at its commas: "6 months total" alone names one person (it got his total)
        (
            "en",
            "My dad, my mum and my 3 brothers, 6 months total? Also do we still need it if we"
            " have KIS?",
        ),
    ],
)
def test_people_named_outside_the_totals_part_are_asked_about(
    service: FaqService, lang: str, question: str
) -> None:
    """When other parts of the message name people the total's own part does not count,
    the bot asks how many (with the total for one), never the total for one person alone."""
    tr = I18n(lang, Settings(_env_file=None).tz).get(lang)  # type: ignore[call-arg]
    answer = service.ask(question, tr)
    text = plain(answer.text)
    assert answer.asks_back and answer.counts == (1, 2, 3, 4, 5), text
    assert not re.search(r"× \d+ (?:bulan|months) =", text), text


@pytest.mark.parametrize(
    ("question", "months", "people"),
    [
        ("iuran 4 bulan totalnya brp? trus kalau telat 2 bulan masih aktif ga?", 4, 1),
        ("wong loro setaun piro, terus nek nunggak 3 sasi piye", 12, 2),
    ],
)
def test_months_late_in_the_other_question_are_not_the_total(
    service: FaqService, tr: Translator, question: str, months: int, people: int
) -> None:
    """The months late or unpaid of a second question are no duration to pay for: the
    total's own part says it (both got the table of totals until December 2026), and the
    other question gets its answer."""
    answer = service.ask(question, tr)
    assert set(answer.topics) == {"total_iuran", "cara_bayar"}, plain(answer.text)
    assert months * 16800 * people in amounts(plain(answer.text))
    assert "Kalau dihitung" not in plain(answer.text)


def test_a_story_around_a_totals_question_chosen_by_the_matcher_is_computed(
    service: FaqService, tr: Translator
) -> None:
    """Words outside the knowledge base keep the calculator from answering on its own
    ("cicilan motor 2 tahun berapa" is not ours), but when the matcher and the classifier
    chose the totals entry, the total asked for is computed instead of the table of totals."""
    know = load_knowledge(LOCALES_DIR).for_locale("id")
    question = "aku karo bojoku arep melu kabeh. setahun kudu nyiapke duit piro?"
    assert totals_query(question, know.normaliser, know.matcher.vocabulary) is None
    story = totals_query(question, know.normaliser, know.matcher.vocabulary, story=True)
    assert story == TotalsQuery(12, None, 2)
    answer = service.ask(question, tr)
    assert answer.topic == "total_iuran"
    assert "Rp403.200" in plain(answer.text) and "25 tahun" not in plain(answer.text)
    # a total for one person says so: a word of the story may name people it cannot count
    alone = service.ask("mas aku bakul sayur, 2 taun kudu nyiapke duit pira", tr)
    assert alone.topic == "total_iuran"  # the premise: the matcher chose the totals entry
    assert "Rp403.200" in plain(alone.text) and "Ini untuk 1 orang" in plain(alone.text)
    assert "Ini untuk 1 orang" not in plain(service.ask("iuran 2 tahun berapa", tr).text)
    # people counted after a number ("12 anggota"), in a story
    group = service.ask("12 anggota paguyuban ojek, satu setengah tahun total iurane pinten?", tr)
    assert group.topic == "total_iuran" and "Rp3.628.800" in plain(group.text)
    # every other rule stands (another programme, an age, no money word unless the message
    # names people and a duration), and a loan is left to the matcher, which does not choose
    # the totals entry for it
    for other in (
        "iuran bpjs kesehatan setahun kudu nyiapke duit piro",
        "umur 40 tahun kudu nyiapke duit piro",
        "5 tahun",  # a duration alone may be a reply to something else
    ):
        assert totals_query(other, know.normaliser, know.matcher.vocabulary, story=True) is None
    for people, months, count in (
        ("aku karo bojoku arep melu setahun", 12, 2),
        ("setaun setengah kanggo wong telu", 18, 3),
        ("sy+istri+bpk, 1 thn", 12, 3),
        # a count before the people it names, as many as they are (was asked how many)
        (
            "sy tukang becak. di rumah ada 4 orang yg kerja: sy, istri jualan sayur, adik sy"
            " tukang parkir, sama anak sulung. kalo semua ikut sebulan totalnya brp",
            1,
            4,
        ),
    ):
        found = totals_query(people, know.normaliser, know.matcher.vocabulary, story=True)
        assert found == TotalsQuery(months, None, count), people
    # ... not as many: which is it?
    vocabulary = know.matcher.vocabulary
    five = "ada 5 orang: sy, istri jualan sayur, adik sy, sama anak sulung. setaun brp"
    assert totals_query(five, know.normaliser, vocabulary, story=True) == Unsure("people", 12)
    # outside a story, only when the message says nothing else than people and time
    assert totals_query("aku karo bojoku arep melu setahun", know.normaliser, vocabulary) is None
    bare = totals_query("terus kalau berdua 3 bulan?", know.normaliser, vocabulary)
    assert bare == TotalsQuery(3, None, 2)
    assert totals_query("sy+istri+bpk, 1 thn", know.normaliser, vocabulary) == TotalsQuery(
        12, None, 3
    )
    assert totals_query("5 tahun", know.normaliser, vocabulary) is None
    assert service.ask("cicilan motor 2 tahun berapa", tr).topic is None
    # the same when the total is the second of two questions
    two = service.ask(f"cara daftar gimana? terus {question}", tr)
    assert two.topics == ("daftar", "total_iuran")  # the premise
    assert "Rp403.200" in plain(two.text) and "25 tahun" not in plain(two.text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("is it 16800 a month? what about a year", TotalsQuery(12)),  # the figure is money talk
        ("16800 a month, what about two years", TotalsQuery(24)),
        ("what about a year", None),  # no money word, no figure: not ours to compute
        ("how much per month for 3 people", TotalsQuery(1, None, 3)),
        ("how much per year", None),  # the monthly entry says the yearly amount too
        ("how much for my 3 workers for a year", TotalsQuery(12, None, 3)),
        # helpers, boys, adults... counted (the 4 helpers were a stray number: asked)
        ("how much for my 4 helpers for 2 years", TotalsQuery(24, None, 4)),
        ("our 2 adults for 1 year how much", TotalsQuery(12, None, 2)),
        ("how much for workers for 2 years", TotalsQuery(24)),  # not a count of people
        ("i am 55 years old, how much for 2 years", TotalsQuery(24)),  # an age
        # a vague word only blurs a quantity close to it
        ("how much is the monthly contribution under this program", None),
        ("how much for under 2 years", Unsure("duration", people=1)),
        # "we are 3" counts everyone (it was a total for one person)
        ("we are three, how much for 6 months", TotalsQuery(6, None, 3)),
        # not joined yet: the speaker's status, not months unpaid
        ("not registered yet, what's the total for 8 months", TotalsQuery(8)),
        ("i havent joined yet how much for 2 years", TotalsQuery(24)),
        ("if i dont pay for 3 months what happens", None),
    ],
)
def test_totals_query_in_english(text: str, expected: TotalsQuery | Unsure | None) -> None:
    know = load_knowledge(LOCALES_DIR).for_locale("en")
    assert totals_query(text, know.normaliser, know.matcher.vocabulary) == expected


@pytest.mark.parametrize(
    ("locale", "text", "expected"),
    [
        # a counted thing is read apart, even in a story
        ("id", "aku duwe gerobak 2, iuran setaun kudu nyiapke duit piro", TotalsQuery(12)),
        # English names people after a thing: never a total for one person; the year is
        # sure, so the bot asks how many people (it asked for the duration)
        ("en", "how much for 3 stall owners for a year", Unsure("people", 12)),
        # trades are people ("8 kuli panggul"), or may be when owned ("punya 2 becak"): asked
        ("id", "punya 2 becak, setaun kudu nyiapke duit piro", Unsure("people", 12)),
        (
            "id",
            "8 kuli panggul langgananku nek tak bayari 4 bulan pira kabeh?",
            TotalsQuery(4, None, 8),
        ),
        # a thing nobody is said to own may stand for its owners: asked
        ("id", "iuran 2 warung setaun kudu nyiapke duit piro", Unsure("people", 12)),
        # a sibling typed with one k is family named without a number: asked (it was a
        # total for one person)
        ("id", "aku karo adiku melu, mbayar limang wulan, kabeh piro", Unsure("people", 5)),
    ],
)
def test_counted_things_in_a_story(
    locale: str, text: str, expected: TotalsQuery | Unsure | None
) -> None:
    assert query_in(locale, text, story=True) == expected


def test_the_monthly_contribution_and_a_total_in_one_message(service: FaqService, tr) -> None:  # type: ignore[no-untyped-def]
    answer = service.ask("berapa sebulan, terus kalau 5 tahun jadi berapa", tr)
    assert answer.kind == "totals" and answer.topics == ("total_iuran", "iuran")
    assert "Rp1.008.000" in answer.text and "Rp16.800 per bulan" in answer.text


def test_a_number_that_is_no_total_gets_its_answer(service: FaqService, tr) -> None:  # type: ignore[no-untyped-def]
    """The calculator asks back only about a total: a message the knowledge base answers with
    another entry gets that answer, not "for how many months?"."""
    answer = service.ask("heard the city is adding 2000 more people this year, is that true?", tr)
    assert not answer.asks_back and answer.topics == ("dibayar_pemkot",)
    assert "2.000" in plain(answer.text)


@pytest.mark.parametrize(
    "question",
    [
        # the wife belongs to the other question (the death benefit): was "for how many people?"
        "Setaun pira, terus nek aku mati bojoku oleh pira?",
        "iuran setahun berapa, kalau saya meninggal istri saya dapat apa?",
    ],
)
def test_family_of_another_question_is_not_counted(service: FaqService, tr, question: str) -> None:  # type: ignore[no-untyped-def]
    answer = service.ask(question, tr)
    assert answer.kind == "totals" and answer.topics == ("total_iuran", "manfaat_kematian")
    text = plain(answer.text)
    assert "Rp201.600" in text and "Rp42 juta" in text
    assert "× 2 orang" not in text


def test_family_of_another_question_without_its_answer(
    service: FaqService, settings: Settings
) -> None:
    """The same when the other question is not answered (too unsure): the total for the one
    asking, which names the death benefit beside it, instead of "for how many people?"; the
    part naming the duration need not be a question ("total for 2 yrs for me")."""
    en = I18n("en", settings.tz).get("en")
    answer = service.ask("total for 2 yrs for me, and what does my wife get if I die?", en)
    assert answer.kind == "totals" and not answer.asks_back
    assert_totals(answer, 16800, (24,), 1)
    assert "Rp42 million" in plain(answer.text)


@pytest.mark.parametrize(
    ("question", "months"),
    [
        # "dan" cut the list of people in two: the total was for one person, said for sure
        ("iuran 2 bulan saya dan adik saya berapa", 2),
        ("iuran 3 bulan aku dan adik berapa", 3),
        # no money word, the family named without a number: the table of totals came
        ("rong sasi aku karo adiku", 2),
    ],
)
def test_people_joined_after_the_duration_are_counted(
    service: FaqService, tr: Translator, question: str, months: int
) -> None:
    """The part after "dan" that only names more people goes on with the list of people who
    join; it asks no question of its own. The total is for the two people named, and how
    many they are stays one tap away."""
    answer = service.ask(question, tr)
    assert answer.asks_back, plain(answer.text)
    # the total's own answer (the totals entry's, when no money word made it the calculator's)
    assert answer.topics == ("total_iuran",), answer.topics
    text = plain(answer.text)
    assert f"× {months} bulan × 2 orang" in text, text
    assert amounts(text) == {16800, 16800 * months * 2, DEATH_BENEFIT}, text


def test_a_list_of_people_is_one_part_of_a_message(service: FaqService, tr: Translator) -> None:
    """The commas of a list of people do not split a message into questions: "simbok, aku"
    is not the mother's total and a second question "aku piro" (the oracle found it), and
    the people a list names are no other question's ("aku, bojoku, garwa kula" read as the
    death benefit beside the total)."""
    answer = service.ask("iurane 6 taun simbok, aku piro", tr)
    assert answer.asks_back and answer.kind != "totals", plain(answer.text)
    # nor is a part that only says an age ("umurku 17 taun" was read as the Perda's year)
    answer = service.ask("umurku 17 taun, iurane 4 taun aku, bojoku, garwa kula piro", tr)
    assert answer.topics == ("total_iuran",), plain(answer.text)
    question = "umurku 17 taun, iurane antara 1 dan 4 taun aku, bojoku, garwa kula piro"
    answer = service.ask(question, tr)
    assert answer.kind == "totals" and answer.topics == ("total_iuran",), plain(answer.text)
    assert_totals(answer, 16800, (12, 48), 3)


def test_another_programmes_contribution_gets_none_of_ours(
    service: FaqService, settings: Settings, tr: Translator
) -> None:
    """A message asking BPJS Kesehatan's contribution gets neither our table of totals nor
    our monthly contribution (the knowledge base has no such figure): it was answered with
    the table of totals. Having KIS is not asking its contribution (its name is not beside a
    money word), and a message naming our programme too is ours."""
    en = I18n("en", settings.tz).get("en")
    answer = service.ask("total bpjs kesehatan contribution me and my 3 kids for 1 year", en)
    assert not {"total_iuran", "iuran"} & set(answer.topics), plain(answer.text)
    assert not amounts(plain(answer.text)), plain(answer.text)
    know = load_knowledge(LOCALES_DIR).for_locale("id")

    def other(text: str) -> bool:
        return names_other_contribution(
            know.normaliser.normalise(text).words, know.normaliser.lexicon
        )

    assert other("iuran bpjs kesehatan setahun berapa")
    assert other("bayar bpjs kesehatan 3 bulan")
    assert not other("sudah punya kis, setahun iurannya berapa")
    assert not other("iuran bpjs tk sama bpjs kesehatan beda ga")  # ours named too


@pytest.mark.parametrize(
    ("question", "locale"),
    [
        ("santunan setahun brp", "id"),
        ("gaji setahun brp", "id"),
        ("upah sebulan berapa", "id"),
        ("beasiswane pertaun pira", "id"),
        ("scholarship how much a year", "en"),
    ],
)
def test_money_received_is_not_the_contribution(
    service: FaqService, settings: Settings, question: str, locale: str
) -> None:
    """A question about money the asker would receive (a benefit, a scholarship, a wage) gets
    neither a total of contributions nor the monthly contribution: "santunan setahun brp"
    was answered "Rp16.800 x 12 bulan = Rp201.600", "upah sebulan berapa" with Rp16.800."""
    answer = service.ask(question, I18n(locale, settings.tz).get(locale))
    assert not {"total_iuran", "iuran"} & set(answer.topics), plain(answer.text)
    assert 201600 not in amounts(plain(answer.text)), plain(answer.text)


def test_an_amount_asked_after_the_money_received_is_that_money(
    service: FaqService, tr: Translator
) -> None:
    """A clause of nothing but how-much words ("total e pira") after one that names money
    received (a scholarship, a benefit) asks that money's amount: "anak dpt beasiswa sampe
    kuliah po? total e pira" got the table of contribution totals beside the scholarship."""
    normaliser = service.knowledge.for_locale("id").normaliser
    asked = "klo bapak meninggal pas kerja, anak dpt beasiswa sampe kuliah po? total e pira"
    assert asks_received_money(asked, normaliser)
    assert asks_received_money("dapet santunan kan? brp totalnya", normaliser)
    # before the money is named, or naming the contribution, the amount may be ours
    assert not asks_received_money("brp totalnya? dapet santunan kan", normaliser)
    assert not asks_received_money("santunan kematian brp? total iuran setahun brp", normaliser)
    answer = service.ask(asked, tr)
    assert "total_iuran" not in answer.topics and answer.topic == "beasiswa", answer.topics
    assert 201600 not in amounts(plain(answer.text))


def test_no_total_for_a_message_that_names_no_amount(service: FaqService, tr: Translator) -> None:
    """The totals entry needs a number or a word of money, paying or price: "ada sosialisasi
    lagi gak thn ini?" got the table of contribution totals beside the socialisation event
    ("thn" leans to it)."""
    normaliser = service.knowledge.for_locale("id").normaliser

    def no_amount(text: str) -> bool:
        return names_no_amount(normaliser.normalise(text).words, normaliser)

    assert no_amount("ada sosialisasi lagi gak thn ini? sy ketinggalan yg februari")
    assert not no_amount("iuran tahun ini")
    assert not no_amount("setahun brp")
    assert not no_amount("3 tahun?")
    answer = service.ask("ada sosialisasi lagi gak thn ini? sy ketinggalan yg februari", tr)
    assert answer.topics == ("sosialisasi",), answer.topics
    assert 201600 not in amounts(plain(answer.text))


@pytest.mark.parametrize(
    ("question", "topics"),
    [
        # the contribution named beside a wage
        ("gajiku sebulan sejuta, iuran setahun brp", ("total_iuran",)),
        # the wage is the story; the other clause asks
        ("penghasilan sy ga tentu, sebulan brp?", ("iuran",)),
        # two questions: the benefit and the contribution
        ("iuran setahun brp, santunane pira", ("total_iuran", "manfaat_kematian")),
        ("santunane pira lan sewulan pira", ("iuran", "manfaat_kematian")),
    ],
)
def test_money_received_beside_the_contribution(
    service: FaqService, tr: Translator, question: str, topics: tuple[str, ...]
) -> None:
    """Money received named beside a question about the contribution keeps that answer."""
    answer = service.ask(question, tr)
    assert set(topics) <= set(answer.topics), plain(answer.text)


@pytest.mark.parametrize(
    "question",
    [
        # the family joins: a statement, not another question
        "aku karo keluarga pengin melu kabeh. setahun pira? bayare nang ndi?",
        "setahun brp buat sekeluarga? bayarnya dimana?",
    ],
)
def test_family_that_joins_is_still_asked_for(service: FaqService, tr, question: str) -> None:  # type: ignore[no-untyped-def]
    answer = service.ask(question, tr)
    assert answer.asks_back and "Untuk berapa orang?" in plain(answer.text)


@pytest.mark.parametrize(
    "question",
    ["bapak saya istri dan anak setahun berapa", "min aku bojoku lan anakku setaun piro"],
)
def test_people_named_without_commas_are_no_question(
    service: FaqService, tr: Translator, question: str
) -> None:
    """People named before a joining word without a list's commas ("bapak saya istri dan
    anak", as dictated) are whom the next clause asks about: "bapak saya istri" was read as
    a question of its own, and the death benefit led the answer to a totals question."""
    answer = service.ask(question, tr)
    assert "manfaat_kematian" not in answer.topics, answer.topics
    assert answer.asks_back and "Untuk berapa orang?" in plain(answer.text)


def test_a_total_beside_a_question_the_calculator_leaves_alone(service: FaqService, tr) -> None:  # type: ignore[no-untyped-def]
    """Lateness keeps the calculator off a message ("telat 3 bulan" is the lapse rule), but
    the part that names the duration still says the total."""
    answer = service.ask("iuran 2 org setaun brp, kalo telat kena denda gk", tr)
    assert set(answer.topics) == {"total_iuran", "cara_bayar"}
    text = plain(answer.text)
    assert "Rp403.200" in text and "25 tahun" not in text
    # one part with the lateness and the duration: the lapse rule, never a total
    late = service.ask("kalau telat bayar 3 bulan gimana", tr)
    assert "Rp50.400" not in plain(late.text)


def test_the_other_question_beside_a_total_is_read_as_any_question_is(
    service: FaqService, tr: Translator
) -> None:
    """Beside a total, the other question was looked for by the matcher alone, which reads
    nothing in "sing mbayar sopo" (who pays); the classifier's reading of the message, as
    for any question (`with_classifier`), finds it."""
    question = "setengah taun pira, sing mbayar sopo"
    order = ["id", "en"]
    assert not choose(service.matchers, question, service.params, order).entries
    answer = service.ask(question, tr)
    assert set(answer.topics) == {"total_iuran", "siapa_bayar"}
    assert "Rp100.800" in plain(answer.text)
    # ... and in one part, where no other part asks: as the whole message reads (`decide`)
    for question, other, amount in (
        ("8 sasi totale pira karo sing mbayar sopo", "siapa_bayar", "Rp134.400"),
        ("aku karo bojoku setaun total pira? iso didaftarke bareng ora", "daftar", "Rp403.200"),
    ):
        answer = service.ask(question, tr)
        assert answer.topics == ("total_iuran", other), (question, answer.topics)
        assert amount in plain(answer.text), question


READERS = {"people": reply_people, "duration": reply_months}


@pytest.mark.parametrize(
    ("asked", "reply", "lang", "expected"),
    [
        # the number of people, after "for how many people?"
        ("people", "3", "id", 3),
        ("people", "3 orang", "id", 3),
        ("people", "2 org", "id", 2),
        ("people", "wong telu", "id", 3),
        ("people", "tiga", "id", 3),
        ("people", "kalih", "id", 2),  # krama
        ("people", "bertiga", "id", 3),
        ("people", "kami berempat", "id", 4),
        ("people", "3 orang pak", "id", 3),
        # thanks, and "for" before the number, say nothing more
        ("people", "3 orang makasih", "id", 3),
        ("people", "buat 3 orang", "id", 3),
        ("people", "kanggo wong telu matur nuwun", "id", 3),
        ("people", "3 people thanks", "en", 3),
        ("people", "3 people", "en", 3),
        ("people", "for 4 people", "en", 4),
        ("people", "two of us", "en", 2),
        # a group: the members of a becak association (more than 20 since December 2026)
        ("people", "25", "id", 25),
        ("people", "25 orang", "id", 25),
        # not a count of people: the reply is read as a question of its own
        ("people", "0", "id", None),
        ("people", "150", "id", None),  # more than the calculator counts (MAX_PEOPLE)
        ("people", "1,5", "id", None),
        ("people", "2 tahun", "id", None),
        ("people", "3 anak", "id", None),  # and the speaker?
        ("people", "iuran", "id", None),
        ("people", "makasih", "id", None),
        ("people", "untuk", "id", None),
        ("people", "3 orang, bayarnya dimana", "id", None),
        # the duration, after "for how many months or years?"
        ("duration", "2 tahun", "id", 24),
        ("duration", "setahun", "id", 12),
        ("duration", "6 bln", "id", 6),
        ("duration", "1 tahun 6 bulan", "id", 18),
        ("duration", "2,5 tahun", "id", 30),
        ("duration", "satu setengah tahun", "id", 18),
        ("duration", "a year and a half", "en", 18),
        ("duration", "18 months", "en", 18),
        ("duration", "2 tahun makasih", "id", 24),
        # not a duration alone: the reply is read as a question of its own
        ("duration", "2", "id", None),
        ("duration", "tahun", "id", None),
        ("duration", "2-3 tahun", "id", None),
        ("duration", "1,3 tahun", "id", None),  # not whole months
        ("duration", "2 minggu", "id", None),
        ("duration", "200 tahun", "id", None),
        ("duration", "3 orang", "id", None),
        ("duration", "iuran 2 tahun", "id", None),  # a question: answered as one
    ],
)
def test_a_reply_to_a_question_back(
    asked: str, reply: str, lang: str, expected: int | None
) -> None:
    normaliser = load_knowledge(LOCALES_DIR).for_locale(lang).normaliser
    assert READERS[asked](reply, normaliser) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the people are known: a reply with the duration completes the question
        ("iuran beberapa tahun berapa", Unsure("duration", people=1)),
        ("iuran suami istri lebih dari 2 tahun berapa", Unsure("duration", people=2)),
        # a stray number may count people: not known
        ("iuran 2 5 tahun berapa", Unsure("duration")),
        ("iuran sekeluarga beberapa tahun berapa", Unsure("duration")),
    ],
)
def test_the_people_known_when_the_duration_is_asked(
    text: str, expected: TotalsQuery | Unsure | None
) -> None:
    know = load_knowledge(LOCALES_DIR).for_locale("id")
    assert totals_query(text, know.normaliser, know.matcher.vocabulary) == expected


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        # numbers apart from a duration that is sure may count people: the bot asks how many
        # (with the count buttons), not for the duration the message gives
        (
            "id",
            "keluarga kami 5 orang, yang kerja 3. yang 2 masih sekolah. setahun totalnya?",
            Unsure("people", 12),
        ),
        (
            "id",
            "aku duwe anak 4, sing wis nyambut gawe mung siji. aku karo anakku kuwi setaun pira?",
            Unsure("people", 12),
        ),
        (
            "en",
            "family of 5, the kids are 7 and 10. how much for the 3 of us for one year?",
            Unsure("people", 12),
        ),
        # ... not a number right before or after it ("2 5 tahun": 2,5 years, or two people?)
        ("id", "iuran 2 5 tahun berapa", Unsure("duration")),
        ("id", "iuran setahun 2 berapa", Unsure("duration")),
    ],
)
def test_numbers_apart_from_a_sure_duration_ask_how_many_people(
    lang: str, text: str, expected: TotalsQuery | Unsure | None
) -> None:
    assert query_in(lang, text) == expected


def test_the_time_a_person_has_worked_is_no_duration_to_pay_for(
    service: FaqService, tr: Translator
) -> None:
    """ "sudah 5 tahun jualan, iurane sasi piro" asks the monthly contribution: the years
    worked ("sudah", a duration, then a word of work or a trade) are no total, also
    when the matcher reads "tahun" as the totals entry. A duration to pay for still is."""
    for worked in (
        "sudah 5 tahun jualan, iurane sasi piro",
        "saya sudah 5 tahun jualan, iuran sebulan berapa?",
        "aku wis 20 taun narik becak, iurane piro",
    ):
        answer = service.ask(worked, tr)
        assert answer.topics == ("iuran",), worked
        assert "Rp16.800 per bulan" in plain(answer.text)
    # in English the work may come first: "been driving an ojek for 10 years"
    for worked in (
        "I've been selling for 5 years, how much is the monthly fee?",
        "my husband has been a fisherman for 20 years, how much per month?",
    ):
        assert service.ask(worked, tr).topics == ("iuran",), worked
    for asked, figure in (
        ("I have been paying for 2 years, what is the total?", "Rp403.200"),
        ("sy sdh 10 th kerja di pasar, iuran setahun brp", "Rp201.600"),
        ("kalau sudah 5 tahun, totalnya berapa", "Rp1.008.000"),
        ("sudah bayar 5 tahun totalnya berapa", "Rp1.008.000"),
        # the year after the work is the one to pay for
        (
            "wong papat sak omah aku bojoku karo anakku loro sing wis kerjo setaun totale piro",
            "Rp806.400",
        ),
    ):
        answer = service.ask(asked, tr)
        assert answer.topic == "total_iuran" and figure in plain(answer.text), asked


def test_years_worked_told_beside_another_question_are_no_total(
    service: FaqService, tr: Translator
) -> None:
    """A part that only tells how long someone has worked, with the work before "udah"
    ("bapak saya narik becak udah 30 tahun"), beside a question that names no price, no
    number and no duration, asks no total: the answer led with "Total iuran selama 30
    tahun". A question that names a duration of its own still gets its total."""
    told = (
        "tukang becak apa masuk daftar yg iurannya dibayarin pemkot bu? "
        "bapak saya narik becak udah 30 tahun"
    )
    answer = service.ask(told, tr)
    assert answer.topic == "dibayar_pemkot" and "total_iuran" not in answer.topics
    assert "Total iuran" not in plain(answer.text)
    asked = "bapak saya narik becak udah 30 tahun. kalau ikut 2 tahun totalnya berapa?"
    answer = service.ask(asked, tr)
    assert answer.topic == "total_iuran" and "Rp403.200" in plain(answer.text)


@pytest.mark.parametrize(
    ("question", "locale", "months", "people"),
    [
        # krama "saha" is "dan": the list went on past it (it asked how many)
        ("kula kaliyan garwa, saha putra setunggal. tigang wulan sedaya pinten?", "id", 3, 3),
        # "mont" is a month (read as "minta", then nothing)
        ("how much for me alone 4 mont", "en", 4, 1),
    ],
)
def test_words_of_a_total_the_lexicon_reads(
    service: FaqService, settings: Settings, question: str, locale: str, months: int, people: int
) -> None:
    """Words the lexicon maps for the calculator: the total for the people and months said."""
    answer = service.ask(question, I18n(locale, settings.tz).get(locale))
    text = plain(answer.text)
    assert answer.topics == ("total_iuran",) and not answer.asks_back, text
    assert amounts(text) <= {16800, 16800 * months, 16800 * months * people, DEATH_BENEFIT}
    assert 16800 * months * people in amounts(text), text


@pytest.mark.parametrize(
    ("question", "months", "people"),
    [
        # the family told one sentence each, then the sentence asking counts them all
        (
            "Kula tiyang Kuripan, tukang cukur. Garwa kula sadeyan pecel. Putra kula kalih "
            "sampun nyambut damel. Adhik kula ugi tumut, ngojek. Menawi gangsal tiyang punika "
            "mbayar piyambak tigang wulan, sedaya dados pinten?",
            3,
            5,
        ),
        ("Saya buruh batik. Suami saya narik becak. Kalau 2 orang 6 bulan berapa?", 6, 2),
        # a count of everyone after children counted and a sibling named without a number
        ("aku, anakku telu, adikku, dadi limang wong, telung sasi pira", 3, 5),
        ("saya, istri, anak 3, adik, jadi 6 orang, 3 bulan berapa", 3, 6),
    ],
)
def test_a_count_of_everyone_settles_the_family_told_before_it(
    service: FaqService, tr: Translator, question: str, months: int, people: int
) -> None:
    """A count of everyone ("gangsal tiyang punika", "dadi limang wong") after the family
    is told, in other sentences or with a number beside the children, is the number of
    people: the bot asked how many though the message said it."""
    assert_counted_total(service.ask(question, tr), months, people)


def assert_counted_total(answer: Answer, months: int, people: int) -> None:
    """The calculator's total for the people counted, asked nothing back (through the totals
    entry when the story outweighs the money words), with the contribution per person and
    the death benefit beside it."""
    assert not answer.asks_back and answer.topics == ("total_iuran",), plain(answer.text)
    text = plain(answer.text)
    assert f"× {months} bulan × {people} orang" in text, text
    assert amounts(text) == {16800, 16800 * months * people, DEATH_BENEFIT}, text


@pytest.mark.parametrize(
    "question",
    [
        # the children only: the speaker and his wife may join too
        "Saya dan istri mau ikut. Anak 2 orang, 6 bulan berapa?",
        # a count of everyone below the people told
        "aku, anakku telu, adikku, dadi loro wong, telung sasi pira",
    ],
)
def test_family_counted_without_everyone_is_asked_about(
    service: FaqService, tr: Translator, question: str
) -> None:
    """Without a count of everyone that covers the family told, the bot asks how many."""
    answer = service.ask(question, tr)
    assert answer.asks_back and answer.kind != "totals", plain(answer.text)


@pytest.mark.parametrize(
    ("question", "months", "people"),
    [
        (
            "Ada 15 tukang parkir binaan RW kami. Sebulan totalnya jadi berapa kalau semua ikut?",
            1,
            15,
        ),
        ("di paguyuban ana 8 tukang becak, setaun pira", 12, 8),
        ("ada dua pedagang keliling 3 bulan brp", 3, 2),
    ],
)
def test_there_are_so_many_workers_counts_them(
    service: FaqService, tr: Translator, question: str, months: int, people: int
) -> None:
    """ "Ada 15 tukang parkir" counts fifteen people ([calculator] `exist_words` before a
    number of `worker_heads`): "ada" read as owning ("punya 2 becak": vehicles), and the bot
    asked how many."""
    assert_counted_total(service.ask(question, tr), months, people)


def test_a_vehicle_one_has_is_no_worker(service: FaqService, tr: Translator) -> None:
    """Becak one has or that are there count no one: the bot asks how many people."""
    for question in ("saya punya 2 becak, setahun berapa", "ada 2 becak setahun berapa"):
        answer = service.ask(question, tr)
        assert answer.asks_back and answer.kind != "totals", plain(answer.text)


def test_not_at_a_company_is_the_speakers_work(service: FaqService, tr: Translator) -> None:
    """ "ora nang perusahaan" (not at a company) tells how the family works, not months
    unpaid ([calculator] `status_words`): the calculator left the message alone."""
    question = "limang wong kabeh kerja dhewe-dhewe ora nang perusahaan. sewulan kabeh pira?"
    assert_counted_total(service.ask(question, tr), 1, 5)
    # months unpaid still are not a total
    assert service.ask("kalau 3 bulan tidak bayar gimana", tr).kind != "totals"


@pytest.mark.parametrize(
    ("question", "months", "people", "lang"),
    [
        # the child of the last sentence is the scholarship's question, not another joiner
        (
            "aku, bojoku, anakku sing gede. rong taun pira? nek aku mati anakku oleh beasiswa ora?",
            24,
            3,
            "id",
        ),
        (
            "saya, suami, adik saya. setahun berapa? kalau suami meninggal, anak saya dapat "
            "beasiswa?",
            12,
            3,
            "id",
        ),
        # one sentence, the other question joined at its end by "and"
        (
            "3 months for me and my sister how much, and what does the family get if I die?",
            3,
            2,
            "en",
        ),
        (
            "a year for my dad and me, how much in total, and what if one of us has an accident "
            "at work?",
            12,
            2,
            "en",
        ),
    ],
)
def test_the_people_of_another_question_are_not_the_totals(
    settings: Settings, service: FaqService, question: str, months: int, people: int, lang: str
) -> None:
    """The people a total is for, in a message that asks another question about people
    (what the family gets, a scholarship for the child): counted without that question's
    sentence or closing part. The bot asked how many, with the total for one person."""
    tr = I18n(lang, settings.tz).get(lang)
    answer = service.ask(question, tr)
    assert "total_iuran" in answer.topics and len(answer.topics) == 2, plain(answer.text)
    assert 16800 * months * people in amounts(plain(answer.text)), plain(answer.text)


@pytest.mark.parametrize(
    ("question", "months", "people"),
    [
        ("saya nunggak 4 bulan, kalau mau dilunasi semua berapa?", 4, 1),
        ("iuran bolong 2 bulan, kudu mbayar pira?", 2, 1),
        ("aku karo bojoku durung mbayar 3 sasi, nek dirapel dadi pira?", 3, 2),
    ],
)
def test_months_unpaid_settled_are_a_total(
    service: FaqService, tr: Translator, question: str, months: int, people: int
) -> None:
    """Months left unpaid, and the message asks what settling them comes to ("dilunasi",
    "dirapel", "kudu mbayar"): their contribution, said to be the contribution alone (the
    office says whether more is due); it was the table of 1, 5, 10 and 25 years."""
    answer = service.ask(question, tr)
    text = plain(answer.text)
    assert not answer.asks_back and "total_iuran" in answer.topics, text
    assert "yang belum dibayar" in text and "mohon dipastikan" in text, text
    assert 16800 * months * people in amounts(text), text
    assert 1008000 not in amounts(text), text  # not the table


@pytest.mark.parametrize(
    "question",
    [
        "belum bayar 3 bulan, dendanya berapa?",  # the fine: the late-payment rule
        "telat 3 bulan bayarnya gimana",  # how to pay
        "kalau 3 bulan tidak bayar gimana",  # the 3-month rule
        "telat 2 wulan isih dilindungi ora?",
    ],
)
def test_months_late_without_settling_them_are_no_total(
    service: FaqService, tr: Translator, question: str
) -> None:
    """Months late without asking what settling them comes to are the late-payment rule."""
    answer = service.ask(question, tr)
    assert answer.kind != "totals" and "cara_bayar" in answer.topics, plain(answer.text)
    assert "yang belum dibayar" not in plain(answer.text)


def test_a_range_of_months_unpaid_says_so(service: FaqService, tr: Translator) -> None:
    """A range of months unpaid gets each end's contribution under an unpaid title."""
    text = plain(service.ask("nunggak 2-3 bulan, kalau dilunasi semua berapa?", tr).text)
    assert text.startswith("Iuran 2 bulan sampai 3 bulan yang belum dibayar"), text
    assert {16800 * 2, 16800 * 3} <= amounts(text), text


def test_the_reply_to_how_many_keeps_the_months_unpaid(service: FaqService, tr: Translator) -> None:
    """Months unpaid for a family the calculator cannot count: it asks how many people, and
    the reply's total is still the unpaid contribution, with what the office confirms."""
    question = "aku karo keluargaku nunggak 3 bulan, nek dilunasi kabeh dadi pira?"
    assert service.ask(question, tr).asks_back
    answer = service.reply_to_question_back(question, "4 orang", tr)
    assert answer is not None
    text = plain(answer.text)
    assert "yang belum dibayar" in text and "mohon dipastikan" in text, text
    assert 16800 * 3 * 4 in amounts(text), text


@pytest.mark.parametrize(
    ("question", "months", "people"),
    [
        ("Our NGO wants to sponsor 10 street vendors for a year. What is the total?", 12, 10),
        ("how much for 20 fishermen for 3 months", 3, 20),
        ("we are 4 becak drivers, 6 months total?", 6, 4),
    ],
)
def test_a_number_of_workers_in_english_counts_them(
    settings: Settings, service: FaqService, question: str, months: int, people: int
) -> None:
    """ "10 street vendors" counts ten people in English as "10 pedagang kaki lima" does in
    Indonesian (the English lexicon reads every trade as "job": its [calculator]
    `trade_tokens`); the bot asked how many. A job one has, and the city's 13 kinds of work,
    count no one."""
    tr = I18n("en", settings.tz).get("en")
    answer = service.ask(question, tr)
    text = plain(answer.text)
    assert not answer.asks_back and "total_iuran" in answer.topics, text
    assert f"× {months} months × {people} people" in text, text
    # one job of one's own is no second person, nor the city's 13 kinds of work 13 people
    for unsure, counted in (
        ("i have 2 jobs, how much for a year", 2),
        ("which 13 jobs does the city pay for, how much for a year", 13),
    ):
        assert 16800 * 12 * counted not in amounts(plain(service.ask(unsure, tr).text))
