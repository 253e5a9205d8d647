"""Every callback-data format and numeric command argument, packed and parsed in one place.

Callback data comes from the client: any string up to 64 bytes can arrive (a forged button,
an old one). Parsing here never raises. A number is 1 to N ASCII digits: `str.isdigit()`
also accepts "²", on which `int()` raises, and a `\\d` without `re.ASCII` accepts other
scripts' digits. A word is from a small fixed alphabet. Anything else parses as None, and
the handler treats it as a stale button.

Each format is written once: `pack()` builds the data for a button (and refuses values the
format would not parse back), `parse()` reads it, `pattern` routes it to its handler.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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


def any_of(*formats: Format) -> re.Pattern[str]:
    """A handler pattern for exactly these formats."""
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

MENU_FAQ = Format("menu:faq")
MENU_REGISTER = Format("menu:daftar")
MENU_REMINDER = Format("menu:pengingat")
MENU_HELP = Format("menu:bantuan")
LANGUAGE = Format("lang", Word("[a-z]{2,3}"))

# Registration: `rg:<nonce>:<step>:<value>` for the dialogue, `rgx:` under stored data.
REG_STEP = Format("rg", Word("[0-9a-f]{1,16}"), KEY, KEY)
REG_EDIT = Format("rgx:edit")
REG_DELETE = Format("rgx:delete")
REG_DELETE_CONFIRM = Format("rgx:confirm", Num())
REG_KEEP = Format("rgx:keep")

# FAQ: a topic, a suggestion for question N, a vote on the answer to question N.
FAQ_TOPIC = Format("faq:t", KEY)
FAQ_SUGGESTION = Format("faq:s", Num(), KEY)
FAQ_VOTE = Format("faq:v", Num(), Word("[+-]"))

# Tanya petugas (hand-off): ask (the last question, or question N), write, reply, done.
HANDOFF_ASK = Format("ho:ask")
HANDOFF_ASK_QUESTION = Format("ho:ask", Num())
HANDOFF_WRITE = Format("ho:write")
HANDOFF_REPLY = Format("ho:reply", Num())
HANDOFF_DONE = Format("ho:done", Num())

# Broadcasts (/siaran): N is an index into the options or times shown, or a broadcast id.
BC_CANCEL = Format("bc:cancel")
BC_BACK = Format("bc:back")
BC_AUDIENCE = Format("bc:aud", KEY)
BC_OPTION = Format("bc:opt", Num(3))
BC_NOW = Format("bc:now")
BC_SCHEDULE = Format("bc:sched")
BC_AT = Format("bc:at", Num(3))
BC_STOP = Format("bc:stop", Num())
BC_STOP_CONFIRM = Format("bc:stopok", Num())
BC_KEEP = Format("bc:keep")

# Staff management (/staf): Telegram user ids.
USER_ID_DIGITS = 15
STAFF_ADD = Format("staf:add")
STAFF_REMOVE = Format("staf:rm", Num(USER_ID_DIGITS))
STAFF_REMOVE_CONFIRM = Format("staf:rmok", Num(USER_ID_DIGITS))
STAFF_NO = Format("staf:no")

# /pendaftar: a page, or a status for registration N (then back to page P, -1: none).
PD_PAGE = Format("pd:go", Num(6))
PD_SET = Format("pd:set", Num(9), Word("[dtxb]"), Num(6, signed=True))

# /ekspor: format and masked or full NIKs.
EXPORT = Format("ex", Word("csv|xlsx"), Word("[mf]"))

# Reminders: set-up, the reminder's own buttons (month "YYYY-MM").
REM_DAY = Format("rem:day", Num(2))
REM_TIME = Format("rem:time", Num(4))  # HHMM: "0700" is 07:00
REM_CANCEL = Format("rem:cancel")
REM_CHANGE = Format("rem:change")
REM_STOP = Format("rem:stop")
REM_EXAMPLE = Format("rem:example")
REM_DEMO = Format("rem:demo")
REM_PAID = Format("rem:paid", Word("[0-9]{4}-[0-9]{2}"))
REM_SNOOZE = Format("rem:snooze", Word("[0-9]{4}-[0-9]{2}"))

# The daily digest in the staff group (bot/digest.py): open registration N (its card comes to
# the presser's private chat), show hand-off thread N again in the group.
DG_REG = Format("dg:r", Num(9))
DG_HANDOFF = Format("dg:h", Num(9))
# The knowledge base by staff (issue 16): /pertanyaan's review loop and /jawaban. Q is a
# question id (the newest of its group), V a version (kb_changes id), P a page.
KB_REVIEW = Format("kb:q", Num(6))  # review page P
KB_ADD = Format("kb:add", Num(), KEY)  # question Q becomes a phrasing of entry E
KB_TOPICS = Format("kb:top", Num(), Num(3))  # every topic for question Q, page P
KB_IGNORE = Format("kb:ign", Num())  # question Q is out of scope
KB_APPROVE = Format("kb:ok", Num())  # four-eyes: a second staff member approves V
KB_PUBLISH = Format("kb:pub", Num())  # admins: publish the held version V anyway
KB_REJECT = Format("kb:no", Num())  # do not publish V
KB_RESTORE = Format("kb:rst", Num())  # a new version giving V's entry back
KB_HISTORY = Format("kb:hist", Num(6))  # /jawaban riwayat, page P
KB_ENTRIES = Format("kb:list", Num(3))  # /jawaban, page P
KB_ENTRY = Format("kb:e", KEY)  # one entry
KB_DROP = Format("kb:rm", KEY, Num(3))  # remove phrasing N of entry E
