"""Issue 17 follow-through: the outbox worker's job (status messages, the daily digest), the
digest's buttons in the staff group, and /libur (extra days the office is closed).

Callback data (pressed in the staff group, STAFF_CHAT_ID; handlers/common.py lets exactly these
through):
    dg:r:<id>    registration <id>: its card, with the status buttons, comes to the presser's
                 private chat (personal data never goes to the group)
    dg:h:<id>    hand-off thread <id>: the bot replies in the group to the thread's post, so
                 staff find it and answer it by replying to that post
"""

from __future__ import annotations

import html
import logging
from datetime import timedelta

from telegram import InlineKeyboardMarkup, ReplyParameters, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import callbacks
from bot.commands import Cmd
from bot.context import BotContext, SakporeApp
from bot.officehours import parse_date
from bot.sender import safe_send
from handlers.staff import staff_only
from handlers.staff_tools_render import registration_card, status_rows
from handlers.ui import answer_quietly, reply

logger = logging.getLogger(__name__)

LIST_DAYS = 120  # /libur lists the closed days this far ahead
MAX_NOTE = 100


async def run_outbox(context: BotContext) -> None:
    """The outbox worker: one run sends what is due (see bot/outbox.py)."""
    await context.deps.outbox.tick(context.bot)


async def digest_button(update: Update, context: BotContext) -> None:
    """A digest button: open a registration (privately) or point at a waiting question."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    deps, tr = context.deps, context.tr
    chat = deps.settings.staff_chat_id
    if not await deps.staff.is_staff(user.id):
        await answer_quietly(query)  # someone else in the group: nothing happens
        return
    if parsed := callbacks.DgReg.parse(query.data):
        reg = await deps.registrations.get(parsed.registration_id)
        if reg is None:
            await answer_quietly(query, tr.gettext("This registration no longer exists."))
            return
        result = await safe_send(
            context.bot,
            user.id,
            registration_card(tr, reg),
            reply_markup=InlineKeyboardMarkup(status_rows(tr, reg, -1)),
        )
        await answer_quietly(
            query,
            tr.gettext("{reference}: sent to your private chat with the bot.").format(
                reference=reg.reference
            )
            if result.ok
            else tr.gettext(
                "I cannot write to you privately: open a chat with the bot and press Start, "
                "then press this button again."
            ),
        )
        return
    thread = callbacks.DgHandoff.parse(query.data)
    if thread is None or chat is None:
        await answer_quietly(query)
        return
    post = await deps.digest.repo.handoff_post(thread.handoff_id, chat)
    if post is None:
        await answer_quietly(
            query, tr.gettext("#T{id} is not waiting any more.").format(id=thread.handoff_id)
        )
        return
    await answer_quietly(query)
    try:
        await context.bot.send_message(
            chat,
            tr.gettext(
                "⬆️ #T{id} is still waiting for an answer. To answer the person, reply to the "
                "post above (not to this message)."
            ).format(id=thread.handoff_id),
            parse_mode=ParseMode.HTML,
            reply_parameters=ReplyParameters(post, allow_sending_without_reply=True),
        )
    except TelegramError as exc:
        logger.warning("digest: could not point at #T%s: %s", thread.handoff_id, exc)


# ---- /libur -------------------------------------------------------------------------------------


def _libur_usage(context: BotContext) -> str:
    return context.tr.gettext(
        "Add a day: <code>/libur tambah 2026-12-24 Cuti bersama</code>\n"
        "Remove one you added: <code>/libur hapus 2026-12-24</code>"
    )


@staff_only
async def libur(update: Update, context: BotContext) -> None:
    """/libur: the closed days ahead; /libur tambah <date> <note>; /libur hapus <date>."""
    deps, tr = context.deps, context.tr
    user = update.effective_user
    assert user is not None
    args = context.args or []
    today = deps.clock.now().astimezone(deps.settings.tz).date()
    action = args[0].lower() if args else ""
    if action in ("tambah", "add", "hapus", "remove") and len(args) >= 2:
        day = parse_date(args[1])
        if day is None:
            await reply(
                update,
                tr.gettext("I cannot read the date “{text}”. Write it like 2026-12-24.").format(
                    text=html.escape(args[1][:20])
                )
                + "\n"
                + _libur_usage(context),
            )
            return
        label = tr.date(day)
        calendar_name = deps.closed_days.days.holiday(day, tr.locale)
        if action in ("tambah", "add"):
            if day < today:
                await reply(update, tr.gettext("{day} has passed already.").format(day=label))
                return
            note = " ".join(" ".join(args[2:]).split())[:MAX_NOTE] or tr.gettext("Office closed")
            await deps.closed_days.add(day, note, user.id)
            await deps.staff.audit(user.id, "closed_day_add", day.isoformat(), note)
            text = tr.gettext("✅ {day} is now a closed day: {note}.").format(
                day=label, note=html.escape(note)
            )
            if calendar_name:
                text += "\n" + tr.gettext("(It is a national holiday anyway: {name}.)").format(
                    name=html.escape(calendar_name)
                )
            await reply(update, text)
            return
        if await deps.closed_days.remove(day):
            await deps.staff.audit(user.id, "closed_day_remove", day.isoformat())
            text = tr.gettext("✅ {day} is no longer on the list of closed days.").format(day=label)
            if calendar_name:
                text += "\n" + tr.gettext(
                    "The office stays closed that day: it is a national holiday ({name})."
                ).format(name=html.escape(calendar_name))
        elif calendar_name:
            text = tr.gettext(
                "{day} is a national holiday or cuti bersama from the calendar ({name}); it "
                "cannot be removed."
            ).format(day=label, name=html.escape(calendar_name))
        else:
            text = tr.gettext("{day} was not on the list of closed days.").format(day=label)
        await reply(update, text)
        return
    if args:
        await reply(update, _libur_usage(context))
        return
    days = deps.closed_days.days.between(today, today + timedelta(days=LIST_DAYS), tr.locale)
    lines = [
        tr.gettext("📅 <b>Days the office is closed</b> (the next {count} days)").format(
            count=tr.number(LIST_DAYS)
        ),
        tr.gettext(
            "National holidays and cuti bersama come from the calendar; ✍️ marks days added "
            "by staff. On these days people who ask for a staff member are told when the "
            "office opens again, and there is no daily digest."
        ),
        "",
    ]
    lines += [
        f"• {tr.date(day)} · {html.escape(name)}{' ✍️' if added else ''}"
        for day, name, added in days
    ] or [tr.gettext("None.")]
    lines += ["", _libur_usage(context)]
    await reply(update, "\n".join(lines))


def register(app: SakporeApp) -> None:
    app.add_handler(CallbackQueryHandler(digest_button, pattern=callbacks.family("dg")))
    app.add_handler(CommandHandler(Cmd.HOLIDAYS, libur))


def start_jobs(app: SakporeApp) -> None:
    """A repeating run, and one as soon as the JobQueue starts (rows a crash left behind,
    messages and the digest that fell due while the bot was down)."""
    assert app.job_queue is not None
    interval = app.bot_data["deps"].settings.worker_interval_seconds
    app.job_queue.run_repeating(run_outbox, interval=interval, first=interval, name="outbox")
    app.job_queue.run_once(
        run_outbox, when=0, name="outbox-catch-up", job_kwargs={"misfire_grace_time": None}
    )
