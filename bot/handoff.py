"""Talking to a person: a user's question goes to the staff group, a staff reply comes back.

    user presses "Tanya petugas" (under an unsure FAQ answer, or in /bantuan)
      -> the question (or the text they type next) is posted in STAFF_CHAT_ID as "#T12 ..."
    a staff member REPLIES to that post in the group
      -> the bot sends the reply to the user (safe_send, escaped), confirms in the group
    the user presses "Balas petugas" and types -> posted in the group under the same #T12

One open thread per user (handoffs row); each message is a handoff_messages row, and each of
the user's messages posted in the group records the post's message id, so a reply to any of
them finds the thread. A thread left alone for THREAD_IDLE is closed; the next question then
opens a new one. Outside OFFICE_HOURS the user is told when the office opens.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from babel.dates import get_day_names
from telegram import InlineKeyboardMarkup
from telegram.ext import ExtBot

from bot.clock import Clock
from bot.config import Settings
from bot.i18n import I18n, Translator
from bot.officehours import OfficeHours
from bot.sender import SendResult, safe_send
from bot.store.handoffs import Handoff, HandoffRepo
from bot.store.users import UserRepo

logger = logging.getLogger(__name__)

AWAIT_TTL = timedelta(hours=1)  # "type your question": the next message within this time
THREAD_IDLE = timedelta(days=7)
MAX_USER_MESSAGES_PER_HOUR = 10
RECENT_QUESTION = timedelta(hours=1)  # /bantuan offers to send a question this recent


@dataclass(frozen=True)
class Posted:
    """The result of passing a user's message to the staff group."""

    handoff: Handoff
    result: SendResult


class HandoffService:
    def __init__(
        self,
        repo: HandoffRepo,
        users: UserRepo,
        i18n: I18n,
        settings: Settings,
        clock: Clock,
    ) -> None:
        self.repo = repo
        self.users = users
        self.i18n = i18n
        self.settings = settings
        self.clock = clock
        self.hours = OfficeHours.parse(settings.office_hours)

    @property
    def enabled(self) -> bool:
        """Hand-offs need a staff group."""
        return self.settings.staff_chat_id is not None

    # ---- the user's side -----------------------------------------------------------------

    async def awaiting(self, user_id: int) -> Handoff | None:
        """The thread waiting for the user's typed message (None when none, or too old)."""
        handoff = await self.repo.current(user_id)
        if handoff is None or not handoff.awaiting_text:
            return None
        since = handoff.awaiting_since or handoff.updated_at
        if self.clock.now() - since > AWAIT_TTL:
            await self.repo.set_awaiting(handoff.id, False)
            return None
        return handoff

    async def wait_for_text(self, user_id: int, handoff_id: int | None = None) -> Handoff:
        """The user is about to type a message for the staff."""
        await self.repo.close_idle(self.clock.now() - THREAD_IDLE)
        if handoff_id is not None:
            handoff = await self.repo.get(handoff_id)
            if handoff is not None and handoff.user_id == user_id and handoff.status != "closed":
                await self.repo.set_awaiting(handoff.id, True)
                fresh = await self.repo.get(handoff.id)
                assert fresh is not None
                return fresh
        return await self.repo.open(user_id, None, awaiting=True)

    async def cancel_wait(self, user_id: int) -> bool:
        return await self.repo.clear_awaiting(user_id)

    async def too_many(self, user_id: int) -> bool:
        since = self.clock.now() - timedelta(hours=1)
        return await self.repo.user_messages_since(user_id, since) >= MAX_USER_MESSAGES_PER_HOUR

    async def send_to_staff(
        self,
        bot: ExtBot[Any],
        user_id: int,
        first_name: str,
        text: str,
        question_id: int | None = None,
    ) -> Posted:
        """Post the user's message in the staff group, in the user's thread."""
        assert self.settings.staff_chat_id is not None
        await self.repo.close_idle(self.clock.now() - THREAD_IDLE)
        handoff = await self.repo.open(user_id, question_id, awaiting=False)
        follow_up = bool(await self.repo.messages(handoff.id))
        message_id = await self.repo.add_message(
            handoff.id, "user", user_id, text, question_id=question_id
        )
        user = await self.users.get(user_id)
        tr = self.i18n.get(self.i18n.default_locale)
        post = group_post(tr, handoff, first_name, user_id, user.language if user else "", text)
        if follow_up:
            post = group_follow_up(tr, handoff, first_name, user_id, text)
        result = await safe_send(bot, self.settings.staff_chat_id, post)
        if result.ok and result.message_id is not None:
            await self.repo.set_post(message_id, self.settings.staff_chat_id, result.message_id)
            logger.info("hand-off %s: user %s -> staff group", handoff.reference, user_id)
        else:
            logger.warning(
                "hand-off %s not posted in the staff group: %s", handoff.reference, result.outcome
            )
        return Posted(handoff, result)

    async def close(self, handoff_id: int, user_id: int) -> bool:
        return await self.repo.close(handoff_id, user_id)

    # ---- the staff's side ----------------------------------------------------------------

    async def thread_of_post(self, chat_id: int, message_id: int) -> Handoff | None:
        return await self.repo.by_post(chat_id, message_id)

    async def deliver_reply(
        self,
        bot: ExtBot[Any],
        handoff: Handoff,
        staff_id: int,
        text: str,
        group_chat_id: int,
        group_message_id: int,
        markup: InlineKeyboardMarkup | None,
    ) -> SendResult:
        """Send a staff member's reply to the user (escaped) and record it."""
        user = await self.users.get(handoff.user_id)
        tr = self.i18n.get(user.language if user else None)
        result = await safe_send(
            bot,
            handoff.user_id,
            staff_reply_text(tr, handoff, text),
            reply_markup=markup,
            users=self.users,
        )
        await self.repo.add_message(
            handoff.id,
            "staff",
            staff_id,
            text,
            group_chat_id=group_chat_id,
            group_message_id=group_message_id,
            delivered=result.ok,
        )
        logger.info(
            "hand-off %s: reply by staff %s -> user: %s",
            handoff.reference,
            staff_id,
            result.outcome,
        )
        return result

    # ---- office hours --------------------------------------------------------------------

    def next_open(self, now: datetime | None = None) -> datetime | None:
        return self.hours.next_open(now or self.clock.now(), self.settings.tz)

    def describe_hours(self, tr: Translator) -> str:
        """'Senin–Jumat 08.00–16.00 WIB; Sabtu ...' in the translator's language."""
        names = get_day_names("wide", locale=tr.locale)
        parts = []
        for period in self.hours.periods:
            days = list(period.days)
            if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
                day_text = f"{names[days[0]]}–{names[days[-1]]}"
            else:
                day_text = ", ".join(names[d] for d in days)
            start = tr.time(period.start).rsplit(" ", 1)[0]
            end = tr.time(period.end)
            parts.append(f"{day_text} {start}–{end}")
        return "; ".join(parts)


# ---- texts ----------------------------------------------------------------------------------


def _quote(text: str, limit: int = 3500) -> str:
    cut = text if len(text) <= limit else text[:limit] + "…"
    return f"<blockquote>{html.escape(cut, quote=False)}</blockquote>"


def group_post(
    tr: Translator, handoff: Handoff, name: str, user_id: int, language: str, text: str
) -> str:
    """The post in the staff group for a new question."""
    head = tr.gettext(
        "🙋 <b>{ref}</b> · question from {name} (id {id}, language {language})"
    ).format(
        ref=handoff.reference,
        name=html.escape(name or "-", quote=False),
        id=user_id,
        language=html.escape(language or "-"),
    )
    hint = tr.gettext("Reply to this message to answer; the bot passes your reply on.")
    return f"{head}\n{_quote(text)}\n<i>{hint}</i>"


def group_follow_up(tr: Translator, handoff: Handoff, name: str, user_id: int, text: str) -> str:
    head = tr.gettext("↩️ <b>{ref}</b> · {name} (id {id}) writes:").format(
        ref=handoff.reference, name=html.escape(name or "-", quote=False), id=user_id
    )
    hint = tr.gettext("Reply to this message to answer; the bot passes your reply on.")
    return f"{head}\n{_quote(text)}\n<i>{hint}</i>"


def staff_reply_text(tr: Translator, handoff: Handoff, text: str) -> str:
    head = tr.gettext("💬 <b>Answer from the program staff</b> ({ref})").format(
        ref=handoff.reference
    )
    return f"{head}\n\n{html.escape(text[:3800], quote=False)}"
