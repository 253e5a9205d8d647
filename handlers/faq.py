"""Questions in free text, the topic menu (/topik, "Tanya program"), and 👍/👎 votes.

Callback data (all well under Telegram's 64 bytes):
    menu:faq                 the topic menu (also "Kembali ke topik")
    faq:t:<entry>            open a topic
    faq:s:<question>:<entry> a "Mungkin maksud Anda..." suggestion for an unanswered question
    faq:v:<question>:<+|->   vote on an answer
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import callbacks
from bot.commands import Cmd
from bot.context import BotContext, SakporeApp
from bot.faq.kb import Entry
from bot.faq.service import Answer, people_text
from bot.i18n import Translator
from bot.store.questions import VoteResult
from handlers.handoff_button import with_ask_button
from handlers.ui import answer_quietly, button, reply

logger = logging.getLogger(__name__)


TOPICS = callbacks.MENU_FAQ.pack()
ACTION_CALLBACKS = {
    "daftar": callbacks.MENU_REGISTER.pack(),
    "pengingat": callbacks.MENU_REMINDER.pack(),
}
METHODS = {
    "entry": "match",
    "totals": "totals",
    "intent": "intent",
    "abstain": "abstain",
    "empty": "empty",
    "too_long": "too_long",
}
MAX_RELATED = 2
# a number of people or a duration typed this soon after the calculator asked for it
# ("for how many people?") answers that question
QUESTION_BACK_WINDOW = timedelta(minutes=30)


# -- keyboards ------------------------------------------------------------------------------


def _topics_button(tr: Translator, label: str | None = None) -> InlineKeyboardButton:
    return button(label or tr.gettext("📚 Back to topics"), TOPICS)


def action_button(action: str, tr: Translator) -> InlineKeyboardButton:
    if action == "pengingat":
        return button(tr.gettext("⏰ Set a payment reminder"), ACTION_CALLBACKS[action])
    return button(tr.gettext("📝 Register now"), ACTION_CALLBACKS[action])


def topic_menu(entries: list[Entry], tr: Translator) -> InlineKeyboardMarkup:
    """The topics, two per row."""
    buttons = [button(e.title, callbacks.FaqTopic(e.id).pack()) for e in entries]
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def answer_keyboard(
    question_id: int, tr: Translator, action: str | None, related: list[Entry]
) -> InlineKeyboardMarkup:
    """Feature button, related topics, 👍 / 👎, back to the topics."""
    rows: list[list[InlineKeyboardButton]] = []
    if action in ACTION_CALLBACKS:
        rows.append([action_button(action, tr)])
    rows.extend(
        [button("➡️ " + e.title, callbacks.FaqTopic(e.id).pack())] for e in related[:MAX_RELATED]
    )
    rows.append(
        [
            InlineKeyboardButton(
                tr.gettext("👍 Helpful"), callback_data=callbacks.FaqVote(question_id, "+").pack()
            ),
            InlineKeyboardButton(
                tr.gettext("👎 Not helpful"),
                callback_data=callbacks.FaqVote(question_id, "-").pack(),
            ),
        ]
    )
    rows.append([_topics_button(tr)])
    return InlineKeyboardMarkup(rows)


def unsure_keyboard(
    question_id: int,
    suggestions: tuple[Entry, ...],
    tr: Translator,
    near_miss: Entry | None = None,
) -> InlineKeyboardMarkup:
    """The candidates as buttons; a clear favourite first, as "👉 Yes: <title>"."""
    rows = [
        [
            InlineKeyboardButton(
                tr.gettext("👉 Yes: {title}").format(title=e.title)
                if e == near_miss
                else "❓ " + e.title,
                callback_data=callbacks.FaqSuggestion(question_id, e.id).pack(),
            )
        ]
        for e in suggestions
    ]
    rows.append([_topics_button(tr, tr.gettext("📚 See all topics"))])
    return InlineKeyboardMarkup(rows)


# -- handlers -------------------------------------------------------------------------------


async def on_text(update: Update, context: BotContext) -> None:
    """Any text that no other feature took: answer it from the knowledge base, or say so."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.text is None:
        return
    answer = await _reply_to_question_back(context, user.id, message.text)
    if answer is None:
        answer = context.deps.faq.ask(message.text, context.tr)
    await send_answer(update, context, message.text, answer)


async def _reply_to_question_back(context: BotContext, user_id: int, text: str) -> Answer | None:
    """A reply with just a number of people ("3 orang") or a duration ("2 tahun") to the
    calculator's question back: the total for the question the user sent just before (the
    questions log), if that is the question the bot asked about, less than
    `QUESTION_BACK_WINDOW` ago."""
    deps, tr = context.deps, context.tr
    if not deps.faq.may_reply(text, tr):
        return None
    last = await deps.questions.for_user(user_id, limit=1)
    if not last or last[0].kind != "text":
        return None
    if deps.clock.now() - last[0].asked_at > QUESTION_BACK_WINDOW:
        return None
    return deps.faq.reply_to_question_back(last[0].text, text, tr)


async def send_answer(update: Update, context: BotContext, text: str, answer: Answer) -> None:
    """Log the question `text` and send its answer (or the honest "I don't know")."""
    user = update.effective_user
    assert user is not None
    question_id = await _log(context, user.id, text, answer)
    markup = _markup(context, question_id, answer)
    if (rest := answer.unanswered) is not None:
        # the message's other question, which the knowledge base does not answer: staff see
        # it among the unanswered questions, and the user can hand it to a person
        rest_id = await _log(context, user.id, rest.question, rest, parent_id=question_id)
        markup = with_ask_button(context, markup, rest_id)
    await reply(update, answer.text, markup)


async def _log(
    context: BotContext, user_id: int, text: str, answer: Answer, parent_id: int | None = None
) -> int:
    """Store a typed question with how it was answered; its id."""
    question_id = await context.deps.questions.add(
        user_id,
        text,
        kind="text",
        language=context.tr.locale,
        normalised=answer.normalised,
        method=METHODS[answer.kind],
        entry_id=answer.topic,
        score=answer.score,
        answered=answer.answered,
        parent_id=parent_id,
    )
    logger.info("question %s: %s %s (%.2f)", question_id, answer.kind, answer.topic, answer.score)
    return question_id


def _markup(context: BotContext, question_id: int, answer: Answer) -> InlineKeyboardMarkup:
    markup = _answer_markup(context, question_id, answer)
    # "for how many people?", "for how many months or years?": the common numbers one tap
    # away, above the other buttons
    rows = count_rows(question_id, answer.counts, context.tr) + span_rows(
        context, question_id, answer.spans
    )
    return InlineKeyboardMarkup([*rows, *markup.inline_keyboard]) if rows else markup


def _answer_markup(context: BotContext, question_id: int, answer: Answer) -> InlineKeyboardMarkup:
    tr = context.tr
    if answer.answered and answer.entry is not None and answer.entry.menu:
        related = context.deps.faq.topic_buttons(answer, tr.locale)
        return answer_keyboard(question_id, tr, answer.action, related)
    if answer.kind == "abstain":
        keyboard = unsure_keyboard(question_id, answer.suggestions, tr, answer.near_miss)
        return with_ask_button(context, keyboard, question_id)
    # small talk (greetings, thanks: nothing to rate), empty or too long questions
    return InlineKeyboardMarkup([[_topics_button(tr, tr.gettext("📚 See all topics"))]])


def count_rows(
    question_id: int, counts: tuple[int, ...], tr: Translator
) -> list[list[InlineKeyboardButton]]:
    """The numbers of people (`Answer.counts`) as buttons, three to a row."""
    buttons = [
        button(people_text(n, tr), callbacks.FaqCount(question_id, n).pack()) for n in counts
    ]
    return [buttons[i : i + 3] for i in range(0, len(buttons), 3)]


def span_rows(
    context: BotContext, question_id: int, spans: tuple[int, ...]
) -> list[list[InlineKeyboardButton]]:
    """The durations (`Answer.spans`) as buttons, two to a row: "3 bulan", "6 bulan" /
    "1 tahun", "2 tahun"."""
    text = context.deps.faq.duration_text
    buttons = [button(text(m, context.tr), callbacks.FaqSpan(question_id, m).pack()) for m in spans]
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


async def reply_button(update: Update, context: BotContext) -> None:
    """A number of people tapped under "for how many people?", or a duration under "for how
    many months or years?": the total, as if the person had typed it (the button's label,
    logged as their reply). A second tap on the same button sends nothing more."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None or query.data is None:
        return
    deps, tr = context.deps, context.tr
    parsed = callbacks.FaqCount.parse(query.data) or callbacks.FaqSpan.parse(query.data)
    asked = await deps.questions.get(parsed.question_id) if parsed is not None else None
    if parsed is None or asked is None or asked.user_id != user.id:
        await answer_quietly(query, tr.gettext("This button no longer works."))
        return
    if isinstance(parsed, callbacks.FaqSpan):
        label, typed = deps.faq.span_reply(parsed.months, tr)
    else:
        label, typed = deps.faq.people_reply(parsed.people, tr)
    last = await deps.questions.for_user(user.id, limit=1)
    if last and last[0].parent_id == asked.id and last[0].text == label:
        await answer_quietly(query)  # a double tap: the total is already sent
        return
    answer = deps.faq.reply_to_question_back(asked.text, typed, tr)
    if answer is None:  # the knowledge base or the calculator changed since
        await answer_quietly(query, tr.gettext("This button no longer works."))
        return
    await answer_quietly(query)
    question_id = await _log(context, user.id, label, answer, parent_id=asked.id)
    await reply(update, answer.text, _markup(context, question_id, answer))


async def show_topics(update: Update, context: BotContext) -> None:
    """/topik and the "Tanya program" menu button: every topic as a button."""
    if update.callback_query is not None:
        await answer_quietly(update.callback_query)
    tr = context.tr
    entries = context.deps.faq.menu(tr.locale)
    await reply(
        update,
        tr.gettext(
            "<b>Questions about the program</b>\n"
            "Choose a topic below, or just type your question in your own words."
        ),
        topic_menu(entries, tr),
    )


async def open_topic(update: Update, context: BotContext) -> None:
    """A topic button, or a "Mungkin maksud Anda..." suggestion."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None or query.data is None:
        return
    deps, tr = context.deps, context.tr
    parent_id: int | None = None
    if topic := callbacks.FaqTopic.parse(query.data):
        entry_id = topic.entry
    elif suggestion := callbacks.FaqSuggestion.parse(query.data):
        entry_id = suggestion.entry
        parent = await deps.questions.get(suggestion.question_id)
        if parent is not None and parent.user_id == user.id:
            parent_id = parent.id
    else:
        await answer_quietly(query)
        return
    entry = deps.faq.entry(entry_id, tr.locale)
    if entry is None:  # the knowledge base changed since the button was sent
        await answer_quietly(
            query, tr.gettext("This topic no longer exists. Here are the current ones.")
        )
        await show_topics_message(update, context)
        return
    await answer_quietly(query)
    question_id = await deps.questions.add(
        user.id,
        entry.title,
        kind="topic" if parent_id is None and topic else "suggestion",
        language=tr.locale,
        method="menu",
        entry_id=entry.id,
        answered=True,
        parent_id=parent_id,
    )
    text = deps.faq.entry_text(entry, tr)
    await reply(
        update,
        text,
        answer_keyboard(question_id, tr, entry.action, deps.faq.related(entry, tr.locale)),
    )


async def show_topics_message(update: Update, context: BotContext) -> None:
    tr = context.tr
    await reply(
        update,
        tr.gettext("Choose a topic:"),
        topic_menu(context.deps.faq.menu(tr.locale), tr),
    )


async def vote(update: Update, context: BotContext) -> None:
    """👍 / 👎 under an answer: store it with the question; a second tap changes nothing."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None or query.data is None:
        return
    parsed = callbacks.FaqVote.parse(query.data)
    tr = context.tr
    if parsed is None:
        await answer_quietly(query)
        return
    value = 1 if parsed.vote == "+" else -1
    result = await context.deps.questions.vote(parsed.question_id, user.id, value)
    if result is VoteResult.NOT_FOUND:
        await answer_quietly(query, tr.gettext("This button no longer works."))
        return
    if result is VoteResult.UNCHANGED:
        await answer_quietly(query, tr.gettext("Your rating was already recorded. Thank you!"))
        return
    await answer_quietly(query, tr.gettext("Thank you for your rating!"))
    await _drop_vote_buttons(update)
    if value == -1:
        await reply(
            update,
            tr.gettext(
                "Sorry the answer did not help 🙏 Your question has been recorded so the "
                "staff can improve the answer. You can also try other words, or choose a topic."
            )
            + "\n\n"
            + context.deps.faq.reach_person_text(tr),
            InlineKeyboardMarkup([[_topics_button(tr, tr.gettext("📚 See all topics"))]]),
        )


async def _drop_vote_buttons(update: Update) -> None:
    """Remove 👍/👎 from the answer once voted (the other buttons stay)."""
    query = update.callback_query
    message = query.message if query is not None else None
    markup = getattr(message, "reply_markup", None)
    if query is None or markup is None:
        return
    rows = [
        [b for b in row if callbacks.FaqVote.parse(str(b.callback_data or "")) is None]
        for row in markup.inline_keyboard
    ]
    if sum(map(len, rows)) == sum(map(len, markup.inline_keyboard)):
        return  # no vote buttons on this message (e.g. forged callback data): nothing to edit
    try:
        await query.edit_message_reply_markup(InlineKeyboardMarkup([r for r in rows if r]))
    except BadRequest as exc:  # "message is not modified" after a quick double tap
        logger.debug("vote buttons not removed: %s", exc)


def register(app: SakporeApp) -> None:
    """Register before fallback: the free-text handler takes any text no feature took."""
    app.add_handler(CommandHandler([Cmd.TOPICS, Cmd.TOPICS_EN], show_topics))
    app.add_handler(CallbackQueryHandler(show_topics, pattern=callbacks.MENU_FAQ.pattern))
    app.add_handler(
        CallbackQueryHandler(
            open_topic, pattern=callbacks.any_of(callbacks.FaqTopic, callbacks.FaqSuggestion)
        )
    )
    app.add_handler(CallbackQueryHandler(vote, pattern=callbacks.FaqVote.pattern))
    app.add_handler(
        CallbackQueryHandler(
            reply_button, pattern=callbacks.any_of(callbacks.FaqCount, callbacks.FaqSpan)
        )
    )
    app.add_handler(
        MessageHandler(filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE, on_text)
    )
