"""/pengingat and the reminder buttons: set, change, stop, example, paid, remind tomorrow."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import callbacks
from bot.commands import Cmd
from bot.context import BotContext, SakporeApp
from bot.dialogs import Dialog
from bot.reminders import (
    END_OF_MONTH,
    REMINDER_SETUP,
    MessageKind,
    PaidStatus,
    ReminderSetup,
    Rule,
    SnoozeStatus,
    parse_day,
    parse_month_key,
    parse_time,
    reminder_message,
)
from handlers import reminders_render as render
from handlers.dialogs import Flow
from handlers.reminders_render import (
    ask_day_text,
    ask_time_text,
    day_keyboard,
    manage_keyboard,
    status_text,
    time_keyboard,
)
from handlers.ui import answer_quietly, drop_buttons, main_menu, reply, show

logger = logging.getLogger(__name__)


BUTTONS = (callbacks.MENU_REMINDER, callbacks.REM_CHANGE)  # they start the set-up


# ---- opening the feature -------------------------------------------------------------------


async def _open(update: Update, context: BotContext) -> None:
    user = update.effective_user
    if user is None:
        return
    deps, tr = context.deps, context.tr
    reminder = await deps.reminders.get(user.id)
    if reminder is not None and reminder.active:
        await deps.dialogs.cancel(user.id, REMINDER_SETUP)
        await reply(update, status_text(tr, reminder), manage_keyboard(tr))
        return
    await deps.dialogs.start(user.id, REMINDER_SETUP, ReminderSetup())
    await reply(update, ask_day_text(tr), day_keyboard(tr))


async def pengingat(update: Update, context: BotContext) -> None:
    """/pengingat: show the reminder, or start setting one."""
    await _open(update, context)


async def menu_pengingat(update: Update, context: BotContext) -> None:
    """The 'Pengingat iuran' button (main menu, FAQ answers, end of registration)."""
    if update.callback_query is not None:
        await answer_quietly(update.callback_query)
    await _open(update, context)


# ---- the set-up steps ----------------------------------------------------------------------


async def _choose_day(
    update: Update, context: BotContext, dialog: Dialog[ReminderSetup], day: int
) -> None:
    """Ask the time; after a day button, in the pressed message (the press answered at once)."""
    dialog.state = ReminderSetup(day)
    await context.deps.dialogs.move(dialog, "time")
    await show(update, ask_time_text(context.tr, day), time_keyboard(context.tr))


async def _choose_time(
    update: Update, context: BotContext, dialog: Dialog[ReminderSetup], hour: int, minute: int
) -> None:
    tr, deps = context.tr, context.deps
    assert dialog.state.day is not None
    reminder = await deps.reminders.set_rule(dialog.user_id, Rule(dialog.state.day, hour, minute))
    await deps.dialogs.end(dialog)
    await show(update, render.done_text(tr, reminder), manage_keyboard(tr))


async def day_chosen(update: Update, context: BotContext) -> None:
    """A day button (rem:day:N, 0 = end of month)."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None or query.data is None:
        return
    parsed = callbacks.RemDay.parse(query.data)
    day = parsed.day if parsed else -1
    if not (day == END_OF_MONTH or 1 <= day <= 31):
        await answer_quietly(query, context.tr.gettext("This button no longer works."))
        return
    dialog = await context.deps.dialogs.resume(user.id, REMINDER_SETUP, ReminderSetup())
    if dialog is None:  # in another dialogue: this set-up is over
        await answer_quietly(query, context.tr.gettext("This button no longer works."))
        return
    if dialog.step == "time" and dialog.state.day == day:
        await answer_quietly(query)
        return  # a second tap on the same day
    await _choose_day(update, context, dialog, day)  # answers the press


async def time_chosen(update: Update, context: BotContext) -> None:
    """A time button (rem:time:HHMM)."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None or query.data is None:
        return
    tr = context.tr
    parsed = callbacks.RemTime.parse(query.data)
    hour, minute = divmod(parsed.hhmm, 100) if parsed else (99, 99)
    deps = context.deps
    dialog = await deps.dialogs.get(user.id, REMINDER_SETUP)
    if (
        dialog is None
        or dialog.step != "time"
        or dialog.state.day is None
        or hour > 23
        or minute > 59
    ):
        current = await deps.reminders.get(user.id)
        if current is not None and current.active and current.minute == hour * 60 + minute:
            await answer_quietly(query, tr.gettext("Already saved 👍"))
        else:
            await answer_quietly(query, tr.gettext("Please start again: /pengingat"))
        return
    await _choose_time(update, context, dialog, hour, minute)  # answers the press


async def answer_typed(update: Update, context: BotContext, dialog: Dialog[ReminderSetup]) -> bool:
    """A typed day ("5", "tgl 5", "akhir bulan") or time ("07.30", "jam 19"); False if neither."""
    text = update.message.text if update.message else None
    if not text:
        return False
    if dialog.step == "day":
        day = parse_day(text)
        if day is None:
            return False
        await _choose_day(update, context, dialog, day)
        return True
    parsed = parse_time(text)
    if parsed is None or dialog.state.day is None:
        return False
    await _choose_time(update, context, dialog, *parsed)
    return True


async def ask_again(
    update: Update, context: BotContext, dialog: Dialog[ReminderSetup], note: str | None
) -> None:
    """The current question of the set-up, `note` first."""
    tr = context.tr
    if dialog.step == "time" and dialog.state.day is not None:
        text, markup = ask_time_text(tr, dialog.state.day), time_keyboard(tr)
    else:
        text, markup = ask_day_text(tr), day_keyboard(tr)
    await reply(update, f"{note}\n\n{text}" if note else text, markup)


async def refuse(update: Update, context: BotContext, dialog: Dialog[ReminderSetup]) -> None:
    """Neither a day nor a time, nor a question the FAQ knows: say what is needed."""
    await reply(update, *render.refuse_view(context.tr, dialog.step))


FLOW = Flow(
    REMINDER_SETUP, ask_again, answer_typed, pengingat, refuse=refuse, start_buttons=BUTTONS
)


async def cancel(update: Update, context: BotContext) -> None:
    """✖️ Cancel during the set-up."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    cancelled = await context.deps.dialogs.cancel(user.id, REMINDER_SETUP)
    if cancelled:
        await show(update, context.tr.gettext("OK, cancelled."), main_menu(context.tr))
    else:
        await answer_quietly(query)


# ---- managing an existing reminder ---------------------------------------------------------


async def change(update: Update, context: BotContext) -> None:
    """✏️ Change: choose a new day and time."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    await answer_quietly(query)
    await context.deps.dialogs.start(user.id, REMINDER_SETUP, ReminderSetup())
    await reply(update, ask_day_text(context.tr), day_keyboard(context.tr))


async def stop(update: Update, context: BotContext) -> None:
    """🔕 Stop (on the reminder itself or under /pengingat)."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    tr = context.tr
    await context.deps.dialogs.cancel(user.id, REMINDER_SETUP)
    stopped = await context.deps.reminders.stop(user.id)
    if not stopped:
        await answer_quietly(query, tr.gettext("Reminders are already off."))
        return
    await answer_quietly(query)
    await drop_buttons(query)
    await reply(update, *render.stopped_view(tr))


async def example(update: Update, context: BotContext) -> None:
    """📨 Send an example now: the reminder as it will look (its buttons do nothing)."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    await answer_quietly(query)
    deps = context.deps
    text, markup = reminder_message(
        context.tr,
        user.first_name,
        deps.reminders.current_month(),
        deps.settings.contribution_monthly_idr,
        MessageKind.EXAMPLE,
    )
    await reply(update, text, markup)


async def demo_button(update: Update, context: BotContext) -> None:
    """A button on the example message."""
    if update.callback_query is not None:
        await answer_quietly(
            update.callback_query,
            context.tr.gettext("This is only an example. On your real reminder this button works."),
        )


async def _month_button(
    update: Update, context: BotContext
) -> tuple[CallbackQuery, int, str] | None:
    """The query, user id and month of a reminder button (rem:paid:2026-01); None if forged."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return None
    parsed = callbacks.RemPaid.parse(query.data) or callbacks.RemSnooze.parse(query.data)
    month = parsed.month if parsed else ""
    if not (month and parse_month_key(month)):
        await answer_quietly(query, context.tr.gettext("This button no longer works."))
        return None
    return query, user.id, month


async def paid(update: Update, context: BotContext) -> None:
    """✅ Already paid: no more reminders about that month."""
    button = await _month_button(update, context)
    if button is None:
        return
    query, user_id, month = button
    tr = context.tr
    result = await context.deps.reminders.mark_paid(user_id, month)
    if result.status is PaidStatus.ALREADY:
        await answer_quietly(query, tr.gettext("Already noted as paid. Thank you! 🙏"))
        return
    await answer_quietly(query)
    await drop_buttons(query)
    await reply(update, render.paid_text(tr, month, result.reminder))


async def snooze(update: Update, context: BotContext) -> None:
    """⏰ Remind me tomorrow: once more in 24 hours, at most 3 times a month."""
    button = await _month_button(update, context)
    if button is None:
        return
    query, user_id, month = button
    tr = context.tr
    result = await context.deps.reminders.snooze(user_id, month)
    reminder = result.reminder
    due = reminder.next_due if reminder is not None else None
    if result.status is SnoozeStatus.SNOOZED and due is not None:
        await answer_quietly(query)
        await drop_buttons(query)
        await reply(
            update,
            tr.gettext("👍 OK, I will remind you again tomorrow, {when}.").format(
                when=tr.datetime(due)
            ),
        )
    elif result.status is SnoozeStatus.ALREADY and due is not None:
        await answer_quietly(
            query, tr.gettext("I will remind you again on {when}.").format(when=tr.datetime(due))
        )
    elif result.status is SnoozeStatus.LIMIT:
        await answer_quietly(query)
        text = render.snooze_limit_text(tr, reminder)
        await reply(update, text)
    elif result.status is SnoozeStatus.PAID:
        await answer_quietly(query, tr.gettext("Already noted as paid. Thank you! 🙏"))
    elif result.status is SnoozeStatus.INACTIVE:
        await answer_quietly(query, tr.gettext("Reminders are off. Type /pengingat to set one."))
    else:
        await answer_quietly(query, tr.gettext("This reminder is out of date."))


def register(app: SakporeApp) -> None:
    app.add_handler(CommandHandler(Cmd.REMINDER, pengingat))
    app.add_handler(CallbackQueryHandler(menu_pengingat, pattern=callbacks.MENU_REMINDER.pattern))
    app.add_handler(CallbackQueryHandler(day_chosen, pattern=callbacks.RemDay.pattern))
    app.add_handler(CallbackQueryHandler(time_chosen, pattern=callbacks.RemTime.pattern))
    app.add_handler(CallbackQueryHandler(cancel, pattern=callbacks.REM_CANCEL.pattern))
    app.add_handler(CallbackQueryHandler(change, pattern=callbacks.REM_CHANGE.pattern))
    app.add_handler(CallbackQueryHandler(stop, pattern=callbacks.REM_STOP.pattern))
    app.add_handler(CallbackQueryHandler(example, pattern=callbacks.REM_EXAMPLE.pattern))
    app.add_handler(CallbackQueryHandler(demo_button, pattern=callbacks.REM_DEMO.pattern))
    app.add_handler(CallbackQueryHandler(paid, pattern=callbacks.RemPaid.pattern))
    app.add_handler(CallbackQueryHandler(snooze, pattern=callbacks.RemSnooze.pattern))
