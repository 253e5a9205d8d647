"""Texts and keyboards of the knowledge base by staff (issue 16): the outcome of a change, its
decision buttons, /pertanyaan's review page and topic list (handlers/kb_staff.py handles the
commands and presses; the /jawaban pages are in handlers/kb_render_answers.py).

Entries are shown by their Indonesian title.
"""

from __future__ import annotations

import html
import re
from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.context import BotContext
from bot.faq.gate import GateResult
from bot.faq.kb import Entry, Finding, Problem, Term
from bot.faq.layer import NO_ENTRY, Change, Label
from bot.i18n import N_, Translator
from bot.kbstaff import Outcome
from bot.store.questions import Question, ReviewGroup
from handlers.ui import pager_row

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
# on the buttons that edit another language, in that language ("✏️ Ubah jawaban (English)")
LANGUAGE_SELF_NAMES = {"en": "English"}

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


def finding_text(tr: Translator, finding: Finding) -> str:
    """A kb check finding in the staff member's language, HTML-safe."""
    params = {k: tr.gettext(v) if isinstance(v, Term) else v for k, v in finding.params}
    return html.escape(tr.gettext(finding.msgid).format(**params), quote=False)


def problem_text(tr: Translator, problem: Problem) -> str:
    """A kb check problem as staff read it: translated (a rare or internal rule stays in
    English, docs/faq-staff.md), HTML-safe, at most 200 characters."""
    if problem.finding is not None:
        return finding_text(tr, problem.finding)
    return html.escape(problem.message[:200], quote=False)


def is_noise(text: str) -> bool:
    """Emoji only, one character, markup: nothing staff can turn into an answer."""
    return sum(ch.isalnum() for ch in _TAG.sub("", text)) < 2


def short(text: str, limit: int = 100) -> str:
    text = " ".join(text.split())
    return html.escape(text if len(text) <= limit else text[: limit - 1] + "…", quote=False)


def title_of(context: BotContext, entry_id: str | None) -> str:
    """An entry's Indonesian title (its id only if it has none any more)."""
    if entry_id is None or entry_id == NO_ENTRY:
        return context.tr.gettext("out of scope")
    entry = context.deps.faq.entry(entry_id, TITLES_LOCALE)
    return entry.title if entry is not None else entry_id


def sorted_entries(context: BotContext) -> list[Entry]:
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
        lines += [f"• {problem_text(tr, p)}" for p in outcome.problems[:5]]
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
        lines += broken_lines(context, outcome.gate)
    if outcome.status == "held":
        lines.append(tr.gettext("An admin can publish it anyway (“Publish anyway”) or reject it."))
    return "\n".join(lines)


def broken_lines(context: BotContext, gate: GateResult) -> list[str]:
    tr = context.tr
    lines = [
        tr.gettext("• “{question}” (should be: {title})").format(
            question=short(b.question, 80), title=html.escape(title_of(context, b.expected))
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


async def review_groups(context: BotContext, days: int) -> list[ReviewGroup]:
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


def candidates(context: BotContext, group: ReviewGroup, language: str) -> list[Entry]:
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
    groups = await review_groups(context, days)
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
        f"“{short(group.example, 300)}”",
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
        titles = ", ".join(html.escape(title_of(context, e)) for e in group.entries) or "-"
        lines.append(tr.gettext("Rated 👎 (answer given: {titles}).").format(titles=titles))
    lines += ["", tr.gettext("Where does this question belong?")]
    found = candidates(context, group, language)
    if question is not None and found:
        # scored while staff read: the first button is the likeliest tap
        deps.kb.foresee(deps, language, found[0].id, card_change(question, found[0].id))
    rows = [
        [
            InlineKeyboardButton(
                tr.gettext("Add to: {title}").format(title=e.title),
                callback_data=callbacks.KbAdd(group.newest_id, e.id).pack(),
            )
        ]
        for e in found
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
    entries = sorted_entries(context)
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


def group_key(question_normalised: str, text: str) -> str:
    return question_normalised or text.strip().lower()


def card_change(question: Question, entry_id: str | None) -> Change:
    """What a question card's "Tambahkan ke: <entry>" changes: the question becomes a phrasing
    of the entry and a labelled question of it; with `entry_id` None, "Abaikan": a labelled
    out-of-scope question."""
    phrasing = " ".join(question.text.split())[:MAX_PHRASING]
    return Change(
        add_phrasings=(phrasing,) if entry_id is not None else (),
        labels=(Label(phrasing, entry_id, question.language),),
        group_key=group_key(question.normalised, question.text),
    )
