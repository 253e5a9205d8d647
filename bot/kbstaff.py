"""Staff run the knowledge base (issue 16): every change is a version, checked, scored, and then
published, held or left waiting for a second pair of eyes.

    outcome = await deps.kb.propose(deps, actor_id=..., locale="id", entry_id="iuran",
                                    change=Change(add_phrasings=("setoran tiap purnama",)),
                                    kind="add_phrasing")
    outcome.status -> "live" (published: deps.faq swapped), "pending" (four-eyes: an answer's
                      text changed by a staff member who is not an admin), "held" (the accuracy
                      gate: a labelled question would turn wrong), "invalid" (the kb check
                      rules refused it: outcome.problems)

A change is checked with the rules of `kb check` (the layer goes through
bot.faq.service.check_directory) and scored by bot.faq.gate. Publishing is one assignment,
`deps.faq = new`, as /muatulang does (bot/kbreload.py): the next question gets the new
knowledge base. Changes are serialised by a lock: each is scored against the one before it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Literal, Protocol

from bot.config import LOCALES_DIR, Settings
from bot.dialogs import DialogKind, JsonState
from bot.faq.gate import GateResult, Scorer, compare, shipped_labels
from bot.faq.kb import (
    FAQ_FILE,
    MAX_SOURCE_LINE_CHARS,
    MAX_TITLE_CHARS,
    TITLE_EMPTY,
    Entry,
    Finding,
    KnowledgeBase,
    KnowledgeBaseError,
    Problem,
    parse_file,
    said,
)
from bot.faq.layer import (
    NO_ENTRY,
    SOURCE_LOCALE,
    Change,
    Conflict,
    Label,
    Layer,
    Version,
    conflicts,
    entry_hash,
)
from bot.faq.layer import entry_raw as raw_of
from bot.faq.service import FaqService
from bot.i18n import N_, I18n
from bot.registration.options import slug
from bot.roles import Role
from bot.staff import StaffService
from bot.store.kbchanges import KbChange, KbChangeRepo, Status

logger = logging.getLogger(__name__)

_NUMBER = re.compile(r"\d[\d.,]*\d|\d")
UNTRANSLATED_NOTE = N_(
    "This answer was just updated and is not translated yet; here it is in Indonesian:"
)


class FaqHolder(Protocol):
    """Where the FAQ service in use lives: bot.context.Deps (a protocol, so that this module
    does not import bot.context, which imports it)."""

    faq: FaqService


OutcomeKind = Literal["live", "pending", "held", "invalid", "gone", "not_allowed"]


@dataclass(frozen=True)
class Outcome:
    status: OutcomeKind
    change_id: int | None = None
    gate: GateResult | None = None
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0  # from the request to the new knowledge base in use


# An amount the bot computes from CONTRIBUTION_MONTHLY_IDR, typed by hand: refused (the
# placeholder follows the settings; kb check itself refuses the monthly amount).
AMOUNT_PLACEHOLDERS = {
    "monthly": 1,
    "yearly": 12,
    "total_5y": 60,
    "total_10y": 120,
    "total_25y": 300,
}


def typed_amounts(answer: str, settings: Settings) -> Finding | None:
    """None, or why the answer must use a placeholder instead of a typed amount."""
    digits = {m.group(0).replace(".", "").replace(",", "") for m in _NUMBER.finditer(answer)}
    for name, months in AMOUNT_PLACEHOLDERS.items():
        if str(settings.contribution_monthly_idr * months) in digits:
            return said(
                N_("answer types an amount the bot computes: write {placeholder} instead"),
                placeholder=f"{{{name}}}",
            )
    return None


# Rupiah typed by hand ("Rp16.800", "16.800 rupiah", "Rp42 juta"): the edit dialogue refuses
# a figure the entry's answer did not have (amounts are named with the placeholders,
# {monthly}..., which follow the settings; a figure from the sources already in the answer,
# such as a benefit, may stay as it is).
_RUPIAH = re.compile(
    r"rp\.?\s*\d[\d.,]*(?:\s*(?:juta|ribu|rb|jt|miliar))?"
    r"|\d[\d.,]*\s*(?:rupiah|ribu|rb|juta|jt|miliar)\b"
    r"|idr\s*\d[\d.,]*",
    re.IGNORECASE,
)


def rupiah_figures(text: str) -> set[str]:
    return {"".join(m.group(0).lower().split()).rstrip(".,") for m in _RUPIAH.finditer(text)}


def typed_rupiah(answer: str, settings: Settings, before: str = "") -> bool:
    """Whether an answer types a rupiah figure that `before` (its answer now) did not have,
    or an amount the bot computes."""
    new = rupiah_figures(answer) - rupiah_figures(before)
    return bool(new) or typed_amounts(answer, settings) is not None


# ---- the edit dialogue (handlers/kb_edit.py) ---------------------------------------------------

EDIT_TTL = timedelta(hours=2)
FIELDS = ("answer", "source", "related", "new")  # what a draft changes
MIN_NEW_PHRASINGS = 4  # besides the question itself: kb check wants 5 phrasings an entry


@dataclass
class KbDraft(JsonState):
    """An answer, source or related entries being changed, or a new entry being written."""

    what: str = "answer"  # one of FIELDS
    entry: str = ""  # the entry changed (a new one: its id, made from the title)
    locale: str = SOURCE_LOCALE  # the language changed (an answer: also English)
    question_id: int = 0  # "Jawaban baru": the /pertanyaan question it answers
    question: str = ""
    question_locale: str = SOURCE_LOCALE
    group_key: str = ""
    title: str = ""
    answer: str = ""
    source: str = ""
    phrasings: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    page: int = 0  # of the topic list (related entries)


KB_EDIT = DialogKind(
    name="kb_edit",
    title=N_("answer change"),
    steps=("answer", "source", "related", "title", "new_answer", "new_source", "phrasings",
           "preview"),
    state=KbDraft,
    ttl=EDIT_TTL,
    role=Role.STAFF,
    free_text=frozenset({"answer", "source", "title", "new_answer", "new_source", "phrasings"}),
)  # fmt: skip


def new_entry_id(title: str, taken: set[str]) -> str:
    """An entry id from a title: "Bantuan untuk ojek" -> "bantuan_untuk_ojek" (unique)."""
    base = slug(title)[:28] or "staf"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}_{n}"
    return candidate


def title_problem(title: str) -> Finding | None:
    if not title.strip():
        return said(TITLE_EMPTY)
    if len(title.strip()) > MAX_TITLE_CHARS:
        return said(
            N_("title is {length} characters; at most {limit}"),
            length=len(title.strip()),
            limit=MAX_TITLE_CHARS,
        )
    return None


def source_problem(source: str) -> Finding | None:
    source = " ".join(source.split())
    if len(source) < 3:
        return said(N_("the source must name where the answer comes from"))
    if len(source) > MAX_SOURCE_LINE_CHARS:
        return said(
            N_("the source is {length} characters; at most {limit}"),
            length=len(source),
            limit=MAX_SOURCE_LINE_CHARS,
        )
    if "{" in source or "<" in source:
        return said(N_("the source is plain text: no {{placeholders}} and no HTML"))
    return None


def draft_change(draft: KbDraft) -> tuple[str, Change, str]:
    """The entry, the change and its kind (kb_changes.kind) a finished draft proposes."""
    if draft.what == "answer":
        return draft.entry, Change(set={"answer": draft.answer}), "edit"
    if draft.what == "source":
        return draft.entry, Change(set={"source_line": " ".join(draft.source.split())}), "source"
    if draft.what == "related":
        return draft.entry, Change(set={"related": list(draft.related)}), "related"
    source = " ".join(draft.source.split())
    fields = {
        "title": draft.title.strip(),
        "answer": draft.answer,
        # what staff name is a source outside the program's articles: the bot adds the
        # "general information, please confirm at a BPJS office" note (docs/faq-staff.md)
        "sources": [f"public: {source}"],
        "source_line": source,
        "related": [],
        "phrasings": [draft.question, *draft.phrasings],
    }
    label = Label(draft.question, draft.entry, draft.question_locale)
    change = Change(set=fields, new=True, labels=(label,), group_key=draft.group_key)
    return draft.entry, change, "new_entry"


@dataclass(frozen=True)
class Preview:
    """A change checked and scored, not recorded: what it would look like and do."""

    service: FaqService | None  # the knowledge base with the change (None: refused)
    gate: GateResult | None
    problems: list[Problem]


@dataclass(frozen=True)
class Foreseen:
    """A change scored ahead of the tap (KbStaff.foresee)."""

    key: str  # the layer's key with the change: the same key, the same knowledge base
    stop: threading.Event
    task: asyncio.Task[None]


class KbStaff:
    """The versions of the knowledge base and the rules for publishing them."""

    def __init__(
        self, repo: KbChangeRepo, settings: Settings, i18n: I18n, staff: StaffService
    ) -> None:
        self.repo = repo
        self.settings = settings
        self.staff = staff
        self.scorer = Scorer(i18n)
        # shown above the Indonesian answer to users of another language until translated
        self.notes = {
            loc: "<i>" + i18n.get(loc).gettext(UNTRANSLATED_NOTE) + "</i>"
            for loc in i18n.locales
            if loc != SOURCE_LOCALE
        }
        self.live: list[KbChange] = []
        self.problems: list[Problem] = []  # why the live layer could not be used at start
        self._lock = asyncio.Lock()
        self._warming: asyncio.Task[object] | None = None
        self._foreseen: Foreseen | None = None

    # ---- the layer --------------------------------------------------------------------------

    def shipped(self, locale: str) -> KnowledgeBase:
        """The entries of the release's file, without staff changes."""
        directory = self.settings.faq_dir or LOCALES_DIR
        return parse_file(directory / locale / FAQ_FILE, locale)[0]

    def layer(self, extra: Sequence[Version] = ()) -> Layer:
        versions = [c.version for c in self.live if c.id not in {v.id for v in extra}]
        ordered = sorted([*versions, *extra], key=lambda v: (v.id == 0, v.id))
        return Layer(ordered)

    def labels(self, extra: Sequence[Label] = ()) -> list[Label]:
        """Every labelled question the gate scores."""
        shipped = shipped_labels(names=self.settings.kb_gate_files)
        return [*shipped, *self.layer().labels(), *extra]

    def build(self, layer: Layer) -> FaqService:
        """The FAQ service for the shipped files with `layer`; KnowledgeBaseError if invalid.

        An answer staff changed in Indonesian, and not yet in another language, is shown to
        that language's users in Indonesian after a note (`FaqService.shown_answers`)."""
        if not layer.versions:
            return FaqService.load(self.settings)
        service = FaqService.load(self.settings, layer=layer, layer_key=layer.key)
        source = service.knowledge.locales.get(SOURCE_LOCALE)
        for locale, note in self.notes.items():
            for entry_id in layer.untranslated(locale) if source is not None else ():
                indonesian = source.kb.get(entry_id) if source is not None else None
                if indonesian is not None:
                    service.shown_answers[(locale, entry_id)] = f"{note}\n\n{indonesian.answer}"
        return service

    def labelled_keys(self) -> set[str]:
        """The /pertanyaan groups already handled by a change (live or waiting)."""
        return {c.change.group_key for c in self.live if c.change.group_key}

    async def start(self, deps: FaqHolder) -> None:
        """At start-up: load the live changes and answer with them."""
        self.live = await self.repo.with_status("live")
        if not self.live:
            return
        try:
            deps.faq = await asyncio.to_thread(self.build, self.layer())
        except KnowledgeBaseError as exc:
            # A release changed the shipped files so that a staff change no longer passes
            # the checks: answer with the shipped files; admins see the problems (/jawaban).
            self.problems = list(exc.problems)
            logger.error(
                "staff changes not applied: %s problem(s); answering with the shipped files",
                len(exc.problems),
            )
        logger.info("knowledge base: %s staff change(s) live", len(self.live))

    async def waiting(self) -> list[KbChange]:
        return await self.repo.with_status("pending", "held")

    def untranslated(self) -> dict[str, list[str]]:
        """Per language, the entries whose Indonesian answer staff changed since."""
        layer = self.layer()
        return {loc: ids for loc in self.notes if (ids := layer.untranslated(loc))}

    def conflicts(self) -> list[Conflict]:
        locales = {c.locale for c in self.live}
        shipped = {loc: self.shipped(loc) for loc in locales}
        return conflicts(shipped, [c.version for c in self.live])

    def warm(self, deps: FaqHolder) -> None:
        """Score the labelled questions with the knowledge base in use, in the background, so
        that a change then only scores the knowledge base after it (called when staff open
        /pertanyaan or /jawaban: they read before they tap)."""
        if self._warming is not None and not self._warming.done():
            return
        current, labels = deps.faq, self.labels()
        self._warming = asyncio.create_task(asyncio.to_thread(self.scorer.score, current, labels))

    def foresee(self, deps: FaqHolder, locale: str, entry_id: str, change: Change) -> None:
        """Score, in the background, the change staff will likeliest make next (the first
        "Tambahkan ke" of the question card they are reading), after the knowledge base in
        use: tapping it then only checks and publishes. Another tap stops it (`_evaluate`).
        Off with KB_FORESEE=false."""
        if not self.settings.kb_foresee:
            return
        if self._foreseen is not None:
            self._foreseen.stop.set()  # a card read before: no longer on screen
        layer, labels = self.layer([self._version(locale, entry_id, change)]), self.labels()
        current, warming, stop = deps.faq, self._warming, threading.Event()

        def work() -> None:
            # the knowledge base in use first: its scores, remembered already, stay the most
            # recently used (the scorer remembers a few knowledge bases, and staff may page
            # through many cards before a tap)
            self.scorer.score(current, labels, stop)
            try:
                candidate = self.build(layer)
            except KnowledgeBaseError:
                return  # the tap will say why
            self.scorer.score(candidate, labels, stop)

        async def run() -> None:
            if warming is not None:
                await asyncio.gather(warming, return_exceptions=True)
            if not stop.is_set():
                await asyncio.to_thread(work)

        self._foreseen = Foreseen(layer.key, stop, asyncio.create_task(run()))

    async def ready(self) -> None:
        """Wait for the background scoring of the knowledge base in use, if any."""
        if self._warming is not None:
            await asyncio.gather(self._warming, return_exceptions=True)

    async def foreseen(self) -> None:
        """Wait for the background scoring of the change foreseen, if any."""
        if self._foreseen is not None:
            await asyncio.gather(self._foreseen.task, return_exceptions=True)

    async def close(self) -> None:
        """At shutdown: let a background scoring finish (a thread cannot be cancelled)."""
        if self._foreseen is not None:
            self._foreseen.stop.set()
        await self.ready()
        await self.foreseen()
        self._warming = self._foreseen = None

    # ---- changes ---------------------------------------------------------------------------

    async def _evaluate(
        self, deps: FaqHolder, version: Version
    ) -> tuple[FaqService | None, GateResult | None, list[Problem]]:
        if self._warming is not None:
            await self._warming  # the same scores: never computed twice at once
        layer = self.layer([version])
        labels = self.labels(version.change.labels)
        if self._foreseen is not None:
            if self._foreseen.key != layer.key:
                self._foreseen.stop.set()  # another change: its scores are not needed now
            await self.foreseen()  # the same change: its scores, once
        current = deps.faq

        def work() -> tuple[FaqService | None, GateResult | None, list[Problem]]:
            try:
                candidate = self.build(layer)
            except KnowledgeBaseError as exc:
                return None, None, list(exc.problems)
            before = self.scorer.score(current, labels)
            after = self.scorer.score(candidate, labels)
            return candidate, compare(before, after, labels), []

        return await asyncio.to_thread(work)

    def current_entry(self, deps: FaqHolder, locale: str, entry_id: str) -> Entry | None:
        know = deps.faq.knowledge.locales.get(locale)
        return know.kb.get(entry_id) if know is not None else None

    async def propose(
        self,
        deps: FaqHolder,
        *,
        actor_id: int,
        locale: str,
        entry_id: str,
        change: Change,
        kind: str,
        reason: str = "",
        author: str = "",
    ) -> Outcome:
        """Check, score and record one change; publish it when nothing stops it."""
        started = time.perf_counter()
        typed = typed_amounts(str(change.set.get("answer", "")), self.settings)
        if typed:
            return Outcome("invalid", problems=[Problem.found(locale, entry_id, typed)])
        async with self._lock:
            version = self._version(locale, entry_id, change)
            candidate, result, problems = await self._evaluate(deps, version)
            if candidate is None or result is None:
                return Outcome("invalid", problems=problems)
            current = self.current_entry(deps, locale, entry_id)
            text_changed = "answer" in change.set and (
                current is None or change.set["answer"] != current.answer
            )
            status: Status
            if text_changed and not self.staff.is_admin(actor_id):
                status = "pending"  # four-eyes: another staff member approves
            elif not result.passed:
                status = "held"  # the accuracy gate: an admin publishes it anyway, or not
            else:
                status = "live"
            change_id = await self.repo.add(
                author_id=actor_id,
                author=author,
                locale=locale,
                entry_id=entry_id,
                kind=kind,
                change=change,
                base_hash=version.base_hash,
                status=status,
                reason=reason,
                gate=result.to_json(),
                snapshot=self._snapshot(candidate, locale, entry_id) if status == "live" else None,
            )
            if status == "live":
                await self._published(deps, change_id, kind, locale, entry_id, candidate)
            logger.info(
                "kb change #%s (%s %s/%s) by %s: %s", change_id, kind, locale, entry_id,
                actor_id, status,
            )  # fmt: skip
            return Outcome(status, change_id, result, seconds=time.perf_counter() - started)

    def _version(self, locale: str, entry_id: str, change: Change) -> Version:
        base = None if entry_id == NO_ENTRY else self.shipped(locale).get(entry_id)
        return Version(0, locale, entry_id, change, entry_hash(base))

    async def preview(
        self, deps: FaqHolder, *, locale: str, entry_id: str, change: Change
    ) -> Preview:
        """What `propose` would check and score, without recording or publishing anything
        (the edit dialogue shows it before staff tap "Publish")."""
        typed = typed_amounts(str(change.set.get("answer", "")), self.settings)
        if typed:
            return Preview(None, None, [Problem.found(locale, entry_id, typed)])
        async with self._lock:
            version = self._version(locale, entry_id, change)
            candidate, result, problems = await self._evaluate(deps, version)
        return Preview(candidate, result, problems)

    def _snapshot(self, service: FaqService, locale: str, entry_id: str) -> str | None:
        entry = service.knowledge.locales[locale].kb.get(entry_id)
        return json.dumps(raw_of(entry), ensure_ascii=False) if entry is not None else None

    async def _published(
        self,
        deps: FaqHolder,
        change_id: int,
        kind: str,
        locale: str,
        entry_id: str,
        candidate: FaqService,
    ) -> None:
        if kind == "restore":
            await self.repo.supersede(locale, entry_id, change_id)
        self.live = await self.repo.with_status("live")
        deps.faq = candidate

    async def decide(
        self, deps: FaqHolder, change_id: int, actor_id: int, publish: bool
    ) -> Outcome:
        """Approve (four-eyes) or publish anyway (admins, a held change), or reject."""
        started = time.perf_counter()
        async with self._lock:
            row = await self.repo.get(change_id)
            if row is None or row.status not in ("pending", "held"):
                return Outcome("gone", change_id)
            admin = self.staff.is_admin(actor_id)
            if row.status == "held" and not admin:
                return Outcome("not_allowed", change_id)
            if not publish:
                await self.repo.decide(change_id, "rejected", expected=row.status, by=actor_id)
                return Outcome("gone", change_id)
            if row.status == "pending" and actor_id == row.author_id:
                return Outcome("not_allowed", change_id)  # the second pair of eyes
            candidate, result, problems = await self._evaluate(deps, row.version)
            if candidate is None or result is None:
                return Outcome("invalid", change_id, problems=problems)
            if row.status == "pending" and not result.passed:
                # approved, but the gate holds it: an admin decides
                await self.repo.decide(change_id, "held", expected="pending", by=actor_id)
                return Outcome("held", change_id, result)
            snapshot = self._snapshot(candidate, row.locale, row.entry_id)
            done = await self.repo.decide(
                change_id, "live", expected=row.status, by=actor_id, snapshot=snapshot
            )
            if not done:
                return Outcome("gone", change_id)
            await self._published(deps, change_id, row.kind, row.locale, row.entry_id, candidate)
            return Outcome("live", change_id, result, seconds=time.perf_counter() - started)

    async def restore(self, deps: FaqHolder, version_id: int, actor_id: int) -> Outcome:
        """A new version that gives the entry back every field it had after `version_id`."""
        row = await self.repo.get(version_id)
        if row is None or row.snapshot is None or row.entry_id == NO_ENTRY:
            return Outcome("gone", version_id)
        fields = {k: v for k, v in json.loads(row.snapshot).items() if k != "id"}
        change = Change(set=fields, new=row.change.new)
        return await self.propose(
            deps,
            actor_id=actor_id,
            locale=row.locale,
            entry_id=row.entry_id,
            change=change,
            kind="restore",
            reason=f"#{version_id}",
        )
