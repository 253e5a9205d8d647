"""Registered last: polite answers for anything no feature handled."""

from __future__ import annotations

import html

from telegram import Update
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.context import BotContext, SakporeApp
from handlers.groups import HandlerGroup
from handlers.ui import answer_quietly, main_menu, reply

# The features' group, registered after them: first match wins.
GROUP = HandlerGroup.FEATURES


async def unknown_command(update: Update, context: BotContext) -> None:
    """A command the bot does not have."""
    message = update.effective_message
    command = (message.text or "").split(maxsplit=1)[0] if message else ""
    await reply(
        update,
        context.tr.gettext(
            "Sorry, I do not know the command {command}. Type /bantuan to see what I can do."
        ).format(command=html.escape(command[:40])),
    )


async def not_text(update: Update, context: BotContext) -> None:
    """Stickers, photos, voice notes, locations...: ask for text."""
    await reply(
        update,
        context.tr.gettext(
            "Sorry, I can only read text messages 🙏 Please type your question or choose from "
            "the menu."
        ),
        main_menu(context.tr),
    )


async def plain_text(update: Update, context: BotContext) -> None:
    """Text that no feature took."""
    await reply(
        update,
        context.tr.gettext("Sorry, I did not understand that. Please choose from the menu."),
        main_menu(context.tr),
    )


async def stale_button(update: Update, context: BotContext) -> None:
    """A button from an old message, or one whose feature is gone."""
    query = update.callback_query
    if query is None:
        return
    await answer_quietly(
        query, context.tr.gettext("This button no longer works. Please open the menu again: /start")
    )


def register(app: SakporeApp) -> None:
    app.add_handler(MessageHandler(filters.COMMAND, unknown_command), group=GROUP)
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, plain_text), group=GROUP)
    app.add_handler(
        MessageHandler(~filters.TEXT & ~filters.StatusUpdate.ALL, not_text), group=GROUP
    )
    app.add_handler(CallbackQueryHandler(stale_button), group=GROUP)
