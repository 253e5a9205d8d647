"""Staff improve the knowledge base from Telegram (issue 16): /pertanyaan's review loop,
/jawaban (entries, versions, waiting changes) and the buttons of both.

Every change goes through bot.kbstaff.KbStaff (kb check rules, accuracy gate, four-eyes),
never straight into the knowledge base. Everything is staff only (StaffService.has_role,
checked at every command and press); publishing a held change and conflicts are for admins.
Entries are shown by their Indonesian title.

Callback data: see bot/callbacks.py, Kb*. Texts and keyboards: handlers/kb_render.py and
handlers/kb_render_answers.py.
"""

from __future__ import annotations

import html

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import callbacks
from bot.commands import Cmd
from bot.context import BotContext, SakporeApp
from bot.faq.layer import NO_ENTRY, Change
from bot.kbstaff import Outcome
from handlers.kb_render import (
    MAX_REVIEW_DAYS,
    REVIEW_DAYS,
    TITLES_LOCALE,
    card_change,
    decision_rows,
    outcome_text,
    review_page,
    short,
    title_of,
    topics_page,
)
from handlers.kb_render_answers import entries_page, entry_card, history_page
from handlers.staff import as_unknown, staff_only
from handlers.ui import answer_quietly, edit_quietly, reply, staff_press, turn_page


async def propose_change(
    context: BotContext,
    actor_id: int,
    *,
    locale: str,
    entry_id: str,
    change: Change,
    kind: str,
    reason: str,
) -> Outcome:
    """Hand a staff member's change to KbStaff.propose and write it to the staff audit log."""
    deps = context.deps
    outcome = await deps.kb.propose(
        deps,
        actor_id=actor_id,
        locale=locale,
        entry_id=entry_id,
        change=change,
        kind=kind,
        reason=reason,
    )
    await deps.staff.audit(actor_id, "kb_change", outcome.change_id, outcome.status)
    return outcome


@staff_only
async def pertanyaan(update: Update, context: BotContext) -> None:
    """/pertanyaan [days]: the questions to look at, one group at a time."""
    args = context.args or []
    asked = callbacks.number(args[0], digits=4) if args else None
    days = asked if asked is not None and 0 < asked <= MAX_REVIEW_DAYS else REVIEW_DAYS
    context.deps.kb.warm(context.deps)
    text, markup = await review_page(context, 0, days)
    await reply(update, text, markup)


@staff_only
async def review_button(update: Update, context: BotContext) -> None:
    query, user, data = staff_press(update)
    deps, tr = context.deps, context.tr
    if page := callbacks.KbReview.parse(data):
        await turn_page(query, review_page(context, page.page))
        return
    if topics := callbacks.KbTopics.parse(data):
        await answer_quietly(query)
        question = await deps.questions.get(topics.question_id)
        if question is None:
            return
        text = tr.gettext("Which topic does “{question}” belong to?").format(
            question=short(question.text)
        )
        await edit_quietly(query.message, text, topics_page(context, question.id, topics.page))
        return
    add, ignore = callbacks.KbAdd.parse(data), callbacks.KbIgnore.parse(data)
    parsed = add or ignore
    if parsed is None:
        await as_unknown(update, context)
        return
    question = await deps.questions.get(parsed.question_id)
    if question is None:
        await answer_quietly(query, tr.gettext("This question no longer exists."))
        return
    await answer_quietly(query, tr.gettext("Checking…"))
    if add is not None:
        entry_id = add.entry
        if deps.faq.entry(entry_id, question.language) is None:
            await as_unknown(update, context)
            return
        change = card_change(question, entry_id)
        kind = "add_phrasing"
        what = tr.gettext("“{question}” added to {title}").format(
            question=short(change.labels[0].question, 60),
            title=html.escape(title_of(context, entry_id)),
        )
    else:
        entry_id, kind = NO_ENTRY, "ignore"
        change = card_change(question, None)
        what = tr.gettext("“{question}” marked as out of scope").format(
            question=short(change.labels[0].question, 60)
        )
    outcome = await propose_change(
        context,
        user.id,
        locale=question.language,
        entry_id=entry_id,
        change=change,
        kind=kind,
        reason="/pertanyaan",
    )
    result = outcome_text(context, outcome, what)
    rows = decision_rows(
        context, outcome.change_id or 0, outcome.status, deps.staff.is_admin(user.id)
    )
    if rows:
        await edit_quietly(query.message, result, InlineKeyboardMarkup(rows))
        text, markup = await review_page(context, 0)
        await reply(update, text, markup)
        return
    text, markup = await review_page(context, 0)
    await edit_quietly(query.message, f"{result}\n\n{text}", markup)


# ---- /jawaban ---------------------------------------------------------------------------------


@staff_only
async def jawaban(update: Update, context: BotContext) -> None:
    """/jawaban: the entries (and changes waiting); /jawaban riwayat: the versions."""
    user = update.effective_user
    assert user is not None
    args = context.args or []
    context.deps.kb.warm(context.deps)
    if args and args[0].lower() in ("riwayat", "history"):
        text, markup = await history_page(context, 0)
    else:
        text, markup = await entries_page(context, 0, user.id)
    await reply(update, text, markup)


@staff_only
async def jawaban_button(update: Update, context: BotContext) -> None:
    query, user, data = staff_press(update)
    deps, tr = context.deps, context.tr
    if page := callbacks.KbEntries.parse(data):
        await turn_page(query, entries_page(context, page.page, user.id))
        return
    if history := callbacks.KbHistory.parse(data):
        await turn_page(query, history_page(context, history.page))
        return
    if opened := callbacks.KbEntry.parse(data):
        card = await entry_card(context, opened.entry)
        if card is None:
            await answer_quietly(query, tr.gettext("This entry no longer exists."))
            return
        await answer_quietly(query)
        await edit_quietly(query.message, *card)
        return
    if drop := callbacks.KbDrop.parse(data):
        entry = deps.faq.entry(drop.entry, TITLES_LOCALE)
        index = drop.index
        if entry is None or not 1 <= index <= len(entry.phrasings):
            await answer_quietly(query, tr.gettext("This phrasing no longer exists."))
            return
        await answer_quietly(query, tr.gettext("Checking…"))
        phrasing = entry.phrasings[index - 1]
        outcome = await propose_change(
            context,
            user.id,
            locale=TITLES_LOCALE,
            entry_id=entry.id,
            change=Change(remove_phrasings=(phrasing,)),
            kind="remove_phrasing",
            reason="/jawaban",
        )
        what = tr.gettext("“{phrasing}” removed from {title}").format(
            phrasing=short(phrasing, 60), title=html.escape(entry.title)
        )
        await _show_outcome(update, context, outcome, what)
        return
    if restore := callbacks.KbRestore.parse(data):
        await answer_quietly(query, tr.gettext("Checking…"))
        outcome = await deps.kb.restore(deps, restore.version, user.id)
        await deps.staff.audit(user.id, "kb_restore", restore.version, outcome.status)
        what = tr.gettext("Version #{version} restored").format(version=restore.version)
        await _show_outcome(update, context, outcome, what)
        return
    approve, publish = callbacks.KbApprove.parse(data), callbacks.KbPublish.parse(data)
    reject = callbacks.KbReject.parse(data)
    decided = approve or publish or reject
    if decided is None:
        await as_unknown(update, context)
        return
    change_id = decided.version
    if publish is not None and not deps.staff.is_admin(user.id):
        await as_unknown(update, context)  # a forged admin button from a staff member
        return
    await answer_quietly(query, tr.gettext("Checking…"))
    outcome = await deps.kb.decide(deps, change_id, user.id, publish=reject is None)
    await deps.staff.audit(
        user.id, "kb_decide", change_id, f"{'reject' if reject else 'publish'}: {outcome.status}"
    )
    if reject is not None and outcome.status == "gone":
        await reply(update, tr.gettext("✖️ Version #{version} rejected.").format(version=change_id))
        return
    what = tr.gettext("Version #{version}").format(version=change_id)
    await _show_outcome(update, context, outcome, what)


async def _show_outcome(update: Update, context: BotContext, outcome: Outcome, what: str) -> None:
    deps = context.deps
    user = update.effective_user
    assert user is not None
    rows = decision_rows(
        context, outcome.change_id or 0, outcome.status, deps.staff.is_admin(user.id)
    )
    await reply(
        update, outcome_text(context, outcome, what), InlineKeyboardMarkup(rows) if rows else None
    )


def register(app: SakporeApp) -> None:
    app.add_handler(CommandHandler(Cmd.QUESTIONS, pertanyaan))
    app.add_handler(CommandHandler(Cmd.ANSWERS, jawaban))
    review = callbacks.any_of(
        callbacks.KbReview, callbacks.KbTopics, callbacks.KbAdd, callbacks.KbIgnore
    )
    app.add_handler(CallbackQueryHandler(review_button, pattern=review))
    rest = callbacks.any_of(
        callbacks.KbEntries,
        callbacks.KbHistory,
        callbacks.KbEntry,
        callbacks.KbDrop,
        callbacks.KbRestore,
        callbacks.KbApprove,
        callbacks.KbPublish,
        callbacks.KbReject,
    )
    app.add_handler(CallbackQueryHandler(jawaban_button, pattern=rest))
