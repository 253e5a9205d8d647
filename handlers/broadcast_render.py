"""/siaran's texts and keyboards: the composition's questions, the audience and its count,
"send now?" (quiet hours), the schedule, /siaran_daftar and stopping. handlers/broadcast.py
handles the commands and presses; bot/broadcast.py decides. No decisions here: this draws."""

from __future__ import annotations

import html
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.broadcast import (
    AUDIENCES,
    AUDIENCES_BY_NAME,
    QUIET_END,
    QUIET_START,
    STATUS_LABELS,
    Audience,
    audience_label,
    send_duration,
)
from bot.i18n import I18n, Translator
from bot.store.broadcasts import Broadcast

View = tuple[str, InlineKeyboardMarkup]


def cancel_button(tr: Translator) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(tr.gettext("✖️ Cancel"), callback_data=callbacks.BC_CANCEL.pack())]


def cancel_markup(tr: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([cancel_button(tr)])


def _back_button(tr: Translator) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        tr.gettext("👥 Change recipients"), callback_data=callbacks.BC_BACK.pack()
    )


def compose_text(tr: Translator) -> str:
    """/siaran's first question."""
    return tr.gettext(
        "📣 <b>New announcement</b>\n"
        "Send me the message to broadcast: text (bold, italic and links are kept), or a "
        "photo or a document with a caption.\n"
        "I will show you a preview first; nothing is sent before you confirm."
    )


def unreadable_date_text(tr: Translator) -> str:
    return tr.gettext(
        "I could not read that date. Please type it like <code>25-12-2026 07.00</code>"
        " (day-month-year hour.minute, WIB), or like <code>besok jam 8</code>, "
        "<code>Jumat 09.00</code>, <code>nanti jam 4 sore</code>."
    )


def read_as_view(tr: Translator, natural: datetime, index: int) -> View:
    """A time read from words, shown back: scheduled only when confirmed."""
    return (
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
                cancel_button(tr),
            ]
        ),
    )


def too_long_text(tr: Translator, excess: int) -> str:
    return tr.gettext(
        "That is {count} characters too long for Telegram (with the announcement line "
        "added at the end). Please shorten it and send it again."
    ).format(count=tr.number(excess))


def not_accepted_text(tr: Translator, error: str) -> str:
    """The test send to the staff member failed (`error`: Telegram's words)."""
    return tr.gettext(
        "Telegram did not accept this message ({error}). Please try another one."
    ).format(error=html.escape(error))


def audience_view(tr: Translator) -> View:
    """Who should receive it: one button per audience."""
    rows = [
        [
            InlineKeyboardButton(
                tr.gettext(a.label), callback_data=callbacks.BcAudience(a.name).pack()
            )
        ]
        for a in AUDIENCES
    ]
    rows.append(cancel_button(tr))
    text = tr.gettext(
        "☝️ This is how the announcement will look. (Users who chose English see the last "
        "line in English.)\n\n<b>Who should receive it?</b>"
    )
    return text, InlineKeyboardMarkup(rows)


def duration_line(tr: Translator, count: int, rate: float) -> str:
    """The estimate from the audience and BROADCAST_MAX_PER_SECOND (issue 17)."""
    return tr.gettext("Sending takes about {duration}.").format(
        duration=tr.duration(send_duration(count, rate))
    )


def quiet_hours_text(tr: Translator) -> str:
    start = tr.time(QUIET_START).rsplit(" ", 1)[0]  # "21.00–06.00 WIB"
    return f"{start}–{tr.time(QUIET_END)}"


def confirm_view(tr: Translator, label: str, count: int, rate: float) -> View:
    """The audience (`label`, escaped) and its count, then Send now / Schedule / Cancel."""
    back = _back_button(tr)
    if count == 0:
        text = tr.gettext("<b>{audience}</b>: nobody in this group can receive it.").format(
            audience=label
        )
        return text, InlineKeyboardMarkup([[back], cancel_button(tr)])
    text = tr.ngettext(
        "<b>{audience}</b>: {count} person will receive it.",
        "<b>{audience}</b>: {count} people will receive it.",
        count,
    ).format(audience=label, count=tr.number(count))
    text += "\n" + duration_line(tr, count, rate)
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
            cancel_button(tr),
        ]
    )
    return text, markup


def sure_view(
    tr: Translator,
    label: str,
    count: int,
    rate: float,
    quiet_now: datetime | None,
    is_admin: bool,
) -> View:
    """After "Send now": a second, explicit tap; in quiet hours (`quiet_now`, the time now)
    Schedule only, with an admin's override button."""
    back = [_back_button(tr)]
    if quiet_now is not None:
        text = tr.gettext(
            "🌙 It is {time} now, in the quiet hours ({hours}): announcements do not start at "
            "night. Please schedule it for the morning."
        ).format(time=tr.time(quiet_now), hours=quiet_hours_text(tr))
        rows = [
            [
                InlineKeyboardButton(
                    tr.gettext("🗓 Schedule"), callback_data=callbacks.BC_SCHEDULE.pack()
                )
            ]
        ]
        if is_admin:
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
        text += "\n" + duration_line(tr, count, rate) + "\n"
        text += tr.gettext("Once it has started it can be stopped, not taken back.")
        yes = tr.ngettext(
            "✅ Yes, send to {count} person", "✅ Yes, send to {count} people", count
        ).format(count=tr.number(count))
        rows = [[InlineKeyboardButton(yes, callback_data=callbacks.BC_SURE.pack())]]
    rows += [back, cancel_button(tr)]
    return text, InlineKeyboardMarkup(rows)


def starting_text(tr: Translator, number: int) -> str:
    return tr.gettext(
        "📤 Broadcast #{number} starts in a moment. Its progress appears below."
    ).format(number=number)


def scheduled_text(tr: Translator, number: int, when: datetime, label: str) -> str:
    """Scheduled for `when`, to `label` (escaped)."""
    return tr.gettext(
        "🗓 Broadcast #{number} is scheduled for {when}, to: {audience}.\n"
        "Recipients are counted again when it starts. To cancel it: /siaran_daftar"
    ).format(number=number, when=tr.datetime(when), audience=label)


def when_view(tr: Translator, times: list[datetime]) -> View:
    """When should it go out: type it, or one of `times` (tomorrow)."""
    buttons = [
        [InlineKeyboardButton(tr.datetime(t), callback_data=callbacks.BcAt(i).pack())]
        for i, t in enumerate(times)
    ]
    buttons.append(cancel_button(tr))
    return (
        tr.gettext(
            "🗓 When should it go out? Type the date and time (WIB), for example "
            "<code>25-12-2026 07.00</code> or <code>besok jam 8</code>, or choose:"
        ),
        InlineKeyboardMarkup(buttons),
    )


def quiet_move_view(tr: Translator, when: datetime, moved: datetime, index: int) -> View:
    """A scheduled time in the quiet hours: move it to the morning (`moved`, times[index])."""
    move = tr.gettext("🗓 Move it to {when}").format(when=tr.datetime(moved))
    return (
        tr.gettext(
            "🌙 {when} is in the quiet hours ({hours}): announcements do not start at "
            "night. Move it to the morning, or type another time."
        ).format(when=tr.datetime(when), hours=quiet_hours_text(tr)),
        InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(move, callback_data=callbacks.BcAt(index).pack())],
                cancel_button(tr),
            ]
        ),
    )


def option_view(
    tr: Translator, i18n: I18n, audience: Audience, first: str | None, options: list[str]
) -> View:
    """The audience's choices as buttons; for two filters, the second one given `first`."""
    back = _back_button(tr)
    if not options:
        return (
            tr.gettext("There is nobody to choose from in this group yet."),
            InlineKeyboardMarkup([[back], cancel_button(tr)]),
        )
    label = audience.option_label
    if first is not None:  # the second choice: show only its own part
        label = AUDIENCES_BY_NAME["occupation"].option_label  # the only two-filter audience
    rows = [
        [
            InlineKeyboardButton(
                (label(i18n, value) if label else value)[:60],
                callback_data=callbacks.BcOption(i).pack(),
            )
        ]
        for i, value in enumerate(options)
    ]
    rows += [[back], cancel_button(tr)]
    heading = html.escape(tr.gettext(audience.label))
    if first is not None:
        heading = html.escape(audience_label(i18n, tr, audience.name, first))
    return (
        tr.gettext("<b>{audience}</b>: choose one.").format(audience=heading),
        InlineKeyboardMarkup(rows),
    )


def broadcast_list(
    tr: Translator,
    i18n: I18n,
    broadcasts: list[Broadcast],
    counts: dict[int, dict[str, int]],
) -> tuple[str, InlineKeyboardMarkup | None]:
    """/siaran_daftar: the broadcasts with their status (`counts` by id for those not
    scheduled); a Stop button for each scheduled or running one."""
    lines = [tr.gettext("<b>Latest broadcasts</b>")]
    buttons = []
    for b in broadcasts:
        sent = counts.get(b.id, {})
        when = b.scheduled_at if b.status == "scheduled" else (b.started_at or b.scheduled_at)
        excerpt = html.escape(b.excerpt[:40] + ("…" if len(b.excerpt) > 40 else ""))
        line = tr.gettext("#{number} · {status} · {when}\n   {audience} · “{excerpt}”").format(
            number=b.id,
            status=tr.gettext(STATUS_LABELS[b.status]),
            when=tr.datetime(when),
            audience=html.escape(audience_label(i18n, tr, b.audience, b.audience_arg)),
            excerpt=excerpt,
        )
        if b.status != "scheduled":
            line += "\n   " + tr.gettext("sent {sent} of {total}").format(
                sent=tr.number(sent.get("sent", 0)), total=tr.number(b.total)
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
    return "\n".join(lines), InlineKeyboardMarkup(buttons) if buttons else None


def stop_confirm_view(tr: Translator, number: int) -> View:
    """Stop broadcast #number? Yes / No."""
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
    text = tr.gettext(
        "Stop broadcast #{number}? People who already received it keep it; nobody else will get it."
    ).format(number=number)
    return text, markup


def stopped_text(tr: Translator, number: int, sent: int) -> str:
    return tr.gettext("⛔ Broadcast #{number} is stopped. It had reached {sent} people.").format(
        number=number, sent=tr.number(sent)
    )


def ask_again_text(tr: Translator, step: str) -> str:
    """Where the composition stands, after another command."""
    if step == "content":
        return tr.gettext(
            "Send me the message to broadcast: text, or a photo or a document with a caption."
        )
    return tr.gettext("Choose with the buttons above, or send me another message to broadcast.")
