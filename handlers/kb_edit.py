"""Staff edit answers in Telegram (issue 16, item 2): the dialogue `bot.kbstaff.KB_EDIT`.

From an entry's card in /jawaban: "Ubah jawaban", "Ubah sumber", "Ubah topik terkait"; from a
/pertanyaan question: "Jawaban baru" (title, answer, source, four more phrasings). Each asks
for the new text (related entries: a paged topic list of buttons), shows a preview rendered as
users will see it with the accuracy gate's one line (`KbStaff.preview`), and publishes with
"Terbitkan" through `KbStaff.propose` (kb check rules, accuracy gate, four-eyes, versions).

Amounts are never typed: a rupiah figure is refused and the placeholders are shown, with
today's value, to copy (tap a <code> to copy it in Telegram).

It runs on the one dialogue mechanism (docs/dialogs.md): staff rights at every step, /batal,
"finish or cancel". Every button here is staff only, and the dialogue's own buttons check its
step; a forged or old one is answered as a stale button.
"""

from __future__ import annotations

import html

from telegram import InlineKeyboardMarkup, MessageEntity, Update
from telegram.ext import CallbackQueryHandler

from bot import callbacks
from bot.context import BotContext, SakporeApp
from bot.dialogs import Dialog
from bot.faq.kb import MAX_PHRASING_CHARS, Finding, check_answer
from bot.faq.layer import SOURCE_LOCALE
from bot.i18n import N_
from bot.kbstaff import (
    KB_EDIT,
    MIN_NEW_PHRASINGS,
    KbDraft,
    draft_change,
    new_entry_id,
    source_problem,
    title_problem,
    typed_rupiah,
)
from handlers.dialogs import Flow
from handlers.kb_edit_render import (
    current,
    draft_title,
    placeholder_help,
    preview_text,
    refused_lines,
    related_markup,
    related_text,
    step_text,
)
from handlers.kb_render import (
    LANGUAGE_SELF_NAMES,
    MAX_PHRASING,
    decision_rows,
    finding_text,
    group_key,
    outcome_text,
)
from handlers.kb_render_answers import entries_page
from handlers.kb_staff import propose_change
from handlers.staff import NOTHING_CHANGED, staff_only
from handlers.ui import answer_quietly, edit_quietly, reply

FORMATTING = frozenset({MessageEntity.BOLD, MessageEntity.ITALIC, MessageEntity.UNDERLINE})
MAX_CHOSEN = 5  # related entries (users see the first MAX_RELATED as buttons)
WHAT = {"a": "answer", "s": "source", "r": "related"}
# what a draft changes -> its first step, its last text step, its name in messages
FIELD_STEPS: dict[str, tuple[str, str, str]] = {
    "answer": ("answer", "answer", N_("answer of {title}")),
    "source": ("source", "source", N_("source of {title}")),
    "related": ("related", "related", N_("related topics of {title}")),
    "new": ("title", "phrasings", N_("new entry {title}")),
}
TRANSLATED = N_("answer ({language}) of {title}")  # the name of an English answer draft


async def ask(
    update: Update, context: BotContext, dialog: Dialog[KbDraft], note: str | None
) -> None:
    """The current step's question (`note` first)."""
    draft, step = dialog.state, dialog.step
    if step == "preview":
        await show_preview(update, context, dialog, note)
        return
    if step == "related":
        text, markup = related_text(context, draft), related_markup(context, draft)
        await reply(update, f"{note}\n\n{text}" if note else text, markup)
        return
    text = step_text(context, draft, step)
    await reply(update, f"{note}\n\n{text}" if note else text)


def _shown(context: BotContext, problem: Finding | None) -> str | None:
    return finding_text(context.tr, problem) if problem is not None else None


async def answer(update: Update, context: BotContext, dialog: Dialog[KbDraft]) -> bool:
    """A typed message at a text step: checked at once, then the next step."""
    message = update.message
    if message is None or not message.text:
        return False
    deps, tr, draft, step = context.deps, context.tr, dialog.state, dialog.step
    text = message.text.strip()
    problem: str | None = None
    if step in ("answer", "new_answer"):
        before = current(context, draft.entry, "answer", draft.locale) if step == "answer" else ""
        if typed_rupiah(text, deps.settings, before):
            await reply(
                update,
                tr.gettext("⚠️ Please do not type a rupiah amount.") + "\n\n"
                + placeholder_help(context),
            )  # fmt: skip
            return True
        # Written as in faq.toml (<b>, <i>, <u> typed, as in the answer shown to copy); text
        # formatted in Telegram (bold, italics) is taken as it looks.
        formatted = any(e.type in FORMATTING for e in message.entities)
        answer_html = (message.text_html if formatted else message.text).strip()
        problems = check_answer(answer_html)
        if problems:
            problem = "\n".join(f"• {finding_text(tr, p)}" for p in problems[:5])
        else:
            draft.answer = answer_html
    elif step in ("source", "new_source"):
        problem = _shown(context, source_problem(text))
        draft.source = " ".join(text.split())
    elif step == "title":
        problem = _shown(context, title_problem(text))
        draft.title = text
        taken = {e.id for e in deps.faq.kb(SOURCE_LOCALE)}
        draft.entry = new_entry_id(text, taken)
    elif step == "phrasings":
        lines = [" ".join(line.split()) for line in text.splitlines()]
        seen = {draft.question.casefold()}
        phrasings = []
        for line in lines:
            if line and line.casefold() not in seen and len(line) <= MAX_PHRASING_CHARS:
                seen.add(line.casefold())
                phrasings.append(line)
        if len(phrasings) < MIN_NEW_PHRASINGS:
            problem = tr.gettext("Please write {count} different ways, one per line.").format(
                count=MIN_NEW_PHRASINGS
            )
        draft.phrasings = phrasings
    else:
        return False  # a button step: the router asks again
    if problem is not None:  # HTML-safe
        await reply(update, tr.gettext("⚠️ Not yet:") + "\n" + problem)
        return True
    following = {
        "answer": "preview",
        "source": "preview",
        "title": "new_answer",
        "new_answer": "new_source",
        "new_source": "phrasings",
        "phrasings": "preview",
    }[step]
    await deps.dialogs.move(dialog, following)
    await ask(update, context, dialog, None)
    return True


async def show_preview(
    update: Update, context: BotContext, dialog: Dialog[KbDraft], note: str | None = None
) -> None:
    """The draft as users will see it and the accuracy gate's line; "Publish" / "Again"."""
    deps, draft = context.deps, dialog.state
    entry_id, change, _kind = draft_change(draft)
    preview = await deps.kb.preview(deps, locale=draft.locale, entry_id=entry_id, change=change)
    head = [note] if note else []
    if preview.service is None or preview.gate is None:
        await deps.dialogs.move(dialog, FIELD_STEPS[draft.what][1])
        await ask(update, context, dialog, "\n".join([*head, *refused_lines(context, preview)]))
        return
    user = update.effective_user
    approval = "answer" in change.set and not deps.staff.is_admin(user.id if user else None)
    text, markup = preview_text(context, draft, preview, entry_id, approval)
    await reply(update, "\n".join([*head, text]), markup)


async def begin(update: Update, context: BotContext) -> None:
    """After "cancel it and start: answer change": which entry? (the /jawaban list)"""
    user = update.effective_user
    assert user is not None
    text, markup = await entries_page(context, 0, user.id)
    await reply(update, text, markup)


async def _stale(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    await answer_quietly(query, context.tr.gettext("This button no longer works."))


async def _started(context: BotContext, data: str) -> tuple[KbDraft, str] | str | None:
    """For a button that starts the dialogue: its draft and first step, or why it cannot
    start (a notice); None for any other button."""
    deps, tr = context.deps, context.tr
    if opened := callbacks.KbEdit.parse(data):
        entry = deps.faq.entry(opened.entry, SOURCE_LOCALE)
        if entry is None:
            return tr.gettext("This entry no longer exists.")
        what = WHAT[opened.what]
        draft = KbDraft(what=what, entry=entry.id, related=list(entry.related))
        return draft, FIELD_STEPS[what][0]
    if (translated := callbacks.KbEditIn.parse(data)) and translated.locale in deps.kb.notes:
        if deps.faq.entry(translated.entry, translated.locale) is None:
            return tr.gettext("This entry no longer exists.")
        return KbDraft(what="answer", entry=translated.entry, locale=translated.locale), "answer"
    if new := callbacks.KbNew.parse(data):
        question = await deps.questions.get(new.question_id)
        if question is None:
            return tr.gettext("This question no longer exists.")
        draft = KbDraft(
            what="new",
            question_id=question.id,
            question=" ".join(question.text.split())[:MAX_PHRASING],
            question_locale=question.language,
            group_key=group_key(question.normalised, question.text),
        )
        return draft, "title"
    return None


@staff_only
async def edit_button(update: Update, context: BotContext) -> None:
    """A button that starts the dialogue, or one of the dialogue's own."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    started = await _started(context, query.data or "")
    if isinstance(started, str):
        await answer_quietly(query, started)
        return
    deps = context.deps
    if started is not None:
        await answer_quietly(query)
        dialog = await deps.dialogs.start(user.id, KB_EDIT, *started)
        deps.kb.warm(deps)
        await ask(update, context, dialog, None)
        return
    current = await deps.dialogs.get(user.id, KB_EDIT)
    if current is None:
        await _stale(update, context)
        return
    await _in_dialog(update, context, current, query.data or "")


async def _in_dialog(
    update: Update, context: BotContext, dialog: Dialog[KbDraft], data: str
) -> None:
    """The dialogue's own buttons, each at its step."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    deps, tr = context.deps, context.tr
    draft, step = dialog.state, dialog.step
    if (page := callbacks.KbRelPage.parse(data)) and step == "related":
        await answer_quietly(query)
        draft.page = page.page
        await deps.dialogs.save(dialog)
        await edit_quietly(
            query.message, related_text(context, draft), related_markup(context, draft)
        )
        return
    if (toggle := callbacks.KbRelToggle.parse(data)) and step == "related":
        if deps.faq.entry(toggle.entry, SOURCE_LOCALE) is None or toggle.entry == draft.entry:
            await _stale(update, context)
            return
        if toggle.entry in draft.related:
            draft.related.remove(toggle.entry)
        elif len(draft.related) >= MAX_CHOSEN:
            await answer_quietly(
                query, tr.gettext("At most {count} topics.").format(count=MAX_CHOSEN)
            )
            return
        else:
            draft.related.append(toggle.entry)
        await answer_quietly(query)
        await deps.dialogs.save(dialog)
        await edit_quietly(
            query.message, related_text(context, draft), related_markup(context, draft)
        )
        return
    if callbacks.KB_REL_DONE.parse(data) and step == "related":
        await answer_quietly(query, tr.gettext("Checking…"))
        await deps.dialogs.move(dialog, "preview")
        await show_preview(update, context, dialog)
        return
    if callbacks.KB_DRAFT_AGAIN.parse(data) and step == "preview":
        await answer_quietly(query)
        await deps.dialogs.move(dialog, FIELD_STEPS[draft.what][0])
        await ask(update, context, dialog, None)
        return
    if callbacks.KB_DRAFT_GO.parse(data) and step == "preview":
        await answer_quietly(query, tr.gettext("Checking…"))
        if not await deps.dialogs.end(dialog):
            return  # a double tap: the first one publishes
        entry_id, change, kind = draft_change(draft)
        outcome = await propose_change(
            context,
            user.id,
            locale=draft.locale,
            entry_id=entry_id,
            change=change,
            kind=kind,
            reason="/jawaban" if draft.what != "new" else "/pertanyaan",
        )
        name = FIELD_STEPS[draft.what][2] if draft.locale == SOURCE_LOCALE else TRANSLATED
        what = tr.gettext(name).format(
            title=html.escape(draft_title(context, draft)),
            language=LANGUAGE_SELF_NAMES.get(draft.locale, draft.locale),
        )
        rows = decision_rows(
            context, outcome.change_id or 0, outcome.status, deps.staff.is_admin(user.id)
        )
        await reply(
            update,
            outcome_text(context, outcome, what[:1].upper() + what[1:]),
            InlineKeyboardMarkup(rows) if rows else None,
        )
        return
    await _stale(update, context)


STARTS: tuple[callbacks.Button, ...] = (callbacks.KbEdit, callbacks.KbEditIn, callbacks.KbNew)
FLOW = Flow(KB_EDIT, ask, answer, staff_only(begin), NOTHING_CHANGED, start_buttons=STARTS)


def register(app: SakporeApp) -> None:
    pattern = callbacks.any_of(
        callbacks.KbEdit,
        callbacks.KbEditIn,
        callbacks.KbNew,
        callbacks.KbRelPage,
        callbacks.KbRelToggle,
        callbacks.KB_REL_DONE,
        callbacks.KB_DRAFT_GO,
        callbacks.KB_DRAFT_AGAIN,
    )
    app.add_handler(CallbackQueryHandler(edit_button, pattern=pattern))
