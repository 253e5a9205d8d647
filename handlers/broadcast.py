"""/siaran (compose, preview, audience, send now / schedule / cancel) and /siaran_daftar.

The dialogue (BROADCAST, bot/dialogs.py) lives in SQLite, so a restart in the middle loses
nothing.
Every button is re-checked with staff_only when pressed. Delivery is bot/broadcast.py's job.
"""

from __future__ import annotations

import html
import logging
from datetime import datetime, timedelta
from typing import cast

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import callbacks
from bot.broadcast import (
    AUDIENCES_BY_NAME,
    BROADCAST,
    Audience,
    BroadcastDraft,
    audience_label,
    audit_detail,
    content_of,
    in_quiet_hours,
    parse_when,
    quick_times,
    quiet_hours_end,
    send_content,
    too_long,
)
from bot.commands import Cmd
from bot.context import BotContext, SakporeApp
from bot.dialogs import Dialog
from bot.i18n import N_
from bot.naturaltime import parse_natural
from bot.sender import Outcome
from handlers import broadcast_render as render
from handlers import fallback
from handlers.broadcast_render import cancel_markup
from handlers.dialogs import Flow
from handlers.staff import staff_only
from handlers.ui import answer_quietly, edit_quietly, reply, staff_press

logger = logging.getLogger(__name__)


# ---- /siaran ---------------------------------------------------------------------------------


@staff_only
async def siaran(update: Update, context: BotContext) -> None:
    """Start composing a broadcast."""
    user = update.effective_user
    assert user is not None
    tr = context.tr
    await context.deps.dialogs.start(user.id, BROADCAST, BroadcastDraft())
    await reply(update, render.compose_text(tr), cancel_markup(tr))


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
            await reply(update, render.unreadable_date_text(tr), cancel_markup(tr))
            return True
        # Read from words: shown back, scheduled only when confirmed.
        dialog.state.times.append(natural.isoformat())
        await deps.dialogs.save(dialog)
        index = len(dialog.state.times) - 1
        await reply(update, *render.read_as_view(tr, natural, index))
        return True
    found = content_of(message)
    if found is None:
        await reply(
            update,
            tr.gettext("Please send text, a photo or a document (with a caption if you like)."),
            cancel_markup(tr),
        )
        return True
    content, plain = found
    excess = too_long(plain, content.kind, deps.i18n)
    if excess:
        await reply(
            update,
            render.too_long_text(tr, excess),
            cancel_markup(tr),
        )
        return True
    result = await send_content(context.bot, user.id, content, tr)
    if result.outcome is not Outcome.SENT:
        await reply(update, render.not_accepted_text(tr, result.error or result.outcome.value))
        return True
    dialog.state = BroadcastDraft.of(content)
    await deps.dialogs.move(dialog, "audience")
    await _ask_audience(update, context)
    return True


async def _ask_audience(update: Update, context: BotContext, edit: bool = False) -> None:
    text, markup = render.audience_view(context.tr)
    if edit and update.callback_query is not None:
        await edit_quietly(update.callback_query.message, text, markup)
    else:
        await reply(update, text, markup)


async def _confirm(update: Update, context: BotContext, dialog: Draft) -> None:
    """Show the audience and its count, then Send now / Schedule / Cancel."""
    deps, tr = context.deps, context.tr
    assert update.callback_query is not None and dialog.state.audience is not None
    name, arg = dialog.state.audience, dialog.state.arg
    count = await deps.broadcaster.repo.audience_count(name, arg)
    await deps.dialogs.move(dialog, "confirm")
    label = html.escape(audience_label(deps.i18n, tr, name, arg))
    rate = deps.settings.broadcast_max_per_second
    text, markup = render.confirm_view(tr, label, count, rate)
    await edit_quietly(update.callback_query.message, text, markup)


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
    quiet = now if in_quiet_hours(now, deps.settings.tz) else None
    rate = deps.settings.broadcast_max_per_second
    view = render.sure_view(tr, label, count, rate, quiet, deps.staff.is_admin(user.id))
    await edit_quietly(query.message, *view)


async def _send_now(update: Update, context: BotContext, dialog: Draft) -> None:
    deps, tr = context.deps, context.tr
    user = update.effective_user
    state = dialog.state
    assert user is not None and update.callback_query is not None and state.audience is not None
    await deps.dialogs.end(dialog)
    number = await deps.broadcaster.create(user.id, state.the_content(), state.audience, state.arg)
    detail = audit_detail(state)
    if in_quiet_hours(deps.clock.now(), deps.settings.tz):
        detail += " (quiet hours, admin override)"
    await deps.staff.audit(user.id, "broadcast_send", number, detail)
    await edit_quietly(update.callback_query.message, render.starting_text(tr, number))
    kick(context)


async def _ask_when(update: Update, context: BotContext, dialog: Draft) -> None:
    deps, tr = context.deps, context.tr
    assert update.callback_query is not None
    times = quick_times(deps.clock.now(), deps.settings.tz)
    dialog.state.times = [t.isoformat() for t in times]
    await deps.dialogs.move(dialog, "when")
    await edit_quietly(update.callback_query.message, *render.when_view(tr, times))


async def _schedule(update: Update, context: BotContext, dialog: Draft, when: datetime) -> None:
    deps, tr = context.deps, context.tr
    user = update.effective_user
    state = dialog.state
    assert user is not None and state.audience is not None
    if when <= deps.clock.now() + timedelta(minutes=1):
        await reply(
            update,
            tr.gettext("That time has already passed. Please choose a time in the future."),
            cancel_markup(tr),
        )
        return
    if when > deps.clock.now() + timedelta(days=366):
        await reply(
            update,
            tr.gettext("That is more than a year away. Please choose an earlier date."),
            cancel_markup(tr),
        )
        return
    if in_quiet_hours(when, deps.settings.tz):
        moved = quiet_hours_end(when, deps.settings.tz)
        state.times.append(moved.isoformat())
        await deps.dialogs.save(dialog)
        index = len(state.times) - 1
        await reply(update, *render.quiet_move_view(tr, when, moved, index))
        return
    await deps.dialogs.end(dialog)
    number = await deps.broadcaster.create(
        user.id, state.the_content(), state.audience, state.arg, when
    )
    await deps.staff.audit(
        user.id, "broadcast_schedule", number, f"{audit_detail(state)} at {when.isoformat()}"
    )
    label = html.escape(audience_label(deps.i18n, tr, state.audience, state.arg))
    await reply(update, render.scheduled_text(tr, number, when, label))
    app = cast(SakporeApp, context.application)
    if app.job_queue is not None:
        app.job_queue.run_once(broadcast_job, when=when, name=f"broadcast-{number}")


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
    query, user, data = staff_press(update)
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
            kind = AUDIENCES_BY_NAME[state.audience or ""]
            if state.choose(state.options[option.index]):  # the first filter of two
                await _ask_option(update, context, dialog, kind)
            else:
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
    view = render.option_view(tr, deps.i18n, audience, first, options)
    await edit_quietly(update.callback_query.message, *view)


# ---- /siaran_daftar and stopping -------------------------------------------------------------


@staff_only
async def siaran_daftar(update: Update, context: BotContext) -> None:
    """The latest broadcasts with their status; scheduled or running ones can be stopped."""
    deps, tr = context.deps, context.tr
    broadcasts = await deps.broadcaster.repo.recent(10)
    if not broadcasts:
        await reply(update, tr.gettext("No broadcasts yet. Start one with /siaran."))
        return
    counts = {
        b.id: await deps.broadcaster.repo.counts(b.id)
        for b in broadcasts
        if b.status != "scheduled"
    }
    await reply(update, *render.broadcast_list(tr, deps.i18n, broadcasts, counts))


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
        await reply(update, *render.stop_confirm_view(tr, number))
        return
    if await deps.broadcaster.cancel(context.bot, number, user.id):
        await deps.staff.audit(user.id, "broadcast_cancel", number)
        counts = await deps.broadcaster.repo.counts(number)
        await edit_quietly(query.message, render.stopped_text(tr, number, counts.get("sent", 0)))
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
    text = render.ask_again_text(tr, dialog.step)
    await reply(update, f"{note}\n\n{text}" if note else text, cancel_markup(tr))


FLOW = Flow(BROADCAST, ask_again, broadcast_dialog, siaran, N_("Nothing was sent."))


def register(app: SakporeApp) -> None:
    app.add_handler(CommandHandler(Cmd.BROADCAST, siaran))
    app.add_handler(CommandHandler(Cmd.BROADCASTS, siaran_daftar))
    app.add_handler(CallbackQueryHandler(button, pattern=DIALOG_BUTTONS))
    app.add_handler(CallbackQueryHandler(stop_button, pattern=STOP_BUTTONS))
