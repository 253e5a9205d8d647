"""Questions typed in English are understood, in an English chat and in an Indonesian one
(the bot reads a message in the language it is written in), and English look-alikes of
other topics are not answered. The questions are our own, worded unlike the phrasings of
locales/en/faq.toml."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.faq.service import FaqService
from bot.i18n import I18n, Translator

# (question, entry that must answer it)
IN_SCOPE = [
    (
        "my dad passed away last year, he was a member. what does our family receive?",
        "manfaat_kematian",
    ),
    ("what if i get injured on the job", "kecelakaan_kerja"),
    ("i'm a fisherman, can i join too?", "siapa_bisa_ikut"),
    ("do my kids get school money if i die?", "beasiswa"),
    ("where do i enrol", "daftar"),
    ("is there a penalty if i pay late?", "cara_bayar"),
    # a driver of an app is an independent worker, not a question about the app
    ("gojek driver here, can i join?", "siapa_bisa_ikut"),
    ("i drive an online taxi. what if i get hurt on the road while working?", "kecelakaan_kerja"),
    ("i'm an ojol driver, how much is the monthly fee?", "iuran"),
    # the family card (KK) as a document for registering, not a question about getting one
    ("which documents do i need to sign up, just ktp or kk too?", "daftar"),
    # whether JHT must be taken (it is optional): abstained
    ("is my mother required to take jht? money is tight", "jkk_jkm_jht"),
    # the city's work types typed in Indonesian: "kuli panggul" sank the question
    ("does the city pay for kuli panggul", "dibayar_pemkot"),
    # Indonesian words of a death ("ahli waris": the heirs)
    ("if my suami meninggal, what does the ahli waris get", "manfaat_kematian"),
    # a message each month is a reminder
    ("can you text me every month when it's time to pay", "pengingat"),
    ("what would my dad get out of it", "manfaat"),
    # holding KIS: "has" is a stop word, and the message read as "bpjs kesehatan" alone (the
    # difference between the two BPJS)
    ("my mum has kis already, does she still need this one?", "sudah_punya_kis"),
    # a complaint line is a contact
    ("phone number to complain about bpjs kesehatan", "kontak"),
    # the papers to bring are registering's, not a condition of who may join
    ("what papers do i need to join", "daftar"),
    # "receive" is "get": "what would i get" asks the benefits
    ("what would i receive if i join", "manfaat"),
    ("klo joining, who pays the iuran", "siapa_bayar"),
    # "if i join" holds the phrasing "who can join" nearly whole; the classifier reads who pays
    ("if i join who pays", "siapa_bayar"),
    # "if i join" is a condition and was taken out; without "do", nothing was left (the bot
    # said the message was empty)
    ("What I get if I join?", "manfaat"),
    # "online" was a word the English knowledge base did not know: "pay" alone read who pays
    ("can I pay online?", "cara_bayar"),
    # "membership" reads "participant", the benefits' word: who pays got the benefits
    ("who pays for my membership", "siapa_bayar"),
    # "got" reads "get" before "got kis" could read as holding KIS
    ("already got KIS, still need this?", "sudah_punya_kis"),
]
# English look-alikes of other topics: the bot must not answer them
OUT_OF_SCOPE = [
    "how do i cash out my jht",
    "my motorbike crashed, will jasa raharja pay the hospital?",
    "how much is the bpjs health fee for class 2",
    "how to become a grab driver",  # a job, not the programme
    "does gojek pay for my accident insurance",
    "how do i get a new kk",
    "how much are the rt dues a month",  # the neighbourhood's dues, not our contribution
    # "morning" greets only at the opening; it answered "Hello!" here
    "bus times from pekalongan to batang tomorrow morning",
    "send me the walikota's personal whatsapp number",
    "where can my grandpa apply for PBI",
    # getting paid contributions back: the sources say nothing of a refund
    "i want to quit and take back all the iuran i paid",
    # taking one's JHT money out is a withdrawal; "school fee" got the scholarship
    "Can I take my JHT money now? need it for my kid's school fee",
]


@pytest.fixture(scope="module")
def service() -> FaqService:
    return FaqService.load(Settings(_env_file=None))  # type: ignore[call-arg]


def translator(locale: str) -> Translator:
    return I18n(locale, Settings(_env_file=None).tz).get(locale)  # type: ignore[call-arg]


@pytest.mark.parametrize("locale", ["en", "id"])
@pytest.mark.parametrize(("question", "expected"), IN_SCOPE)
def test_an_english_question_is_answered(
    service: FaqService, locale: str, question: str, expected: str
) -> None:
    answer = service.ask(question, translator(locale))
    assert answer.topic == expected, (answer.topic, round(answer.score, 2))


@pytest.mark.parametrize("locale", ["en", "id"])
def test_indonesian_klo_in_an_english_question_is_if(service: FaqService, locale: str) -> None:
    # "klo" (if) was read as a job by its consonants, as "kuli". How to register is answered,
    # after who can join since December 7, 2026 (the answers come in the order the message
    # names them, and "join" comes before "how")
    answer = service.ask("klo i want to join, how", translator(locale))
    assert "daftar" in answer.topics and "dibayar_pemkot" not in answer.topics


@pytest.mark.parametrize("locale", ["en", "id"])
@pytest.mark.parametrize("question", OUT_OF_SCOPE)
def test_an_english_look_alike_is_not_answered(
    service: FaqService, locale: str, question: str
) -> None:
    answer = service.ask(question, translator(locale))
    assert answer.topic is None and not answer.topics, (answer.topics, round(answer.score, 2))


@pytest.mark.parametrize("locale", ["en", "id"])
def test_a_wish_to_register_beside_a_question_gets_how_to_register_too(
    service: FaqService, locale: str
) -> None:
    """The English lexicon's [stated_wish], as the Indonesian one's."""
    answer = service.ask("i want to register but is my nik safe", translator(locale))
    assert answer.topics == ("data_pribadi", "daftar"), answer.topics
    answer = service.ask("i dont want to register, is my data deleted?", translator(locale))
    assert "daftar" not in answer.topics


@pytest.mark.parametrize("locale", ["en", "id"])
def test_a_death_that_was_no_work_accident_never_gets_the_work_accident_sum(
    service: FaqService, locale: str
) -> None:
    for question in (
        "my dad died but it wasnt a work accident, what do we get",
        "he didnt die at work, he was sick. what does the family get",
    ):
        answer = service.ask(question, translator(locale))
        assert answer.topics == ("manfaat_kematian",), (question, answer.topics)
        assert "174" not in answer.text, question


@pytest.mark.parametrize("locale", ["en", "id"])
def test_a_death_while_working_gets_the_work_accident_sum(service: FaqService, locale: str) -> None:
    """ "at", "while" and "during" are stop words, so "died at work" reads "die work": the
    lexicon's [named] work accident, not the death benefit (or the benefits) it got until
    December 2026."""
    for question in (
        "my husband died at work, how much does the family get?",
        "my brother was killed at work, what do we get",
    ):
        answer = service.ask(question, translator(locale))
        assert answer.topics == ("kecelakaan_kerja",), (question, answer.topics)
        assert "174" in answer.text, question


@pytest.mark.parametrize("locale", ["en", "id"])
def test_an_english_total_is_computed_in_either_chat(service: FaqService, locale: str) -> None:
    """ "me and my 2 roommates": both lexicons know as many of the message's words, so in
    an Indonesian chat it was read as Indonesian first, whose calculator does not count the
    roommates, and got the table of totals; the other language's calculator counts them."""
    answer = service.ask("total for me and my 2 roommates for 7 months?", translator(locale))
    assert answer.kind == "totals" and (answer.months, answer.people) == (7, 3)


@pytest.mark.parametrize("locale", ["en", "id"])
def test_both_programmes_named_with_one_bpjs_leave_bpjs_kesehatan_answerable(
    service: FaqService, locale: str
) -> None:
    """ "bpjs TK and kesehatan" names both programmes: "kesehatan" alone was no programme, so
    the message named ours only and the PBI question after it was ruled out as another
    programme's."""
    answer = service.ask("bpjs tk and kesehatan difference. what is pbi", translator(locale))
    assert answer.topics == ("tk_vs_kesehatan", "pbi_ppu"), answer.topics


@pytest.mark.parametrize("locale", ["en", "id"])
def test_a_spouse_named_in_indonesian_is_counted(service: FaqService, locale: str) -> None:
    """ "istri", "suami" are one person each, as "wife", "husband" are."""
    answer = service.ask("me and my istri 6 months how much", translator(locale))
    assert answer.kind == "totals" and (answer.months, answer.people) == (6, 2)


@pytest.mark.parametrize("locale", ["en", "id"])
def test_a_family_of_n_is_counted(service: FaqService, locale: str) -> None:
    """ "a family of 4" is four people: the number after "of" was neither people nor a
    duration, so no total was given."""
    answer = service.ask("we are a family of 4, how much for one year", translator(locale))
    assert answer.kind == "totals" and (answer.months, answer.people) == (12, 4)
