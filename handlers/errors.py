"""The one error handler: log, queue a report for the staff chat, apologise to the user."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot.context import BotContext, SakporeApp
from handlers.ui import answer_quietly

logger = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    """Log the traceback (redacted), queue a report for STAFF_CHAT_ID, apologise to the user.

    The report is only queued (bot/errorreports.py posts it, grouped and capped): a post to
    the staff group can wait a minute on Telegram's group limit, and this update must not
    hold its slot meanwhile.

    Not for getUpdates failing while Telegram is unreachable: python-telegram-bot's polling
    loop hands each retry's error here (no update, no job, no task); bot/polling.py has
    logged the outage once already, so those are skipped.
    """
    error = context.error
    from_polling = update is None and context.job is None and context.coroutine is None
    if context.deps.polling.is_outage_error(error, from_polling=from_polling):
        return
    update_id = update.update_id if isinstance(update, Update) else None
    user_id = (
        update.effective_user.id if isinstance(update, Update) and update.effective_user else None
    )
    logger.error("error while handling update %s (user %s)", update_id, user_id, exc_info=error)

    deps = context.deps
    if error is not None:
        deps.error_reports.submit(error, update_id, user_id)

    if isinstance(update, Update) and update.effective_chat is not None:
        if update.effective_chat.type != ChatType.PRIVATE:
            return
        language = None
        if user_id is not None:
            try:
                record = await deps.users.get(user_id)
                language = record.language if record else None
            except Exception:  # the database may be what failed
                logger.warning("could not read the user's language", exc_info=True)
        tr = deps.i18n.get(language)
        try:
            if update.callback_query is not None:
                await answer_quietly(update.callback_query)
            await update.effective_chat.send_message(
                tr.gettext(
                    "Sorry, something went wrong on our side. Please try again in a moment."
                ),
            )
        except TelegramError:
            logger.warning("could not send the apology", exc_info=True)


def register(app: SakporeApp) -> None:
    app.add_error_handler(on_error)
