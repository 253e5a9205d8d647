"""Totals of the contribution over time: "iuran 10 thn totalnya brp" -> 120 months.

The amounts are always computed from the configured monthly contribution
(`CONTRIBUTION_MONTHLY_IDR`), never taken from an article.

`totals_query` reads a question into a `TotalsQuery` (months, or a range of months, and a
number of people), an `Unsure` (a totals question the calculator cannot answer exactly:
"1,3 tahun", "beberapa tahun", "sekeluarga", two different durations: the bot asks), or None
(not a totals question: the rest of the bot decides). It never guesses: a wrong amount is
worse than a question back.

The normaliser splits "1,5" into "1" and "5" and drops the "-" of "3-6", so the question as
typed is read first: decimals, fractions ("1 1/2"), ranges ("3-6", "s/d") and phrases naming
several people ("suami istri", lexicon [people]) become marker words (letters only, so the
normaliser keeps them whole), then the marked text is normalised and parsed.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Literal, NamedTuple, TypeVar

from bot.faq.choose import cuts
from bot.faq.normalize import CLAUSE_BREAK, MAX_INPUT_CHARS, PROFESSION, Lexicon, Normaliser

MAX_MONTHS = 100 * 12
MAX_PEOPLE = 100
MONEY_FIGURE = 1000  # a number this large, not followed by a unit, is an amount of money
VAGUE_REACH = 2  # tokens from a vague word to the quantity after it that it blurs
OWN_REACH = 2  # words between a thing and the word that owns it ("gerobak saya ada 2")
# words after a count of those who join in which it says they join ("sisanya 5 mau bayar
# sendiri"), with no "not" among them
JOIN_REACH = 4
MIXED_WHOLE = 100  # a mixed number ("1 1/2") has a smaller whole part ("lahir 1975, 1/2 tahun")


@dataclass(frozen=True)
class Total:
    months: int
    monthly: int
    people: int = 1

    @property
    def amount(self) -> int:
        return self.months * self.monthly * self.people

    @property
    def per_person(self) -> int:
        return self.months * self.monthly

    @property
    def years(self) -> int:
        return self.months // 12

    @property
    def rest_months(self) -> int:
        return self.months % 12


def total(months: int, monthly: int, people: int = 1) -> int:
    """The contribution over `months` months: 300 months at 16800 = 5040000."""
    if months < 0 or monthly < 0 or people < 0:
        raise ValueError("months, monthly and people must not be negative")
    return months * monthly * people


@dataclass(frozen=True)
class TotalsQuery:
    """What a totals question asks: months (or a range low-high) for a number of people."""

    months_low: int
    months_high: int | None = None
    people: int = 1
    # the monthly contribution was asked too ("berapa sebulan, kalau 5 tahun berapa")
    monthly: bool = False
    # the months are unpaid and the message asks what settling them comes to ("nunggak 3
    # bulan, nek dilunasi kabeh dadi brp?": `asks_arrears`)
    unpaid: bool = False
    # the two durations are asked apart, not as a range ("2 taun pira? ro nek telung taun?",
    # "setahun berapa, 2 tahun berapa"): a total for each
    apart: bool = False

    @property
    def durations(self) -> tuple[int, ...]:
        if self.months_high is None:
            return (self.months_low,)
        return (self.months_low, self.months_high)


UnsureReason = Literal["duration", "people"]


# the largest number of people offered as a button of its own (`said_counts`)
MAX_SAID_COUNT = 30


@dataclass(frozen=True)
class Unsure:
    """A totals question without one exact answer: ask for the duration or the people.
    `months`: the one duration the question names, when only the people are unknown
    ("anak 2, setahun berapa"): the bot gives the total for one person as it asks, and
    computes the total when the reply gives the number."""

    reason: UnsureReason
    months: int | None = None
    # the number of people, when only the duration is unknown ("iuran suami istri beberapa
    # tahun"): a reply with the duration gets the total
    people: int | None = None
    # asking for the duration because of a number it cannot place beside the one duration
    # it read ("aku bojoku karo anakku sing gede dadi telu setaun pira totale"): that
    # duration. Read around a totals question (FaqService.answer_and_question_back), the
    # bot asks how many people instead of giving the table of totals
    stray_months: int | None = field(default=None, compare=False)
    # the months are unpaid (`TotalsQuery.unpaid`): so is the total a reply completes
    unpaid: bool = field(default=False, compare=False)
    # the message counts everyone and leaves someone out (`_without_left_out`): the bot asks,
    # and gives no total for the people it names
    left_out: bool = field(default=False, compare=False)


# -- marking the question as typed ----------------------------------------------------------

_RP = "rp"  # the money prefix ("Rp16.800"), a token of its own in every language
_LETTERS = "abcdefghij"
_DEC, _FRAC, _TO, _PPL = "zzdec", "zzfrac", "zzto", "zzppl"
_ALL = "zzall"  # a phrase counting everyone the message names ("dua duanya", "3 of us")
# a comma or a semicolon before a half word: "kabeh telu, setengah tahun" is three people
# and half a year, not three and a half years (a separator, like any other word)
_SEP = "zzsep"
# how many "=" before a small count were read as the lexicon's first restate word ("adik
# kakak sy 4 org + sy = 5": five); not a marker word (`mark`)
_EQUALS = "equals"
_EQUALS_COUNT = re.compile(r"\s*=\s*(?=\d{1,2}(?![\d.,]\d))")
# a span of months by name, written as its number of months: no marker word of its own
_SPAN = "span"
# a span to the end of the year from no month named ("sampai akhir tahun"): no marker word
_OPEN = "open"
# the key of `_named_lexicon`'s calculator lists that makes it read the people a message names
# (`named_people_query`); no lexicon file has it
_NAMED = "zznamed"
_APART = Fraction(1)  # the value of a half token after it (others: 0)
_DECIMAL = re.compile(r"(?<![\d.,])(\d+)[.,](\d+)(?![.,]?\d)")
_FRACTION = re.compile(r"(?<![\d/])(\d+)\s*/\s*(\d+)(?![\d/])")
_DASH = re.compile(r"(?<=[\da-z])\s*[-–—]+\s*(?=\d)")  # hyphen, en and em dashes
_SD = re.compile(r"(?<![a-z])s\s*[/.]\s*d(?![a-z])\.?")


def _encode(digits: str) -> str:
    """Digits as letters ("15" -> "qbqf"): the normaliser splits digits from letters."""
    return "".join("q" + _LETTERS[int(d)] for d in digits)


def _decode(code: str) -> int | None:
    if not code or len(code) % 2 or len(code) > 12:
        return None
    digits = []
    for i in range(0, len(code), 2):
        if code[i] != "q" or code[i + 1] not in _LETTERS:
            return None
        digits.append(str(_LETTERS.index(code[i + 1])))
    return int("".join(digits))


_T = TypeVar("_T")


def _cached(
    cache: dict[int, tuple[Lexicon, _T]], lexicon: Lexicon, build: Callable[[Lexicon], _T]
) -> _T:
    """`build(lexicon)`, built once per lexicon (patterns compiled from its word lists)."""
    hit = cache.get(id(lexicon))
    if hit is not None and hit[0] is lexicon:
        return hit[1]
    value = build(lexicon)
    cache[id(lexicon)] = (lexicon, value)
    return value


def _as_typed(question: str) -> str:
    """The question as the patterns on typed text read it."""
    return unicodedata.normalize("NFKC", question).casefold()


def _forms(words: Collection[str], lexicon: Lexicon) -> str:
    """A pattern for any of `words` in any form typed (`_typed_forms`)."""
    return "(?:" + "|".join(_typed_forms(w, lexicon) for w in sorted(words)) + ")"


def _unit_forms(lexicon: Lexicon) -> set[str]:
    """The units, and every word the lexicon reads as one of them ("thn", "sasi")."""
    return _mapped_forms(lexicon.units, lexicon)


def _unit_words(lexicon: Lexicon, months: int) -> list[str]:
    """The units of `months` months and every word the lexicon reads as one of them: for 1,
    "bulan", "bln", "sasi"; for 12, "tahun", "thn", "taun"."""
    units = {u for u, n in lexicon.units.items() if n == months}
    return [u for u in _unit_forms(lexicon) if (lexicon.words.get(u) or (u,))[0] in units]


def _mapped_forms(words: Collection[str], lexicon: Lexicon) -> set[str]:
    """`words`, and every word the lexicon reads as one of them ("wong" for "orang")."""
    return set(words) | {
        typed for typed, mapped in lexicon.words.items() if mapped and mapped[0] in words
    }


def _count_words(lexicon: Lexicon) -> dict[str, int]:
    """The number words that may count people ("loro", "kalih", "three")."""
    return {w: n for w, n in lexicon.numbers.items() if 1 <= n <= MAX_PEOPLE}


def _count_pattern(words: Collection[str]) -> str:
    """A pattern for a count of people: one or two digits, or one of `words`."""
    return rf"(?:\d{{1,2}}|{_alternatives(words)})" if words else r"\d{1,2}"


def _alternatives(words: Collection[str]) -> str:
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"


# the [people] phrases' pattern, group k's count and whether it counts everyone named, and the
# patterns of the speaker joined to people a phrase counted ("bapak ibu sama saya", "me and my
# mom and dad": one more person)
_People = tuple[re.Pattern[str], tuple[tuple[int, bool], ...], tuple[re.Pattern[str], ...]] | None
_people_patterns: dict[int, tuple[Lexicon, _People]] = {}
_PPL_CODE = rf"{_PPL}(?P<code>(?:q[a-j])+)"


def _people_pattern(lexicon: Lexicon) -> _People:
    return _cached(_people_patterns, lexicon, _build_people_pattern)


def _build_people_pattern(lexicon: Lexicon) -> _People:
    keys = sorted(lexicon.people, key=len, reverse=True)
    if not keys:
        return None
    # the words of a phrase are apart by spaces or commas, never by a sentence's end ("aku,
    # bojoku, lan anakku telu. Kabeh melu": not "telu kabeh", all three)
    alternatives = "|".join(
        f"(?P<k{k}>" + "[^a-z0-9.!?;\n]+".join(_typed_forms(w, lexicon) for w in key.split()) + ")"
        for k, key in enumerate(keys)
    )
    pattern = re.compile(rf"(?<![a-z0-9])(?:{alternatives})(?![a-z0-9])")
    everyone = _words(lexicon, "everyone_words")
    counts = tuple((lexicon.people[key], bool(set(key.split()) & everyone)) for key in keys)
    return pattern, counts, _speaker_patterns(lexicon)


def _speaker_patterns(lexicon: Lexicon) -> tuple[re.Pattern[str], ...]:
    """Patterns, on the marked text, of the speaker joined to people a phrase counted."""
    selves = sorted(_words(lexicon, "self_words"))
    joins = sorted(_words(lexicon, "and_words") | _words(lexicon, "with_words"))
    if not selves or not joins:
        return ()
    me, join = _forms(selves, lexicon), _forms(joins, lexicon)
    return (
        re.compile(rf"{_PPL_CODE}[^a-z0-9]+{join}[^a-z0-9]+{me}(?![a-z0-9])"),
        re.compile(rf"(?<![a-z0-9]){me}[^a-z0-9]+{join}[^a-z0-9]+{_PPL_CODE}"),
    )


def _typed_forms(word: str, lexicon: Lexicon) -> str:
    """A pattern for a word of a [people] phrase as typed: a pronoun or a conjunction (a stop
    word) in any form the lexicon maps to it ("sy n istri" is "saya dan istri", "aku ro
    bojoku" is "aku karo bojoku"); other words ("istri") only as written."""
    target = lexicon.words.get(word, (word,))
    forms = {word}
    conjunction = word in _words(lexicon, "and_words")
    if len(target) == 1 and (target[0] in lexicon.stopwords or conjunction):
        forms |= {typed for typed, mapped in lexicon.words.items() if mapped == target}
    return "(?:" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + ")"


class _Roll(NamedTuple):
    """The patterns of a list of people named one by one ("saya, istri dan 2 anak",
    "sy+istri+bpk", "me, my wife and my 2 kids"), read on the text as typed before the
    [people] phrases, which may be its items ("aku karo bojoku, karo anakku loro")."""

    roll: re.Pattern[str]  # a list
    items: tuple[re.Pattern[str], ...]  # one of its items, one pattern per kind
    sep: re.Pattern[str]  # what joins them
    left_out: re.Pattern[str]  # a family word after a list that it leaves uncounted
    titles: frozenset[str]  # words that may address the reader instead ("pak, saya ...")
    me: re.Pattern[str]  # the speaker, anywhere in the text


_roll_patterns: dict[int, tuple[Lexicon, _Roll | None]] = {}


def _roll_pattern(lexicon: Lexicon) -> _Roll | None:
    """The patterns of `_roll_call` for this lexicon ([calculator] roll_* lists)."""
    return _cached(_roll_patterns, lexicon, _build_roll_pattern)


def _build_roll_pattern(lexicon: Lexicon) -> _Roll | None:
    singles, kin = _words(lexicon, "roll_single"), _words(lexicon, "roll_counted")
    if not singles or not kin:
        return None
    suffix = _alternatives(_words(lexicon, "roll_suffixes") | {""})
    before = _words(lexicon, "roll_owner_before")
    owner_before = rf"(?:{_alternatives(before)}\s+)?" if before else ""
    after = _words(lexicon, "roll_owner_after")
    owner_after = rf"(?:\s+{_alternatives(after)})?" if after else ""
    adjectives = _words(lexicon, "roll_adjectives")
    adjective = rf"(?:{_alternatives(adjectives)}\s+)?" if adjectives else ""
    number = _count_pattern(_count_words(lexicon))
    there = _words(lexicon, "roll_there")  # "anak sy ada 2", "anakku ono loro"
    there_is = rf"(?:\s+{_alternatives(there)})?" if there else ""
    # not "anak 2 tahun", "anak 2 setengah tahun", "anak 2,5 tahun" (marked before)
    after_number = _unit_forms(lexicon) | _words(lexicon, "half_words") | {_DEC, _FRAC}
    not_unit = rf"(?![a-z0-9])(?!\s*{_alternatives(after_number)})"
    single = _person_item(singles, lexicon, before, after)
    counted_word = rf"{adjective}{_alternatives(kin)}{suffix}"
    counted = (
        rf"{owner_before}(?P<n1>{number})\s+{counted_word}{owner_after}"
        rf"|{owner_before}{counted_word}{owner_after}{there_is}\s+(?P<n2>{number}){not_unit}"
    )
    me = _forms(_words(lexicon, "self_words"), lexicon)
    people = _people_pattern(lexicon)
    phrase = re.sub(r"\(\?P<k\d+>", "(?:", people[0].pattern) if people else "(?!)"
    # one pattern per kind of item, in the order they are tried
    kinds: tuple[str, ...] = (
        rf"(?P<phrase>{phrase})",
        f"(?:{counted})",
        rf"(?P<me>{me})",
        rf"(?P<one>{single})",
    )
    if named := _words(lexicon, "roll_named"):
        # "pak darto karo bu sri": a title and a name, one person each; the name is none of
        # the words a list is made of ("bapak saya", "ibu dan ...")
        known = _words(lexicon, "self_words") | _words(lexicon, "and_words") | after
        known |= _words(lexicon, "with_words") | singles | kin | named
        not_a_name = rf"(?!(?:{_forms(known, lexicon)})(?![a-z0-9]))"
        kinds += (rf"(?P<named>{_alternatives(named)}\s+{not_a_name}[a-z]{{2,}})",)
    items = tuple(re.compile(rf"{kind}(?![a-z0-9])") for kind in kinds)
    join = _forms(_words(lexicon, "and_words") | _words(lexicon, "with_words"), lexicon)
    sep = rf"(?:\s*[,+&]\s*(?:{join}\s+)?|\s+{join}\s+)"
    plain_item = "(?:" + "|".join(re.sub(r"\(\?P<[a-z0-9]+>", "(?:", k) for k in kinds) + ")"
    plain_item += "(?![a-z0-9])"
    # never ending before an owner word: "saya dan istri saya" is "saya" and "istri saya",
    # not the phrase "saya dan istri" and a "saya" outside the list
    owned = rf"(?!\s+{_alternatives(after)}(?![a-z0-9]))" if after else ""
    roll = re.compile(rf"(?<![a-z0-9]){plain_item}(?:{sep}{plain_item})+{owned}")
    titles = _words(lexicon, "roll_titles")
    # a family word after the list, that the list could not count ("dan anak")
    uncounted = _alternatives(kin | _words(lexicon, "group_words"))
    left_out = re.compile(rf"{sep}{uncounted}")
    me_anywhere = re.compile(rf"(?<![a-z0-9]){me}(?![a-z0-9])")
    return _Roll(roll, items, re.compile(sep), left_out, titles, me_anywhere)


def _person_item(
    words: Collection[str], lexicon: Lexicon, before: Collection[str], after: Collection[str]
) -> str:
    """A pattern for one person named by one of `words`, with one of `roll_adjectives`
    before it, one of `roll_suffixes` on it, one of `before` or `after` around it ("istri
    saya", "ibuku", "my older sister")."""
    owner_before = rf"(?:{_alternatives(before)}\s+)?" if before else ""
    owner_after = rf"(?:\s+{_alternatives(after)})?" if after else ""
    adjectives = _words(lexicon, "roll_adjectives")
    adjective = rf"(?:{_alternatives(adjectives)}\s+)?" if adjectives else ""
    suffix = _alternatives(_words(lexicon, "roll_suffixes") | {""})
    return rf"{owner_before}{adjective}{_alternatives(words)}{suffix}{owner_after}"


def _roll_items(
    listed: str, pos: int, items: tuple[re.Pattern[str], ...], sep: re.Pattern[str]
) -> Iterator[list[re.Match[str]]]:
    """Every reading of `listed` from `pos` as items joined by separators."""
    for pattern in items:
        m = pattern.match(listed, pos)
        if m is None:
            continue
        if m.end() == len(listed):
            yield [m]
        elif (joined := sep.match(listed, m.end())) is not None:
            for rest in _roll_items(listed, joined.end(), items, sep):
                yield [m, *rest]


def _names_me(readings: Sequence[list[re.Match[str]]]) -> bool:
    """Every reading of the list (`_roll_items`) has the speaker as an item of its own ("suami
    sama sy"): the speaker named outside it ("sy mau daftarin suami sama sy sendiri") is the
    same person."""
    return bool(readings) and all(any(m.groupdict().get("me") for m in r) for r in readings)


def _roll_count(
    readings: Sequence[list[re.Match[str]]],
    lexicon: Lexicon,
    titles: frozenset[str],
    opening: bool,
) -> int | None:
    """The number of people a list names (its readings, `_roll_items`), or None when it is not
    a list of two or more people with the speaker among them, or its readings disagree ("saya
    dan istri saya" is "saya" and "istri saya", not the phrase "saya dan istri" and "saya"). A
    title that opens the message before a comma addresses the reader ("pak, saya dan istri":
    two). Without the speaker ("istri dan 2 anak") the speaker may be one more, and the
    calculator asks, as for "anak 2"."""
    found = {_roll_reading(reading, lexicon, titles, opening) for reading in readings}
    return found.pop() if len(found) == 1 else None


def _roll_reading(
    reading: list[re.Match[str]], lexicon: Lexicon, titles: frozenset[str], opening: bool
) -> int | None:
    """The number of people one reading of a list names (`_roll_count`)."""
    last = reading[-1]
    if last.groupdict().get("me") and last.string[reading[-2].end() : last.start()].strip() == ",":
        # "Putra kula kalih, kula bayaraken iuranipun": after a bare comma, the speaker may
        # start the next clause (the one who pays) rather than end the list
        return None
    counts: list[int] = []
    people, selves = _people_pattern(lexicon), _words(lexicon, "self_words")
    joins = _words(lexicon, "and_words") | _words(lexicon, "with_words")
    speaker = False
    for k, m in enumerate(reading):
        named = m.groupdict()
        if named.get("phrase"):
            phrase = people[0].fullmatch(m.group(0)) if people else None
            if people is None or phrase is None:
                return None
            count, everyone = people[1][int((phrase.lastgroup or "k0")[1:])]
            if everyone:  # "kabeh telu" counts everyone the message names: not a list
                return None
            counts.append(count)
            # "saya dan istri" ("sy n istri") names the speaker; "bapak ibu saya" does not
            said = [lexicon.words.get(w, (w,))[0] for w in re.findall(r"[a-z]+", m.group(0))]
            speaker = speaker or any(
                w in selves and joins.intersection(said[max(0, i - 1) : i + 2])
                for i, w in enumerate(said)
            )
        elif named.get("me"):
            counts.append(1)
            speaker = True
        elif (word := named.get("n1") or named.get("n2")) is not None:
            counts.append(int(word) if word.isdigit() else lexicon.numbers[word])
        else:
            following = m.string[m.end() :].lstrip()[:1]
            vocative = k == 0 and opening and m.group(0) in titles and following == ","
            if not vocative:
                counts.append(1)
    # one person left once the title addressing the reader is set aside ("pak, saya"); the
    # people named, the speaker among them or not, when reading what the message names
    speaker = speaker or bool(_words(lexicon, _NAMED))
    return sum(counts) if speaker and len(counts) >= len(reading) - 1 >= 1 else None


def _roll_call(text: str, lexicon: Lexicon, counts: Counter[str]) -> str:
    """The text with each list of people named one by one, the speaker among them, as a
    people marker of their number ("saya, istri dan 2 anak": 4), when the speaker is not
    named outside the lists too (below)."""
    found = _roll_pattern(lexicon)
    if found is None:
        return text
    roll, items, sep, left_out, titles, me = found
    people = _people_pattern(lexicon)
    # a list followed by a family member it cannot count ("saya, istri dan anak") is not all
    lists = [m for m in roll.finditer(text) if not left_out.match(text, m.end())]
    everyone: set[int] = set()
    if people is not None:
        for m in people[0].finditer(text):
            said, counts_all = people[1][int((m.lastgroup or "k0")[1:])]
            if counts_all:
                everyone.add(said)
    if everyone:
        # "aku, bojoku, karo anakku, telu kabeh": the phrase counts them all. A list that
        # counts as many says the same and goes ("me and my two sisters ... the three of us":
        # its "two" was a stray number, and the calculator asked for the duration)
        return _said_again(text, lists, everyone, items, sep, lexicon, titles)
    if not lists:
        return text
    courtesy = lexicon.courtesy
    bounds = [0, *(k for m in lists for k in (m.start(), m.end())), len(text)]
    outside = any(me.search(text, a, b) for a, b in zip(bounds[::2], bounds[1::2], strict=True))
    # A list not counted becomes a family without a number (`roll_unsure`), so the calculator
    # asks how many: the speaker named outside a list that does not open with the speaker
    # nor name the speaker as an item of its own ("saya mau daftarkan istri dan 2 anak"; "sy
    # mau daftarin suami sama sy" is 2), the speaker not in it ("istri dan 2 anak"), or
    # a reading in doubt ("bapak saya, saya bayar"). A list the [people] phrases count whole
    # stays as it is ("if i pay ..., for me and my wife", "bapak dan ibu": two).
    unsure = min(_words(lexicon, "roll_unsure"), default=None)
    pieces, last = [], 0
    for m in lists:
        pieces.append(text[last : m.start()])
        last = m.end()
        before = re.findall(r"[a-z0-9]+", text[: m.start()])
        opening = all(w in courtesy for w in before)
        count = None
        readings = list(_roll_items(m.group(0), 0, items, sep))
        # a list that opens with the speaker names the same speaker as the words outside it
        # ("saya mau bayar iuran saya, suami dan 2 anak": 4); one without may leave them out
        if not outside or me.match(text, m.start()) is not None or _names_me(readings):
            count = _roll_count(readings, lexicon, titles, opening)
        if count is not None and _words(lexicon, _NAMED) and _joined_before(text, m, lexicon):
            count = None  # someone the list could not read comes first ("nyong karo bojo ...")
        if count is not None:
            counts[_PPL] += 1
            pieces.append(f" {_PPL}{_encode(str(count))} ")
            continue
        whole = _phrases(m.group(0), lexicon, Counter())
        phrase = re.fullmatch(rf"\s*(?:{_PPL}|{_ALL})(?:q[a-j])+\s*", whole) is not None
        pieces.append(m.group(0) if phrase or unsure is None else f" {unsure} ")
    pieces.append(text[last:])
    return "".join(pieces)


def _joined_before(text: str, listed: re.Match[str], lexicon: Lexicon) -> bool:
    """The word before a list joins it to something else ("X karo bojo lan anak loro"): a
    person in a form the list does not read, whom reading the people named would leave out."""
    before = re.findall(r"[a-z0-9]+", text[: listed.start()])
    joins = _words(lexicon, "and_words") | _words(lexicon, "with_words")
    return bool(before) and lexicon.words.get(before[-1], (before[-1],))[0] in joins


def _said_again(
    text: str,
    lists: Sequence[re.Match[str]],
    everyone: set[int],
    items: tuple[re.Pattern[str], ...],
    sep: re.Pattern[str],
    lexicon: Lexicon,
    titles: frozenset[str],
) -> str:
    """The text without each list of people that counts as many as the one phrase counting
    everyone (`everyone`, a single count); any other list stays as it is."""
    if len(everyone) != 1:
        return text
    pieces, last = [], 0
    for m in lists:
        readings = list(_roll_items(m.group(0), 0, items, sep))
        if _roll_count(readings, lexicon, titles, opening=False) in everyone:
            pieces.append(text[last : m.start()] + " ")
            last = m.end()
    return "".join(pieces) + text[last:]


_kin_tokens: dict[int, tuple[Lexicon, frozenset[str]]] = {}


def kin_tokens(normaliser: Normaliser) -> frozenset[str]:
    """The tokens of the words that name one person in a list of people ([calculator]
    `roll_single` and `roll_counted`: "istri", "bojoku", "anak")."""

    def build(lexicon: Lexicon) -> frozenset[str]:
        words = _words(lexicon, "roll_single") | _words(lexicon, "roll_counted")
        return frozenset(t for w in words for t in normaliser.normalise(w).tokens)

    return _cached(_kin_tokens, normaliser.lexicon, build)


def without_people_lists(question: str, lexicon: Lexicon, word: str) -> str:
    """The question (casefolded) with each list of people named one by one as `word`: its
    commas and "dan" join people, not parts of the message ("setengah taun aku, bojoku,
    simbok piro" asks one thing)."""
    found = _roll_pattern(lexicon)
    text = _as_typed(question)
    return text if found is None else found.roll.sub(f" {word} ", text)


def lists_people_with_commas(question: str, lexicon: Lexicon) -> bool:
    """Whether the question names people one by one (`_roll_call`'s lists) with a comma
    between them: the list spans parts of the message ("iurane 6 taun simbok, aku piro")."""
    found = _roll_pattern(lexicon)
    if found is None:
        return False
    return any("," in m.group(0) for m in found.roll.finditer(_as_typed(question)))


def mark(question: str, lexicon: Lexicon) -> tuple[str, Counter[str]]:
    """The question with decimals, fractions, ranges and people phrases as marker words,
    and how many markers of each kind it holds."""
    text = _without_sources(_as_typed(question), lexicon)
    counts: Counter[str] = Counter()

    def decimal(m: re.Match[str]) -> str:
        whole, part = m.group(1), m.group(2)
        if len(part) == 3:  # "16.800": thousands, the normaliser's business
            return m.group(0)
        counts[_DEC] += 1
        return f" {whole} {_DEC}{_encode(part)} "

    def fraction(m: re.Match[str]) -> str:
        counts[_FRAC] += 1
        return f" {_FRAC}{_encode(m.group(1))}zz{_encode(m.group(2))} "

    def range_mark(_: re.Match[str]) -> str:
        counts[_TO] += 1
        return f" {_TO} "

    text = _open_end(_month_spans(text, lexicon, counts), lexicon, counts)
    restate = _words(lexicon, "restate_words")
    if restate and "=" in text:
        text, counts[_EQUALS] = _EQUALS_COUNT.subn(f" {min(restate)} ", text)
    text = _DECIMAL.sub(decimal, text)
    halves = _words(lexicon, "half_words")
    if halves:
        before_half = r"\s*[,;]\s*(?=(?:" + "|".join(sorted(halves)) + r")(?![a-z0-9]))"
        text, seps = re.subn(before_half, f" {_SEP} ", text)
        counts[_SEP] += seps
    text = _SD.sub(range_mark, text)
    text = _FRACTION.sub(fraction, text)
    text = _DASH.sub(range_mark, text)
    text = _roll_call(text, lexicon, counts)
    text = _phrases(text, lexicon, counts)
    return _restated(_workers_counted(text, lexicon), lexicon, counts), counts


_worker_patterns: dict[int, tuple[Lexicon, re.Pattern[str] | None]] = {}


def _workers_counted(text: str, lexicon: Lexicon) -> str:
    """The text without the word of being before a number of workers ("ada 15 tukang
    parkir": fifteen people, not fifteen trades one owns, as "punya 2 becak" is): the number
    counts them, as in "15 tukang parkir". [calculator] `exist_words` and `worker_heads`."""
    pattern = _cached(_worker_patterns, lexicon, _build_workers_pattern)
    return text if pattern is None else pattern.sub("", text)


def _build_workers_pattern(lexicon: Lexicon) -> re.Pattern[str] | None:
    exist, heads = _words(lexicon, "exist_words"), _words(lexicon, "worker_heads")
    if not exist or not heads:
        return None
    count = _count_pattern(_count_words(lexicon))
    return re.compile(
        rf"(?<![a-z0-9]){_forms(exist, lexicon)}\s+"
        rf"(?=(?:\d{{1,3}}|{count})\s+{_forms(heads, lexicon)}(?![a-z0-9]))"
    )


class _Sources(NamedTuple):
    """The patterns of `_without_sources`, built once per lexicon."""

    people: re.Pattern[str]  # people before a word of saying, or after a word of a source
    sum: re.Pattern[str]  # a sum of money as typed (`_SUM`, or a number and a scale word)
    selves: frozenset[str]  # the speaker ("saya dan istri bilang": the speaker's own list)
    joins: frozenset[str]


_source_patterns: dict[int, tuple[Lexicon, _Sources | None]] = {}


def _without_sources(text: str, lexicon: Lexicon) -> str:
    """The text without the people named as the ones who told a sum of money ("my parents
    said 5 years is 1 million total, is that right?", "kata tetangga saya 25 tahun 8 juta",
    "jare bojoku setaun 200 ewu"): they tell where a figure was heard, not whom it is for (the
    first was a total for two people). The words that say so stay. Only beside a sum
    (`_SUM`, or a number and one of `sum_words`): "istri saya bilang mau ikut juga, setahun
    berapa?" may ask for the two of them, and the calculator asks how many."""
    found = _cached(_source_patterns, lexicon, _build_source_pattern)
    if found is None or not found.sum.search(text):
        return text

    def without(m: re.Match[str]) -> str:
        before = re.findall(r"[a-z0-9]+", text[: m.start()])[-2:]
        if (
            m.group("said")
            and len(before) == 2
            and before[0] in found.selves
            and before[1] in found.joins
        ):
            return m.group(0)  # "saya dan istri bilang ...": the speaker's list, both counted
        return f" {m.group('said') or m.group('source')} "

    return found.people.sub(without, text)


# a sum of money as typed: "Rp16.800", "201.600", "16800" (not a year: "2024")
_SUM = r"(?<![a-z0-9])(?:rp\.?\s*\d|\d{1,3}(?:[.,]\d{3})+(?![\d])|\d{5,})"


def _build_source_pattern(lexicon: Lexicon) -> _Sources | None:
    """People (`group_words`, `counted_words`, `roll_single`, `roll_counted`, with an owner or
    a suffix, several joined by `and_words`) before one of `said_words`, or after one of
    `source_words`; a sum (`_SUM`, or a number and one of `sum_words`: "8 juta", "1 million",
    "200rb")."""
    said, sources = _words(lexicon, "said_words"), _words(lexicon, "source_words")
    if not said or not sources:
        return None
    kin = _words(lexicon, "group_words") | _words(lexicon, "counted_words")
    kin |= _words(lexicon, "roll_single") | _words(lexicon, "roll_counted")
    if not kin:
        return None
    owners = _words(lexicon, "roll_owner_before") | _words(lexicon, "roll_owner_after")
    one = _person_item(kin, lexicon, owners, owners)
    join = rf"(?:\s*[,&+]\s*|\s+{_alternatives(_words(lexicon, 'and_words'))}\s+)"
    people = rf"{one}(?:{join}{one})*"
    scales = _words(lexicon, "sum_words")
    sums = rf"{_SUM}|\d\s*{_alternatives(scales)}(?![a-z])" if scales else _SUM
    return _Sources(
        re.compile(
            rf"(?<![a-z0-9]){people}\s+(?P<said>{_alternatives(said)})(?![a-z0-9])"
            rf"|(?<![a-z0-9])(?P<source>{_alternatives(sources)})\s+{people}(?![a-z0-9])"
        ),
        re.compile(sums),
        _words(lexicon, "self_words") | _words(lexicon, "roll_owner_after"),
        _words(lexicon, "and_words") | _words(lexicon, "with_words"),
    )


_month_patterns: dict[int, tuple[Lexicon, re.Pattern[str] | None]] = {}


def _month_pattern(lexicon: Lexicon) -> re.Pattern[str] | None:
    """A span of months by name, each perhaps with its year: "maret sampai desember",
    "jan-jun", "oktober 2025 s/d maret 2026" (the lexicon's [months] and `month_to`)."""
    return _cached(_month_patterns, lexicon, _build_month_pattern)


def _build_month_pattern(lexicon: Lexicon) -> re.Pattern[str] | None:
    to = _words(lexicon, "month_to")
    if not lexicon.months or not to:
        return None
    month = _unit_words(lexicon, 1)  # "bulan", "bln", "sasi"
    name, year = _alternatives(lexicon.months), r"(?:\s+(?:19|20)\d\d)?"
    month_word = _alternatives(month)
    unit = rf"(?:{month_word}\s+)?"  # "bulan maret sampai bulan juni"
    sep = rf"\s*(?:[-–—]+|s\s*[/.]\s*d\.?|{_alternatives(to)})\s*"
    # but not the unit of a rate before the span: "16.800 tiap bulan januari sampai februari"
    # is the monthly figure, then two months (it read "16.800 tiap 2 bulan", and no total)
    rate = "".join(rf"(?<!{re.escape(w)}\s)" for w in sorted(_words(lexicon, "every_words")))
    first = rf"(?:{rate}{month_word}\s+)?"
    # the day the span starts on, after a word that starts it ("mulai 1 maret", "dari tgl 17
    # agustus": the month counts), and the end of the last month ("sampai akhir agustus")
    starts = _words(lexicon, "month_from")
    day = rf"(?:(?:{_alternatives(starts)}\s+)+\d{{1,2}}\s+)?" if starts else ""
    ends = _words(lexicon, "month_end")
    end = rf"(?:(?:{_alternatives(ends)})\s+)?" if ends else ""
    last = rf"{unit}{end}(?P<b>{name})(?P<y2>{year})"
    year_end = _year_end(lexicon, "eoy")
    if year_end:  # "maret sampai akhir tahun": to December
        last = rf"(?:{last}|{year_end})"
    return re.compile(
        rf"(?<![a-z0-9]){day}{first}(?P<a>{name})(?P<y1>{year})\)?{sep}{last}(?![a-z0-9])"
    )


def _year_end(lexicon: Lexicon, group: str) -> str:
    """A pattern for the end of the year ("akhir tahun", "akhir taun iki", "the end of the
    year"): one of `month_end`, a word for the year, and perhaps one of `year_this`; the
    year word in the named `group`. Empty when the lexicon has no such words."""
    ends, this = _words(lexicon, "month_end"), _words(lexicon, "year_this")
    years = _unit_words(lexicon, 12)  # "tahun", "thn", "taun"
    if not ends or not years:
        return ""
    this_ = rf"(?:{_alternatives(this)}\s+)?" if this else ""
    after = rf"(?:\s+{_alternatives(this)})?" if this else ""
    return rf"{_alternatives(ends)}\s+{this_}(?P<{group}>{_alternatives(years)}){after}"


def _names_a_month(typed: str, lexicon: Lexicon) -> bool:
    """Whether the text as typed names a month (as typed: the normaliser may read "jan" as a
    typo of another word)."""
    return not lexicon.months.keys().isdisjoint(re.findall(r"[a-z]+", typed))


def _month_spans(text: str, lexicon: Lexicon, counts: Counter[str]) -> str:
    """The text with each span of months by name as its number of months, both ends counted
    ("maret sampai desember": 10 bulan; "oktober sampai maret": 6, across the new year; with
    both years, "oktober 2025 - maret 2027": 18). A span that may be a month or a year and a
    month ("januari sampai januari"), or that ends before it starts, stays as typed."""
    pattern = _month_pattern(lexicon)
    if pattern is None or not _names_a_month(text, lexicon):
        return text
    unit = min(lexicon.units, key=lambda u: (lexicon.units[u], len(u)))  # "bulan", "month"

    def span(m: re.Match[str]) -> str:
        first = lexicon.months[m["a"]]
        to_year_end = bool(m.groupdict().get("eoy"))
        last = 12 if to_year_end else lexicon.months[m["b"]]
        y1, y2 = m["y1"].strip(), (m["y2"] or "").strip()
        if y1 and y2:
            months = (int(y2) - int(y1)) * 12 + last - first + 1
        elif to_year_end:
            months = last - first + 1
        elif first == last:
            return m.group(0)
        else:
            months = (last - first) % 12 + 1
        if not 1 <= months <= MAX_MONTHS:
            return m.group(0)
        counts[_SPAN] += 1
        return f" {months} {unit} "

    return pattern.sub(span, text)


_open_end_patterns: dict[int, tuple[Lexicon, re.Pattern[str] | None]] = {}


def _open_end(text: str, lexicon: Lexicon, counts: Counter[str]) -> str:
    """The text without a span to the end of the year that names no month to start from
    ("aku karo bojo sampai akhir tahun pira"): its year word is no duration of a year (it
    was counted as one), and how many months it is depends on when one starts, so the
    calculator asks (`_OPEN`)."""
    pattern = _cached(_open_end_patterns, lexicon, _build_open_end_pattern)
    if pattern is None:
        return text
    text, found = pattern.subn(" ", text)
    counts[_OPEN] += found
    return text


def _build_open_end_pattern(lexicon: Lexicon) -> re.Pattern[str] | None:
    to, year_end = _words(lexicon, "month_to"), _year_end(lexicon, "year")
    if not to or not year_end:
        return None
    return re.compile(rf"(?<![a-z0-9]){_alternatives(to)}\s+{year_end}(?![a-z0-9])")


_restate_patterns: dict[int, tuple[Lexicon, re.Pattern[str] | None]] = {}


def _restated(text: str, lexicon: Lexicon, counts: Counter[str]) -> str:
    """The text without the number that restates a count of people just named ("bapak ibu
    karo aku dadi telu, 7 wulan pira": three, said twice). A different number stays, a
    stray number the calculator asks about ("saya dan istri jadi 3, setahun berapa")."""
    pattern = _cached(_restate_patterns, lexicon, _build_restate_pattern)
    if pattern is None or not counts[_PPL]:
        return text
    numbers = _count_words(lexicon)

    def drop(m: re.Match[str]) -> str:
        word = m.group("n") or m.group("alone")
        value = int(word) if word.isdigit() else numbers[word]
        if _decode(m.group("code")) != value:
            return m.group(0)
        return m.group("ppl")

    return pattern.sub(drop, text)


def _build_restate_pattern(lexicon: Lexicon) -> re.Pattern[str] | None:
    """A people marker, then one of `restate_words` and a count ("... dadi telu")."""
    restate = _words(lexicon, "restate_words")
    if not restate:
        return None
    # not a duration ("jadi 2 tahun"), nor a count the calculator reads ("jadi 2 orang")
    after = _unit_forms(lexicon) | _words(lexicon, "half_words") | {_DEC, _FRAC}
    after |= _mapped_forms(_words(lexicon, "people_words"), lexicon)
    count = _count_pattern(_count_words(lexicon))
    return re.compile(
        rf"(?P<ppl>{_PPL_CODE})\s*,?\s+(?:{_forms(restate, lexicon)}\s+"
        rf"(?P<n>{count})(?![a-z0-9])(?!\s*{_alternatives(after)})"
        # ... or the count alone right after them, closing the part: "bapak ibu mertua kalih,
        # setunggal taun pinten" (both of them)
        rf"|(?P<alone>{count})(?=\s*[,.;!?]))"
    )


def _phrases(text: str, lexicon: Lexicon, counts: Counter[str]) -> str:
    """The text with the [people] phrases as people markers, and the speaker joined to one
    ("bapak ibu sama saya") counted in it."""
    found = _people_pattern(lexicon)
    if found is None:
        return text
    pattern, people_counts, speakers = found
    before = counts[_PPL]

    def people(m: re.Match[str]) -> str:
        # the one named group that matched: "k3" is the fourth phrase, longest first
        count, everyone = people_counts[int((m.lastgroup or "k0")[1:])]
        kind = _ALL if everyone else _PPL
        counts[kind] += 1
        return f" {kind}{_encode(str(count))} "

    text = pattern.sub(people, text)

    def speaker(m: re.Match[str]) -> str:
        count = _decode(m.group("code"))
        return m.group(0) if count is None else f" {_PPL}{_encode(str(count + 1))} "

    if counts[_PPL] > before:
        for joined in speakers:
            text = joined.sub(speaker, text)
    return text


# -- tokens ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Tok:
    # num half unit people counted_with ppl ppl_all group to between and vague rp one times
    # thing may_be_people (a trade, a thing nobody is said to own) word, age (dropped
    # with its number before parsing: `_without_ages`), since and work (a time worked,
    # dropped: `_without_experience`), restate (before a count of people: "jadi 3 orang"),
    # trades (after the programme's count of them, "13 profesi": `_without_trades_listed`)
    kind: str
    value: Fraction = Fraction(0)


def _words(lexicon: Lexicon, key: str) -> frozenset[str]:
    return lexicon.calculator.get(key, frozenset())


def _marker(word: str) -> str | None:
    for kind in (_DEC, _FRAC, _PPL, _ALL, _TO, _SEP):
        if word.startswith(kind):
            return kind
    return None


def _names_me_last(
    words: Sequence[str],
    i: int,
    selves: Collection[str],
    joins: Collection[str],
    people: Collection[str],
) -> bool:
    """The word before `i` is the speaker, or the word that joins the speaker, named last
    right before a count of people ("bapak ibu adik sm aku, 4 org": the count restates
    everyone named, `_Parser.parse`)."""
    word, rest = words[i - 1], words[i:]
    if word in joins and rest[:1] and rest[0] in selves:
        rest = rest[1:]
    elif word not in selves:
        return False
    return len(rest) >= 2 and rest[0].isdigit() and rest[1] in people


def _joined_count(rest: Sequence[str], joins: Collection[str], people: Collection[str]) -> bool:
    """`rest` opens with a joining word and a count of people ("dan 2 orang", "and 2 people",
    "karo wong loro" as "dengan orang 2"): after the speaker, one more than the count ("saya
    dan 2 orang teman" is three; it read two)."""
    if len(rest) < 3 or rest[0] not in joins:
        return False
    return (rest[1].isdigit() and rest[2] in people) or (rest[1] in people and rest[2].isdigit())


def _tokens(words: Sequence[str], lexicon: Lexicon, worked: bool = False) -> list[_Tok] | Unsure:
    """The words the calculator reads; other stop words are dropped, other words kept as
    separators (a duration is read from adjacent tokens only). `worked`: the time a person
    has worked stays (`_without_experience`)."""
    half, people = _words(lexicon, "half_words"), _words(lexicon, "people_words")
    group, to = _words(lexicon, "group_words"), _words(lexicon, "range_words")
    between, conj = _words(lexicon, "between_words"), _words(lexicon, "and_words")
    vague, one = _words(lexicon, "vague_words"), _words(lexicon, "one_words")
    times = _words(lexicon, "times_words")
    with_ = _words(lexicon, "with_words")
    skipped = _words(lexicon, "skip_words")
    things, own = _words(lexicon, "thing_words"), _words(lexicon, "own_words")
    owners = _words(lexicon, "roll_owner_before")
    since, work = _words(lexicon, "since_words"), _words(lexicon, "work_words")
    since_work = _words(lexicon, "since_work_words")
    restate = _words(lexicon, "restate_words")
    listed = _words(lexicon, "trades_listed")
    trades = _words(lexicon, "trade_tokens") | {PROFESSION}
    selves = _words(lexicon, "self_words")
    addresses = _words(lexicon, "address_words")
    alls, rests = _words(lexicon, "all_words"), _words(lexicon, "rest_words")
    rest_bare = _words(lexicon, "rest_bare_words")
    counts_nobody, telling, negations, before_count = _cached(
        _joiner_words, lexicon, _build_joiner_words
    )
    counted = _cached(_counted_forms, lexicon, _build_counted_forms)
    words = _without_counted_adjectives(words, counted, _words(lexicon, "counted_adjectives"))

    def owned(i: int) -> bool:
        """One of `own_words` near the word before `i` ("punya 2 gerobak")."""
        return any(w in own for w in words[max(0, i - 1 - OWN_REACH) : i + OWN_REACH])

    def counts_joiners(i: int) -> tuple[int, bool] | None:
        """After one of `all_words` or `rest_words` (the word before `i`): where its number is
        and whether there is one, when joining, paying, working or a duration is said soon
        after and no "not" ("semua 4 ikut", "cover all 5 for 6 months", "sisanya 5 mau bayar
        sendiri", "only the 2 adults join", "sisanya ikut 8 bulan"; not "all 3 are in
        school", "the remaining 2 are still in school", "sisanya tidak")."""
        at = i + 1 if i < len(words) and words[i] in before_count else i
        number = at < len(words) and words[at].isdigit()
        soon = words[at + number : at + number + JOIN_REACH]
        if any(w in negations for w in soon) or not any(w in telling for w in soon):
            return None
        return at, number

    # words that are a token of their own kind, looked up in this order
    kinds: tuple[tuple[Collection[str], str], ...] = (
        (lexicon.not_duration, "age"),
        (since_work, "since_work"),
        (since, "since"),
        (work, "work"),
        (half, "half"),
        (people, "people"),
        (group, "group"),
        (between, "between"),
        (conj, "and"),
        (vague, "vague"),
        ((_RP,), "rp"),
        (one, "one"),
        (times, "times"),
    )
    out: list[_Tok] = []
    me_too = False  # the speaker joined to the count that follows ("saya dan 2 orang": 3)
    i = 0
    while i < len(words):
        # a half word right after a separator: "kabeh telu, setengah tahun"
        apart = i > 0 and words[i - 1] == _SEP
        word = words[i]
        nxt = words[i + 1] if i + 1 < len(words) else ""
        i += 1
        marker = _marker(word)
        if word in selves and _joined_count(words[i:], conj | with_, people):
            me_too = True
            i += 1  # the joining word
            continue
        if word.isdigit() and i >= 2 and words[i - 2] in addresses:
            continue  # a neighbourhood or a street ("5 warga RT 03", "gang 3"): no count
        if word.isdigit():
            of_people = nxt in people or (i >= 2 and words[i - 2] in people)
            value = Fraction(int(word) + (1 if me_too and of_people else 0))
            me_too = False
            if _marker(nxt) == _DEC:
                part = _decode(nxt[len(_DEC) :])
                if part is None:
                    return Unsure("duration")
                digits = (len(nxt) - len(_DEC)) // 2
                value += Fraction(part, 10**digits)
                i += 1
            elif _marker(nxt) == _FRAC and value < MIXED_WHOLE:  # "1 1/2", not "1975 1/2"
                frac = _fraction(nxt)
                if frac is None:
                    return Unsure("duration")
                value += frac
                i += 1
            out.append(_Tok("num", value))
        elif marker == _FRAC:
            frac = _fraction(word)
            if frac is None:
                return Unsure("duration")
            out.append(_Tok("num", frac))
        elif marker == _DEC:  # a decimal without its whole part
            return Unsure("duration")
        elif marker == _SEP:
            continue
        elif marker in (_PPL, _ALL):
            count = _decode(word[len(marker) :])
            if count is None:
                return Unsure("people")
            out.append(_Tok("ppl" if marker == _PPL else "ppl_all", Fraction(count)))
        elif marker == _TO or word in to:
            out.append(_Tok("to"))
        elif word in lexicon.units:
            out.append(_Tok("unit", Fraction(lexicon.units[word])))
        elif word in things:
            # a thing one owns is counted apart ("punya 2 gerobak", "gerobak saya ada 2");
            # without owning it may stand for people ("iuran 2 warung"): a word
            out.append(_Tok("thing" if owned(i) else "may_be_people"))
        elif (
            i >= 2
            and words[i - 2].isdigit()
            and (
                word in counted or (word in trades and not owned(i) and words[i - 2] not in listed)
            )
        ):
            # "2 tetangga", "4 casual staff", "15 tukang parkir": people; "istri dan 2 teman",
            # "my wife and my 2 friends": perhaps the speaker too (an owner word before the
            # number aside; with the speaker named, "saya dan 2 teman" is a list, counted
            # before: `_roll_call`). A trade one owns may be a vehicle ("punya 2 becak"), and the
            # programme's own count of trades is no count of people ("13 profesi"): a word
            j = i - 4 if i >= 4 and words[i - 3] in owners else i - 3
            joined = j >= 0 and (words[j] in conj or words[j] in with_)
            out.append(_Tok("counted_with" if joined else "people"))
        elif (
            word in counted
            and nxt.isdigit()
            and (i + 1 >= len(words) or words[i + 1] not in counts_nobody)
            and not (i >= 2 and words[i - 2] in conj | with_ | selves)
        ):
            # "anggotane sepuluh", "warga 5": the people counted, as "wong loro" (`_Parser`);
            # not after the speaker ("aku karo kanca 2": the speaker too, `_roll_call`)
            out.append(_Tok("counted_before"))
        elif word in trades:
            after_listed = i >= 2 and words[i - 2] in listed and bool(out) and out[-1].kind == "num"
            out.append(_Tok("trades" if after_listed else "may_be_people"))
        elif _names_me_last(words, i, selves, conj | with_, people):
            continue  # "adik sm aku, 4 org": the speaker, the last one named before the count
        elif (word in alls or word in rests) and (found := counts_joiners(i)) is not None:
            at, number = found
            if number:
                out.append(_Tok("all" if word in alls else "rest"))
                i = at  # "the" / "yang" between: the number is the next token
            elif word in rest_bare:
                out.append(_Tok("rest_bare"))  # "sisanya ikut": those counted less the others
        elif word in restate and nxt.isdigit():
            # "jadi 3 orang", "dadi telu": a count of everyone named before it
            # (`_Parser.parse`)
            out.append(_Tok("restate"))
        elif (kind := next((k for found, k in kinds if word in found), None)) is not None:
            out.append(_Tok(kind, _APART if kind == "half" and apart else Fraction(0)))
        elif word not in lexicon.stopwords and word not in skipped:
            out.append(_Tok("word"))
    out = _without_trades_listed(out)
    # "a year" is one year; "half a year" is half of one
    resolved: list[_Tok] = []
    for k, tok in enumerate(out):
        if tok.kind != "one":
            resolved.append(tok)
        elif (
            k + 1 < len(out) and out[k + 1].kind == "unit" and (k == 0 or out[k - 1].kind != "half")
        ):
            resolved.append(_Tok("num", Fraction(1)))
    return _without_ages(resolved if worked else _without_experience(resolved))


class _JoinerWords(NamedTuple):
    """Words around a count of those who join (`_tokens`), built once per lexicon."""

    counts_nobody: frozenset[str]  # after a counted word's number: things, family, a trade
    telling: frozenset[str]  # joining, paying, working, a unit or money: the count is theirs
    negations: frozenset[str]  # "not", "masih sekolah": the count is of those left out
    before_count: frozenset[str]  # between the word and its number ("only the 2 adults")


_joiner_words: dict[int, tuple[Lexicon, _JoinerWords]] = {}


def _build_joiner_words(lexicon: Lexicon) -> _JoinerWords:
    joining = (
        _words(lexicon, "left_out_join")
        | _words(lexicon, "status_words")
        | _words(lexicon, "paid_words")
        | _words(lexicon, "work_words")
    )
    return _JoinerWords(
        _words(lexicon, "thing_words") | _words(lexicon, "group_words") | {PROFESSION},
        joining | lexicon.money_words | frozenset(lexicon.units),
        _words(lexicon, "left_out_not") | lexicon.not_total | _words(lexicon, "rest_not"),
        _words(lexicon, "rest_skipped"),
    )


_counted_forms: dict[int, tuple[Lexicon, frozenset[str]]] = {}


def _build_counted_forms(lexicon: Lexicon) -> frozenset[str]:
    """`counted_words`, also with a possessive ending ("2 kancaku", "4 sedulurku")."""
    counted = _words(lexicon, "counted_words")
    return counted | {w + end for w in counted for end in _words(lexicon, "roll_suffixes")}


def _without_trades_listed(toks: list[_Tok]) -> list[_Tok]:
    """The programme's own count of trades ("13 profesi": `trades_listed`) left out when the
    message counts its people otherwise ("aku, adhiku karo bapak, telu wong, dudu 13 profesi,
    3 sasi pira": three); alone it may count people ("13 profesi yg dibayar pemkot setahun
    berapa": the calculator asks how many)."""
    if not any(t.kind == "trades" for t in toks):
        return toks
    counted = any(t.kind in ("ppl", "ppl_all", "people", "group", "counted_with") for t in toks)
    kept: list[_Tok] = []
    for tok in toks:
        if tok.kind != "trades":
            kept.append(tok)
        elif counted:
            kept.pop()  # its number
        else:
            kept.append(_Tok("may_be_people"))
    return kept


def _without_counted_adjectives(
    words: Sequence[str], counted: Collection[str], adjectives: Collection[str]
) -> list[str]:
    """The words without one of the lexicon's `counted_adjectives` between a number and a
    word it counts: "4 casual staff" reads as "4 staff"."""
    return [
        w
        for k, w in enumerate(words)
        if not (
            w in adjectives
            and 0 < k < len(words) - 1
            and words[k - 1].isdigit()
            and words[k + 1] in counted
        )
    ]


def names_work_since(words: Sequence[str], lexicon: Lexicon) -> bool:
    """The words hold one of `since_words` and one of `work_words`, in any order: with a
    duration they may tell the time someone has worked ("bapak saya narik becak udah 30
    tahun"), which `time_worked_only` reads with the work after the duration only."""
    since, work = _words(lexicon, "since_words"), _words(lexicon, "work_words")
    return not since.isdisjoint(words) and not work.isdisjoint(words)


def asks_an_amount(words: Sequence[str], lexicon: Lexicon) -> bool:
    """The words ask an amount: a number, a price word ([price_clause]) or a money word other
    than a paying one ([calculator] `money_words` less `paid_words`: "iurannya dibayarin
    pemkot?" names paying and asks no amount)."""
    amount = lexicon.price_words | lexicon.money_words.difference(_words(lexicon, "paid_words"))
    return any(w.isdigit() or w in amount for w in words)


def time_worked_only(words: Sequence[str], lexicon: Lexicon) -> bool:
    """True when the message's durations, one month aside, are all the time a person has
    worked ("sudah 5 tahun jualan, iurane sasi piro", "... iuran sebulan berapa"): it asks
    no total, however the matcher reads "tahun"."""
    toks = _tokens(words, lexicon, worked=True)
    if isinstance(toks, Unsure):
        return False

    def durations(found: list[_Tok]) -> list[Fraction]:
        return [
            a.value * b.value
            for a, b in itertools.pairwise(found)
            if (a.kind, b.kind) == ("num", "unit")
        ]

    left = durations(_without_experience(toks))
    return len(durations(toks)) > len(left) and all(months == 1 for months in left)


# what a person does for a living, beside "sudah" and a duration: the time they have done it
_WORK = ("work", "may_be_people")


def _without_experience(toks: list[_Tok]) -> list[_Tok]:
    """The tokens without the time a person has worked ("sudah 5 tahun jualan", "wis 20 taun
    narik becak": one of the lexicon's `since_words`, a duration, then a word of work,
    `work_words` or a trade; after one of `since_work_words` the work may also come first:
    "been driving an ojek for 10 years"), which is no duration to pay for; a "since" or
    "work" word is otherwise a word like any other."""
    out = list(toks)
    k = 0
    while k < len(out):
        kinds = [t.kind for t in out]
        # "sudah 5 tahun jualan"; not "anakku loro sing wis kerjo setaun totale piro", where
        # the year after the work is the one to pay for. With the work before "sudah" too
        # ("narik becak udah 30 tahun"), a question of the check files lost its total
        # (tests/data/README.md, the nineteenth session)
        if kinds[k] in ("since", "since_work") and kinds[k + 1 : k + 4] in (
            ["num", "unit", w] for w in _WORK
        ):
            del out[k + 1 : k + 3]
        elif kinds[k] == "since_work":  # "been driving an ojek for 10 years"
            j = k + 1
            while j < len(kinds) and kinds[j] in _WORK:
                j += 1
            if j > k + 1 and kinds[j : j + 2] == ["num", "unit"]:
                del out[j : j + 2]
        k += 1
    # as before: a "since" word is a stop word, a word of work a word
    return [
        t if t.kind != "work" else _Tok("word")
        for t in out
        if t.kind not in ("since", "since_work")
    ]


def _without_ages(toks: list[_Tok]) -> list[_Tok]:
    """The tokens without ages and the number each one gives ("umur saya 52 tahun", "lahir
    1975", "he is 55 years old"): an age is neither a duration nor a count of people."""
    out = list(toks)
    while (k := next((k for k, t in enumerate(out) if t.kind == "age"), None)) is not None:
        kinds = [t.kind for t in out]
        if k >= 2 and kinds[k - 2 : k] == ["num", "unit"]:  # "55 years old"
            del out[k - 2 : k + 1]
        elif k >= 1 and kinds[k - 1] == "num":  # "55 old"
            del out[k - 1 : k + 1]
        else:  # "umur 52 tahun", "umur bapak 60", "lahir 1975"
            num = next((j for j in range(k + 1, min(k + 3, len(out))) if kinds[j] == "num"), None)
            if num is None:
                del out[k]
            else:
                end = num + 2 if num + 1 < len(out) and kinds[num + 1] == "unit" else num + 1
                del out[k:end]
    return out


def _fraction(word: str) -> Fraction | None:
    parts = word[len(_FRAC) :].split("zz")
    if len(parts) != 2:
        return None
    num, den = _decode(parts[0]), _decode(parts[1])
    if num is None or not den:
        return None
    return Fraction(num, den)


# -- parsing --------------------------------------------------------------------------------


@dataclass
class _Parsed:
    durations: list[tuple[Fraction, Fraction | None]]
    people: list[Fraction]  # counted with a number ("3 orang", "wong loro")
    # counted by a phrase ("suami istri", "bapak ibuku": the lexicon's [people])
    phrased: list[Fraction] = field(default_factory=list)
    groups: int = 0  # words naming people without a number ("sekeluarga"; "bapak ibu sama adek": 1)
    # people named beside family named without a number ("aku ro bojoku ro anakku")
    listed: bool = False
    # a count said after everyone is named ("bapak ibu sama adek saya, jadi 3 orang")
    restated: Fraction | None = None
    ambiguous: bool = False  # "wong 2 setengah taun": two people, or 2.5 years?
    vague: bool = False
    stray: bool = False
    # where the last stray number and the restating count ("..., jadi 4 orang") are: the
    # numbers before such a count are its parts ("aku karo 3 tonggo, dadi 4 wong": four)
    last_stray_at: int = -1
    restated_at: int | None = None
    # a stray number right before or after a duration, or beside "times" ("2 5 tahun": 2,5
    # years, or two people for five? "2 kali 6 bulan"), and where the last duration ends
    stray_beside: bool = False
    duration_end: int = -1
    # the number who join, said after the others are counted ("15 orang, yg 10 sdh ditanggung
    # pemkot, sisanya 5 mau bayar sendiri": 5; "only the 2 adults join"): the count
    rest: Fraction | None = None
    rest_unsure: bool = False  # two different such numbers
    count_at: int | None = None  # where the last count with a people word is ("8 orang")
    # people counted after the word naming them ("rewang loro"), and where: before a count of
    # everyone ("..., dadi telu wong") they are its parts
    parts: list[tuple[int, Fraction]] = field(default_factory=list)
    # units without a number ("per year", "per bulan"): one of them, for several people
    bare_units: list[Fraction] = field(default_factory=list)
    counted_things: int = 0  # things with a number beside them ("punya 2 gerobak", "lapak 2")
    # numbers beside family named without a count ("anakku telu"), and where: the speaker may
    # be one more, so the calculator asks, unless a count of everyone follows them
    # ("aku, anakku telu, adikku, dadi limang wong": five)
    family: list[tuple[int, Fraction]] = field(default_factory=list)

    @property
    def group(self) -> bool:
        """People named without a number ("sekeluarga")."""
        return self.groups > 0


# after "satu", what counts nobody: "satu keluarga" is one family, "12 orang satu perahu" one
# boat, "1 warung" the one stall's owner
_ONE_OF_THEM = frozenset({"group", "may_be_people"})
# what may follow the number of those who join ("semua 4 ikut", "sisanya 5 orang", "all 5 for 6
# months"): not family, things or a unit
_AFTER_JOINERS = frozenset({"", "word", "people", "and", "num"})
# tokens that name people: a count said before one of them counts only some ("jadi 3 orang,
# terus bapak ibu")
_NAMING = frozenset({"ppl", "ppl_all", "group", "people", "counted_with"})


class _Parser:
    def __init__(self, toks: list[_Tok], named: bool = False) -> None:
        self.toks = toks
        # reading the people the message names (`named_people_query`): a number beside
        # family counts them ("anak 2": two), the speaker aside
        self.named = named

    def kind(self, pos: int) -> str:
        return self.toks[pos].kind if 0 <= pos < len(self.toks) else ""

    def after(self, pos: int, count: int) -> tuple[str, ...]:
        """The kinds of the `count` tokens after `pos`."""
        return tuple(self.kind(pos + k) for k in range(1, count + 1))

    def names_nobody_from(self, pos: int) -> bool:
        """No token from `pos` on names people: a count of people before is said after
        everyone is named ("..., jadi 3 orang"; not "jadi 3 orang, terus bapak ibu")."""
        return not any(t.kind in _NAMING for t in self.toks[pos:])

    def quantity(self, pos: int) -> tuple[Fraction, int, bool] | None:
        """A number, "1 setengah" / "one and a half" (before a unit), or "setengah"
        (before a unit): the value, the next position, and whether a half was read."""
        if self.kind(pos) == "half":
            return (Fraction(1, 2), pos + 1, True) if self.kind(pos + 1) == "unit" else None
        if self.kind(pos) != "num":
            return None
        value = self.toks[pos].value
        # "tiga setengah tahun"; but after a people word the number counts them: "wong telu
        # setengah taun" is three people and half a year
        counts_people = self.kind(pos - 1) == "people" and self.kind(pos - 2) != "num"
        joins = self.kind(pos + 1) == "half" and self.toks[pos + 1].value != _APART
        if joins and self.kind(pos + 2) == "unit" and not counts_people:
            return value + Fraction(1, 2), pos + 2, True
        and_half = self.kind(pos + 1) == "and" and self.kind(pos + 2) == "half"
        if and_half and self.kind(pos + 3) == "unit":  # "one and a half years"
            return value + Fraction(1, 2), pos + 3, True
        return value, pos + 1, False

    def term(self, pos: int) -> tuple[Fraction, Fraction, int] | None:
        """A quantity and its unit ("2 tahun", "setahun setengah"): months, unit, next."""
        found = self.quantity(pos)
        if found is None or self.kind(found[1]) != "unit":
            return None
        value, nxt, had_half = found
        unit = self.toks[nxt].value
        months, nxt = value * unit, nxt + 1
        # a trailing half of the unit: "setahun setengah", "a year and a half"
        skip = 1 if self.kind(nxt) == "and" else 0
        if self.kind(nxt + skip) == "half" and self.kind(nxt + skip + 1) != "unit":
            if had_half or value.denominator != 1:
                return None
            months, nxt = months + unit / 2, nxt + skip + 1
        return months, unit, nxt

    def duration(self, pos: int, join_and: bool = True) -> tuple[Fraction, int, int] | None:
        """Terms in decreasing units ("2 tahun 6 bulan"): months, next position, terms."""
        first = self.term(pos)
        if first is None:
            return None
        months, unit, nxt = first
        terms = 1
        while True:
            skip = 1 if join_and and self.kind(nxt) == "and" else 0
            more = self.term(nxt + skip)
            if more is None or more[1] >= unit:
                break
            months, unit, nxt = months + more[0], more[1], more[2]
            terms += 1
        return months, nxt, terms

    def span(self, pos: int, between: bool = False) -> tuple[Fraction, Fraction | None, int] | None:
        """A duration or a range ("3-6 bulan", "6 bulan sampai 1 tahun")."""
        left = self.duration(pos, join_and=not between)
        bare: tuple[Fraction, int, bool] | None = None
        if left is not None:
            low: Fraction | None = left[0]
            nxt = left[1]
        else:
            bare = self.quantity(pos)
            if bare is None:
                return None
            low, nxt = None, bare[1]
        connectors = ("to", "and") if between else ("to",)
        if self.kind(nxt) in connectors:
            right = self.duration(nxt + 1, join_and=not between)
            if right is not None:
                if low is None:  # "3-6 bulan": the unit of the right end
                    if right[2] != 1 or bare is None:
                        return None
                    unit_pos = right[1] - 1
                    while self.kind(unit_pos) != "unit":
                        unit_pos -= 1
                    low = bare[0] * self.toks[unit_pos].value
                return low, right[0], right[1]
        if low is None or between:
            return None
        return low, None, nxt

    def after_rate(self, pos: int) -> int:
        """The position after the unit a money figure is per ("16.800 sebulan", "16800 per
        month") and the "x" that multiplies it ("16800 x 6 bulan"), if they follow it."""
        if self.kind(pos) == "unit":
            return pos + 1
        one = self.kind(pos) == "num" and self.toks[pos].value == 1
        if one and self.kind(pos + 1) == "unit":
            pos += 2
        return pos + 1 if self.kind(pos) == "times" else pos  # "16800 x 6 bulan"

    def multiplied(self, pos: int, result: _Parsed) -> int:
        """After a money figure and its "x": a number without a unit is a number of months
        (the figure is per month): "16800 x 12 brp ya setahun"."""
        bare = self.kind(pos) == "num" and self.kind(pos + 1) in ("", "word", "may_be_people")
        if self.kind(pos - 1) == "times" and bare:
            result.durations.append((self.toks[pos].value, None))
            return pos + 1
        return pos

    def near_a_quantity(self, pos: int) -> bool:
        """A quantity soon after, or right before: "lebih dari 2 tahun", "beberapa bulan",
        "setahun lebih" are vague; "monthly contribution under this program" is not."""
        quantity = ("num", "unit", "half")
        after = range(pos + 1, pos + VAGUE_REACH + 1)
        return self.kind(pos - 1) in quantity or any(self.kind(p) in quantity for p in after)

    def money(self, pos: int) -> bool:
        """A money figure starts at `pos` ("Rp16.800", "16800")."""
        if self.kind(pos) == "rp":
            return self.kind(pos + 1) == "num"
        return self.kind(pos) == "num" and self.toks[pos].value >= MONEY_FIGURE

    def joiners(self, pos: int, result: _Parsed) -> int:
        """The number after a word that counts those who join (`_tokens`): with "semua",
        "all" everyone, as a count said after everyone is named ("semua 4 ikut 6 bulan");
        with "sisanya", "only" those who join of the people counted ("sisanya 5"). Not a
        duration ("semua 3 bulan"), money, nor a number beside family or things ("semua 4
        anak saya"). The next position."""
        if not self.counts_after(pos):
            return pos + 1
        value = self.toks[pos + 1].value
        nxt = pos + (3 if self.kind(pos + 2) == "people" else 2)
        if self.kind(pos) == "rest":
            result.rest_unsure |= result.rest is not None and result.rest != value
            result.rest = value
            result.restated_at = pos  # the numbers before it are the others
        else:
            self.everyone(pos, value, nxt, result)
        return nxt

    def counts_after(self, pos: int) -> bool:
        """The number after the word at `pos` may count people: it is no duration ("semua 3
        bulan"), no money, and no family, things or trade follow it ("semua 4 anak saya");
        another number after it starts a duration ("all 5 for 6 months", not "semua 4 5")."""
        if self.kind(pos + 1) != "num" or self.kind(pos + 2) not in _AFTER_JOINERS:
            return False
        if not 1 <= self.toks[pos + 1].value < MONEY_FIGURE:
            return False
        if self.kind(pos + 2) == "num" and self.span(pos + 2) is None:
            return False
        return self.span(pos + 1) is None

    def everyone(self, pos: int, value: Fraction, nxt: int, result: _Parsed) -> None:
        """A count of everyone at `pos` ("jadi 3 orang", "semua 4 ikut"), the tokens after it
        from `nxt` on: said after everyone is named, it restates them all."""
        result.people.append(value)
        if self.names_nobody_from(nxt):
            result.restated = value
            result.restated_at = pos

    def bare_restate(self, pos: int) -> bool:
        """One of `restate_words` and a whole number that may count people (`counts_after`),
        without a people word, after people are named ("... anakku sing gede dadi telu")."""
        if self.kind(pos + 2) == "people" or not self.counts_after(pos):
            return False
        named = any(t.kind in _NAMING for t in self.toks[:pos])
        return named and self.toks[pos + 1].value.denominator == 1

    def rest_of(self, pos: int, result: _Parsed) -> None:
        """ "Sisanya" without a number, after a count and the numbers it is cut into ("di
        bengkel ada 8 org, 3 udh punya BPJS TK. sisanya 7 bln brp": 5; "keluarga sy 7 org: 3
        balita, 1 nenek, sisanya kerja": 3): the count less those numbers."""
        if result.count_at is None or len(set(result.people)) != 1 or result.rest is not None:
            return
        parts = [
            self.toks[k].value
            for k in range(result.count_at + 2, pos)
            if self.kind(k) == "num" and self.span(k) is None
        ]
        left = result.people[0] - sum(parts)
        if parts and left >= 1:
            result.rest = left
            result.restated_at = pos

    def parse(self) -> _Parsed:
        result = _Parsed([], [])
        pos = 0
        while pos < len(self.toks):
            kind = self.kind(pos)
            one = kind == "num" and self.toks[pos].value == 1
            if one and self.kind(pos + 1) == "unit" and self.money(pos + 2):
                # "sebulan 16.800": the unit the money figure after it is per (so the figure
                # has no unit after it: "sebulan 16.800 kan? setahun brp")
                pos += 4 if self.kind(pos + 2) == "rp" else 3
                if self.kind(pos) == "times":
                    pos += 1
            elif kind == "rp" and self.kind(pos + 1) == "num":  # a money figure
                pos = self.multiplied(self.after_rate(pos + 2), result)
            elif kind == "num" and self.toks[pos].value >= MONEY_FIGURE:
                # "16.800 itu iuran sebulan ya", "bayar 16800 tiap bulan selama 10 tahun": a
                # money figure (never a count of months: MAX_MONTHS), and the unit it is per
                pos = self.multiplied(self.after_rate(pos + 1), result)
            elif kind == "num" and self.after(pos, 3) == ("to", "num", "people"):
                result.ambiguous = True  # "2 atau 3 orang": ask how many
                pos += 4
            elif kind in ("all", "rest"):
                pos = self.joiners(pos, result)
            elif kind == "rest_bare":
                self.rest_of(pos, result)
                pos += 1
            elif kind == "half" and self.quantity(pos) is None and result.count_at is not None:
                # "keluarga besar 10 org, yg kerja cuma separuhnya": half of those counted
                half = result.people[-1] / 2
                result.rest_unsure |= result.rest is not None or half.denominator != 1
                result.rest = half
                result.restated_at = pos
                pos += 1
            elif kind == "restate" and (
                self.after(pos, 2) == ("num", "people") or self.bare_restate(pos)
            ):
                # "..., jadi 3 orang": after everyone is named, it counts them all; so does a
                # number without a unit after people named ("aku bojoku karo anakku sing gede
                # dadi telu setaun")
                nxt = pos + (3 if self.kind(pos + 2) == "people" else 2)
                self.everyone(pos, self.toks[pos + 1].value, nxt, result)
                pos = nxt
            elif kind == "num" and self.kind(pos + 1) == "people":
                value = self.toks[pos].value
                result.people.append(value)
                result.count_at = pos
                if self.kind(pos - 1) in _NAMING and self.names_nobody_from(pos + 2):
                    # "bapak ibu adik sm aku, 4 org": right after everyone is named, as
                    # "..., jadi 4 orang" (above)
                    result.restated = value
                pos += 2
            elif (
                kind == "ppl_all"
                and any(t.kind in _NAMING for t in self.toks[:pos])
                and self.names_nobody_from(pos + 1)
            ):
                # "saya sama istri dan anak yang sudah kerja ... kalau setahun bertiga": a
                # phrase counting everyone, after everyone is named, counts them all (as
                # "..., jadi 3 orang" above)
                value = self.toks[pos].value
                result.people.append(value)
                result.restated = value
                pos += 1
            elif kind == "group" and self.kind(pos - 1) == "ppl_all":
                pos += 1  # "kami berempat sekeluarga": the family is the four of them
            elif kind == "num" and self.kind(pos + 1) == "thing":
                result.counted_things += 1  # "punya 2 gerobak": things, not months nor people
                pos += 2
            elif kind == "num" and self.kind(pos - 1) == "thing" and self.span(pos) is None:
                result.counted_things += 1  # "lapak 2", "gerobak saya ada 2"
                pos += 1
            elif kind == "num" and self.kind(pos + 1) == "counted_with":
                result.ambiguous = True
                pos += 2
            elif (
                kind == "counted_before" and self.kind(pos + 1) == "num" and not self.money(pos + 1)
            ):
                # "warga 5": five people; "tetangga. 16.800 sebulan, ...": a money figure, the
                # contribution per month (the oracle property test found it read as 16,800
                # neighbours, and the month left as a duration of its own)
                if self.span(pos + 1) is None:  # "anggotane sepuluh": ten people
                    result.people.append(self.toks[pos + 1].value)
                    result.parts.append((pos, self.toks[pos + 1].value))
                    pos += 2
                else:
                    pos += 1
            elif kind == "people" and self.kind(pos + 1) == "num":
                if self.span(pos + 1) is None:  # "wong loro" -> "orang 2"
                    result.people.append(self.toks[pos + 1].value)
                    pos += 2
                else:
                    result.ambiguous = True
                    pos += 1
            elif kind in ("num", "half", "between"):
                found = self.span(pos + 1, between=True) if kind == "between" else self.span(pos)
                if found is None:
                    # a number beside family named without a count counts them, and the
                    # speaker may be one more ("anak 2", "putra kula kalih"); one before a
                    # trade or a thing nobody is said to own may count people or things
                    # ("punya 2 becak", "15 tukang parkir", "iuran 2 warung"): ask how
                    # many; "satu keluarga" is one family
                    beside = "group" in (self.kind(pos - 1), self.kind(pos + 1))
                    family = beside or self.kind(pos + 1) == "may_be_people"
                    value = self.toks[pos].value
                    if kind == "num" and family and value >= 2:
                        if self.named and beside:
                            result.people.append(value)
                        elif beside:
                            result.family.append((pos, value))
                        else:
                            result.ambiguous = True
                    elif not (kind == "num" and value == 1 and self.kind(pos + 1) in _ONE_OF_THEM):
                        result.stray = True
                        result.last_stray_at = pos
                        result.stray_beside |= (
                            result.duration_end == pos
                            or self.span(pos + 1) is not None
                            or "times" in (self.kind(pos - 1), self.kind(pos + 1))
                        )
                    pos += 1
                else:
                    # reading the people named, a number right after them that starts a
                    # duration with a half may count them ("aku, anakku loro setengah taun",
                    # "saya, anak 2 1/2 tahun": two children for half a year, or 2,5 years?)
                    after_people = self.kind(pos - 1) in ("ppl", "group")
                    halved = self.toks[pos].value.denominator != 1 or any(
                        self.kind(k) == "half" for k in range(pos, found[2])
                    )
                    result.ambiguous |= self.named and kind == "num" and after_people and halved
                    result.durations.append((found[0], found[1]))
                    pos = result.duration_end = found[2]
            else:
                if kind in ("ppl", "ppl_all"):
                    result.phrased.append(self.toks[pos].value)
                if kind == "unit":
                    result.bare_units.append(self.toks[pos].value)
                before, after = self.toks[:pos], self.toks[pos + 1 :]
                if kind == "group" and (
                    any(t.kind in ("ppl", "ppl_all") for t in before)
                    or any(t.kind == "ppl" for t in after)
                ):
                    # "aku ro bojoku ro anakku", "kami berdua sama anak", "istri dan bapak ibu
                    # saya": more people than the phrase counts; not so before a phrase that
                    # counts them all ("istri saya juga, dua-duanya", "my wife and son, 3 of us")
                    result.listed = True
                result.groups += kind == "group"
                result.vague |= kind == "vague" and self.near_a_quantity(pos)
                pos += 1
        if result.restated_at is not None and result.last_stray_at < result.restated_at:
            # "warungku ana rewang loro ditambah aku dadi telu wong": the numbers before the
            # count of everyone ("jadi 3 orang") are its parts
            result.stray = False
        for at, value in result.parts:
            if result.restated_at is not None and at < result.restated_at:
                result.people.remove(value)
        if result.family:
            # a count of everyone after the family counted ("aku, anakku telu, adikku, dadi
            # limang wong") counts them all when it leaves each family word one person at
            # least (`_restated_count`); without one, the calculator asks
            counted = sum(result.phrased) + result.groups - len(result.family)
            counted += sum(value for _, value in result.family)
            everyone, said_at = result.restated, result.restated_at
            settled = everyone is not None and everyone >= counted
            told_first = said_at is not None and all(k < said_at for k, _ in result.family)
            result.ambiguous |= not (settled and told_first)
        return result


def _parse(words: Sequence[str], lexicon: Lexicon) -> _Parsed | Unsure:
    toks = _tokens(words, lexicon)
    if isinstance(toks, Unsure):
        return toks
    return _Parser(toks, named=bool(_words(lexicon, _NAMED))).parse()


def duration_months(words: Sequence[str], lexicon: Lexicon) -> int | None:
    """The one duration named in the words ("2 tahun 6 bulan" -> 30), or None (none, several,
    a range, or not a whole number of months; an age is not one: "umur 40 tahun")."""
    parsed = _parse(words, lexicon)
    if isinstance(parsed, Unsure) or len(parsed.durations) != 1 or parsed.stray:
        return None
    low, high = parsed.durations[0]
    if high is not None or low.denominator != 1 or not 0 < low <= MAX_MONTHS:
        return None
    return int(low)


def _reply_tokens(reply: str, normaliser: Normaliser) -> list[_Tok] | None:
    """The calculator's tokens of a reply to its question back (None: not readable)."""
    lexicon = normaliser.lexicon
    text, _ = mark(reply, lexicon)
    if len(text) > MAX_INPUT_CHARS:
        return None
    # thanks, and the words a reply puts before its number ("buat 3 orang", "3 orang
    # makasih", "for 3 people, thanks"), say nothing more
    extra = lexicon.courtesy | _words(lexicon, "reply_words")
    words = [w for w in normaliser.normalise(text).words if w not in extra]
    toks = _tokens(words, lexicon)
    return None if isinstance(toks, Unsure) else toks


def reply_people(reply: str, normaliser: Normaliser) -> int | None:
    """The number of people a short reply to "for how many people?" gives ("3", "3 orang",
    "wong telu", "bertiga", "two of us"), or None when the reply says anything else."""
    toks = _reply_tokens(reply, normaliser)
    if toks is None:
        return None
    kinds = [t.kind for t in toks]
    if kinds in (["num"], ["num", "people"], ["people", "num"]):
        count = next(t.value for t in toks if t.kind == "num")
    elif kinds in (["ppl"], ["ppl_all"]):
        count = toks[0].value
    else:
        return None
    if count.denominator != 1 or not 1 <= count <= MAX_PEOPLE:
        return None
    return int(count)


def reply_months(reply: str, normaliser: Normaliser) -> int | None:
    """The duration a short reply to "for how many months or years?" gives ("2 tahun",
    "setahun", "1 tahun 6 bulan", "2,5 tahun"), in whole months, or None when the reply says
    anything else."""
    toks = _reply_tokens(reply, normaliser)
    if toks is None or any(t.kind not in _DURATION_KINDS for t in toks):
        return None
    parsed = _Parser(toks).parse()
    if parsed.stray or parsed.vague or parsed.bare_units or len(parsed.durations) != 1:
        return None
    months, high = parsed.durations[0]
    if high is not None or months.denominator != 1 or not 1 <= months <= MAX_MONTHS:
        return None
    return int(months)


_DURATION_KINDS = frozenset({"num", "unit", "half", "and"})


def counts_people(words: Sequence[str], lexicon: Lexicon) -> bool:
    """The words count people with a number ("sewulan kanggo wong lima")."""
    parsed = _parse(words, lexicon)
    return isinstance(parsed, _Parsed) and bool(parsed.people)


def counts_everyone(words: Sequence[str], lexicon: Lexicon) -> bool:
    """The words count people with one number and a word for people, and name nobody else:
    "menawi gangsal tiyang punika mbayar tigang wulan, sedaya dados pinten?" (five), not
    "anak 2 orang 6 bulan berapa" (the children only) nor "bapak ibu, 4 orang"."""
    parsed = _parse(words, lexicon)
    if not isinstance(parsed, _Parsed) or parsed.stray or parsed.ambiguous:
        return False
    alone = not (parsed.phrased or parsed.groups or parsed.listed)
    return alone and len(set(parsed.people)) == 1 and parsed.people[0] > 1


def said_counts(words: Sequence[str], lexicon: Lexicon) -> tuple[int, ...]:
    """The whole numbers of people the words count (with a number and a word for people, or
    restated: "..., dadi pitu wong"; or after one of [calculator] `exist_words`, with no unit
    or money word after it: "tukang cukur ana 8, ..."), from 2 to `MAX_SAID_COUNT`, when
    the calculator cannot tell which of them (or which sum) the total is for. The bot asks how
    many people, and offers these beside its usual numbers: the person's own count is one tap
    away."""
    parsed = _parse(words, lexicon)
    if not isinstance(parsed, _Parsed):
        return ()
    said = [*parsed.people, *(n for n in (parsed.restated, parsed.rest) if n is not None)]
    after = _words(lexicon, "exist_words")
    not_counted = set(lexicon.units) | lexicon.money_words
    for i, word in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if i and word.isdigit() and words[i - 1] in after and nxt not in not_counted:
            said.append(Fraction(int(word)))
    return tuple(sorted({int(n) for n in said if n.denominator == 1 and 2 <= n <= MAX_SAID_COUNT}))


def names_people(words: Sequence[str], lexicon: Lexicon) -> bool:
    """The words name people, with a number or without ("anakku loro", "bojoku", "kami
    sekeluarga"), or the calculator cannot tell (a number it cannot place, or one that may
    count people or things: "karo 2 kancaku yo melu"). One person alone is no one named:
    "iurane siji wong pira" asks the contribution per person."""
    parsed = _parse(words, lexicon)
    if not isinstance(parsed, _Parsed):
        return True
    unsure = parsed.stray or parsed.ambiguous
    return bool(set(parsed.people) - {1} or parsed.phrased or parsed.groups or unsure)


# -- the question ---------------------------------------------------------------------------


# [calculator] lists that only tell how to read words the message holds anyway: they make no
# word part of a totals question ("aku karo bojoku arep melu setahun" is no question for the
# calculator alone, though "ikut" is one of `left_out_join`)
_CONTEXT_LISTS = frozenset(
    {
        "left_out_not",
        "left_out_join",
        "left_out_except",
        "left_out_still",
        "left_out_school",
        "rest_not",
        "rest_skipped",
        "month_from",
        "month_end",
        "year_this",
    }
)


def _known(word: str, lexicon: Lexicon, known: Collection[str], stem_known: bool) -> bool:
    if word.isdigit() or _marker(word) is not None or stem_known or word == _RP:
        return True
    if word in lexicon.stopwords or word in lexicon.units or word in known:
        return True
    if word in lexicon.not_duration:  # an age, read apart ("lahir 1975")
        return True
    return any(
        word in words for key, words in lexicon.calculator.items() if key not in _CONTEXT_LISTS
    )


def _counting(word: str, lexicon: Lexicon) -> bool:
    """The word counts people or time, or asks: a message of such words alone is a totals
    question without a money word ("terus kalau berdua 3 bulan?", "sy+istri+bpk, 1 thn")."""
    if word.isdigit() or _marker(word) is not None:
        return True
    if word in lexicon.stopwords or word in lexicon.units or word in lexicon.question_words:
        return True
    return any(
        word in words
        for key, words in lexicon.calculator.items()
        if key not in ("since_words", "since_work_words", "work_words", "status_words")
        and key not in _CONTEXT_LISTS
    )


def _money_rate(words: Sequence[str], i: int, lexicon: Lexicon) -> bool:
    """The money prefix, or a money figure per a unit of time ("16800 a month", "16800 x"):
    the question is about amounts ("is it 16800 a month? what about a year"). A bare large
    number is not: it may be a year ("perda no 10 th 2023")."""
    word = words[i]
    if word == _RP:
        return True
    if not word.isdigit() or int(word) < MONEY_FIGURE or i + 1 >= len(words):
        return False
    nxt = words[i + 1]
    return nxt in lexicon.units or nxt in _words(lexicon, "times_words")


def _tag(words: Sequence[str], i: int, lexicon: Lexicon) -> bool:
    """A "no" that only asks for confirmation: "iuran 3 bulan 50.400 bener ga" ("benar
    tidak": two words of the lexicon's [confirmation])."""
    confirm = lexicon.confirmation
    return i > 0 and words[i] in confirm and words[i - 1] in confirm


def _clauses_as_read(text: str, normaliser: Normaliser) -> Iterator[str]:
    """The clauses of `text` between punctuation, each cut further where the matcher cuts a
    message typed without punctuation (choose.cuts: after a word that closes a question, as
    in "setaun brp | bisa bayar di indomaret ga"), but not after a "no", which may say it."""
    lexicon = normaliser.lexicon
    for clause in CLAUSE_BREAK.split(text):
        words = clause.split()
        plain = [w.lower() for w in words]
        start = 0
        for cut, _condition in cuts(
            plain, lexicon.clause_ends, normaliser.phrase_starts, lexicon.open_before_end
        ):
            # not after a "no": "aku ora mbayar 4 wulan", "kalau saya nggak bayar tiga bulan"
            if lexicon.no_words.isdisjoint(normaliser.normalise(plain[cut - 1]).words):
                yield " ".join(words[start:cut])
                start = cut
        yield " ".join(words[start:])


def _asking_no(text: str, normaliser: Normaliser, count: int) -> set[int]:
    """Where, in the normalised words of `text`, a "no" only asks another question: it ends
    a clause without a number ("2 taun totalnya brp? trus bs diingetin tiap bulan ga?",
    "wong loro setaun pira, terus isa diilingke saben wulan ora"), also where a message
    typed without punctuation is cut (`_clauses_as_read`: "setaun brp bisa bayar di
    indomaret ga" asks a total, then where to pay). "ora mbayar 4 wulan" and
    "kalau 3 bulan tidak bayar" say it (`not_total`), and "bayar setaun langsung bs gk" asks
    whether a year can be paid at once: the sources do not say. `count`: the number of the
    message's words; clauses read apart that do not add up to it (a word the whole message
    gains, such as the age-limit token) leave every "no" as it is."""
    found: set[int] = set()
    at = 0
    lexicon = normaliser.lexicon
    no_words = lexicon.no_words
    particles = lexicon.stopwords - no_words
    for clause in _clauses_as_read(text, normaliser):
        words = normaliser.normalise(clause).words
        at += len(words)
        # the particles after it aside: "itu gratis ga sih?"
        end = len(words)
        while end and words[end - 1] in particles:
            end -= 1
        if end and words[end - 1] in no_words and not any(w.isdigit() or _marker(w) for w in words):
            found.add(at - len(words) + end - 1)
    return found if at == count else set()


def _status(words: Sequence[str], i: int, lexicon: Lexicon) -> bool:
    """A `not_total` word right before joining (one of [calculator] `status_words` in the next
    two words) tells the speaker's status, not months unpaid: "blm ikut program apa2. klo sy
    ikut 10 bulan, total yg sy keluarkan brp?", "durung melu", "not registered yet"."""
    status = _words(lexicon, "status_words")
    return words[i] in lexicon.not_total and not status.isdisjoint(words[i + 1 : i + 3])


def says_late(words: Sequence[str], lexicon: Lexicon) -> bool:
    """The words say months late or unpaid: one of `not_total` ("telat", "nunggak", "belum
    bayar"), but neither a plain "no" that may only close a question ("setaun brp ga?") nor
    the asker's status ("belum ikut": `_status`)."""
    late = lexicon.not_total - lexicon.no_words
    return any(w in late and not _status(words, i, lexicon) for i, w in enumerate(words))


def asks_arrears(words: Sequence[str], normaliser: Normaliser, lexicon: Lexicon) -> bool:
    """The words ask what months left unpaid come to: they say the months unpaid
    (`says_late`, or a "no" before paying: "ora mbayar 4 wulan"), ask to settle them
    ([calculator] `settle_words`: "dilunasi", "dirapel", "nyaur", "catch up"; or one of
    `owed_words` before paying: "brp yg hrs dibayar") and ask no fine (`fine_words`: "telat 2
    bulan dendanya brp" asks the late-payment rule, which the knowledge base answers)."""
    if lexicon.not_total.isdisjoint(words) and lexicon.no_words.isdisjoint(words):
        return False  # most messages with a duration: nothing unpaid, nothing to stem
    stems = [normaliser.stem(w) for w in words]
    if not _words(lexicon, "fine_words").isdisjoint((*words, *stems)):
        return False
    paid = _words(lexicon, "paid_words")
    unpaid = says_late(words, lexicon) or any(
        w in lexicon.no_words and stems[i + 1 : i + 2] and stems[i + 1] in paid
        for i, w in enumerate(words)
    )
    if not unpaid:
        return False
    owed = _words(lexicon, "owed_words")
    return not _words(lexicon, "settle_words").isdisjoint(stems) or any(
        w in owed and not paid.isdisjoint(stems[i + 1 : i + 3]) for i, w in enumerate(words)
    )


def _other_programmes(lexicon: Lexicon) -> frozenset[str]:
    """The names of programmes other than ours ([programs] and `other_programs`, less
    `programs`): the knowledge base has no contribution figure of theirs."""
    return (lexicon.programs | _words(lexicon, "other_programs")) - _words(lexicon, "programs")


def names_other_contribution(words: Sequence[str], lexicon: Lexicon) -> bool:
    """The message asks for another programme's contribution: one of its names beside a
    money word ("iuran BPJS Kesehatan setahun", "total bpjs kesehatan contribution"), and our
    programme not named. Having KIS is not asking its contribution ("sudah punya kis, setahun
    iurannya berapa")."""
    if any(w in _words(lexicon, "programs") for w in words):
        return False
    foreign = _other_programmes(lexicon)
    money = lexicon.money_words
    return any(
        w in foreign and any(v in money for v in words[max(0, i - 1) : i + 2])
        for i, w in enumerate(words)
    )


def _without_left_out(
    question: str, normaliser: Normaliser, lexicon: Lexicon | None = None
) -> str | Unsure | None:
    """The message without its clauses that leave people out of the total ([calculator]
    `left_out_not` before one of `left_out_join`, or closing the clause, or one of
    `left_out_except` opening it, in a clause naming people): "mau daftar buat bapak ibu
    saja, adik2 tidak. 3 tahun totalnya brp" is a question for the two parents. None when no
    clause does, or when a number left out may be part of a count said elsewhere
    ("keluarga sy 6 org, yg 2 msh sekolah jd ga ikut": the 2 are among the 6). `Unsure`
    (how many people?) when the message counts everyone with a word for people and leaves
    someone out: "kami 5 orang, bapak ga ikut" (is he among the 5?), "we are 7 people but
    grandpa won't join" (the total was for 5, then for one person, until December 2026)."""
    lexicon = lexicon or normaliser.lexicon
    negations = _words(lexicon, "left_out_not")
    joins, excepts = _words(lexicon, "left_out_join"), _words(lexicon, "left_out_except")
    still, school = _words(lexicon, "left_out_still"), _words(lexicon, "left_out_school")
    selves = _words(lexicon, "self_words")
    and_with = _words(lexicon, "and_words") | _words(lexicon, "with_words")
    if (negations | excepts | still).isdisjoint(normaliser.normalise(question).words):
        return None  # most messages
    kept: list[str] = []
    numbers_left_out = everyone_counted = False
    people_words = _words(lexicon, "people_words")
    clauses = [c for c in CLAUSE_BREAK.split(question) if c.strip()]
    for clause in clauses:
        words = normaliser.normalise(clause).words
        counted = any(
            w.isdigit() and words[k + 1] in people_words for k, w in enumerate(words[:-1])
        )
        everyone_counted |= counted
        # a "no" closing a clause that asks is a question tag ("anakku oleh beasiswa ora?")
        asks = f"{clause}?" in question or not lexicon.question_words.isdisjoint(words)
        said_no = any(
            w in negations
            and (
                (k + 1 == len(words) and not asks) or (k + 1 < len(words) and words[k + 1] in joins)
            )
            for k, w in enumerate(words)
        )
        # "semua 3 anak saya masih sekolah": children at school do not join; with the speaker
        # they are a list ("aku karo anakku sing masih sekolah": two)
        listed_me = any(
            w in selves and not and_with.isdisjoint(words[max(0, k - 1) : k] + words[k + 1 : k + 2])
            for k, w in enumerate(words)
        )
        at_school = not listed_me and any(
            w in still and not school.isdisjoint(words[k + 1 : k + 3]) for k, w in enumerate(words)
        )
        if words and (said_no or at_school or words[0] in excepts) and names_people(words, lexicon):
            # a count of everyone in the clause is not the number left out
            numbers_left_out |= not counted and any(w.isdigit() for w in words)
            continue
        kept.append(clause)
    if len(kept) == len(clauses):
        return None
    if everyone_counted and not numbers_left_out:
        months = duration_months(normaliser.normalise(question).words, lexicon)
        return Unsure("people", months, left_out=True)
    rest = ", ".join(kept)
    if numbers_left_out and counts_people(normaliser.normalise(rest).words, lexicon):
        return None
    return rest


def names_no_amount(words: Sequence[str], normaliser: Normaliser) -> bool:
    """The words name no amount to pay: no number, and none of the words a totals question
    needs ([calculator] `money_words`, `paid_words`, [price_clause]). "ada sosialisasi lagi
    gak thn ini? sy ketinggalan yg februari" asks no total, whatever "tahun" leans to."""
    lexicon, stem = normaliser.lexicon, normaliser.stem
    amount = lexicon.money_words | _words(lexicon, "paid_words") | lexicon.price_words
    return not any(w.isdigit() or w in amount or stem(w) in amount for w in words)


def asks_received_money(question: str, normaliser: Normaliser) -> bool:
    """The message asks the amount of money the asker would receive ([calculator]
    `received_words`: a benefit, a scholarship, a wage), not the contribution: "santunan
    setahun brp", "beasiswa pertaun brp", "upah sebulan berapa". Every clause with a money
    word (cut at punctuation and at `and_words`) names such money, and the message does not
    name the contribution (`paid_words`): "gajiku sejuta, iurane sebulan pira" is ours, and
    so are "penghasilan ga tentu, sebulan brp" (the wage is the story) and "santunane pira
    lan sewulan pira" (two questions)."""
    lexicon = normaliser.lexicon
    received = _words(lexicon, "received_words")
    stem = normaliser.stem

    def names(words: Sequence[str], group: Collection[str]) -> bool:
        return any(w in group or stem(w) in group for w in words)

    words = normaliser.normalise(question).words
    if not names(words, received) or names(words, _words(lexicon, "paid_words")):
        return False
    joins = _words(lexicon, "and_words")
    asked = False  # a clause asks the amount of money received
    said = False  # a clause so far names money received
    plain = lexicon.money_words | lexicon.stopwords
    for clause in CLAUSE_BREAK.split(question):
        piece: list[str] = []
        for word in (*normaliser.normalise(clause).words, None):
            if word is not None and word not in joins:
                piece.append(word)
                continue
            if names(piece, lexicon.money_words):
                if names(piece, received):
                    asked = True
                elif said and all(w in plain for w in piece):
                    # nothing but the amount: of the money named before ("anak dpt
                    # beasiswa sampe kuliah po? total e pira")
                    asked = True
                else:
                    return False  # another clause asks an amount: perhaps ours
            said = said or names(piece, received)
            piece = []
    return asked


def totals_query(
    question: str,
    normaliser: Normaliser,
    known: Collection[str],
    story: bool = False,
    lexicon: Lexicon | None = None,
) -> TotalsQuery | Unsure | None:
    """What a totals question asks, `Unsure` when it cannot be answered exactly, or None
    when it is not a totals question for the calculator.

    A totals question has a duration (a number and a unit), a money word ("berapa", "total",
    "bayar"...), no word outside the knowledge base ("cicilan motor 2 tahun berapa" is not
    ours), no other programme ("iuran BPJS Kesehatan 3 bulan": the knowledge base has no
    such figure), no unit the contribution is not counted in (weeks, days) and none of
    `not_total` ("kalau 3 bulan tidak bayar": the 3-month rule). An age and its number are
    read apart ("umur saya 52 tahun, setahun berapa": one year), and so is a number of
    things ("punya 2 gerobak").
    A single month for one person is the monthly contribution, which the knowledge base
    answers.

    `story`: the message is known to ask for a total (the knowledge base's matcher and
    classifier chose the totals entry), so words outside the knowledge base are the story
    around it ("aku karo bojoku arep melu kabeh. setahun kudu nyiapke duit piro?"), and a
    message naming people and a duration needs no money word ("setaun setengah kanggo wong
    telu"); every other rule stands. `lexicon`: the calculator's word lists, when not the
    normaliser's (`named_people_query`).
    """
    lexicon = lexicon or normaliser.lexicon
    words = normaliser.normalise(question).words  # cached: the service normalised it
    timed = any(w in lexicon.units for w in words)
    if not timed and not _names_a_month(_as_typed(question), lexicon):
        return None  # most questions: no duration at all
    text, markers = mark(question, lexicon)
    spans = markers.pop(_SPAN, 0)
    equals = markers.pop(_EQUALS, 0)
    open_end = markers.pop(_OPEN, 0)
    if not timed and not spans:
        return None  # a month's name, but no span of months ("iuran januari sudah masuk?")
    if markers or spans or equals or open_end:
        if len(text) > MAX_INPUT_CHARS:
            return None
        words = normaliser.normalise(text).words
    if asks_received_money(question, normaliser):
        return None  # "santunan setahun brp": not what a member pays
    rest = _without_left_out(question, normaliser, lexicon)
    if isinstance(rest, Unsure):
        return rest
    if rest is not None and any(w in lexicon.units for w in normaliser.normalise(rest).words):
        # "me and my wife, our 3 kids are not joining, how much for a year?": the two of them
        return totals_query(rest, normaliser, known, story, lexicon)
    # months unpaid are no duration to pay for, unless the message asks what settling them
    # comes to ("nunggak 2 bulan, brp yg hrs dibayar")
    arrears = asks_arrears(words, normaliser, lexicon)
    late = frozenset() if arrears else lexicon.not_total
    blocked = late | _words(lexicon, "other_units") | _other_programmes(lexicon)
    asking = _asking_no(text, normaliser, len(words)) if lexicon.no_words & set(words) else set()
    if any(
        w in blocked
        and not _tag(words, i, lexicon)
        and i not in asking
        and not _status(words, i, lexicon)
        for i, w in enumerate(words)
    ):
        return None
    stem = normaliser.stem
    money = any(
        w in lexicon.money_words or stem(w) in lexicon.money_words or _money_rate(words, i, lexicon)
        for i, w in enumerate(words)
    )
    if not money and not story and not all(_counting(w, lexicon) for w in words):
        return None
    if not story and not all(_known(w, lexicon, known, stem(w) in known) for w in words):
        return None
    found = Counter(m for w in words if (m := _marker(w)) is not None)
    if found != markers:  # a marker was swallowed (e.g. by a trade name): do not guess
        people = (_PPL, _ALL)
        return Unsure("people" if any(found[k] != markers[k] for k in people) else "duration")
    parsed = _parse(words, lexicon)
    if not money and (
        isinstance(parsed, Unsure)
        or not (parsed.people or parsed.phrased or (story and parsed.groups))
    ):
        # a totals question without a money word names people and a duration ("setaun
        # setengah kanggo wong telu", "sy+istri+bpk, 1 thn", "terus kalau berdua 3 bulan?");
        # a duration alone ("5 tahun") may be a reply to something else. Outside a story
        # (`story`), the message says nothing else (`_counting`): "aku karo bojoku arep
        # melu setahun" may be about registering. In a story, family named without a number
        # names people too ("rong sasi aku karo adiku"): the calculator asks how many
        return None
    if isinstance(parsed, Unsure):
        return parsed
    if open_end:
        parsed = replace(parsed, vague=True)  # how many months to the end of the year?
    if not story:
        # a thing the knowledge base does not know must be counted: "rumah setahun berapa"
        # may be the rent; "punya 2 gerobak, iuran setahun berapa" is ours
        things = _words(lexicon, "thing_words")
        unknown = sum(1 for w in words if w in things and w not in known and stem(w) not in known)
        if unknown > parsed.counted_things:
            return None
    decided = _decide(parsed)
    if arrears and decided is not None and (isinstance(decided, Unsure) or not decided.monthly):
        return replace(decided, unpaid=True)
    return decided


_named_lexicons: dict[int, tuple[Lexicon, Lexicon]] = {}


def _named_lexicon(lexicon: Lexicon) -> Lexicon:
    """The lexicon that reads the people a message names: each of [calculator] `one_each` in a
    list is one person ("aku karo adikku": 2), a list counts without the speaker ("pak darto
    karo bu sri": 2), and a number beside family counts them ("anak 2": 2)."""

    def build(lexicon: Lexicon) -> Lexicon:
        lists = dict(lexicon.calculator)
        lists["roll_single"] = _words(lexicon, "roll_single") | _words(lexicon, "one_each")
        lists[_NAMED] = frozenset({_NAMED})
        return replace(lexicon, calculator=lists)

    return _cached(_named_lexicons, lexicon, build)


def named_people_query(
    question: str, normaliser: Normaliser, known: Collection[str], unsure: Unsure
) -> TotalsQuery | None:
    """The total for the people a message names, when the calculator asks how many only
    because a family word carries no number ("aku karo adikku", "ibu sama adik saya"), the
    list does not name the speaker ("pak darto karo bu sri"), or a number beside family may
    leave the speaker out ("anak 2"): each family word is one person, the people named are
    all, and the number beside family counts them. The bot gives that total saying so, and
    keeps the question back ("for how many people?") one tap away. None when the message
    names a family without one ("sekeluarga"), the speaker apart from a list ("saya mau
    daftarkan istri dan 2 anak": the speaker may join too), or another duration."""
    if unsure.reason != "people" or unsure.months is None:
        return None
    found = totals_query(
        question, normaliser, known, story=True, lexicon=_named_lexicon(normaliser.lexicon)
    )
    if (
        isinstance(found, TotalsQuery)
        and found.people > 1
        and found.months_high is None
        and found.months_low == unsure.months
        and not found.monthly
    ):
        return found
    return None


_ONE_MONTH: tuple[Fraction, Fraction | None] = (Fraction(1), None)


def _people(parsed: _Parsed) -> set[Fraction]:
    """The counts of people the question names. A count with a number covers the people a
    phrase named, when it is at least as many ("bapak ibu saya sama saya sendiri, jadi tiga
    orang": 3); otherwise two different counts leave the calculator unsure, and so does a
    family named too ("kami sekeluarga 5 orang ... kalau kami berdua ikut": 2 of the 5)."""
    counted, phrased = set(parsed.people), set(parsed.phrased)
    if len(counted) == 1 and phrased and max(phrased) <= min(counted) and not parsed.group:
        return counted
    if _restated_count(parsed):
        return counted
    return counted | phrased


def _restated_count(parsed: _Parsed) -> bool:
    """A count said after everyone is named counts them all, when family is named without a
    number and the count leaves each such word one person at least ("bapak ibu sama adek
    saya, jadi 3 orang": 3; "kami sekeluarga, jadi 4 orang": 4). A count below that ("bapak
    ibu sama adek, jadi 2 orang") leaves the calculator asking. A count said before them
    counts them only when they are exactly as many (below)."""
    if not parsed.groups or len(set(parsed.people)) != 1:
        return False
    named = sum(parsed.phrased) + parsed.groups
    if parsed.restated is None:
        # a count said before the people it names, when they are exactly as many ("di rumah
        # ada 4 orang yg kerja: sy, istri ..., adik sy ..., sama anak sulung": 4)
        return parsed.people[0] == named
    return set(parsed.people) == {parsed.restated} and parsed.restated >= named


def _count(parsed: _Parsed, people: set[Fraction]) -> int | None:
    """The number of people the question says for sure (one when it names nobody), or None:
    several counts, not a whole number, family without one, or a number that may count
    people. It may be more than the calculator computes for (MAX_PEOPLE)."""
    if parsed.rest is not None:
        # "sisanya 5 mau bayar sendiri": those who join, whatever was counted before
        whole = parsed.rest.denominator == 1 and not parsed.rest_unsure
        return int(parsed.rest) if whole else None
    unsure = parsed.stray or parsed.ambiguous or (parsed.listed and not _restated_count(parsed))
    if unsure or (parsed.group and not people) or len(people) > 1:
        return None
    count = next(iter(people), Fraction(1))
    return int(count) if count.denominator == 1 and count >= 1 else None


def _decide(parsed: _Parsed) -> TotalsQuery | Unsure | None:
    found = parsed.durations
    one_unit = len(set(parsed.bare_units)) == 1 and not parsed.stray
    people = _people(parsed)
    if not found and len(people) == 1 and one_unit:
        # "how much per year for the two of us": one year, for them all
        found = [(parsed.bare_units[0], None)]
    count = _count(parsed, people)
    # only the duration is unknown: a reply with it gets the total (`reply_months`)
    ask_duration = Unsure("duration", people=count if count and count <= MAX_PEOPLE else None)
    if not found:
        return ask_duration if parsed.vague else None
    durations = set(found)
    # for several people, the month is theirs too ("kami 4 orang sebulan brp, setahun brp":
    # Rp67.200 a month, each line for the four): two durations asked apart
    monthly = len(durations) == 2 and _ONE_MONTH in durations and (count or 0) <= 1
    if monthly:
        # "berapa sebulan, terus kalau 5 tahun jadi berapa": the month asks for the monthly
        # contribution, answered next to the total
        durations.discard(_ONE_MONTH)
    apart = _asked_apart(durations) and not parsed.vague and not parsed.stray
    if apart:
        durations = {(min(d for d, _ in durations), max(d for d, _ in durations))}
    if parsed.vague or len(durations) != 1:
        return ask_duration
    low, high = next(iter(durations))
    if parsed.stray:
        whole = high is None and low.denominator == 1 and 0 < low <= MAX_MONTHS
        if whole and not parsed.stray_beside:
            # the numbers stand apart from the duration, which is sure; they may count people
            # ("keluarga 5 orang, yang kerja 3, yang 2 masih sekolah. setahun totalnya?")
            return Unsure("people", months=int(low))
        return replace(ask_duration, stray_months=int(low)) if whole else ask_duration
    ends = [low] if high is None else [low, high]
    if any(m.denominator != 1 for m in ends):
        return ask_duration
    if any(m > MAX_MONTHS for m in ends) or low <= 0:
        return None
    if high is not None and high < low:
        return ask_duration
    # only the people are unknown: the bot asks, giving the total for one person, and a
    # reply with the number ("3 orang") gets the total (`reply_people`)
    if count is None:
        return Unsure("people", int(low) if high is None else None)
    if count > MAX_PEOPLE:
        return None
    months_high = None if high is None or high == low else int(high)
    if months_high is None and low <= 1 and count == 1:
        return None  # the monthly contribution: the knowledge base's entry answers
    return TotalsQuery(int(low), months_high, count, monthly, apart=apart)


def _asked_apart(durations: Collection[tuple[Fraction, Fraction | None]]) -> bool:
    """Two durations, each asked for itself ("2 taun piro totale? ro nek telung taun?"),
    neither a range: a total for each (the calculator asked which one). Three or more
    stay a question back."""
    return len(durations) == 2 and all(high is None for _, high in durations)
