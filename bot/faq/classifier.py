"""A second, supervised reading of a question: which entry it is about, learned from examples.

The matcher (bot/faq/matcher.py) compares a question with the knowledge base's own phrasings.
People word the same question in many more ways than any list of phrasings holds, and the
labelled questions in locales/labelled/ (about 2,050 written as people type them, about 430 of
them out of scope) say how. This module reads a question with a model trained on those
questions and on the knowledge base's phrasings: a logistic regression over the character
n-grams (2 to 5 letters, within words: typos and affixes still share most of them) and the word
unigrams and bigrams of the normalised text, each group TF-IDF weighted (sublinear) and of unit
length. Out-of-scope questions are a class of their own ("-").

Only inference lives here: the weights are fitted by `sakpore-bot kb train` (bot/faq/training.py,
which needs scikit-learn, a development dependency) and shipped as locales/faq_model.json.gz. The
weights are stored as whole ten-thousandths in one base64 block of 32-bit integers
(`WEIGHT_SCALE`): read as JSON numbers, half a million of them took half of the knowledge base's
load time (issue 13: at most 300 ms). The bot reads them into one NumPy matrix: a reading is a
product of a question's few hundred weighed n-grams with their rows, for 26 classes, which in
plain Python was a third of a long message's time (issue 13: p99 at most 5 ms a question).

How the bot uses the reading (`Reading.decide`, bot.faq.service.combine):
- the model answers an entry when it is at least `threshold` sure of it, the matcher scores the
  entry at least `floor`, no word points to another programme (the lexicon's [other_topics]),
  and at most `unseen_share` of the question's content words are words it was never trained on
  (1.0: no such limit);
- when the model is at least `OUT_OF_SCOPE_SURE` sure the question is out of scope, the
  matcher's answer is held back (its candidates become buttons);
- when the model gives each of the matcher's entries less than `overrule`, the matcher's answer
  is held back too: the model answers its own entry if it is at least `overrule_threshold`
  sure of it (with the same checks), and otherwise the bot abstains with both as buttons;
- otherwise the matcher decides, as before; and the matcher's choice always stands when the
  question says one of an entry's phrasings word for word (`Matcher.says`), or names an entry
  the model has no class for (one staff added in Telegram since it was trained), and when the
  matcher scores it at least `MATCHER_SURE` unless the model is sure of another entry
  (bot.faq.service.combine);
- when the bot abstains, the model's likeliest entries are among the buttons.
The five parameters are chosen by `kb train` (bot/faq/training.py says how), never by hand.
"""

from __future__ import annotations

import array
import base64
import gzip
import hashlib
import json
import logging
import math
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import numpy.typing as npt

logger = logging.getLogger(__name__)

MODEL_FILE = "faq_model.json.gz"
OUT_OF_SCOPE = "-"
# the model's reading of "out of scope" that holds back the matcher's answer
OUT_OF_SCOPE_SURE = 0.5
# texts whose probabilities a model remembers (about 2 KB each): the labelled questions and
# their clauses (about 3,500) fit, with room for what people ask meanwhile
READ_MEMO = 8_000
# words whose character n-grams' rows a model remembers (`Model._char_rows`, about 250 bytes
# each): the 4,600 labelled questions, normalised, use about 2,100 distinct words
WORD_MEMO = 20_000
# an entry the model gives at least this is offered as a button when the bot abstains
SUGGEST_FLOOR = 0.1
# ... and at least this when nothing else would be offered: on the check files, 5 of the 10
# in-scope questions the bot abstained on without a button then had the right one, while 14
# of 325 out-of-scope questions got buttons they do not need (at 0.03: 5 and 33;
# tests/data/README.md, the nineteenth session)
FAINT_FLOOR = 0.05
# a matcher score this high means the question says one of the entry's phrasings nearly word
# for word: the matcher's choice then stands, unless the model is sure of another entry and
# all but rules the matcher's out (bot.faq.service.combine; a phrasing said word for word,
# one staff just added, stands even then)
MATCHER_SURE = 1.0
# bump when `features` changes: a model trained on other features is stale
FEATURES_VERSION = 2
# bump when the file's layout changes: a file of another layout is unusable
FILE_FORMAT = 2
# the weights are saved as whole multiples of 1/WEIGHT_SCALE (four decimals), as 32-bit
# little-endian integers, row by row in the order of "grams"
WEIGHT_SCALE = 10_000
CHAR_NGRAMS = (2, 5)
_WORD = re.compile(r"(?u)\b\w\w+\b")


def _char_ngrams(text: str) -> Iterable[str]:
    """Character n-grams inside words, each word padded with a space on both sides."""
    low, high = CHAR_NGRAMS
    for word in text.split():
        padded = f" {word} "
        for n in range(low, high + 1):
            if len(padded) < n:
                break
            for start in range(len(padded) - n + 1):
                yield "c" + padded[start : start + n]


def _word_ngrams(text: str) -> Iterable[str]:
    words = _WORD.findall(text)
    for index, word in enumerate(words):
        yield "w" + word
        if index:
            yield "w" + words[index - 1] + " " + word


def raw_counts(text: str) -> tuple[Counter[str], Counter[str]]:
    """The character and the word n-grams of a normalised text, counted."""
    low = text.lower()
    return Counter(_char_ngrams(low)), Counter(_word_ngrams(low))


def weigh(counts: Counter[str], idf: Mapping[str, float]) -> dict[str, float]:
    """Sublinear TF-IDF of the known n-grams, scaled to unit length."""
    weights = {g: (1.0 + math.log(n)) * idf[g] for g, n in counts.items() if g in idf}
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {g: w / norm for g, w in weights.items()} if norm else {}


def features(text: str, idf: Mapping[str, float]) -> dict[str, float]:
    """The model's input: character and word groups, each of unit length."""
    return weighed(*raw_counts(text), idf)


def weighed(chars: Counter[str], words: Counter[str], idf: Mapping[str, float]) -> dict[str, float]:
    """`features`, from the text's counted n-grams (`raw_counts`)."""
    return weigh(chars, idf) | weigh(words, idf)


@dataclass(frozen=True)
class ClassifierParams:
    """When the model's reading answers: see the module's docstring."""

    threshold: float = 0.6
    floor: float = 0.5
    # the model leaves a question to the matcher when more than this share of its content
    # words are words it was never trained on (1.0: never)
    unseen_share: float = 1.0
    # the model overrules the matcher when it gives each of the matcher's entries less than
    # `overrule` (0.0: never): it then answers its own entry from `overrule_threshold` on (with
    # the same floor and checks), and otherwise the bot abstains with both as buttons
    overrule: float = 0.0
    overrule_threshold: float = 1.0


@dataclass(frozen=True)
class Reading:
    """The model's probabilities for one question, and what the bot may do with them."""

    probabilities: Mapping[str, float]
    unseen: tuple[str, ...]  # content words the model was never trained on
    words: int = 0  # how many different content words the question has

    @property
    def best(self) -> str:
        return max(self.probabilities, key=lambda c: (self.probabilities[c], c))

    def decide(
        self,
        params: ClassifierParams,
        matcher_scores: Mapping[str, float],
        other_topic: bool,
        untrained: frozenset[str] = frozenset(),
        threshold: float | None = None,
    ) -> str | None:
        """The entry the model answers with, or None to leave the question to the matcher;
        `threshold` replaces `params.threshold` (when the model overrules the matcher)."""
        best = self.best
        if best == OUT_OF_SCOPE or best in untrained or other_topic:
            return None
        if len(self.unseen) > params.unseen_share * max(self.words, 1):
            return None
        if self.probabilities[best] < (params.threshold if threshold is None else threshold):
            return None
        return best if matcher_scores.get(best, 0.0) >= params.floor else None

    def leaning(
        self, untrained: frozenset[str] = frozenset(), limit: int = 2, floor: float = SUGGEST_FLOOR
    ) -> tuple[str, ...]:
        """The entries the model finds likeliest (at least `floor`), for buttons."""
        ranked = sorted(self.probabilities.items(), key=lambda item: (-item[1], item[0]))
        return tuple(
            c for c, p in ranked if p >= floor and c != OUT_OF_SCOPE and c not in untrained
        )[:limit]

    @property
    def out_of_scope(self) -> bool:
        """The model is sure enough that the question is not about the program."""
        return self.probabilities.get(OUT_OF_SCOPE, 0.0) >= OUT_OF_SCOPE_SURE


@dataclass(frozen=True)
class Model:
    classes: tuple[str, ...]
    intercepts: tuple[float, ...]
    idf: Mapping[str, float]
    weights: Mapping[str, Sequence[float]]  # n-gram -> one weight per class
    vocabulary: frozenset[str]  # the content words (matcher tokens) of the training questions
    params: ClassifierParams
    fingerprint: str  # of the files it was trained on: see `fingerprint`
    # the probabilities of the texts read lately: the accuracy gate of a staff change reads
    # every labelled question with the knowledge base in use and again with the changed one,
    # through this same model and mostly to the same normalised texts (bench/kb_publish.py)
    _memo: dict[str, Mapping[str, float]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    # word -> the rows of its character n-grams the model knows, in order and with repeats
    _words: dict[str, npt.NDArray[np.intp]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @cached_property
    def _dense(self) -> _Dense:
        return _Dense.of(self)

    def _char_rows(self, word: str) -> npt.NDArray[np.intp]:
        """The rows of the word's character n-grams the model knows, remembered."""
        found = self._words.get(word)
        if found is None:
            index = self._dense.index
            found = np.fromiter(
                (row for gram in _char_ngrams(word) if (row := index.get(gram)) is not None),
                dtype=np.intp,
            )
            if len(self._words) >= WORD_MEMO:
                self._words.clear()
            self._words[word] = found
        return found

    def untrained(self, entries: Iterable[str]) -> frozenset[str]:
        """The entries the model has no class for (added by staff since it was trained), and
        its classes the knowledge base no longer has: it neither answers them nor holds them
        back."""
        return frozenset(entries).symmetric_difference(self.classes) - {OUT_OF_SCOPE}

    def read(self, text: str, tokens: Iterable[str], ignored: frozenset[str]) -> Reading:
        """The model's reading of a normalised text; `tokens` are the matcher's content
        words of it, `ignored` the ones never held against it (story words)."""
        probabilities = self._memo.get(text)
        if probabilities is None:
            probabilities = self._probabilities(text)
            if len(self._memo) >= READ_MEMO:
                self._memo.clear()
            self._memo[text] = probabilities
        distinct = set(tokens)
        unseen = tuple(sorted(t for t in distinct if t not in self.vocabulary and t not in ignored))
        return Reading(probabilities, unseen, len(distinct))

    def _probabilities(self, text: str) -> dict[str, float]:
        """The classes' probabilities for `features(text)`: each group's known n-grams,
        weighed (`weigh`), times their rows of weights, plus the intercepts; softmax."""
        dense = self._dense
        low = text.lower()
        scores = dense.intercepts.copy()
        # the character n-grams, through each word's remembered rows
        rows = [
            found if times == 1 else np.tile(found, times)
            for word, times in Counter(low.split()).items()
            if (found := self._char_rows(word)).size
        ]
        if rows:
            known, counts = np.unique(np.concatenate(rows), return_counts=True)
            scores += dense.weighed(known, counts)
        index = dense.index
        words = [(index[g], n) for g, n in Counter(_word_ngrams(low)).items() if g in index]
        if words:
            known = np.fromiter((row for row, _n in words), dtype=np.intp, count=len(words))
            counts = np.fromiter((n for _row, n in words), dtype=np.intp, count=len(words))
            scores += dense.weighed(known, counts)
        exps = np.exp(scores - scores.max())
        return dict(zip(self.classes, (exps / exps.sum()).tolist(), strict=True))

    def to_json(self) -> dict[str, object]:
        grams = sorted(self.weights)
        return {
            "format": FILE_FORMAT,
            "features_version": FEATURES_VERSION,
            "fingerprint": self.fingerprint,
            "threshold": self.params.threshold,
            "floor": self.params.floor,
            "unseen_share": self.params.unseen_share,
            "overrule": self.params.overrule,
            "overrule_threshold": self.params.overrule_threshold,
            "classes": list(self.classes),
            "intercepts": [round(x, 5) for x in self.intercepts],
            "idf": {g: round(v, 5) for g, v in sorted(self.idf.items())},
            "grams": grams,
            "weights": _pack([self.weights[g] for g in grams]),
            "vocabulary": sorted(self.vocabulary),
        }

    def save(self, path: Path) -> None:
        data = json.dumps(self.to_json(), ensure_ascii=False, separators=(",", ":"))
        # mtime=0: the same model gives the same bytes
        path.write_bytes(gzip.compress(data.encode("utf-8"), mtime=0))

    @classmethod
    def load(cls, path: Path) -> Model | None:
        """The shipped model; None (the matcher alone decides, with a warning in the log) when
        there is none, or it is unreadable or was trained on other features."""
        if not path.exists():
            logger.warning("question classifier not found (%s): the matcher alone answers", path)
            return None
        try:
            data = json.loads(gzip.decompress(path.read_bytes()))
            if data.get("format") != FILE_FORMAT:
                raise ValueError(f"file format {data.get('format')}")
            if data.get("features_version") != FEATURES_VERSION:
                raise ValueError(f"features version {data.get('features_version')}")
            classes = tuple(str(c) for c in data["classes"])
            weights = _unpack(data["grams"], str(data["weights"]), len(classes))
            if data["idf"].keys() != weights.index.keys():
                raise ValueError("the idf does not match the weights")
            model = cls(
                classes=classes,
                intercepts=tuple(float(x) for x in data["intercepts"]),
                idf=data["idf"],
                weights=weights,
                vocabulary=frozenset(data["vocabulary"]),
                params=ClassifierParams(
                    float(data["threshold"]),
                    float(data["floor"]),
                    float(data["unseen_share"]),
                    float(data["overrule"]),
                    float(data["overrule_threshold"]),
                ),
                fingerprint=str(data["fingerprint"]),
            )
            if len(model.intercepts) != len(classes):
                raise ValueError("intercepts do not match the classes")
            model._dense  # noqa: B018 (the arrays, built with the model, not at its first read)
        except (OSError, EOFError, ValueError, KeyError, TypeError, AttributeError) as exc:
            logger.warning("question classifier not used: %s is unusable (%s)", path.name, exc)
            return None
        return model


def _pack(rows: Iterable[Sequence[float]]) -> str:
    scaled = array.array("i", (round(w * WEIGHT_SCALE) for row in rows for w in row))
    if sys.byteorder == "big":
        scaled.byteswap()
    return base64.b64encode(scaled.tobytes()).decode("ascii")


class _Rows(Mapping[str, Sequence[float]]):
    """gram -> its row of weights, over the file's block of whole ten-thousandths, divided
    once into one matrix (a gram's row is a row of it)."""

    def __init__(self, grams: Sequence[str], matrix: npt.NDArray[np.float64]) -> None:
        self.index = {g: i for i, g in enumerate(grams)}
        self.matrix = matrix

    def __getitem__(self, gram: str) -> list[float]:
        return self.matrix[self.index[gram]].tolist()  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[str]:
        return iter(self.index)

    def __len__(self) -> int:
        return len(self.index)


@dataclass(frozen=True)
class _Dense:
    """A model's weights as arrays, for `Model._probabilities`: n-gram -> row, and each
    row's idf and weights."""

    index: Mapping[str, int]
    idf: npt.NDArray[np.float64]
    weights: npt.NDArray[np.float64]  # one row per n-gram, one column per class
    intercepts: npt.NDArray[np.float64]

    @classmethod
    def of(cls, model: Model) -> _Dense:
        if isinstance(model.weights, _Rows):  # loaded from the file
            index, matrix = model.weights.index, model.weights.matrix
        else:  # just fitted (bot/faq/training.py)
            index = {g: i for i, g in enumerate(model.weights)}
            matrix = np.array(list(model.weights.values()), dtype=np.float64).reshape(
                len(index), len(model.classes)
            )
        idf = np.fromiter(
            # the file's idf and weights list the n-grams in the same (sorted) order
            model.idf.values() if list(model.idf) == list(index) else map(model.idf.get, index),
            dtype=np.float64,
            count=len(index),
        )
        return cls(index, idf, matrix, np.array(model.intercepts, dtype=np.float64))

    def weighed(
        self, rows: npt.NDArray[np.intp], counts: npt.NDArray[np.intp]
    ) -> npt.NDArray[np.float64]:
        """The scores of one group of n-grams (`weigh`): sublinear TF-IDF of unit length,
        times the n-grams' rows of weights."""
        values = (1.0 + np.log(counts)) * self.idf[rows]
        norm = math.sqrt(float(values @ values))
        if not norm:
            return np.zeros(len(self.intercepts))
        return (values / norm) @ self.weights[rows]


def _unpack(grams: Sequence[str], packed: str, width: int) -> _Rows:
    """gram -> its row of weights; ValueError when the block does not hold a row a gram."""
    scaled = array.array("i")
    scaled.frombytes(base64.b64decode(packed, validate=True))
    if sys.byteorder == "big":
        scaled.byteswap()
    if len(scaled) != width * len(grams):
        raise ValueError("weights do not match the classes")
    matrix = np.frombuffer(scaled, dtype=np.int32).reshape(len(grams), width) / WEIGHT_SCALE
    return _Rows(grams, matrix)


def fingerprint(paths: Iterable[Path]) -> str:
    """A hash of the files a model is trained on (their names and contents)."""
    digest = hashlib.sha256(f"features {FEATURES_VERSION}\n".encode())
    for path in sorted(paths, key=lambda p: (p.parent.name, p.name)):
        digest.update(f"{path.parent.name}/{path.name}\n".encode())
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()[:16]
