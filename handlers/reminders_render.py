"""/pengingat's texts and keyboards: the day and time questions, the reminder's status and
its buttons, and what a button press is answered with. handlers/reminders.py handles the
commands and presses; bot/reminders.py decides (and writes the reminder message itself)."""

from __future__ import annotations

from datetime import time

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.i18n import Translator
from bot.reminders import (
    END_OF_MONTH,
    MAX_SNOOZES_PER_MONTH,
    day_label,
    month_label,
    rule_text,
    snooze_waiting,
)
from bot.store.reminders import Reminder
from handlers.ui import button

DAY_BUTTONS = (1, 5, 10, 15, 20, 25)
TIME_BUTTONS = ((7, 0), (12, 0), (19, 0))


def cancel_button(tr: Translator) -> InlineKeyboardButton:
    return button(tr.gettext("✖️ Cancel"), callbacks.REM_CANCEL.pack())


def day_keyboard(tr: Translator) -> InlineKeyboardMarkup:
    def day_button(day: int) -> InlineKeyboardButton:
        return button(day_label(tr, day), callbacks.RemDay(day).pack())

    return InlineKeyboardMarkup(
        [
            [day_button(d) for d in DAY_BUTTONS[:4]],
            [*(day_button(d) for d in DAY_BUTTONS[4:]), day_button(END_OF_MONTH)],
            [cancel_button(tr)],
        ]
    )


def time_keyboard(tr: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                button(tr.time(time(hour, minute)), callbacks.RemTime(hour * 100 + minute).pack())
                for hour, minute in TIME_BUTTONS
            ],
            [cancel_button(tr)],
        ]
    )


def manage_keyboard(tr: Translator) -> InlineKeyboardMarkup:
    _ = tr.gettext
    return InlineKeyboardMarkup(
        [
            [button(_("📨 Send an example now"), callbacks.REM_EXAMPLE.pack())],
            [
                button(_("✏️ Change"), callbacks.REM_CHANGE.pack()),
                button(_("🔕 Stop"), callbacks.REM_STOP.pack()),
            ],
        ]
    )


def next_line(tr: Translator, reminder: Reminder | None) -> str:
    if reminder is None or not reminder.active or reminder.next_due is None:
        return ""
    if snooze_waiting(reminder):
        return "\n" + tr.gettext(
            'Your "remind me tomorrow" is kept: {when}. After that, the new day applies.'
        ).format(when=tr.datetime(reminder.next_due))
    return "\n" + tr.gettext("Next reminder: {when}.").format(when=tr.datetime(reminder.next_due))


def ask_day_text(tr: Translator) -> str:
    return tr.gettext(
        "📅 On which day of the month shall I remind you to pay the contribution?\n"
        "Choose below, or type a number from 1 to 31."
    )


def ask_time_text(tr: Translator, day: int) -> str:
    """The time question; its first line keeps the chosen day visible (after a day button the
    day question itself turns into this one)."""
    when = (
        tr.gettext("On the last day of the month.")
        if day == END_OF_MONTH
        else tr.gettext("On day {day} of the month.").format(day=day)
    )
    return (
        "✅ "
        + when
        + "\n\n"
        + tr.gettext(
            "⏰ At what time? Choose below, or type the time, for example 08.30 "
            "(24-hour clock, {zone})."
        ).format(zone=tr.tz_label())
    )


def status_text(tr: Translator, reminder: Reminder) -> str:
    return tr.gettext("⏰ <b>Your payment reminder</b>\nI remind you {rule}.").format(
        rule=rule_text(tr, reminder.day, reminder.minute)
    ) + next_line(tr, reminder)


def done_text(tr: Translator, reminder: Reminder) -> str:
    """The set-up is done: the rule and the next reminder."""
    return tr.gettext("✅ Done! I will remind you {rule}.").format(
        rule=rule_text(tr, reminder.day, reminder.minute)
    ) + next_line(tr, reminder)


def refuse_view(tr: Translator, step: str) -> tuple[str, InlineKeyboardMarkup]:
    """Neither a day nor a time: say what is needed, with the step's buttons again."""
    if step == "day":
        return (
            tr.gettext("Sorry, please type a day from 1 to 31, or choose a button."),
            day_keyboard(tr),
        )
    return (
        tr.gettext(
            "Sorry, please type a time such as 07.00 or 19.30 (24-hour clock), or choose a button."
        ),
        time_keyboard(tr),
    )


def stopped_view(tr: Translator) -> tuple[str, InlineKeyboardMarkup]:
    """Reminders stopped, with a button to set them again."""
    again = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    tr.gettext("⏰ Set a reminder"), callback_data=callbacks.MENU_REMINDER.pack()
                )
            ]
        ]
    )
    text = tr.gettext(
        "🔕 OK, I have stopped your payment reminders. You can set them again at any time "
        "with /pengingat."
    )
    return text, again


def paid_text(tr: Translator, month: str, reminder: Reminder | None) -> str:
    return tr.gettext(
        "🙏 Thank you! I have noted that you paid for {month}: no more reminders for that month."
    ).format(month=month_label(tr, month)) + next_line(tr, reminder)


def snooze_limit_text(tr: Translator, reminder: Reminder | None) -> str:
    """The most "remind me tomorrow"s a month (MAX_SNOOZES_PER_MONTH) were asked already."""
    return tr.ngettext(
        "You have already asked me {n} time this month to remind you later, which is the "
        "most I can do.",
        "You have already asked me {n} times this month to remind you later, which is the "
        "most I can do.",
        MAX_SNOOZES_PER_MONTH,
    ).format(n=MAX_SNOOZES_PER_MONTH) + next_line(tr, reminder)
