"""Turn what people type into comparable tokens.

    "Nek melu program iki bayare piro??" -> words  ["kalau", "ikut", "program", "ini", "bayar",
                                                     "berapa"]
                                          -> tokens ["ikut", "program", "bayar", "berapa"]

Steps: Unicode and case folding, number formats ("16.800", "10thn", "kenapa2"), punctuation,
repeated letters ("bangeeet"), the team's slang/Javanese lexicon (`locales/id/lexicon.toml`),
number words ("dua puluh lima", "selawe", "setaun"), then stop words out and stemming with
Sastrawi, except for protected domain words. Stems are cached.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, ClassVar, TypeVar

# the word a trade becomes ("tukang cukur", and the lexicon maps "becak", "ojek"... to it)
PROFESSION = "profesi"
MAX_INPUT_CHARS = 1000  # the service refuses longer questions
MAX_AGE = 120  # a larger number is not an age ([age_limit])
MIN_MINOR_AGE = 10  # a smaller number after "umur" is no one asking to join ([age_limit])
# Where a clause ends: sentence punctuation, line breaks, and a comma or full stop that is
# not inside a number ("1,5", "16.800"). Negation stops there.
CLAUSE_BREAK = re.compile(r"[?!;:\n]+|[.,](?!\d)|(?<!\d)[.,]")
NEGATION_SCOPE = 2  # content words after "bukan" that are not matched
_NOTHING: frozenset[str] = frozenset()
CLAUSE_MEMO = 20_000  # clauses whose words a normaliser remembers
_T = TypeVar("_T")
WORD_MEMO = 50_000  # single words whose reading (spelling, expansion, stem) it remembers
_APOSTROPHES = re.compile(r"['’`´]")
_TAGS = re.compile(r"</?[a-z][a-z0-9]{0,10}[^<>]{0,40}>")
_THOUSANDS = re.compile(r"(?<=\d)[.,](?=\d{3}(?!\d))")
_RUPIAH = re.compile(r"\brp\.?\s*(?=\d)")
_REDUPLICATION = re.compile(r"\b([a-z]{2,})2\b")
_DIGIT_LETTER = re.compile(r"(?<=\d)(?=[a-z])")
_DIGIT = re.compile(r"\d")
_SPLIT = re.compile(r"[^a-z0-9]+")
# letters only: "20000" and "Rp42.000.000" keep their zeros
_RUN3 = re.compile(r"([a-z])\1{2,}")
_NUMBER = re.compile(r"^\d+$")
# "bayarnya", Javanese "bayare", "iurane", and "-nya" typed short ("manfaatny", "bedany")
_POSSESSIVE = ("nya", "ny", "ne", "e")
_VOWELS = re.compile(r"[aiueo]")
SKELETON_MIN_LENGTH = 4  # shorter words are too many to be told apart by their consonants


def _remember(memo: dict[str, _T], key: str, value: _T) -> None:
    """Put `value` in `memo`, emptied first when it holds `WORD_MEMO` items."""
    if len(memo) >= WORD_MEMO:
        memo.clear()
    memo[key] = value


def skeleton(word: str) -> str:
    """The first letter and the consonants after it: "ketenagakerjaan" -> "ktngkrjn"."""
    return word[:1] + _VOWELS.sub("", word[1:])


class LexiconError(Exception):
    """The lexicon file is unreadable or malformed."""


@dataclass(frozen=True)
class Intent:
    verbs: frozenset[str]
    wants: frozenset[str]
    imperatives: frozenset[str]
    objects: frozenset[str]


@dataclass(frozen=True)
class StatedWish:
    """A wish to join stated beside another question (the lexicon's [stated_wish]): one of
    `wants` right before one of `verbs`, or with one of `between` between them ("mau daftar",
    "badhe ndaftar" as the lexicon reads them, "want to register"), not right after one of
    `not_after` ("kalau mau daftar" asks on a condition, "tidak mau daftar" is no wish).
    `entry` answers beside that question. Right after one of `refused_after` the wish is
    refused ("i dont want to register, is my data deleted?"): the message rules `entry` out."""

    entry: str
    wants: frozenset[str]
    verbs: frozenset[str]
    not_after: frozenset[str] = frozenset()
    between: frozenset[str] = frozenset()
    refused_after: frozenset[str] = frozenset()

    def stated_in(self, words: Sequence[str]) -> bool:
        return any(i == 0 or words[i - 1] not in self.not_after for i in self._wished(words))

    def refused_in(self, words: Sequence[str]) -> bool:
        # not on a condition: "klo gk, mau daftar sendiri gmn" ("if not") asks how to register
        return any(
            i
            and words[i - 1] in self.refused_after
            and (i < 2 or words[i - 2] not in self.not_after)
            for i in self._wished(words)
        )

    def _wished(self, words: Sequence[str]) -> Iterator[int]:
        """Where a word of `wants` stands before one of `verbs`."""
        for i, word in enumerate(words[:-1]):
            if word not in self.wants:
                continue
            after = i + 2 if words[i + 1] in self.between else i + 1
            if after < len(words) and words[after] in self.verbs:
                yield i


@dataclass(frozen=True)
class JoinedCondition:
    """Joining as the condition of another question (the lexicon's [joined_condition]): "habis
    daftar sy dpt apa aja?", "kalo udah daftar bayarnya dimana", "after i register how do i
    pay" ask what comes after joining, not how to join. A word of `steps` ("daftar", "join")
    right after one of `after` ("habis", "once"), or after one of `conditions` ("kalau",
    "if") with one to `MAX_BETWEEN` words of `persons` between ("kalau sudah daftar", "if i
    join"), is taken out of the message; "kalau daftar lewat hp bisa?" and "kalau mau daftar"
    keep it."""

    after: frozenset[str]
    conditions: frozenset[str]
    persons: frozenset[str]
    steps: frozenset[str]

    MAX_BETWEEN: ClassVar[int] = 3

    def without_steps(self, words: list[str]) -> list[str]:
        """`words` without the steps of joining that are a condition."""
        taken: set[int] = set()
        for i, word in enumerate(words):
            if word not in self.after and word not in self.conditions:
                continue
            j = i + 1
            while j < len(words) and j - i <= self.MAX_BETWEEN and words[j] in self.persons:
                j += 1
            if j < len(words) and words[j] in self.steps and (word in self.after or j > i + 1):
                taken.add(j)
        return [w for k, w in enumerate(words) if k not in taken] if taken else words


@dataclass(frozen=True)
class NamedEntry:
    """How a message names an entry beyond doubt (the lexicon's [named]): every phrase of one
    of `phrases` (matcher tokens, each phrase's words next to each other: "pas kerja", not
    "kerja ... meninggal pas sakit"), the more general entries it is answered instead of, and
    the entries it is answered beside (a comparison of two deaths answered with one)."""

    phrases: tuple[tuple[tuple[str, ...], ...], ...]
    instead_of: frozenset[str]
    beside: frozenset[str] = frozenset()

    def named_in(
        self, tokens: Sequence[str], present: set[str] | frozenset[str] | None = None
    ) -> bool:
        """`present`: the set of `tokens`, when the caller has it. A phrase is looked for only
        when all its words are there."""
        present = set(tokens) if present is None else present
        return any(
            all(present.issuperset(p) and next(_found(tokens, p), None) is not None for p in group)
            for group in self.phrases
        )


def _found(tokens: Sequence[str], phrase: tuple[str, ...]) -> Iterator[int]:
    """Where `phrase` starts in `tokens`, its words next to each other."""
    n = len(phrase)
    return (i for i in range(len(tokens) - n + 1) if tuple(tokens[i : i + n]) == phrase)


@dataclass(frozen=True)
class Unanswered:
    """A question the sources do not answer, told by two kinds of word in one part of a
    message (the lexicon's [unanswered]): one of `words` and one of `with` (and one of `also`,
    when given), and none of `unless` ("klaim" with "syarat" asks how to claim; with
    "hubungi" it asks for a person)."""

    words: frozenset[str]
    with_: frozenset[str]
    unless: frozenset[str] = frozenset()
    also: frozenset[str] = frozenset()

    def asked_in(self, said: frozenset[str]) -> bool:
        return bool(
            said & self.words
            and said & self.with_
            and (not self.also or said & self.also)
            and not said & self.unless
        )


@dataclass(frozen=True)
class AgeLimit:
    """An age and whether one may join: the sources give no age limit (DOMAIN.md), so "umur 60
    masih bisa daftar?", "usia 70 boleh ikut ga" and "my dad is 68, can he still join" ask
    about one, and read as its word (`token`, one of [other_topics]): the bot abstains and
    offers a person instead of answering "Bisa" (the lexicon's [age_limit]). So does an age
    asked about: "umur berapa boleh ikut?", "how old do I have to be to join?" (one of the
    `asks` phrases) got who can join, which says nothing of an age."""

    token: str
    min_age: int
    ages: frozenset[str]  # "umur", "usia", "aged": the number after one of them is an age
    after: frozenset[str]  # "tahun", "an" ("60an"): after a number of `min_age` or more
    joins: frozenset[str]  # "ikut", "daftar", "join": the message asks whether one may join
    others: frozenset[str]  # "manfaat", "iuran": ... unless it asks something else
    # "ribu", "juta": a number before one is money ("sedina olih 80an ewu"), not an age
    scales: frozenset[str] = frozenset()
    # phrases that ask an age ("umur berapa", "how old", "what age")
    asks: tuple[tuple[str, ...], ...] = ()
    # a minor's age, under this and from MIN_MINOR_AGE, right after one of `ages` ("anakku
    # umur 16 wis iso didaftarke?"): 0 for none. Not before "tahun": "sudah 15 tahun" is a
    # time worked
    minor_below: int = 0

    @cached_property
    def _asking(self) -> frozenset[str]:
        """The words of `asks` that ask ("berapa", "how", "old"), not the age words."""
        return frozenset(w for phrase in self.asks for w in phrase) - self.ages

    def asked(self, words: Sequence[str]) -> bool:
        present = set(words)
        others = present & self.others
        if not present & self.joins or others - self._asking:
            return False
        # a phrase that asks an age, and no asking word outside one: "berapa" elsewhere asks
        # something else ("umur berapa pun bisa ikut, iurannya berapa?")
        inside = {
            i + k for phrase in self.asks for i in _found(words, phrase) for k in range(len(phrase))
        }
        if inside and all(i in inside for i, w in enumerate(words) if w in self._asking):
            return True
        if others:
            return False
        for i, word in enumerate(words):
            if not word.isdigit() or set(words[i + 1 : i + 3]) & self.scales:
                continue
            aged = bool(set(words[max(0, i - 2) : i]) & self.ages)
            if MIN_MINOR_AGE <= int(word) < self.minor_below and aged:
                return True
            if not self.min_age <= int(word) <= MAX_AGE:
                continue
            if aged or set(words[i + 1 : i + 2]) & self.after:
                return True
        return False


@dataclass(frozen=True)
class Lexicon:
    phrases: Mapping[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    # matched after single words are mapped: keys may use mapped words ("profesi")
    mapped_phrases: Mapping[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    words: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    numbers: Mapping[str, int] = field(default_factory=dict)
    multipliers: Mapping[str, int] = field(default_factory=dict)
    teens: Mapping[str, int] = field(default_factory=dict)
    scales: Mapping[str, int] = field(default_factory=dict)
    units: Mapping[str, int] = field(default_factory=dict)
    stopwords: frozenset[str] = frozenset()
    protected: frozenset[str] = frozenset()
    courtesy: frozenset[str] = frozenset()
    # the courtesy words that name a time of day: a greeting only at the opening or after
    # another courtesy word (FaqService.small_talk)
    courtesy_times: frozenset[str] = frozenset()
    # the greetings a reply returns before its answer ("assalamualaikum, becak bisa ikut?":
    # "Waalaikumsalam" first; FaqService.ask)
    courtesy_returned: frozenset[str] = frozenset()
    # whom a greeting addresses ("hai sakpore": FaqService.reading_inputs)
    courtesy_addressees: frozenset[str] = frozenset()
    profession_heads: frozenset[str] = frozenset()
    not_duration: frozenset[str] = frozenset()
    money_words: frozenset[str] = frozenset()
    not_total: frozenset[str] = frozenset()
    question_words: frozenset[str] = frozenset()
    # words that ask when they open a clause, by inversion ("does she need both", "is it
    # covered"), also after one of `question_openers_after` ("and would my sisters get...")
    question_openers: frozenset[str] = frozenset()
    question_openers_after: frozenset[str] = frozenset()
    programs: frozenset[str] = frozenset()
    # the words that name our programme by its own name ("sakpore"), which runs on one of
    # `programs` (`own_program`): "kis udh ada, sakpore perlu?" names both programmes
    own_program: str = ""
    own_program_words: frozenset[str] = frozenset()
    # "bukan kerja": the words after one of these, in the same clause, are not matched
    negators: frozenset[str] = frozenset()
    # "no" ("tidak": "ora", "gak", "mboten"...) negates like them right before one of
    # `negated_after_no`: "meninggal karena sakit, tidak saat bekerja", "ora mergo kerjo";
    # alone it does not ("bisa ga?", "kalau tidak bayar 3 bulan")
    no_words: frozenset[str] = frozenset()
    negated_after_no: frozenset[str] = frozenset()
    # entry id -> words: the entry is never the answer to a message negating one of them
    # ("meninggal ditabrak motor, bukan pas kerja" is no work accident)
    negated_entries: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # entry id -> words (as the matcher reads them): a message naming one of them that negates
    # the words of one of `negated_entries` but names it again gets the entry beside it
    # ("bapak meninggal karena stroke, bukan pas kerja. masih dapat uang atau cuma kalau
    # kecelakaan kerja?" is a death not at work: the death benefit, not the work accident alone)
    negated_beside: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # entry ids a second question may ask in a message with a negation (`second_question` adds
    # none otherwise): their answers name no benefit the negation may rule out
    second_anyway: frozenset[str] = frozenset()
    # entry id -> its phrases and the entries it is answered instead of or beside: a message
    # that says every phrase of one set (as the matcher reads them), with no negation, gets
    # the entry instead of one of those ("meninggal dunia akibat kecelakaan kerja" asks the
    # work-accident sum, not the death benefit), or beside it: the lexicon's [named]
    named_entries: Mapping[str, NamedEntry] = field(default_factory=dict)
    # a wish to join stated beside another question ([stated_wish]): its entry answers too
    stated_wish: StatedWish | None = None
    # words that point to another programme or topic ("prakerja", "bansos", "pinjol"): not
    # known to the knowledge base, they count fully against a question (see the matcher)
    other_topics: frozenset[str] = frozenset()
    # words that refer back to what a message said before ("it", "tersebut"): a question
    # joined after one about another topic that says one is about that topic
    refer_back: frozenset[str] = frozenset()
    # the entries such a joined question may ask of the other topic as well ("KIP kuliah
    # daftarnya kapan? terus beasiswanya sampai kapan?"): not answered after one
    follow_ups: frozenset[str] = frozenset()
    # another regulation than ours: one of `regulation_heads` ("perda", "perwal") followed,
    # past `regulation_links` ("tentang", "soal"), by one of `regulation_topics` ("perda
    # parkir", "perda tentang sampah"): another topic ([other_regulations])
    regulation_heads: frozenset[str] = frozenset()
    regulation_links: frozenset[str] = frozenset()
    regulation_topics: frozenset[str] = frozenset()
    # questions the sources do not answer, each told by two kinds of word in one part of a
    # message: how to claim ("klaim 42 jutane syarate opo?", but not "ngurus klaim kudu
    # hubungi sopo"), a disability's sum, one's membership number or status, paying ahead,
    # another city's programme ([unanswered], by table name): another topic
    unanswered: Mapping[str, Unanswered] = field(default_factory=dict)
    # words of the stories people tell around a question ("janda", "tetangga", "kemarin"):
    # not known to the knowledge base, they weigh little against a question
    ordinary: frozenset[str] = frozenset()
    # words that only ask whether what was just said is true ("bener gak?", "tenan ra?",
    # "is that true?"): a part of nothing else asks the part before it (see choose.py)
    confirmation: frozenset[str] = frozenset()
    # words that only ask whether what was just said can be done ("bisa min?", "iso ra?",
    # "emang boleh?"): with `confirmation`, a part of nothing else asks the part before it
    possible: frozenset[str] = frozenset()
    # words as typed that close a question ("ojol bs ikut gk | brp sebulan"): where a message
    # without punctuation is cut into its questions (see choose.clauses)
    clause_ends: frozenset[str] = frozenset()
    # words (as they read after the lexicon) after which a closing word closes nothing: "klo
    # ga masuk iurannya brp" is one question ("if not"), not "klo ga" + "masuk iurannya brp"
    clause_ends_not_after: frozenset[str] = frozenset()
    # a part of a message of several made of these alone asks the price ("brp, byr dmn",
    # "dftr gmn + brp"): the entry `price_entry` ([price_clause]), unless the message's answer
    # is one of `price_not_after`, which names an amount of its own ("meninggal dapat apa?
    # brp?" asks that amount)
    price_words: frozenset[str] = frozenset()
    price_entry: str | None = None
    price_not_after: frozenset[str] = frozenset()
    # a message that opens with one of these (as they read after the lexicon: "minta info
    # iuran sm manfaatnya", "tanya iuran sama santunan kematian") and asks nothing else names
    # its questions one by one, joined by punctuation or one of `request_joins` (as typed);
    # `request_dropped` (and the request words) are left out of each question's words (see
    # FaqService._clauses)
    requests: frozenset[str] = frozenset()
    request_joins: frozenset[str] = frozenset()
    request_dropped: frozenset[str] = frozenset()
    intents: Mapping[str, Intent] = field(default_factory=dict)
    # the totals calculator's word lists ([calculator]: half_words, range_words, ...) and
    # phrases that name a number of people ([people]: "berdua" = 2)
    calculator: Mapping[str, frozenset[str]] = field(default_factory=dict)
    people: Mapping[str, int] = field(default_factory=dict)
    # month names and their number in the year ([months]: "januari" = 1, "des" = 12): a span
    # of months ("maret sampai desember") is a duration the calculator counts
    months: Mapping[str, int] = field(default_factory=dict)
    age_limit: AgeLimit | None = None
    joined_condition: JoinedCondition | None = None

    @property
    def max_phrase(self) -> int:
        return max((len(k) for k in self.phrases), default=0)

    def phrase_starts(self) -> frozenset[tuple[str, str]]:
        """The first two words of every multi-word phrase."""
        return frozenset((k[0], k[1]) for k in self.phrases if len(k) > 1)

    @cached_property
    def asks_before(self) -> frozenset[str]:
        """The words a part of a message may be made of to ask the part before it
        (`confirmation` and `possible`)."""
        return self.confirmation | self.possible

    @cached_property
    def open_before_end(self) -> frozenset[str]:
        """The words as typed after which a closing word closes nothing (`clause_ends_not_after`
        and the words the lexicon maps to one of them: "klo", "nek", "menawi")."""
        keep = self.clause_ends_not_after
        return keep | frozenset(w for w, v in self.words.items() if len(v) == 1 and v[0] in keep)

    def vocabulary(self, phrase_keys: bool = True) -> set[str]:
        """Every word the lexicon itself knows (its keys and values; without the words that
        only occur inside multi-word phrases when `phrase_keys` is false)."""
        known: set[str] = set(self.words) | set(self.numbers) | set(self.units)
        for value in self.words.values():
            known.update(value)
        for key, value in self.phrases.items():
            if phrase_keys:
                known.update(key)
            known.update(value)
        for key, value in self.mapped_phrases.items():
            known.update(key)
            known.update(value)
        known |= self.stopwords | self.protected | self.not_duration | self.courtesy
        known |= self.money_words | self.not_total | self.question_words | self.programs
        known |= self.negators | self.ordinary | self.confirmation | self.possible
        known |= set(self.multipliers) | set(self.teens) | set(self.scales)
        for intent in self.intents.values():
            known |= intent.verbs | intent.wants | intent.imperatives | intent.objects
        return known


def _words_of(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, str) or not value.strip():
        raise LexiconError(f"{where}: must be a non-empty text")
    return tuple(value.lower().split())


def negator_at(words: Sequence[str], i: int, lexicon: Lexicon) -> bool:
    """The word at `i` negates what follows: a negator ("bukan"), or "no" right before one of
    the lexicon's `negated_after_no` that another word follows ("tidak saat bekerja")."""
    word = words[i]
    if word in lexicon.negators:
        return True
    return (
        word in lexicon.no_words and i + 2 < len(words) and words[i + 1] in lexicon.negated_after_no
    )


def negates(words: Sequence[str], lexicon: Lexicon) -> bool:
    """A word of `words` negates what follows it (`negator_at`)."""
    if not lexicon.negators.isdisjoint(words):
        return True
    return not lexicon.no_words.isdisjoint(words) and any(
        negator_at(words, i, lexicon) for i in range(len(words))
    )


def _word_list(data: Mapping[str, Any], section: str, key: str = "words") -> frozenset[str]:
    table = data.get(section, {})
    words = table.get(key, []) if isinstance(table, dict) else None
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise LexiconError(f"[{section}] {key} must be a list of texts")
    return frozenset(w.lower() for w in words)


def _text(data: Mapping[str, Any], section: str, key: str) -> str:
    table = data.get(section, {})
    value = table.get(key, "") if isinstance(table, dict) else None
    if not isinstance(value, str):
        raise LexiconError(f"[{section}] {key} must be a text")
    return value.lower()


def _int_table(data: Mapping[str, Any], section: str) -> dict[str, int]:
    table = data.get(section, {})
    if not isinstance(table, dict) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in table.values()
    ):
        raise LexiconError(f"[{section}] values must be whole numbers")
    return {k.lower(): v for k, v in table.items()}


def _months(data: Mapping[str, Any]) -> dict[str, int]:
    months = _int_table(data, "months")
    if not all(1 <= v <= 12 for v in months.values()):
        raise LexiconError("[months] values must be months of the year, 1 to 12")
    return months


def _calculator_lists(data: Mapping[str, Any]) -> dict[str, frozenset[str]]:
    table = data.get("calculator", {})
    if not isinstance(table, dict):
        raise LexiconError("[calculator] must be a table")
    return {key: _word_list(data, "calculator", key) for key in table}


def parse_lexicon(data: Mapping[str, Any]) -> Lexicon:
    """A Lexicon from the parsed TOML; raises LexiconError naming the bad section."""
    phrases_raw = data.get("phrases", {})
    mapped_raw = data.get("mapped_phrases", {})
    words_raw = data.get("words", {})
    if not all(isinstance(t, dict) for t in (phrases_raw, mapped_raw, words_raw)):
        raise LexiconError("[phrases], [mapped_phrases] and [words] must be tables of text = text")
    phrases = {
        tuple(k.lower().split()): _words_of(v, f"[phrases] {k!r}") for k, v in phrases_raw.items()
    }
    for phrase in phrases:
        if len(phrase) < 2:  # _map only looks for phrases of two words or more
            raise LexiconError(f"[phrases] {' '.join(phrase)!r} is one word: put it in [words]")
    mapped_phrases = {
        tuple(k.lower().split()): _words_of(v, f"[mapped_phrases] {k!r}")
        for k, v in mapped_raw.items()
    }
    words = {k.lower(): _words_of(v, f"[words] {k!r}") for k, v in words_raw.items()}
    intents: dict[str, Intent] = {}
    raw_intents = data.get("intents", {})
    if not isinstance(raw_intents, dict):
        raise LexiconError("[intents] must be a table")
    for name, table in raw_intents.items():
        if name in ("question_words", "question_openers", "question_openers_after"):
            continue
        if not isinstance(table, dict):
            raise LexiconError(f"[intents.{name}] must be a table")
        parts = {}
        for key in ("verbs", "wants", "imperatives", "objects"):
            values = table.get(key, [])
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise LexiconError(f"[intents.{name}] {key} must be a list of texts")
            parts[key] = frozenset(v.lower() for v in values)
        intents[name] = Intent(**parts)
    return Lexicon(
        phrases=phrases,
        mapped_phrases=mapped_phrases,
        words=words,
        numbers=_int_table(data, "numbers"),
        multipliers=_int_table(data, "number_multipliers"),
        teens=_int_table(data, "number_teens"),
        scales=_int_table(data, "number_scales"),
        units=_int_table(data, "units"),
        stopwords=_word_list(data, "stopwords"),
        protected=_word_list(data, "protected"),
        courtesy=_word_list(data, "courtesy"),
        courtesy_times=_word_list(data, "courtesy", "times"),
        courtesy_returned=_word_list(data, "courtesy", "returned"),
        courtesy_addressees=_word_list(data, "courtesy", "addressees"),
        profession_heads=_word_list(data, "profession", "heads"),
        not_duration=_word_list(data, "not_duration"),
        money_words=_word_list(data, "calculator", "money_words"),
        not_total=_word_list(data, "calculator", "not_total"),
        question_words=_word_list(data, "intents", "question_words"),
        question_openers=_word_list(data, "intents", "question_openers"),
        question_openers_after=_word_list(data, "intents", "question_openers_after"),
        programs=_word_list(data, "programs", "names"),
        own_program=_text(data, "programs", "ours"),
        own_program_words=_word_list(data, "programs", "ours_named"),
        negators=_word_list(data, "negation"),
        no_words=_word_list(data, "negation", "no"),
        negated_after_no=_word_list(data, "negation", "after_no"),
        other_topics=_word_list(data, "other_topics"),
        refer_back=_word_list(data, "other_topics", "refer_back"),
        follow_ups=_word_list(data, "other_topics", "follow_ups"),
        regulation_heads=_word_list(data, "other_regulations", "heads"),
        regulation_links=_word_list(data, "other_regulations", "links"),
        regulation_topics=_word_list(data, "other_regulations", "topics"),
        unanswered=_unanswered(data),
        ordinary=_word_list(data, "ordinary"),
        confirmation=_word_list(data, "confirmation"),
        possible=_word_list(data, "confirmation", "possible"),
        clause_ends=_word_list(data, "clause_ends"),
        clause_ends_not_after=_word_list(data, "clause_ends", "not_after"),
        price_words=_word_list(data, "price_clause"),
        price_entry=_price_entry(data),
        price_not_after=_word_list(data, "price_clause", "not_after"),
        requests=_word_list(data, "requests"),
        request_joins=_word_list(data, "requests", "joins"),
        request_dropped=_word_list(data, "requests", "dropped"),
        intents=intents,
        calculator=_calculator_lists(data),
        people=_int_table(data, "people"),
        months=_months(data),
        age_limit=_age_limit(data),
        negated_entries=_entry_words(data, "entries"),
        negated_beside=_entry_words(data, "beside"),
        second_anyway=_word_list(data, "negation", "second_anyway"),
        named_entries=_named_entries(data),
        stated_wish=_stated_wish(data),
        joined_condition=_joined_condition(data),
    )


def _joined_condition(data: Mapping[str, Any]) -> JoinedCondition | None:
    """[joined_condition]: after, conditions, persons, steps = [word, ...]."""
    if "joined_condition" not in data:
        return None
    after, conditions, persons, steps = (
        _word_list(data, "joined_condition", key)
        for key in ("after", "conditions", "persons", "steps")
    )
    return JoinedCondition(after, conditions, persons, steps)


def _stated_wish(data: Mapping[str, Any]) -> StatedWish | None:
    """[stated_wish]: entry = entry id, wants, verbs, not_after = [word, ...]."""
    table = data.get("stated_wish")
    if table is None:
        return None
    entry = table.get("entry") if isinstance(table, dict) else None
    if not (isinstance(entry, str) and entry):
        raise LexiconError("[stated_wish] entry must be an entry id")
    wants, verbs = (_word_list(data, "stated_wish", k) for k in ("wants", "verbs"))
    if not wants or not verbs:
        raise LexiconError("[stated_wish] wants and verbs must list words")
    not_after, between, refused = (
        _word_list(data, "stated_wish", k) for k in ("not_after", "between", "refused_after")
    )
    return StatedWish(entry, wants, verbs, not_after, between, refused)


def _price_entry(data: Mapping[str, Any]) -> str | None:
    """[price_clause] entry: the entry a part made of how-much words alone asks for."""
    table = data.get("price_clause", {})
    entry = table.get("entry") if isinstance(table, dict) else None
    if entry is not None and not (isinstance(entry, str) and entry):
        raise LexiconError("[price_clause] entry must be an entry id")
    return entry


def _entry_words(data: Mapping[str, Any], key: str) -> dict[str, frozenset[str]]:
    """[negation] `key` (entries, beside): entry id = words."""
    table = data.get("negation", {})
    entries = table.get(key, {}) if isinstance(table, dict) else None
    if not isinstance(entries, dict) or not all(
        isinstance(v, list) and all(isinstance(w, str) for w in v) for v in entries.values()
    ):
        raise LexiconError(f"[negation] {key} must be a table of entry id = list of texts")
    return {entry: frozenset(w.lower() for w in words) for entry, words in entries.items()}


def _named_entries(data: Mapping[str, Any]) -> dict[str, NamedEntry]:
    """[named]: entry id = { words = [[phrase, ...], ...], instead_of = [entry id, ...],
    beside = [entry id, ...] } (one of instead_of and beside at least)."""
    table = data.get("named", {})
    if not isinstance(table, dict):
        raise LexiconError("[named] must be a table of entry id = { words, instead_of, beside }")
    found: dict[str, NamedEntry] = {}
    for entry, spec in table.items():
        sets = spec.get("words") if isinstance(spec, dict) else None
        lists = (
            [spec.get(k, []) for k in ("instead_of", "beside")] if isinstance(spec, dict) else []
        )
        if (
            not isinstance(sets, list)
            or not sets
            or not all(
                isinstance(ws, list) and ws and all(isinstance(w, str) and w.split() for w in ws)
                for ws in sets
            )
            or not lists
            or not all(isinstance(ids, list) for ids in lists)
            or not any(lists)
            or not all(isinstance(e, str) and e for ids in lists for e in ids)
        ):
            raise LexiconError(
                f"[named] {entry}: words must be lists of phrases, instead_of and beside lists "
                "of entry ids (one of them at least)"
            )
        found[entry] = NamedEntry(
            tuple(tuple(tuple(p.lower().split()) for p in ws) for ws in sets),
            frozenset(lists[0]),
            frozenset(lists[1]),
        )
    return found


_UNANSWERED_KEYS = ("words", "with", "unless", "also")


def _unanswered(data: Mapping[str, Any]) -> dict[str, Unanswered]:
    """[unanswered.<name>]: words = [...], with = [...], also = [...], unless = [...] (also and
    unless optional)."""
    table = data.get("unanswered", {})
    if not isinstance(table, dict):
        raise LexiconError("[unanswered] must be a table of name = { words, with, also, unless }")
    found: dict[str, Unanswered] = {}
    for name, spec in table.items():
        lists = [spec.get(k, []) for k in _UNANSWERED_KEYS] if isinstance(spec, dict) else []
        if (
            not lists
            or set(spec) - set(_UNANSWERED_KEYS)  # a misspelt "unles" would drop its guard
            or not lists[0]
            or not lists[1]
            or not all(isinstance(ws, list) and all(isinstance(w, str) for w in ws) for ws in lists)
        ):
            raise LexiconError(
                f"[unanswered.{name}] words and with must be lists of words (also and unless"
                " optional, no other key)"
            )
        words, with_, unless, also = (frozenset(w.lower() for w in ws) for ws in lists)
        found[name] = Unanswered(words, with_, unless, also)
    return found


def _age_limit(data: Mapping[str, Any]) -> AgeLimit | None:
    table = data.get("age_limit")
    if table is None:
        return None
    token = table.get("token") if isinstance(table, dict) else None
    min_age = table.get("min_age") if isinstance(table, dict) else None
    if not isinstance(token, str) or not token or not isinstance(min_age, int):
        raise LexiconError("[age_limit] needs a token (a word) and min_age (a number)")
    ages, after, joins, others, asks = (
        _word_list(data, "age_limit", key) for key in ("ages", "after", "joins", "others", "asks")
    )
    scales = frozenset(_int_table(data, "number_scales"))
    phrases = tuple(sorted(tuple(a.split()) for a in asks if a.split()))
    minor_below = table.get("minor_below", 0)
    if not isinstance(minor_below, int):
        raise LexiconError("[age_limit] minor_below must be a number")
    return AgeLimit(token, min_age, ages, after, joins, others, scales, phrases, minor_below)


def load_lexicon(path: Path) -> Lexicon:
    """Read a lexicon file; a missing file is an empty lexicon (English needs little)."""
    if not path.exists():
        return Lexicon()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise LexiconError(f"not valid TOML: {exc}") from exc
    return parse_lexicon(data)


class IndonesianStemmer:
    """Sastrawi's stemmer, built once per process, with our own word cache."""

    _instance: IndonesianStemmer | None = None

    def __init__(self) -> None:
        from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
        from Sastrawi.Stemmer.Stemmer import Stemmer
        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

        words = [w for w in StemmerFactory().get_words_from_file() if w]
        self.dictionary: frozenset[str] = frozenset(words)
        self._stemmer = Stemmer(ArrayDictionary(words))
        self.stem: Callable[[str], str] = lru_cache(maxsize=50_000)(self._stem)

    def _stem(self, word: str) -> str:
        result = self._stemmer.stem_word(word)
        return result if isinstance(result, str) and result else word

    @classmethod
    def shared(cls) -> IndonesianStemmer:
        if cls._instance is None:
            cls._instance = cls()
        return cls._instance


@dataclass(frozen=True)
class Normalised:
    words: tuple[str, ...]  # standard words, stop words kept (for the calculator and intents)
    tokens: tuple[str, ...]  # stems used for matching
    # the words a negation takes out ("saya bukan PNS, bisa ikut?"): neither matched nor
    # pointing to another programme
    negated: frozenset[str] = frozenset()
    # every word a negation takes out, even one said again elsewhere ("bukan pas kerja ... atau
    # cuma kalau kecelakaan kerja?"): `negated` less the words said again is what is not matched
    taken_out: frozenset[str] = frozenset()

    @property
    def negates(self) -> bool:
        """A negation in it takes out a word ("bukan kerja", "not the reminder"); one that
        takes out nothing opens an alternative to the question before ("and if not, how
        much?")."""
        return bool(self.taken_out)

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


class Normaliser:
    """Text -> words -> tokens, for one language."""

    def __init__(
        self,
        lexicon: Lexicon,
        stem: Callable[[str], str] | None = None,
        dictionary: Iterable[str] = (),
        foreign: Iterable[str] = (),
    ) -> None:
        self.lexicon = lexicon
        self._stem = stem
        self.known: set[str] = set(dictionary) | lexicon.vocabulary()
        # another language's words (the English lexicon's, for Indonesian): never read as one
        # of this language's words with the vowels dropped ("for" is not "free", "use" not
        # "usia", "kids" not "kados"); those this language reads are in its lexicon
        self._foreign = frozenset(foreign) - self.known
        self._max_phrase = lexicon.max_phrase
        self._phrase_starts = lexicon.phrase_starts()
        # the first words of the phrases: a phrase is looked for only where one stands
        self._phrase_firsts = frozenset(k[0] for k in lexicon.phrases)
        self._mapped_firsts = frozenset(k[0] for k in lexicon.mapped_phrases)
        self._longest_mapped = max((len(k) for k in lexicon.mapped_phrases), default=0)
        # words a trade name does not swallow ("pedagang bisa ikut")
        self._lexicon_words = lexicon.vocabulary(phrase_keys=False)
        self._cache: dict[str, Normalised] = {}
        # the words of the clauses read lately: a message's parts and clauses are normalised
        # apart from the whole message (bot/faq/choose.py), mostly as the same clauses
        self._clauses: dict[str, tuple[str, ...]] = {}
        # words an abbreviation without vowels may stand for: the lexicon's and the learned
        # ones (not the whole dictionary, whose many words would make most guesses unsure)
        self._spelled: set[str] = set(self._lexicon_words)
        self._skeletons: dict[str, str] | None = None
        # each word's reading, remembered: a chat repeats its words, and a message is read
        # whole, in parts and in clauses. `learn` forgets what the known words change.
        self._typed: dict[str, str] = {}  # `_squeeze` then `_spell`
        self._expanded: dict[str, tuple[str, ...]] = {}  # `_expand`
        self._stems: dict[str, str] = {}  # `stem`

    def learn(self, words: Iterable[str]) -> None:
        """Add words (e.g. the knowledge base's) to the known vocabulary."""
        words = set(words)
        self.known.update(words)
        self._foreign -= words
        self._spelled.update(words)
        self._skeletons = None
        self._cache = {}  # new ones: the old may be shared (`share_cache`)
        self._clauses = {}
        self._typed = {}
        self._expanded = {}

    def share_cache(self, other: Normaliser) -> bool:
        """Remember normalised texts in `other`'s cache when both read texts alike (the same
        lexicon, stemmer and known words), and say whether they do. A staff change's knowledge
        base, loaded beside the one in use, then reads the labelled questions of its accuracy
        gate (bot/faq/gate.py) without normalising each again: about 4 s -> 2 s a change."""
        alike = (
            self._stem is other._stem
            and self.lexicon == other.lexicon
            and self.known == other.known
            and self._spelled == other._spelled
            and self._foreign == other._foreign
        )
        if alike:
            self._cache = other._cache
            self._clauses = other._clauses
        return alike

    def _by_skeleton(self, token: str) -> str | None:
        """The one word of the lexicon or the knowledge base with these consonants in this
        order ("ktngkrjaan" -> "ketenagakerjaan", "sndiri" -> "sendiri"), if only one; words
        the lexicon reads as the same word count as one ("dftar": "daftar", "daftr" and
        "dftr"; "kntak": "kontak" and "kontake")."""
        if self._skeletons is None:
            found: dict[str, set[str]] = {}
            for word in self._spelled:
                if len(word) >= SKELETON_MIN_LENGTH and word.isalpha():
                    found.setdefault(skeleton(word), set()).add(word)
            self._skeletons = {
                k: spelled for k, v in found.items() if (spelled := self._one_word(v)) is not None
            }
        spelled = self._skeletons.get(skeleton(token))
        return spelled if spelled is not None and len(spelled) > len(token) else None

    def _one_word(self, words: set[str]) -> str | None:
        """The word `words` all stand for, as the lexicon reads them, if they stand for one:
        the longest of them that reads as it (the lexicon's own spelling first)."""
        if len(words) == 1:
            return next(iter(words))
        read = {word: tuple(self._map([word])) for word in words}
        if len(set(read.values())) != 1:
            return None
        meaning = next(iter(read.values()))
        if len(meaning) == 1 and meaning[0] in words:
            return meaning[0]
        return max(sorted(words), key=len)

    # -- public ---------------------------------------------------------------------------

    @property
    def phrase_starts(self) -> frozenset[tuple[str, str]]:
        """The first two words of the lexicon's multi-word phrases."""
        return self._phrase_starts

    def normalise(self, text: str) -> Normalised:
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        clauses = [self._clause_words(c) for c in CLAUSE_BREAK.split(text[:MAX_INPUT_CHARS])]
        words = tuple(w for clause in clauses for w in clause)
        affirmed: list[str] = []
        negated: set[str] = set()
        for clause in clauses:
            kept, taken = self._affirmed(clause)
            affirmed += kept
            negated.update(taken)
        age_limit = self.lexicon.age_limit
        if age_limit is not None and age_limit.asked(words):
            words += (age_limit.token,)
            affirmed.append(age_limit.token)
        # most messages negate nothing: one shared empty set, not one per message remembered
        # (an empty frozenset is a new 216-byte object each time)
        taken_out = frozenset(negated) if negated else _NOTHING
        result = Normalised(
            words,
            tuple(self.tokens(affirmed)),
            taken_out - set(affirmed) if negated else _NOTHING,
            taken_out,
        )
        if len(self._cache) > 20_000:
            self._cache.clear()
        self._cache[text] = result
        return result

    def key(self, text: str) -> str:
        """A comparison key: two phrasings with the same key are duplicates."""
        return self.normalise(text).text

    def _clause_words(self, clause: str) -> tuple[str, ...]:
        """`words` of one clause, remembered (without the spaces around it, which say
        nothing: a part of a message is the same clause as it stands in the message)."""
        clause = clause.strip()
        found = self._clauses.get(clause)
        if found is None:
            found = tuple(self.words(clause))
            if len(self._clauses) > CLAUSE_MEMO:
                self._clauses.clear()
            self._clauses[clause] = found
        return found

    def words(self, text: str) -> list[str]:
        text = unicodedata.normalize("NFKC", text[:MAX_INPUT_CHARS]).casefold()
        # each substitution only where it can match: most clauses have no tag or digit
        if "<" in text:
            text = _TAGS.sub(" ", text)
        text = _APOSTROPHES.sub("", text)
        if _DIGIT.search(text):
            text = _THOUSANDS.sub("", text)
            text = _RUPIAH.sub("rp ", text)
            text = _REDUPLICATION.sub(r"\1 \1", text)
            text = _DIGIT_LETTER.sub(" ", text)
        raw = [self._typed_word(t) for t in _SPLIT.split(text) if t]
        mapped = self._map(self._professions(raw))
        words = self._numbers(self._mapped_phrases(mapped))
        joined = self.lexicon.joined_condition
        return joined.without_steps(words) if joined else words

    def tokens(self, words: Iterable[str]) -> list[str]:
        """Stems of the content words; greetings and thanks only when nothing else is said."""
        lex = self.lexicon
        # a single letter ("mksh y", "iuran d bayar") says nothing
        content = [w for w in words if w not in lex.stopwords and (len(w) > 1 or w.isdigit())]
        if any(w not in lex.courtesy and not _NUMBER.match(w) for w in content):
            content = [w for w in content if w not in lex.courtesy]
        return [self.stem(w) for w in content]

    def _affirmed(self, clause: Sequence[str]) -> tuple[Sequence[str], list[str]]:
        """The clause without its negators and the content words they negate ("meninggal
        karena sakit, bukan kerja" is not a question about work), and those words. At most
        NEGATION_SCOPE words go, and a question word ends the scope ("bukan pegawai boleh
        ikut")."""
        lex = self.lexicon
        if not negates(clause, lex):
            return clause, []
        out: list[str] = []
        negated: list[str] = []
        scope = 0
        for i, word in enumerate(clause):
            if negator_at(clause, i, lex):
                scope = NEGATION_SCOPE
            elif scope and word in lex.question_words:
                scope = 0
                out.append(word)
            elif scope and word not in lex.stopwords:
                scope -= 1
                negated.append(word)
            else:
                out.append(word)
        return out, negated

    def stem(self, word: str) -> str:
        found = self._stems.get(word)
        if found is None:
            if self._stem is None or word in self.lexicon.protected or _NUMBER.match(word):
                found = word
            else:
                found = self._stem(word)
            _remember(self._stems, word, found)
        return found

    def _typed_word(self, token: str) -> str:
        """The word a token of the message stands for, as typed: `_squeeze`, then `_spell`."""
        found = self._typed.get(token)
        if found is None:
            found = self._spell(self._squeeze(token))
            _remember(self._typed, token, found)
        return found

    # -- steps ----------------------------------------------------------------------------

    def _squeeze(self, token: str) -> str:
        """Letters repeated three or more times: "bangeeet" -> "banget", "maaaaf" -> "maaf"."""
        if not _RUN3.search(token):
            return token
        double = _RUN3.sub(r"\1\1", token)
        single = _RUN3.sub(r"\1", token)
        if single in self.known or single in self.lexicon.words:
            return single
        if double in self.known or double in self.lexicon.words:
            return double
        return single

    def _spell(self, token: str) -> str:
        """Chat drops vowels ("ktngkrjaan", "sndiri", "hri tua"): an unknown word with the
        consonants of exactly one longer word of the lexicon or the knowledge base is that
        word, before phrases are looked up."""
        if (
            len(token) < 3
            or not token.isalpha()
            or token in self.known
            or token in self.lexicon.words
            or token in self.lexicon.other_topics  # "pinjol" is not "penjual"
            or token in self._foreign
        ):
            return token
        return self._by_skeleton(token) or token

    def _phrase(self, tokens: list[str]) -> tuple[str, ...] | None:
        """The lexicon's replacement for these words, also with a possessive suffix on the
        last one ("ahli warisnya", "kepala keluargane")."""
        phrases = self.lexicon.phrases
        found = phrases.get(tuple(tokens))
        if found is not None:
            return found
        last = tokens[-1]
        for suffix in _POSSESSIVE:
            base = last.removesuffix(suffix)
            if base != last and len(base) >= 3:
                found = phrases.get((*tokens[:-1], base))
                if found is not None:
                    return found
        return None

    def _map(self, tokens: list[str]) -> list[str]:
        """Phrases (longest first), then single words, then Javanese affixes."""
        out: list[str] = []
        i = 0
        while i < len(tokens):
            sizes = self._max_phrase if tokens[i] in self._phrase_firsts else 1
            for size in range(min(sizes, len(tokens) - i), 1, -1):
                replacement = self._phrase(tokens[i : i + size])
                if replacement is not None:
                    out.extend(self._word(w) for w in replacement)
                    i += size
                    break
            else:
                out.extend(self._expand(tokens[i]))
                i += 1
        return [w for part in out for w in (part.split() if " " in part else [part])]

    def _mapped_phrases(self, words: list[str]) -> list[str]:
        """'daftar jadi profesi' -> 'lowongan kerja': phrases over the mapped words."""
        table = self.lexicon.mapped_phrases
        if not table:
            return words
        out: list[str] = []
        i = 0
        while i < len(words):
            longest = self._longest_mapped if words[i] in self._mapped_firsts else 1
            for size in range(min(longest, len(words) - i), 1, -1):
                replacement = table.get(tuple(words[i : i + size]))
                if replacement is not None:
                    out.extend(replacement)
                    i += size
                    break
            else:
                out.append(words[i])
                i += 1
        return out

    def _professions(self, words: list[str]) -> list[str]:
        """'tukang cukur' -> 'profesi': a trade word swallows the (at most two) words after it
        that the lexicon does not know ("jualan es keliling", "buruh cuci baju")."""
        heads = self.lexicon.profession_heads
        if not heads:
            return words
        out: list[str] = []
        i = 0
        while i < len(words):
            word = words[i]
            i += 1
            if word not in heads or (i < len(words) and (word, words[i]) in self._phrase_starts):
                out.append(word)  # not a trade, or a phrase of the lexicon ("jasa raharja")
                continue
            swallowed = 0
            while (
                swallowed < 2
                and i < len(words)
                and words[i] not in self._lexicon_words
                and not words[i].isdigit()
                and not self._timed(words[i])
            ):
                i += 1
                swallowed += 1
            out.append(PROFESSION if swallowed else word)
        return out

    def _timed(self, word: str) -> bool:
        """The word says a time or a number once read: "sebulan" is "1 bulan", "setaune" is
        "1 tahun"; a trade word never swallows it ("jualan jamu sebulan brp")."""
        return any(w in self.lexicon.units or _NUMBER.match(w) for w in self._expand(word))

    def _word(self, word: str) -> str:
        mapped = self.lexicon.words.get(word)
        return " ".join(mapped) if mapped else word

    def _unit(self, word: str) -> str | None:
        """The unit of time a word names, with or without a possessive ("bulannya", "taune")."""
        words, units = self.lexicon.words, self.lexicon.units
        for base in (word, *(word.removesuffix(s) for s in _POSSESSIVE if word.endswith(s))):
            unit = words.get(base, (base,))
            if len(unit) == 1 and unit[0] in units:
                return unit[0]
        return None

    def _expand(self, token: str) -> tuple[str, ...]:
        """The words a token stands for: the lexicon's, or its own without an affix."""
        found = self._expanded.get(token)
        if found is None:
            found = tuple(self._expansion(token))
            _remember(self._expanded, token, found)
        return found

    def _expansion(self, token: str) -> list[str]:
        words = self.lexicon.words
        if token in words:
            return list(words[token])
        # "setahun", "setaun", "sewulan", "sebulan", "sebulannya", "setaune": one unit of
        # time; "perbulan", "perbulannya": the unit, as "per bulan" is (lexicon [phrases])
        for prefix, before in (("se", ["1"]), ("per", [])):
            if token.startswith(prefix) and len(token) > len(prefix) + 2:
                unit = self._unit(token[len(prefix) :])
                if unit is not None:
                    return [*before, unit]
        if token in self.known or _NUMBER.match(token):
            return [token]
        # Javanese: "bayare" -> "bayar", "carane" -> "cara", "mbayar" -> "bayar"; krama
        # "bedanipun" -> "beda", "kontakipun" -> "kontak"
        for suffix in (*_POSSESSIVE, "nipun", "ipun"):
            base = token.removesuffix(suffix)
            if base != token and len(base) >= 3:
                if base in words:
                    return list(words[base])
                if base in self.known:
                    return [base]
        # "diingetin" -> "ingatkan": a passive di- on a slang word
        if token.startswith("di") and token[2:] in words:
            return list(words[token[2:]])
        # Jakarta-style "-in" for "-kan": "dipasangin" -> "dipasangkan", "bayarin" -> "bayarkan"
        if token.endswith("in") and len(token) > 5:
            formal = token[:-2] + "kan"
            if self._stem is not None and self._stem(formal) != formal:
                return [formal]
        # Javanese active prefixes: "ngojek" -> "ojek" -> "profesi", "mbayar" -> "bayar"
        for prefix in ("ng", "m", "n"):
            base = token.removeprefix(prefix)
            if base != token and len(base) >= 4:
                if base in words:
                    return list(words[base])
                if base in self.known:
                    return [base]
        return [token]

    def _numbers(self, words: list[str]) -> list[str]:
        """'dua puluh lima' -> '25', 'selawe' -> '25', 'tiga belas' -> '13', '2 ribu' -> '2000',
        '16 ribu 800' -> '16800'."""
        lex = self.lexicon
        out: list[str] = []
        i = 0
        while i < len(words):
            word = words[i]
            if _NUMBER.match(word):
                number, i = int(word), i + 1
            elif word in lex.numbers:
                number, i = self._number_words(words, i)
            else:
                out.append(word)
                i += 1
                continue
            if i < len(words) and words[i] in lex.scales:
                scale = lex.scales[words[i]]
                number *= scale
                i += 1
                # "16 ribu 800", "enam belas ribu delapan ratus" -> 16800; not "42 juta 500
                # ribu" (that rest has a scale of its own) nor "16 ribu 3 bulan" (a rest
                # under a tenth of the scale is another number)
                rest, j = self._plain_number(words, i)
                if (
                    rest is not None
                    and scale // 10 <= rest < scale
                    and (j == len(words) or words[j] not in lex.scales)
                ):
                    number, i = number + rest, j
            out.append(str(number))
        return out

    def _plain_number(self, words: list[str], i: int) -> tuple[int | None, int]:
        """The number (in digits or in words) at words[i], and the next index."""
        if i >= len(words):
            return None, i
        if _NUMBER.match(words[i]):
            return int(words[i]), i + 1
        if words[i] in self.lexicon.numbers:
            return self._number_words(words, i)
        return None, i

    def _number_words(self, words: list[str], i: int) -> tuple[int, int]:
        """Read a number written in words starting at words[i]; return it and the next index."""
        lex = self.lexicon
        value = lex.numbers[words[i]]
        total, current = (value, 0) if value >= 100 else (0, value)
        i += 1
        while i < len(words):
            nxt = words[i]
            if nxt in lex.teens and 0 < current < 10:
                current += lex.teens[nxt]
            elif nxt in lex.multipliers and current < 10:
                current = max(current, 1) * lex.multipliers[nxt]
                if lex.multipliers[nxt] >= 100:
                    total, current = total + current, 0
            elif nxt in lex.numbers and current % 10 == 0 and lex.numbers[nxt] < 10:
                current += lex.numbers[nxt]
            else:
                break
            i += 1
        return total + current, i


def simple_normaliser(lexicon: Lexicon) -> Normaliser:
    """A normaliser without stemming (English)."""
    return Normaliser(lexicon, stem=_english_stem)


@lru_cache(maxsize=20_000)
def _english_stem(word: str) -> str:
    """Plural and a few suffixes: enough to match 'benefits' with 'benefit'."""
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: -len(suffix)] + keep
    return word
