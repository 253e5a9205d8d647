"""The daily digest in the staff group (issue 17, item 3).

Once a day at DIGEST_TIME (TIMEZONE) the staff group (STAFF_CHAT_ID) gets one message: the
registrations that came in since the previous digest, those still "baru" after
DIGEST_STALE_DAYS days, and the "Tanya petugas" questions nobody has answered yet, each with a
button (bot/callbacks.py DgReg / DgHandoff, handled in handlers/followup.py).

Exactly once per local date: `schedule` (an outbox `before_run` hook) writes one outbox row
with the key 'digest:<date>' (a UNIQUE column, so a second row for the date cannot exist) and
the outbox worker sends it like every other row (bot/outbox.py: claimed before the send, never
twice). A bot that was down at DIGEST_TIME sends the day's digest when it starts later that
day. The text is rendered at send time from the window stored in the row ('since' = the
previous digest's 'until'), so a resend can never list different registrations. A digest with
nothing to list is not sent (the row is kept, marked 'cancelled', so the next one starts from
its window's end). No digest on a day the office is closed all day (OFFICE_HOURS has no
period that weekday, a public holiday or cuti bersama, a /libur day): the next one covers it.
No STAFF_CHAT_ID or an empty DIGEST_TIME: no digest.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks, reglabels
from bot.clock import Clock, from_db, to_db
from bot.config import Settings
from bot.i18n import I18n, Translator
from bot.officehours import ClosedDays, OfficeHours
from bot.outbox import Rendered
from bot.registration import reference
from bot.store.digest import DigestRepo, HandoffLine, Listing, RegistrationLine, Waiting
from bot.store.outbox import Kind, OutboxRepo, OutboxRow

logger = logging.getLogger(__name__)

KIND: Kind = "digest"
LIST_LIMIT = 8  # lines (and buttons) per section; the rest is counted
BUTTONS_PER_ROW = 3
FIRST_WINDOW = timedelta(days=1)  # the very first digest looks back one day


def digest_key(day: date) -> str:
    return f"digest:{day.isoformat()}"


def _rows(buttons: list[InlineKeyboardButton]) -> list[list[InlineKeyboardButton]]:
    return [buttons[i : i + BUTTONS_PER_ROW] for i in range(0, len(buttons), BUTTONS_PER_ROW)]


def digest_message(
    tr: Translator,
    day: date,
    stale_days: int,
    new: Listing[RegistrationLine],
    stale: Listing[RegistrationLine],
    waiting: Waiting,
    now: datetime,
    promise: timedelta | None = None,
) -> Rendered | None:
    """The digest text and its buttons; None when there is nothing to list."""
    if not (new.count or stale.count or waiting.count):
        return None
    _, n = tr.gettext, tr.number
    lines = [_("📋 <b>Daily digest</b> · {date}").format(date=tr.date(day))]
    buttons: list[InlineKeyboardButton] = []
    shown: set[int] = set()

    def more(listing: Listing[RegistrationLine] | Listing[HandoffLine], hint: str) -> None:
        rest = listing.count - len(listing.first)
        if rest > 0:
            lines.append(_("… and {count} more ({hint})").format(count=n(rest), hint=hint))

    def registration_button(line: RegistrationLine) -> None:
        if line.id not in shown:
            shown.add(line.id)
            buttons.append(
                InlineKeyboardButton(
                    f"📝 {reference(line.id)}", callback_data=callbacks.DgReg(line.id).pack()
                )
            )

    lines += [
        "",
        _("<b>New registrations</b> since the last digest: {count}").format(count=n(new.count)),
    ]
    for line in new.first:
        lines.append(
            f"• {reference(line.id)} · {reglabels.occupation_label(tr, line.occupation)} · "
            f"{reglabels.kecamatan_label(tr, line.kecamatan)}"
        )
        registration_button(line)
    more(new, "/pendaftar")
    lines += [
        "",
        tr.ngettext(
            "<b>Still “new” after {days} day</b>: {count}",
            "<b>Still “new” after {days} days</b>: {count}",
            stale_days,
        ).format(days=n(stale_days), count=n(stale.count)),
    ]
    for line in stale.first:
        age = (now.astimezone(tr.tz).date() - line.created_at.astimezone(tr.tz).date()).days
        lines.append(
            tr.ngettext(
                "• {reference} · registered {day} ({age} day ago)",
                "• {reference} · registered {day} ({age} days ago)",
                age,
            ).format(reference=reference(line.id), day=tr.date(line.created_at), age=n(age))
        )
        registration_button(line)
    more(stale, "/pendaftar")
    lines += [
        "",
        _("<b>Questions waiting for a staff member</b>: {count}").format(count=n(waiting.count)),
    ]
    if promise is not None and waiting.late:
        hours = int(promise.total_seconds() // 3600)
        lines.append(
            tr.ngettext(
                "⏰ {count} waiting longer than the office's promise ({hours} hour)",
                "⏰ {count} waiting longer than the office's promise ({hours} hours)",
                hours,
            ).format(count=n(waiting.late), hours=n(hours))
        )
    for handoff in waiting.first:
        late = promise is not None and now - handoff.created_at > promise
        lines.append(
            ("⏰ " if late else "• ")
            + _("#T{id} · since {when}").format(id=handoff.id, when=tr.datetime(handoff.created_at))
        )
        buttons.append(
            InlineKeyboardButton(
                f"💬 #T{handoff.id}", callback_data=callbacks.DgHandoff(handoff.id).pack()
            )
        )
    more(waiting, _("see the group"))
    if buttons:
        lines += [
            "",
            _(
                "Press a button to open it: a registration comes to your private chat with the "
                "bot, a question is shown again here in the group."
            ),
        ]
    return Rendered("\n".join(lines), InlineKeyboardMarkup(_rows(buttons)) if buttons else None)


@dataclass
class DailyDigest:
    settings: Settings
    clock: Clock
    i18n: I18n
    repo: DigestRepo
    outbox: OutboxRepo
    hours: OfficeHours | None = None
    closed: ClosedDays | None = None  # holidays and /libur days: no digest on those
    _scheduled: date | None = field(default=None, init=False)

    @property
    def enabled(self) -> bool:
        return self.settings.staff_chat_id is not None and self.settings.digest_at is not None

    async def schedule(self) -> None:
        """Write today's digest row once DIGEST_TIME has passed (at most one per date)."""
        at = self.settings.digest_at
        chat = self.settings.staff_chat_id
        if at is None or chat is None:
            return
        now = self.clock.now()
        local = now.astimezone(self.settings.tz)
        today = local.date()
        if local.time() < at or self._scheduled == today:
            return
        if self.hours is not None and not self.hours.open_on(today, self.closed):
            self._scheduled = today  # closed all day: the next digest covers this day too
            logger.info("no daily digest on %s: the office is closed", today.isoformat())
            return
        key = digest_key(today)
        last = await self.outbox.latest(KIND)
        if last is not None and last.dedupe_key == key:
            logger.info("daily digest for %s is already queued or sent", today.isoformat())
            self._scheduled = today
            return
        since = (
            from_db(str(last.payload["until"]))
            if last is not None and "until" in last.payload
            else now - FIRST_WINDOW
        )
        payload = {"date": today.isoformat(), "since": to_db(since), "until": to_db(now)}
        if await self.outbox.add(self.outbox.db, KIND, chat, now, payload, dedupe_key=key):
            logger.info("daily digest for %s queued", today.isoformat())
        self._scheduled = today

    async def render(self, row: OutboxRow) -> Rendered | None:
        chat = self.settings.staff_chat_id
        if chat is None or row.chat_id != chat:
            return None  # STAFF_CHAT_ID was changed or removed since the row was written
        since, until = from_db(row.payload["since"]), from_db(row.payload["until"])
        stale_days = self.settings.digest_stale_days
        new = await self.repo.new_registrations(since, until, LIST_LIMIT)
        stale = await self.repo.still_new(until - timedelta(days=stale_days), LIST_LIMIT)
        hours = self.settings.handoff_reply_hours
        promise = timedelta(hours=hours) if hours else None
        now = self.clock.now()
        waiting = await self.repo.waiting_handoffs(
            chat, LIST_LIMIT, now - promise if promise is not None else None
        )
        tr = self.i18n.get(None)
        day = date.fromisoformat(row.payload["date"])
        return digest_message(tr, day, stale_days, new, stale, waiting, now, promise)
