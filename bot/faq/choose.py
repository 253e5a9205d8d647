"""Which entries answer a message: the question inside a long message, two questions in one,
a message written in the other language, and the one clear candidate when unsure.

    choice = choose(matchers, "assalamualaikum min. iuran brp? trus daftare neng endi?", params)
    choice.entries   -> ("iuran", "daftar")      (at most two, best first; () = abstain)
    choice.near_miss -> None                     (when abstaining: one candidate clearly ahead)

The whole message is matched first; two entries that both clear the threshold but are too
close to choose between are both answered. The message is also cut into parts (sentences,
and clauses joined by "terus", "trus", "lalu", "&"...), and each part is matched on its own,
so a greeting, an introduction or a story does not drown the question ("saya janda, suami
saya dulu narik becak... apa saya dapat santunan?"). A part counts as a question of its own
when it asks something (a question mark, a question word, a closing "ga"); only such a part
adds a second entry, and only when that entry also stands out for the whole message and
the part does not read as the first entry's question. Small talk (entries off the menu) is
answered only when it is the whole message. A word that points to another programme
(the lexicon's [other_topics]) makes the bot abstain, without a "did you mean": "saya mau
ikut prakerja. daftarnya gimana?" is not a question for us; unless the word only tells the
asker's story, in parts that neither ask nor state a wish ("sy driver ojol, dulu kena PHK.
sy bs ikut gk?": `names_other_topic`).

Each message is matched first in the language it looks written in (the one whose lexicon
and knowledge base know most of its words; the user's own on a tie), then in the others:
an English question typed in an Indonesian chat is understood, and answered in the user's
language.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from bot.faq.matcher import Matcher, MatchParams, Ranking
from bot.faq.normalize import Lexicon, Normalised

MAX_ENTRIES = 2
SECOND_RANK = 4  # a second entry is among the whole message's best this many,
CLEAR_PART = 0.9  # or its part says almost exactly one of its phrasings
# a question part under the bar still names a second entry when it scores this much
FOLLOWUP_SCORE = 0.5
# a part whose best entry leads the first entry by less than this asks about the first
SAME_QUESTION = 0.15
# A long story is cut into many parts: the first few and the last ones are matched (a
# question opens or closes a message), which bounds the work for a 1,000-character message.
HEAD_PARTS, TAIL_PARTS = 3, 7
# a part shorter than this ("kes") adds no second entry, unless it decides one ("what is sakpore")
MIN_PART_TOKENS = 2
# a clause asks for one of two entries answered together when it scores it at least this much
# (and more than the other): `asked_order`
ORDER_SCORE = 0.2
# Sentence ends, and words that join two questions ("iuran brp trus daftar dimana").
_PARTS = re.compile(
    r"[?!;\n]+|(?<!\d)[.,]|[.,](?!\d)"
    r"|\s(?:terus|trus|trs|terusan|lalu|kemudian|satu lagi|dan|lan|sama|and|also|btw)\s"
    r"|\s[&+]\s",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Choice:
    entries: tuple[str, ...]  # at most MAX_ENTRIES, best first; empty = abstain
    ranking: Ranking  # of the whole message, in the language that answered (or scored best)
    # of the whole message, in the language it looks written in (the first of `order`): what
    # the question classifier's reading is checked against (FaqService.with_classifier)
    written: Ranking
    near_miss: str | None = None  # abstaining, but this candidate is clearly ahead
    leaning: tuple[str, ...] = ()  # what the message's questions lean towards, under the bar

    @property
    def score(self) -> float:
        return self.ranking.best.score if self.ranking.best else 0.0


@dataclass(frozen=True)
class Part:
    text: str
    question_mark: bool  # the part ends with "?"
    # the part ends at a word that joins it to the next one ("iuran & cara daftar?"): it asks
    # when that one asks (FaqService._clauses)
    joined: bool = False
    # the part opens after such a word ("jkk jkm jht iku opo, terus bedane karo bpjs
    # kesehatan"): it asks when the one before asks
    follows: bool = False
    # ... and that word starts another question ("terus", "lalu", "btw"), where "dan" and
    # "and" may join two things of one question
    anew: bool = False


# "beda BPJS TK sama BPJS Kesehatan apa", "difference between X and Y": after a word that
# compares, the first "and" of the clause joins the two things compared, not two questions
_COMPARES = re.compile(
    r"\b(?:beda\w*|bda\w*|perbedaan\w*|antara|vs|versus|difference|different|compare\w*)\b",
    re.IGNORECASE,
)
# ... unless a word between already pairs the two things compared: "how is X different from
# Y and who pays ..." asks two questions
_PAIRS = re.compile(
    r"\b(?:from|than|with|vs|versus|dari|daripada|dengan|karo|kalih|kaliyan)\b", re.IGNORECASE
)
_AND = frozenset({"sama", "dan", "lan", "and", "&", "+"})
# a clause cut after a word that closes a question ([clause_ends]) and opening with one of
# these follows the one before, as a part after a joining word does
_OPENS_JOINED = _AND | {"karo", "kalih", "terus", "trus", "trs", "lalu", "also"}
_PUNCTUATION = re.compile(r"[?!;\n.,]+")
# the joining words (of `_PARTS` and `_OPENS_JOINED`) that may join two things of one
# question
_NOT_ANEW = _AND | {"also", "karo", "kalih"}


def parts(text: str, joins: frozenset[str] = frozenset()) -> list[Part]:
    """The sentences and joined clauses of a message, each with some words; `joins`: more
    words (as typed) that join two of them, as "dan" does ("minta info iuran sm manfaatnya":
    a message of requests, FaqService._clauses)."""
    found: list[Part] = []
    start = 0
    compared = False  # this piece already kept an "and" after a word that compares
    follows = False  # the piece opens after a joining word
    anew = False  # ... one that starts another question
    for match in (*_parts_pattern(joins).finditer(text), None):
        if (
            match
            and not compared
            and match.group().strip().lower() in _AND | joins
            and (compare := _COMPARES.search(text, start, match.start()))
            and not _PAIRS.search(text, compare.end(), match.start())
        ):
            compared = True
            continue
        end = match.start() if match else len(text)
        piece = text[start:end].strip()
        joiner = bool(match and not _PUNCTUATION.fullmatch(match.group()))
        if len(piece) > 1:
            question_mark = bool(match and "?" in match.group())
            found.append(Part(piece, question_mark, joiner, follows, anew))
            follows = anew = False
        follows = follows or joiner  # ", terus": the empty piece between keeps it
        anew = anew or (
            joiner and match is not None and match.group().strip().lower() not in _NOT_ANEW
        )
        if match:
            start = match.end()
            compared = False
    if len(found) > HEAD_PARTS + TAIL_PARTS:
        found = found[:HEAD_PARTS] + found[-TAIL_PARTS:]
    return found


def part_asks(piece: Part, matcher: Matcher) -> bool:
    """The part asks something: a question mark, or a question word ("brp", "gmn", a closing
    "ga": `Matcher.asks_in`)."""
    return piece.question_mark or matcher.asks_in(matcher.normaliser.normalise(piece.text).words)


@functools.lru_cache(maxsize=8)
def _parts_pattern(joins: frozenset[str]) -> re.Pattern[str]:
    """`_PARTS`, with `joins` as more joining words."""
    if not joins:
        return _PARTS
    more = "|".join(re.escape(word) for word in sorted(joins))
    return re.compile(rf"{_PARTS.pattern}|\s(?:{more})\s", re.IGNORECASE)


def clauses(
    text: str,
    ends: frozenset[str],
    phrases: frozenset[tuple[str, str]] = frozenset(),
    open_after: frozenset[str] = frozenset(),
    joins: frozenset[str] = frozenset(),
) -> list[Part]:
    """The message's parts (`parts`), each further cut after a word that closes a question
    (the lexicon's [clause_ends]) when at least two words follow and one comes before: "ojol
    bs ikut gk brp sebulan" -> "ojol bs ikut gk", "brp sebulan"; "iuran brp bayar dmn" ->
    "iuran brp", "bayar dmn"; but "brp iurannya sebulan" stays whole, and so does a closing
    word that begins one of the lexicon's `phrases` with the next word ("meninggal tidak
    karena kecelakaan kerja": "tidak karena" is "bukan karena"), and one after a word of
    `open_after`, which opens the next question instead ("dibayar pemkot menawi mboten menapa
    saged ndherek" -> "dibayar pemkot", "menawi mboten menapa saged ndherek": "if not").
    `joins`: as for `parts`."""
    found: list[Part] = []
    for part in parts(text, joins):
        words = part.text.split()
        plain = [w.strip(".,!?").lower() for w in words]
        start = 0
        # the part's first clause opens after its joining word
        follows, anew = part.follows, part.anew
        for cut, condition in cuts(plain, ends, phrases, open_after):
            found.append(Part(" ".join(words[start:cut]), False, False, follows, anew))
            if condition:  # the condition opens the next question
                follows = anew = False
            else:  # the next clause opens with "and": "8 sasi totale pira karo sing mbayar sopo"
                follows = plain[cut] in _OPENS_JOINED
                anew = follows and plain[cut] not in _NOT_ANEW
            start = cut
        found.append(Part(" ".join(words[start:]), part.question_mark, part.joined, follows, anew))
    return found


def cuts(
    plain: Sequence[str],
    ends: frozenset[str],
    phrases: frozenset[tuple[str, str]] = frozenset(),
    open_after: frozenset[str] = frozenset(),
) -> Iterator[tuple[int, bool]]:
    """Where `clauses` cuts a run of words without punctuation (lowercased, as typed): the
    index each clause after the first starts at, and whether it opens with a condition (a
    word of `open_after`) rather than after a word that closes a question."""
    start = 0
    for i, word in enumerate(plain[:-2]):
        if i <= start or word not in ends or (word, plain[i + 1]) in phrases:
            continue
        if plain[i - 1] in open_after:
            if i - 1 > start:
                start = i - 1
                yield start, True
            continue
        start = i + 1
        yield start, False


def choose(
    matchers: Mapping[str, Matcher], text: str, params: MatchParams, order: Sequence[str]
) -> Choice:
    """The entries answering `text`, read in the languages of `order` (see `languages`) until
    one answers."""
    tried: list[Choice] = []
    for loc in order:  # the next language is read only when this one answers nothing
        tried.append(_choose_in(matchers[loc], text, params))
        if tried[-1].entries:
            break
    # the suggestions of the closest language, when none answers
    chosen = tried[-1] if tried[-1].entries else max(tried, key=lambda c: c.score)
    return dataclasses.replace(chosen, written=tried[0].ranking)


def languages(matchers: Mapping[str, Matcher], text: str, locale: str) -> list[str]:
    """The languages to read `text` in, the likeliest first (the user's own on a tie)."""
    return sorted(matchers, key=lambda loc: (-_familiarity(matchers[loc], text), loc != locale))


def _familiarity(matcher: Matcher, text: str) -> int:
    """How many of the message's words the language's lexicon and knowledge base know: an
    English question in an Indonesian chat is matched in English first."""
    normaliser = matcher.normaliser
    words = normaliser.normalise(text).words  # cached: the matcher reads it again
    lexicon = normaliser.lexicon
    return sum(
        1
        for w in words
        if w in lexicon.stopwords or w in lexicon.question_words or w in matcher.vocabulary
    )


def names_other_topic(matcher: Matcher, ranking: Ranking, text: str, params: MatchParams) -> bool:
    """True when the message names another programme or topic ([other_topics]) as what it
    asks about; not when such words only tell the asker's story, in parts that neither ask
    nor state a wish, while another part asks something the matcher answers on its own ("sy
    driver ojol, kena PHK. bisa ikut?"). That last condition kept the check files' look-alikes
    (three more were answered without it, and 1 more wrong; tests/data/README.md, the
    twenty-sixth session)."""
    if not matcher.names_other_topic(ranking):
        return False
    return not _told_in_story(matcher, text, params)


def _told_in_story(matcher: Matcher, text: str, params: MatchParams) -> bool:
    """Every word of another topic is in a part that neither asks nor states a wish, and a
    part without one asks something the matcher answers on its own (`names_other_topic`)."""
    pieces = parts(text)
    if len(pieces) < 2:
        return False
    lexicon = matcher.normaliser.lexicon
    wants = lexicon.stated_wish.wants if lexicon.stated_wish else frozenset()
    asked = False
    for piece in pieces:
        said = matcher.normaliser.normalise(piece.text)
        other = matcher.names_other_topic_in(said)
        asks = part_asks(piece, matcher)
        if other and (asks or not wants.isdisjoint(said.words)):
            return False
        if asks and not other and said.tokens and not asked:
            # ... or names our programme by its own name ("BLT wingi wis cair, sekalian arep
            # daftar sakpore, carane piye"): the other programme is the asker's story
            asked = not lexicon.own_program_words.isdisjoint(said.words) or (
                matcher.rank(piece.text, params).decide(params) is not None
            )
    return asked


@dataclass(frozen=True)
class AsideOther:
    """A message read without its parts about another programme (`beside_other_topic`)."""

    rest: str  # the parts kept, each with its end ("?" or ".")
    asked: str  # the parts set aside that ask something ("" when they only tell a wish)


def beside_other_topic(matcher: Matcher, text: str, params: MatchParams) -> AsideOther | None:
    """The message without its parts about another programme or topic ([other_topics]),
    when such a part asks (or states a wish) after a part with a question mark that asks,
    on its own, something the matcher answers: "Sakpore itu program apa ya? bedanya sama PKH
    apa?", "What are the benefits of Sakpore? I already get PKH but I want insurance". None
    otherwise (`names_other_topic` decides as before). A question after the other
    programme's is its follow-up ("beasiswa KIP kuliah daftarnya kapan? syaratnya apa?"),
    and a part without a question mark may be its condition ("when my husband passes away,
    can i still get PKH"): on the check files, either lets look-alikes be answered (40 and 1;
    tests/data/README.md, the thirty-seventh session); but a part that asks and names our
    programme by its name is ours wherever it stands ("PKH udah cair belum? kalo sakpore
    iurannya berapa": 7 more right on the check files, no look-alike answered, the
    thirty-eighth session), or names BPJS TK ("pkh cair kapan? bpjs tk nya yang bayar siapa":
    2 more right, 1 abstention with the right button -> the close entry, no look-alike
    answered, the forty-eighth session), and so is one that opens with a joining word and
    asks something of its own (`_own`: "JHT bisa dicairin kapan? trus JKK itu apa"; check
    files 10 more right, no look-alike answered; the forty-fourth session). A part set aside
    so asks or states a wish: never the asker's story (`_told_in_story`), so the message
    names another topic as `names_other_topic` reads it, with no ranking of the whole
    message."""
    if not matcher.names_other_topic_in(matcher.normaliser.normalise(text)):
        return None  # most messages
    pieces = parts(text)
    if len(pieces) < 2:
        return None
    lexicon = matcher.normaliser.lexicon
    wants = lexicon.stated_wish.wants if lexicon.stated_wish else frozenset()
    kept: list[str] = []
    asked: list[str] = []
    set_aside = answered = False
    told = False  # the part before opened after a joining word and asked nothing
    for k, piece in enumerate(pieces):
        said = matcher.normaliser.normalise(piece.text)
        asks = part_asks(piece, matcher)
        ended = piece.text + ("?" if piece.question_mark else ".")
        if matcher.names_other_topic_in(said):
            set_aside = set_aside or asks or not wants.isdisjoint(said.words)
            if asks:
                asked.append(ended)
            told = False
            continue
        kept.append(ended)
        # "..., terus sy kerja serabutan gak ikut perusahaan, bisa ikut bpjs tk gak": the
        # question after what the joined part told follows as that part does
        if told and not piece.follows:
            piece = dataclasses.replace(piece, follows=True)
        told = piece.follows and not asks
        # a part that asks and names our programme, by its own name or as BPJS TK ("kip
        # kuliah kapan cair? trus beasiswa dr bpjs tk ... buat brp anak")
        ours = asks and (
            lexicon.own_program in said.words
            or not lexicon.own_program_words.isdisjoint(said.words)
        )
        # a question before "terus ..." is one of its own, not the next one's condition
        # ("iuran sebulan brp trus JHT bisa dicairkan kapan"); before "dan"/"and" it may be
        # (on the check files, two look-alikes were answered)
        closed = asks and k + 1 < len(pieces) and pieces[k + 1].anew
        anywhere = ours or ((piece.question_mark or closed) and not set_aside)
        joined = set_aside and asks and _own(piece, said, lexicon)
        if said.tokens and not answered and (anywhere or joined):
            entry = matcher.rank(piece.text, params).decide(params)
            # a joined part's entry may be the other topic's follow-up (`follow_ups`)
            answered = entry is not None and (anywhere or entry not in lexicon.follow_ups)
    if not (set_aside and answered):
        return None
    return AsideOther(" ".join(kept), " ".join(asked))


def _own(piece: Part, said: Normalised, lexicon: Lexicon) -> bool:
    """A part joined after one about another topic ("trus", "and") that asks something of its
    own: a word beyond how-much words ("JHT bisa dicairin kapan? trus JKK itu apa"), and none
    that refers back to the other topic ("..., and how much would it pay each month?")."""
    return (
        piece.follows
        and not lexicon.price_words.issuperset(said.tokens)
        and lexicon.refer_back.isdisjoint(said.words)
    )


def _choose_in(matcher: Matcher, text: str, params: MatchParams) -> Choice:
    ranking = matcher.rank(text, params)
    other_topic = names_other_topic(matcher, ranking, text, params)
    whole = None if other_topic else ranking.decide(params)
    found: list[str] = [whole] if whole else []
    if not found and not other_topic:
        found = _close_pair(matcher, ranking, params)
    pieces = parts(text)
    leaning: list[str] = []
    if len(pieces) > 1 and not other_topic:
        found, leaning = _from_parts(matcher, pieces, ranking, params, found)
    # a question about another programme ("cara daftar CPNS") has no "did you mean"
    near_miss = None if found or other_topic else _near_miss(ranking, params)
    return Choice(tuple(found), ranking, ranking, near_miss, tuple(leaning))


def _from_parts(
    matcher: Matcher,
    pieces: list[Part],
    ranking: Ranking,
    params: MatchParams,
    found: list[str],
) -> tuple[list[str], list[str]]:
    """The entries a message of several parts asks for (at most two), and those its
    questions lean towards, under the bar (best first: suggestions when unsure).

    `found` is what the whole message decided: one entry, two close ones, or none. The
    parts that ask something decide on their own; the first entry is the whole message's
    (or, when it decided nothing, the best question part's: the question inside a long
    message), and a question part asking for another entry adds it as the second.
    """
    questions: dict[str, float] = {}  # entry -> its best question part's score
    followups: dict[str, float] = {}  # questions that lean towards an entry, under the bar
    statements: dict[str, float] = {}
    rankings: dict[str, list[Ranking]] = {}  # entry -> the parts asking for it
    ranked = [(piece, matcher.rank(piece.text, params)) for piece in pieces]
    # "kata pak lurah marbot iurannya ditanggung pemkot. itu bener?": a part that only asks
    # whether what was just said is true makes the part before it the question
    confirmed = {i - 1 for i, (_piece, r) in enumerate(ranked) if i and matcher.confirms(r)}
    for i, (piece, piece_ranking) in enumerate(ranked):
        best = piece_ranking.best
        if (
            best is None
            or not matcher.kb.entries[best.entry_id].menu
            or (i - 1 in confirmed and matcher.confirms(piece_ranking))
        ):
            continue
        decided = piece_ranking.decide(params)
        asks = piece.question_mark or i in confirmed or matcher.asks(piece_ranking)
        if asks and (decided or len(piece_ranking.normalised.tokens) >= MIN_PART_TOKENS):
            bucket = questions if decided else followups
        else:
            bucket = statements if decided else {}
        if decided or best.score >= FOLLOWUP_SCORE:
            bucket[best.entry_id] = max(bucket.get(best.entry_id, 0.0), best.score)
            rankings.setdefault(best.entry_id, []).append(piece_ranking)
    asked = sorted(questions, key=lambda entry: -questions[entry])
    leaning = sorted(followups, key=lambda entry: -followups[entry])
    if len(found) > 1:  # two close entries: the question part tells which
        chosen = [e for e in asked if e in found]
        if chosen:
            found = chosen[:1]
    # a second entry must also stand out for the whole message ("aku wis nduwe kis, kudu
    # melu maneh ra": the second part alone reads like a question about the fee)
    likely = {s.entry_id for s in ranking.scores[:SECOND_RANK] if s.score >= params.suggest_floor}
    if not found:
        # the question found inside a message must be a candidate for the whole message
        # too: in "kis pbi saya nonaktif, cara aktifkan lagi gimana" the last part alone
        # reads like a question about paying
        asked = [
            e
            for e in asked
            if questions[e] >= CLEAR_PART or ranking.score_of(e) >= params.suggest_floor
        ]
        if asked:
            found = asked[:1]
        elif len(statements) == 1:
            # no question asked: the one thing the message is about
            return list(statements), leaning
        else:
            return [], leaning
    if len(found) > 1:
        return found, leaning
    first = found[0]
    others = {**followups, **questions}

    def another_question(entry: str) -> bool:
        """Its part does not also read as the first entry's question ("meninggal karena
        stroke. dapat apa?": "dapat apa" is asked about the death benefit), unless the first
        entry is asked in a part of its own ("kalo meninggal dapet brp, anak dapet beasiswa
        ga?": two questions, each with its own part)."""
        if first in questions:
            return True
        return all(
            best.score - next((s.score for s in r.scores if s.entry_id == first), 0.0)
            >= SAME_QUESTION
            for r in rankings[entry]
            if (best := r.best) is not None
        )

    def stands_out(entry: str) -> bool:
        """Likely for the whole message, or said almost exactly, or asked and decided in a
        part of its own while the first entry is too ("pira iurane sewulan lan entuk opo
        wae": two questions, two parts)."""
        return (
            entry in likely
            or others[entry] >= CLEAR_PART
            or (first in questions and entry in questions)
        )

    second = sorted(
        (e for e in others if e != first and stands_out(e) and another_question(e)),
        key=lambda e: -others[e],
    )
    return [first, *second[:1]], leaning


def _close_pair(matcher: Matcher, ranking: Ranking, params: MatchParams) -> list[str]:
    """Two entries that both clear the threshold, too close to choose between ("pemkot
    nanggung iuran siapa": who pays, and whose contribution the city pays): both answer."""
    scores = ranking.scores
    if len(scores) < 2 or scores[1].score < params.threshold:
        return []
    if len(scores) > 2 and scores[1].score - scores[2].score < params.margin:
        return []  # three or more alike: no pair stands out
    pair = [scores[0].entry_id, scores[1].entry_id]
    return pair if all(matcher.kb.entries[e].menu for e in pair) else []


def _near_miss(ranking: Ranking, params: MatchParams) -> str | None:
    """The best candidate when it is clearly ahead of the others, though under the
    threshold: offered as one prominent button ("Maksud Anda: Iuran per bulan?")."""
    return ranking.leader(params.suggest_floor, params.near_margin)


def asked_order(
    matcher: Matcher, text: str, entries: tuple[str, ...], params: MatchParams
) -> tuple[str, ...]:
    """Two entries in the order the message asks for them: "iurane piro terus daftare
    piye" gets the contribution first, then how to register. Each entry is asked in the
    first clause (`clauses`) that asks something and scores it above the other and at least
    ORDER_SCORE, or failing that, in the first clause that asks nothing and does so ("info
    iuran sama cara daftar", "mau daftar tp takut nik sy bocor": named first, as a wish). The
    order stays as chosen when a clause asks for both or one is named in none (an answer
    added beside another, such as the death benefit beside a work accident).
    An entry's question counts, not an earlier word of the story: "Saya mau daftar ... NIK
    saya nanti disimpan di mana? Terus daftarnya mulai dari mana?" gets the data first."""
    if len(entries) != 2:
        return entries
    lexicon = matcher.normaliser.lexicon
    pieces = clauses(
        text, lexicon.clause_ends, matcher.normaliser.phrase_starts, lexicon.open_before_end
    )
    asked: dict[str, int] = {}
    told: dict[str, int] = {}
    for k, piece in enumerate(pieces if len(pieces) > 1 else ()):
        ranking = matcher.rank(piece.text, params)
        first, second = (ranking.score_of(e) for e in entries)
        if max(first, second) >= ORDER_SCORE and first != second:
            asks = piece.question_mark or matcher.asks(ranking)
            (asked if asks else told).setdefault(entries[0] if first > second else entries[1], k)
        if len(asked) == 2:
            break  # a later clause changes nothing
    where = [asked.get(e, told.get(e)) for e in entries]
    if where[0] is not None and where[1] is not None and where[1] < where[0]:
        return entries[::-1]
    return entries
