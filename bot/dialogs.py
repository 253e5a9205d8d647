"""Dialogues in progress: one mechanism for every question the bot waits an answer to.

A person is in at most one dialogue at a time: one row of the `dialogs` table
(bot/store/dialogs.py), written at every step, so a restart resumes where it stopped. Each
dialogue *kind* (the reminder set-up, /siaran, /staf tambah, the hand-off wait, registration)
is declared once with a `DialogKind`: its name, steps, typed state, whether the state holds
personal data (then it is stored encrypted, like registrations), its human name, the commands
that start it, how long it may be left alone, and the options of its button steps.

How a message reaches a dialogue (the one rule for /batal, other commands and questions typed
in the middle) is handlers/dialogs.py; docs/dialogs.md shows how to add a kind.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import secrets
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Generic, Protocol, Self, TypeVar

from rapidfuzz import fuzz

from bot.clock import Clock
from bot.crypto import DecryptionError, FieldCipher
from bot.roles import Role
from bot.store.dialogs import DialogRepo, DialogRow

if TYPE_CHECKING:
    from bot.i18n import Translator

logger = logging.getLogger(__name__)


class DialogState(Protocol):
    """A kind's typed state: a dataclass that turns into JSON and back."""

    def to_json(self) -> dict[str, Any]: ...

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Self: ...


class JsonState:
    """`to_json`/`from_json` for a dataclass of JSON values (unknown keys are ignored, missing
    ones take the field's default), so a state class needs only its fields."""

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)  # type: ignore[call-overload, no-any-return]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Self:
        names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass(frozen=True)
class NoState(JsonState):
    """For kinds whose step says everything."""


S = TypeVar("S", bound=DialogState)
Options = Mapping[str, Sequence[str]]  # button value -> its labels, in every language


def _always(_args: Sequence[str]) -> bool:
    return True


@dataclass(frozen=True, eq=False)
class DialogKind(Generic[S]):
    """Everything the mechanism needs to know about one kind of dialogue."""

    name: str  # stored in dialogs.kind; never change it once in use
    title: str  # N_() msgid, the human name in messages: "payment reminder set-up"
    steps: tuple[str, ...]  # the first is where `start` begins unless told otherwise
    state: type[S]
    ttl: timedelta  # left alone longer than this, it is forgotten
    free_text: frozenset[str] = frozenset()  # steps where any message is the answer
    personal: bool = False  # the state holds personal data: stored encrypted
    commands: tuple[str, ...] = ()  # commands (without "/") that start it
    # the feature's other commands, whose answer is about this dialogue (/datasaya in a
    # registration): answered without asking the question again
    own_commands: frozenset[str] = frozenset()
    starts_with: Callable[[Sequence[str]], bool] = _always  # ... given these arguments
    role: Role | None = None  # staff rights needed at every step (None: anyone)
    questions_first: frozenset[str] = frozenset()  # steps where a program question is looked
    # for before the answer (a typed name could be a question; a typed day cannot)
    numeric: frozenset[str] = frozenset()  # steps answered with a number: a message with a
    # digit there is a wrong answer, never a question ("<b>5</b>" reads as "5 months" to the FAQ)
    options: Callable[[Dialog[S], Translator], Options] | None = None  # a button step's options

    def starts(self, command: str, args: Sequence[str]) -> bool:
        """Whether `/command args` starts this kind."""
        return command in self.commands and self.starts_with(args)

    def options_at(self, dialog: Dialog[S], tr: Translator) -> Options:
        return self.options(dialog, tr) if self.options is not None else {}


@dataclass(eq=False)
class Dialog(Generic[S]):
    """A dialogue in progress. Change `step`/`state`, then `DialogService.save` it."""

    user_id: int
    kind: DialogKind[S]
    step: str
    state: S
    nonce: str
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def expired(self, now: datetime) -> bool:
        return self.updated_at is not None and now - self.updated_at > self.kind.ttl


@dataclass(frozen=True)
class Current:
    """The person's dialogue, or None; `expired`: the one just forgotten for its age."""

    dialog: Dialog[Any] | None
    expired: Dialog[Any] | None = None


@dataclass
class DialogService:
    """Start, read, save and end dialogues; the only user of DialogRepo."""

    repo: DialogRepo
    cipher: FieldCipher
    clock: Clock
    kinds: dict[str, DialogKind[Any]] = field(default_factory=dict)

    @classmethod
    def create(
        cls, repo: DialogRepo, cipher: FieldCipher, clock: Clock, kinds: Iterable[DialogKind[Any]]
    ) -> DialogService:
        return cls(repo, cipher, clock, {kind.name: kind for kind in kinds})

    # ---- reading --------------------------------------------------------------------------

    async def current(self, user_id: int) -> Current:
        """The person's dialogue. One left alone past its kind's ttl is deleted and reported
        as `expired`; a row of a kind this code does not declare counts as none."""
        row = await self.repo.get(user_id)
        dialog = self._decode(row) if row is not None else None
        if dialog is None:
            return Current(None)
        if dialog.expired(self.clock.now()):
            await self.repo.delete(user_id, dialog.nonce)
            return Current(None, expired=dialog)
        return Current(dialog)

    async def get(self, user_id: int, kind: DialogKind[S]) -> Dialog[S] | None:
        """The person's dialogue if it is of `kind` (and not expired)."""
        dialog = (await self.current(user_id)).dialog
        if dialog is None or dialog.kind is not kind:
            return None
        return dialog

    def _decode(self, row: DialogRow) -> Dialog[Any] | None:
        kind = self.kinds.get(row.kind)
        if kind is None:
            return None
        try:
            data = self.cipher.decrypt_json(row.state) if kind.personal else json.loads(row.state)
        except (DecryptionError, ValueError):
            logger.warning("dialog of user %s (%s): unreadable state", row.user_id, row.kind)
            data = {}
        step = row.step if row.step in kind.steps else kind.steps[0]
        return Dialog(
            row.user_id,
            kind,
            step,
            kind.state.from_json(data if isinstance(data, dict) else {}),
            row.nonce,
            row.created_at,
            row.updated_at,
        )

    # ---- writing --------------------------------------------------------------------------

    async def start(
        self, user_id: int, kind: DialogKind[S], state: S, step: str | None = None
    ) -> Dialog[S]:
        """A new dialogue of `kind` (replacing any other the person was in), at `step`."""
        dialog = Dialog(user_id, kind, step or kind.steps[0], state, secrets.token_hex(3))
        await self.save(dialog)
        return dialog

    async def resume(self, user_id: int, kind: DialogKind[S], state: S) -> Dialog[S] | None:
        """The person's dialogue of `kind`, or a new one with `state` when they are in none
        (an old button of a dialogue that ended); None when they are in another kind."""
        current = (await self.current(user_id)).dialog
        if current is None:
            return await self.start(user_id, kind, state)
        return current if current.kind is kind else None

    async def save(self, dialog: Dialog[Any]) -> None:
        """Write the dialogue's step and state (its clock starts again)."""
        if dialog.step not in dialog.kind.steps:
            raise ValueError(f"{dialog.kind.name} has no step {dialog.step!r}")
        data = dialog.state.to_json()
        state = (
            self.cipher.encrypt_json(data)
            if dialog.kind.personal
            else json.dumps(data, ensure_ascii=False)
        )
        await self.repo.put(dialog.user_id, dialog.kind.name, dialog.step, dialog.nonce, state)
        dialog.updated_at = self.clock.now()
        dialog.created_at = dialog.created_at or dialog.updated_at

    async def move(self, dialog: Dialog[Any], step: str) -> None:
        """Go to `step` and save."""
        dialog.step = step
        await self.save(dialog)

    async def end(self, dialog: Dialog[Any]) -> bool:
        """The dialogue is over (done or cancelled); False if it had already ended."""
        return await self.repo.delete(dialog.user_id, dialog.nonce)

    async def cancel(self, user_id: int, *kinds: DialogKind[Any]) -> bool:
        """End whatever dialogue the person is in (only one of `kinds`, when given)."""
        if kinds:
            return await self.repo.delete_kinds(user_id, tuple(k.name for k in kinds))
        return await self.repo.delete(user_id)

    async def expire(self) -> list[Dialog[Any]]:
        """Delete every dialogue left alone past its kind's ttl; return them (for notices)."""
        if not self.kinds:
            return []
        now = self.clock.now()
        shortest = min(kind.ttl for kind in self.kinds.values())
        expired: list[Dialog[Any]] = []
        for row in await self.repo.older_than(now - shortest):
            dialog = self._decode(row)
            if dialog is not None and dialog.expired(now) and await self.repo.delete_untouched(row):
                expired.append(dialog)
        return expired


# ---- typed answers at a button step ---------------------------------------------------------

WORD_MATCH = 80  # rapidfuzz ratio (0-100) at which a typed word counts as a label's word
MAX_TYPED = 200  # characters: a longer text is no answer to a button step


def fold(text: str) -> str:
    """Case-folded letters and digits, for comparing a typed answer with a button label."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


def _words(text: str) -> set[str]:
    spaced = "".join(
        ch if ch.isalnum() else " " for ch in unicodedata.normalize("NFKC", text).casefold()
    )
    return {w for w in spaced.split() if len(w) >= 3}


def match_option(text: str, options: Options, filler: frozenset[str] = frozenset()) -> str | None:
    """The option a typed answer stands for, or None when it is not clearly one.

    A label typed in full (case, spaces and signs aside) wins. Otherwise the typed words,
    without the `filler` words (the FAQ lexicon's stopwords and trade words such as "tukang",
    `FaqService.filler_words`) unless nothing else is left, are compared, forgiving typos
    (rapidfuzz), with the words of each option's labels; a word found in several options
    tells nothing. The option with the most words found wins when no other has as many:
    "tukang becak" -> "Pengayuh becak", "sopir angkut" -> "Sopir angkot".
    """
    folded = fold(text)
    if not folded or len(text) > MAX_TYPED:
        return None
    for value, labels in options.items():
        if any(fold(label) == folded for label in labels):
            return value
    found = _label_hits(text, options, filler)
    if found is None:
        return None
    _typed, hits = found
    seen: dict[str, int] = {}
    for words in hits.values():
        for word in words:
            seen[word] = seen.get(word, 0) + 1
    scores = {value: sum(1 for w in words if seen[w] == 1) for value, words in hits.items()}
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    if not ranked or ranked[0][1] == 0 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    return ranked[0][0]


def only_option_words(text: str, options: Options, filler: frozenset[str] = frozenset()) -> bool:
    """Every typed word (the `filler` aside, as in `match_option`) is a word of the buttons'
    labels: an answer that fits several buttons ("buruh": two say it), never a program
    question, though the FAQ may answer the word alone."""
    found = _label_hits(text, options, filler)
    if found is None:
        return False
    typed, hits = found
    return typed == set().union(*hits.values())


def _label_hits(
    text: str, options: Options, filler: frozenset[str]
) -> tuple[set[str], dict[str, set[str]]] | None:
    """The typed words (without the `filler` words, unless nothing else is left) and, for each
    option, those of them its labels say (typos forgiven); None for no word or a text too long
    to be an answer."""
    if len(text) > MAX_TYPED:
        return None
    typed = _words(text)
    typed = (typed - filler) or typed
    if not typed:
        return None
    said = {value: set().union(*map(_words, labels)) for value, labels in options.items()}
    hits = {
        value: {t for t in typed if any(fuzz.ratio(t, w) >= WORD_MATCH for w in words)}
        for value, words in said.items()
    }
    return typed, hits
