"""The knowledge base: `locales/<lang>/faq.toml` files, loaded with tomllib and validated.

`check_dir()` returns every problem found (file, entry, message); `load_dir()` raises
`KnowledgeBaseError` when there is any, so the bot refuses to start with a broken file.

The rules staff can meet in Telegram (an answer, a title, a source, phrasings) say what is
wrong as a `Finding`: a msgid and its parameters. `kb check` prints it in English, as
`str(finding)`; /jawaban and the edit dialogue show it in the staff member's language
(handlers/kb_render.py, `problem_text`). The rare or internal rules (the file's structure, ids,
related entries, the languages' entries) are English text only (docs/faq-staff.md).
"""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.i18n import N_
from bot.telegram_text import HtmlError, parse_html

FAQ_FILE = "faq.toml"
LEXICON_FILE = "lexicon.toml"

ID_RE = re.compile(r"^[a-z0-9_]{1,32}$")
SEED_RE = re.compile(r"^seeds/\d{3}_[0-9a-f]{16}\.txt$")
SOURCE_KINDS = ("public:", "law:", "bot:")
ACTIONS = ("daftar", "pengingat")
PLACEHOLDERS = frozenset(
    {"monthly", "yearly", "total_5y", "total_10y", "total_25y", "contact", "job"}
)
ALLOWED_TAGS = frozenset({"b", "i", "u"})
MIN_PHRASINGS = 5
MAX_ANSWER_CHARS = 600
MAX_TITLE_CHARS = 32
MAX_PHRASING_CHARS = 200
MAX_SOURCE_LINE_CHARS = 80
TITLE_EMPTY = N_("title must be a non-empty text")
ENTRY_KEYS = frozenset(
    {"id", "title", "phrasings", "answer", "sources", "source_line", "related", "action", "menu"}
)
REQUIRED_KEYS = ("id", "title", "phrasings", "answer", "sources", "source_line")
_TAG_RE = re.compile(r"</?([a-zA-Z0-9]+)")


class Term(str):
    """A parameter of a finding that is a msgid itself (translated with the message)."""


Param = str | int


@dataclass(frozen=True)
class Finding:
    """What one rule found: `msgid` (marked with N_) filled with `params`. `str()` is the
    English text `kb check` prints; `Problem.finding` keeps it for translation."""

    msgid: str
    params: tuple[tuple[str, Param], ...] = ()

    def __str__(self) -> str:
        return self.msgid.format(**dict(self.params))


def said(msgid: str, **params: Param) -> Finding:
    return Finding(msgid, tuple(params.items()))


# The article's wrong total ("sekitar Rp8 juta" for 25 years) must never be repeated.
WRONG_TOTAL = N_("answer contains the article's wrong total")
_FORBIDDEN = (
    (re.compile(r"(?<![\d.,])8\s*(juta|jt|million)\b", re.IGNORECASE), WRONG_TOTAL),
    (re.compile(r"(?<![\d.,])8[.,]000[.,]000\b"), WRONG_TOTAL),
    (
        re.compile(r"16[.,]?800"),
        N_(
            "answer contains the contribution amount typed by hand: write {{monthly}} so it "
            "follows the settings"
        ),
    ),
)

# Time-bound facts. The sources report one event, on 23 February 2024: its figures, counts
# and plans were true (or planned) then, so a sentence quoting one must carry "2024".
# Each pattern names the seed fact it stands for (see /work/shared/DOMAIN.md, "Dates").
TIME_BOUND: tuple[tuple[re.Pattern[str], Term], ...] = (
    (re.compile(r"\b96\s*(%|persen\b|percent\b)", re.IGNORECASE), Term(N_("UHC about 96%"))),
    (
        re.compile(r"\b2[.,]000\s+(peserta|participants?|more|lagi)\b", re.IGNORECASE),
        Term(N_("2,000 more participants")),
    ),
    (
        re.compile(r"\b(baru|hanya|cuma|only)\s+(<b>)?4\b", re.IGNORECASE),
        Term(N_("only 4 regions")),
    ),
)
# "Tahun ini" in the sources is 2024, long past: never use the phrase, write the year.
_STALE = re.compile(r"\b(tahun ini|this year)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<!\bNo\.)(?<=[.!?])\s+|\n+")

# Sample values used to check that every answer renders within the limits.
SAMPLE_VALUES: Mapping[str, str] = {
    "monthly": "Rp16.800",
    "yearly": "Rp201.600",
    "total_5y": "Rp1.008.000",
    "total_10y": "Rp2.016.000",
    "total_25y": "Rp5.040.000",
    "contact": "Kontak petugas program belum diisi di bot ini.",
    "job": "<b>Pengatur lalu lintas (tunarungu)</b> termasuk jenis pekerjaan yang iurannya "
    "dibayar Pemkot, menurut berita daerah. Apakah Anda sudah masuk daftar itu, yang "
    "memutuskan Pemkot.",
}


class KnowledgeBaseError(Exception):
    """The knowledge base has problems; `problems` lists them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = [str(p) for p in problems[:20]]
        if len(problems) > 20:
            lines.append(f"... and {len(problems) - 20} more")
        super().__init__("invalid knowledge base:\n" + "\n".join(lines))


@dataclass(frozen=True)
class Problem:
    file: str
    entry: str | None
    message: str  # English (kb check prints it)
    finding: Finding | None = None  # the message to translate (None: a rare or internal rule)

    @classmethod
    def found(cls, file: str, entry: str | None, finding: Finding) -> Problem:
        return cls(file, entry, str(finding), finding)

    def __str__(self) -> str:
        where = f"{self.file}: entry '{self.entry}'" if self.entry else self.file
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    phrasings: tuple[str, ...]
    answer: str
    sources: tuple[str, ...]
    related: tuple[str, ...] = ()
    action: str | None = None
    menu: bool = True
    source_line: str = ""  # shown to users under the answer: "Sumber: <source_line>"

    @property
    def general_info(self) -> bool:
        """True when a fact comes from a public source outside the program's articles."""
        return any(s.startswith("public:") for s in self.sources)


@dataclass
class KnowledgeBase:
    locale: str
    path: Path
    entries: dict[str, Entry] = field(default_factory=dict)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries.values())

    def get(self, entry_id: str) -> Entry | None:
        return self.entries.get(entry_id)

    def menu_entries(self) -> list[Entry]:
        return [e for e in self.entries.values() if e.menu]


def placeholders(template: str) -> list[str]:
    """The {names} in a template; raises ValueError on a malformed brace."""
    names = []
    for _literal, name, _spec, _conv in string.Formatter().parse(template):
        if name is not None:
            names.append(name)
    return names


def render(template: str, values: Mapping[str, str]) -> str:
    """Fill the placeholders (values are already HTML-safe)."""
    return template.format_map(dict(values))


def check_html(text: str) -> str | None:
    """None when `text` is valid Telegram HTML using only <b>, <i>, <u>; else the reason."""
    finding = _html_finding(text)
    return str(finding) if finding is not None else None


def _html_finding(text: str, answer: bool = False) -> Finding | None:
    """`check_html`'s reason as a finding (`answer`: as the answer's problem)."""
    for match in _TAG_RE.finditer(text):
        if match.group(1).lower() not in ALLOWED_TAGS:
            if answer:
                return said(
                    N_(
                        "answer: HTML tag <{tag}> is not allowed (only <b>, <i>, <u>) "
                        "(write &lt; &gt; &amp; for < > &)"
                    ),
                    tag=match.group(1),
                )
            return said(
                N_("HTML tag <{tag}> is not allowed (only <b>, <i>, <u>)"), tag=match.group(1)
            )
    try:
        parse_html(text)
    except HtmlError as exc:
        if answer:
            return said(
                N_("answer: invalid HTML: {problem} (write &lt; &gt; &amp; for < > &)"),
                problem=exc.problem,
            )
        return said(N_("invalid HTML: {problem}"), problem=exc.problem)
    return None


def plain(text: str) -> str:
    """The text of an HTML answer as a person reads it."""
    return parse_html(text)


def _str_list(value: Any) -> list[str] | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    return None


def _parse_entry(raw: Any, index: int, file: str) -> tuple[Entry | None, list[Problem]]:
    """One [[entry]] table -> Entry, with its own problems (cross-entry checks come later)."""
    problems: list[Problem] = []
    if not isinstance(raw, dict):
        return None, [Problem(file, f"#{index + 1}", "is not a table")]
    entry_id = raw.get("id")
    name = entry_id if isinstance(entry_id, str) and entry_id else f"#{index + 1}"

    def bad(message: str | Finding) -> None:
        if isinstance(message, Finding):
            problems.append(Problem.found(file, name, message))
        else:
            problems.append(Problem(file, name, message))

    for key in REQUIRED_KEYS:
        if key not in raw:
            bad(f"'{key}' is missing")
    for key in sorted(set(raw) - ENTRY_KEYS):
        bad(f"unknown field '{key}' (allowed: {', '.join(sorted(ENTRY_KEYS))})")
    if problems:
        return None, problems

    if not isinstance(entry_id, str) or not ID_RE.match(entry_id):
        bad("id must be 1-32 characters: lower-case letters, digits, _")
    title = raw["title"]
    if not isinstance(title, str) or not title.strip():
        bad(said(TITLE_EMPTY))
        title = ""
    elif len(title) > MAX_TITLE_CHARS:
        bad(
            said(
                N_("title is {length} characters; at most {limit} fit on a button"),
                length=len(title),
                limit=MAX_TITLE_CHARS,
            )
        )
    phrasings = _str_list(raw["phrasings"])
    if phrasings is None:
        bad("phrasings must be a list of texts")
        phrasings = []
    else:
        if len(phrasings) < MIN_PHRASINGS:
            bad(
                said(
                    N_("has {count} phrasings; write at least {minimum}"),
                    count=len(phrasings),
                    minimum=MIN_PHRASINGS,
                )
            )
        for p in phrasings:
            if not p.strip():
                bad(said(N_("a phrasing is empty")))
            elif len(p) > MAX_PHRASING_CHARS:
                bad(
                    said(
                        N_("phrasing '{start}...' is longer than {limit} characters"),
                        start=p[:40],
                        limit=MAX_PHRASING_CHARS,
                    )
                )
    answer = raw["answer"]
    if not isinstance(answer, str) or not answer.strip():
        bad("answer must be a non-empty text")
        answer = ""
    else:
        problems.extend(Problem.found(file, name, m) for m in check_answer(answer))
    sources = _str_list(raw["sources"])
    if sources is None or not sources:
        bad(said(N_("sources must be a non-empty list (a seed file, or 'public: ...')")))
        sources = []
    else:
        for source in sources:
            message = check_source(source)
            if message:
                bad(message)
    source_line = raw["source_line"]
    if not isinstance(source_line, str) or not source_line.strip():
        bad(
            said(
                N_("source_line must be a non-empty text (shown as 'Sumber: ...' under the answer)")
            )
        )
        source_line = ""
    else:
        source_line = " ".join(source_line.split())
        if len(source_line) > MAX_SOURCE_LINE_CHARS:
            bad(
                said(
                    N_("source_line is {length} characters; keep it short (at most {limit})"),
                    length=len(source_line),
                    limit=MAX_SOURCE_LINE_CHARS,
                )
            )
        elif "{" in source_line or "<" in source_line:
            bad(said(N_("source_line is plain text: no {{placeholders}} and no HTML")))
    related = _str_list(raw.get("related", []))
    if related is None:
        bad("related must be a list of entry ids")
        related = []
    action = raw.get("action")
    if action is not None and action not in ACTIONS:
        bad(f"action must be one of {', '.join(ACTIONS)}")
        action = None
    menu = raw.get("menu", True)
    if not isinstance(menu, bool):
        bad("menu must be true or false")
        menu = True
    if not isinstance(entry_id, str) or not ID_RE.match(entry_id):
        return None, problems
    # an entry with problems is still returned, so that one mistake is reported once
    # (not again as "missing" in the other language or as a broken "related" link)
    entry = Entry(
        id=entry_id,
        title=title.strip(),
        phrasings=tuple(p.strip() for p in phrasings),
        answer=answer.strip(),
        sources=tuple(sources),
        related=tuple(related),
        action=action,
        menu=menu,
        source_line=source_line,
    )
    return entry, problems


def check_answer(answer: str) -> list[Finding]:
    """Problems of one answer template: placeholders, HTML, length, forbidden figures."""
    messages: list[Finding] = []
    try:
        names = placeholders(answer)
    except ValueError as exc:
        return [
            said(
                N_("answer has a malformed {{placeholder}}: {error} (write {{{{ for a brace)"),
                error=str(exc),
            )
        ]
    unknown = sorted({n for n in names if n not in PLACEHOLDERS})
    if unknown:
        allowed = ", ".join("{" + p + "}" for p in sorted(PLACEHOLDERS))
        return [
            said(
                N_("answer uses unknown placeholder(s) {unknown}; allowed: {allowed}"),
                unknown=str(unknown),
                allowed=allowed,
            )
        ]
    rendered = render(answer, SAMPLE_VALUES)
    html_problem = _html_finding(rendered, answer=True)
    if html_problem:
        messages.append(html_problem)
    else:
        length = len(plain(rendered))
        if length > MAX_ANSWER_CHARS:
            messages.append(
                said(
                    N_("answer is {length} characters; keep it under {limit} (split it)"),
                    length=length,
                    limit=MAX_ANSWER_CHARS,
                )
            )
    for pattern, msgid in _FORBIDDEN:
        if pattern.search(answer):
            messages.append(said(msgid))
    messages.extend(check_dates(plain(rendered) if not html_problem else rendered))
    return messages


def sentences(text: str) -> list[str]:
    """The sentences of a plain answer (lines and . ! ? endings; "No. 10/2023" stays whole)."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def check_dates(text: str) -> list[Finding]:
    """Time-bound figures from the sources must be dated: "2024" in the same sentence."""
    messages: list[Finding] = []
    stale = _STALE.search(text)
    if stale:
        messages.append(
            said(
                N_("answer says '{phrase}': the sources' year is 2024, write the year instead"),
                phrase=stale.group(0),
            )
        )
    for sentence in sentences(text):
        for pattern, fact in TIME_BOUND:
            if pattern.search(sentence) and "2024" not in sentence:
                messages.append(
                    said(
                        N_(
                            "answer quotes a time-bound figure ({fact}) without its date: "
                            "write '2024' in the same sentence ('{sentence}')"
                        ),
                        fact=fact,
                        sentence=sentence[:60],
                    )
                )
    return messages


def check_source(source: str) -> Finding | None:
    if SEED_RE.match(source):
        return None
    for kind in SOURCE_KINDS:
        if source.startswith(kind):
            if len(source[len(kind) :].strip()) < 3:
                return said(
                    N_("source '{source}' must name the source after '{kind}'"),
                    source=source,
                    kind=kind,
                )
            return None
    return said(
        N_(
            "source '{source}' is neither a seed file (seeds/NNN_xxxxxxxxxxxxxxxx.txt) nor "
            "'public: ...', 'law: ...' or 'bot: ...'"
        ),
        source=source,
    )


def parse_file(path: Path, locale: str) -> tuple[KnowledgeBase, list[Problem]]:
    """Read one faq.toml; return what could be parsed and every problem found."""
    file = _display(path)
    kb = KnowledgeBase(locale=locale, path=path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return kb, [Problem(file, None, "file is missing")]
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return kb, [Problem(file, None, f"is not valid TOML: {exc}")]
    problems: list[Problem] = []
    unknown = sorted(set(data) - {"entry"})
    if unknown:
        problems.append(Problem(file, None, f"unknown top-level key(s) {unknown}"))
    raw_entries = data.get("entry")
    if not isinstance(raw_entries, list) or not raw_entries:
        problems.append(Problem(file, None, "has no [[entry]] tables"))
        return kb, problems
    for index, raw in enumerate(raw_entries):
        entry, entry_problems = _parse_entry(raw, index, file)
        problems.extend(entry_problems)
        if entry is None:
            continue
        if entry.id in kb.entries:
            problems.append(Problem(file, entry.id, "id is used by another entry"))
            continue
        kb.entries[entry.id] = entry
    for entry in kb.entries.values():
        for rel in entry.related:
            if rel == entry.id:
                problems.append(Problem(file, entry.id, "is related to itself"))
            elif rel not in kb.entries:
                problems.append(Problem(file, entry.id, f"related entry '{rel}' does not exist"))
    return kb, problems


def duplicate_phrasings(kb: KnowledgeBase, key: Callable[[str], str]) -> list[Problem]:
    """Phrasings that are the same after normalisation, within or across entries."""
    file = _display(kb.path)
    seen: dict[str, tuple[str, str]] = {}
    problems: list[Problem] = []
    for entry in kb:
        for phrasing in (entry.title, *entry.phrasings):
            normal = key(phrasing)
            if not normal:
                if phrasing != entry.title:
                    problems.append(
                        Problem.found(
                            file,
                            entry.id,
                            said(
                                N_("phrasing '{phrasing}' has no usable words"), phrasing=phrasing
                            ),
                        )
                    )
                continue
            if normal in seen:
                other_id, other = seen[normal]
                if other_id == entry.id and (phrasing == entry.title or other == entry.title):
                    continue  # a phrasing repeating the title is fine
                if other_id == entry.id:
                    finding = said(
                        N_("phrasing '{phrasing}' duplicates '{other}' of this entry"),
                        phrasing=phrasing,
                        other=other,
                    )
                else:
                    finding = said(
                        N_("phrasing '{phrasing}' duplicates '{other}' of entry '{entry}'"),
                        phrasing=phrasing,
                        other=other,
                        entry=other_id,
                    )
                problems.append(Problem.found(file, entry.id, finding))
            else:
                seen[normal] = (entry.id, phrasing)
    return problems


def compare_locales(kbs: Iterable[KnowledgeBase]) -> list[Problem]:
    """Every language has the same entry ids (answers are shown in the user's language)."""
    kbs = list(kbs)
    problems: list[Problem] = []
    if len(kbs) < 2:
        return problems
    reference = kbs[0]
    for kb in kbs[1:]:
        for missing in sorted(set(reference.entries) - set(kb.entries)):
            problems.append(
                Problem(_display(kb.path), missing, f"is in {reference.locale} but missing here")
            )
        for extra in sorted(set(kb.entries) - set(reference.entries)):
            problems.append(
                Problem(_display(kb.path), extra, f"is missing from {reference.locale}")
            )
        for entry_id in sorted(set(kb.entries) & set(reference.entries)):
            ours, theirs = kb.entries[entry_id], reference.entries[entry_id]
            if (ours.action, ours.menu) != (theirs.action, theirs.menu):
                problems.append(
                    Problem(
                        _display(kb.path),
                        entry_id,
                        f"action/menu differ from the {reference.locale} file",
                    )
                )
    return problems


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
