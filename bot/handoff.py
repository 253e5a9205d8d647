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

A question is never lost (issue 14, item 5): the message row is stored, pending, before the
post is sent. A post that stays pending (the send timed out, the process died before
Telegram's answer was saved, or Telegram refused it) is sent again, by the person's retry of
the same question or by `resend_pending` (a job every few minutes, and once at start). The
first copy may have arrived after all: a possible duplicate in the staff group is the price
(the second copy says it is one), and a staff reply to either copy reaches the person.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from babel.dates import get_day_names
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.constants import MessageLimit
from telegram.ext import ExtBot

from bot import callbacks
from bot.clock import Clock
from bot.config import Settings
from bot.dialogs import DialogKind, JsonState
from bot.i18n import N_, I18n, Translator
from bot.officehours import ClosedDays, OfficeHours
from bot.sender import Outcome, SendResult, safe_send
from bot.store.handoffs import Handoff, HandoffMessage, HandoffRepo
from bot.store.users import UserRepo
from bot.telegram_text import utf16_len

logger = logging.getLogger(__name__)

AWAIT_TTL = timedelta(hours=1)  # "type your question": the next message within this time
THREAD_IDLE = timedelta(days=7)
MAX_USER_MESSAGES_PER_HOUR = 10
RECENT_QUESTION = timedelta(hours=1)  # /bantuan offers to send a question this recent
PENDING_GRACE = timedelta(minutes=2)  # a post unconfirmed this long is sent again by the job


@dataclass(frozen=True)
class HandoffWait(JsonState):
    """Waiting for the user's typed message: for thread `handoff_id` (a reply), or a new
    question (None)."""

    handoff_id: int | None = None


# One step, "text": whatever they type is for the staff.
HANDOFF_WAIT = DialogKind(
    "handoff", N_("message for the staff"), ("text",), HandoffWait, AWAIT_TTL, frozenset({"text"})
)


@dataclass(frozen=True)
class Media:
    """A photo or document relayed in a thread, by Telegram file id (issue 17)."""

    kind: str  # "photo" or "document"
    file_id: str


@dataclass(frozen=True)
class Posted:
    """The result of passing a user's message to the staff group."""

    handoff: Handoff
    result: SendResult
    already: bool = False  # the question was posted before (and confirmed): not again


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
        self.closed: ClosedDays | None = None  # holidays and /libur days (bot/app.py sets it)
        self._in_flight: set[int] = set()  # messages whose post is being sent right now

    @property
    def enabled(self) -> bool:
        """Hand-offs need a staff group."""
        return self.settings.staff_chat_id is not None

    # ---- the user's side -----------------------------------------------------------------

    async def wait_for_text(self, user_id: int, handoff_id: int | None = None) -> Handoff:
        """The user is about to type a message for the staff: the thread it will join."""
        await self.repo.close_idle(self.clock.now() - THREAD_IDLE)
        if handoff_id is not None:
            handoff = await self.repo.get(handoff_id)
            if handoff is not None and handoff.user_id == user_id and handoff.status != "closed":
                return handoff
        return await self.repo.open(user_id, None)

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
        media: Media | None = None,
    ) -> Posted:
        """Post the user's message in the staff group, in the user's thread. A FAQ question
        whose post was confirmed is not posted again (`already`); one whose post stayed
        pending is sent again."""
        assert self.settings.staff_chat_id is not None
        if question_id is not None:
            earlier = await self.repo.message_of_question(question_id)
            if earlier is not None:
                handoff = await self.repo.get(earlier.handoff_id)
                if handoff is not None:
                    if not earlier.pending or earlier.id in self._in_flight:
                        return Posted(handoff, SendResult(Outcome.SENT), already=True)
                    result = await self._post(bot, handoff, earlier, first_name, again=True)
                    return Posted(handoff, result)
        await self.repo.close_idle(self.clock.now() - THREAD_IDLE)
        handoff = await self.repo.open(user_id, question_id)
        # Stored, pending, with the group's chat id first: if the answer to the send is lost
        # (a timeout, or the process dies), the post is sent again later (module docstring).
        message_id = await self.repo.add_message(
            handoff.id,
            "user",
            user_id,
            text,
            question_id=question_id,
            group_chat_id=self.settings.staff_chat_id,
            file_kind=media.kind if media else None,
            file_id=media.file_id if media else None,
        )
        stored = next(m for m in await self.repo.messages(handoff.id) if m.id == message_id)
        # The post shows the text as typed; the stored copy is redacted (bot/pii.py).
        result = await self._post(bot, handoff, stored, first_name, text, again=False)
        return Posted(handoff, result)

    async def _post(
        self,
        bot: ExtBot[Any],
        handoff: Handoff,
        message: HandoffMessage,
        first_name: str | None,
        text: str | None = None,
        *,
        again: bool,
    ) -> SendResult:
        """Send the post of a stored user's message (`again`: not its first send); record
        its id, or leave it pending."""
        chat_id = self.settings.staff_chat_id
        assert chat_id is not None
        if again:
            await self.repo.post_again(message.id, chat_id)
        messages = await self.repo.messages(handoff.id)
        follow_up = any(m.direction == "user" and m.id < message.id for m in messages)
        user = await self.users.get(message.author_id)
        name = first_name if first_name is not None else (user.first_name if user else "")
        tr = self.i18n.get(self.i18n.default_locale)
        body = message.text if text is None else text
        limit = MessageLimit.CAPTION_LENGTH if message.file_id else MessageLimit.MAX_TEXT_LENGTH
        if follow_up:
            post = group_follow_up(tr, handoff, name or "", message.author_id, body, again, limit)
        else:
            language = user.language if user else ""
            post = group_post(
                tr, handoff, name or "", message.author_id, language, body, again, limit
            )
        markup = None if follow_up or handoff.claimed_by is not None else claim_button(tr, handoff)
        photo = message.file_id if message.file_kind == "photo" else None
        document = message.file_id if message.file_kind == "document" else None
        self._in_flight.add(message.id)
        try:
            result = await safe_send(
                bot, chat_id, post, reply_markup=markup, photo=photo, document=document
            )
        finally:
            self._in_flight.discard(message.id)
        if result.ok and result.message_id is not None:
            await self.repo.set_post(message.id, chat_id, result.message_id)
            logger.info("hand-off %s: user %s -> staff group", handoff.reference, message.author_id)
        elif result.outcome is Outcome.UNCERTAIN:
            # Perhaps posted: a reply to it still finds the thread; if it stays unconfirmed it
            # is sent again (a possible duplicate beats a lost question).
            logger.warning("hand-off %s: post in the staff group unconfirmed", handoff.reference)
        else:
            await self.repo.not_posted(message.id)
            logger.warning(
                "hand-off %s not posted in the staff group: %s", handoff.reference, result.outcome
            )
        return result

    async def resend_pending(self, bot: ExtBot[Any], *, at_start: bool = False) -> int:
        """Send again the posts that stayed unconfirmed for PENDING_GRACE (every one at start:
        nothing is under way then). Returns how many were confirmed this time."""
        chat_id = self.settings.staff_chat_id
        if chat_id is None:
            return 0
        # At start every one: stored timestamps have whole seconds, so "before now" would
        # leave out a post stored in the second the bot restarted.
        now = self.clock.now()
        before = now + timedelta(seconds=1) if at_start else now - PENDING_GRACE
        confirmed = 0
        for message in await self.repo.pending_posts(chat_id, before):
            handoff = await self.repo.get(message.handoff_id)
            if handoff is None or message.id in self._in_flight:
                continue
            result = await self._post(bot, handoff, message, None, again=True)
            confirmed += result.ok
            if result.outcome is Outcome.RETRY_LATER or result.outcome is Outcome.UNCERTAIN:
                break  # the group is not taking posts now: the next run tries again
        return confirmed

    async def close(self, handoff_id: int, user_id: int) -> bool:
        return await self.repo.close(handoff_id, user_id)

    async def tell_group_closed(self, bot: ExtBot[Any], handoff: Handoff, name: str) -> None:
        """The person pressed "✅ Selesai": the staff group sees it (issue 17)."""
        if self.settings.staff_chat_id is None:
            return
        tr = self.i18n.get(self.i18n.default_locale)
        text = tr.gettext("✅ <b>{ref}</b> · {name} marked the question as done.").format(
            ref=handoff.reference, name=html.escape(name or "-", quote=False)
        )
        await safe_send(bot, self.settings.staff_chat_id, text)

    async def claim(self, bot: ExtBot[Any], handoff: Handoff, staff_id: int) -> bool:
        """ "Saya tangani": the thread is the staff member's, and the person is told someone
        is on it. False when someone else was first, or the thread is closed."""
        if not await self.repo.claim(handoff.id, staff_id):
            return False
        user = await self.users.get(handoff.user_id)
        tr = self.i18n.get(user.language if user else None)
        text = tr.gettext(
            "👤 Your question ({ref}) is being handled by a staff member. You will get the "
            "answer here."
        ).format(ref=handoff.reference)
        await safe_send(bot, handoff.user_id, text, users=self.users)
        logger.info("hand-off %s claimed by staff %s", handoff.reference, staff_id)
        return True

    # ---- the staff's side ----------------------------------------------------------------

    async def thread_of_post(
        self, chat_id: int, message_id: int, post_text: str | None = None
    ) -> Handoff | None:
        """The thread of the bot's post `message_id` in the staff group, or None.

        A post whose id was never saved (its send timed out, or the process died first) is
        recognised by the reference in its first line, if that thread has an unconfirmed post
        in this chat; the post's id is then recorded for later replies.
        """
        handoff = await self.repo.by_post(chat_id, message_id)
        if handoff is not None or not post_text:
            return handoff
        found = _POST_HEAD.match(post_text)
        if found is None:
            return None
        handoff_id = int(found.group(1))
        if await self.repo.claim_unconfirmed_post(handoff_id, chat_id, message_id):
            logger.info("hand-off #T%s: unconfirmed post recognised by a staff reply", handoff_id)
        elif not await self.repo.may_have_unknown_copy(handoff_id, chat_id):
            return None
        return await self.repo.get(handoff_id)

    async def was_deleted(self, post_text: str | None) -> bool:
        """Whether `post_text` is the bot's post of a thread that no longer exists: the
        person deleted their data with /hapusdata (the only way a thread goes)."""
        found = _POST_HEAD.match(post_text or "")
        return found is not None and await self.repo.get(int(found.group(1))) is None

    async def deliver_reply(
        self,
        bot: ExtBot[Any],
        handoff: Handoff,
        staff_id: int,
        text: str,
        group_chat_id: int,
        group_message_id: int,
        markup: InlineKeyboardMarkup | None,
        media: Media | None = None,
    ) -> SendResult:
        """Send a staff member's reply (a text, or a photo/document with its caption) to the
        user, escaped, and record it."""
        user = await self.users.get(handoff.user_id)
        tr = self.i18n.get(user.language if user else None)
        limit = MessageLimit.CAPTION_LENGTH if media else MessageLimit.MAX_TEXT_LENGTH
        result = await safe_send(
            bot,
            handoff.user_id,
            staff_reply_text(tr, handoff, text, limit),
            reply_markup=markup,
            photo=media.file_id if media and media.kind == "photo" else None,
            document=media.file_id if media and media.kind == "document" else None,
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
            file_kind=media.kind if media else None,
            file_id=media.file_id if media else None,
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
        return self.hours.next_open(now or self.clock.now(), self.settings.tz, self.closed)

    def closed_today(self, language: str = "id", now: datetime | None = None) -> str | None:
        """Why the office is closed all of today (a holiday's or a /libur day's name)."""
        if self.closed is None or not self.hours.known:
            return None
        today = (now or self.clock.now()).astimezone(self.settings.tz).date()
        return self.closed.closed_on(today, language)

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


# The start of the bot's posts of a user's message ("🙋 #T12 · ...", "↩️ #T12 · ..."): only
# there, never after a name someone chose.
_POST_HEAD = re.compile(r"\S{1,4} #T([0-9]{1,12}) · ", re.ASCII)


def media_of(message: Message) -> Media | None:
    """A photo or a document (a payment receipt, a PDF) in `message`, by file id."""
    if message.photo:
        return Media("photo", message.photo[-1].file_id)
    if message.document is not None:
        return Media("document", message.document.file_id)
    return None


def clip_utf16(text: str, limit: int) -> str:
    """`text` cut to at most `limit` UTF-16 code units, Telegram's measure of length (an emoji
    counts two), ending in "…" when cut; a character is never split."""
    if utf16_len(text) <= limit:
        return text
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit - 1:
            return text[:index] + "…"
    return text


def _hint(tr: Translator, again: bool) -> str:
    hint = tr.gettext("Reply to this message to answer; the bot passes your reply on.")
    if again:
        hint += " " + tr.gettext(
            "(Sent again: an earlier post of this message may be in the group too; a reply to "
            "either reaches the person.)"
        )
    return hint


def _with_quote(
    head: str, text: str, hint: str = "", limit: int = MessageLimit.MAX_TEXT_LENGTH
) -> str:
    """head, the user's text quoted (if any: a photo may come without), the hint in italics:
    within `limit` units (4,096 for a text, 1,024 for a caption)."""
    tail = f"\n<i>{hint}</i>" if hint else ""
    if not text:
        return f"{head}{tail}"
    # The HTML is at least as long as the text Telegram measures, so this budget is safe.
    budget = limit - utf16_len(head) - utf16_len(tail) - 1
    quote = html.escape(clip_utf16(text, budget), quote=False)
    return f"{head}\n<blockquote>{quote}</blockquote>{tail}"


def claim_button(tr: Translator, handoff: Handoff) -> InlineKeyboardMarkup:
    """Under a new question's post in the staff group."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    tr.gettext("🙋 I'll take it"),
                    callback_data=callbacks.HandoffClaim(handoff.id).pack(),
                )
            ]
        ]
    )


def group_post(
    tr: Translator,
    handoff: Handoff,
    name: str,
    user_id: int,
    language: str,
    text: str,
    again: bool = False,
    limit: int = MessageLimit.MAX_TEXT_LENGTH,
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
    return _with_quote(head, text, _hint(tr, again), limit)


def group_follow_up(
    tr: Translator,
    handoff: Handoff,
    name: str,
    user_id: int,
    text: str,
    again: bool = False,
    limit: int = MessageLimit.MAX_TEXT_LENGTH,
) -> str:
    head = tr.gettext("↩️ <b>{ref}</b> · {name} (id {id}) writes:").format(
        ref=handoff.reference, name=html.escape(name or "-", quote=False), id=user_id
    )
    return _with_quote(head, text, _hint(tr, again), limit)


def staff_reply_text(
    tr: Translator, handoff: Handoff, text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH
) -> str:
    head = tr.gettext("💬 <b>Answer from the program staff</b> ({ref})").format(
        ref=handoff.reference
    )
    if not text:
        return head
    budget = limit - utf16_len(head) - 2
    return f"{head}\n\n{html.escape(clip_utf16(text, budget), quote=False)}"
