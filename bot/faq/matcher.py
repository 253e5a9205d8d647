"""Score a question against every phrasing of every entry.

The score is the cosine similarity of IDF-weighted token sets (a TF-IDF variant without term
frequency: questions are a handful of words, and repeating a word says nothing). The weights
come from the knowledge base itself: a word used by one entry ("beasiswa") counts much more
than one used by many ("apa", "bisa"). A word the knowledge base has never seen gets the
highest weight, so "cara daftar CPNS" scores low against "cara daftar": the unknown "cpns"
pulls it down. That is what keeps look-alike questions out.

Typos are forgiven first: a word the knowledge base does not know is compared with its
vocabulary by edit distance (rapidfuzz), and replaced when it is close enough ("kecelakan",
"bayr"); its weight is then scaled by the similarity.

An entry's score is its best phrasing's score. People mix the words of several phrasings of
one entry ("iuran bpjs tk buat pekerja mandiri berapa"), so a phrasing also borrows, with the
weight `entry_weight`, the question's words that other phrasings of the same entry use: it is
compared as if it contained them (a "virtual phrasing"; 0 turns this off, 1 pools the entry's
words). A word no phrasing of the entry uses still counts fully against it.

An entry whose phrasings name a programme (the lexicon's [programs]: BPJS Ketenagakerjaan,
BPJS Kesehatan) does not answer a question that names only another one: "cara daftar BPJS
Kesehatan" is not a question for the entry on registering with BPJS Ketenagakerjaan.

Not every word the knowledge base does not know is a sign of another topic. People tell a
story around their question ("saya janda, almarhum suami saya dulu narik becak..."): the
words of such stories (the lexicon's [ordinary] list: family, neighbours, time, feelings,
everyday life) weigh `ordinary_weight`. Every other unknown word weighs `unknown_weight`, and
never less than a story word: most of them name the thing a question is about ("perda
parkir", "harga batik"), which the knowledge base cannot tell apart from another topic. A
word of the lexicon's [other_topics] ("prakerja", "bansos", "pinjol") is never taken for a
typo of a knowledge-base word.

The matcher answers only when the best entry clears `threshold` and beats the runner-up by
`margin`; these and the two weights are tuned on labelled data by `bot.faq.tuning`, never
picked by hand.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from rapidfuzz import fuzz, process

from bot.faq.kb import PLACEHOLDERS, KnowledgeBase, plain, render
from bot.faq.normalize import Normalised, Normaliser
from bot.telegram_text import HtmlError

MATCHING_FILE = "faq_matching.toml"


@dataclass(frozen=True)
class MatchParams:
    """When to answer: best >= threshold and best - runner-up >= margin."""

    threshold: float = 0.5
    margin: float = 0.05
    # entries scoring at least this are offered as "Mungkin maksud Anda..." when unsure
    suggest_floor: float = 0.2
    # ... and the best of them as one prominent button when it leads the others by this
    near_margin: float = 0.1
    # weight of a word the knowledge base does not know, times the highest IDF
    unknown_weight: float = 1.0
    # the same for a word of the stories people tell around a question (lexicon [ordinary])
    ordinary_weight: float = 1.0
    # weight of the question's similarity with an entry's answer, added to its score
    answer_weight: float = 0.0
    # weight of a question word that another phrasing of the same entry uses (0 - 1)
    entry_weight: float = 0.0

    def __post_init__(self) -> None:
        if not 0.0 <= self.entry_weight <= 1.0:  # Matcher.entry_scores relies on it
            raise ValueError(f"entry_weight must be between 0 and 1, not {self.entry_weight}")

    @classmethod
    def load(cls, path: Path) -> MatchParams:
        """Read the tuned values; defaults when the file is missing."""
        if not path.exists():
            return cls()
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        values = {k: float(data[k]) for k in cls.__dataclass_fields__ if k in data}
        return cls(**values)


_DEFAULTS = MatchParams()


@dataclass(frozen=True)
class Scored:
    entry_id: str
    score: float


@dataclass(frozen=True)
class Ranking:
    """Every entry with a score above zero, best first."""

    normalised: Normalised
    scores: tuple[Scored, ...]
    unknown: tuple[str, ...]  # content words the knowledge base does not know

    @property
    def best(self) -> Scored | None:
        return self.scores[0] if self.scores else None

    @property
    def runner_up(self) -> float:
        return self.scores[1].score if len(self.scores) > 1 else 0.0

    def decide(self, params: MatchParams) -> str | None:
        """The entry to answer with, or None to abstain."""
        return self.leader(params.threshold, params.margin)

    def leader(self, floor: float, margin: float) -> str | None:
        """The best entry when it scores at least `floor` and leads the next by `margin`."""
        best = self.best
        if best is None or best.score < floor or best.score - self.runner_up < margin:
            return None
        return best.entry_id

    def score_of(self, entry_id: str) -> float:
        """The entry's score (0 when it is not ranked)."""
        return next((s.score for s in self.scores if s.entry_id == entry_id), 0.0)

    def suggestions(self, params: MatchParams, limit: int = 3) -> list[str]:
        return [s.entry_id for s in self.scores[:limit] if s.score >= params.suggest_floor]


def answer_words(answer: str) -> str:
    """The words of an answer, without its HTML and placeholders (best effort when broken)."""
    try:
        return plain(render(answer, dict.fromkeys(PLACEHOLDERS, " ")))
    except (HtmlError, ValueError, KeyError, IndexError):
        return re.sub(r"<[^>]*>|[{}]", " ", answer)


@dataclass(frozen=True)
class Query:
    """A question as the matcher sees it."""

    normalised: Normalised
    weights: dict[str, float]  # known stems (typos corrected) -> IDF weight
    unknown: tuple[str, ...]  # content words the knowledge base does not know
    unknown_stems: int  # how many different ones, other than ordinary words
    ordinary_stems: int = 0  # how many words of a story around the question
    neutral: frozenset[str] = frozenset()  # words only the answers use


@dataclass(frozen=True)
class AnswerEvidence:
    """A question against the answers: see Matcher.answer_evidence."""

    dots: dict[str, float]  # entry -> dot product / the answer's norm
    norm2: float  # the squared norm of the question's words the answers know


@dataclass(frozen=True)
class _Phrasing:
    entry_id: str
    norm: float


class Matcher:
    """The index of one knowledge base."""

    FUZZY_MIN_LENGTH = 4
    # a closing "tidak" (typed "ga", "gak", "ora", "ra") turns a sentence into a question
    question_tags = frozenset({"tidak", "not"})

    def __init__(self, kb: KnowledgeBase, normaliser: Normaliser) -> None:
        self.kb = kb
        self.normaliser = normaliser
        texts: list[tuple[str, str]] = []
        answers: list[tuple[str, str]] = []
        for entry in kb:
            texts.extend((entry.id, text) for text in (entry.title, *entry.phrasings))
            answers.append((entry.id, answer_words(entry.answer)))
        # the knowledge base's own words are known words (for affixes and repeated letters)
        normaliser.learn(
            word for _id, text in texts for word in normaliser.words(text) if len(word) > 2
        )
        token_sets: list[tuple[str, frozenset[str]]] = []
        surface: dict[str, str] = {}
        for entry_id, text in texts:
            normalised_text = normaliser.normalise(text)
            token_sets.append((entry_id, frozenset(normalised_text.tokens)))
            for word in normalised_text.words:
                if word not in normaliser.lexicon.stopwords:
                    surface.setdefault(word, normaliser.stem(word))
        entry_tokens: dict[str, set[str]] = defaultdict(set)
        for entry_id, phrasing_tokens in token_sets:
            entry_tokens[entry_id] |= phrasing_tokens
        self.programs = normaliser.lexicon.programs
        self.other_topics = normaliser.lexicon.other_topics
        self.ordinary = normaliser.lexicon.ordinary
        self._entry_programs = {e: frozenset(t & self.programs) for e, t in entry_tokens.items()}
        n_entries = max(len(entry_tokens), 1)
        df: dict[str, int] = defaultdict(int)
        for all_tokens in entry_tokens.values():
            for token in all_tokens:
                df[token] += 1
        self.idf = {t: math.log((n_entries + 1) / (d + 1)) + 1.0 for t, d in df.items()}
        self.unknown_idf = math.log(n_entries + 1) + 1.0
        self.vocabulary = frozenset(self.idf)
        for stem in self.vocabulary:
            surface.setdefault(stem, stem)
        self._surface = {w: s for w, s in surface.items() if s in self.vocabulary}
        self._fuzzy_choices = [w for w in self._surface if len(w) >= self.FUZZY_MIN_LENGTH]
        self._phrasings: list[_Phrasing] = []
        # token -> (phrasing index, the token's weight in that phrasing), for each phrasing
        self._index: dict[str, list[tuple[int, float]]] = defaultdict(list)
        self._entry_index: dict[str, set[str]] = defaultdict(set)  # token -> entries using it
        # each entry's shortest phrasing: its smallest squared norm (see entry_scores)
        self._shortest: dict[str, float] = {}
        # each phrasing's words -> the entries that phrasing belongs to (`says`)
        self._said: dict[frozenset[str], set[str]] = defaultdict(set)
        for entry_id, tokens in token_sets:
            if not tokens:
                continue
            self._said[tokens].add(entry_id)
            weights = {t: self.idf[t] for t in tokens if not t.isdigit() or t in self.idf}
            norm = math.sqrt(sum(w * w for w in weights.values()))
            for token, weight in weights.items():
                self._index[token].append((len(self._phrasings), weight))
                self._entry_index[token].add(entry_id)
            self._phrasings.append(_Phrasing(entry_id, norm))
            self._shortest[entry_id] = min(self._shortest.get(entry_id, math.inf), norm * norm)
        # the phrasings as bits, by entry, then by norm (`entry_scores`): token -> the bits
        # of the phrasings that have it; each bit's entry and norm; each entry -> every bit
        # but its own
        order = sorted(
            range(len(self._phrasings)),
            key=lambda i: (self._phrasings[i].entry_id, self._phrasings[i].norm),
        )
        bit_of = {index: bit for bit, index in enumerate(order)}
        self._bit_entry = [self._phrasings[i].entry_id for i in order]
        self._bit_norm = [self._phrasings[i].norm for i in order]
        self._bits = {
            token: sum(1 << bit_of[index] for index, _weight in postings)
            for token, postings in self._index.items()
        }
        entry_bits: dict[str, int] = defaultdict(int)
        for bit, entry_id in enumerate(self._bit_entry):
            entry_bits[entry_id] |= 1 << bit
        every = (1 << len(order)) - 1
        self._other_bits = {entry_id: every ^ bits for entry_id, bits in entry_bits.items()}
        self._fuzzy_cache: dict[str, tuple[str, float] | None] = {}
        # words only the answers use: known to the knowledge base, so not held against a
        # question, but not evidence for an entry either
        self.neutral = frozenset(
            token
            for _id, text in answers
            for token in normaliser.normalise(text).tokens
            if token not in self.idf
        )
        # the answers as evidence too (weighed by `answer_weight`): a question written from
        # the facts ("biaya perawatan dan penghasilan selama ga kerja") uses an answer's words
        answer_tokens = {e: frozenset(normaliser.normalise(t).tokens) for e, t in answers}
        answer_df: dict[str, int] = defaultdict(int)
        for tokens in answer_tokens.values():
            for token in tokens:
                answer_df[token] += 1
        self._answer_idf = {
            t: math.log((n_entries + 1) / (d + 1)) + 1.0 for t, d in answer_df.items()
        }
        self._answer_tokens = answer_tokens
        # token -> the entries whose answer has it
        answer_entries: dict[str, list[str]] = defaultdict(list)
        for entry_id, tokens in answer_tokens.items():
            for token in tokens:
                answer_entries[token].append(entry_id)
        self._answer_entries = {t: tuple(e) for t, e in answer_entries.items()}
        self._answer_norm = {
            e: math.sqrt(sum(self._answer_idf[t] ** 2 for t in tokens)) or 1.0
            for e, tokens in answer_tokens.items()
        }

    def correct(self, word: str) -> tuple[str, float] | None:
        """The known stem closest to an unknown word, with its similarity (0-1), or None."""
        if word in self._fuzzy_cache:
            return self._fuzzy_cache[word]
        result: tuple[str, float] | None = None
        if len(word) >= self.FUZZY_MIN_LENGTH and self._fuzzy_choices:
            cutoff = 88.0 if len(word) <= 5 else 85.0
            found = process.extractOne(
                word, self._fuzzy_choices, scorer=fuzz.ratio, score_cutoff=cutoff
            )
            if found is not None:
                result = (self._surface[found[0]], found[1] / 100.0)
            else:
                result = self._transposed(word)
        if len(self._fuzzy_cache) > 20_000:
            self._fuzzy_cache.clear()
        self._fuzzy_cache[word] = result
        return result

    def typo_of(self, word: str, stem: str) -> tuple[str, float] | None:
        """The known stem an unknown word (`stem`: its stem) is a typo of, with its similarity
        (`correct`, on the word as typed, then on its stem); None for a story word
        ([ordinary]) or another programme's word, which are no typos."""
        if word in self.ordinary or stem in self.ordinary:
            return None
        if word in self.other_topics or stem in self.other_topics:
            return None
        return self.correct(word) or (self.correct(stem) if stem != word else None)

    def says(self, tokens: Sequence[str]) -> frozenset[str]:
        """The entries one of whose phrasings has exactly these content words (the message
        says it word for word, in any order)."""
        return frozenset(self._said.get(frozenset(tokens), ()))

    def corrected(self, tokens: Sequence[str]) -> tuple[str, ...]:
        """The tokens with each unknown one the knowledge base's word it is a typo of
        (`typo_of`, as `prepare` reads it: "pengigat" -> "pengingat"): what the classifier
        reads."""
        if all(t in self.idf for t in tokens):
            return tuple(tokens)
        out = []
        for token in tokens:
            if (
                token not in self.idf
                and token not in self.neutral
                and not token.isdigit()
                and (found := self.typo_of(token, token)) is not None
            ):
                token = found[0]
            out.append(token)
        return tuple(out)

    def _transposed(self, word: str) -> tuple[str, float] | None:
        """The known word typed with two neighbouring letters swapped ("iuarn", "dfatar"):
        one slip of the thumb, taken whatever its length (`correct` asks only for words of
        `FUZZY_MIN_LENGTH` or more), weighed by its similarity as `correct` measures it (a
        short word's swap falls under that cutoff)."""
        for i in range(len(word) - 1):
            if word[i] == word[i + 1]:
                continue
            swapped = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            if swapped in self._surface:
                return self._surface[swapped], fuzz.ratio(word, swapped) / 100.0
        return None

    def prepare(self, text: str) -> Query:
        """The question's known token weights and its unknown words."""
        normalised = self.normaliser.normalise(text)
        weights: dict[str, float] = {}
        unknown: list[str] = []
        unknown_stems: set[str] = set()
        ordinary_stems: set[str] = set()
        neutral: set[str] = set()
        stems = set(normalised.tokens)
        stop = self.normaliser.lexicon.stopwords
        for word in normalised.words:
            if word in stop:
                continue
            stem = self.normaliser.stem(word)
            if stem not in stems:
                continue  # a greeting said along with a question
            if stem in self.idf:
                weights[stem] = max(weights.get(stem, 0.0), self.idf[stem])
                continue
            if stem in self.neutral:
                neutral.add(stem)  # a word only the answers use: evidence for them alone
                continue
            if stem.isdigit():
                continue  # a number says nothing
            ordinary = word in self.ordinary or stem in self.ordinary
            corrected = self.typo_of(word, stem)
            if corrected is not None:
                token, similarity = corrected
                weights[token] = max(weights.get(token, 0.0), self.idf[token] * similarity)
                continue
            unknown.append(word)
            (ordinary_stems if ordinary else unknown_stems).add(stem)
        return Query(
            normalised,
            weights,
            tuple(unknown),
            len(unknown_stems),
            len(ordinary_stems),
            frozenset(neutral),
        )

    def entry_scores(self, query: Query, entry_weight: float = 0.0) -> dict[str, float]:
        """Each entry's best phrasing: dot product / phrasing norm (not yet divided by the
        question's norm, which is the same for every entry).

        With `entry_weight`, a phrasing also borrows the question's words that other
        phrasings of its entry use, at that weight: each borrowed word adds
        `entry_weight * weight * idf` to the dot product and `(entry_weight * idf) ** 2` to
        the squared norm. The sums of those over all the entry's words are taken once per
        entry, and a phrasing that has some of the words itself takes its own back out, so
        only the phrasings the question touches are visited, and of those that have the
        same question words, only each entry's shortest. Of the untouched ones, the
        shortest (smallest norm) scores highest; every phrasing of the entry scores at
        least that, as long as `entry_weight` is at most 1.
        """
        weights = query.weights
        best: dict[str, float] = {}
        if entry_weight <= 0.0:
            dots: dict[int, float] = defaultdict(float)
            for token, weight in weights.items():
                for index, own_weight in self._index.get(token, ()):
                    dots[index] += weight * own_weight
            for index, dot in dots.items():
                phrasing = self._phrasings[index]
                score = dot / phrasing.norm
                if score > best.get(phrasing.entry_id, 0.0):
                    best[phrasing.entry_id] = score
            return self._same_programme(query, best)
        borrowed: dict[str, list[float]] = {}  # entry -> [dot, squared norm] of its words
        # the phrasings the question touches, in classes of those that have the same question
        # words (a bit set each, `_bits`), with the sums over those words, in the question's
        # order: their dot product with the question, and the borrowed dot and squared norm
        # of the words they have themselves
        classes: list[tuple[int, float, float, float]] = []
        for token, weight in weights.items():
            idf = self.idf[token]
            dot, norm2 = entry_weight * weight * idf, (entry_weight * idf) ** 2
            for entry_id in self._entry_index.get(token, ()):
                sums = borrowed.setdefault(entry_id, [0.0, 0.0])
                sums[0] += dot
                sums[1] += norm2
            having = self._bits.get(token, 0)
            if not having:
                continue
            own = weight * idf  # the token's weight in each phrasing is its idf
            fresh = having  # the phrasings no earlier word touched
            split: list[tuple[int, float, float, float]] = []
            for mask, own_dot_product, own_dot, own_norm2 in classes:
                inter = mask & having
                if inter:
                    split.append((inter, own_dot_product + own, own_dot + dot, own_norm2 + norm2))
                    if inter != mask:
                        split.append((mask ^ inter, own_dot_product, own_dot, own_norm2))
                    fresh ^= inter
                else:
                    split.append((mask, own_dot_product, own_dot, own_norm2))
            if fresh:
                split.append((fresh, own, dot, norm2))
            classes = split
        for entry_id, (dot, norm2) in borrowed.items():
            best[entry_id] = dot / math.sqrt(self._shortest[entry_id] + norm2)
        # within a class, an entry's phrasing with the smallest norm scores highest (the
        # numerator is the same and not negative while `entry_weight` is at most 1): the
        # lowest bit of the entry's in the class, as the bits go by entry, then by norm
        entries, norms, others = self._bit_entry, self._bit_norm, self._other_bits
        for mask, own_dot_product, own_dot, own_norm2 in classes:
            while mask:
                bit = (mask & -mask).bit_length() - 1
                entry_id, norm = entries[bit], norms[bit]
                dot, norm2 = borrowed[entry_id]
                score = (own_dot_product + dot - own_dot) / math.sqrt(
                    norm * norm + norm2 - own_norm2
                )
                if score > best[entry_id]:
                    best[entry_id] = score
                mask &= others[entry_id]
        return self._same_programme(query, best)

    def _same_programme(self, query: Query, scores: dict[str, float]) -> dict[str, float]:
        """Without the entries about another programme than the one the question names."""
        other = self.other_programme(query.weights)
        if not other:
            return scores
        return {entry_id: score for entry_id, score in scores.items() if entry_id not in other}

    def other_programme(self, tokens: Iterable[str]) -> frozenset[str]:
        """The entries about another programme than the one these tokens name ("iuran bpjs
        kesehatan berapa" is not asking for the BPJS Ketenagakerjaan contribution): the
        matcher never ranks them, and the question classifier never answers with them."""
        tokens = frozenset(tokens)
        named = self.programs.intersection(tokens)
        if not named:
            return frozenset()
        lexicon = self.normaliser.lexicon
        if lexicon.own_program and lexicon.own_program_words & tokens:
            # "kis udh ada, sakpore perlu? klo perlu dftr dmn": our programme named too, by
            # its own name (registering was ruled out, as about BPJS Kesehatan)
            named |= {lexicon.own_program}
        return frozenset(
            entry_id
            for entry_id, programs in self._entry_programs.items()
            if programs and not programs & named
        )

    def ranking(
        self,
        query: Query,
        scores: dict[str, float],
        unknown_weight: float,
        ordinary_weight: float | None = None,
        answer_weight: float = 0.0,
        evidence: AnswerEvidence | None = None,
    ) -> Ranking:
        """Entries by cosine similarity, given `entry_scores` and the unknown-word weights
        (an ordinary word weighs like any unknown one when `ordinary_weight` is None), plus
        `answer_weight` times the question's cosine similarity with each entry's answer."""
        final = self._similarities(
            query, scores, unknown_weight, ordinary_weight, answer_weight, evidence
        )
        ordered = sorted(final.items(), key=lambda item: (-item[1], item[0]))
        return Ranking(
            query.normalised, tuple(Scored(e, score) for e, score in ordered), query.unknown
        )

    def top_two(
        self,
        query: Query,
        scores: dict[str, float],
        unknown_weight: float,
        ordinary_weight: float,
        answer_weight: float,
        evidence: AnswerEvidence,
    ) -> tuple[Scored | None, float]:
        """The best entry and the runner-up's score of `ranking` (0.0 without one), without
        ordering every entry: what `kb tune` compares, thousands of times."""
        final = self._similarities(
            query, scores, unknown_weight, ordinary_weight, answer_weight, evidence
        )
        if not final:
            return None, 0.0
        best_id = min(final, key=lambda e: (-final[e], e))
        best = final.pop(best_id)
        return Scored(best_id, best), max(final.values(), default=0.0)

    def _similarities(
        self,
        query: Query,
        scores: dict[str, float],
        unknown_weight: float,
        ordinary_weight: float | None,
        answer_weight: float,
        evidence: AnswerEvidence | None,
    ) -> dict[str, float]:
        """Each entry's similarity above zero (see `ranking`), rounded: entries that tie (the
        same words in different phrasings) are then ordered by id, not by the last bits of
        the floating-point sums."""
        unknown = self.unknown_idf * unknown_weight
        ordinary = self.unknown_idf * (
            unknown_weight if ordinary_weight is None else ordinary_weight
        )
        q_norm = math.sqrt(
            sum(w * w for w in query.weights.values())
            + query.unknown_stems * unknown * unknown
            + query.ordinary_stems * ordinary * ordinary
        )
        if q_norm == 0.0:
            return {}
        bonus: dict[str, float] = {}
        if answer_weight:
            evidence = evidence or self.answer_evidence(query)
            a_norm = math.sqrt(
                evidence.norm2
                + query.unknown_stems * unknown * unknown
                + query.ordinary_stems * ordinary * ordinary
            )
            if a_norm:
                bonus = {e: answer_weight * dot / a_norm for e, dot in evidence.dots.items()}
        return {
            entry_id: round(score / q_norm + bonus.get(entry_id, 0.0), 4)
            for entry_id, score in scores.items()
            if score > 0.0
        }

    def answer_evidence(self, query: Query) -> AnswerEvidence:
        """The question against each entry's answer, before the question's norm (which
        depends on the unknown-word weights): dot products over the answer's norm."""
        idf = self._answer_idf
        tokens = [t for t in (*query.weights, *query.neutral) if t in idf]
        sums: dict[str, float] = {}  # summed in the question's order, over each answer's words
        for token in tokens:
            square = idf[token] ** 2
            for entry_id in self._answer_entries[token]:
                sums[entry_id] = sums.get(entry_id, 0) + square
        dots = {
            entry_id: sums[entry_id] / self._answer_norm[entry_id]
            for entry_id in self._answer_tokens
            if entry_id in sums
        }
        return AnswerEvidence(dots, sum(idf[t] ** 2 for t in tokens))

    @cached_property
    def story_tokens(self) -> frozenset[str]:
        """The tokens of story words ([ordinary]) and of words only the answers use: never
        held against a question."""
        stem = self.normaliser.stem
        return frozenset(self.ordinary) | {stem(w) for w in self.ordinary} | self.neutral

    def names_other_topic(self, ranking: Ranking) -> bool:
        """True when the question names another programme or topic ([other_topics]), not
        negated ("saya bukan PNS, bisa ikut?" asks about us)."""
        return self.names_other_topic_in(ranking.normalised)

    def names_other_topic_in(self, normalised: Normalised) -> bool:
        """`names_other_topic`, for a normalised text (a part of a message); also another
        regulation than ours ("perda parkir", "perda tentang sampah": `other_regulation`) and
        what the sources do not answer (how to claim, a disability's sum: `unanswered`)."""
        return (
            any(
                word in self.other_topics and word not in normalised.negated
                for word in normalised.words
            )
            or self.other_regulation(normalised.words)
            or self.unanswered(normalised.words)
        )

    def unanswered(self, words: Sequence[str]) -> bool:
        """A question the sources do not answer, as one of the lexicon's [unanswered] tables
        tells it: how to claim, a disability's sum, one's own membership number or status,
        paying ahead, another city's programme."""
        said = frozenset(words)
        return any(rule.asked_in(said) for rule in self.normaliser.lexicon.unanswered.values())

    def other_regulation(self, words: Sequence[str]) -> bool:
        """One of the lexicon's `regulation_heads` followed, past its `regulation_links` and
        stop words, by one of its `regulation_topics` (as typed or stemmed)."""
        lexicon = self.normaliser.lexicon
        heads, links, topics = (
            lexicon.regulation_heads,
            lexicon.regulation_links,
            lexicon.regulation_topics,
        )
        stop, stem = lexicon.stopwords, self.normaliser.stem
        for i, word in enumerate(words):
            if word not in heads:
                continue
            after = (w for w in words[i + 1 :] if w not in links and w not in stop)
            nxt = next(after, None)
            if nxt is not None and (nxt in topics or stem(nxt) in topics):
                return True
        return False

    def confirms(self, ranking: Ranking) -> bool:
        """True when the words only ask whether something is true or can be done ("bener
        gak?", "tenan ra?", "is that true?", "bisa min?"): the lexicon's [confirmation] words
        and nothing else (`Lexicon.asks_before`)."""
        return self.confirms_in(ranking.normalised.words)

    def confirms_in(self, words: Sequence[str]) -> bool:
        """`confirms`, for a message's normalised words."""
        asking = self.normaliser.lexicon.asks_before
        stopwords = self.normaliser.lexicon.stopwords
        content = [w for w in words if w not in stopwords or w in asking]
        return bool(content) and all(w in asking for w in content)

    def asks(self, ranking: Ranking) -> bool:
        """True when the words ask something: a question word, or a closing "ga"/"ora"."""
        return self.asks_in(ranking.normalised.words)

    def asks_in(self, words: Sequence[str]) -> bool:
        """`asks`, for a message's normalised words; also when they open with a word that
        asks by inversion ("does she need both?" typed without the question mark)."""
        lexicon = self.normaliser.lexicon
        question_words = lexicon.question_words
        if not words:
            return False
        if words[-1] in self.question_tags or any(w in question_words for w in words):
            return True
        opening = words[1:2] if words[0] in lexicon.question_openers_after else words[:1]
        return bool(opening) and opening[0] in lexicon.question_openers

    def rank(self, text: str, params: MatchParams = _DEFAULTS) -> Ranking:
        query = self.prepare(text)
        return self.ranking(
            query,
            self.entry_scores(query, params.entry_weight),
            params.unknown_weight,
            params.ordinary_weight,
            params.answer_weight,
        )
