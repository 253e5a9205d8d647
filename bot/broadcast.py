"""Broadcasts: the audience registry, the content, and the engine that delivers it.

How a broadcast travels
-----------------------
1. A staff member composes it with /siaran (handlers/broadcast.py); `Broadcaster.create`
   stores one `broadcasts` row, status 'scheduled' (for "send now" the time is now).
2. The engine (`Broadcaster.run`) activates it when due: in one transaction it writes a
   'pending' row per reachable member of the audience and marks the broadcast 'running'.
3. For each pending row whose turn has come the engine waits for the pacer, then *claims* the
   row (pending -> sending, one UPDATE that also checks the broadcast still runs and the user
   has not opted out or blocked the bot), sends, and records the outcome. A row is claimed
   before its request leaves, so a crash can leave at most the requests in flight as
   'sending'; at the next start those become 'uncertain' and are never resent.
4. 403 -> blocked (users.blocked_at set by safe_send); 400 -> failed; timeout -> uncertain;
   5xx / network -> pending again after a doubling wait, at most BROADCAST_MAX_ATTEMPTS tries;
   429 -> the row goes back to pending and all sending pauses until Telegram's retry_after
   (recorded on the broadcast, so a restart honours it too); Telegram unreachable (connection
   refused or connect timeout: nothing left) -> the same pause for BROADCAST_RETRY_SECONDS,
   without counting a try, so a network outage of any length marks nobody failed.
5. The sender's progress message is edited every BROADCAST_PROGRESS_SECONDS (never with the
   same text twice); a final report follows when no row is pending or in flight.

Pacing
------
`Pacer` spaces the *starts* of sends at least 1/rate apart on the injected clock, with no
burst credit, so no window of one second ever holds more than the cap. Sends overlap (up to
BROADCAST_CONCURRENCY in flight), which is what reaches 25/s when each call takes 50 ms or
more. Waiting goes through an injected `sleep`: asyncio.sleep in production; with a FakeClock
it just moves the clock, so tests see real pacing in simulated time without real sleeps.
The database lock is never held across a send: each claim and each outcome is one short
statement, so FAQ replies and reminders keep flowing while a broadcast runs.
"""

from __future__ import annotations

import asyncio
import html
import logging
import math
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.constants import MessageLimit
from telegram.error import TelegramError
from telegram.ext import ExtBot

from bot import callbacks, reglabels
from bot.clock import Clock, FakeClock
from bot.commands import Cmd
from bot.config import Settings
from bot.dialogs import DialogKind, JsonState
from bot.i18n import N_, I18n, Translator
from bot.ratelimit import NO_RETRY
from bot.roles import Role
from bot.sender import Outcome, SendResult, safe_send
from bot.staff import DIALOG_TTL
from bot.store.broadcasts import AUDIENCE_QUERIES, Broadcast, BroadcastRepo, Candidate
from bot.store.users import UserRepo
from bot.telegram_text import utf16_len

logger = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]

# ---- audiences ------------------------------------------------------------------------------


def _language_option(i18n: I18n, value: str) -> str:
    if value in i18n.locales:
        return i18n.get(value).gettext("Language name: English")
    return value


@dataclass(frozen=True)
class Audience:
    """Who a broadcast goes to. The SQL is in bot.store.broadcasts.AUDIENCE_QUERIES."""

    name: str
    label: str  # msgid
    # For audiences with a choice (kecamatan, occupation ...): how to show one option.
    option_label: Callable[[I18n, str], str] | None = None

    @property
    def has_options(self) -> bool:
        return AUDIENCE_QUERIES[self.name].options is not None

    @property
    def two_choices(self) -> bool:
        """Two filters: a second choice follows the first (bot.store.broadcasts)."""
        return AUDIENCE_QUERIES[self.name].then is not None


def _kecamatan_option(i18n: I18n, value: str) -> str:
    return reglabels.kecamatan_label(i18n.get(i18n.default_locale), value)


def _occupation_option(i18n: I18n, value: str) -> str:
    return reglabels.occupation_label(i18n.get(i18n.default_locale), value)


def _kecamatan_occupation_option(i18n: I18n, value: str) -> str:
    """ "Pekalongan Barat + Pengayuh becak" for "pekalongan_barat/becak" (one part alone too)."""
    kecamatan, _, occupation = value.partition("/")
    label = _kecamatan_option(i18n, kecamatan)
    return f"{label} + {_occupation_option(i18n, occupation)}" if occupation else label


def _status_option(i18n: I18n, value: str) -> str:
    return reglabels.status_label(i18n.get(i18n.default_locale), value)


# The audience registry: the buttons /siaran offers, in this order. The SQL of each is in
# bot.store.broadcasts.AUDIENCE_QUERIES (opted-out and blocked users are removed there).
AUDIENCES: tuple[Audience, ...] = (
    Audience("all", N_("Everyone (except those who stopped announcements)")),
    Audience("registered", N_("People who registered")),
    Audience("reminders", N_("People with a payment reminder")),
    Audience("kecamatan", N_("By kecamatan"), _kecamatan_option),
    Audience("kelurahan", N_("By kelurahan"), lambda _i18n, value: value),
    Audience("occupation", N_("By occupation"), _occupation_option),
    Audience(
        "kecamatan_occupation",
        N_("By kecamatan and occupation"),
        _kecamatan_occupation_option,
    ),
    Audience("reg_status", N_("By registration status"), _status_option),
    Audience("language", N_("By language"), _language_option),
)

AUDIENCES_BY_NAME = {a.name: a for a in AUDIENCES}


def audience_label(i18n: I18n, tr: Translator, name: str, arg: str | None) -> str:
    audience = AUDIENCES_BY_NAME.get(name)
    if audience is None:
        return name
    label = tr.gettext(audience.label)
    if arg is not None:
        shown = audience.option_label(i18n, arg) if audience.option_label else arg
        label = f"{label}: {shown}"
    return label


STATUS_LABELS = {
    "scheduled": N_("scheduled"),
    "running": N_("sending"),
    "done": N_("finished"),
    "cancelled": N_("cancelled"),
}

# ---- content --------------------------------------------------------------------------------

FOOTER = N_("Program Pekalongan Sakpore announcement. Type /berhenti to stop announcements.")


@dataclass(frozen=True)
class Content:
    """What a staff member wants to send: HTML text, or a photo/document with a caption."""

    kind: str  # text, photo, document
    body_html: str
    file_id: str | None = None
    excerpt: str = ""

    @classmethod
    def of(cls, broadcast: Broadcast) -> Content:
        return cls(broadcast.kind, broadcast.body_html, broadcast.file_id, broadcast.excerpt)


@dataclass
class BroadcastDraft(JsonState):
    """/siaran being composed: the content (once sent), the audience and its option, the
    options offered, the quick times offered (ISO, local)."""

    content: dict[str, Any] | None = None
    audience: str | None = None
    arg: str | None = None
    options: list[str] = field(default_factory=list)
    times: list[str] = field(default_factory=list)

    def the_content(self) -> Content:
        c = self.content or {}
        return Content(c["kind"], c["body_html"], c["file_id"], c["excerpt"])

    @classmethod
    def of(cls, content: Content) -> BroadcastDraft:
        """A fresh draft holding `content` (the audience is chosen next)."""
        return cls(
            content={
                "kind": content.kind,
                "body_html": content.body_html,
                "file_id": content.file_id,
                "excerpt": content.excerpt,
            }
        )

    def choose(self, chosen: str) -> bool:
        """Record a chosen option of the audience; True when a second choice follows (the
        first filter of a two-filter audience)."""
        if AUDIENCES_BY_NAME[self.audience or ""].two_choices and self.arg is None:
            self.arg = chosen
            return True
        self.arg = chosen if self.arg is None else f"{self.arg}/{chosen}"
        return False


BROADCAST = DialogKind(
    name="broadcast",
    title=N_("announcement"),
    steps=("content", "audience", "option", "confirm", "sure", "when"),
    state=BroadcastDraft,
    ttl=DIALOG_TTL,
    commands=(Cmd.BROADCAST,),
    role=Role.STAFF,
    # a new message replaces the content at every step; at "when" it is the typed time
    free_text=frozenset({"content", "audience", "option", "confirm", "sure", "when"}),
)


# ---- quiet hours and the time a broadcast takes (issue 17) -----------------------------------

# No broadcast starts between 21.00 and 06.00 local time unless an admin overrides it.
QUIET_START, QUIET_END = time(21, 0), time(6, 0)


def in_quiet_hours(moment: datetime, tz: ZoneInfo) -> bool:
    local = moment.astimezone(tz).time()
    return local >= QUIET_START or local < QUIET_END


def quiet_hours_end(moment: datetime, tz: ZoneInfo) -> datetime:
    """The first minute after the quiet hours `moment` is in (06.00 that or the next day)."""
    local = moment.astimezone(tz)
    day = local.date() if local.time() < QUIET_END else local.date() + timedelta(days=1)
    return datetime.combine(day, QUIET_END, tzinfo=tz)


def send_duration(count: int, rate: float) -> timedelta:
    """How long `count` messages take at `rate` a second (at least a second)."""
    return timedelta(seconds=max(1, math.ceil(count / rate)))


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


def quick_times(now: datetime, tz: ZoneInfo) -> list[datetime]:
    """The times offered as buttons when scheduling: QUICK_TIMES tomorrow, local time."""
    local_now = now.astimezone(tz)
    tomorrow = (local_now + timedelta(days=1)).date()
    return [
        datetime(tomorrow.year, tomorrow.month, tomorrow.day, h, m, tzinfo=tz)
        for h, m in QUICK_TIMES
    ]


def content_of(message: Message) -> tuple[Content, str] | None:
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


def audit_detail(state: BroadcastDraft) -> str:
    """What the staff audit log says about a broadcast sent or scheduled from `state`."""
    content = state.the_content()
    audience = (state.audience or "") + (f"={state.arg}" if state.arg else "")
    return f"{content.kind} to {audience}: {content.excerpt[:80]}"


def footer_html(tr: Translator) -> str:
    return f"<i>{html.escape(tr.gettext(FOOTER))}</i>"


def render(content: Content, tr: Translator) -> str:
    """The text or caption exactly as a recipient in this language receives it."""
    body = content.body_html.strip()
    return f"{body}\n\n{footer_html(tr)}" if body else footer_html(tr)


def too_long(plain: str, kind: str, i18n: I18n) -> int:
    """How many characters too long the content is with the footer in any language (0: fits)."""
    limit = MessageLimit.MAX_TEXT_LENGTH if kind == "text" else MessageLimit.CAPTION_LENGTH
    footer = max(utf16_len(i18n.get(loc).gettext(FOOTER)) for loc in i18n.locales)
    return max(0, utf16_len(plain.strip()) + 2 + footer - limit)


async def send_content(
    bot: ExtBot[Any],
    chat_id: int,
    content: Content,
    tr: Translator,
    *,
    users: UserRepo | None = None,
    no_retry: bool = False,
) -> SendResult:
    """Send the content (used for the preview and for every recipient alike)."""
    text = render(content, tr)
    args = NO_RETRY if no_retry else None
    if content.kind == "photo":
        return await safe_send(
            bot, chat_id, text, photo=content.file_id, users=users, rate_limit_args=args
        )
    if content.kind == "document":
        return await safe_send(
            bot, chat_id, text, document=content.file_id, users=users, rate_limit_args=args
        )
    return await safe_send(bot, chat_id, text, users=users, rate_limit_args=args)


# ---- pacing ---------------------------------------------------------------------------------


def sleeper_for(clock: Clock) -> Sleep:
    """How to wait on this clock: a FakeClock just moves on; the real clock really sleeps."""
    if isinstance(clock, FakeClock):
        fake = clock

        async def fake_sleep(seconds: float) -> None:
            if seconds > 0:
                fake.advance(seconds=seconds)
            await asyncio.sleep(0)

        return fake_sleep
    return asyncio.sleep


class Pacer:
    """Lets one send start every 1/rate seconds at most, on the injected clock.

    A virtual schedule slot, slot + T, slot + 2T ... (T rounded *up* to a microsecond): a send
    never starts before its slot, so no second holds more than `rate` starts. A send a little
    late (less than T) keeps the schedule, so small scheduler delays are not lost; after a
    longer idle time the schedule restarts from now, without a burst. `hold_until` stops all
    starts until a moment (Telegram's RetryAfter).
    """

    def __init__(self, clock: Clock, rate: float, sleep: Sleep) -> None:
        self.clock = clock
        self.sleep = sleep
        self.interval = timedelta(microseconds=math.ceil(1_000_000 / rate))
        self._next: datetime | None = None
        self._hold: datetime | None = None

    def hold_until(self, until: datetime) -> None:
        if self._hold is None or until > self._hold:
            self._hold = until

    async def wait(self) -> None:
        now = self.clock.now()
        if self._hold is not None:
            if self._hold > now:
                await self.sleep((self._hold - now).total_seconds())
                now = self.clock.now()
            self._hold = None
        if self._next is None or now - self._next > self.interval:
            self._next = now
        slot = self._next
        self._next = slot + self.interval
        if slot > now:
            await self.sleep((slot - now).total_seconds())


# ---- the engine -----------------------------------------------------------------------------

IDLE_HORIZON = timedelta(minutes=10)  # wait in the loop for work due this soon; else return
MAX_BACKOFF = timedelta(minutes=10)


@dataclass
class _Run:
    inflight: set[asyncio.Task[None]]
    per_broadcast: dict[int, int]


class Broadcaster:
    """Creates, cancels and delivers broadcasts. One engine per bot process."""

    def __init__(
        self,
        repo: BroadcastRepo,
        users: UserRepo,
        i18n: I18n,
        settings: Settings,
        clock: Clock,
        sleep: Sleep | None = None,
    ) -> None:
        self.repo = repo
        self.users = users
        self.i18n = i18n
        self.settings = settings
        self.clock = clock
        self.sleep = sleep or sleeper_for(clock)
        self.rate = settings.broadcast_max_per_second
        self.pacer = Pacer(clock, self.rate, self.sleep)
        self.batch_size = max(1, min(100, math.ceil(self.rate * 0.2)))
        self._lock = asyncio.Lock()
        self._slots = asyncio.Semaphore(settings.broadcast_concurrency)
        # Why each broadcast's latest pause was set: (until, Telegram unreachable?). Only for
        # the progress message; after a restart the reason is unknown (shown as a 429).
        self._pause_reasons: dict[int, tuple[datetime, bool]] = {}

    @property
    def busy(self) -> bool:
        return self._lock.locked()

    # ---- staff actions -------------------------------------------------------------------

    async def create(
        self,
        created_by: int,
        content: Content,
        audience: str,
        audience_arg: str | None,
        when: datetime | None = None,
    ) -> int:
        """Store a broadcast to start at `when` (None: now)."""
        if audience not in AUDIENCES_BY_NAME:
            raise ValueError(f"unknown audience {audience!r}")
        return await self.repo.create(
            created_by=created_by,
            kind=content.kind,
            body_html=content.body_html,
            file_id=content.file_id,
            excerpt=content.excerpt,
            audience=audience,
            audience_arg=audience_arg,
            scheduled_at=when or self.clock.now(),
        )

    async def cancel(self, bot: ExtBot[Any], broadcast_id: int, by: int) -> bool:
        """Cancel a scheduled or running broadcast and close its progress message."""
        if not await self.repo.cancel(broadcast_id, by):
            return False
        broadcast = await self.repo.get(broadcast_id)
        if broadcast is not None and broadcast.progress_message_id is not None:
            await self._show_progress(bot, broadcast, final=True)
        return True

    # ---- the worker ----------------------------------------------------------------------

    async def run(
        self,
        bot: ExtBot[Any],
        *,
        keep_going: Callable[[], bool] | None = None,
        max_seconds: float | None = None,
    ) -> bool:
        """Deliver whatever is due until nothing is (or `keep_going()` turns False, or
        `max_seconds` pass on the clock). Returns False when another run is already active.
        """
        if self._lock.locked():
            return False
        async with self._lock:
            go = keep_going or (lambda: True)
            deadline = self.clock.now() + timedelta(seconds=max_seconds) if max_seconds else None
            state = _Run(set(), {})
            recovered = await self.repo.recover()
            if recovered:
                logger.warning(
                    "%s broadcast messages were in flight at a crash: uncertain", recovered
                )
            try:
                while go() and (deadline is None or self.clock.now() < deadline):
                    if not await self._step(bot, state, go, deadline):
                        break
            finally:
                if state.inflight:
                    await asyncio.gather(*state.inflight, return_exceptions=True)
                for broadcast in await self.repo.running():
                    await self._maybe_finish(bot, broadcast, state)
        return True

    async def _step(
        self,
        bot: ExtBot[Any],
        state: _Run,
        go: Callable[[], bool],
        deadline: datetime | None,
    ) -> bool:
        """One round: start due broadcasts, report, send one batch. False: nothing left."""
        for broadcast in await self.repo.due():
            if not await self._postponed_for_quiet_hours(bot, broadcast):
                await self._activate(bot, broadcast)
        now = self.clock.now()
        batch: list[Candidate] = []
        chosen: Broadcast | None = None
        for broadcast in await self.repo.running():
            await self._maybe_report(bot, broadcast)
            if broadcast.paused_until is not None and broadcast.paused_until > now:
                continue
            batch = await self.repo.candidates(broadcast.id, self.batch_size)
            if batch:
                chosen = broadcast
                break
            await self._maybe_finish(bot, broadcast, state)
        if chosen is None:
            if state.inflight:
                await asyncio.wait(state.inflight, return_when=asyncio.FIRST_COMPLETED)
                return True
            wake = await self.repo.next_wake()
            if wake is None:
                return False
            delay = wake - self.clock.now()
            if delay > IDLE_HORIZON or (deadline is not None and wake > deadline):
                return False
            await self.sleep(min(max(delay.total_seconds(), 0.05), 1.0))
            return True
        await self._send_batch(bot, chosen, batch, state, go)
        return True

    async def _send_batch(
        self,
        bot: ExtBot[Any],
        broadcast: Broadcast,
        batch: list[Candidate],
        state: _Run,
        go: Callable[[], bool],
    ) -> None:
        slots = self._slots
        for candidate in batch:
            if not go():
                return
            if not candidate.known or candidate.opted_out:
                await self.repo.skip(broadcast.id, candidate.user_id, "skipped", "opted out")
                continue
            if candidate.blocked:
                await self.repo.skip(broadcast.id, candidate.user_id, "blocked", "blocked")
                continue
            await self.pacer.wait()
            if not await self.repo.claim(broadcast.id, candidate.user_id):
                continue  # cancelled, or the user opted out a moment ago
            await slots.acquire()
            task = asyncio.create_task(self._deliver(bot, broadcast, candidate))
            state.inflight.add(task)
            state.per_broadcast[broadcast.id] = state.per_broadcast.get(broadcast.id, 0) + 1

            def done(t: asyncio.Task[None], bid: int = broadcast.id) -> None:
                state.inflight.discard(t)
                state.per_broadcast[bid] -= 1
                slots.release()

            task.add_done_callback(done)
            await asyncio.sleep(0)  # let the send start now, at its slot

    async def _deliver(self, bot: ExtBot[Any], broadcast: Broadcast, candidate: Candidate) -> None:
        """Send to one claimed recipient and record what happened."""
        bid, uid = broadcast.id, candidate.user_id
        try:
            tr = self.i18n.get(candidate.language)
            result = await send_content(
                bot, uid, Content.of(broadcast), tr, users=self.users, no_retry=True
            )
        except Exception as exc:  # never leave a row 'sending' without a word
            logger.exception("broadcast %s: unexpected error sending to %s", bid, uid)
            await self.repo.record(bid, uid, "uncertain", error=type(exc).__name__)
            return
        outcome = result.outcome
        if outcome is Outcome.SENT:
            await self.repo.record(bid, uid, "sent", message_id=result.message_id)
        elif outcome is Outcome.BLOCKED:
            await self.repo.record(bid, uid, "blocked", error=result.error)
        elif outcome is Outcome.FAILED:
            await self.repo.record(bid, uid, "failed", error=result.error)
        elif outcome is Outcome.UNCERTAIN:
            await self.repo.record(bid, uid, "uncertain", error=result.error)
        elif result.retry_after is not None or result.unreachable:
            # Telegram asked us to wait, or cannot be reached at all (network down): pause
            # the whole broadcast; the try does not count against this recipient, so an
            # outage of any length loses nobody (one probe per BROADCAST_RETRY_SECONDS).
            pause = result.retry_after
            if pause is None:
                pause = self.settings.broadcast_retry_seconds
            until = self.clock.now() + timedelta(seconds=pause)
            self.pacer.hold_until(until)
            latest = self._pause_reasons.get(bid)
            if latest is None or until > latest[0]:  # as set_paused: the later pause wins
                self._pause_reasons[bid] = (until, result.retry_after is None)
            await self.repo.set_paused(bid, until)
            await self.repo.record(bid, uid, "pending", error=result.error, next_attempt_at=until)
        else:
            attempts = candidate.attempts + 1
            if attempts >= self.settings.broadcast_max_attempts:
                await self.repo.record(bid, uid, "failed", error=result.error, attempts=attempts)
            else:
                wait = timedelta(
                    seconds=self.settings.broadcast_retry_seconds * 2 ** (attempts - 1)
                )
                await self.repo.record(
                    bid,
                    uid,
                    "pending",
                    error=result.error,
                    attempts=attempts,
                    next_attempt_at=self.clock.now() + min(wait, MAX_BACKOFF),
                )

    async def _postponed_for_quiet_hours(self, bot: ExtBot[Any], broadcast: Broadcast) -> bool:
        """No broadcast starts in the quiet hours: one due before 21.00 that only comes up
        after it (the bot was down or busy) waits until 06.00, and its author is told. One
        whose own time is in the quiet hours was an admin's override: it starts."""
        tz, now = self.settings.tz, self.clock.now()
        if not in_quiet_hours(now, tz) or in_quiet_hours(broadcast.scheduled_at, tz):
            return False
        until = quiet_hours_end(now, tz)
        if await self.repo.postpone(broadcast.id, until):
            logger.info("broadcast %s: due in the quiet hours, moved to %s", broadcast.id, until)
            tr = await self._creator_tr(broadcast)
            text = tr.gettext(
                "🌙 Broadcast #{id} was due at {due} but could only start in the quiet hours "
                "(21.00-06.00 WIB). It will start at {start}; stop it below if it is no longer "
                "wanted."
            ).format(
                id=broadcast.id,
                due=tr.datetime(broadcast.scheduled_at),
                start=tr.datetime(until),
            )
            await safe_send(
                bot, broadcast.created_by, text, reply_markup=stop_button(tr, broadcast.id)
            )
        return True

    async def _activate(self, bot: ExtBot[Any], broadcast: Broadcast) -> None:
        total = await self.repo.activate(broadcast)
        if total is None:
            return
        logger.info("broadcast %s started: %s recipients", broadcast.id, total)
        started = await self.repo.get(broadcast.id)
        if started is None:
            return
        tr = await self._creator_tr(started)
        text = progress_text(tr, started, {"pending": total}, self.clock.now(), self.rate)
        result = await safe_send(
            bot, started.created_by, text, reply_markup=stop_button(tr, started.id)
        )
        await self.repo.set_progress(
            started.id, started.created_by if result.ok else None, result.message_id, text
        )

    async def _maybe_report(self, bot: ExtBot[Any], broadcast: Broadcast) -> None:
        if broadcast.progress_message_id is None:
            return
        every = timedelta(seconds=self.settings.broadcast_progress_seconds)
        if broadcast.progress_at is not None and self.clock.now() - broadcast.progress_at < every:
            return
        await self._show_progress(bot, broadcast, final=False)

    async def _maybe_finish(self, bot: ExtBot[Any], broadcast: Broadcast, state: _Run) -> None:
        if state.per_broadcast.get(broadcast.id, 0) > 0:
            return
        if not await self.repo.finish(broadcast.id):
            return
        logger.info("broadcast %s finished", broadcast.id)
        finished = await self.repo.get(broadcast.id)
        if finished is None:
            return
        tr = await self._creator_tr(finished)
        if finished.progress_message_id is not None:
            await self._show_progress(bot, finished, final=True)
        counts = await self.repo.counts(finished.id)
        await safe_send(bot, finished.created_by, final_report(tr, finished, counts))

    async def _show_progress(self, bot: ExtBot[Any], broadcast: Broadcast, *, final: bool) -> None:
        """Edit the sender's progress message, unless the text would not change."""
        tr = await self._creator_tr(broadcast)
        counts = await self.repo.counts(broadcast.id)
        now = self.clock.now()
        if final:
            text = final_progress_text(tr, broadcast, counts)
            self._pause_reasons.pop(broadcast.id, None)
        else:
            reason = self._pause_reasons.get(broadcast.id)
            unreachable = (
                reason is not None
                and reason[1]
                and broadcast.paused_until is not None
                and reason[0] >= broadcast.paused_until  # stored to the second
            )
            text = progress_text(tr, broadcast, counts, now, self.rate, unreachable=unreachable)
        chat, message_id = broadcast.progress_chat_id, broadcast.progress_message_id
        if text != broadcast.progress_text and chat is not None and message_id is not None:
            markup = None if final else stop_button(tr, broadcast.id)
            try:
                await bot.edit_message_text(
                    text,
                    chat_id=chat,
                    message_id=message_id,
                    reply_markup=markup,
                )
            except TelegramError as exc:
                logger.warning("broadcast %s: progress not updated: %s", broadcast.id, exc)
        await self.repo.set_progress(broadcast.id, chat, message_id, text)

    async def _creator_tr(self, broadcast: Broadcast) -> Translator:
        creator = await self.users.get(broadcast.created_by)
        return self.i18n.get(creator.language if creator else None)


# ---- texts for the sender -------------------------------------------------------------------


def stop_button(tr: Translator, broadcast_id: int) -> InlineKeyboardMarkup:
    """The button under a progress message (handled, staff-checked, in handlers/broadcast.py)."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    tr.gettext("⛔ Stop this broadcast"),
                    callback_data=callbacks.BcStop(broadcast_id).pack(),
                )
            ]
        ]
    )


def _failed(counts: dict[str, int]) -> int:
    return counts.get("failed", 0) + counts.get("blocked", 0)


def estimate_end(
    broadcast: Broadcast, counts: dict[str, int], now: datetime, cap: float
) -> datetime:
    """When the rest will be sent, at the rate achieved so far (the cap before that)."""
    remaining = counts.get("pending", 0) + counts.get("sending", 0)
    done = sum(counts.values()) - remaining
    rate = cap
    if broadcast.started_at is not None:
        elapsed = (now - broadcast.started_at).total_seconds()
        if elapsed >= 5 and done >= 10:
            rate = max(done / elapsed, 0.1)
    start = max(now, broadcast.paused_until or now)
    return start + timedelta(seconds=remaining / rate)


def progress_text(
    tr: Translator,
    broadcast: Broadcast,
    counts: dict[str, int],
    now: datetime,
    cap: float,
    *,
    unreachable: bool = False,
) -> str:
    """The sender's progress message; `unreachable`: the pause is a network outage, not a 429."""
    total = broadcast.total or sum(counts.values())
    end = estimate_end(broadcast, counts, now, cap)
    when = tr.time(end) if tr.date(end) == tr.date(now) else tr.datetime(end)
    lines = [
        tr.gettext("📣 <b>Broadcast #{number}</b> is being sent").format(number=broadcast.id),
        tr.gettext("Sent {sent} of {total} · failed {failed} · done around {time}").format(
            sent=tr.number(counts.get("sent", 0)),
            total=tr.number(total),
            failed=tr.number(_failed(counts)),
            time=when,
        ),
    ]
    if broadcast.paused_until is not None and broadcast.paused_until > now:
        paused = (
            tr.gettext("⏸ Telegram cannot be reached right now; trying again at {time}.")
            if unreachable
            else tr.gettext("⏸ Telegram asked us to wait; sending again at {time}.")
        )
        lines.append(paused.format(time=tr.time(broadcast.paused_until)))
    return "\n".join(lines)


def final_progress_text(tr: Translator, broadcast: Broadcast, counts: dict[str, int]) -> str:
    total = broadcast.total or sum(counts.values())
    # "finished" is said once, by the final report sent below it (issue 17).
    head = (
        tr.gettext("⛔ <b>Broadcast #{number}</b> was cancelled")
        if broadcast.status == "cancelled"
        else tr.gettext("📣 <b>Broadcast #{number}</b>: the report follows below.")
    ).format(number=broadcast.id)
    line = tr.gettext("Sent {sent} of {total} · failed {failed}").format(
        sent=tr.number(counts.get("sent", 0)),
        total=tr.number(total),
        failed=tr.number(_failed(counts)),
    )
    return f"{head}\n{line}"


def final_report(tr: Translator, broadcast: Broadcast, counts: dict[str, int]) -> str:
    """The report sent when a broadcast has finished."""
    total = broadcast.total or sum(counts.values())
    lines = [
        tr.gettext("✅ <b>Broadcast #{number} finished</b>").format(number=broadcast.id),
        tr.gettext("Sent: {count} of {total}").format(
            count=tr.number(counts.get("sent", 0)), total=tr.number(total)
        ),
    ]
    parts = [
        ("blocked", N_("Blocked the bot: {count}")),
        ("failed", N_("Failed: {count}")),
        ("uncertain", N_("Not confirmed (may have arrived): {count}")),
        ("skipped", N_("Skipped (stopped announcements): {count}")),
        ("cancelled", N_("Not sent (cancelled): {count}")),
    ]
    for status, msgid in parts:
        if counts.get(status):
            lines.append(tr.gettext(msgid).format(count=tr.number(counts[status])))
    if broadcast.started_at is not None and broadcast.finished_at is not None:
        took = max(timedelta(seconds=1), broadcast.finished_at - broadcast.started_at)
        lines.append(tr.gettext("Took {duration}.").format(duration=tr.duration(took)))
    return "\n".join(lines)
