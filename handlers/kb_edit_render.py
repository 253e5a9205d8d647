"""Texts and keyboards of the edit dialogue (issue 16, `bot.kbstaff.KB_EDIT`): each step's
question, the placeholders to copy, the topic list of the related entries and the preview
(handlers/kb_edit.py handles the messages and presses)."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.context import BotContext
from bot.faq.layer import SOURCE_LOCALE
from bot.i18n import N_
from bot.kbstaff import MIN_NEW_PHRASINGS, KbDraft, Preview
from handlers.faq import MAX_RELATED
from handlers.kb_render import (
    LANGUAGE_NAMES,
    LANGUAGE_SELF_NAMES,
    TOPICS_PER_PAGE,
    broken_lines,
    problem_text,
    short,
    sorted_entries,
    title_of,
)

# the placeholders, in the order shown, with what each one shows
PLACEHOLDER_LABELS: tuple[tuple[str, str], ...] = (
    ("monthly", N_("the monthly contribution")),
    ("yearly", N_("a year of contributions")),
    ("total_5y", N_("5 years of contributions")),
    ("total_10y", N_("10 years of contributions")),
    ("total_25y", N_("25 years of contributions")),
    ("contact", N_("how to reach the program's staff")),
    ("job", N_("whether the city pays for the work the question names")),
)
STEPS_TEXT = {
    "answer": N_("✏️ <b>New answer for {title}</b>\nWrite the whole answer in one message."),
    "answer_in": N_(
        "✏️ <b>New answer ({language}) for {title}</b>\nWrite the whole answer in one message, "
        "in {language_name}."
    ),
    "new_answer": N_("✏️ <b>The answer</b> for {title}: write it in one message."),
    "source": N_(
        "📎 <b>New source for {title}</b>\nUsers see it under the answer as “Source: …”. "
        "Now: {source}"
    ),
    "new_source": N_(
        "📎 <b>Where does this answer come from?</b> (required) Users see it under the answer "
        "as “Source: …”, e.g. a regulation or an office."
    ),
    "title": N_(
        "✍️ <b>New answer</b> for “{question}”.\nWrite its title, as on the topic buttons "
        "(at most 32 characters)."
    ),
    "phrasings": N_(
        "💬 Write {count} other ways people ask this, one per line. “{question}” is already "
        "one of them."
    ),
}


def draft_title(context: BotContext, draft: KbDraft) -> str:
    return draft.title if draft.what == "new" else title_of(context, draft.entry)


def placeholder_help(context: BotContext, locale: str = SOURCE_LOCALE) -> str:
    """The placeholders to copy, with what they show today (values from the settings, as
    `locale`'s users see them)."""
    tr = context.tr
    values = context.deps.faq.values(context.deps.i18n.get(locale))
    lines = [tr.gettext("Never type an amount: copy a code, the bot fills in the figure:")]
    for name, label in PLACEHOLDER_LABELS:
        shown = "" if name in ("contact", "job") else f" = {html.escape(values[name])}"
        lines.append(f"<code>{{{name}}}</code>{shown}: {tr.gettext(label)}")
    return "\n".join(lines)


def related_markup(context: BotContext, draft: KbDraft) -> InlineKeyboardMarkup:
    tr = context.tr
    entries = [e for e in sorted_entries(context) if e.id != draft.entry]
    pages = max(1, -(-len(entries) // TOPICS_PER_PAGE))
    page = max(0, min(draft.page, pages - 1))
    rows = [
        [
            InlineKeyboardButton(
                ("✅ " if e.id in draft.related else "▫️ ") + e.title,
                callback_data=callbacks.KbRelToggle(e.id).pack(),
            )
        ]
        for e in entries[page * TOPICS_PER_PAGE : (page + 1) * TOPICS_PER_PAGE]
    ]
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton("◀️", callback_data=callbacks.KbRelPage(page - 1).pack()))
    nav.append(
        InlineKeyboardButton(
            tr.gettext("{position} of {total}").format(position=page + 1, total=pages),
            callback_data=callbacks.KbRelPage(page).pack(),
        )
    )
    if page + 1 < pages:
        nav.append(InlineKeyboardButton("▶️", callback_data=callbacks.KbRelPage(page + 1).pack()))
    rows.append(nav)
    rows.append(
        [
            InlineKeyboardButton(
                tr.gettext("👀 Done: show the preview"), callback_data=callbacks.KB_REL_DONE.pack()
            )
        ]
    )
    return InlineKeyboardMarkup(rows)


def related_text(context: BotContext, draft: KbDraft) -> str:
    tr = context.tr
    chosen = ", ".join(html.escape(title_of(context, e)) for e in draft.related) or "-"
    return tr.gettext(
        "🔗 <b>Related topics of {title}</b>: users see the first {count} as buttons under the "
        "answer. Tap a topic to add or remove it.\nChosen: {chosen}"
    ).format(title=html.escape(draft_title(context, draft)), count=MAX_RELATED, chosen=chosen)


def current(context: BotContext, entry_id: str, what: str, locale: str = SOURCE_LOCALE) -> str:
    """The entry's answer or source line now in `locale` (empty for a new entry)."""
    entry = context.deps.faq.entry(entry_id, locale) if entry_id else None
    if entry is None:
        return ""
    return entry.answer if what == "answer" else entry.source_line


def step_text(context: BotContext, draft: KbDraft, step: str) -> str:
    """The question of a text step."""
    tr, locale = context.tr, draft.locale
    translating = step == "answer" and locale != SOURCE_LOCALE
    text = tr.gettext(STEPS_TEXT["answer_in" if translating else step]).format(
        title=html.escape(draft_title(context, draft)),
        question=short(draft.question, 100),
        count=MIN_NEW_PHRASINGS,
        source=html.escape(current(context, draft.entry, "source")),
        language=LANGUAGE_SELF_NAMES.get(locale, locale),
        language_name=tr.gettext(LANGUAGE_NAMES.get(locale, locale)),
    )
    if translating:
        indonesian = current(context, draft.entry, "answer")
        text += "\n" + tr.gettext("The Indonesian answer, to translate:")
        text += f"\n<code>{html.escape(indonesian)}</code>"
    if step == "answer":
        now = current(context, draft.entry, "answer", locale)
        text += "\n" + tr.gettext("Now (tap to copy):") + f"\n<code>{html.escape(now)}</code>"
    if step in ("answer", "new_answer"):
        text += "\n\n" + placeholder_help(context, locale)
    return text + "\n\n" + tr.gettext("/batal cancels; nothing changes until you tap “Publish”.")


def refused_lines(context: BotContext, preview: Preview) -> list[str]:
    """Why the knowledge base check refused a draft."""
    tr = context.tr
    lines = [tr.gettext("⚠️ Not possible, the knowledge base check refused it:")]
    return lines + [f"• {problem_text(tr, p)}" for p in preview.problems[:5]]


def preview_text(
    context: BotContext, draft: KbDraft, preview: Preview, entry_id: str, approval: bool
) -> tuple[str, InlineKeyboardMarkup]:
    """A checked draft as users will see it, the accuracy gate's line; "Publish" / "Again"."""
    deps, tr = context.deps, context.tr
    assert preview.service is not None and preview.gate is not None
    entry = preview.service.entry(entry_id, draft.locale)
    shown = preview.service.entry_text(entry, deps.i18n.get(draft.locale)) if entry else ""
    lines = [tr.gettext("👀 <b>Preview</b>, as users will see it:"), "", shown]
    if entry is not None and entry.related:
        shown_related = entry.related[:MAX_RELATED]  # as handlers.faq shows them
        titles = ", ".join(html.escape(title_of(context, r)) for r in shown_related)
        lines.append(tr.gettext("Related topics (buttons): {titles}").format(titles=titles))
    lines += ["", html.escape(preview.gate.line(tr), quote=False)]
    lines += broken_lines(context, preview.gate)
    if approval:
        lines.append(tr.gettext("A second staff member approves a new answer text."))
    lines.append(tr.gettext("/batal cancels; nothing changes until you tap “Publish”."))
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    tr.gettext("📣 Publish"), callback_data=callbacks.KB_DRAFT_GO.pack()
                ),
                InlineKeyboardButton(
                    tr.gettext("✏️ Write it again"), callback_data=callbacks.KB_DRAFT_AGAIN.pack()
                ),
            ]
        ]
    )
    return "\n".join(lines), markup
