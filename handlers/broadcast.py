"""/siaran (compose, preview, audience, send now / schedule / cancel) and /siaran_daftar.

The dialogue's step lives in SQLite (staff_dialogs), so a restart in the middle loses nothing.
Every button is re-checked with staff_only when pressed. Delivery is bot/broadcast.py's job.
"""

from __future__ import annotations

import html
import logging
import re
from datetime import datetime, timedelta
from typing import Any, cast

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import callbacks
from bot.broadcast import (
    AUDIENCES,
    AUDIENCES_BY_NAME,
    STATUS_LABELS,
    Content,
    audience_label,
    send_content,
    too_long,
)
from bot.context import BotContext, SakporeApp
from bot.i18n import Translator
from bot.sender import Outcome
from bot.store.staff import Dialog
from handlers import fallback, staff
from handlers.staff import staff_only
from handlers.ui import answer_quietly, edit_quietly, reply

logger = logging.getLogger(__name__)


KIND = "broadcast"
_WHEN_RE = re.compile(
    r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})\s*(?:,|pukul|jam|at)?\s*(\d{1,2})[.:](\d{2})"
    r"\s*(?:wib)?\s*$",
    re.IGNORECASE | re.ASCII,  # ASCII digits only: int() accepts no other
)
QUICK_TIMES = ((7, 0), (12, 0), (19, 0))  # offered as buttons for tomorrow


def parse_when(text: str, tz: Any) -> datetime | None:
    """'25-12-2026 07.00' (also / or . between the date parts, : in the time) in local time."""
    match = _WHEN_RE.match(text)
    if match is None:
        return None
    day, month, year, hour, minute = (int(g) for g in match.groups())
    if year < 100:
        year += 2000
    try:
        return datetime(year, month, day, hour, minute, tzinfo=tz)
    except ValueError:
        return None


def _cancel_button(tr: Translator) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(tr.gettext("✖️ Cancel"), callback_data=callbacks.BC_CANCEL.pack())]


# ---- /siaran ---------------------------------------------------------------------------------


@staff_only
async def siaran(update: Update, context: BotContext) -> None:
    """Start composing a broadcast."""
    user = update.effective_user
    assert user is not None
    tr = context.tr
    await context.deps.staff.save_dialog(user.id, KIND, {"step": "content"})
    await reply(
        update,
        tr.gettext(
            "📣 <b>New announcement</b>\n"
            "Send me the message to broadcast: text (bold, italic and links are kept), or a "
            "photo or a document with a caption.\n"
            "I will show you a preview first; nothing is sent before you confirm."
        ),
        InlineKeyboardMarkup([_cancel_button(tr)]),
    )


def _content_of(message: Message) -> tuple[Content, str] | None:
    """The content of a staff member's message and its plain text, or None if unsupported."""
    if message.photo:
        caption = message.caption or ""
        body = message.caption_html if message.caption else ""
        return Content("photo", body, message.photo[-1].file_id, caption[:200]), caption
    if message.document is not None:
        caption = message.caption or ""
        body = message.caption_html if message.caption else ""
        excerpt = caption or message.document.file_name or ""
        return Content("document", body, message.document.file_id, excerpt[:200]), caption
    if message.text:
        return Content("text", message.text_html, None, message.text[:200]), message.text
    return None


async def broadcast_dialog(update: Update, context: BotContext, dialog: Dialog) -> bool:
    """A staff member's message while composing: the content, or the typed date and time."""
    message, user = update.message, update.effective_user
    assert message is not None and user is not None
    tr, deps = context.tr, context.deps
    state = dialog.state
    if state.get("step") == "when" and message.text:
        when = parse_when(message.text, deps.settings.tz)
        if when is None:
            await reply(
                update,
                tr.gettext(
                    "I could not read that date. Please type it like <code>25-12-2026 07.00</code>"
                    " (day-month-year hour.minute, WIB)."
                ),
                InlineKeyboardMarkup([_cancel_button(tr)]),
            )
            return True
        await _schedule(update, context, state, when)
        return True
    found = _content_of(message)
    if found is None:
        await reply(
            update,
            tr.gettext("Please send text, a photo or a document (with a caption if you like)."),
            InlineKeyboardMarkup([_cancel_button(tr)]),
        )
        return True
    content, plain = found
    excess = too_long(plain, content.kind, deps.i18n)
    if excess:
        await reply(
            update,
            tr.gettext(
                "That is {count} characters too long for Telegram (with the announcement line "
                "added at the end). Please shorten it and send it again."
            ).format(count=tr.number(excess)),
            InlineKeyboardMarkup([_cancel_button(tr)]),
        )
        return True
    result = await send_content(context.bot, user.id, content, tr)
    if result.outcome is not Outcome.SENT:
        await reply(
            update,
            tr.gettext(
                "Telegram did not accept this message ({error}). Please try another one."
            ).format(error=html.escape(result.error or result.outcome.value)),
        )
        return True
    state = {
        "step": "audience",
        "content": {
            "kind": content.kind,
            "body_html": content.body_html,
            "file_id": content.file_id,
            "excerpt": content.excerpt,
        },
    }
    await deps.staff.save_dialog(user.id, KIND, state)
    await _ask_audience(update, context)
    return True


async def _ask_audience(update: Update, context: BotContext, edit: bool = False) -> None:
    tr = context.tr
    rows = [
        [
            InlineKeyboardButton(
                tr.gettext(a.label), callback_data=callbacks.BC_AUDIENCE.pack(a.name)
            )
        ]
        for a in AUDIENCES
    ]
    rows.append(_cancel_button(tr))
    text = tr.gettext(
        "☝️ This is how the announcement will look. (Users who chose English see the last "
        "line in English.)\n\n<b>Who should receive it?</b>"
    )
    if edit and update.callback_query is not None:
        await edit_quietly(update.callback_query.message, text, InlineKeyboardMarkup(rows))
    else:
        await reply(update, text, InlineKeyboardMarkup(rows))


async def _confirm(update: Update, context: BotContext, state: dict[str, Any]) -> None:
    """Show the audience and its count, then Send now / Schedule / Cancel."""
    deps, tr = context.deps, context.tr
    user = update.effective_user
    assert user is not None and update.callback_query is not None
    name, arg = state["audience"], state.get("arg")
    count = await deps.broadcaster.repo.audience_count(name, arg)
    state["step"] = "confirm"
    await deps.staff.save_dialog(user.id, KIND, state)
    label = html.escape(audience_label(deps.i18n, tr, name, arg))
    back = InlineKeyboardButton(
        tr.gettext("👥 Change recipients"), callback_data=callbacks.BC_BACK.pack()
    )
    if count == 0:
        text = tr.gettext("<b>{audience}</b>: nobody in this group can receive it.").format(
            audience=label
        )
        markup = InlineKeyboardMarkup([[back], _cancel_button(tr)])
    else:
        text = tr.ngettext(
            "<b>{audience}</b>: {count} person will receive it.",
            "<b>{audience}</b>: {count} people will receive it.",
            count,
        ).format(audience=label, count=tr.number(count))
        markup = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        tr.gettext("📤 Send now"), callback_data=callbacks.BC_NOW.pack()
                    ),
                    InlineKeyboardButton(
                        tr.gettext("🗓 Schedule"), callback_data=callbacks.BC_SCHEDULE.pack()
                    ),
                ],
                [back],
                _cancel_button(tr),
            ]
        )
    await edit_quietly(update.callback_query.message, text, markup)


def _content(state: dict[str, Any]) -> Content:
    c = state["content"]
    return Content(c["kind"], c["body_html"], c["file_id"], c["excerpt"])


async def _send_now(update: Update, context: BotContext, state: dict[str, Any]) -> None:
    deps, tr = context.deps, context.tr
    user = update.effective_user
    assert user is not None and update.callback_query is not None
    await deps.staff.clear_dialog(user.id)
    number = await deps.broadcaster.create(
        user.id, _content(state), state["audience"], state.get("arg")
    )
    await deps.staff.audit(user.id, "broadcast_send", number, _audit_detail(state))
    await edit_quietly(
        update.callback_query.message,
        tr.gettext("📤 Broadcast #{number} starts in a moment. Its progress appears below.").format(
            number=number
        ),
    )
    kick(context)


async def _ask_when(update: Update, context: BotContext, state: dict[str, Any]) -> None:
    deps, tr = context.deps, context.tr
    user = update.effective_user
    assert user is not None and update.callback_query is not None
    local_now = deps.clock.now().astimezone(deps.settings.tz)
    tomorrow = (local_now + timedelta(days=1)).date()
    times = [
        datetime(tomorrow.year, tomorrow.month, tomorrow.day, h, m, tzinfo=deps.settings.tz)
        for h, m in QUICK_TIMES
    ]
    state["step"] = "when"
    state["times"] = [t.isoformat() for t in times]
    await deps.staff.save_dialog(user.id, KIND, state)
    buttons = [
        [InlineKeyboardButton(tr.datetime(t), callback_data=callbacks.BC_AT.pack(i))]
        for i, t in enumerate(times)
    ]
    buttons.append(_cancel_button(tr))
    await edit_quietly(
        update.callback_query.message,
        tr.gettext(
            "🗓 When should it go out? Type the date and time (WIB), for example "
            "<code>25-12-2026 07.00</code>, or choose:"
        ),
        InlineKeyboardMarkup(buttons),
    )


async def _schedule(
    update: Update, context: BotContext, state: dict[str, Any], when: datetime
) -> None:
    deps, tr = context.deps, context.tr
    user = update.effective_user
    assert user is not None
    if when <= deps.clock.now() + timedelta(minutes=1):
        await reply(
            update,
            tr.gettext("That time has already passed. Please choose a time in the future."),
            InlineKeyboardMarkup([_cancel_button(tr)]),
        )
        return
    if when > deps.clock.now() + timedelta(days=366):
        await reply(
            update,
            tr.gettext("That is more than a year away. Please choose an earlier date."),
            InlineKeyboardMarkup([_cancel_button(tr)]),
        )
        return
    await deps.staff.clear_dialog(user.id)
    number = await deps.broadcaster.create(
        user.id, _content(state), state["audience"], state.get("arg"), when
    )
    await deps.staff.audit(
        user.id, "broadcast_schedule", number, f"{_audit_detail(state)} at {when.isoformat()}"
    )
    label = html.escape(audience_label(deps.i18n, tr, state["audience"], state.get("arg")))
    await reply(
        update,
        tr.gettext(
            "🗓 Broadcast #{number} is scheduled for {when}, to: {audience}.\n"
            "Recipients are counted again when it starts. To cancel it: /siaran_daftar"
        ).format(number=number, when=tr.datetime(when), audience=label),
    )
    app = cast(SakporeApp, context.application)
    if app.job_queue is not None:
        app.job_queue.run_once(broadcast_job, when=when, name=f"broadcast-{number}")


def _audit_detail(state: dict[str, Any]) -> str:
    arg = state.get("arg")
    audience = state["audience"] + (f"={arg}" if arg else "")
    return f"{state['content']['kind']} to {audience}: {state['content']['excerpt'][:80]}"


# ---- buttons ---------------------------------------------------------------------------------


# Routed by bot/callbacks.py's formats: data none of them parses (a forged "bc:keepXYZ", an
# old format) reaches no handler here, and handlers/fallback.py calls it a stale button.
DIALOG_BUTTONS = callbacks.any_of(
    callbacks.BC_CANCEL,
    callbacks.BC_BACK,
    callbacks.BC_AUDIENCE,
    callbacks.BC_OPTION,
    callbacks.BC_NOW,
    callbacks.BC_SCHEDULE,
    callbacks.BC_AT,
)
STOP_BUTTONS = callbacks.any_of(callbacks.BC_STOP, callbacks.BC_STOP_CONFIRM, callbacks.BC_KEEP)


@staff_only
async def stop_button(update: Update, context: BotContext) -> None:
    """Stop a broadcast under way (STOP_BUTTONS); the staff check runs again on each press."""
    query = update.callback_query
    assert query is not None
    await _stop_button(update, context, query.data or "")


@staff_only
async def button(update: Update, context: BotContext) -> None:
    """The /siaran dialogue's buttons (DIALOG_BUTTONS); the staff check runs again on each
    press."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    data = query.data or ""
    deps, tr = context.deps, context.tr
    dialog = await deps.staff.dialog(user.id)
    if dialog is None or dialog.kind != KIND:
        await fallback.stale_button(update, context)
        return
    state = dialog.state
    step = state.get("step")
    if callbacks.BC_CANCEL.parse(data):
        await answer_quietly(query)
        await deps.staff.clear_dialog(user.id)
        await edit_quietly(query.message, tr.gettext("Cancelled. Nothing was sent."))
        return
    if step == "content":
        await fallback.stale_button(update, context)
        return
    await answer_quietly(query)
    if callbacks.BC_BACK.parse(data):
        state["step"] = "audience"
        await deps.staff.save_dialog(user.id, KIND, state)
        await _ask_audience(update, context, edit=True)
    elif (audience := callbacks.BC_AUDIENCE.parse(data)) and (
        audience.text(0) in AUDIENCES_BY_NAME
    ):
        await _audience_chosen(update, context, state, audience.text(0))
    elif (option := callbacks.BC_OPTION.parse(data)) and step == "option":
        options: list[str] = state.get("options", [])
        if option.num(0) < len(options):
            state["arg"] = options[option.num(0)]
            await _confirm(update, context, state)
    elif callbacks.BC_NOW.parse(data) and step == "confirm":
        await _send_now(update, context, state)
    elif callbacks.BC_SCHEDULE.parse(data) and step == "confirm":
        await _ask_when(update, context, state)
    elif (at := callbacks.BC_AT.parse(data)) and step == "when":
        times: list[str] = state.get("times", [])
        if at.num(0) < len(times):
            await _schedule(update, context, state, datetime.fromisoformat(times[at.num(0)]))


async def _audience_chosen(
    update: Update, context: BotContext, state: dict[str, Any], name: str
) -> None:
    deps, tr = context.deps, context.tr
    user = update.effective_user
    assert user is not None and update.callback_query is not None
    audience = AUDIENCES_BY_NAME[name]
    state["audience"] = name
    state["arg"] = None
    if not audience.has_options:
        await _confirm(update, context, state)
        return
    options = (await deps.broadcaster.repo.audience_options(name))[:30]
    state["step"] = "option"
    state["options"] = options
    await deps.staff.save_dialog(user.id, KIND, state)
    back = InlineKeyboardButton(
        tr.gettext("👥 Change recipients"), callback_data=callbacks.BC_BACK.pack()
    )
    if not options:
        await edit_quietly(
            update.callback_query.message,
            tr.gettext("There is nobody to choose from in this group yet."),
            InlineKeyboardMarkup([[back], _cancel_button(tr)]),
        )
        return
    label = audience.option_label
    rows = [
        [
            InlineKeyboardButton(
                (label(deps.i18n, value) if label else value)[:60],
                callback_data=callbacks.BC_OPTION.pack(i),
            )
        ]
        for i, value in enumerate(options)
    ]
    rows += [[back], _cancel_button(tr)]
    await edit_quietly(
        update.callback_query.message,
        tr.gettext("<b>{audience}</b>: choose one.").format(
            audience=html.escape(tr.gettext(audience.label))
        ),
        InlineKeyboardMarkup(rows),
    )


# ---- /siaran_daftar and stopping -------------------------------------------------------------


@staff_only
async def siaran_daftar(update: Update, context: BotContext) -> None:
    """The latest broadcasts with their status; scheduled or running ones can be stopped."""
    deps, tr = context.deps, context.tr
    broadcasts = await deps.broadcaster.repo.recent(10)
    if not broadcasts:
        await reply(update, tr.gettext("No broadcasts yet. Start one with /siaran."))
        return
    lines = [tr.gettext("<b>Latest broadcasts</b>")]
    buttons = []
    for b in broadcasts:
        counts = await deps.broadcaster.repo.counts(b.id) if b.status != "scheduled" else {}
        when = b.scheduled_at if b.status == "scheduled" else (b.started_at or b.scheduled_at)
        excerpt = html.escape(b.excerpt[:40] + ("…" if len(b.excerpt) > 40 else ""))
        line = tr.gettext("#{number} · {status} · {when}\n   {audience} · “{excerpt}”").format(
            number=b.id,
            status=tr.gettext(STATUS_LABELS[b.status]),
            when=tr.datetime(when),
            audience=html.escape(audience_label(deps.i18n, tr, b.audience, b.audience_arg)),
            excerpt=excerpt,
        )
        if b.status != "scheduled":
            line += "\n   " + tr.gettext("sent {sent} of {total}").format(
                sent=tr.number(counts.get("sent", 0)), total=tr.number(b.total)
            )
        lines.append(line)
        if b.status in ("scheduled", "running"):
            buttons.append(
                [
                    InlineKeyboardButton(
                        tr.gettext("⛔ Stop #{number}").format(number=b.id),
                        callback_data=callbacks.BC_STOP.pack(b.id),
                    )
                ]
            )
    await reply(update, "\n".join(lines), InlineKeyboardMarkup(buttons) if buttons else None)


async def _stop_button(update: Update, context: BotContext, data: str) -> None:
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    deps, tr = context.deps, context.tr
    await answer_quietly(query)
    if callbacks.BC_KEEP.parse(data):
        await reply(update, tr.gettext("OK, the broadcast goes on."))
        return
    to_stop = callbacks.BC_STOP.parse(data)
    parsed = to_stop or callbacks.BC_STOP_CONFIRM.parse(data)
    if parsed is None:
        return
    number = parsed.num(0)
    broadcast = await deps.broadcaster.repo.get(number)
    if broadcast is None or broadcast.status not in ("scheduled", "running"):
        await reply(
            update, tr.gettext("Broadcast #{number} has already ended.").format(number=number)
        )
        return
    if to_stop:
        markup = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        tr.gettext("Yes, stop it"),
                        callback_data=callbacks.BC_STOP_CONFIRM.pack(number),
                    ),
                    InlineKeyboardButton(tr.gettext("No"), callback_data=callbacks.BC_KEEP.pack()),
                ]
            ]
        )
        await reply(
            update,
            tr.gettext(
                "Stop broadcast #{number}? People who already received it keep it; nobody else "
                "will get it."
            ).format(number=number),
            markup,
        )
        return
    if await deps.broadcaster.cancel(context.bot, number, user.id):
        await deps.staff.audit(user.id, "broadcast_cancel", number)
        counts = await deps.broadcaster.repo.counts(number)
        await edit_quietly(
            query.message,
            tr.gettext("⛔ Broadcast #{number} is stopped. It had reached {sent} people.").format(
                number=number, sent=tr.number(counts.get("sent", 0))
            ),
        )
    else:
        await reply(
            update, tr.gettext("Broadcast #{number} has already ended.").format(number=number)
        )


# ---- the worker ------------------------------------------------------------------------------


def kick(context: BotContext) -> None:
    """Make sure the delivery engine runs now (when the application is running)."""
    app = context.application
    deps = context.deps
    if not app.running or deps.broadcaster.busy:
        return
    app.create_task(
        deps.broadcaster.run(app.bot, keep_going=lambda: app.running), name="broadcasts"
    )


async def broadcast_job(context: BotContext) -> None:
    """The repeating JobQueue job (and the one-off at a scheduled time): start the engine."""
    kick(context)


def register(app: SakporeApp) -> None:
    staff.DIALOGS[KIND] = broadcast_dialog
    app.add_handler(CommandHandler("siaran", siaran))
    app.add_handler(CommandHandler("siaran_daftar", siaran_daftar))
    app.add_handler(CallbackQueryHandler(button, pattern=DIALOG_BUTTONS))
    app.add_handler(CallbackQueryHandler(stop_button, pattern=STOP_BUTTONS))
