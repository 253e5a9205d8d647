"""Every callback-data format and numeric command argument, packed and parsed in one place.

Callback data comes from the client: any string up to 64 bytes can arrive (a forged button,
an old one). Parsing here never raises. A number is 1 to N ASCII digits: `str.isdigit()`
also accepts "²", on which `int()` raises, and a `\\d` without `re.ASCII` accepts other
scripts' digits. A word is from a small fixed alphabet. Anything else parses as None, and
the handler treats it as a stale button.

Each format is written once. A format with fields is one small typed class (`Callback`): a
frozen dataclass whose fields, in order, are the format's; `X(...).pack()` builds the data for
a button (and refuses values the format would not parse back), `X.parse(data)` reads it into
an X (or None), `X.pattern` routes it to its handler. A format without fields is a `Format`
with the same three (`MENU_FAQ.pack()`, `.parse(data)`, `.pattern`).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Self, dataclass_transform

MAX_DATA_BYTES = 64  # Telegram's limit for callback data


def number(text: str | None, digits: int = 12) -> int | None:
    """`text` as a non-negative int when it is 1 to `digits` ASCII digits, else None."""
    if text is None or not 0 < len(text) <= digits or not (text.isascii() and text.isdigit()):
        return None
    return int(text)


_REFERENCE = re.compile(r"(?:SKP-?)?0*([0-9]{1,9})", re.IGNORECASE | re.ASCII)


def reference(text: str | None) -> int | None:
    """The registration id in a reference as staff type it: SKP-000012, skp12, 12."""
    match = _REFERENCE.fullmatch(text) if text is not None and len(text) <= 32 else None
    return int(match.group(1)) if match else None


@dataclass(frozen=True)
class Num:
    """An integer of 1 to `digits` ASCII digits (with a leading "-" when `signed`)."""

    digits: int = 12
    signed: bool = False

    @property
    def regex(self) -> str:
        return ("-?" if self.signed else "") + f"[0-9]{{1,{self.digits}}}"


@dataclass(frozen=True)
class Word:
    """Text matching `regex` (ASCII only; keep it short and bounded). A capture group in it
    would shift the fields' positions in `parse`: refused here, so at import. Use (?:...)."""

    regex: str

    def __post_init__(self) -> None:
        if re.compile(self.regex).groups:
            raise ValueError(f"Word({self.regex!r}): no capture groups, use (?:...)")


Field = Num | Word

KEY = Word("[a-z0-9_]{1,32}")  # knowledge-base entries, catalogue keys, step names


class Parsed:
    """The fields of one parsed callback, by position."""

    __slots__ = ("values",)

    def __init__(self, values: tuple[int | str, ...]) -> None:
        self.values = values

    def num(self, index: int) -> int:
        value = self.values[index]
        if not isinstance(value, int):
            raise TypeError(f"field {index} is not a number")  # a programming error
        return value

    def text(self, index: int) -> str:
        return str(self.values[index])


_FORMATS: list[Format] = []  # every format made, for `family`


class Format:
    """`prefix` followed by `:field` for each field, e.g. Format("rgx:confirm", Num())."""

    def __init__(self, prefix: str, *fields: Field) -> None:
        _FORMATS.append(self)
        self.prefix = prefix
        self.fields = fields
        body = re.escape(prefix) + "".join(f":({f.regex})" for f in fields)
        self._regex = re.compile(body, re.ASCII)
        self.pattern = re.compile(f"^{body}\\Z", re.ASCII)
        """For CallbackQueryHandler(pattern=...): this format and nothing else."""

    def pack(self, *values: int | str) -> str:
        data = ":".join([self.prefix, *(str(v) for v in values)])
        if len(values) != len(self.fields) or self.parse(data) is None:
            raise ValueError(f"{data!r} is not a valid {self.prefix!r} callback")
        return data

    def parse(self, data: str | None) -> Parsed | None:
        if data is None or len(data.encode()) > MAX_DATA_BYTES:
            return None
        match = self._regex.fullmatch(data)
        if match is None:
            return None
        return Parsed(
            tuple(
                int(value) if isinstance(f, Num) else value
                for f, value in zip(self.fields, match.groups(), strict=True)
            )
        )

    def __repr__(self) -> str:
        return f"Format({self.pattern.pattern!r})"


FORMATS = _FORMATS  # every format, for tests


@dataclass_transform(frozen_default=True)
class Callback:
    """A callback format with fields, as a typed class: a subclass names its
    `FORMAT = Format(prefix, *fields)` and one field per format field, in order (`int` for a
    Num, `str` for a Word; checked when the class is made), and is a frozen dataclass."""

    FORMAT: ClassVar[Format]
    pattern: ClassVar[re.Pattern[str]]
    _names: ClassVar[tuple[str, ...]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        annotations = inspect.get_annotations(cls)  # its own fields, in order
        cls._names = tuple(annotations)
        wanted = tuple("int" if isinstance(f, Num) else "str" for f in cls.FORMAT.fields)
        if tuple(str(a) for a in annotations.values()) != wanted:
            raise TypeError(f"{cls.__name__}: fields must be {wanted} for {cls.FORMAT!r}")
        cls.pattern = cls.FORMAT.pattern
        dataclass(frozen=True)(cls)

    def pack(self) -> str:
        return self.FORMAT.pack(*(getattr(self, name) for name in self._names))

    @classmethod
    def parse(cls, data: str | None) -> Self | None:
        parsed = cls.FORMAT.parse(data)
        make: Callable[..., Self] = cls
        return make(*parsed.values) if parsed is not None else None


Button = Format | type[Callback]  # what a handler pattern or a start button is made of


def any_of(*buttons: Button) -> re.Pattern[str]:
    """A handler pattern for exactly these formats."""
    formats = [b if isinstance(b, Format) else b.FORMAT for b in buttons]
    return re.compile("|".join(f.pattern.pattern for f in formats), re.ASCII)


def family(prefix: str) -> re.Pattern[str]:
    """A handler pattern for exactly the formats whose prefix is `prefix` or starts with
    `prefix:` (the handler tells them apart with `parse`). Data none of them parses (a
    forged "rgx:confirm:²") reaches no handler of the family: handlers/fallback.py answers
    it as a stale button."""
    members = [f for f in _FORMATS if f.prefix == prefix or f.prefix.startswith(prefix + ":")]
    if not members:
        raise ValueError(f"no callback format starts with {prefix!r}")
    return any_of(*members)


# ---- the formats ----------------------------------------------------------------------
# Field-less formats are constants; a format with fields is a class (its FORMAT inside).

MENU_FAQ = Format("menu:faq")
MENU_REGISTER = Format("menu:daftar")
MENU_REMINDER = Format("menu:pengingat")
MENU_HELP = Format("menu:bantuan")


class Language(Callback):
    FORMAT = Format("lang", Word("[a-z]{2,3}"))
    code: str


# Registration: `rg:<nonce>:<step>:<value>` for the dialogue, `rgx:` under stored data.
class RegStep(Callback):
    """A button of the question at `step` of the registration dialogue whose nonce is `nonce`
    (an older dialogue's button is recognised by it)."""

    FORMAT = Format("rg", Word("[0-9a-f]{1,16}"), KEY, KEY)
    nonce: str
    step: str
    value: str


REG_EDIT = Format("rgx:edit")
REG_DELETE = Format("rgx:delete")
REG_KEEP = Format("rgx:keep")


class RegDeleteConfirm(Callback):
    """ "Yes, delete" for registration `registration_id` (0: the person has none)."""

    FORMAT = Format("rgx:confirm", Num())
    registration_id: int


# FAQ: a topic, a suggestion for question N, a vote on the answer to question N.
class FaqTopic(Callback):
    FORMAT = Format("faq:t", KEY)
    entry: str


class FaqSuggestion(Callback):
    FORMAT = Format("faq:s", Num(), KEY)
    question_id: int
    entry: str


class FaqCount(Callback):
    """A number of people, tapped under the calculator's "for how many people?"."""

    FORMAT = Format("faq:n", Num(), Num(digits=2))
    question_id: int
    people: int


class FaqSpan(Callback):
    """A duration in months, tapped under the calculator's "for how many months or years?"."""

    FORMAT = Format("faq:m", Num(), Num(digits=2))
    question_id: int
    months: int


class FaqVote(Callback):
    FORMAT = Format("faq:v", Num(), Word("[+-]"))
    question_id: int
    vote: str  # "+" helpful, "-" not


# Tanya petugas (hand-off): ask (the last question, or question N), write, reply, done.
HANDOFF_ASK = Format("ho:ask")
HANDOFF_WRITE = Format("ho:write")


class HandoffAskQuestion(Callback):
    FORMAT = Format("ho:ask", Num())
    question_id: int


class HandoffReply(Callback):
    FORMAT = Format("ho:reply", Num())
    handoff_id: int


class HandoffDone(Callback):
    FORMAT = Format("ho:done", Num())
    handoff_id: int


class HandoffFeedback(Callback):
    """ "Apakah terbantu?" after the person closed a thread: 1 yes, 0 no."""

    FORMAT = Format("ho:fb", Num(), Num(1))
    handoff_id: int
    helped: int


# Pressed in the staff group (handlers/common.py lets the "hg" family through there).
class HandoffClaim(Callback):
    FORMAT = Format("hg:claim", Num(9))
    handoff_id: int


# Broadcasts (/siaran): an index into the options or times shown, or a broadcast id.
BC_CANCEL = Format("bc:cancel")
BC_BACK = Format("bc:back")
BC_NOW = Format("bc:now")
BC_SURE = Format("bc:sure")  # "Yes, send to N people" after "Send now"
BC_NIGHT = Format("bc:night")  # an admin sends in quiet hours anyway
BC_SCHEDULE = Format("bc:sched")
BC_KEEP = Format("bc:keep")


class BcAudience(Callback):
    FORMAT = Format("bc:aud", KEY)
    name: str


class BcOption(Callback):
    FORMAT = Format("bc:opt", Num(3))
    index: int


class BcAt(Callback):
    FORMAT = Format("bc:at", Num(3))
    index: int


class BcStop(Callback):
    FORMAT = Format("bc:stop", Num())
    broadcast_id: int


class BcStopConfirm(Callback):
    FORMAT = Format("bc:stopok", Num())
    broadcast_id: int


# Staff management (/staf): Telegram user ids.
USER_ID_DIGITS = 15
STAFF_ADD = Format("staf:add")
STAFF_NO = Format("staf:no")


class StaffRemove(Callback):
    FORMAT = Format("staf:rm", Num(USER_ID_DIGITS))
    user_id: int


class StaffRemoveConfirm(Callback):
    FORMAT = Format("staf:rmok", Num(USER_ID_DIGITS))
    user_id: int


# /pendaftar: a page, or a status for registration N (then back to page P, -1: none).
class PdPage(Callback):
    FORMAT = Format("pd:go", Num(6))
    page: int


class PdSet(Callback):
    FORMAT = Format("pd:set", Num(9), Word("[dtxb]"), Num(6, signed=True))
    registration_id: int
    status: str  # a one-letter code (handlers/staff_tools.py)
    page: int


# /ekspor: format and masked or full NIKs.
class Export(Callback):
    FORMAT = Format("ex", Word("csv|xlsx"), Word("[mf]"))
    kind: str  # "csv" or "xlsx"
    nik: str  # "m" masked, "f" full


# Reminders: set-up, the reminder's own buttons (month "YYYY-MM").
REM_CANCEL = Format("rem:cancel")
REM_CHANGE = Format("rem:change")
REM_STOP = Format("rem:stop")
REM_EXAMPLE = Format("rem:example")
REM_DEMO = Format("rem:demo")


class RemDay(Callback):
    FORMAT = Format("rem:day", Num(2))
    day: int


class RemTime(Callback):
    FORMAT = Format("rem:time", Num(4))
    hhmm: int  # 700 is 07:00


class RemPaid(Callback):
    FORMAT = Format("rem:paid", Word("[0-9]{4}-[0-9]{2}"))
    month: str


class RemSnooze(Callback):
    FORMAT = Format("rem:snooze", Word("[0-9]{4}-[0-9]{2}"))
    month: str


# Dialogues (handlers/dialogs.py): "finish X first, or cancel it?" `dlg:keep:<nonce>` goes on
# with the dialogue, `dlg:new:<nonce>:<kind>` cancels it and starts <kind>.
class DialogKeep(Callback):
    FORMAT = Format("dlg:keep", Word("[0-9a-f]{6}"))
    nonce: str


class DialogSwitch(Callback):
    FORMAT = Format("dlg:new", Word("[0-9a-f]{6}"), KEY)
    nonce: str
    kind: str


# The daily digest in the staff group (bot/digest.py): open registration N (its card comes to
# the presser's private chat), show hand-off thread N again in the group.
class DgReg(Callback):
    FORMAT = Format("dg:r", Num(9))
    registration_id: int


class DgHandoff(Callback):
    FORMAT = Format("dg:h", Num(9))
    handoff_id: int


# The knowledge base by staff (issue 16): /pertanyaan's review loop and /jawaban. A question
# id is the newest of its group, a version a kb_changes id.
class KbReview(Callback):
    FORMAT = Format("kb:q", Num(6))
    page: int


class KbAdd(Callback):  # the question becomes a phrasing of the entry
    FORMAT = Format("kb:add", Num(), KEY)
    question_id: int
    entry: str


class KbTopics(Callback):  # every topic for the question, a page of them
    FORMAT = Format("kb:top", Num(), Num(3))
    question_id: int
    page: int


class KbIgnore(Callback):  # the question is out of scope
    FORMAT = Format("kb:ign", Num())
    question_id: int


class KbApprove(Callback):  # four-eyes: a second staff member approves the version
    FORMAT = Format("kb:ok", Num())
    version: int


class KbPublish(Callback):  # admins: publish the held version anyway
    FORMAT = Format("kb:pub", Num())
    version: int


class KbReject(Callback):  # do not publish the version
    FORMAT = Format("kb:no", Num())
    version: int


class KbRestore(Callback):  # a new version giving the version's entry back
    FORMAT = Format("kb:rst", Num())
    version: int


class KbHistory(Callback):  # /jawaban riwayat, a page
    FORMAT = Format("kb:hist", Num(6))
    page: int


class KbEntries(Callback):  # /jawaban, a page
    FORMAT = Format("kb:list", Num(3))
    page: int


class KbEntry(Callback):  # one entry
    FORMAT = Format("kb:e", KEY)
    entry: str


class KbDrop(Callback):  # remove phrasing `index` of the entry
    FORMAT = Format("kb:rm", KEY, Num(3))
    entry: str
    index: int


# The edit dialogue (bot.kbstaff.KB_EDIT): change an entry's answer ("a"), source ("s") or
# related entries ("r"), or its answer in another language (KbEditIn); "Jawaban baru" for a
# /pertanyaan question; the topic list of the related entries; publish the previewed draft,
# or write it again.
class KbEdit(Callback):
    FORMAT = Format("kb:ed", KEY, Word("[asr]"))
    entry: str
    what: str


class KbEditIn(Callback):  # change the entry's answer in another language ("en")
    FORMAT = Format("kb:edl", KEY, Word("[a-z]{2}"))
    entry: str
    locale: str


class KbNew(Callback):  # a new entry answering the question
    FORMAT = Format("kb:new", Num())
    question_id: int


class KbRelPage(Callback):  # a page of the topic list
    FORMAT = Format("kb:relp", Num(3))
    page: int


class KbRelToggle(Callback):  # the entry is related, or no longer
    FORMAT = Format("kb:relt", KEY)
    entry: str


KB_REL_DONE = Format("kb:reld")  # the related entries are chosen: the preview
KB_DRAFT_GO = Format("kb:go")  # publish the previewed draft (KbStaff.propose)
KB_DRAFT_AGAIN = Format("kb:again")  # write it again
