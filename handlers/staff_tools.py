"""Staff follow-up and insight: /pendaftar, /statistik, /ekspor, /muatulang (/pertanyaan is in
handlers/kb_staff.py).

Every command and button is wrapped in staff_only (admin-only parts are checked again on each
press), so to everyone else they behave exactly like commands the bot does not have. Each
action that changes or takes out data is written to the staff audit log.

Callback data:
    pd:go:<offset>                      /pendaftar: show the new registration at this position
    pd:set:<id>:<d|t|x|b>:<offset>      mark registration <id> (dihubungi, terdaftar_bpjs,
                                        tidak_memenuhi_syarat, baru), then show <offset>
    ex:<csv|xlsx>:<m|f>                 /ekspor: format, NIK masked or full (admins)
"""

from __future__ import annotations

import html
import logging
from datetime import datetime, timedelta

from babel.numbers import format_percent
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import callbacks, export, reglabels
from bot.charts import Section, bar_chart
from bot.commands import Cmd
from bot.context import BotContext, SakporeApp
from bot.funnel import funnel_lines, funnel_section
from bot.i18n import N_, Translator
from bot.kbreload import reload_knowledge
from bot.registration import Registration, format_phone, mask_nik, reference
from bot.reminders import month_label
from bot.sender import safe_send
from bot.store.registrations import Status
from handlers.staff import as_unknown, staff_only
from handlers.ui import answer_quietly, edit_quietly, pager_row, reply

logger = logging.getLogger(__name__)


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


# ---- /pendaftar -------------------------------------------------------------------------------


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


def _status_rows(
    tr: Translator, reg: Registration, offset: int
) -> list[list[InlineKeyboardButton]]:
    buttons = [
        InlineKeyboardButton(
            tr.gettext(STATUS_BUTTONS[status]),
            callback_data=callbacks.PdSet(reg.id, CODE_OF[status], offset).pack(),
        )
        for status in ("dihubungi", "terdaftar_bpjs", "tidak_memenuhi_syarat", "baru")
        if status != reg.status
    ]
    return [buttons[:2], buttons[2:]]


async def _new_page(context: BotContext, offset: int) -> tuple[str, InlineKeyboardMarkup | None]:
    """The card of the new registration at `offset` (oldest first), with its buttons."""
    deps, tr = context.deps, context.tr
    total = (await deps.registrations.count_by_status()).get("baru", 0)
    if total == 0:
        return tr.gettext("🎉 No new registrations are waiting."), None
    offset = max(0, min(offset, total - 1))
    found = await deps.registrations.list_by_status("baru", limit=1, offset=offset)
    if not found:
        return tr.gettext("🎉 No new registrations are waiting."), None
    reg = found[0]
    head = tr.gettext("📝 <b>New registrations</b> · {position} of {total}").format(
        position=tr.number(offset + 1), total=tr.number(total)
    )
    rows = _status_rows(tr, reg, offset)
    if nav := pager_row(tr, offset, total, lambda n: callbacks.PdPage(n).pack()):
        rows.append(nav)
    text = f"{head}\n\n{registration_card(tr, reg)}\n\n" + tr.gettext(
        "Mark what happened after you contacted this person:"
    )
    return text, InlineKeyboardMarkup(rows)


@staff_only
async def pendaftar(update: Update, context: BotContext) -> None:
    """/pendaftar: the new registrations one by one; /pendaftar SKP-000012: any one."""
    tr = context.tr
    args = context.args or []
    if args:
        number = callbacks.reference(args[0])
        reg = await context.deps.registrations.get(number) if number is not None else None
        if reg is None:
            await reply(
                update,
                tr.gettext("No registration {reference} was found.").format(
                    reference=html.escape(args[0][:20])
                ),
            )
            return
        rows = _status_rows(tr, reg, -1)
        await reply(update, registration_card(tr, reg), InlineKeyboardMarkup(rows))
        return
    text, markup = await _new_page(context, 0)
    await reply(update, text, markup)


@staff_only
async def pendaftar_button(update: Update, context: BotContext) -> None:
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    deps, tr = context.deps, context.tr
    data = query.data or ""
    if page := callbacks.PdPage.parse(data):
        await answer_quietly(query)
        text, markup = await _new_page(context, page.page)
        await edit_quietly(query.message, text, markup)
        return
    parsed = callbacks.PdSet.parse(data)
    if parsed is None:
        await as_unknown(update, context)
        return
    reg = await deps.registrations.get(parsed.registration_id)
    status = STATUS_CODES[parsed.status]
    if reg is None:
        await answer_quietly(query, tr.gettext("This registration no longer exists."))
        return
    if reg.status != status and await deps.status_messages.set_status(reg.id, status):
        await deps.staff.audit(
            user.id, "registration_status", reg.reference, f"{reg.status} -> {status}"
        )
    await answer_quietly(
        query,
        tr.gettext("{reference}: {status} ✓").format(
            reference=reg.reference, status=reglabels.status_label(tr, status)
        ),
    )
    offset = parsed.page
    if offset < 0:  # a card opened with /pendaftar SKP-...: show it again, updated
        fresh = await deps.registrations.get(reg.id)
        if fresh is not None:
            await edit_quietly(
                query.message,
                registration_card(tr, fresh),
                InlineKeyboardMarkup(_status_rows(tr, fresh, -1)),
            )
        return
    # The marked registration left the "new" list: the next one now has the same position.
    text, markup = await _new_page(context, offset)
    done = tr.gettext("✅ {reference} marked: {status}.").format(
        reference=reg.reference, status=html.escape(reglabels.status_label(tr, status))
    )
    await edit_quietly(query.message, f"{done}\n\n{text}", markup)


# ---- /statistik -------------------------------------------------------------------------------


def _percent(tr: Translator, part: int, whole: int) -> str:
    share = part / whole if whole else 0.0
    return format_percent(share, format="#,##0.#%", locale=tr.locale)


def _week_start(context: BotContext) -> datetime:
    deps = context.deps
    local = deps.clock.now().astimezone(deps.settings.tz)
    monday = (local - timedelta(days=local.weekday())).date()
    return datetime(monday.year, monday.month, monday.day, tzinfo=deps.settings.tz)


@staff_only
async def statistik(update: Update, context: BotContext) -> None:
    """/statistik: the figures as a short message, the registrations as a bar chart."""
    deps, tr = context.deps, context.tr
    n = tr.number
    week = _week_start(context)
    month = deps.reminders.current_month()
    f = await deps.stats.figures(week, month)
    status_line = " · ".join(
        f"{html.escape(reglabels.status_label(tr, s))} {n(f.by_status.get(s, 0))}"
        for s in reglabels.STATUS_LABELS
    )
    handoffs = sum(f.handoffs.values())
    lines = [
        tr.gettext("📊 <b>Sakpore Bot figures</b> · {when}").format(
            when=tr.datetime(deps.clock.now())
        ),
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
    funnel = await deps.stats.funnel()  # issue 17: posters and QR codes
    if funnel:
        lines += ["", *funnel_lines(tr, funnel)]
    if f.registrations:
        lines += ["", tr.gettext("The chart below shows the registrations in detail.")]
    await reply(update, "\n".join(lines))
    if not f.registrations:
        return
    sections = [
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
    png = bar_chart(sections, number=lambda v: n(v))
    message = update.effective_message
    if message is not None:
        await message.reply_photo(
            png,
            caption=tr.gettext("Registrations by status, kecamatan and occupation ({when})").format(
                when=tr.date(deps.clock.now())
            ),
            filename="statistik.png",
        )


# ---- /ekspor ----------------------------------------------------------------------------------


@staff_only
async def ekspor(update: Update, context: BotContext) -> None:
    """/ekspor: choose CSV or XLSX (admins: also with full NIKs)."""
    deps, tr = context.deps, context.tr
    user = update.effective_user
    assert user is not None
    total = sum((await deps.registrations.count_by_status()).values())
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
    if deps.staff.is_admin(user.id):
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
    await reply(update, text, InlineKeyboardMarkup(rows))


@staff_only
async def ekspor_button(update: Update, context: BotContext) -> None:
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    deps, tr = context.deps, context.tr
    parsed = callbacks.Export.parse(query.data)
    full = parsed is not None and parsed.nik == "f"
    if parsed is None or (full and not deps.staff.is_admin(user.id)):
        await as_unknown(update, context)  # a forged "full NIK" button from a staff member
        return
    await answer_quietly(query)
    fmt: export.Format = "csv" if parsed.kind == "csv" else "xlsx"
    registrations = await deps.registrations.list_all()
    if not registrations:
        await reply(update, tr.gettext("There are no registrations to export yet."))
        return
    table = export.table(registrations, tr, full_nik=full)
    data = export.render(table, fmt)
    now = deps.clock.now()
    name = export.filename(fmt, now, tr, full)
    caption = tr.ngettext(
        "{count} registration, {when}.", "{count} registrations, {when}.", len(table.rows)
    ).format(count=tr.number(len(table.rows)), when=tr.datetime(now))
    caption += " " + (
        tr.gettext("Full NIKs: keep this file safe.") if full else tr.gettext("NIKs masked.")
    )
    # Only ever to the requester's own private chat (user.id), whatever chat the button is in.
    result = await safe_send(context.bot, user.id, caption, document=data, filename=name)
    await deps.staff.audit(
        user.id,
        "export",
        fmt,
        f"{len(table.rows)} rows, {'full' if full else 'masked'} NIK, {result.outcome.value}",
    )
    logger.info(
        "export by %s: %s, %s rows, %s NIK",
        user.id,
        fmt,
        len(table.rows),
        "full" if full else "masked",
    )


# ---- /pertanyaan ------------------------------------------------------------------------------
# The review loop of issue 16 lives in handlers/kb_staff.py.


# ---- /muatulang -------------------------------------------------------------------------------

MAX_PROBLEMS_SHOWN = 15


@staff_only
async def muatulang(update: Update, context: BotContext) -> None:
    """/muatulang: reload the knowledge base if it is valid; otherwise keep the old one."""
    deps, tr = context.deps, context.tr
    user = update.effective_user
    assert user is not None
    result = reload_knowledge(deps)
    if result.ok:
        counts = ", ".join(
            f"{html.escape(loc)}: {tr.number(count)}" for loc, count in result.entries.items()
        )
        text = tr.gettext("✅ Knowledge base reloaded. Entries: {counts}.").format(counts=counts)
        if not result.changed:
            text += "\n" + tr.gettext("(No file had changed since it was last loaded.)")
        await deps.staff.audit(user.id, "kb_reload", None, f"ok, changed={result.changed}")
        await reply(update, text)
        return
    problems = result.problems
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
    await deps.staff.audit(user.id, "kb_reload", None, f"refused, {len(problems)} problems")
    await reply(update, "\n".join(lines))


def register(app: SakporeApp) -> None:
    app.add_handler(CommandHandler(Cmd.REGISTRANTS, pendaftar))
    app.add_handler(CommandHandler(Cmd.STATISTICS, statistik))
    app.add_handler(CommandHandler(Cmd.EXPORT, ekspor))
    app.add_handler(CommandHandler(Cmd.RELOAD, muatulang))
    app.add_handler(CallbackQueryHandler(pendaftar_button, pattern=callbacks.family("pd")))
    app.add_handler(CallbackQueryHandler(ekspor_button, pattern=callbacks.family("ex")))
