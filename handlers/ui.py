"""Shared bits of chat UI: the main menu, a reply helper that works for buttons too, and
answering a button press by editing its message in place."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from functools import lru_cache
from typing import TypeVar

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
    User,
)
from telegram.error import BadRequest, TelegramError

from bot import callbacks
from bot.i18n import Translator

logger = logging.getLogger(__name__)

T = TypeVar("T")


@lru_cache(maxsize=1024)
def button(text: str, data: str) -> InlineKeyboardButton:
    """A callback button, built once and shared. python-telegram-bot's objects are immutable,
    and building one costs about as much as a database statement, while the bot shows the
    same menu, topic, day and time buttons over and over. Buttons whose data names one
    question or one dialogue (votes, registration steps) are built as usual."""
    return InlineKeyboardButton(text, callback_data=data)


def pager_row(
    tr: Translator, position: int, count: int, data: Callable[[int], str]
) -> list[InlineKeyboardButton]:
    """ "◀️ Previous" and "Next ▶️" around item (or page) `position` of `count`, as far as there
    is one; `data(n)` is the callback data that shows item n. Empty when there is only one."""
    row = []
    if position > 0:
        row.append(InlineKeyboardButton(tr.gettext("◀️ Previous"), callback_data=data(position - 1)))
    if position + 1 < count:
        row.append(InlineKeyboardButton(tr.gettext("Next ▶️"), callback_data=data(position + 1)))
    return row


def main_menu(tr: Translator) -> InlineKeyboardMarkup:
    """Tanya program / Daftar / Pengingat iuran / Bantuan."""
    _ = tr.gettext
    return InlineKeyboardMarkup(
        [
            [
                button(_("❓ Ask about the program"), callbacks.MENU_FAQ.pack()),
                button(_("📝 Register"), callbacks.MENU_REGISTER.pack()),
            ],
            [
                button(_("⏰ Payment reminder"), callbacks.MENU_REMINDER.pack()),
                button(_("ℹ️ Help"), callbacks.MENU_HELP.pack()),
            ],
        ]
    )


async def reply(
    update: Update, text: str, markup: InlineKeyboardMarkup | None = None
) -> Message | None:
    """Answer in the chat of the update: to a message, or under a pressed button."""
    if update.effective_message is not None:
        return await update.effective_message.reply_text(text, reply_markup=markup)
    if update.effective_chat is not None:
        return await update.effective_chat.send_message(text, reply_markup=markup)
    return None


async def answer_quietly(query: CallbackQuery, text: str | None = None) -> None:
    """Answer a button press (with `text` as a short notice); a failure ("query is too old"
    after downtime or a backlog, network) is only logged, and the caller carries on with the
    press: the spinner on the button stops by itself after a while. Every handler answers
    presses through this."""
    try:
        await query.answer(text)
    except TelegramError as exc:
        logger.info("could not answer button press %s: %s", query.id, exc.message)


async def answer_while(query: CallbackQuery, action: Awaitable[T]) -> T:
    """Answer a button press while `action` (an edit, a send) runs: one round trip, not two.

    Both calls always run to the end; an exception of `action` is raised afterwards.
    """
    answered, result = await asyncio.gather(answer_quietly(query), action, return_exceptions=True)
    if isinstance(answered, BaseException):  # not a TelegramError: e.g. cancelled
        raise answered
    if isinstance(result, BaseException):
        raise result
    return result


async def edit_in_place(
    query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None
) -> bool:
    """Answer a press and show `text` (and `markup`) in the pressed message instead of sending a
    new one, both at once. The press is answered in any case. False when Telegram refuses the
    edit (BadRequest: the message is gone or cannot be edited, or already shows exactly this);
    the caller then sends a new message. Other errors (timeouts, network) are raised, as a
    send would raise them.
    """
    if not isinstance(query.message, Message):  # inaccessible (very old) or inline message
        await answer_quietly(query)
        return False
    try:
        await answer_while(query, query.edit_message_text(text, reply_markup=markup))
    except BadRequest as exc:
        logger.debug("could not edit message %s in place: %s", query.message.message_id, exc)
        return False
    return True


async def edit_quietly(
    message: object, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Replace the text (and buttons) of a message whose button was pressed, in the staff
    tools; when Telegram refuses or cannot be reached the old message simply stays."""
    if isinstance(message, Message):
        try:
            await message.edit_text(text, reply_markup=markup)
        except TelegramError as exc:
            logger.debug("could not edit: %s", exc)


def staff_press(update: Update) -> tuple[CallbackQuery, User, str]:
    """The button press a staff_only handler answers: the query, the presser and the callback
    data ("" when there is none). staff_only has already let only a presser through."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    return query, user, query.data or ""


async def turn_page(
    query: CallbackQuery, page: Awaitable[tuple[str, InlineKeyboardMarkup | None]]
) -> None:
    """Answer a press on a staff tool's page button, then show the `page` it asked for (text
    and buttons) in the pressed message, as edit_quietly does."""
    await answer_quietly(query)
    text, markup = await page
    await edit_quietly(query.message, text, markup)


async def drop_buttons(query: CallbackQuery) -> None:
    """Take the buttons off the pressed message (so a second tap finds none); a message that
    cannot be edited (gone, already without buttons) is left as it is."""
    message = query.message
    if not isinstance(message, Message) or message.reply_markup is None:
        return
    try:
        await query.edit_message_reply_markup(reply_markup=None)
    except BadRequest as exc:
        logger.debug("could not remove the buttons of message %s: %s", message.message_id, exc)


async def show(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """The reply to an update. To a button press: shown in the pressed message, answering the
    press at the same time; when that message cannot be edited, its buttons are removed and
    the reply comes as a new message. To anything else: a new message (see `reply`)."""
    query = update.callback_query
    if query is not None:
        if await edit_in_place(query, text, markup):
            return
        await drop_buttons(query)
    await reply(update, text, markup)
