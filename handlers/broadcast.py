"""/siaran (compose, preview, audience, send now / schedule / cancel) and /siaran_daftar.

The dialogue (BROADCAST, bot/dialogs.py) lives in SQLite, so a restart in the middle loses
nothing.
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
    BROADCAST,
    QUIET_END,
    QUIET_START,
    STATUS_LABELS,
    Audience,
    BroadcastDraft,
    Content,
    audience_label,
    in_quiet_hours,
    quiet_hours_end,
    send_content,
    send_duration,
    too_long,
)
from bot.commands import Cmd
from bot.context import BotContext, SakporeApp
from bot.dialogs import Dialog
from bot.i18n import N_, Translator
from bot.naturaltime import parse_natural
from bot.sender import Outcome
from handlers import fallback
from handlers.dialogs import Flow
from handlers.staff import staff_only
from handlers.ui import answer_quietly, edit_quietly, reply

logger = logging.getLogger(__name__)


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
    await context.deps.dialogs.start(user.id, BROADCAST, BroadcastDraft())
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


Draft = Dialog[BroadcastDraft]


async def broadcast_dialog(update: Update, context: BotContext, dialog: Draft) -> bool:
    """A staff member's message while composing: the content, or the typed date and time."""
    message, user = update.message, update.effective_user
    assert message is not None and user is not None
    tr, deps = context.tr, context.deps
    if dialog.step == "when" and message.text:
        when = parse_when(message.text, deps.settings.tz)
        if when is not None:
            await _schedule(update, context, dialog, when)
            return True
        natural = parse_natural(message.text, deps.clock.now(), deps.settings.tz)
        if natural is None:
            await reply(
                update,
                tr.gettext(
                    "I could not read that date. Please type it like <code>25-12-2026 07.00</code>"
                    " (day-month-year hour.minute, WIB), or like <code>besok jam 8</code>, "
                    "<code>Jumat 09.00</code>, <code>nanti jam 4 sore</code>."
                ),
                InlineKeyboardMarkup([_cancel_button(tr)]),
            )
            return True
        # Read from words: shown back, scheduled only when confirmed.
        dialog.state.times.append(natural.isoformat())
        await deps.dialogs.save(dialog)
        index = len(dialog.state.times) - 1
        await reply(
            update,
            tr.gettext("🗓 I read that as <b>{when}</b>. Schedule it for then?").format(
                when=tr.datetime(natural)
            ),
            InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(
                            tr.gettext("✅ Yes, schedule it"),
                            callback_data=callbacks.BcAt(index).pack(),
                        )
                    ],
                    _cancel_button(tr),
                ]
            ),
        )
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
    dialog.state = BroadcastDraft(
        content={
            "kind": content.kind,
            "body_html": content.body_html,
            "file_id": content.file_id,
            "excerpt": content.excerpt,
        }
    )
    await deps.dialogs.move(dialog, "audience")
    await _ask_audience(update, context)
    return True


async def _ask_audience(update: Update, context: BotContext, edit: bool = False) -> None:
    tr = context.tr
    rows = [
        [
            InlineKeyboardButton(
                tr.gettext(a.label), callback_data=callbacks.BcAudience(a.name).pack()
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


async def _confirm(update: Update, context: BotContext, dialog: Draft) -> None:
    """Show the audience and its count, then Send now / Schedule / Cancel."""
    deps, tr = context.deps, context.tr
    assert update.callback_query is not None and dialog.state.audience is not None
    name, arg = dialog.state.audience, dialog.state.arg
    count = await deps.broadcaster.repo.audience_count(name, arg)
    await deps.dialogs.move(dialog, "confirm")
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
        text += "\n" + _duration_line(context, count)
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


def _duration_line(context: BotContext, count: int) -> str:
    """The estimate from the audience and BROADCAST_MAX_PER_SECOND (issue 17)."""
    rate = context.deps.settings.broadcast_max_per_second
    return context.tr.gettext("Sending takes about {duration}.").format(
        duration=context.tr.duration(send_duration(count, rate))
    )


def _quiet_hours_text(tr: Translator) -> str:
    start = tr.time(QUIET_START).rsplit(" ", 1)[0]  # "21.00–06.00 WIB"
    return f"{start}–{tr.time(QUIET_END)}"


async def _ask_sure(update: Update, context: BotContext, dialog: Draft) -> None:
    """After "Send now": the audience counted again and a second, explicit tap; in quiet
    hours no send at all (an admin may override with its own button)."""
    deps, tr = context.deps, context.tr
    user, query = update.effective_user, update.callback_query
    assert user is not None and query is not None and dialog.state.audience is not None
    name, arg = dialog.state.audience, dialog.state.arg
    count = await deps.broadcaster.repo.audience_count(name, arg)
    if count == 0:
        await _confirm(update, context, dialog)
        return
    await deps.dialogs.move(dialog, "sure")
    now = deps.clock.now()
    label = html.escape(audience_label(deps.i18n, tr, name, arg))
    back = [
        InlineKeyboardButton(
            tr.gettext("👥 Change recipients"), callback_data=callbacks.BC_BACK.pack()
        )
    ]
    if in_quiet_hours(now, deps.settings.tz):
        text = tr.gettext(
            "🌙 It is {time} now, in the quiet hours ({hours}): announcements do not start at "
            "night. Please schedule it for the morning."
        ).format(time=tr.time(now), hours=_quiet_hours_text(tr))
        rows = [
            [
                InlineKeyboardButton(
                    tr.gettext("🗓 Schedule"), callback_data=callbacks.BC_SCHEDULE.pack()
                )
            ]
        ]
        if deps.staff.is_admin(user.id):
            rows.append(
                [
                    InlineKeyboardButton(
                        tr.gettext("🌙 Send now anyway (admin)"),
                        callback_data=callbacks.BC_NIGHT.pack(),
                    )
                ]
            )
    else:
        text = tr.ngettext(
            "📤 Send it now to <b>{count}</b> person?\nRecipients: {audience}.",
            "📤 Send it now to <b>{count}</b> people?\nRecipients: {audience}.",
            count,
        ).format(count=tr.number(count), audience=label)
        text += "\n" + _duration_line(context, count) + "\n"
        text += tr.gettext("Once it has started it can be stopped, not taken back.")
        yes = tr.ngettext(
            "✅ Yes, send to {count} person", "✅ Yes, send to {count} people", count
        ).format(count=tr.number(count))
        rows = [[InlineKeyboardButton(yes, callback_data=callbacks.BC_SURE.pack())]]
    rows += [back, _cancel_button(tr)]
    await edit_quietly(query.message, text, InlineKeyboardMarkup(rows))


async def _send_now(update: Update, context: BotContext, dialog: Draft) -> None:
    deps, tr = context.deps, context.tr
    user = update.effective_user
    state = dialog.state
    assert user is not None and update.callback_query is not None and state.audience is not None
    await deps.dialogs.end(dialog)
    number = await deps.broadcaster.create(user.id, state.the_content(), state.audience, state.arg)
    detail = _audit_detail(state)
    if in_quiet_hours(deps.clock.now(), deps.settings.tz):
        detail += " (quiet hours, admin override)"
    await deps.staff.audit(user.id, "broadcast_send", number, detail)
    await edit_quietly(
        update.callback_query.message,
        tr.gettext("📤 Broadcast #{number} starts in a moment. Its progress appears below.").format(
            number=number
        ),
    )
    kick(context)


async def _ask_when(update: Update, context: BotContext, dialog: Draft) -> None:
    deps, tr = context.deps, context.tr
    assert update.callback_query is not None
    local_now = deps.clock.now().astimezone(deps.settings.tz)
    tomorrow = (local_now + timedelta(days=1)).date()
    times = [
        datetime(tomorrow.year, tomorrow.month, tomorrow.day, h, m, tzinfo=deps.settings.tz)
        for h, m in QUICK_TIMES
    ]
    dialog.state.times = [t.isoformat() for t in times]
    await deps.dialogs.move(dialog, "when")
    buttons = [
        [InlineKeyboardButton(tr.datetime(t), callback_data=callbacks.BcAt(i).pack())]
        for i, t in enumerate(times)
    ]
    buttons.append(_cancel_button(tr))
    await edit_quietly(
        update.callback_query.message,
        tr.gettext(
            "🗓 When should it go out? Type the date and time (WIB), for example "
            "<code>25-12-2026 07.00</code> or <code>besok jam 8</code>, or choose:"
        ),
        InlineKeyboardMarkup(buttons),
    )


async def _schedule(update: Update, context: BotContext, dialog: Draft, when: datetime) -> None:
    deps, tr = context.deps, context.tr
    user = update.effective_user
    state = dialog.state
    assert user is not None and state.audience is not None
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
    if in_quiet_hours(when, deps.settings.tz):
        moved = quiet_hours_end(when, deps.settings.tz)
        state.times.append(moved.isoformat())
        await deps.dialogs.save(dialog)
        move = tr.gettext("🗓 Move it to {when}").format(when=tr.datetime(moved))
        await reply(
            update,
            tr.gettext(
                "🌙 {when} is in the quiet hours ({hours}): announcements do not start at "
                "night. Move it to the morning, or type another time."
            ).format(when=tr.datetime(when), hours=_quiet_hours_text(tr)),
            InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(
                            move, callback_data=callbacks.BcAt(len(state.times) - 1).pack()
                        )
                    ],
                    _cancel_button(tr),
                ]
            ),
        )
        return
    await deps.dialogs.end(dialog)
    number = await deps.broadcaster.create(
        user.id, state.the_content(), state.audience, state.arg, when
    )
    await deps.staff.audit(
        user.id, "broadcast_schedule", number, f"{_audit_detail(state)} at {when.isoformat()}"
    )
    label = html.escape(audience_label(deps.i18n, tr, state.audience, state.arg))
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


def _audit_detail(state: BroadcastDraft) -> str:
    content = state.the_content()
    audience = (state.audience or "") + (f"={state.arg}" if state.arg else "")
    return f"{content.kind} to {audience}: {content.excerpt[:80]}"


# ---- buttons ---------------------------------------------------------------------------------


# Routed by bot/callbacks.py's formats: data none of them parses (a forged "bc:keepXYZ", an
# old format) reaches no handler here, and handlers/fallback.py calls it a stale button.
DIALOG_BUTTONS = callbacks.any_of(
    callbacks.BC_CANCEL,
    callbacks.BC_BACK,
    callbacks.BcAudience,
    callbacks.BcOption,
    callbacks.BC_NOW,
    callbacks.BC_SURE,
    callbacks.BC_NIGHT,
    callbacks.BC_SCHEDULE,
    callbacks.BcAt,
)
STOP_BUTTONS = callbacks.any_of(callbacks.BcStop, callbacks.BcStopConfirm, callbacks.BC_KEEP)


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
    dialog = await deps.dialogs.get(user.id, BROADCAST)
    if dialog is None:
        await fallback.stale_button(update, context)
        return
    state, step = dialog.state, dialog.step
    if callbacks.BC_CANCEL.parse(data):
        await answer_quietly(query)
        await deps.dialogs.end(dialog)
        await edit_quietly(query.message, tr.gettext("Cancelled. Nothing was sent."))
        return
    if step == "content":
        await fallback.stale_button(update, context)
        return
    await answer_quietly(query)
    if callbacks.BC_BACK.parse(data):
        await deps.dialogs.move(dialog, "audience")
        await _ask_audience(update, context, edit=True)
    elif (audience := callbacks.BcAudience.parse(data)) and (audience.name in AUDIENCES_BY_NAME):
        await _audience_chosen(update, context, dialog, audience.name)
    elif (option := callbacks.BcOption.parse(data)) and step == "option":
        if option.index < len(state.options):
            chosen = state.options[option.index]
            kind = AUDIENCES_BY_NAME[state.audience or ""]
            if kind.two_choices and state.arg is None:
                state.arg = chosen  # the first filter; the second choice follows
                await _ask_option(update, context, dialog, kind)
            else:
                state.arg = chosen if state.arg is None else f"{state.arg}/{chosen}"
                await _confirm(update, context, dialog)
    elif callbacks.BC_NOW.parse(data) and step == "confirm":
        await _ask_sure(update, context, dialog)
    elif callbacks.BC_SURE.parse(data) and step == "sure":
        if in_quiet_hours(deps.clock.now(), deps.settings.tz):
            await _ask_sure(update, context, dialog)  # quiet hours began meanwhile
        else:
            await _send_now(update, context, dialog)
    elif callbacks.BC_NIGHT.parse(data) and step == "sure":
        if deps.staff.is_admin(user.id):
            await _send_now(update, context, dialog)
        else:
            await reply(update, tr.gettext("Only an admin can send in the quiet hours."))
    elif callbacks.BC_SCHEDULE.parse(data) and step in ("confirm", "sure"):
        await _ask_when(update, context, dialog)
    elif (at := callbacks.BcAt.parse(data)) and step == "when" and at.index < len(state.times):
        await _schedule(update, context, dialog, datetime.fromisoformat(state.times[at.index]))


async def _audience_chosen(update: Update, context: BotContext, dialog: Draft, name: str) -> None:
    audience = AUDIENCES_BY_NAME[name]
    dialog.state.audience = name
    dialog.state.arg = None
    if not audience.has_options:
        await _confirm(update, context, dialog)
        return
    await _ask_option(update, context, dialog, audience)


async def _ask_option(
    update: Update, context: BotContext, dialog: Draft, audience: Audience
) -> None:
    """The audience's choices as buttons; for two filters, the second one given the first
    (`dialog.state.arg`)."""
    deps, tr = context.deps, context.tr
    assert update.callback_query is not None
    first = dialog.state.arg
    options = (await deps.broadcaster.repo.audience_options(audience.name, first))[:30]
    dialog.state.options = options
    await deps.dialogs.move(dialog, "option")
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
    if first is not None:  # the second choice: show only its own part
        label = AUDIENCES_BY_NAME["occupation"].option_label  # the only two-filter audience
    rows = [
        [
            InlineKeyboardButton(
                (label(deps.i18n, value) if label else value)[:60],
                callback_data=callbacks.BcOption(i).pack(),
            )
        ]
        for i, value in enumerate(options)
    ]
    rows += [[back], _cancel_button(tr)]
    heading = html.escape(tr.gettext(audience.label))
    if first is not None:
        heading = html.escape(audience_label(deps.i18n, tr, audience.name, first))
    await edit_quietly(
        update.callback_query.message,
        tr.gettext("<b>{audience}</b>: choose one.").format(audience=heading),
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
                        callback_data=callbacks.BcStop(b.id).pack(),
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
    to_stop = callbacks.BcStop.parse(data)
    parsed = to_stop or callbacks.BcStopConfirm.parse(data)
    if parsed is None:
        return
    number = parsed.broadcast_id
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
                        callback_data=callbacks.BcStopConfirm(number).pack(),
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


async def ask_again(update: Update, context: BotContext, dialog: Draft, note: str | None) -> None:
    """Where the composition stands, after another command."""
    tr = context.tr
    if dialog.step == "content":
        text = tr.gettext(
            "Send me the message to broadcast: text, or a photo or a document with a caption."
        )
    else:
        text = tr.gettext("Choose with the buttons above, or send me another message to broadcast.")
    await reply(
        update, f"{note}\n\n{text}" if note else text, InlineKeyboardMarkup([_cancel_button(tr)])
    )


FLOW = Flow(BROADCAST, ask_again, broadcast_dialog, siaran, N_("Nothing was sent."))


def register(app: SakporeApp) -> None:
    app.add_handler(CommandHandler(Cmd.BROADCAST, siaran))
    app.add_handler(CommandHandler(Cmd.BROADCASTS, siaran_daftar))
    app.add_handler(CallbackQueryHandler(button, pattern=DIALOG_BUTTONS))
    app.add_handler(CallbackQueryHandler(stop_button, pattern=STOP_BUTTONS))
