"""/daftar and the registration dialogue: its ways in, its place in the dialogue router
(handlers/dialogs.py) and its handlers. The dialogue itself is bot/registration/ (steps,
transitions, validation, storage); its answers are handlers/registration_dialog.py, its texts
handlers/registration_render.py, the stored data's commands handlers/registration_account.py.

Routing: a message from someone in a registration reaches it through the router
(HandlerGroup.DIALOGS: /batal, other commands, program questions, typed button labels, then
`registration_dialog.answer`). Group 0: the commands, the menu's "Register" button, the `rg:`
dialogue buttons, the `rgx:` buttons on stored data, and the `/start daftar[_source]` deep link
(registered before start's own /start handler).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot import callbacks
from bot.commands import Cmd
from bot.context import BotContext, SakporeApp
from bot.erasure import enforce_retention
from bot.registration import REGISTRATION, REGISTRATION_EDIT
from bot.registration.buttons import ACCOUNT, StepButton
from handlers import registration_dialog as dialog
from handlers.dialogs import Flow
from handlers.registration_account import datasaya, hapusdata, on_account_button, ubahdata
from handlers.registration_render import ask, send
from handlers.registration_texts import account_keyboard, registered_text
from handlers.ui import answer_quietly, main_menu

logger = logging.getLogger(__name__)
_DEEP_LINK = re.compile(r"^/start(?:@\w+)?\s+daftar(?:_([A-Za-z0-9_-]{1,50}))?\s*$", re.IGNORECASE)


# ---- ways in ----------------------------------------------------------------------------------


async def begin(update: Update, context: BotContext, source: str) -> None:
    """Every way in (/daftar, the menu, FAQ buttons, deep links) ends here."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or chat.type != ChatType.PRIVATE:
        return
    svc, tr = context.deps.registrations, context.tr
    entry = await svc.enter(user.id, source)
    if entry.registration is not None:
        text = "\n\n".join(
            [
                tr.gettext("You are already registered. This is what I have stored:"),
                registered_text(tr, svc, entry.registration),
                tr.gettext("Is something wrong? You can change it."),
            ]
        )
        await send(update, text, account_keyboard(tr))
    elif entry.draft is not None:
        note = tr.gettext("You already started registering. Let us continue:")
        await ask(update, context, entry.draft, note if entry.resumed else None)


async def daftar(update: Update, context: BotContext) -> None:
    """/daftar: start (or continue) the registration."""
    await begin(update, context, "command")


async def menu_daftar(update: Update, context: BotContext) -> None:
    """The "Register" button of the main menu (and of FAQ answers)."""
    if update.callback_query is not None:
        await answer_quietly(update.callback_query)
    await begin(update, context, "menu")


async def start_daftar(update: Update, context: BotContext) -> None:
    """Deep links t.me/<bot>?start=daftar and ?start=daftar_<source> (posters)."""
    user, message = update.effective_user, update.effective_message
    if user is None or message is None or not message.text:
        return
    match = _DEEP_LINK.match(message.text)
    if context.args:
        await context.deps.users.record_start_payload(user.id, context.args[0])
    poster = match.group(1) if match else None
    await begin(update, context, f"link:{poster.lower()}" if poster else "link")


async def nothing_to_cancel(update: Update, context: BotContext) -> None:
    """/batal when no dialogue was open (the router cancels an open one)."""
    await send(update, context.tr.gettext("There is nothing to cancel."), main_menu(context.tr))


# ---- the dialogue router's view of registration -----------------------------------------------


async def _can_start(context: BotContext, user_id: int, command: str | None) -> bool:
    """From another dialogue, /ubahdata changes stored data: with none, it only answers (the
    person cannot have a registration draft: one dialogue at a time)."""
    if command != Cmd.CHANGE_DATA:
        return True
    return await context.deps.registrations.registration(user_id) is not None


_COMMON: dict[str, Any] = {
    "can_start": _can_start,
    "refuse": dialog.refuse,
    "choose": dialog.choose,
    "expired": dialog.expired,
    "cancelled": dialog.cancelled,
    "notice": dialog.notice,
}
FLOWS: list[Flow[Any]] = [
    # /ubahdata from another dialogue is a change of the stored data: this flow first
    Flow(REGISTRATION_EDIT, dialog.ask_again, dialog.answer, ubahdata, **_COMMON),
    Flow(
        REGISTRATION,
        dialog.ask_again,
        dialog.answer,
        daftar,
        start_buttons=(callbacks.MENU_REGISTER,),
        **_COMMON,
    ),
]


# ---- the background job -----------------------------------------------------------------------


async def housekeeping_job(context: BotContext) -> None:
    """Keeps the question log within QUESTION_RETENTION_DAYS (registration drafts expire with
    every dialogue: handlers/dialogs.py)."""
    removed = await enforce_retention(context.deps)
    if removed:
        logger.info("deleted %s logged questions past the retention period", removed)


def start_jobs(app: SakporeApp) -> None:
    """The periodic housekeeping job (the database is the schedule)."""
    if app.job_queue is None:
        return
    interval = app.bot_data["deps"].settings.worker_interval_seconds
    app.job_queue.run_repeating(housekeeping_job, interval=interval, first=interval)


def register(app: SakporeApp) -> None:
    """Add the handlers; call before start.register (the deep link must win over /start)."""
    private = filters.ChatType.PRIVATE
    app.add_handler(
        CommandHandler(Cmd.START, start_daftar, filters=private & filters.Regex(_DEEP_LINK))
    )
    app.add_handler(CommandHandler([Cmd.REGISTER, Cmd.REGISTER_EN], daftar, filters=private))
    app.add_handler(CommandHandler(Cmd.MY_DATA, datasaya, filters=private))
    app.add_handler(CommandHandler(Cmd.CHANGE_DATA, ubahdata, filters=private))
    app.add_handler(CommandHandler(Cmd.DELETE_DATA, hapusdata, filters=private))
    app.add_handler(CallbackQueryHandler(menu_daftar, pattern=callbacks.MENU_REGISTER.pattern))
    app.add_handler(CallbackQueryHandler(dialog.on_button, pattern=StepButton.pattern))
    app.add_handler(CallbackQueryHandler(on_account_button, pattern=ACCOUNT))


def register_fallbacks(app: SakporeApp) -> None:
    """Answers that must come after every feature's own handlers (just before fallback)."""
    app.add_handler(
        CommandHandler(
            [Cmd.CANCEL, Cmd.CANCEL_EN], nothing_to_cancel, filters=filters.ChatType.PRIVATE
        )
    )
