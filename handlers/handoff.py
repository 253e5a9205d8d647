"""Tanya petugas: users ask a person; staff answer by replying in the staff group.

The logic is in bot/handoff.py. Callback data:
    ho:ask              "Tanya petugas" in /bantuan: offer the last unanswered question, or
                        ask the user to type one
    ho:ask:<question>   send this question (the unsure FAQ answer's button, or the offer above)
    ho:write            the user will type the question
    ho:reply:<handoff>  the user answers the staff in thread #T<handoff>
    ho:done:<handoff>   the user closes the thread

While the user is asked to type a message, that is a dialogue (HANDOFF_WAIT, bot/dialogs.py):
the router hands their next message to `typed`. A staff member's reply in the staff group
reaches HandlerGroup.STAFF_GROUP_REPLY (handlers/common.py lets only those through) and never
goes further.
"""

from __future__ import annotations

import html
import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, CallbackQueryHandler, MessageHandler, filters

from bot import callbacks
from bot.context import BotContext, SakporeApp
from bot.dialogs import Dialog
from bot.handoff import HANDOFF_WAIT, RECENT_QUESTION, HandoffWait, Media, media_of
from bot.i18n import N_
from bot.sender import Outcome
from handlers import handoff_render as render
from handlers.dialogs import Flow
from handlers.groups import HandlerGroup
from handlers.ui import answer_quietly, reply

logger = logging.getLogger(__name__)


# ---- the user's side ----------------------------------------------------------------------


async def _to_staff(
    update: Update,
    context: BotContext,
    text: str,
    question_id: int | None,
    media: Media | None = None,
) -> None:
    deps, tr = context.deps, context.tr
    user = update.effective_user
    assert user is not None
    if await deps.handoffs.too_many(user.id):
        await reply(update, render.too_many_text(tr))
        return
    await deps.dialogs.cancel(user.id, HANDOFF_WAIT)  # what they were asked to type is sent
    posted = await deps.handoffs.send_to_staff(
        context.bot, user.id, user.first_name, text, question_id, media
    )
    if posted.already:  # a double tap, or a retry of a question the group has
        await reply(
            update,
            tr.gettext("This question was already sent to the staff ({ref}).").format(
                ref=posted.handoff.reference
            ),
        )
        return
    if not posted.result.ok and posted.result.outcome is not Outcome.UNCERTAIN:
        await reply(update, render.not_passed_text(tr, deps.faq.reach_person_text(tr)))
        return
    note = render.hours_note(tr, deps.handoffs)
    await reply(update, render.sent_text(tr, posted.handoff.reference, note))


def _type_text(context: BotContext, reference: str | None) -> str:
    tr = context.tr
    return render.type_text(tr, reference, render.hours_note(tr, context.deps.handoffs))


async def _ask_to_type(update: Update, context: BotContext, handoff_id: int | None = None) -> None:
    deps = context.deps
    user = update.effective_user
    assert user is not None
    handoff = await deps.handoffs.wait_for_text(user.id, handoff_id)
    replying = handoff.id if handoff_id is not None else None
    await deps.dialogs.start(user.id, HANDOFF_WAIT, HandoffWait(replying))
    await reply(update, _type_text(context, handoff.reference if replying else None))


async def ask_again(
    update: Update, context: BotContext, dialog: Dialog[HandoffWait], note: str | None
) -> None:
    """The request to type, again."""
    ref = f"#T{dialog.state.handoff_id}" if dialog.state.handoff_id is not None else None
    text = _type_text(context, ref)
    await reply(update, f"{note}\n\n{text}" if note else text)


async def ask(update: Update, context: BotContext) -> None:
    """The "Tanya petugas" buttons."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    deps, tr = context.deps, context.tr
    await answer_quietly(query)
    if not deps.handoffs.enabled:
        await reply(update, deps.faq.reach_person_text(tr))
        return
    data = query.data or ""
    if callbacks.HANDOFF_WRITE.parse(data):
        await _ask_to_type(update, context)
        return
    if asked := callbacks.HandoffAskQuestion.parse(data):
        question = await deps.questions.get(asked.question_id)
        if question is not None and question.user_id == user.id and question.kind == "text":
            await _to_staff(update, context, question.text, question.id)
        else:
            await _ask_to_type(update, context)
        return
    # "ho:ask" from /bantuan: offer a question the bot just could not answer
    recent = await deps.questions.for_user(user.id, limit=1)
    last = recent[0] if recent else None
    if (
        last is not None
        and last.kind == "text"
        and not last.answered
        and deps.clock.now() - last.asked_at <= RECENT_QUESTION
    ):
        await reply(update, *render.last_question_view(tr, last.id, last.text))
        return
    await _ask_to_type(update, context)


async def thread_button(update: Update, context: BotContext) -> None:
    """✍️ Reply to the staff / ✅ Done under a staff answer."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    deps, tr = context.deps, context.tr
    to_reply = callbacks.HandoffReply.parse(query.data)
    parsed = to_reply or callbacks.HandoffDone.parse(query.data)
    handoff = await deps.handoffs.repo.get(parsed.handoff_id) if parsed else None
    if handoff is None or handoff.user_id != user.id:
        await answer_quietly(
            query, tr.gettext("This button no longer works. Please open the menu again: /start")
        )
        return
    if to_reply:
        await answer_quietly(query)
        if not deps.handoffs.enabled:  # STAFF_CHAT_ID removed since the button was sent
            await reply(update, deps.faq.reach_person_text(tr))
            return
        await _ask_to_type(update, context, handoff.id)
        return
    closed = await deps.handoffs.close(handoff.id, user.id)
    await answer_quietly(query, tr.gettext("Thank you!"))
    try:
        await query.edit_message_reply_markup(None)
    except TelegramError as exc:
        logger.debug("buttons not removed: %s", exc)
    if closed:
        await deps.handoffs.tell_group_closed(context.bot, handoff, user.first_name)
    await reply(
        update,
        render.closed_text(tr, closed),
        render.feedback_buttons(tr, handoff.id) if closed else None,
    )


async def feedback_button(update: Update, context: BotContext) -> None:
    """ "Apakah terbantu?" 👍/👎, one tap, counted in /statistik."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    tr = context.tr
    parsed = callbacks.HandoffFeedback.parse(query.data)
    if parsed is None or parsed.helped not in (0, 1):
        await answer_quietly(query, tr.gettext("This button no longer works."))
        return
    recorded = await context.deps.handoffs.repo.set_feedback(
        parsed.handoff_id, user.id, bool(parsed.helped)
    )
    await answer_quietly(
        query,
        tr.gettext("Thank you for telling us! 🙏")
        if recorded
        else tr.gettext("This button no longer works."),
    )
    try:
        await query.edit_message_reply_markup(None)
    except TelegramError as exc:
        logger.debug("buttons not removed: %s", exc)


async def claim_button(update: Update, context: BotContext) -> None:
    """ "Saya tangani" under a question's post in the staff group."""
    query, staff_user = update.callback_query, update.effective_user
    if query is None or staff_user is None:
        return
    deps, tr = context.deps, context.tr
    if not await deps.staff.is_staff(staff_user.id):
        await answer_quietly(query)  # someone else in the group: nothing happens
        return
    parsed = callbacks.HandoffClaim.parse(query.data)
    handoff = await deps.handoffs.repo.get(parsed.handoff_id) if parsed else None
    if handoff is None:
        await answer_quietly(query, tr.gettext("This button no longer works."))
        return
    if not await deps.handoffs.claim(context.bot, handoff, staff_user.id):
        fresh = await deps.handoffs.repo.get(handoff.id)
        if fresh is not None and fresh.claimed_by is not None:
            taker = await deps.users.get(fresh.claimed_by)
            note = tr.gettext("{name} is already handling {ref}.").format(
                name=taker.first_name if taker and taker.first_name else fresh.claimed_by,
                ref=handoff.reference,
            )
        else:
            note = tr.gettext("{ref} is closed.").format(ref=handoff.reference)
        await answer_quietly(query, note)
        return
    await answer_quietly(query)
    await deps.staff.audit(staff_user.id, "handoff_claim", handoff.reference, "")
    try:
        await query.edit_message_reply_markup(None)
    except TelegramError as exc:
        logger.debug("claim button not removed: %s", exc)
    name = html.escape(staff_user.first_name or str(staff_user.id), quote=False)
    await reply(
        update,
        tr.gettext("🙋 <b>{ref}</b> is handled by {name}.").format(
            ref=handoff.reference, name=name
        ),
    )


async def typed(update: Update, context: BotContext, dialog: Dialog[HandoffWait]) -> bool:
    """The user's message while the bot waits for one for the staff."""
    message = update.message
    assert message is not None
    media = media_of(message)
    if media is not None:  # a payment receipt...: passed on by file id, never stored
        await _to_staff(update, context, message.caption or "", None, media)
        return True
    text = message.text or ""
    if not text.strip():
        await reply(
            update,
            context.tr.gettext(
                "Please type your message as text, or send a photo or a PDF 🙏 (or /batal to "
                "cancel)."
            ),
        )
        return True
    await _to_staff(update, context, text, None)
    return True


async def begin(update: Update, context: BotContext) -> None:
    """Start the wait for a new question (after "cancel X and start this")."""
    if not context.deps.handoffs.enabled:
        await reply(update, context.deps.faq.reach_person_text(context.tr))
        return
    await _ask_to_type(update, context)


def _no_staff_group(context: BotContext) -> bool:
    """A wait opened before STAFF_CHAT_ID was removed takes nothing."""
    return not context.deps.handoffs.enabled


FLOW = Flow(
    HANDOFF_WAIT,
    ask_again,
    typed,
    begin,
    N_("Nothing was sent to the staff."),
    paused=_no_staff_group,
    start_buttons=(callbacks.HANDOFF_ASK, callbacks.HANDOFF_WRITE, callbacks.HandoffReply),
)


# ---- the staff's side ---------------------------------------------------------------------


async def staff_reply(update: Update, context: BotContext) -> None:
    """A staff member replied, in the staff group, to a post of the bot: pass it on."""
    message, staff_user, chat = update.message, update.effective_user, update.effective_chat
    if message is None or staff_user is None or chat is None or chat.type == ChatType.PRIVATE:
        return
    deps, tr = context.deps, context.tr
    replied = message.reply_to_message
    handoff = (
        await deps.handoffs.thread_of_post(
            chat.id, replied.message_id, replied.text or replied.caption
        )
        if replied
        else None
    )
    if (
        handoff is None
        and replied
        and await deps.handoffs.was_deleted(replied.text or replied.caption)
    ):
        await reply(update, render.not_passed_deleted_text(tr))
        raise ApplicationHandlerStop
    if handoff is None:  # a reply to another post of the bot (an error report...)
        await reply(update, render.not_passed_not_a_question_text(tr))
        raise ApplicationHandlerStop
    media = media_of(message)
    if not message.text and media is None:
        await reply(update, render.unsupported_reply_text(tr))
        raise ApplicationHandlerStop
    person = await deps.users.get(handoff.user_id)
    user_tr = deps.i18n.get(person.language if person else None)
    result = await deps.handoffs.deliver_reply(
        context.bot,
        handoff,
        staff_user.id,
        message.text or message.caption or "",
        chat.id,
        message.message_id,
        render.thread_buttons(user_tr, handoff.id),
        media,
    )
    await deps.staff.audit(staff_user.id, "handoff_reply", handoff.reference, result.outcome.value)
    name = html.escape(person.first_name if person and person.first_name else str(handoff.user_id))
    text = render.reply_outcome_text(tr, handoff, result, name)
    await reply(update, text)
    raise ApplicationHandlerStop


async def resend_job(context: BotContext) -> None:
    """Posts that stayed unconfirmed are sent again (bot/handoff.py: no question is lost)."""
    at_start = bool(context.job and context.job.data)
    await context.deps.handoffs.resend_pending(context.bot, at_start=at_start)


def start_jobs(app: SakporeApp) -> None:
    """The resend job: every WORKER_INTERVAL_SECONDS, and once at start, when nothing is
    under way, for every post a killed process left unconfirmed."""
    if app.job_queue is None:
        return
    interval = app.bot_data["deps"].settings.worker_interval_seconds
    app.job_queue.run_repeating(
        resend_job, interval=interval, first=interval, name="hand-off-resend"
    )
    app.job_queue.run_once(
        resend_job,
        when=0,
        data=True,
        name="hand-off-resend-at-start",
        job_kwargs={"misfire_grace_time": None},
    )


def register(app: SakporeApp) -> None:
    app.add_handler(
        MessageHandler(filters.REPLY & ~filters.ChatType.PRIVATE, staff_reply),
        group=HandlerGroup.STAFF_GROUP_REPLY,
    )
    app.add_handler(
        CallbackQueryHandler(
            ask,
            pattern=callbacks.any_of(
                callbacks.HANDOFF_ASK, callbacks.HandoffAskQuestion, callbacks.HANDOFF_WRITE
            ),
        )
    )
    app.add_handler(
        CallbackQueryHandler(
            thread_button,
            pattern=callbacks.any_of(callbacks.HandoffReply, callbacks.HandoffDone),
        )
    )
    app.add_handler(
        CallbackQueryHandler(feedback_button, pattern=callbacks.HandoffFeedback.pattern)
    )
    app.add_handler(CallbackQueryHandler(claim_button, pattern=callbacks.HandoffClaim.pattern))
