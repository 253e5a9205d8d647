"""Texts and keyboards of /jawaban (issue 16): the entries with the changes waiting, one
entry's card, the versions (handlers/kb_staff.py handles the commands and presses)."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.context import BotContext
from bot.faq.gate import GateResult
from bot.faq.layer import NO_ENTRY
from bot.store.kbchanges import KbChange
from handlers.kb_render import (
    ENTRIES_PER_PAGE,
    HISTORY_PER_PAGE,
    KIND_LABELS,
    LANGUAGE_NAMES,
    LANGUAGE_SELF_NAMES,
    STATUS_LABELS,
    TITLES_LOCALE,
    broken_lines,
    decision_rows,
    short,
    sorted_entries,
    title_of,
)
from handlers.ui import pager_row


def what_text(context: BotContext, change: KbChange) -> str:
    tr = context.tr
    label = tr.gettext(KIND_LABELS.get(change.kind, change.kind))
    if change.locale != TITLES_LOCALE:  # an English answer: "jawaban diubah (English)"
        label += f" ({LANGUAGE_SELF_NAMES.get(change.locale, change.locale)})"
    detail = ""
    if change.change.add_phrasings:
        detail = short(change.change.add_phrasings[0], 60)
    elif change.change.remove_phrasings:
        detail = short(change.change.remove_phrasings[0], 60)
    elif change.change.labels:
        detail = short(change.change.labels[0].question, 60)
    elif change.kind == "restore":
        detail = html.escape(change.reason)
    if not detail:
        return label
    return f"{label} “{detail}”" if change.kind != "restore" else f"{label} {detail}"


async def who(context: BotContext, change: KbChange) -> str:
    if change.author == "import":
        return context.tr.gettext("spreadsheet import")
    user = await context.deps.users.get(change.author_id)
    name = user.first_name if user is not None and user.first_name else str(change.author_id)
    return html.escape(name)


async def history_page(context: BotContext, page: int) -> tuple[str, InlineKeyboardMarkup]:
    deps, tr = context.deps, context.tr
    total = await deps.kb.repo.count()
    pages = max(1, -(-total // HISTORY_PER_PAGE))
    page = max(0, min(page, pages - 1))
    changes = await deps.kb.repo.history(HISTORY_PER_PAGE, page * HISTORY_PER_PAGE)
    lines = [
        tr.gettext("📜 <b>Versions of the answers</b> · page {position} of {total}").format(
            position=tr.number(page + 1), total=tr.number(pages)
        ),
        "",
    ]
    if not changes:
        lines.append(tr.gettext("No changes yet: the bot answers with the shipped files."))
    rows: list[list[InlineKeyboardButton]] = []
    for change in changes:
        lines.append(
            tr.gettext("<b>#{version}</b> · {when} · {who} · {title}: {what} ({status})").format(
                version=change.id,
                when=tr.datetime(change.created_at),
                who=await who(context, change),
                title=html.escape(title_of(context, change.entry_id)),
                what=what_text(context, change),
                status=tr.gettext(STATUS_LABELS[change.status]),
            )
        )
        if change.snapshot and change.entry_id != NO_ENTRY:
            rows.append(
                [
                    InlineKeyboardButton(
                        tr.gettext("↩️ Restore #{version}: {title}").format(
                            version=change.id, title=title_of(context, change.entry_id)
                        ),
                        callback_data=callbacks.KbRestore(change.id).pack(),
                    )
                ]
            )
    if nav := pager_row(tr, page, pages, lambda n: callbacks.KbHistory(n).pack()):
        rows.append(nav)
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def translate_button(
    context: BotContext, entry_id: str, locale: str, title: str | None = None
) -> InlineKeyboardButton:
    """ "✏️ Ubah jawaban (English)", with the entry's title in the list of entries to update."""
    tr = context.tr
    language = LANGUAGE_SELF_NAMES.get(locale, locale)
    text = tr.gettext("✏️ Change answer ({language})").format(language=language)
    if title is not None:
        text = tr.gettext("✏️ Change answer ({language}): {title}").format(
            language=language, title=title
        )
    return InlineKeyboardButton(text, callback_data=callbacks.KbEditIn(entry_id, locale).pack())


async def entries_page(
    context: BotContext, page: int, user_id: int
) -> tuple[str, InlineKeyboardMarkup]:
    deps, tr = context.deps, context.tr
    entries = sorted_entries(context)
    pages = max(1, -(-len(entries) // ENTRIES_PER_PAGE))
    page = max(0, min(page, pages - 1))
    lines = [
        tr.gettext("📚 <b>Answers</b> · {count} entries · page {position} of {total}").format(
            count=tr.number(len(entries)),
            position=tr.number(page + 1),
            total=tr.number(pages),
        ),
        tr.gettext(
            "Choose an entry to see its answer, phrasings and figures. Versions: /jawaban riwayat"
        ),
    ]
    rows = [
        [InlineKeyboardButton(e.title, callback_data=callbacks.KbEntry(e.id).pack())]
        for e in entries[page * ENTRIES_PER_PAGE : (page + 1) * ENTRIES_PER_PAGE]
    ]
    if nav := pager_row(tr, page, pages, lambda n: callbacks.KbEntries(n).pack()):
        rows.append(nav)
    for locale, ids in deps.kb.untranslated().items():
        lines.append(
            tr.gettext("🌐 To update in {language}: {titles}").format(
                language=tr.gettext(LANGUAGE_NAMES.get(locale, locale)),
                titles=html.escape(", ".join(title_of(context, e) for e in ids)),
            )
        )
        rows += [[translate_button(context, e, locale, title_of(context, e))] for e in ids]
    waiting = await deps.kb.waiting()
    admin = deps.staff.is_admin(user_id)
    for change in waiting:
        if change.status == "held" and not admin:
            continue
        lines.append(
            tr.gettext("⏳ #{version} · {title}: {what} ({status})").format(
                version=change.id,
                title=html.escape(title_of(context, change.entry_id)),
                what=what_text(context, change),
                status=tr.gettext(STATUS_LABELS[change.status]),
            )
        )
        gate = GateResult.from_json(change.gate)
        if gate is not None and change.status == "held":
            lines += broken_lines(context, gate)
        rows += decision_rows(context, change.id, change.status, admin)
    if admin:
        conflicts = deps.kb.conflicts()
        if conflicts:
            lines += [
                "",
                tr.gettext("⚠️ <b>Changed in the new release</b> (the staff change still applies):"),
            ]
            lines += [
                tr.gettext("• #{version} · {title}").format(
                    version=c.version, title=html.escape(title_of(context, c.entry_id))
                )
                for c in conflicts
            ]
        for problem in deps.kb.problems[:5]:
            lines.append("⚠️ " + html.escape(str(problem), quote=False)[:200])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


async def entry_card(context: BotContext, entry_id: str) -> tuple[str, InlineKeyboardMarkup] | None:
    deps, tr = context.deps, context.tr
    entry = deps.faq.entry(entry_id, TITLES_LOCALE)
    if entry is None:
        return None
    asked, up, down = await deps.kb.repo.usage(entry_id)
    lines = [
        deps.faq.entry_text(entry, deps.i18n.get(TITLES_LOCALE)),
        "",
        tr.gettext("<b>Phrasings</b> ({count}):").format(count=tr.number(len(entry.phrasings))),
    ]
    lines += [f"{i}. {short(p, 80)}" for i, p in enumerate(entry.phrasings, start=1)]
    lines += [
        "",
        tr.gettext("Answered {count} times · 👍 {up} · 👎 {down}").format(
            count=tr.number(asked), up=tr.number(up), down=tr.number(down)
        ),
        tr.gettext("To add a phrasing, use /pertanyaan. Remove one with its button:"),
    ]
    buttons = [
        InlineKeyboardButton(f"➖ {i}", callback_data=callbacks.KbDrop(entry.id, i).pack())
        for i in range(1, min(len(entry.phrasings), 999) + 1)
    ]
    rows = [buttons[i : i + 6] for i in range(0, len(buttons), 6)]
    rows.append(
        [
            InlineKeyboardButton(
                tr.gettext("✏️ Change answer"), callback_data=callbacks.KbEdit(entry.id, "a").pack()
            ),
            InlineKeyboardButton(
                tr.gettext("📎 Change source"), callback_data=callbacks.KbEdit(entry.id, "s").pack()
            ),
        ]
    )
    rows.append(
        [
            InlineKeyboardButton(
                tr.gettext("🔗 Change related topics"),
                callback_data=callbacks.KbEdit(entry.id, "r").pack(),
            )
        ]
    )
    rows += [[translate_button(context, entry.id, locale)] for locale in deps.kb.notes]
    rows.append(
        [
            InlineKeyboardButton(
                tr.gettext("📚 All answers"), callback_data=callbacks.KbEntries(0).pack()
            )
        ]
    )
    return "\n".join(lines), InlineKeyboardMarkup(rows)
