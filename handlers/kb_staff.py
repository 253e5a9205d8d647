"""Staff improve the knowledge base from Telegram (issue 16): /pertanyaan's review loop,
/jawaban (entries, versions, waiting changes) and the buttons of both.

Every change goes through bot.kbstaff.KbStaff (kb check rules, accuracy gate, four-eyes),
never straight into the knowledge base. Everything is staff only (StaffService.has_role,
checked at every command and press); publishing a held change and conflicts are for admins.
Entries are shown by their Indonesian title.

Callback data: see bot/callbacks.py, Kb*.
"""

from __future__ import annotations

import html
import re
from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import callbacks
from bot.commands import Cmd
from bot.context import BotContext, SakporeApp
from bot.faq.gate import GateResult
from bot.faq.kb import Entry
from bot.faq.layer import NO_ENTRY, Change, Label
from bot.i18n import N_
from bot.kbstaff import Outcome
from bot.store.kbchanges import KbChange
from bot.store.questions import ReviewGroup
from handlers.staff import as_unknown, staff_only
from handlers.ui import answer_quietly, edit_quietly, pager_row, reply

REVIEW_DAYS = 30
MAX_REVIEW_DAYS = 3650
CANDIDATES = 3  # "Tambahkan ke: <title>" buttons before "Topik lain"
TOPICS_PER_PAGE = 8
ENTRIES_PER_PAGE = 10
HISTORY_PER_PAGE = 6
MAX_BROKEN_SHOWN = 5
MAX_PHRASING = 200
TITLES_LOCALE = "id"  # entries are shown by their Indonesian title
LANGUAGE_NAMES = {"en": N_("English")}

_TAG = re.compile(r"<[^<>]{0,40}>")

KIND_LABELS = {
    "add_phrasing": N_("phrasing added"),
    "remove_phrasing": N_("phrasing removed"),
    "ignore": N_("marked as out of scope"),
    "restore": N_("version restored"),
    "edit": N_("answer changed"),
    "new_entry": N_("new entry"),
    "source": N_("source changed"),
    "related": N_("related topics changed"),
    "import": N_("imported from a spreadsheet"),
}
STATUS_LABELS = {
    "live": N_("live"),
    "pending": N_("waiting for approval"),
    "held": N_("held by the accuracy check"),
    "rejected": N_("rejected"),
    "superseded": N_("replaced by a restore"),
}


def is_noise(text: str) -> bool:
    """Emoji only, one character, markup: nothing staff can turn into an answer."""
    return sum(ch.isalnum() for ch in _TAG.sub("", text)) < 2


def _short(text: str, limit: int = 100) -> str:
    text = " ".join(text.split())
    return html.escape(text if len(text) <= limit else text[: limit - 1] + "…", quote=False)


def _title(context: BotContext, entry_id: str | None) -> str:
    """An entry's Indonesian title (its id only if it has none any more)."""
    if entry_id is None or entry_id == NO_ENTRY:
        return context.tr.gettext("out of scope")
    entry = context.deps.faq.entry(entry_id, TITLES_LOCALE)
    return entry.title if entry is not None else entry_id


def _entries(context: BotContext) -> list[Entry]:
    return sorted(context.deps.faq.kb(TITLES_LOCALE), key=lambda e: e.title.lower())


# ---- outcomes ---------------------------------------------------------------------------------


def outcome_text(context: BotContext, outcome: Outcome, what: str) -> str:
    """One change's result, in a few lines: published, waiting, held (with why), refused."""
    tr = context.tr
    version = tr.number(outcome.change_id or 0)
    lines: list[str] = []
    if outcome.status == "live":
        lines.append(
            tr.gettext("✅ {what}: live now (version #{version}).").format(
                what=what, version=version
            )
        )
    elif outcome.status == "pending":
        lines.append(
            tr.gettext(
                "⏳ {what}: waits for another staff member's approval (version #{version})."
            ).format(what=what, version=version)
        )
    elif outcome.status == "held":
        lines.append(
            tr.gettext(
                "⚠️ {what}: <b>held</b> (version #{version}). It would make the bot answer "
                "questions it answers right today wrongly, or not at all:"
            ).format(what=what, version=version)
        )
    elif outcome.status == "invalid":
        lines.append(
            tr.gettext("⚠️ {what}: not possible, the knowledge base check refused it:").format(
                what=what
            )
        )
        lines += [f"• {html.escape(p.message, quote=False)[:200]}" for p in outcome.problems[:5]]
    elif outcome.status == "not_allowed":
        lines.append(
            tr.gettext(
                "A second staff member must approve this change; an admin publishes a held one."
            )
        )
    else:
        lines.append(tr.gettext("This change has already been decided."))
    if outcome.gate is not None:
        lines.append(html.escape(outcome.gate.line(tr), quote=False))
        lines += _broken_lines(context, outcome.gate)
    if outcome.status == "held":
        lines.append(tr.gettext("An admin can publish it anyway (“Publish anyway”) or reject it."))
    return "\n".join(lines)


def _broken_lines(context: BotContext, gate: GateResult) -> list[str]:
    tr = context.tr
    lines = [
        tr.gettext("• “{question}” (should be: {title})").format(
            question=_short(b.question, 80), title=html.escape(_title(context, b.expected))
        )
        for b in gate.broken[:MAX_BROKEN_SHOWN]
    ]
    if len(gate.broken) > MAX_BROKEN_SHOWN:
        lines.append(
            tr.gettext("… and {count} more").format(
                count=tr.number(len(gate.broken) - MAX_BROKEN_SHOWN)
            )
        )
    return lines


def decision_rows(
    context: BotContext, change_id: int, status: str, admin: bool
) -> list[list[InlineKeyboardButton]]:
    tr = context.tr
    row: list[InlineKeyboardButton] = []
    if status == "pending":
        row.append(
            InlineKeyboardButton(
                tr.gettext("✅ Approve #{version}").format(version=change_id),
                callback_data=callbacks.KbApprove(change_id).pack(),
            )
        )
    if status == "held" and admin:
        row.append(
            InlineKeyboardButton(
                tr.gettext("📣 Publish anyway #{version}").format(version=change_id),
                callback_data=callbacks.KbPublish(change_id).pack(),
            )
        )
    if status == "pending" or (status == "held" and admin):
        row.append(
            InlineKeyboardButton(
                tr.gettext("✖️ Reject #{version}").format(version=change_id),
                callback_data=callbacks.KbReject(change_id).pack(),
            )
        )
    return [row] if row else []


# ---- /pertanyaan: the review loop ------------------------------------------------------------


async def _groups(context: BotContext, days: int) -> list[ReviewGroup]:
    deps = context.deps
    since = deps.clock.now() - timedelta(days=days)
    handled = deps.kb.labelled_keys() | {
        c.change.group_key for c in await deps.kb.waiting() if c.change.group_key
    }
    return [
        g
        for g in await deps.questions.review(since)
        if not is_noise(g.example) and g.key not in handled
    ]


def _candidates(context: BotContext, group: ReviewGroup, language: str) -> list[Entry]:
    """The entries the question is closest to, best first."""
    deps = context.deps
    ranking = deps.faq.rank(group.example, language)
    out = []
    for scored in ranking.scores:
        entry = deps.faq.entry(scored.entry_id, TITLES_LOCALE)
        if entry is not None:
            out.append(entry)
        if len(out) == CANDIDATES:
            break
    return out


async def review_page(
    context: BotContext, offset: int, days: int = REVIEW_DAYS
) -> tuple[str, InlineKeyboardMarkup | None]:
    """One group of questions to look at, with what staff can do with it."""
    deps, tr = context.deps, context.tr
    groups = await _groups(context, days)
    period = tr.ngettext("the last {days} day", "the last {days} days", days).format(
        days=tr.number(days)
    )
    if not groups:
        return tr.gettext("❓ No questions to look at ({period}). 🎉").format(period=period), None
    offset = max(0, min(offset, len(groups) - 1))
    group = groups[offset]
    question = await deps.questions.get(group.newest_id)
    language = question.language if question is not None else TITLES_LOCALE
    lines = [
        tr.gettext("❓ <b>Questions to look at</b> · {position} of {total} ({period})").format(
            position=tr.number(offset + 1), total=tr.number(len(groups)), period=period
        ),
        "",
        f"“{_short(group.example, 300)}”",
        tr.ngettext(
            "Asked {count} time by {people} person, last on {when}.",
            "Asked {count} times by {people} people, last on {when}.",
            group.count,
        ).format(
            count=tr.number(group.count),
            people=tr.number(group.people),
            when=tr.datetime(group.last),
        ),
    ]
    if group.unanswered:
        lines.append(tr.gettext("The bot did not answer it."))
    if group.disliked:
        titles = ", ".join(html.escape(_title(context, e)) for e in group.entries) or "-"
        lines.append(tr.gettext("Rated 👎 (answer given: {titles}).").format(titles=titles))
    lines += ["", tr.gettext("Where does this question belong?")]
    rows = [
        [
            InlineKeyboardButton(
                tr.gettext("Add to: {title}").format(title=e.title),
                callback_data=callbacks.KbAdd(group.newest_id, e.id).pack(),
            )
        ]
        for e in _candidates(context, group, language)
    ]
    rows.append(
        [
            InlineKeyboardButton(
                tr.gettext("📚 Another topic"),
                callback_data=callbacks.KbTopics(group.newest_id, 0).pack(),
            ),
            InlineKeyboardButton(
                tr.gettext("🚫 Ignore"), callback_data=callbacks.KbIgnore(group.newest_id).pack()
            ),
        ]
    )
    rows.append(
        [
            InlineKeyboardButton(
                tr.gettext("✍️ New answer"), callback_data=callbacks.KbNew(group.newest_id).pack()
            )
        ]
    )
    if nav := pager_row(tr, offset, len(groups), lambda n: callbacks.KbReview(n).pack()):
        rows.append(nav)
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def topics_page(context: BotContext, question_id: int, page: int) -> InlineKeyboardMarkup:
    tr = context.tr
    entries = _entries(context)
    pages = max(1, -(-len(entries) // TOPICS_PER_PAGE))
    page = max(0, min(page, pages - 1))
    shown = entries[page * TOPICS_PER_PAGE : (page + 1) * TOPICS_PER_PAGE]
    rows = [
        [InlineKeyboardButton(e.title, callback_data=callbacks.KbAdd(question_id, e.id).pack())]
        for e in shown
    ]
    nav = []
    if page > 0:
        nav.append(
            InlineKeyboardButton(
                "◀️", callback_data=callbacks.KbTopics(question_id, page - 1).pack()
            )
        )
    nav.append(
        InlineKeyboardButton(
            tr.gettext("{position} of {total}").format(position=page + 1, total=pages),
            callback_data=callbacks.KbTopics(question_id, page).pack(),
        )
    )
    if page + 1 < pages:
        nav.append(
            InlineKeyboardButton(
                "▶️", callback_data=callbacks.KbTopics(question_id, page + 1).pack()
            )
        )
    rows.append(nav)
    rows.append(
        [InlineKeyboardButton(tr.gettext("↩️ Back"), callback_data=callbacks.KbReview(0).pack())]
    )
    return InlineKeyboardMarkup(rows)


@staff_only
async def pertanyaan(update: Update, context: BotContext) -> None:
    """/pertanyaan [days]: the questions to look at, one group at a time."""
    args = context.args or []
    asked = callbacks.number(args[0], digits=4) if args else None
    days = asked if asked is not None and 0 < asked <= MAX_REVIEW_DAYS else REVIEW_DAYS
    context.deps.kb.warm(context.deps)
    text, markup = await review_page(context, 0, days)
    await reply(update, text, markup)


def _group_key(question_normalised: str, text: str) -> str:
    return question_normalised or text.strip().lower()


@staff_only
async def review_button(update: Update, context: BotContext) -> None:
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    deps, tr = context.deps, context.tr
    data = query.data or ""
    if page := callbacks.KbReview.parse(data):
        await answer_quietly(query)
        text, markup = await review_page(context, page.page)
        await edit_quietly(query.message, text, markup)
        return
    if topics := callbacks.KbTopics.parse(data):
        await answer_quietly(query)
        question = await deps.questions.get(topics.question_id)
        if question is None:
            return
        text = tr.gettext("Which topic does “{question}” belong to?").format(
            question=_short(question.text)
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
    phrasing = " ".join(question.text.split())[:MAX_PHRASING]
    key = _group_key(question.normalised, question.text)
    await answer_quietly(query, tr.gettext("Checking…"))
    if add is not None:
        entry_id = add.entry
        if deps.faq.entry(entry_id, question.language) is None:
            await as_unknown(update, context)
            return
        change = Change(
            add_phrasings=(phrasing,),
            labels=(Label(phrasing, entry_id, question.language),),
            group_key=key,
        )
        kind = "add_phrasing"
        what = tr.gettext("“{question}” added to {title}").format(
            question=_short(phrasing, 60), title=html.escape(_title(context, entry_id))
        )
    else:
        entry_id, kind = NO_ENTRY, "ignore"
        change = Change(labels=(Label(phrasing, None, question.language),), group_key=key)
        what = tr.gettext("“{question}” marked as out of scope").format(
            question=_short(phrasing, 60)
        )
    outcome = await deps.kb.propose(
        deps,
        actor_id=user.id,
        locale=question.language,
        entry_id=entry_id,
        change=change,
        kind=kind,
        reason="/pertanyaan",
    )
    await deps.staff.audit(user.id, "kb_change", outcome.change_id, outcome.status)
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


def _what(context: BotContext, change: KbChange) -> str:
    tr = context.tr
    label = tr.gettext(KIND_LABELS.get(change.kind, change.kind))
    detail = ""
    if change.change.add_phrasings:
        detail = _short(change.change.add_phrasings[0], 60)
    elif change.change.remove_phrasings:
        detail = _short(change.change.remove_phrasings[0], 60)
    elif change.change.labels:
        detail = _short(change.change.labels[0].question, 60)
    elif change.kind == "restore":
        detail = html.escape(change.reason)
    if not detail:
        return label
    return f"{label} “{detail}”" if change.kind != "restore" else f"{label} {detail}"


async def _who(context: BotContext, change: KbChange) -> str:
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
                who=await _who(context, change),
                title=html.escape(_title(context, change.entry_id)),
                what=_what(context, change),
                status=tr.gettext(STATUS_LABELS[change.status]),
            )
        )
        if change.snapshot and change.entry_id != NO_ENTRY:
            rows.append(
                [
                    InlineKeyboardButton(
                        tr.gettext("↩️ Restore #{version}: {title}").format(
                            version=change.id, title=_title(context, change.entry_id)
                        ),
                        callback_data=callbacks.KbRestore(change.id).pack(),
                    )
                ]
            )
    if nav := pager_row(tr, page, pages, lambda n: callbacks.KbHistory(n).pack()):
        rows.append(nav)
    return "\n".join(lines), InlineKeyboardMarkup(rows)


async def entries_page(
    context: BotContext, page: int, user_id: int
) -> tuple[str, InlineKeyboardMarkup]:
    deps, tr = context.deps, context.tr
    entries = _entries(context)
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
                titles=html.escape(", ".join(_title(context, e) for e in ids)),
            )
        )
    waiting = await deps.kb.waiting()
    admin = deps.staff.is_admin(user_id)
    for change in waiting:
        if change.status == "held" and not admin:
            continue
        lines.append(
            tr.gettext("⏳ #{version} · {title}: {what} ({status})").format(
                version=change.id,
                title=html.escape(_title(context, change.entry_id)),
                what=_what(context, change),
                status=tr.gettext(STATUS_LABELS[change.status]),
            )
        )
        gate = GateResult.from_json(change.gate)
        if gate is not None and change.status == "held":
            lines += _broken_lines(context, gate)
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
                    version=c.version, title=html.escape(_title(context, c.entry_id))
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
    lines += [f"{i}. {_short(p, 80)}" for i, p in enumerate(entry.phrasings, start=1)]
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
    rows.append(
        [
            InlineKeyboardButton(
                tr.gettext("📚 All answers"), callback_data=callbacks.KbEntries(0).pack()
            )
        ]
    )
    return "\n".join(lines), InlineKeyboardMarkup(rows)


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
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    deps, tr = context.deps, context.tr
    data = query.data or ""
    if page := callbacks.KbEntries.parse(data):
        await answer_quietly(query)
        text, markup = await entries_page(context, page.page, user.id)
        await edit_quietly(query.message, text, markup)
        return
    if history := callbacks.KbHistory.parse(data):
        await answer_quietly(query)
        text, markup = await history_page(context, history.page)
        await edit_quietly(query.message, text, markup)
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
        outcome = await deps.kb.propose(
            deps,
            actor_id=user.id,
            locale=TITLES_LOCALE,
            entry_id=entry.id,
            change=Change(remove_phrasings=(phrasing,)),
            kind="remove_phrasing",
            reason="/jawaban",
        )
        await deps.staff.audit(user.id, "kb_change", outcome.change_id, outcome.status)
        what = tr.gettext("“{phrasing}” removed from {title}").format(
            phrasing=_short(phrasing, 60), title=html.escape(entry.title)
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
