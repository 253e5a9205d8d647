"""Issue 17 follow-through: the outbox worker's job (status messages, the daily digest) and
the digest's buttons in the staff group.

Callback data (pressed in the staff group, STAFF_CHAT_ID; handlers/common.py lets exactly these
through):
    dg:r:<id>    registration <id>: its card, with the status buttons, comes to the presser's
                 private chat (personal data never goes to the group)
    dg:h:<id>    hand-off thread <id>: the bot replies in the group to the thread's post, so
                 staff find it and answer it by replying to that post
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup, ReplyParameters, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler

from bot import callbacks
from bot.context import BotContext, SakporeApp
from bot.sender import safe_send
from handlers.staff_tools import _status_rows, registration_card
from handlers.ui import answer_quietly

logger = logging.getLogger(__name__)


async def run_outbox(context: BotContext) -> None:
    """The outbox worker: one run sends what is due (see bot/outbox.py)."""
    await context.deps.outbox.tick(context.bot)


async def digest_button(update: Update, context: BotContext) -> None:
    """A digest button: open a registration (privately) or point at a waiting question."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    deps, tr = context.deps, context.tr
    chat = deps.settings.staff_chat_id
    if not await deps.staff.is_staff(user.id):
        await answer_quietly(query)  # someone else in the group: nothing happens
        return
    if parsed := callbacks.DG_REG.parse(query.data):
        reg = await deps.registrations.get(parsed.num(0))
        if reg is None:
            await answer_quietly(query, tr.gettext("This registration no longer exists."))
            return
        result = await safe_send(
            context.bot,
            user.id,
            registration_card(tr, reg),
            reply_markup=InlineKeyboardMarkup(_status_rows(tr, reg, -1)),
        )
        await answer_quietly(
            query,
            tr.gettext("{reference}: sent to your private chat with the bot.").format(
                reference=reg.reference
            )
            if result.ok
            else tr.gettext(
                "I cannot write to you privately: open a chat with the bot and press Start, "
                "then press this button again."
            ),
        )
        return
    parsed = callbacks.DG_HANDOFF.parse(query.data)
    if parsed is None or chat is None:
        await answer_quietly(query)
        return
    post = await deps.digest.repo.handoff_post(parsed.num(0), chat)
    if post is None:
        await answer_quietly(
            query, tr.gettext("#T{id} is not waiting any more.").format(id=parsed.num(0))
        )
        return
    await answer_quietly(query)
    try:
        await context.bot.send_message(
            chat,
            tr.gettext(
                "⬆️ #T{id} is still waiting for an answer. To answer the person, reply to the "
                "post above (not to this message)."
            ).format(id=parsed.num(0)),
            parse_mode=ParseMode.HTML,
            reply_parameters=ReplyParameters(post, allow_sending_without_reply=True),
        )
    except TelegramError as exc:
        logger.warning("digest: could not point at #T%s: %s", parsed.num(0), exc)


def register(app: SakporeApp) -> None:
    app.add_handler(CallbackQueryHandler(digest_button, pattern=callbacks.family("dg")))


def start_jobs(app: SakporeApp) -> None:
    """A repeating run, and one as soon as the JobQueue starts (rows a crash left behind,
    messages and the digest that fell due while the bot was down)."""
    assert app.job_queue is not None
    interval = app.bot_data["deps"].settings.worker_interval_seconds
    app.job_queue.run_repeating(run_outbox, interval=interval, first=interval, name="outbox")
    app.job_queue.run_once(
        run_outbox, when=0, name="outbox-catch-up", job_kwargs={"misfire_grace_time": None}
    )
