"""Fit the question classifier (bot/faq/classifier.py): `sakpore-bot kb train`.

Examples: every phrasing and title of the knowledge base (both languages) and every labelled
question of the development files in locales/labelled/ (out-of-scope ones as the class "-"; a
question labelled with two entries is no example as a whole, and still scored: each of its
clauses in which the matcher clearly reads one of the two is an example of it,
`clause_examples`). The text a model sees is the question normalised in the language it is
written in, as the bot reads it.

Choosing the parameters (`threshold`, `floor`, `unseen_share`, `overrule`, `overrule_threshold`:
bot/faq/classifier.py): the whole bot's decision is replayed over a grid, and the lowest cost
wins (a wrong answer, or an answered out-of-scope question, costs 2; an unanswered in-scope
question 1, as in `kb tune`).
Settings that abstain on fewer than `MIN_ABSTENTION` of the fresh out-of-scope questions come
last. The cost that decides is the one on fresh questions nobody studied: the selection files
(locales/labelled/selection/: never trained on, never read question by question, read by the
final model). Ties go to the lower cost on all the labelled files, each read by a model trained
without it, then to the more cautious values.
The parameters in use stay unless the lowest costs at least `KEEP_MARGIN` less and no more on
the held-back labelled files (`keeps`).
The labelled files do not decide. Their errors were studied and mended in the lexicon and
phrasings: their look-alikes abstain by rule at any threshold, so a looser setting looks free
on them and answers look-alikes on new questions (round 4, and round 13, when rounds 5 to 7, 9
and 11 to 13 decided with the selection files and chose threshold 0.3, which the check files
judged worse than 0.5: tests/data/README.md).

This module needs scikit-learn (the `dev` extra); the bot itself does not.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.faq.classifier import (
    MODEL_FILE,
    OUT_OF_SCOPE,
    ClassifierParams,
    Model,
    raw_counts,
    weighed,
)
from bot.faq.gate import TUNING_FILES
from bot.faq.kb import FAQ_FILE, LEXICON_FILE
from bot.faq.matcher import MATCHING_FILE
from bot.faq.service import FaqService, Knowledge, ReadingInputs, Readings, decide
from bot.faq.tuning import (
    COST_ABSTAIN_IN_SCOPE,
    COST_WRONG,
    KEEP_MARGIN,
    read_labelled,
    topics_of,
)
from bot.i18n import Translator

REGULARISATION = 10.0  # scikit-learn's C: the inverse strength of the L2 penalty
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
FLOORS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7)
UNSEEN_SHARES = (0.0, 0.25, 0.5, 1.0)
OVERRULES = (0.0, 0.1, 0.2, 0.3)
OVERRULE_THRESHOLDS = (0.2, 0.3, 0.4, 0.5)
# fresh labelled questions that choose the parameters; never trained on (see above)
SELECTION_FILES = (
    "selection/faq_dev4_select_2026-12.csv",
    "selection/faq_dev8_select_2026-12.csv",  # round 8, whole (a check file until round 18)
    "selection/faq_dev13_select_2026-12.csv",
    "selection/faq_dev14_select_2026-12.csv",
)
KB_FOLD = ""  # the knowledge base's phrasings: always trained on, never held back
# issue 13's target: at least this share of out-of-scope questions abstained. A setting that
# abstains on fewer of the fresh ones is chosen only when none does (with round 8's training
# half among the examples, the lowest cost alone chose threshold 0.3, which answered 1 fresh
# look-alike in 13: tests/data/README.md, round 8).
MIN_ABSTENTION = 0.95


@dataclass(frozen=True)
class Example:
    text: str  # normalised
    label: str  # an entry id, or "-"
    fold: str  # the labelled file it comes from (KB_FOLD for a phrasing)


@dataclass(frozen=True)
class Question:
    """A labelled question, and the bot's own decision on it without the classifier."""

    question: str
    expected: str | None
    fold: str
    # "entry" and "abstain" go through the classifier; intents, totals and the calculator's
    # questions back before any entry was matched ("asks_back") do not
    kind: str
    entries: tuple[str, ...]
    inputs: ReadingInputs  # what the classifier reads of it (FaqService.reading_inputs)
    off_menu: frozenset[str]  # small talk: never a second answer (Knowledge.off_menu)

    def read(self, model: Model) -> Readings:
        """The model's readings of the question and of its clauses."""
        return self.inputs.read(model)


def training_files(directory: Path, labelled: Sequence[Path], locales: Iterable[str]) -> list[Path]:
    """Every file a model depends on (its fingerprint): a change to any needs `kb train`."""
    paths = [directory / MATCHING_FILE, *labelled]
    for locale in locales:
        paths += [directory / locale / FAQ_FILE, directory / locale / LEXICON_FILE]
    return paths


def examples(knowledge: Knowledge, questions: Sequence[Question]) -> list[Example]:
    out: list[Example] = []
    for know in knowledge.locales.values():
        for entry in know.kb:
            for text in (entry.title, *entry.phrasings):
                normalised = know.normaliser.normalise(text).text
                if normalised:
                    out.append(Example(normalised, entry.id, KB_FOLD))
    for q in questions:
        topics = topics_of(q.expected)
        if len(topics) <= 1 and q.inputs.text:
            out.append(Example(q.inputs.text, next(iter(topics), OUT_OF_SCOPE), q.fold))
        elif len(topics) == 2:
            out += clause_examples(knowledge, q, tuple(sorted(topics)))
    return out


def clause_examples(knowledge: Knowledge, q: Question, topics: tuple[str, ...]) -> list[Example]:
    """The clauses of a two-question message, each an example of the entry the matcher reads
    in it clearly more than the other (`CLAUSE_FLOOR`, the other under `CLAUSE_SHARE` of it):
    "iuran brp? trs cara bayarnya gimana?" teaches "cara bayar bagaimana" as paying. The
    classifier read such clauses unsurely, so a second question went unanswered."""
    out: list[Example] = []
    for clause in q.inputs.clauses:
        if len(clause.tokens) < CLAUSE_WORDS:
            continue
        scores = dict.fromkeys(topics, 0.0)
        for know in knowledge.locales.values():
            for s in know.matcher.rank(clause.text).scores:
                if s.entry_id in scores:
                    scores[s.entry_id] = max(scores[s.entry_id], s.score)
        best, other = sorted(topics, key=lambda t: -scores[t])
        if scores[best] >= CLAUSE_FLOOR and scores[other] < CLAUSE_SHARE * scores[best]:
            out.append(Example(clause.text, best, q.fold))
    return out


# A clause teaches when it has this many words, the matcher scores one of the message's two
# entries at least CLAUSE_FLOOR in it, and the other under CLAUSE_SHARE of that: 992 clauses
# of 499 of the 509 two-question messages of the labelled files. Held back
# (tests/data/README.md, the eighteenth session): 3,976/4,206 right (103 wrong) against 3,961
# (117 wrong) without them, out of scope 1,318/1,375 abstained against 1,322 (the cost of
# `kb tune`, 447 against 468); at 0.5, 3,973 (106 wrong) and 1,319 (451); at 0.3, 3,972 (106
# wrong) and 1,317 (456).
CLAUSE_WORDS = 2
CLAUSE_FLOOR = 0.3
CLAUSE_SHARE = 0.7


def questions(service: FaqService, labelled: Sequence[Path], tr: Translator) -> list[Question]:
    """The labelled questions, read as the bot reads them, with its decision without a model."""
    plain = dataclasses.replace(service, classifier=False)
    out: list[Question] = []
    for path in labelled:
        for row in read_labelled(path):
            answer = plain.ask(row.question, tr)
            out.append(
                Question(
                    row.question,
                    row.expected,
                    path.name,
                    "asks_back" if answer.asks_back and answer.topic is None else answer.kind,
                    answer.topics,
                    service.reading_inputs(row.question, tr.locale),
                    service.knowledge.off_menu,
                )
            )
    return out


@dataclass(frozen=True)
class Fitted:
    """A fitted scikit-learn estimator and its inputs (tests compare the model's inference
    with the estimator's own)."""

    estimator: Any  # sklearn.linear_model.LogisticRegression
    matrix: Any  # scipy.sparse.csr_matrix, one row per example
    idf: dict[str, float]
    columns: dict[str, int]  # n-gram -> column of the matrix


def estimate(train: Sequence[Example]) -> Fitted:
    """A logistic regression over the examples' n-grams (scikit-learn, lbfgs), with the same
    features as the bot reads (bot.faq.classifier.features)."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counted = [raw_counts(e.text) for e in train]
    df: Counter[str] = Counter()
    for chars, words in counted:
        df.update(chars.keys())
        df.update(words.keys())
    n = len(train)
    idf = {g: math.log((1 + n) / (1 + d)) + 1.0 for g, d in df.items()}
    columns = {g: i for i, g in enumerate(sorted(idf))}
    data: list[float] = []
    indices: list[int] = []
    pointers = [0]
    for chars, words in counted:
        row = weighed(chars, words, idf)
        for gram, value in sorted(row.items()):
            indices.append(columns[gram])
            data.append(value)
        pointers.append(len(indices))
    matrix = csr_matrix((data, indices, pointers), shape=(n, len(columns)))
    estimator = LogisticRegression(C=REGULARISATION, max_iter=5000)
    estimator.fit(matrix, [e.label for e in train])
    return Fitted(estimator, matrix, idf, columns)


def fit(train: Sequence[Example], params: ClassifierParams, stamp: str = "") -> Model:
    """The bot's model: the estimator's weights."""
    fitted = estimate(train)
    estimator = fitted.estimator
    classes = tuple(str(c) for c in estimator.classes_)
    coef = estimator.coef_
    weights = {
        g: tuple(float(coef[k, i]) for k in range(len(classes))) for g, i in fitted.columns.items()
    }
    return Model(
        classes=classes,
        intercepts=tuple(float(x) for x in estimator.intercept_),
        idf=fitted.idf,
        weights=weights,
        vocabulary=frozenset(token for e in train for token in e.text.split()),
        params=params,
        fingerprint=stamp,
    )


def decided(q: Question, readings: Readings | None, params: ClassifierParams) -> tuple[str, ...]:
    """What the bot answers with these readings (the same rule as FaqService.match; the model
    is trained on every entry, so none is untrained)."""
    if q.kind not in ("entry", "abstain") or readings is None:
        return q.entries
    return decide(q.entries, readings, q.inputs, params, frozenset(), q.off_menu)


@dataclass(frozen=True)
class Figures:
    in_scope: int
    right: int
    wrong: int
    out_of_scope: int
    abstained: int

    def line(self) -> str:
        return (
            f"in scope {self.right}/{self.in_scope} right "
            f"({100 * self.right / max(self.in_scope, 1):.1f} %, {self.wrong} wrong); "
            f"out of scope {self.abstained}/{self.out_of_scope} abstained "
            f"({100 * self.abstained / max(self.out_of_scope, 1):.1f} %)"
        )

    @property
    def cost(self) -> float:
        """As in `kb tune`: a wrong or out-of-scope answer costs 2, an in-scope abstention 1."""
        answered_out_of_scope = self.out_of_scope - self.abstained
        abstained_in_scope = self.in_scope - self.right - self.wrong
        return (
            COST_WRONG * (self.wrong + answered_out_of_scope)
            + COST_ABSTAIN_IN_SCOPE * abstained_in_scope
        )


def figures(
    qs: Sequence[Question], readings: Sequence[Readings | None], params: ClassifierParams
) -> Figures:
    in_scope = right = wrong = out = abstained = 0
    for q, reading in zip(qs, readings, strict=True):
        entries = decided(q, reading, params)
        want = topics_of(q.expected)
        if not want:
            out += 1
            abstained += not entries
            continue
        in_scope += 1
        if entries and want <= frozenset(entries):
            right += 1
        elif entries:
            wrong += 1
    return Figures(in_scope, right, wrong, out, abstained)


def abstains_too_little(*parts: Figures) -> bool:
    """Fewer than `MIN_ABSTENTION` of the out-of-scope questions of `parts` abstained."""
    out_of_scope = sum(f.out_of_scope for f in parts)
    abstained = sum(f.abstained for f in parts)
    return abstained < MIN_ABSTENTION * out_of_scope


def rank(selected: Figures, labelled: Figures) -> tuple[bool, float, float]:
    """A setting's rank, lowest first, from its figures on the selection files and on the
    labelled files (held back): whether the selection files' out-of-scope abstention falls
    under `MIN_ABSTENTION`, the deciding cost (the selection files alone) and the tie-break
    (the labelled files)."""
    return abstains_too_little(selected), selected.cost, labelled.cost


def keeps(in_use: tuple[bool, float, float], lowest: tuple[bool, float, float]) -> bool:
    """Whether the parameters in use stay, from their `rank` (abstains too little, deciding
    cost, the held-back labelled files' cost) and the lowest-cost setting's: they abstain
    enough when that one does, and either cost less than `KEEP_MARGIN` more on the selection
    files (`kb tune`'s margin, two wrong answers: with round 9 each small change of the
    examples or the lexicon flipped the bot between threshold 0.4 and 0.5, which cost 142 and
    144; tests/data/README.md, round 9) or cost no more on the held-back labelled files. A
    change needs both: the selection files are 1,012 questions, and settings within a few
    points of each other on them trade places with any new example (with round 20's and the
    fifteenth session's study halves among the examples they chose threshold 0.6 over 0.5 by
    4 points, which the held-back files judged 13 worse and the check files 17 right answers
    worse: tests/data/README.md)."""
    if in_use[0] > lowest[0]:
        return False
    return in_use[1] < lowest[1] + KEEP_MARGIN or in_use[2] <= lowest[2]


@dataclass(frozen=True)
class TrainResult:
    model: Model
    # the bot without the classifier and with it (the chosen parameters), on the selection
    # files (read by the final model) and on the labelled files (each read by a model trained
    # without its file)
    selection_before: Figures
    selection_after: Figures
    held_back_before: Figures
    held_back_after: Figures
    untuned_after: Figures  # the held-back figures of the files outside `kb tune`'s
    # the deciding cost (the selection files) of the chosen parameters, and the lowest-cost
    # setting with its costs on the selection files and on the held-back labelled files when
    # the parameters in use were kept (`keeps`)
    cost: float = 0.0
    lowest: tuple[ClassifierParams, float, float] | None = None


def held_back_readings(
    all_examples: Sequence[Example], qs: Sequence[Question]
) -> list[Readings | None]:
    """Each question read by a model trained without its file."""
    models = {
        fold: fit([e for e in all_examples if e.fold != fold], ClassifierParams())
        for fold in dict.fromkeys(q.fold for q in qs)
    }
    return [q.read(models[q.fold]) for q in qs]


def train(
    service: FaqService,
    labelled: Sequence[Path],
    selection: Sequence[Path],
    tr: Translator,
    stamp: str,
) -> TrainResult:
    """Fit the model on everything, then choose its parameters: see the module's docstring."""
    qs = questions(service, labelled, tr)
    all_examples = examples(service.knowledge, qs)
    model = fit(all_examples, ClassifierParams(), stamp)
    fresh = questions(service, selection, tr)
    fresh_readings: list[Readings | None] = [q.read(model) for q in fresh]
    held = held_back_readings(all_examples, qs)
    # the labelled questions the matcher was not fitted to, with their held-back readings
    untuned_qs = [q for q in qs if q.fold not in TUNING_FILES]
    untuned_held = [r for q, r in zip(qs, held, strict=True) if q.fold not in TUNING_FILES]

    def costs(p: ClassifierParams) -> tuple[bool, float, float]:
        return rank(figures(fresh, fresh_readings, p), figures(qs, held, p))

    grid = [
        ClassifierParams(t, f, u, o, ot)
        for t in THRESHOLDS
        for f in FLOORS
        for u in UNSEEN_SHARES
        for o in OVERRULES
        for ot in OVERRULE_THRESHOLDS
        if o or ot == OVERRULE_THRESHOLDS[-1]  # without overruling, its threshold is moot
    ]
    best = min(
        grid,
        key=lambda p: (
            *costs(p),
            p.unseen_share,
            p.overrule,
            -p.threshold,
            -p.floor,
            -p.overrule_threshold,
        ),
    )
    chosen = costs(best)
    lowest: tuple[ClassifierParams, float, float] | None = None
    in_use = service.knowledge.model.params if service.knowledge.model is not None else None
    if in_use is not None and in_use != best:
        in_use_rank = costs(in_use)
        if keeps(in_use_rank, chosen):
            lowest = (best, chosen[1], chosen[2])
            best, chosen = in_use, in_use_rank
    return TrainResult(
        dataclasses.replace(model, params=best),
        figures(fresh, [None] * len(fresh), best),
        figures(fresh, fresh_readings, best),
        figures(qs, [None] * len(qs), best),
        figures(qs, held, best),
        figures(untuned_qs, untuned_held, best),
        chosen[1],
        lowest,
    )


def model_path(directory: Path) -> Path:
    return directory / MODEL_FILE
