"""Staff tools' texts and keyboards: a registration's card and its status buttons
(/pendaftar), the figures (/statistik), /ekspor's choices and caption, /muatulang's outcome.
handlers/staff_tools.py handles the commands and presses; bot/ decides. No decisions here:
this draws."""

from __future__ import annotations

import html
from datetime import datetime

from babel.numbers import format_percent
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks, reglabels
from bot.charts import Section
from bot.faq.kb import Problem
from bot.funnel import funnel_section
from bot.i18n import N_, Translator
from bot.kbreload import ReloadResult
from bot.registration import Registration, format_phone, mask_nik, reference
from bot.reminders import month_label
from bot.store.registrations import Status
from bot.store.stats import Figures, FunnelRow
from handlers.ui import pager_row

MAX_PROBLEMS_SHOWN = 15

STATUS_CODES: dict[str, Status] = {
    "d": "dihubungi",
    "t": "terdaftar_bpjs",
    "x": "tidak_memenuhi_syarat",
    "b": "baru",
}
CODE_OF = {status: code for code, status in STATUS_CODES.items()}
STATUS_BUTTONS = {
    "dihubungi": N_("📞 Contacted"),
    "terdaftar_bpjs": N_("✅ Registered with BPJS"),
    "tidak_memenuhi_syarat": N_("✖️ Not eligible"),
    "baru": N_("↩️ Back to new"),
}


def registration_card(tr: Translator, reg: Registration) -> str:
    """A registration for staff: everything they need to call the person; NIK masked."""
    e = html.escape
    occupation = reglabels.occupation_label(tr, reg.occupation, reg.occupation_other)
    lines = [
        tr.gettext("<b>{reference}</b> · registered {when}").format(
            reference=reg.reference, when=tr.datetime(reg.created_at)
        ),
        tr.gettext("Name: {value}").format(value=e(reg.full_name)),
        tr.gettext("Phone: {value}").format(value=e(format_phone(reg.phone))),
        tr.gettext("NIK: {value}").format(value=e(mask_nik(reg.nik))),
        tr.gettext("Occupation: {value}").format(value=e(occupation)),
        tr.gettext("Kelurahan: {kelurahan}, kecamatan: {kecamatan}").format(
            kelurahan=e(reg.kelurahan), kecamatan=e(reglabels.kecamatan_label(tr, reg.kecamatan))
        ),
        tr.gettext("BPJS Ketenagakerjaan: {value}").format(
            value=e(reglabels.bpjs_label(tr, reg.bpjs))
        ),
        tr.gettext("Status: <b>{value}</b>").format(
            value=e(reglabels.status_label(tr, reg.status))
        ),
    ]
    if reg.duplicate_of is not None:  # issue 14, item 9: the person was not told
        lines.append(
            tr.gettext("⚠️ Possible duplicate: the same NIK as {reference}").format(
                reference=reference(reg.duplicate_of)
            )
        )
    return "\n".join(lines)


def status_rows(tr: Translator, reg: Registration, offset: int) -> list[list[InlineKeyboardButton]]:
    buttons = [
        InlineKeyboardButton(
            tr.gettext(STATUS_BUTTONS[status]),
            callback_data=callbacks.PdSet(reg.id, CODE_OF[status], offset).pack(),
        )
        for status in ("dihubungi", "terdaftar_bpjs", "tidak_memenuhi_syarat", "baru")
        if status != reg.status
    ]
    return [buttons[:2], buttons[2:]]


def no_new_text(tr: Translator) -> str:
    return tr.gettext("🎉 No new registrations are waiting.")


def new_page_view(
    tr: Translator, reg: Registration, offset: int, total: int
) -> tuple[str, InlineKeyboardMarkup]:
    """/pendaftar's page: the new registration at `offset` of `total`, its status buttons and
    the pager."""
    head = tr.gettext("📝 <b>New registrations</b> · {position} of {total}").format(
        position=tr.number(offset + 1), total=tr.number(total)
    )
    rows = status_rows(tr, reg, offset)
    if nav := pager_row(tr, offset, total, lambda n: callbacks.PdPage(n).pack()):
        rows.append(nav)
    text = f"{head}\n\n{registration_card(tr, reg)}\n\n" + tr.gettext(
        "Mark what happened after you contacted this person:"
    )
    return text, InlineKeyboardMarkup(rows)


def _percent(tr: Translator, part: int, whole: int) -> str:
    share = part / whole if whole else 0.0
    return format_percent(share, format="#,##0.#%", locale=tr.locale)


def figures_lines(
    tr: Translator, f: Figures, week: datetime, month: str, now: datetime
) -> list[str]:
    """/statistik's message, before the posters' funnel."""
    n = tr.number
    status_line = " · ".join(
        f"{html.escape(reglabels.status_label(tr, s))} {n(f.by_status.get(s, 0))}"
        for s in reglabels.STATUS_LABELS
    )
    handoffs = sum(f.handoffs.values())
    return [
        tr.gettext("📊 <b>Sakpore Bot figures</b> · {when}").format(when=tr.datetime(now)),
        "",
        tr.gettext(
            "<b>Users:</b> {users} · stopped announcements {opted_out} · blocked the bot {blocked}"
        ).format(users=n(f.users), opted_out=n(f.opted_out), blocked=n(f.blocked)),
        tr.gettext(
            "<b>New this week</b> (since {date}): {users} users, {registrations} registrations"
        ).format(date=tr.date(week), users=n(f.new_users), registrations=n(f.new_registrations)),
        "",
        tr.gettext("<b>Registrations:</b> {count}").format(count=n(f.registrations)),
        status_line,
        "",
        tr.gettext(
            "<b>Payment reminders:</b> {active} on · {paid} ({share}) marked paid for {month}"
        ).format(
            active=n(f.reminders_active),
            paid=n(f.reminders_paid),
            share=_percent(tr, f.reminders_paid, f.reminders_active),
            month=month_label(tr, month),
        ),
        tr.gettext(
            "<b>Questions:</b> {asked} · not answered {unanswered} ({share}) · 👍 {up} · 👎 {down}"
        ).format(
            asked=n(f.questions),
            unanswered=n(f.unanswered),
            share=_percent(tr, f.unanswered, f.questions),
            up=n(f.thumbs_up),
            down=n(f.thumbs_down),
        ),
        tr.gettext("<b>Questions for a person:</b> {total} · waiting for an answer {open}").format(
            total=n(handoffs), open=n(f.handoffs.get("open", 0))
        )
        + " · "
        + tr.gettext("helped 👍 {up} · 👎 {down}").format(
            up=n(f.handoff_helped), down=n(f.handoff_not_helped)
        ),
    ]


def chart_sections(tr: Translator, f: Figures, funnel: list[FunnelRow]) -> list[Section]:
    """/statistik's chart: by status, kecamatan, occupation, and the posters' funnel."""
    return [
        Section(
            tr.gettext("Registrations by status"),
            [
                (reglabels.status_label(tr, s), f.by_status.get(s, 0))
                for s in reglabels.STATUS_LABELS
            ],
        ),
        Section(
            tr.gettext("By kecamatan"),
            [(reglabels.kecamatan_label(tr, k), v) for k, v in f.by_kecamatan.items()],
        ),
        Section(
            tr.gettext("By occupation"),
            [(reglabels.occupation_label(tr, k), v) for k, v in f.by_occupation.items()],
        ),
        funnel_section(tr, funnel),
    ]


def export_view(tr: Translator, total: int, is_admin: bool) -> tuple[str, InlineKeyboardMarkup]:
    """/ekspor's choices: CSV or XLSX, NIK masked (admins: also full)."""
    rows = [
        [
            InlineKeyboardButton(
                tr.gettext("📄 CSV"), callback_data=callbacks.Export("csv", "m").pack()
            ),
            InlineKeyboardButton(
                tr.gettext("📊 Excel (XLSX)"), callback_data=callbacks.Export("xlsx", "m").pack()
            ),
        ]
    ]
    text = tr.gettext(
        "📤 <b>Export registrations</b> ({count})\n"
        "The file comes to this private chat only. NIKs are masked (first 4 and last 4 digits)."
    ).format(count=tr.number(total))
    if is_admin:
        rows.append(
            [
                InlineKeyboardButton(
                    tr.gettext("📄 CSV, full NIK"),
                    callback_data=callbacks.Export("csv", "f").pack(),
                ),
                InlineKeyboardButton(
                    tr.gettext("📊 XLSX, full NIK"),
                    callback_data=callbacks.Export("xlsx", "f").pack(),
                ),
            ]
        )
        text += "\n" + tr.gettext(
            "As an admin you can also export full NIKs. Keep such a file safe and delete it "
            "when you no longer need it."
        )
    return text, InlineKeyboardMarkup(rows)


def export_caption(tr: Translator, count: int, now: datetime, full: bool) -> str:
    caption = tr.ngettext(
        "{count} registration, {when}.", "{count} registrations, {when}.", count
    ).format(count=tr.number(count), when=tr.datetime(now))
    caption += " " + (
        tr.gettext("Full NIKs: keep this file safe.") if full else tr.gettext("NIKs masked.")
    )
    return caption


def reloaded_text(tr: Translator, result: ReloadResult) -> str:
    """/muatulang: the knowledge base was reloaded (entries per language)."""
    counts = ", ".join(
        f"{html.escape(loc)}: {tr.number(count)}" for loc, count in result.entries.items()
    )
    text = tr.gettext("✅ Knowledge base reloaded. Entries: {counts}.").format(counts=counts)
    if not result.changed:
        text += "\n" + tr.gettext("(No file had changed since it was last loaded.)")
    return text


def refused_text(tr: Translator, problems: list[Problem]) -> str:
    """/muatulang refused: the first MAX_PROBLEMS_SHOWN problems."""
    lines = [
        tr.ngettext(
            "⚠️ The knowledge base was <b>not</b> reloaded: {count} problem. "
            "The bot keeps answering with the previous one.",
            "⚠️ The knowledge base was <b>not</b> reloaded: {count} problems. "
            "The bot keeps answering with the previous one.",
            len(problems),
        ).format(count=tr.number(len(problems))),
        "",
    ]
    lines += [f"• {html.escape(str(p), quote=False)[:300]}" for p in problems[:MAX_PROBLEMS_SHOWN]]
    if len(problems) > MAX_PROBLEMS_SHOWN:
        lines.append(
            tr.gettext("… and {count} more (see <code>sakpore-bot kb check</code>).").format(
                count=tr.number(len(problems) - MAX_PROBLEMS_SHOWN)
            )
        )
    lines += ["", tr.gettext("Fix the file, then send /muatulang again.")]
    return "\n".join(lines)
