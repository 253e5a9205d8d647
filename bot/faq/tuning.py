"""Measure the matcher on labelled questions (`kb eval`) and choose its threshold and margin
from data (`kb tune`), never by hand.

A labelled file is CSV with the columns `question,expected_topic`; `-` as the topic means the
question is out of scope and the bot must abstain; `a+b` means the message asks two questions
and both entries must be answered. An optional column `must` holds the key facts a right
answer contains: regular expressions joined by " && " (or "&&"), searched in the answer's
text without HTML, without "." between digits and lowercased (`-` or empty: none). Other
columns are ignored.
"""

from __future__ import annotations

import csv
import dataclasses
import html
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.faq.kb import plain
from bot.faq.matcher import MatchParams, Scored
from bot.faq.service import Answer, FaqService
from bot.i18n import Translator

OUT_OF_SCOPE = "-"
# Cost of each outcome when tuning: a confident wrong answer is worse than an honest
# "I don't know" (which still offers suggestions, the topic menu and a person).
COST_WRONG = 2.0
COST_ABSTAIN_IN_SCOPE = 1.0
# `kb tune` keeps the parameters in use unless another setting costs at least this much less
# (two wrong answers in some 1,600 questions): two settings that close are a tie, and the tuner
# used to flip between two such settings at every edit of an answer's words (tests/data/README,
# round 5), changing how the bot answers for no measured gain.
KEEP_MARGIN = 4.0
THRESHOLDS = [round(0.20 + 0.01 * i, 2) for i in range(76)]  # 0.20 ... 0.95
MARGINS = [round(0.01 * i, 2) for i in range(31)]  # 0.00 ... 0.30
UNKNOWN_WEIGHTS = [1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0]
ORDINARY_WEIGHTS = [0.0, 0.25, 0.5, 1.0]  # never above the unknown weight
ANSWER_WEIGHTS = [0.0, 0.2, 0.4, 0.6]
# parameter sets of the grid that the whole bot then answers with: the grid judges the whole
# message only, and question parts decide many long messages, so its order is rough (with
# 12, the true best of the development files was missed by one question in December 2026)
FINALISTS = 20
ENTRY_WEIGHTS = [0.0, 1.0]
SUGGEST_FRACTION = 0.5  # suggestions: entries scoring at least half the threshold


def topics_of(expected: str | None) -> frozenset[str]:
    """The entries a label expects: none out of scope, two for "a+b"."""
    return frozenset(expected.split("+")) if expected else frozenset()


class LabelledFileError(Exception):
    """The CSV file is missing columns or has an empty question."""


@dataclass(frozen=True)
class Labelled:
    question: str
    expected: str | None  # None: out of scope; "a+b": two questions in one message
    # the key facts a right answer contains (the `must` column): regular expressions
    must: tuple[re.Pattern[str], ...] = ()

    @property
    def expected_topics(self) -> frozenset[str]:
        return topics_of(self.expected)


def read_labelled(path: Path) -> list[Labelled]:
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            columns = set(reader.fieldnames or [])
            if not {"question", "expected_topic"} <= columns:
                raise LabelledFileError(
                    f"{path}: needs the columns question,expected_topic (found {sorted(columns)})"
                )
            rows = []
            for line, row in enumerate(reader, start=2):
                question = (row.get("question") or "").strip()
                topic = (row.get("expected_topic") or "").strip()
                if not question or not topic:
                    raise LabelledFileError(f"{path}:{line}: question and expected_topic needed")
                must = _key_facts(row.get("must") or "", f"{path}:{line}")
                rows.append(Labelled(question, None if topic == OUT_OF_SCOPE else topic, must))
    except FileNotFoundError:
        raise LabelledFileError(f"{path}: file not found") from None
    return rows


_BETWEEN_DIGITS = re.compile(r"(?<=\d)\.(?=\d)")
_FACT_BREAK = re.compile(r"\s*&&\s*")


def _key_facts(column: str, where: str) -> tuple[re.Pattern[str], ...]:
    """The `must` column's patterns ("16800 && 3 bulan"); `-` or empty: none. A "." between
    digits is dropped, as from the answer (`fact_text`): "16.800" never matched "rp16800".
    The groups are split at "&&" with or without spaces around it: "165&&/hapusdata", as
    writers also type it, was one pattern no answer says."""
    if column.strip() in ("", OUT_OF_SCOPE):
        return ()
    parts = _FACT_BREAK.split(column)
    if any(p.strip() == OUT_OF_SCOPE for p in parts):
        # "- && petugas" (thanks, then a question) asked for a "-" in the answer
        raise LabelledFileError(f"{where}: a key fact of '-'; leave out the topic without facts")
    try:
        return tuple(re.compile(_BETWEEN_DIGITS.sub("", p.strip())) for p in parts if p.strip())
    except re.error as exc:
        raise LabelledFileError(f"{where}: the key fact does not compile ({exc})") from None


def fact_text(answer: str) -> str:
    """An answer's text as key facts are searched in it: the text a person reads (as
    `sakpore-bot ask --jsonl` prints it), no "." between digits ("Rp16.800" -> "rp16800"),
    lowercase (the rule of ../shared/faq-fresh/score.py, which removes any tag left). The
    HTML's tags were replaced by spaces until December 2026, so "baru <b>4 daerah</b>" read
    "baru  4 daerah" and missed the key fact "baru 4" that the reader sees."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", plain(answer)))
    return _BETWEEN_DIGITS.sub("", text).lower()


def has_facts(must: Sequence[re.Pattern[str]], answer: str) -> bool:
    text = fact_text(answer)
    return all(p.search(text) for p in must)


@dataclass(frozen=True)
class Prediction:
    question: str
    expected: str | None  # as Labelled.expected
    topic: str | None
    score: float
    suggested: tuple[str, ...] = ()  # "Mungkin maksud Anda..." when the bot abstained
    topics: tuple[str, ...] = ()  # every entry answered (topic first); () = just `topic`
    # the answer has every key fact of the labelled row (None: the row names none)
    facts: bool | None = None

    @property
    def answered(self) -> frozenset[str]:
        return frozenset(self.topics or ((self.topic,) if self.topic else ()))

    @property
    def right(self) -> bool:
        """Every expected entry is in the answer."""
        expected = topics_of(self.expected)
        return bool(expected) and expected <= self.answered

    @property
    def one_tap(self) -> bool:
        """Right, or the missing entries are among the buttons: one tap away."""
        expected = topics_of(self.expected)
        return bool(expected) and expected <= self.answered | frozenset(self.suggested)


@dataclass
class Report:
    predictions: list[Prediction] = field(repr=False)  # a repr must not spill the questions
    in_scope: int = 0
    correct: int = 0
    in_scope_abstained: int = 0
    in_scope_wrong: int = 0
    abstained_but_suggested: int = 0  # the right topic was among the suggestion buttons
    one_tap: int = 0  # right, or the right entry one button away
    facts_checked: int = 0  # in-scope questions with key facts (the `must` column)
    facts_right: int = 0  # ... answered with every one of them
    out_of_scope: int = 0
    out_of_scope_abstained: int = 0
    confusions: Counter[tuple[str, str]] = field(default_factory=Counter)
    unknown_topics: set[str] = field(default_factory=set)

    @property
    def in_scope_accuracy(self) -> float:
        return self.correct / self.in_scope if self.in_scope else 0.0

    @property
    def one_tap_rate(self) -> float:
        """Share of in-scope questions that reach the right answer in at most one tap."""
        return self.one_tap / self.in_scope if self.in_scope else 0.0

    @property
    def facts_rate(self) -> float:
        """Share of in-scope questions with key facts whose answer says every one."""
        return self.facts_right / self.facts_checked if self.facts_checked else 0.0

    @property
    def abstention_rate(self) -> float:
        """Share of out-of-scope questions on which the bot abstained."""
        return self.out_of_scope_abstained / self.out_of_scope if self.out_of_scope else 0.0

    @property
    def cost(self) -> float:
        wrong = self.in_scope_wrong + (self.out_of_scope - self.out_of_scope_abstained)
        return COST_WRONG * wrong + COST_ABSTAIN_IN_SCOPE * self.in_scope_abstained

    def as_dict(self) -> dict[str, Any]:
        return {
            "questions": len(self.predictions),
            "in_scope": self.in_scope,
            "in_scope_accuracy": round(self.in_scope_accuracy, 4),
            "in_scope_abstained": self.in_scope_abstained,
            "in_scope_wrong": self.in_scope_wrong,
            "abstained_but_suggested": self.abstained_but_suggested,
            "one_tap_rate": round(self.one_tap_rate, 4),
            "facts_checked": self.facts_checked,
            "facts_rate": round(self.facts_rate, 4),
            "out_of_scope": self.out_of_scope,
            "abstention_rate": round(self.abstention_rate, 4),
            "most_confused": [
                {"expected": e, "got": g, "count": n} for (e, g), n in self.top_confusions()
            ],
        }

    def top_confusions(self, limit: int = 10) -> list[tuple[tuple[str, str], int]]:
        return sorted(self.confusions.items(), key=lambda item: (-item[1], item[0]))[:limit]

    def lines(self) -> list[str]:
        out = [
            f"questions:          {len(self.predictions)}",
            f"in-scope accuracy:  {self.in_scope_accuracy:.1%} ({self.correct}/{self.in_scope};"
            f" {self.in_scope_wrong} wrong, {self.in_scope_abstained} abstained, of which"
            f" {self.abstained_but_suggested} with the right topic among the suggestions)",
            f"abstention rate:    {self.abstention_rate:.1%} "
            f"({self.out_of_scope_abstained}/{self.out_of_scope} out-of-scope questions)",
            f"at most one tap:    {self.one_tap_rate:.1%} ({self.one_tap}/{self.in_scope} in-scope"
            " questions answered right or with the right entry as a button)",
        ]
        if self.facts_checked:
            out.append(
                f"key facts:          {self.facts_rate:.1%} ({self.facts_right}/"
                f"{self.facts_checked} in-scope questions answered with every key fact)"
            )
        if self.unknown_topics:
            out.append(f"unknown expected topics: {', '.join(sorted(self.unknown_topics))}")
        confused = self.top_confusions()
        if confused:
            out.append("most confused (expected -> answered, '-' = abstained / out of scope):")
            out += [f"  {n:3d}  {e} -> {g}" for (e, g), n in confused]
        return out


def evaluate(predictions: Iterable[Prediction], known_topics: Iterable[str] = ()) -> Report:
    report = Report(predictions=list(predictions))
    known = set(known_topics)
    for p in report.predictions:
        if p.expected is None:
            report.out_of_scope += 1
            if p.topic is None:
                report.out_of_scope_abstained += 1
            else:
                report.confusions[(OUT_OF_SCOPE, p.topic)] += 1
            continue
        report.in_scope += 1
        if known:
            report.unknown_topics.update(topics_of(p.expected) - known)
        report.one_tap += p.one_tap
        if p.facts is not None:
            report.facts_checked += 1
            report.facts_right += p.facts
        if p.right:
            report.correct += 1
        elif p.topic is None:
            report.in_scope_abstained += 1
            if p.one_tap:
                report.abstained_but_suggested += 1
            report.confusions[(p.expected, OUT_OF_SCOPE)] += 1
        else:
            report.in_scope_wrong += 1
            report.confusions[(p.expected, "+".join(sorted(p.answered)))] += 1
    return report


def predict(service: FaqService, rows: Sequence[Labelled], tr: Translator) -> list[Prediction]:
    """Run every question through the same path as the bot."""
    out = []
    for row in rows:
        answer = service.ask(row.question, tr)
        # the buttons one tap away: when unsure, the suggestions; under an answer, the first
        # topic button (the likeliest other entry, else the entry's first related topic)
        first = service.topic_buttons(answer, tr.locale)[:1]
        suggested = tuple(e.id for e in (*answer.suggestions, *first))
        suggested += _counted(service, row, answer, tr)
        facts = (
            (answer.topic is not None and has_facts(row.must, answer.text)) if row.must else None
        )
        out.append(
            Prediction(
                row.question,
                row.expected,
                answer.topic,
                answer.score,
                suggested,
                answer.topics,
                facts,
            )
        )
    return out


def _counted(service: FaqService, row: Labelled, answer: Answer, tr: Translator) -> tuple[str, ...]:
    """The entries one tap on a button under a question back answers (a number of people
    under "for how many people?", a duration under "for how many months or years?"), when
    that answer has the row's key facts: "aku, bojoku, karo adikku arep melu. setaun entek
    piro?" asks back with the total for one person, and "3 orang" gives Rp604.800. A row
    without key facts counts the entry, as any button does."""
    for _label, total in service.button_totals(answer, tr):
        if not row.must or has_facts(row.must, total.text):
            return total.topics
    return ()


def run_eval(service: FaqService, rows: Sequence[Labelled], tr: Translator) -> Report:
    return evaluate(predict(service, rows, tr), service.kb(tr.locale).entries)


@dataclass(frozen=True)
class TuneResult:
    params: MatchParams
    report: Report
    cost: float


def tune(service: FaqService, rows: Sequence[Labelled], tr: Translator) -> TuneResult:
    """Grid-search the unknown-word weights (other and ordinary words), the entry-word
    weight, the threshold and the margin for the lowest cost.

    Intents, totals and empty messages do not depend on the parameters, so they are
    computed once; the matcher ranks every other question once per pair of weights, and
    only the decision is replayed for each threshold and margin. Ties go to the values whose
    neighbourhood costs least (see below).
    """
    # the matcher alone: the classifier (`kb train`) is chosen afterwards, with these values
    service = dataclasses.replace(service, classifier=False)
    never = dataclasses.replace(service, params=MatchParams(threshold=2.0, margin=0.0))
    fixed: list[str | None] = []
    matched: list[int] = []  # rows decided by the matcher
    for index, row in enumerate(rows):
        answer = never.ask(row.question, tr)
        fixed.append(answer.topic)
        if answer.kind == "abstain":
            matched.append(index)
    matcher = service.knowledge.for_locale(tr.locale).matcher

    def outcome_cost(expected: str | None, topic: str | None) -> float:
        if topic is None:
            return 0.0 if expected is None else COST_ABSTAIN_IN_SCOPE
        return 0.0 if topic in topics_of(expected) else COST_WRONG

    fixed_cost = sum(
        outcome_cost(rows[i].expected, fixed[i]) for i in range(len(rows)) if i not in matched
    )
    Key = tuple[float, float, float, float, float, float]  # unknown, ordinary, answer, entry, t, m
    costs: dict[Key, float] = {}
    Weights = tuple[float, float, float, float]

    def grid(leaders: dict[int, tuple[Scored | None, float]], weights: Weights) -> None:
        # A question answers with its best entry when that scores at least the threshold and
        # leads the runner-up by at least the margin, and abstains otherwise. So the cost at
        # (t, m) is every question's cost of abstaining plus, over the questions that answer,
        # the difference (answering - abstaining). Each question adds its difference in the
        # cell (how many thresholds its score reaches, how many margins its lead reaches);
        # sums over the cells beyond (t, m) give the whole grid in one pass.
        base = fixed_cost
        cells = [[0.0] * (len(MARGINS) + 1) for _ in range(len(THRESHOLDS) + 1)]
        for i, (best, runner_up) in leaders.items():
            no = outcome_cost(rows[i].expected, None)
            base += no
            if best is None:
                continue
            reached_t = bisect_right(THRESHOLDS, best.score)
            reached_m = bisect_right(MARGINS, best.score - runner_up)
            cells[reached_t][reached_m] += outcome_cost(rows[i].expected, best.entry_id) - no
        # beyond[a][b]: the differences of the questions reaching more than a thresholds and
        # more than b margins
        beyond = [[0.0] * (len(MARGINS) + 1) for _ in range(len(THRESHOLDS) + 1)]
        for a in range(len(THRESHOLDS) - 1, -1, -1):
            row_sum = 0.0
            for b in range(len(MARGINS) - 1, -1, -1):
                row_sum += cells[a + 1][b + 1]
                beyond[a][b] = row_sum + beyond[a + 1][b]
        for a, t in enumerate(THRESHOLDS):
            for b, m in enumerate(MARGINS):
                costs[(*weights, t, m)] = base + beyond[a][b]

    # each question is prepared once and scored once per entry weight: the unknown-word
    # weight only changes the question's norm, which is the same for every entry
    queries = {i: matcher.prepare(rows[i].question) for i in matched}
    evidence = {i: matcher.answer_evidence(query) for i, query in queries.items()}
    for entry_weight in ENTRY_WEIGHTS:
        scores = {i: matcher.entry_scores(query, entry_weight) for i, query in queries.items()}
        for weight in UNKNOWN_WEIGHTS:
            for ordinary in ORDINARY_WEIGHTS:
                if ordinary > weight:
                    continue
                for on_answers in ANSWER_WEIGHTS:
                    leaders = {
                        i: matcher.top_two(
                            queries[i], scores[i], weight, ordinary, on_answers, evidence[i]
                        )
                        for i in matched
                    }
                    grid(leaders, (weight, ordinary, on_answers, entry_weight))

    def around(values: list[float], value: float) -> list[float]:
        index = values.index(value)
        return values[max(0, index - 1) : index + 2]

    def smoothed(key: Key) -> float:
        weight, ordinary, on_answers, entry_weight, t, m = key
        steps = (-0.02, -0.01, 0.0, 0.01, 0.02)
        near = [
            costs[k]
            for w in around(UNKNOWN_WEIGHTS, weight)
            for o in around(ORDINARY_WEIGHTS, ordinary)
            for a in around(ANSWER_WEIGHTS, on_answers)
            for e in around(ENTRY_WEIGHTS, entry_weight)
            for dt in steps
            for dm in steps
            if (k := (w, o, a, e, round(t + dt, 2), round(m + dm, 2))) in costs
        ]
        return sum(near) / len(near)

    def params_of(key: Key) -> MatchParams:
        weight, ordinary, on_answers, entry_weight, threshold, margin = key
        return MatchParams(
            threshold=threshold,
            margin=margin,
            suggest_floor=round(threshold * SUGGEST_FRACTION, 2),
            unknown_weight=weight,
            ordinary_weight=ordinary,
            answer_weight=on_answers,
            entry_weight=entry_weight,
        )

    # The grid judges the whole message's decision only. Its best few (the lowest costs;
    # among equals, the middle of a plateau rather than its edge, then the lower values) are
    # then run through the bot itself (question parts, two questions, languages), which
    # chooses: the lowest cost, then the grid's order.
    cheapest = sorted(costs, key=lambda k: (costs[k], *k))[: FINALISTS * 50]
    ranked = sorted(cheapest, key=lambda k: (costs[k], smoothed(k), *k))[:FINALISTS]
    finalists = [
        (run_eval(dataclasses.replace(service, params=params_of(k)), rows, tr), k) for k in ranked
    ]
    report, key = min(finalists, key=lambda item: (item[0].cost, ranked.index(item[1])))
    # the parameters in use stay unless the best finalist is clearly cheaper (see KEEP_MARGIN)
    in_use = run_eval(service, rows, tr)
    if in_use.cost <= report.cost + KEEP_MARGIN:
        return TuneResult(service.params, in_use, in_use.cost)
    return TuneResult(params_of(key), report, report.cost)


def write_params(path: Path, result: TuneResult, source: str) -> None:
    report = result.report
    path.write_text(
        "# Matching parameters of the knowledge base. Written by\n"
        f"#   sakpore-bot kb tune {source} --write\n"
        "# (a grid search over the word weights, the threshold and the margin, whose best\n"
        "# points are then run through the whole bot; the lowest cost wins:"
        " a wrong answer costs 2, an in-scope abstention 1).\n"
        "# Do not edit by hand: re-run the command after changing faq.toml or lexicon.toml.\n"
        f"# On that file: in-scope accuracy {report.in_scope_accuracy:.1%}, "
        f"out-of-scope abstention {report.abstention_rate:.1%}.\n"
        f"threshold = {result.params.threshold}\n"
        f"margin = {result.params.margin}\n"
        f"suggest_floor = {result.params.suggest_floor}\n"
        f"unknown_weight = {result.params.unknown_weight}\n"
        f"ordinary_weight = {result.params.ordinary_weight}\n"
        f"answer_weight = {result.params.answer_weight}\n"
        f"entry_weight = {result.params.entry_weight}\n",
        encoding="utf-8",
    )
