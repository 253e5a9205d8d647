"""Status messages: a person hears what staff did with their registration (issue 17, item 1).

When staff mark a registration in /pendaftar as contacted, registered with BPJS or not
eligible, the status change and an outbox row are written in one transaction; the outbox
worker (bot/outbox.py) sends the message STATUS_MESSAGE_DELAY_SECONDS later, exactly once.
The delay lets staff undo a wrong tap: a newer status (also "back to new") cancels a message
not sent yet, so the person only hears the last word.

The rule for /berhenti: it stops *announcements* (broadcasts). A status message is the answer
to the person's own request (their registration), like a reply to their question, so it is
sent after /berhenti too. A person who blocked the bot is not written to (Telegram's 403 marks
the row 'blocked').

The text is rendered when it is sent, in the person's language at that moment; the monthly
contribution comes from CONTRIBUTION_MONTHLY_IDR, formatted with Babel.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.clock import Clock
from bot.config import Settings
from bot.db import Database
from bot.i18n import N_, I18n, Translator
from bot.outbox import Rendered
from bot.registration import reference
from bot.store.outbox import Kind, OutboxRepo, OutboxRow
from bot.store.registrations import RegistrationRepo, Status
from bot.store.reminders import ReminderRepo
from bot.store.users import UserRepo

logger = logging.getLogger(__name__)

KIND: Kind = "status"
# Statuses the person is told about ("baru" is staff undoing their own mark).
TOLD: tuple[Status, ...] = ("dihubungi", "terdaftar_bpjs", "tidak_memenuhi_syarat")

_CONTACTED = N_(
    "📞 <b>{reference}</b>: the programme staff have contacted you about your registration "
    "of interest in BPJS Ketenagakerjaan.\n"
    "If you have not spoken with them yet, they will call again on the phone number you gave. "
    "Any questions? Just type them here."
)
_REGISTERED = N_(
    "✅ <b>{reference}</b> has been registered with BPJS Ketenagakerjaan. You are now a "
    "participant, protected in case of a work accident (JKK) or death (JKM).\n"
    "The contribution is <b>{amount}</b> a month. For some kinds of work the city government "
    "pays it; ask the staff if you do not know yet who pays yours."
)
_REMINDER_OFFER = N_(
    "If you pay the contribution yourself, I can remind you every month. Press the button below."
)
_NOT_ELIGIBLE = N_(
    "ℹ️ <b>{reference}</b>: after checking, the staff found that you do not meet the "
    "programme's requirements for now, so you have not been registered with BPJS "
    "Ketenagakerjaan through this programme.\n"
    "Want to know why, or think this is a mistake? Type /bantuan and choose "
    "“Ask a staff member”."
)


def status_message(
    tr: Translator, registration_id: int, status: str, amount: int, offer_reminder: bool
) -> Rendered | None:
    """The message for a registration that staff moved to `status` (None: not told)."""
    ref = reference(registration_id)
    if status == "dihubungi":
        return Rendered(tr.gettext(_CONTACTED).format(reference=ref))
    if status == "tidak_memenuhi_syarat":
        return Rendered(tr.gettext(_NOT_ELIGIBLE).format(reference=ref))
    if status != "terdaftar_bpjs":
        return None
    text = tr.gettext(_REGISTERED).format(reference=ref, amount=tr.money(amount))
    if not offer_reminder:
        return Rendered(text)
    button = InlineKeyboardButton(
        tr.gettext("⏰ Set a payment reminder"), callback_data=callbacks.MENU_REMINDER.pack()
    )
    return Rendered(f"{text}\n\n{tr.gettext(_REMINDER_OFFER)}", InlineKeyboardMarkup([[button]]))


@dataclass(frozen=True)
class StatusChange:
    user_id: int
    told: bool  # a message to the person is on its way


@dataclass
class StatusMessages:
    """Status changes made by staff, and the messages that tell the person."""

    settings: Settings
    clock: Clock
    db: Database
    i18n: I18n
    users: UserRepo
    registrations: RegistrationRepo
    reminders: ReminderRepo
    outbox: OutboxRepo

    async def set_status(self, registration_id: int, status: Status) -> StatusChange | None:
        """Change the status and queue the message, in one transaction; None when the
        registration is gone or already had this status (nothing changes, nothing is sent)."""
        due = self.clock.now() + timedelta(seconds=self.settings.status_message_delay_seconds)
        async with self.db.transaction() as tx:
            user_id = await self.registrations.change_status(tx, registration_id, status)
            if user_id is None:
                return None
            await self.outbox.cancel_pending(tx, registration_id, KIND)
            told = status in TOLD
            if told:
                await self.outbox.add(
                    tx,
                    KIND,
                    user_id,
                    due,
                    {"status": status},
                    registration_id=registration_id,
                )
        logger.info("registration %s: status %s (person told: %s)", registration_id, status, told)
        return StatusChange(user_id, told)

    async def render(self, row: OutboxRow) -> Rendered | None:
        """The text at send time; None (cancelled) when the registration is gone or its
        status has changed since."""
        if row.registration_id is None:
            return None
        current = await self.registrations.get(row.registration_id)
        status = str(row.payload.get("status", ""))
        if current is None or current.status != status or current.user_id != row.chat_id:
            return None
        user = await self.users.get(row.chat_id)
        tr = self.i18n.get(user.language if user else None)
        reminder = await self.reminders.get(self.db, row.chat_id)
        offer = reminder is None or not reminder.active
        return status_message(
            tr, row.registration_id, status, self.settings.contribution_monthly_idr, offer
        )
