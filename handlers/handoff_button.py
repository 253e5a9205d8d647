"""The "Tanya petugas" button that other features add to their keyboards (the FAQ's unsure
answers, /bantuan). Apart from handlers/handoff.py so that the FAQ, which the dialogue router
uses, does not import the hand-off's dialogue (no import cycle)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.context import BotContext
from bot.i18n import Translator


def ask_button(tr: Translator, question_id: int | None = None) -> InlineKeyboardButton:
    data = (
        callbacks.HANDOFF_ASK.pack()
        if question_id is None
        else callbacks.HandoffAskQuestion(question_id).pack()
    )
    return InlineKeyboardButton(tr.gettext("🙋 Ask a staff member"), callback_data=data)


def with_ask_button(
    context: BotContext, markup: InlineKeyboardMarkup, question_id: int | None = None
) -> InlineKeyboardMarkup:
    """The markup with a "Tanya petugas" row added (when a staff group is configured)."""
    if not context.deps.handoffs.enabled:
        return markup
    rows = [list(row) for row in markup.inline_keyboard]
    rows.append([ask_button(context.tr, question_id)])
    return InlineKeyboardMarkup(rows)
