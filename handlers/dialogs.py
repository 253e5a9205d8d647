"""The dialogue router: the one rule for every dialogue (bot/dialogs.py).

A message from someone in a dialogue comes here first (HandlerGroup.DIALOGS):

* `/batal` (`/cancel`) ends the dialogue, whatever it is, and says what was cancelled.
* A command that starts *another* dialogue asks "finish X first, or cancel it?" with two
  buttons: go on with X, or cancel X and start the new one.
* Any other command is answered as usual, then the dialogue's question is asked again
  (HandlerGroup.DIALOG_AGAIN). A command that starts the same dialogue starts it again.
* Anything else is the answer to the current step: at a button step a typed answer is first
  matched to the buttons' labels; if the dialogue cannot use it, a clear program question (the
  FAQ's own "answered" decision) is answered and the question asked again; otherwise the
  dialogue says what it needs.
* The rights a staff dialogue needs are checked at every message.

Buttons pass through to their handlers; each dialogue's own buttons check its step themselves.
Each kind's handlers module describes it with a `Flow` and hands it to `register`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    ExtBot,
    MessageHandler,
    filters,
)

from bot import callbacks
from bot.commands import Cmd
from bot.context import BotContext, Deps, SakporeApp
from bot.dialogs import Dialog, DialogKind, S, match_option, only_option_words
from bot.i18n import Translator
from handlers.common import PRIVATE_INPUT
from handlers.faq import send_answer
from handlers.groups import HandlerGroup
from handlers.ui import answer_quietly, button, edit_quietly, reply

logger = logging.getLogger(__name__)

CANCEL_COMMANDS = frozenset({Cmd.CANCEL, Cmd.CANCEL_EN})
_MARKUP = re.compile(r"<[/A-Za-z]")  # a tag: pasted or probing text, not a question

Ask = Callable[[Update, BotContext, Dialog[S], str | None], Awaitable[None]]
Answer = Callable[[Update, BotContext, Dialog[S]], Awaitable[bool]]
Choose = Callable[[Update, BotContext, Dialog[S], str], Awaitable[None]]
Refuse = Callable[[Update, BotContext, Dialog[S]], Awaitable[None]]
Begin = Callable[[Update, BotContext], Awaitable[None]]
Notice = Callable[[Deps, ExtBot[Any], Dialog[S]], Awaitable[None]]
CanStart = Callable[[BotContext, int, str | None], Awaitable[bool]]  # (.., user, command)


@dataclass(frozen=True)
class Flow(Generic[S]):
    """How a kind of dialogue talks: the handlers' half of a `DialogKind`."""

    kind: DialogKind[S]
    ask: Ask[S]  # (re)ask the current step's question, `note` (HTML) first when given
    answer: Answer[S]  # a message at the current step; False: it was not an answer
    begin: Begin  # start the dialogue (its command does the same)
    cancelled_note: str | None = None  # N_() msgid, after "Cancelled: X."
    refuse: Refuse[S] | None = None  # after a message that was no answer (default: ask again)
    choose: Choose[S] | None = None  # a typed answer that matched a button: its value
    start_buttons: tuple[callbacks.Button, ...] = ()  # buttons that start it, like its commands
    paused: Callable[[BotContext], bool] | None = None  # True: let messages pass for now
    # the next message after the dialogue expired (say so); without it the message goes on
    expired: Refuse[S] | None = None
    # /batal: the kind says itself what was cancelled (default: "Cancelled: X." + the note)
    cancelled: Refuse[S] | None = None
    # the expiry job forgot it: tell the person (default: nothing)
    notice: Notice[S] | None = None
    # whether the person may start it now, by this command (None: a button); False: from
    # another dialogue the command is answered like any other (/ubahdata: nothing to change)
    can_start: CanStart | None = None


def command_of(text: str | None) -> tuple[str, list[str]] | None:
    """('staf', ['tambah']) for '/staf@SakporeBot tambah'; None when not a command."""
    if not text or not text.startswith("/"):
        return None
    words = text.split()
    return words[0][1:].split("@")[0].lower(), words[1:]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def again_note(tr: Translator, dialog: Dialog[Any]) -> str:
    """The line before a question asked again."""
    return tr.gettext(
        "📝 {what} is not finished yet. Answer below to continue, or type /batal."
    ).format(what=_cap(tr.gettext(dialog.kind.title)))


class Router:
    """The handlers of the one rule; `flows` are the dialogue kinds that run on it."""

    def __init__(self, flows: Sequence[Flow[Any]]) -> None:
        self.flows = {flow.kind.name: flow for flow in flows}

    # ---- messages -------------------------------------------------------------------------

    async def on_message(self, update: Update, context: BotContext) -> None:
        """A private message: to the sender's dialogue, if they are in one."""
        message, user = update.message, update.effective_user
        if message is None or user is None:
            return
        current = await context.deps.dialogs.current(user.id)
        if current.expired is not None:
            gone = self.flows.get(current.expired.kind.name)
            if gone is not None and gone.expired is not None:
                await gone.expired(update, context, current.expired)
                if command_of(message.text) is None:
                    raise ApplicationHandlerStop
                return  # a command still does what it says (/daftar starts afresh)
        dialog = current.dialog
        flow = self.flows.get(dialog.kind.name) if dialog is not None else None
        if dialog is None or flow is None or (flow.paused and flow.paused(context)):
            return
        command = command_of(message.text)
        if not await self._allowed(update, context, dialog):
            if command is None:
                raise ApplicationHandlerStop
            return  # a command still works as it does for anyone
        if command is not None:
            await self._command(update, context, dialog, *command)
            return
        await self._answer(update, context, flow, dialog, message.text)
        raise ApplicationHandlerStop

    async def _allowed(self, update: Update, context: BotContext, dialog: Dialog[Any]) -> bool:
        """The staff rights of the dialogue, checked again; when gone, the dialogue ends."""
        role, user = dialog.kind.role, update.effective_user
        if role is None or user is None or await context.deps.staff.has_role(user.id, role):
            return True
        await context.deps.dialogs.end(dialog)
        await reply(
            update,
            context.tr.gettext(
                "Your staff rights have changed, so I closed that unfinished step. "
                "Nothing was sent or changed."
            ),
        )
        return False

    async def _command(
        self, update: Update, context: BotContext, dialog: Dialog[Any], name: str, args: list[str]
    ) -> None:
        if name in CANCEL_COMMANDS:
            await context.deps.dialogs.end(dialog)
            flow = self.flows[dialog.kind.name]
            if flow.cancelled is not None:
                await flow.cancelled(update, context, dialog)
            else:
                await reply(update, self.cancelled_text(context.tr, dialog))
            raise ApplicationHandlerStop
        if dialog.kind.starts(name, args) or name in dialog.kind.own_commands:
            return  # the command starts this dialogue again (its handler goes on with it), or
            # answers about it
        other = await self._may_start(
            update, context, (f for f in self.flows.values() if f.kind.starts(name, args)), name
        )
        if other is None:
            context.dialog_waiting = dialog  # answered in group 0, then asked again
            return
        await self._finish_or_cancel(update, context, dialog, other)

    async def _finish_or_cancel(
        self, update: Update, context: BotContext, dialog: Dialog[Any], other: Flow[Any]
    ) -> None:
        """Ask whether to go on with `dialog` or to cancel it and start `other`; stop."""
        tr = context.tr
        what, new = tr.gettext(dialog.kind.title), tr.gettext(other.kind.title)
        markup = InlineKeyboardMarkup(
            [
                [
                    button(
                        tr.gettext("▶️ Continue: {what}").format(what=what),
                        callbacks.DialogKeep(dialog.nonce).pack(),
                    )
                ],
                [
                    button(
                        tr.gettext("✖️ Cancel it and start: {new}").format(new=new),
                        callbacks.DialogSwitch(dialog.nonce, other.kind.name).pack(),
                    )
                ],
            ]
        )
        await reply(
            update,
            tr.gettext("Finish the {what} first, or cancel it?").format(what=what),
            markup,
        )
        raise ApplicationHandlerStop

    async def _may_start(
        self,
        update: Update,
        context: BotContext,
        flows: Iterable[Flow[Any]],
        command: str | None = None,
    ) -> Flow[Any] | None:
        """The first of `flows` this person may start (staff kinds only for staff, and only
        when the flow's `can_start` agrees)."""
        user = update.effective_user
        if user is None:
            return None
        for flow in flows:
            role = flow.kind.role
            if role is not None and not await context.deps.staff.has_role(user.id, role):
                continue
            if flow.can_start is None or await flow.can_start(context, user.id, command):
                return flow
        return None

    async def _in_dialog(
        self, update: Update, context: BotContext
    ) -> tuple[Dialog[Any], Flow[Any]] | None:
        """The sender's dialogue and its flow, when they are in one this router runs."""
        user = update.effective_user
        dialog = (await context.deps.dialogs.current(user.id)).dialog if user else None
        flow = self.flows.get(dialog.kind.name) if dialog is not None else None
        return (dialog, flow) if dialog is not None and flow is not None else None

    async def on_start_button(self, update: Update, context: BotContext) -> None:
        """A button that starts a dialogue, pressed in another one: "finish X first?"."""
        query, found = update.callback_query, await self._in_dialog(update, context)
        if query is None or found is None:
            return
        dialog = found[0]
        starts = (
            f for f in self.flows.values() if any(b.parse(query.data) for b in f.start_buttons)
        )
        other = await self._may_start(update, context, starts)
        if other is None or other.kind is dialog.kind:
            return
        await answer_quietly(query)
        await self._finish_or_cancel(update, context, dialog, other)

    async def _answer(
        self,
        update: Update,
        context: BotContext,
        flow: Flow[Any],
        dialog: Dialog[Any],
        text: str | None,
    ) -> None:
        kind, tr = dialog.kind, context.tr
        if dialog.step in kind.free_text:
            if not await flow.answer(update, context, dialog):
                await self._refuse(update, context, flow, dialog)
            return
        first = dialog.step in kind.questions_first
        if first and await self._question(update, context, dialog):
            await flow.ask(update, context, dialog, again_note(tr, dialog))
            return
        options = kind.options_at(dialog, tr) if text else {}
        filler = context.deps.faq.filler_words(tr.locale) if options else frozenset()
        value = match_option(text, options, filler) if text and options else None
        if value is not None and flow.choose is not None:
            await flow.choose(update, context, dialog, value)
        elif await flow.answer(update, context, dialog):
            pass
        elif text and options and only_option_words(text, options, filler):
            await self._refuse(update, context, flow, dialog)  # several buttons fit: choose one
        elif not first and await self._question(update, context, dialog):
            await flow.ask(update, context, dialog, again_note(tr, dialog))
        else:
            await self._refuse(update, context, flow, dialog)

    async def _question(self, update: Update, context: BotContext, dialog: Dialog[Any]) -> bool:
        """Answer the message if it is clearly a program question (the FAQ answers it)."""
        message = update.message
        text = message.text if message is not None else None
        if not text or not any(c.isalpha() for c in text):
            return False
        if dialog.step in dialog.kind.numeric and any(c.isdigit() for c in text):
            return False  # a wrong answer to "which day?", not a question
        if _MARKUP.search(text):
            return False  # "<script>alert(1)</script>" is no question ("alert": a reminder)
        answer = context.deps.faq.ask(text, context.tr)
        if not answer.answered or (answer.entry is not None and not answer.entry.menu):
            return False  # not a program question (small talk such as "halo" is no answer)
        await send_answer(update, context, text, answer)
        return True

    async def _refuse(
        self, update: Update, context: BotContext, flow: Flow[Any], dialog: Dialog[Any]
    ) -> None:
        if flow.refuse is not None:
            await flow.refuse(update, context, dialog)
        else:
            await flow.ask(update, context, dialog, None)

    def cancelled_text(self, tr: Translator, dialog: Dialog[Any]) -> str:
        """ "Cancelled: <what>." and what that means for this kind."""
        text = tr.gettext("✖️ Cancelled: {what}.").format(what=tr.gettext(dialog.kind.title))
        flow = self.flows.get(dialog.kind.name)
        if flow is not None and flow.cancelled_note is not None:
            text += " " + tr.gettext(flow.cancelled_note)
        return text

    async def again(self, update: Update, context: BotContext) -> None:
        """After another command was answered: the waiting dialogue's question again."""
        waiting = context.dialog_waiting
        found = await self._in_dialog(update, context) if waiting is not None else None
        if waiting is None or found is None or found[0].nonce != waiting.nonce:
            return  # not in a dialogue, or the command ended or replaced it
        dialog, flow = found
        await flow.ask(update, context, dialog, again_note(context.tr, dialog))

    # ---- "finish X first, or cancel it?" ------------------------------------------------------

    async def on_choice(self, update: Update, context: BotContext) -> None:
        """`dlg:keep:<nonce>` / `dlg:new:<nonce>:<kind>`."""
        query, found = update.callback_query, await self._in_dialog(update, context)
        if query is None:
            return
        tr = context.tr
        keep = callbacks.DialogKeep.parse(query.data)
        switch = callbacks.DialogSwitch.parse(query.data)
        parsed = keep or switch
        if found is None or parsed is None or found[0].nonce != parsed.nonce:
            await answer_quietly(query, tr.gettext("This button no longer works."))
            return
        dialog, flow = found
        await answer_quietly(query)
        if keep:
            await edit_quietly(query.message, tr.gettext("OK, let us go on."))
            await flow.ask(update, context, dialog, None)
            return
        target = self.flows.get(switch.kind) if switch else None
        await context.deps.dialogs.end(dialog)
        await edit_quietly(query.message, self.cancelled_text(tr, dialog))
        if target is not None:
            await target.begin(update, context)


async def expire(deps: Deps, bot: ExtBot[Any], flows: Sequence[Flow[Any]]) -> int:
    """Forget dialogues left alone past their kind's ttl; each kind with a `notice` tells its
    person. Returns how many were forgotten."""
    notices = {flow.kind.name: flow.notice for flow in flows}
    expired = await deps.dialogs.expire()
    for dialog in expired:
        notice = notices.get(dialog.kind.name)
        if notice is not None:
            await notice(deps, bot, dialog)
    if expired:
        logger.info("forgot %s dialogues left alone too long", len(expired))
    return len(expired)


async def expire_job(context: BotContext) -> None:
    """The periodic job (`start_jobs`); the flows are the job's data."""
    flows = context.job.data if context.job is not None else ()
    await expire(context.deps, context.bot, flows)  # type: ignore[arg-type]


def register(app: SakporeApp, flows: Sequence[Flow[Any]]) -> None:
    router = Router(flows)
    app.add_handler(MessageHandler(PRIVATE_INPUT, router.on_message), group=HandlerGroup.DIALOGS)
    starts = [button for flow in flows for button in flow.start_buttons]
    if starts:
        app.add_handler(
            CallbackQueryHandler(router.on_start_button, pattern=callbacks.any_of(*starts)),
            group=HandlerGroup.DIALOGS,
        )
    app.add_handler(
        CallbackQueryHandler(
            router.on_choice,
            pattern=callbacks.any_of(callbacks.DialogKeep, callbacks.DialogSwitch),
        ),
        group=HandlerGroup.FEATURES,
    )
    app.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & filters.COMMAND, router.again),
        group=HandlerGroup.DIALOG_AGAIN,
    )


def start_jobs(app: SakporeApp, interval: float, flows: Sequence[Flow[Any]] = ()) -> None:
    if app.job_queue is not None:
        app.job_queue.run_repeating(
            expire_job, interval=interval, first=interval, name="dialogs", data=list(flows)
        )
