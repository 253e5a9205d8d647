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

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import callbacks, export, reglabels
from bot.charts import bar_chart
from bot.commands import Cmd
from bot.context import BotContext, SakporeApp
from bot.funnel import funnel_lines
from bot.kbreload import reload_knowledge
from bot.sender import safe_send
from handlers import staff_tools_render as render
from handlers.staff import as_unknown, staff_only
from handlers.staff_tools_render import STATUS_CODES
from handlers.ui import answer_quietly, edit_quietly, reply, staff_press, turn_page

logger = logging.getLogger(__name__)


# ---- /pendaftar -------------------------------------------------------------------------------


async def _new_page(context: BotContext, offset: int) -> tuple[str, InlineKeyboardMarkup | None]:
    """The card of the new registration at `offset` (oldest first), with its buttons."""
    deps, tr = context.deps, context.tr
    total = (await deps.registrations.count_by_status()).get("baru", 0)
    if total == 0:
        return render.no_new_text(tr), None
    offset = max(0, min(offset, total - 1))
    found = await deps.registrations.list_by_status("baru", limit=1, offset=offset)
    if not found:
        return render.no_new_text(tr), None
    return render.new_page_view(tr, found[0], offset, total)


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
        rows = render.status_rows(tr, reg, -1)
        await reply(update, render.registration_card(tr, reg), InlineKeyboardMarkup(rows))
        return
    text, markup = await _new_page(context, 0)
    await reply(update, text, markup)


@staff_only
async def pendaftar_button(update: Update, context: BotContext) -> None:
    query, user, data = staff_press(update)
    deps, tr = context.deps, context.tr
    if page := callbacks.PdPage.parse(data):
        await turn_page(query, _new_page(context, page.page))
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
                render.registration_card(tr, fresh),
                InlineKeyboardMarkup(render.status_rows(tr, fresh, -1)),
            )
        return
    # The marked registration left the "new" list: the next one now has the same position.
    text, markup = await _new_page(context, offset)
    done = tr.gettext("✅ {reference} marked: {status}.").format(
        reference=reg.reference, status=html.escape(reglabels.status_label(tr, status))
    )
    await edit_quietly(query.message, f"{done}\n\n{text}", markup)


# ---- /statistik -------------------------------------------------------------------------------


def _week_start(context: BotContext) -> datetime:
    deps = context.deps
    local = deps.clock.now().astimezone(deps.settings.tz)
    monday = (local - timedelta(days=local.weekday())).date()
    return datetime(monday.year, monday.month, monday.day, tzinfo=deps.settings.tz)


@staff_only
async def statistik(update: Update, context: BotContext) -> None:
    """/statistik: the figures as a short message, the registrations as a bar chart."""
    deps, tr = context.deps, context.tr
    week = _week_start(context)
    month = deps.reminders.current_month()
    f = await deps.stats.figures(week, month)
    lines = render.figures_lines(tr, f, week, month, deps.clock.now())
    funnel = await deps.stats.funnel()  # issue 17: posters and QR codes
    if funnel:
        lines += ["", *funnel_lines(tr, funnel)]
    if f.registrations:
        lines += ["", tr.gettext("The chart below shows the registrations in detail.")]
    await reply(update, "\n".join(lines))
    if not f.registrations:
        return
    sections = render.chart_sections(tr, f, funnel)
    png = bar_chart(sections, number=lambda v: tr.number(v))
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
    await reply(update, *render.export_view(tr, total, deps.staff.is_admin(user.id)))


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
    caption = render.export_caption(tr, len(table.rows), now, full)
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


@staff_only
async def muatulang(update: Update, context: BotContext) -> None:
    """/muatulang: reload the knowledge base if it is valid; otherwise keep the old one."""
    deps, tr = context.deps, context.tr
    user = update.effective_user
    assert user is not None
    result = reload_knowledge(deps)
    if result.ok:
        text = render.reloaded_text(tr, result)
        await deps.staff.audit(user.id, "kb_reload", None, f"ok, changed={result.changed}")
        await reply(update, text)
        return
    problems = result.problems
    await deps.staff.audit(user.id, "kb_reload", None, f"refused, {len(problems)} problems")
    await reply(update, render.refused_text(tr, problems))


def register(app: SakporeApp) -> None:
    app.add_handler(CommandHandler(Cmd.REGISTRANTS, pendaftar))
    app.add_handler(CommandHandler(Cmd.STATISTICS, statistik))
    app.add_handler(CommandHandler(Cmd.EXPORT, ekspor))
    app.add_handler(CommandHandler(Cmd.RELOAD, muatulang))
    app.add_handler(CallbackQueryHandler(pendaftar_button, pattern=callbacks.family("pd")))
    app.add_handler(CallbackQueryHandler(ekspor_button, pattern=callbacks.family("ex")))
