"""Normalisation: what people type becomes comparable words and stems."""

from __future__ import annotations

import pytest

from bot.config import LOCALES_DIR, Settings
from bot.faq.normalize import (
    Lexicon,
    LexiconError,
    Normaliser,
    StatedWish,
    load_lexicon,
    negates,
    parse_lexicon,
)
from bot.faq.service import FaqService, load_knowledge
from bot.i18n import I18n


@pytest.fixture(scope="module")
def norm() -> Normaliser:
    return load_knowledge(LOCALES_DIR).for_locale("id").normaliser


def words(norm: Normaliser, text: str) -> list[str]:
    return list(norm.normalise(text).words)


def tokens(norm: Normaliser, text: str) -> list[str]:
    return list(norm.normalise(text).tokens)


def test_case_and_punctuation(norm: Normaliser) -> None:
    assert words(norm, "IURAN??!!") == words(norm, "iuran") == ["iuran"]


def test_repeated_letters(norm: Normaliser) -> None:
    assert words(norm, "bangeeet") == ["banget"]
    assert words(norm, "maaaaaf") == ["maaf"]  # a real double letter survives
    assert words(norm, "haloooo") == ["halo"]


def test_abbreviations_and_javanese(norm: Normaliser) -> None:
    assert words(norm, "nek melu program iki bayare piro?") == [
        "kalau",
        "ikut",
        "program",
        "ini",
        "bayar",
        "berapa",
    ]
    assert words(norm, "gmn carane ndaftar") == ["bagaimana", "cara", "daftar"]
    assert words(norm, "sy udh bs dpt?") == ["saya", "sudah", "bisa", "dapat"]
    assert words(norm, "mbayar iurane nang ngendi") == ["bayar", "iuran", "di", "mana"]


def test_phrases_become_one_token(norm: Normaliser) -> None:
    assert words(norm, "BPJS Ketenagakerjaan") == ["bpjstk"]
    assert words(norm, "bpjs tk") == words(norm, "jamsostek") == ["bpjstk"]
    assert words(norm, "bpjs kesehatan") == words(norm, "KIS") == ["bpjskes"]


def test_number_words(norm: Normaliser) -> None:
    assert words(norm, "dua puluh lima tahun") == ["25", "tahun"]
    assert words(norm, "selawe taun") == ["25", "tahun"]
    assert words(norm, "tiga belas profesi") == ["13", "profesi"]
    assert words(norm, "seratus lima") == ["105"]
    assert words(norm, "setaun") == ["1", "tahun"]
    assert words(norm, "sewulan") == ["1", "bulan"]
    # "sak" on its own before a unit: "sak wulan pinten"
    assert words(norm, "sak wulan") == words(norm, "se bulan") == ["1", "bulan"]
    assert words(norm, "sak taun") == ["1", "tahun"]
    assert words(norm, "rong taun") == ["2", "tahun"]
    # with a possessive, and "per": "sebulannya brp", "iuran perbulannya"
    assert words(norm, "sebulannya") == words(norm, "sebulane") == ["1", "bulan"]
    assert words(norm, "setaune") == ["1", "tahun"]
    assert words(norm, "perbulannya") == words(norm, "per bulan") == ["bulan"]
    assert words(norm, "sebelah") == ["sebelah"]


def test_number_formats(norm: Normaliser) -> None:
    assert words(norm, "Rp16.800") == ["rp", "16800"]
    # zeros are not repeated letters ("bangeeet"): 20.000 stays 20000
    assert words(norm, "20.000") == words(norm, "20000") == ["20000"]
    assert words(norm, "Rp42.000.000") == ["rp", "42000000"]
    assert words(norm, "10thn") == ["10", "tahun"]
    assert words(norm, "2 ribu peserta") == ["2000", "peserta"]
    assert words(norm, "16 ribu 800") == words(norm, "enam belas ribu delapan ratus") == ["16800"]
    assert words(norm, "16 ribu 3 bulan") == ["16000", "3", "bulan"]
    assert words(norm, "42 juta 500 ribu") == ["42000000", "500000"]
    assert words(norm, "kenapa2") == ["risiko"]  # "kenapa-kenapa": something bad happens
    assert words(norm, "anak2") == ["anak", "anak"]


def test_stemming_with_protected_domain_words(norm: Normaliser) -> None:
    assert tokens(norm, "pendaftaran") == ["daftar"]
    assert tokens(norm, "iurannya") == ["iur"]
    # Sastrawi alone would give "serta", "kalong", "tinggal", "obat"
    assert tokens(norm, "peserta") == ["peserta"]
    assert tokens(norm, "pekalongan") == ["pekalongan"]
    assert tokens(norm, "meninggal") == ["meninggal"]
    assert tokens(norm, "berobat") == ["berobat"]


def test_informal_suffixes(norm: Normaliser) -> None:
    assert tokens(norm, "aku pengen diingetin bayar") == ["ingat", "bayar"]
    assert tokens(norm, "dapetnya") == ["dapat"]


def test_trades_become_one_word(norm: Normaliser) -> None:
    assert words(norm, "tukang cukur") == words(norm, "buruh cuci") == ["profesi"]
    assert words(norm, "nelayan") == ["profesi"]
    assert words(norm, "pedagang bisa ikut") == ["profesi", "bisa", "ikut"]
    # a trade word swallows at most two words the lexicon does not know
    assert words(norm, "jualan es keliling bisa ikut") == ["profesi", "bisa", "ikut"]
    assert words(norm, "penjual es teh manis") == ["profesi", "manis"]
    # Javanese active prefix on a trade: "ngojek" (to work as an ojek rider)
    assert words(norm, "aku ngojek") == ["aku", "profesi"]
    # ... but never a word that says a time: "sebulan" is "1 bulan"
    assert words(norm, "jualan jamu sebulan brp") == ["profesi", "1", "bulan", "berapa"]
    assert words(norm, "buruh batikku setaune pira") == ["profesi", "1", "tahun", "berapa"]


def test_a_phrase_of_the_lexicon_is_not_a_trade(norm: Normaliser) -> None:
    assert words(norm, "santunan jasa raharja") == ["santunan", "jasaraharja"]
    assert words(norm, "jasa jahit bisa ikut") == ["profesi", "bisa", "ikut"]


def test_the_benefit_paid_on_a_death_is_the_death_benefit(norm: Normaliser) -> None:
    """ "manfaat kematian" is the santunan of manfaat_kematian, not the list of benefits."""
    assert words(norm, "manfaat kematian berapa") == words(norm, "santunan kematian berapa")
    assert words(norm, "manfaat meninggal brp") == words(norm, "santunan kematian brp")
    assert "santunan" not in words(norm, "apa manfaatnya, meninggal dapat apa")


def test_phrases_over_mapped_words(norm: Normaliser) -> None:
    """'daftar jadi <trade>' asks for a job; '<trade> bisa daftar' asks to join."""
    assert words(norm, "daftar jadi ojol") == words(norm, "daftar jadi satpam")
    assert "profesi" not in words(norm, "daftar jadi ojol")
    assert words(norm, "ojol bisa daftar") == ["profesi", "bisa", "daftar"]
    # the driver of an app is a trade; the app alone, or becoming its driver, is not
    assert words(norm, "driver gojek bisa ikut") == ["profesi", "bisa", "ikut"]
    assert words(norm, "saya mitra grab") == ["saya", "profesi"]
    assert "gojek" in words(norm, "asuransi gojek")
    assert "profesi" not in words(norm, "daftar jadi driver grab")


def test_negated_words_are_not_matched_and_are_told(norm: Normaliser) -> None:
    bukan = norm.normalise("saya bukan PNS, bisa ikut?")
    assert "pns" in bukan.words and bukan.negated == {"pns"}
    assert "pns" not in bukan.tokens
    assert norm.normalise("saya PNS bisa ikut").negated == frozenset()
    assert norm.normalise("kula sanes PNS").negated == norm.normalise("aku dudu PNS").negated
    # said again without a negation, the word counts
    assert norm.normalise("bukan pns, pns bisa ikut").negated == frozenset()


def test_no_before_a_circumstance_negates_like_bukan(norm: Normaliser) -> None:
    """ "tidak" ("ora", "gak", "mboten", "tdk" as typed) negates what follows it only right
    before one of the lexicon's `after_no` words ("tidak saat bekerja", "ora mergo kerjo"):
    alone it asks ("bisa ga?") or says something else ("kalau tidak bayar 3 bulan")."""
    for said in ("tidak saat bekerja", "ora nalika nyambut gawe", "gak krn kerja"):
        found = norm.normalise(f"meninggal karena sakit, {said}")
        assert "kerja" not in found.tokens and found.negated, said
        assert negates(found.words, norm.lexicon), said
    for said in ("kalau tidak bayar 3 bulan", "suami tidak kerja", "bisa ga pas", "bisa gak?"):
        found = norm.normalise(said)
        assert found.negated == frozenset() and not negates(found.words, norm.lexicon), said


def test_a_negation_that_takes_out_nothing_opens_an_alternative(norm: Normaliser) -> None:
    """ "kalau bukan, ..." ("if not") offers another question, it rules nothing out: the
    message does not count as negating (`Normalised.negates`), so a second answer may follow."""
    assert norm.normalise("bukan pns, bisa ikut?").negates
    assert norm.normalise("meninggal karena sakit, tidak saat bekerja").negates
    assert not norm.normalise("tukang parkir dibayari pemkot? kalau bukan, berapa?").negates
    assert not norm.normalise("iuran brp sebulan").negates


def test_an_age_and_may_i_join_asks_for_an_age_limit(norm: Normaliser) -> None:
    """The sources give no age limit: "can I still join at 60?" reads as one ([age_limit]),
    a word of [other_topics], so the bot abstains instead of saying "Bisa"."""
    token = "batasumur"
    for asked in (
        "umur 60 masih bisa daftar?",
        "usia 70 boleh ikut ga",
        "ibu saya sudah 60an, masih boleh ikut program ini?",
        "bapak saya 65 tahun masih bisa daftar?",
        "simbah umure 72 oleh daftar ra",
        # an age asked about, with no number (they got who can join)
        "umur berapa boleh ikut?",
        "usia brp bs ikut sakpore",
        "minimal umur berapa buat daftar",
        # a minor's age, right after an age word (they got who can join)
        "anakku umure 15 wis oleh melu durung",
        "adik saya usia 17 apa sudah bisa didaftarkan",
    ):
        assert norm.normalise(asked).words[-1] == token, asked
        assert token in norm.normalise(asked).tokens, asked
    for other in (
        "saya umur 35 bisa ikut?",  # under min_age
        "sampun 15 taun nyambut damel, saged ndherek?",  # a time worked, not an age
        "umur 5 tahun anak saya, kalau saya ikut dapat beasiswa?",  # a child, not joining
        "mertua saya umurnya 50an, kalau ikut manfaatnya apa?",  # asks the benefits
        "iuran 60 tahun brp",  # a duration, and no joining
        "umur 60 iuran brp",  # the contribution
        "umur 200 bisa ikut",  # not an age
        "anak umur berapa bisa ikut dapat beasiswa",  # the scholarship
        "umur berapa pun bisa ikut, iurannya berapa?",  # the contribution
    ):
        assert token not in norm.normalise(other).words, other
    english = load_knowledge(LOCALES_DIR).for_locale("en").normaliser
    for asked in ("my dad is 68, can he still join", "How old do I have to be to join?"):
        assert "agelimit" in english.normalise(asked).words, asked
    assert "agelimit" in english.normalise("what age can i register").words
    for other in (
        "my mom is 65, what benefits if she joins",
        "how do i join",
        "what is sakpore and who can join?",
    ):
        assert "agelimit" not in english.normalise(other).words, other


def test_an_age_limit_needs_its_token_and_min_age() -> None:
    with pytest.raises(LexiconError, match=r"\[age_limit\] needs a token"):
        parse_lexicon({"age_limit": {"token": "batasumur"}})
    with pytest.raises(LexiconError, match=r"\[age_limit\] needs a token"):
        parse_lexicon({"age_limit": ["batasumur"]})


def test_an_unanswered_question_needs_both_kinds_of_word() -> None:
    with pytest.raises(LexiconError, match=r"\[unanswered.cacat\]"):
        parse_lexicon({"unanswered": {"cacat": {"words": ["cacat"]}}})
    with pytest.raises(LexiconError, match=r"\[unanswered.cacat\]"):
        parse_lexicon({"unanswered": {"cacat": {"words": ["cacat"], "with": "berapa"}}})
    with pytest.raises(LexiconError, match=r"\[unanswered.cacat\]"):
        parse_lexicon(
            {"unanswered": {"cacat": {"words": ["cacat"], "with": ["berapa"], "unles": []}}}
        )
    with pytest.raises(LexiconError, match=r"\[unanswered\] must be a table"):
        parse_lexicon({"unanswered": ["cacat"]})
    rule = parse_lexicon(
        {"unanswered": {"cacat": {"words": ["Cacat"], "with": ["berapa"], "unless": ["kerja"]}}}
    ).unanswered["cacat"]
    assert rule.asked_in(frozenset({"cacat", "berapa"}))
    assert not rule.asked_in(frozenset({"cacat", "santunan"}))
    assert not rule.asked_in(frozenset({"cacat", "berapa", "kerja"}))


def test_javanese_may_before_a_verb(norm: Normaliser) -> None:
    """ "oleh"/"entuk" is "dapat" (get), but before a verb it asks for permission."""
    assert words(norm, "aku oleh melu?") == words(norm, "aku bisa ikut?")
    assert words(norm, "entuk daftar ora") == words(norm, "bisa daftar ora")
    assert words(norm, "angsal ndherek mboten") == words(norm, "saged ndherek mboten")
    assert words(norm, "oleh duit piro") == words(norm, "dapat duit piro")


def test_letters_spelled_out_by_voice_typing(norm: Normaliser) -> None:
    assert words(norm, "je ka em kuwi opo") == words(norm, "jkm kuwi opo")
    assert words(norm, "ka te pe ne ilang") == words(norm, "ktp ne ilang")
    assert words(norm, "be pe je es ketenagakerjaan") == words(norm, "bpjs ketenagakerjaan")
    assert words(norm, "yuran e piro") == words(norm, "iuran e piro")
    # the letters' names alone, or in another order, stay words
    assert words(norm, "ka je") == ["ka", "je"]


def test_phrases_with_a_possessive_suffix(norm: Normaliser) -> None:
    assert words(norm, "ahli warisnya dapat apa") == words(norm, "ahli waris dapat apa")
    assert words(norm, "ahli warise") == ["ahliwaris"]


def test_greetings_dropped_only_beside_a_question(norm: Normaliser) -> None:
    assert tokens(norm, "selamat pagi") == ["selamat", "pagi"]
    assert tokens(norm, "selamat pagi min, iuran berapa") == ["iur", "berapa"]


def test_html_emoji_and_empty(norm: Normaliser) -> None:
    assert words(norm, "<b>halo</b>") == ["halo"]
    assert words(norm, "🙏🙏👍") == []
    assert tokens(norm, "ya dong min") == []


def test_stemming_is_cached(norm: Normaliser) -> None:
    first = norm.normalise("pendaftarannya gimana")
    assert norm.normalise("pendaftarannya gimana") is first


def test_lexicon_errors_are_named() -> None:
    with pytest.raises(LexiconError, match=r"\[words\]"):
        parse_lexicon({"words": {"brp": 3}})
    with pytest.raises(LexiconError, match=r"\[stopwords\]"):
        parse_lexicon({"stopwords": {"words": "yang"}})
    with pytest.raises(LexiconError, match=r"\[negation\] entries"):
        parse_lexicon({"negation": {"entries": {"kecelakaan_kerja": "kerja"}}})
    with pytest.raises(LexiconError, match=r"\[stated_wish\] entry"):
        parse_lexicon({"stated_wish": {"wants": ["mau"], "verbs": ["daftar"]}})
    with pytest.raises(LexiconError, match=r"\[stated_wish\] wants and verbs"):
        parse_lexicon({"stated_wish": {"entry": "daftar", "wants": ["mau"]}})
    assert isinstance(load_lexicon(LOCALES_DIR / "xx" / "lexicon.toml"), Lexicon)


def _wish(not_after: list[str], refused_after: list[str] | None = None) -> StatedWish:
    """A [stated_wish] of registering, in Indonesian and English words."""
    table: dict[str, object] = {
        "entry": "daftar",
        "wants": ["mau", "want"],
        "verbs": ["daftar", "register"],
        "between": ["to"],
        "not_after": not_after,
    }
    if refused_after is not None:
        table["refused_after"] = refused_after
    wish = parse_lexicon({"stated_wish": table}).stated_wish
    assert wish is not None
    return wish


def test_a_stated_wish_is_a_want_before_a_verb_not_on_a_condition() -> None:
    wish = _wish(["kalau", "dont"])
    assert wish.entry == "daftar"
    assert wish.stated_in(["mau", "daftar", "tapi", "takut"])
    assert wish.stated_in(["saya", "mau", "daftar"])
    assert wish.stated_in(["i", "want", "to", "register"])
    assert not wish.stated_in(["kalau", "mau", "daftar"])
    assert not wish.stated_in(["i", "dont", "want", "to", "register"])
    assert not wish.stated_in(["mau", "tanya", "daftar"])
    assert not wish.stated_in(["mau"]) and not wish.stated_in(["want", "to"])
    assert parse_lexicon({}).stated_wish is None


def test_a_wish_refused_rules_its_entry_out() -> None:
    """`refused_after`: "i dont want to register, is my data deleted?" refuses the wish, and
    got how to register beside the data answer; not on a condition ("klo gk, mau daftar
    sendiri gmn": if not, how do I register)."""
    wish = _wish(["kalau", "dont", "tidak"], ["dont", "tidak"])
    assert wish.refused_in(["i", "dont", "want", "to", "register"])
    assert wish.refused_in(["tidak", "mau", "daftar"])
    assert not wish.refused_in(["kalau", "tidak", "mau", "daftar", "sendiri"])
    assert not wish.refused_in(["mau", "daftar"]) and not wish.refused_in(["tidak", "mau"])
    faq = FaqService.load(Settings(_env_file=None))  # type: ignore[call-arg]
    tr = I18n("id", Settings(_env_file=None).tz).get("id")  # type: ignore[call-arg]
    assert "daftar" not in faq.ask("ora pengin daftar, dataku dibusak ora?", tr).topics


def test_joining_as_a_condition_is_taken_out() -> None:
    """[joined_condition]: "habis daftar", "kalau sudah daftar", "if i join" state a step
    already taken; the question is the rest. Joining asked about stays."""
    rule = parse_lexicon(
        {
            "joined_condition": {
                "after": ["habis", "after"],
                "conditions": ["kalau", "if"],
                "persons": ["sudah", "saya", "i", "am"],
                "steps": ["daftar", "register"],
            }
        }
    ).joined_condition
    assert rule is not None
    assert rule.without_steps(["habis", "daftar", "dapat", "apa"]) == ["habis", "dapat", "apa"]
    assert rule.without_steps(["kalau", "sudah", "daftar", "bayar", "mana"]) == [
        "kalau",
        "sudah",
        "bayar",
        "mana",
    ]
    assert rule.without_steps(["after", "i", "am", "register", "how", "pay"]) == [
        "after",
        "i",
        "am",
        "how",
        "pay",
    ]
    # a condition right before joining asks about joining: "kalau daftar lewat hp bisa?"
    kept = ["kalau", "daftar", "lewat", "hp", "bisa"]
    assert rule.without_steps(kept) == kept
    # ... and so does a wish between them, and a step too far from the condition
    assert rule.without_steps(["kalau", "mau", "daftar"]) == ["kalau", "mau", "daftar"]
    far = ["if", "i", "i", "i", "i", "register"]
    assert rule.without_steps(far) == far
    assert parse_lexicon({}).joined_condition is None
    with pytest.raises(LexiconError, match=r"\[joined_condition\] after"):
        parse_lexicon({"joined_condition": {"after": "habis"}})


def test_the_lexicons_take_joining_as_a_condition_out(norm: Normaliser) -> None:
    assert "daftar" not in words(norm, "habis dftr sy dpt apa aja")
    assert "daftar" not in words(norm, "nek wis ndaftar mbayare nang ndi")
    assert "daftar" in words(norm, "kalo daftar lewat hp bisa ga")
    assert "daftar" in words(norm, "kalo mau daftar syaratnya apa")
    english = load_knowledge(LOCALES_DIR).for_locale("en").normaliser
    assert "register" not in words(english, "once we have signed up, where do we pay")
    assert "register" in words(english, "if i want to register what do i need")


def test_a_one_word_phrase_is_refused() -> None:
    """A one-word key in [phrases] would never be used: the lexicon says where it belongs."""
    from bot.faq.normalize import LexiconError, parse_lexicon

    with pytest.raises(LexiconError, match="one word"):
        parse_lexicon({"phrases": {"maturnuwun": "terimakasih"}})


def test_english_words_are_not_indonesian_words_without_vowels(norm: Normaliser) -> None:
    # a word without its vowels is still read ("ktngkrjaan", "sndiri")
    assert words(norm, "ktngkrjaan sndiri") == ["bpjstk", "sendiri"]
    # but an English word of the English lexicon is not spelled into an Indonesian one with
    # its consonants: "for" was read as "free" (gratis), "kids" as "kados", "the" as "tahu"
    for english in ("kids", "sons", "tiny", "leg", "let"):
        assert words(norm, english) == [english]
    # English words typed in Indonesian messages: their function words are dropped, and
    # the shorthands the skeleton used to find are the lexicon's own
    assert tokens(norm, "iuran for my mom") == tokens(norm, "iuran mom")
    assert "gratis" not in words(norm, "daftar for my dad gmn caranya")
    assert "usia" not in words(norm, "use ktp aja bisa berobat?")
    assert words(norm, "2 yrs") == ["2", "tahun"]
    assert words(norm, "3 ppl") == ["3", "orang"]


def test_a_word_without_vowels_is_read_when_its_spellings_mean_one_word(norm: Normaliser) -> None:
    """The consonants of "dftar" are those of "daftar" and of the lexicon's "daftr" and "dftr",
    all read as "daftar": one word, so "dftar" is read as it (it was left unknown, and "cra
    dftar skpore gimna" read as nothing). Consonants shared by words of different meanings
    stay unread: "bcr" may be "bicara" or "bocor"."""
    assert words(norm, "cra dftar skpore gimna") == words(norm, "cara daftar sakpore gimana")
    assert words(norm, "iurn brp") == words(norm, "iuran brp")
    assert words(norm, "nomr kntak") == words(norm, "nomor kontak")
    assert words(norm, "bcr") == ["bcr"]


def test_foreign_words_are_only_those_this_language_does_not_know() -> None:
    lexicon = parse_lexicon({"words": {"sndiri": "sendiri"}})
    plain = Normaliser(lexicon)
    plain.learn(["gratis", "free", "sendiri"])
    assert plain.normalise("for").words == ("free",)  # "fr": the one longer word
    guarded = Normaliser(lexicon, foreign=["for", "sendiri"])
    guarded.learn(["gratis", "free", "sendiri"])
    assert guarded.normalise("for").words == ("for",)
    # a word this language knows stays its own, whatever the other language says
    assert guarded.normalise("sndiri").words == ("sendiri",)


def test_a_learned_word_changes_how_words_read_even_once_read() -> None:
    """A normaliser remembers how it read each word (spelling, affixes, stems); the words it
    learns (the knowledge base's) change that reading, so learning forgets what it read."""
    norm = Normaliser(Lexicon(stopwords=frozenset({"yang"})))
    assert words(norm, "pkrjaan bayare") == ["pkrjaan", "bayare"]
    norm.learn(["pekerjaan", "bayar"])
    # without its vowels, and with a Javanese suffix: both words are now known ones
    assert words(norm, "pkrjaan bayare") == ["pekerjaan", "bayar"]
    assert words(norm, "bayare yang pkrjaan") == ["bayar", "yang", "pekerjaan"]


def test_a_clause_reads_alike_with_or_without_the_spaces_around_it(norm: Normaliser) -> None:
    """The words of a clause are remembered without the spaces around it: a part of a
    message, cut out of it, is read as it was read within the message."""
    assert words(norm, "  iuran brp  ") == words(norm, "iuran brp")
    assert words(norm, "salam, iuran brp? daftar dmn") == [
        *words(norm, "salam"),
        *words(norm, "iuran brp"),
        *words(norm, "daftar dmn"),
    ]
