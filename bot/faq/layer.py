"""Staff changes to the knowledge base, applied as a layer over the shipped faq.toml files.

The merge rule (docs/faq-staff.md, "Staff changes and a new release"):

* the shipped `locales/<lang>/faq.toml` is read first, as it is in the release;
* every live staff change is then applied in version order: a field it sets (title, answer,
  sources, source line, related entries) replaces the shipped one; phrasings it adds are added
  to the shipped ones (and those it removes are removed); an entry staff created is added;
* a change records a hash of the shipped entry it was made against (`entry_hash`). When a
  later release ships a different version of that entry, the staff change still applies, and
  the pair is listed for admins as a conflict (`sakpore-bot kb conflicts`, /jawaban).

Every changed entry goes through the same checks as `kb check` (kb._parse_entry for the entry,
then the whole-knowledge-base checks of bot.faq.service.check_directory).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.faq.kb import Entry, KnowledgeBase, Problem, _parse_entry

# The fields a change may set (phrasings only by a restore or a new entry: staff add and
# remove phrasings one by one).
SETTABLE = ("title", "answer", "sources", "source_line", "related", "action", "menu", "phrasings")
NO_ENTRY = "-"  # the entry id of a change that only labels a question (out of scope)
SOURCE_LOCALE = "id"  # staff edit in Indonesian; other languages follow (see `untranslated`)


def entry_raw(entry: Entry) -> dict[str, Any]:
    """An entry as the dict of its [[entry]] table (what kb._parse_entry reads)."""
    raw: dict[str, Any] = {
        "id": entry.id,
        "title": entry.title,
        "phrasings": list(entry.phrasings),
        "answer": entry.answer,
        "sources": list(entry.sources),
        "source_line": entry.source_line,
        "related": list(entry.related),
        "menu": entry.menu,
    }
    if entry.action is not None:
        raw["action"] = entry.action
    return raw


def entry_hash(entry: Entry | None) -> str | None:
    """A short fingerprint of an entry's content (None for no entry)."""
    if entry is None:
        return None
    text = json.dumps(entry_raw(entry), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Label:
    """A question staff labelled through the review loop (expected None: out of scope)."""

    question: str
    expected: str | None
    locale: str = "id"


@dataclass(frozen=True)
class Change:
    """What one version changes in one entry of one language."""

    set: Mapping[str, Any] = field(default_factory=dict)
    add_phrasings: tuple[str, ...] = ()
    remove_phrasings: tuple[str, ...] = ()
    new: bool = False  # the entry is created by staff (`set` holds all its fields)
    labels: tuple[Label, ...] = ()
    group_key: str = ""  # the /pertanyaan group this change came from (hidden once handled)

    def _entry_fields(self) -> dict[str, Any]:
        return {
            "set": dict(self.set),
            "add_phrasings": list(self.add_phrasings),
            "remove_phrasings": list(self.remove_phrasings),
            "new": self.new,
        }

    def entry_json(self) -> str:
        """What the change does to its entry (not the questions it labels)."""
        return json.dumps(self._entry_fields(), ensure_ascii=False, sort_keys=True)

    def to_json(self) -> str:
        labels = [
            {"question": lb.question, "expected": lb.expected, "locale": lb.locale}
            for lb in self.labels
        ]
        return json.dumps(
            {**self._entry_fields(), "labels": labels, "group_key": self.group_key},
            ensure_ascii=False,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> Change:
        data = json.loads(text)
        return cls(
            set={k: v for k, v in dict(data.get("set") or {}).items() if k in SETTABLE},
            add_phrasings=tuple(str(p) for p in data.get("add_phrasings") or ()),
            remove_phrasings=tuple(str(p) for p in data.get("remove_phrasings") or ()),
            new=bool(data.get("new")),
            labels=tuple(
                Label(str(lb["question"]), lb.get("expected"), str(lb.get("locale") or "id"))
                for lb in data.get("labels") or ()
            ),
            group_key=str(data.get("group_key") or ""),
        )

    @property
    def changes_answer_text(self) -> bool:
        return "answer" in self.set


@dataclass(frozen=True)
class Version:
    """One row of kb_changes."""

    id: int
    locale: str
    entry_id: str
    change: Change
    base_hash: str | None = None


@dataclass(frozen=True)
class Conflict:
    """A live staff change made on a shipped entry that a later release changed."""

    version: int
    locale: str
    entry_id: str
    reason: str  # "changed" (the shipped entry differs) / "removed" / "shipped" (now shipped)


def apply_raw(raw: dict[str, Any] | None, version: Version) -> dict[str, Any] | None:
    """The entry table after one change (None: the change does not apply)."""
    change = version.change
    if raw is None:
        if not change.new:
            return None
        raw = {"id": version.entry_id, "phrasings": [], "related": []}
    out = dict(raw)
    for key, value in change.set.items():
        out[key] = list(value) if isinstance(value, list | tuple) else value
    phrasings = [str(p) for p in out.get("phrasings") or []]
    for phrasing in change.add_phrasings:
        if phrasing not in phrasings:
            phrasings.append(phrasing)
    removed = set(change.remove_phrasings)
    out["phrasings"] = [p for p in phrasings if p not in removed]
    return out


@dataclass
class Layer:
    """The live staff changes, in version order; called on each language's shipped KB
    (Indonesian first: bot.config.SUPPORTED_LOCALES).

    An answer changed in Indonesian and not since in another language is `untranslated` there:
    that language's users are shown the Indonesian answer, after a note, until staff update
    it (bot.kbstaff.KbStaff.build); the other language's matcher keeps its own answer's words."""

    versions: Sequence[Version] = ()

    def untranslated(self, locale: str) -> list[str]:
        """Entries whose Indonesian answer changed after their answer in `locale`."""
        last: dict[tuple[str, str], int] = {}
        for position, v in enumerate(self.versions, start=1):  # in version order
            if "answer" in v.change.set and v.entry_id != NO_ENTRY:
                last[(v.locale, v.entry_id)] = position
        return sorted(
            entry_id
            for (loc, entry_id), version in last.items()
            if loc == SOURCE_LOCALE and version > last.get((locale, entry_id), 0)
        )

    @property
    def key(self) -> str:
        """Changes with the same key give the same knowledge base (the loader's cache, and
        the accuracy gate's scores). Only what changes entries counts: a question marked out
        of scope ("Abaikan") adds a labelled question, not a different knowledge base, so the
        gate scores that question alone, not every labelled question again."""
        text = "|".join(
            f"{v.locale}:{v.entry_id}:{v.change.entry_json()}"
            for v in self.versions
            if v.entry_id != NO_ENTRY
        )
        return hashlib.sha256(text.encode()).hexdigest()[:16] if text else ""

    def labels(self) -> list[Label]:
        return [label for v in self.versions for label in v.change.labels]

    def __call__(self, kb: KnowledgeBase) -> tuple[KnowledgeBase, list[Problem]]:
        """`kb` with this language's changes. An entry staff created in Indonesian (a `new`
        change, "Jawaban baru") is created in every other language too, as it is, when that
        language has no such entry yet: every language has the same entries (kb check), and
        its users see the Indonesian answer after a note until staff translate it."""
        versions: list[Version] = []
        present = set(kb.entries)
        for v in self.versions:
            if v.locale == kb.locale:
                versions.append(v)
            elif not (v.locale == SOURCE_LOCALE and v.change.new and v.entry_id not in present):
                continue
            else:
                versions.append(v)
            if v.change.new:
                present.add(v.entry_id)
        return apply_layer(kb, versions)


def apply_layer(
    kb: KnowledgeBase, versions: Iterable[Version]
) -> tuple[KnowledgeBase, list[Problem]]:
    """The knowledge base with the changes applied, and the problems of the changed entries
    (the same checks as `kb check`)."""
    raws: dict[str, dict[str, Any]] = {}
    for version in versions:
        if version.entry_id == NO_ENTRY:
            continue
        current = raws.get(version.entry_id)
        if current is None and (shipped := kb.entries.get(version.entry_id)) is not None:
            current = entry_raw(shipped)
        applied = apply_raw(current, version)
        if applied is not None:
            raws[version.entry_id] = applied
    if not raws:
        return kb, []
    file = f"{kb.locale}: staff changes (/jawaban riwayat)"
    out = KnowledgeBase(locale=kb.locale, path=kb.path, entries=dict(kb.entries))
    problems: list[Problem] = []
    for index, (entry_id, raw) in enumerate(raws.items()):
        entry, entry_problems = _parse_entry(raw, index, file)
        problems.extend(entry_problems)
        if entry is not None:
            out.entries[entry_id] = entry
    for entry_id in raws:
        entry = out.entries.get(entry_id)
        for rel in entry.related if entry else ():
            if rel not in out.entries or rel == entry_id:
                problems.append(Problem(file, entry_id, f"related entry '{rel}' does not exist"))
    return out, problems


def conflicts(shipped: Mapping[str, KnowledgeBase], versions: Iterable[Version]) -> list[Conflict]:
    """Live changes whose shipped entry is no longer the one they were made against."""
    found: list[Conflict] = []
    for version in versions:
        if version.entry_id == NO_ENTRY or version.locale not in shipped:
            continue
        entry = shipped[version.locale].entries.get(version.entry_id)
        if version.change.new and version.base_hash is None:
            if entry is not None:
                found.append(Conflict(version.id, version.locale, version.entry_id, "shipped"))
            continue
        if entry is None:
            found.append(Conflict(version.id, version.locale, version.entry_id, "removed"))
        elif entry_hash(entry) != version.base_hash:
            found.append(Conflict(version.id, version.locale, version.entry_id, "changed"))
    return found
