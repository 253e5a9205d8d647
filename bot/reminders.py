"""Monthly contribution reminders: rules, next-due computation, and the due-reminder worker.

The `reminders` table is the schedule. One periodic worker (`ReminderService.tick`, run by the
JobQueue every WORKER_INTERVAL_SECONDS and once at start) claims the due rows one at a time:

1. In one transaction it picks the oldest due row and moves it on *before* sending: the
   month it reminds about is written to `sent_month` and `next_due` jumps to the next month.
2. It sends through `safe_send`. A crash after this point can lose at most this one message;
   it can never send the month twice, because the row already says it was sent.
3. Only when Telegram clearly did *not* take the message (RETRY_LATER) is the row put back.
   A 5xx says something went wrong with this send: the row is tried again a little later in
   the same month, with a doubling wait, at most MAX_ATTEMPTS times. Telegram unreachable
   (no connection could be made) or asking us to wait (429 after the rate limiter's own
   retry) says nothing about this person: the row goes back exactly as it was, no try
   counted, and all reminder sending pauses bot-wide (OUTAGE_PROBE_SECONDS, or Telegram's
   retry_after), within the same run while its time budget lasts. One probe per pause, so
   an outage of any length costs nobody a try, and sending resumes seconds after Telegram
   is back. A timeout (UNCERTAIN) is never resent. A 403 pauses the reminder until the user
   writes to the bot again.

All times come from the injected clock; rules are in local time (WIB, settings.tz, no DST)
and stored as UTC. Days 29-31 fall on the last day of shorter months; day 0 means "the last
day of the month" ("Akhir bulan").
"""

from __future__ import annotations

import asyncio
import calendar
import enum
import html
import logging
import re
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from babel.dates import format_date
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.clock import Clock, FakeClock
from bot.commands import Cmd
from bot.config import Settings
from bot.db import Database
from bot.dialogs import DialogKind, JsonState
from bot.i18n import N_, I18n, Translator
from bot.sender import Outcome, SendResult, safe_send
from bot.store.reminders import Reminder, ReminderRepo
from bot.store.users import UserRepo

if TYPE_CHECKING:
    from telegram.ext import ExtBot

logger = logging.getLogger(__name__)

END_OF_MONTH = 0
"""The `day` of a rule that always falls on the last day of the month."""

MAX_SNOOZES_PER_MONTH = 3
SNOOZE_DELAY = timedelta(hours=24)
DRAFT_TTL = timedelta(minutes=30)  # a set-up left alone longer is forgotten
RETRY_MAX = timedelta(hours=1)
MAX_ATTEMPTS = 10
# How many rows one claim transaction may skip (paid, missed, blocked) before it lets go of
# the database lock; the tick simply continues with another transaction.
MAX_SKIPS_PER_CLAIM = 200
RESUME_BATCH = 500

# While Telegram cannot be reached, one reminder is tried (a probe) this often.
OUTAGE_PROBE_SECONDS = 5.0


@dataclass(frozen=True)
class ReminderSetup(JsonState):
    """The reminder set-up dialogue: the day chosen so far (steps "day", then "time")."""

    day: int | None = None


REMINDER_SETUP = DialogKind(
    name="reminder",
    title=N_("payment reminder set-up"),
    steps=("day", "time"),
    state=ReminderSetup,
    ttl=DRAFT_TTL,
    commands=(Cmd.REMINDER,),
    numeric=frozenset({"day", "time"}),
)


Sleep = Callable[[float], Awaitable[None]]

# ---- months and due times -------------------------------------------------------------


def snooze_waiting(reminder: Reminder) -> bool:
    """True when an "Ingatkan besok" of an unpaid month is waiting to be sent."""
    return (
        reminder.active
        and not reminder.paused
        and reminder.due_kind == "snooze"
        and reminder.next_due is not None
        and reminder.due_month is not None
        and (reminder.paid_month is None or reminder.paid_month < reminder.due_month)
    )


def month_key(year: int, month: int) -> str:
    """'2026-01'."""
    return f"{year:04d}-{month:02d}"


def parse_month_key(key: str) -> tuple[int, int] | None:
    match = re.fullmatch(r"(\d{4})-(\d{2})", key)
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    return (year, month) if 2000 <= year <= 9999 and 1 <= month <= 12 else None


def _add_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def _later(a: str | None, b: str | None) -> str | None:
    """The later of two month keys (None counts as 'none yet')."""
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def local_month(moment: datetime, tz: ZoneInfo) -> str:
    local = moment.astimezone(tz)
    return month_key(local.year, local.month)


def month_end(key: str, tz: ZoneInfo) -> datetime:
    """The first instant (UTC) after the month `key` ends in local time."""
    parsed = parse_month_key(key)
    if parsed is None:
        raise ValueError(f"not a month key: {key!r}")
    year, month = _add_month(*parsed)
    return datetime(year, month, 1, tzinfo=tz).astimezone(UTC)


@dataclass(frozen=True)
class Rule:
    """When a person wants to be reminded: a day of the month and a local time of day."""

    day: int  # 1-31, or END_OF_MONTH
    hour: int
    minute: int

    def __post_init__(self) -> None:
        if not (self.day == END_OF_MONTH or 1 <= self.day <= 31):
            raise ValueError(f"day must be 1-31 or {END_OF_MONTH}, not {self.day}")
        if not (0 <= self.hour <= 23 and 0 <= self.minute <= 59):
            raise ValueError(f"not a time of day: {self.hour}:{self.minute}")

    @property
    def minute_of_day(self) -> int:
        return self.hour * 60 + self.minute

    @classmethod
    def from_reminder(cls, reminder: Reminder) -> Rule:
        return cls(reminder.day, reminder.minute // 60, reminder.minute % 60)

    def occurrence(self, year: int, month: int, tz: ZoneInfo) -> datetime:
        """This rule's moment in the given month, as UTC.

        Days past the end of a short month fall on its last day (31 -> 30 April, -> 28 or
        29 February); END_OF_MONTH is always the last day.
        """
        last = calendar.monthrange(year, month)[1]
        day = last if self.day == END_OF_MONTH else min(self.day, last)
        return datetime(year, month, day, self.hour, self.minute, tzinfo=tz).astimezone(UTC)


def next_due_after(
    rule: Rule, after: datetime, tz: ZoneInfo, done_through: str | None = None
) -> tuple[datetime, str]:
    """The first occurrence strictly after `after` in a month later than `done_through`.

    `done_through` is the newest month that needs no more reminders (already reminded, or
    marked as paid). Returns the due time (UTC) and the month it reminds about.
    """
    local = after.astimezone(tz)
    year, month = local.year, local.month
    if done_through is not None and month_key(year, month) <= done_through:
        parsed = parse_month_key(done_through)
        if parsed is None:
            raise ValueError(f"not a month key: {done_through!r}")
        year, month = _add_month(*parsed)
    for _ in range(3):
        due = rule.occurrence(year, month, tz)
        if due > after:
            return due, month_key(year, month)
        year, month = _add_month(year, month)
    raise AssertionError("a monthly rule always has an occurrence within two months")


# ---- what people type ------------------------------------------------------------------

_DAY_PREFIX = re.compile(r"^(?:setiap\s+)?(?:tgl\.?|tanggal|tang?gal|day)?\s*")
_END_WORDS = {"akhir bulan", "akhir", "akhir bln", "end of month", "end", "last day"}
_TIME_PREFIX = re.compile(r"^(?:jam|pukul|pkl\.?|pk\.?|at)?\s*")
_TIME_SUFFIX = re.compile(r"\s*(?:wib)?$")


def parse_day(text: str) -> int | None:
    """'5', 'tgl 5', 'tanggal 31', 'akhir bulan' -> 5, 5, 31, END_OF_MONTH; else None."""
    if len(text) > 40:
        return None
    value = " ".join(text.strip().lower().split())
    if value in _END_WORDS:
        return END_OF_MONTH
    value = _DAY_PREFIX.sub("", value, count=1).rstrip(".")
    if not re.fullmatch(r"\d{1,2}", value):
        return None
    day = int(value)
    return day if 1 <= day <= 31 else None


def parse_time(text: str) -> tuple[int, int] | None:
    """'07.30', '7:30', 'jam 19', '19.00 WIB' -> (hour, minute) on a 24-hour clock; else None."""
    if len(text) > 40:
        return None
    value = " ".join(text.strip().lower().split())
    value = _TIME_PREFIX.sub("", value, count=1)
    value = _TIME_SUFFIX.sub("", value, count=1)
    match = re.fullmatch(r"(\d{1,2})(?:[.:](\d{2}))?", value)
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        return None
    return hour, minute


# ---- how reminders look ----------------------------------------------------------------


def month_label(tr: Translator, key: str) -> str:
    """'Januari 2026' (the month's name in the user's language, with Babel)."""
    parsed = parse_month_key(key)
    if parsed is None:
        return key
    return format_date(date(parsed[0], parsed[1], 1), "MMMM y", locale=tr.locale)


def day_label(tr: Translator, day: int) -> str:
    return tr.gettext("End of month") if day == END_OF_MONTH else str(day)


def rule_text(tr: Translator, day: int, minute: int) -> str:
    """'setiap tanggal 5, pukul 07.00 WIB' / 'setiap akhir bulan, pukul 19.00 WIB'."""
    at = tr.time(time(minute // 60, minute % 60))
    if day == END_OF_MONTH:
        return tr.gettext("on the last day of every month, at {time}").format(time=at)
    return tr.gettext("every month on day {day}, at {time}").format(day=day, time=at)


class MessageKind(enum.StrEnum):
    REGULAR = "regular"
    SNOOZE = "snooze"
    EXAMPLE = "example"


def reminder_message(
    tr: Translator, first_name: str, month: str, amount: int, kind: MessageKind
) -> tuple[str, InlineKeyboardMarkup]:
    """The reminder a person receives, with its three buttons."""
    _ = tr.gettext
    parts = []
    if kind is MessageKind.EXAMPLE:
        parts.append(_("<i>Example: this is how your reminder will look.</i>"))
    elif kind is MessageKind.SNOOZE:
        parts.append(_("As you asked, here is your reminder again."))
    parts.append(
        _(
            "⏰ <b>Contribution reminder</b>\n"
            "Hello, {name}! Please remember to pay your BPJS Ketenagakerjaan contribution "
            "for {month}: <b>{amount}</b>. Paying every month keeps your protection active. 🙏"
        ).format(
            name=html.escape(first_name or _("Sir/Madam")),
            month=month_label(tr, month),
            amount=tr.money(amount),
        )
    )
    if kind is MessageKind.EXAMPLE:
        paid = snooze = stop = callbacks.REM_DEMO.pack()
    else:
        paid, snooze = callbacks.RemPaid(month).pack(), callbacks.RemSnooze(month).pack()
        stop = callbacks.REM_STOP.pack()
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(_("✅ Already paid"), callback_data=paid),
                InlineKeyboardButton(_("⏰ Remind me tomorrow"), callback_data=snooze),
            ],
            [InlineKeyboardButton(_("🔕 Stop reminders"), callback_data=stop)],
        ]
    )
    return "\n\n".join(parts), markup


# ---- rate --------------------------------------------------------------------------------


class SendWindow:
    """At most `per_second` sends in any one-second window, measured on the injected clock.

    A sliding log of the last sends: before a send, wait (with `sleep`) until the oldest of
    the last `per_second` sends is a full second old. With a FakeClock the wait moves the
    clock instead of sleeping, so tests and benchmarks run at full speed.
    """

    def __init__(self, clock: Clock, per_second: int, sleep: Sleep) -> None:
        if per_second < 1:
            raise ValueError("per_second must be at least 1")
        self.clock = clock
        self.per_second = per_second
        self.sleep = sleep
        self._sent: deque[datetime] = deque()

    def _forget_old(self, now: datetime) -> None:
        while self._sent and now - self._sent[0] >= timedelta(seconds=1):
            self._sent.popleft()

    async def wait(self) -> None:
        """Return when one more send is allowed now."""
        while True:
            now = self.clock.now()
            self._forget_old(now)
            if len(self._sent) < self.per_second:
                return
            wait = (self._sent[0] + timedelta(seconds=1) - now).total_seconds()
            await self.sleep(max(wait, 0.001))

    def record(self) -> None:
        self._sent.append(self.clock.now())


def clock_sleep(clock: Clock) -> Sleep:
    """Sleep on the given clock: a FakeClock just moves forward; the real one really waits."""
    if isinstance(clock, FakeClock):
        fake = clock

        async def advance(seconds: float) -> None:
            fake.advance(seconds=seconds)
            await asyncio.sleep(0)

        return advance
    return asyncio.sleep


# ---- results -----------------------------------------------------------------------------


class PaidStatus(enum.StrEnum):
    RECORDED = "recorded"
    ALREADY = "already"


class SnoozeStatus(enum.StrEnum):
    SNOOZED = "snoozed"
    ALREADY = "already"  # a "tomorrow" for this month is already waiting
    LIMIT = "limit"  # MAX_SNOOZES_PER_MONTH used up
    PAID = "paid"  # the month is marked as paid
    STALE = "stale"  # a newer month's reminder has gone out since
    INACTIVE = "inactive"  # the person has no active reminder


@dataclass(frozen=True)
class PaidResult:
    status: PaidStatus
    reminder: Reminder | None


@dataclass(frozen=True)
class SnoozeResult:
    status: SnoozeStatus
    reminder: Reminder | None


@dataclass
class TickReport:
    """What one worker run did."""

    sent: int = 0
    uncertain: int = 0  # timed out: maybe delivered, never resent
    failed: int = 0  # refused for good (400), or retries used up
    retry_later: int = 0  # put back for another try this month
    released: int = 0  # Telegram unreachable or asked to wait: put back untouched, no try
    blocked: int = 0  # 403 now, or the user was already marked blocked: paused
    skipped_missed: int = 0  # later than the grace period: skipped to the next month
    skipped_done: int = 0  # month already paid or already reminded
    resumed: int = 0  # paused reminders of users who wrote again
    more_due: bool = False  # stopped at the time budget with rows still due
    busy: bool = False  # another run was in progress

    @property
    def attempted(self) -> int:
        return self.sent + self.uncertain + self.failed + self.retry_later + self.blocked


@dataclass(frozen=True)
class _Claim:
    before: Reminder  # the row as it was before the claim
    after_rev: int
    month: str
    kind: MessageKind
    first_name: str
    language: str


_CONTINUE = object()


# ---- the service -------------------------------------------------------------------------


@dataclass
class ReminderService:
    """Reminder rules for the chat handlers, and the worker that sends the due reminders."""

    settings: Settings
    clock: Clock
    db: Database
    i18n: I18n
    users: UserRepo
    repo: ReminderRepo = field(default_factory=ReminderRepo)
    sleep: Sleep | None = None

    def __post_init__(self) -> None:
        self._sleep: Sleep = self.sleep or clock_sleep(self.clock)
        self.window = SendWindow(
            self.clock, self.settings.reminder_max_per_second, lambda s: self._sleep(s)
        )
        self._running = asyncio.Lock()
        # Bot-wide: no reminder leaves before this (Telegram unreachable, or its retry_after).
        self._hold_until: datetime | None = None
        self._away_since: datetime | None = None  # the first send that found Telegram away

    @property
    def tz(self) -> ZoneInfo:
        return self.settings.tz

    @property
    def grace(self) -> timedelta:
        return timedelta(hours=self.settings.reminder_grace_hours)

    # ---- for the chat handlers ---------------------------------------------------------

    async def get(self, user_id: int) -> Reminder | None:
        """The person's reminder; a paused one is resumed when they are reachable again."""
        reminder = await self.repo.get(self.db, user_id)
        if reminder is not None and reminder.paused:
            user = await self.users.get(user_id)
            if user is not None and user.blocked_at is None:
                async with self.db.transaction() as tx:
                    current = await self.repo.get(tx, user_id)
                    if current is not None and current.paused:
                        await self.repo.save(tx, self._resumed(current, self.clock.now()))
                reminder = await self.repo.get(self.db, user_id)
        return reminder

    async def set_rule(self, user_id: int, rule: Rule) -> Reminder:
        """Create or change the person's reminder and compute its next due time."""
        now = self.clock.now()
        async with self.db.transaction() as tx:
            current = await self.repo.get(tx, user_id)
            done = _later(current.sent_month, current.paid_month) if current else None
            due, month = next_due_after(rule, now, self.tz, done)
            if current is None:
                await self.repo.insert(
                    tx, Reminder.new(user_id, rule.day, rule.minute_of_day, due, month, now)
                )
            elif snooze_waiting(current):
                # A waiting "Ingatkan besok" is kept (issue 17): it still comes at its time,
                # and the new rule takes over after it (the worker moves on by the rule).
                await self.repo.save(
                    tx,
                    replace(
                        current,
                        day=rule.day,
                        minute=rule.minute_of_day,
                        attempts=0,
                        updated_at=now,
                    ),
                )
            else:
                await self.repo.save(
                    tx,
                    replace(
                        current,
                        day=rule.day,
                        minute=rule.minute_of_day,
                        active=True,
                        paused=False,
                        next_due=due,
                        due_month=month,
                        due_kind="regular",
                        attempts=0,
                        updated_at=now,
                    ),
                )
            saved = await self.repo.get(tx, user_id)
        assert saved is not None
        logger.info("reminder of user %s set: day %s minute %s", user_id, rule.day, rule.minute)
        return saved

    async def stop(self, user_id: int) -> bool:
        """Stop the person's reminders; False when there was none running."""
        now = self.clock.now()
        async with self.db.transaction() as tx:
            current = await self.repo.get(tx, user_id)
            if current is None or not current.active:
                return False
            await self.repo.save(
                tx, replace(current, active=False, paused=False, next_due=None, updated_at=now)
            )
        logger.info("reminder of user %s stopped", user_id)
        return True

    async def mark_paid(self, user_id: int, month: str) -> PaidResult:
        """'Sudah bayar': no more reminders about `month` (nor a waiting 'tomorrow')."""
        now = self.clock.now()
        async with self.db.transaction() as tx:
            current = await self.repo.get(tx, user_id)
            if current is None:
                return PaidResult(PaidStatus.ALREADY, None)
            if current.paid_month is not None and current.paid_month >= month:
                return PaidResult(PaidStatus.ALREADY, current)
            updated = replace(current, paid_month=month, updated_at=now)
            if current.active and current.due_month is not None and current.due_month <= month:
                due, due_month = next_due_after(
                    Rule.from_reminder(current), now, self.tz, _later(current.sent_month, month)
                )
                if not current.paused:
                    updated = replace(updated, next_due=due)
                updated = replace(updated, due_month=due_month, due_kind="regular", attempts=0)
            await self.repo.save(tx, updated)
            saved = await self.repo.get(tx, user_id)
        logger.info("user %s marked %s as paid", user_id, month)
        return PaidResult(PaidStatus.RECORDED, saved)

    async def snooze(self, user_id: int, month: str) -> SnoozeResult:
        """'Ingatkan besok': once more in 24 hours, at most MAX_SNOOZES_PER_MONTH a month."""
        now = self.clock.now()
        async with self.db.transaction() as tx:
            current = await self.repo.get(tx, user_id)
            if current is None or not current.active:
                return SnoozeResult(SnoozeStatus.INACTIVE, current)
            if current.paid_month is not None and current.paid_month >= month:
                return SnoozeResult(SnoozeStatus.PAID, current)
            if current.due_kind == "snooze" and current.due_month == month and current.next_due:
                return SnoozeResult(SnoozeStatus.ALREADY, current)
            if current.sent_month != month:
                return SnoozeResult(SnoozeStatus.STALE, current)
            used = current.snooze_count if current.snooze_month == month else 0
            if used >= MAX_SNOOZES_PER_MONTH:
                return SnoozeResult(SnoozeStatus.LIMIT, current)
            await self.repo.save(
                tx,
                replace(
                    current,
                    paused=False,
                    next_due=now + SNOOZE_DELAY,
                    due_month=month,
                    due_kind="snooze",
                    attempts=0,
                    snooze_month=month,
                    snooze_count=used + 1,
                    updated_at=now,
                ),
            )
            saved = await self.repo.get(tx, user_id)
        return SnoozeResult(SnoozeStatus.SNOOZED, saved)

    def current_month(self) -> str:
        return local_month(self.clock.now(), self.tz)

    # ---- the worker ----------------------------------------------------------------------

    async def tick(self, bot: ExtBot[Any], budget: timedelta | None = None) -> TickReport:
        """Send what is due, at most REMINDER_MAX_PER_SECOND, for at most `budget` of time.

        The default budget is a little under one worker interval, so runs never overlap;
        what is left is picked up by the next run.
        """
        if self._running.locked():
            return TickReport(busy=True)
        async with self._running:
            interval = self.settings.worker_interval_seconds
            budget = budget or timedelta(seconds=max(1.0, interval - 1.0))
            started = self.clock.now()
            report = TickReport()
            await self._resume_reachable(report)
            while True:
                if self.clock.now() - started >= budget or not await self._hold(started + budget):
                    report.more_due = bool(await self.repo.due(self.db, self.clock.now(), 1))
                    break
                await self.window.wait()
                claim = await self._claim_next(report)
                if claim is _CONTINUE:
                    continue
                if claim is None:
                    break
                assert isinstance(claim, _Claim)
                self.window.record()
                result = await self._send(bot, claim)
                await self._settle(claim, result, report)
            if report.attempted or report.skipped_missed or report.resumed or report.released:
                logger.info("reminder run: %s", report)
            return report

    async def _hold(self, deadline: datetime) -> bool:
        """Wait out a bot-wide pause; False (without waiting) when it lasts past `deadline`."""
        hold = self._hold_until
        if hold is None:
            return True
        now = self.clock.now()
        if hold > deadline:
            return False
        if hold > now:
            await self._sleep((hold - now).total_seconds())
        self._hold_until = None
        return True

    def _pause(self, result: SendResult) -> None:
        """Telegram unreachable, or its retry_after: no reminder leaves for a while."""
        seconds = result.retry_after if result.retry_after is not None else OUTAGE_PROBE_SECONDS
        now = self.clock.now()
        until = now + timedelta(seconds=seconds)
        if self._hold_until is None or until > self._hold_until:
            self._hold_until = until
        if self._away_since is None:  # once per outage, not once per probe
            self._away_since = now
            if result.retry_after is not None:
                logger.warning("Telegram asked to wait: reminders pause for %s s", seconds)
            else:
                logger.warning("Telegram unreachable: reminders pause, one try every %s s", seconds)

    def _answered(self) -> None:
        """Telegram answered a reminder: the end of a pause, if there was one."""
        if self._away_since is not None:
            away = (self.clock.now() - self._away_since).total_seconds()
            self._away_since = None
            logger.info("reminders sending again after a %.0f s pause", away)

    def _resumed(self, reminder: Reminder, now: datetime) -> Reminder:
        """A paused reminder picks up at its next occurrence: no burst of old ones."""
        done = _later(reminder.sent_month, reminder.paid_month)
        due, month = next_due_after(Rule.from_reminder(reminder), now, self.tz, done)
        return replace(
            reminder,
            paused=False,
            next_due=due if reminder.active else None,
            due_month=month,
            due_kind="regular",
            attempts=0,
            updated_at=now,
        )

    async def _resume_reachable(self, report: TickReport) -> None:
        """Paused reminders of users who wrote again go back on the schedule."""
        now = self.clock.now()
        while True:
            # A plain read first: most runs find nothing and take no write lock.
            rows = await self.repo.paused_reachable(self.db, RESUME_BATCH)
            if not rows:
                return
            async with self.db.transaction() as tx:
                for reminder in rows:
                    # `save` checks rev: a row changed since the read is left alone.
                    if await self.repo.save(tx, self._resumed(reminder, now)):
                        report.resumed += 1
                        logger.info("reminder of user %s resumed", reminder.user_id)
            if len(rows) < RESUME_BATCH:
                return

    async def _claim_next(self, report: TickReport) -> _Claim | object | None:
        """Take the oldest due row and move it on, in one transaction, before any send.

        Rows that need no message (user blocked, missed by more than the grace period,
        month paid or already reminded) are moved on in the same transaction.
        """
        now = self.clock.now()
        if not await self.repo.due(self.db, now, 1):
            return None  # the usual case: a read through the index, no write lock
        async with self.db.transaction() as tx:
            for _ in range(MAX_SKIPS_PER_CLAIM):
                rows = await self.repo.due(tx, now, 1)
                if not rows:
                    return None
                due = rows[0]
                current = due.reminder
                assert current.next_due is not None
                if due.blocked or not current.active or current.due_month is None:
                    # Paused until the person writes again (see _resume_reachable).
                    await self.repo.save(
                        tx, replace(current, paused=current.active, next_due=None, updated_at=now)
                    )
                    report.blocked += 1
                    continue
                month = current.due_month
                rule = Rule.from_reminder(current)
                late = now - current.next_due
                if late > self.grace:
                    done = _later(current.sent_month, current.paid_month)
                    next_due, next_month = next_due_after(rule, now, self.tz, done)
                    await self.repo.save(tx, self._moved(current, next_due, next_month, now))
                    logger.info(
                        "reminder of user %s for %s missed by %s (grace %s); next one %s",
                        current.user_id,
                        month,
                        late,
                        self.grace,
                        next_due.isoformat(),
                    )
                    report.skipped_missed += 1
                    continue
                paid = current.paid_month is not None and current.paid_month >= month
                already = (
                    current.due_kind == "regular"
                    and current.sent_month is not None
                    and current.sent_month >= month
                )
                if paid or already:
                    done = _later(current.sent_month, current.paid_month)
                    next_due, next_month = next_due_after(rule, now, self.tz, done)
                    await self.repo.save(tx, self._moved(current, next_due, next_month, now))
                    report.skipped_done += 1
                    continue
                sent_month = _later(current.sent_month, month)
                next_due, next_month = next_due_after(
                    rule, now, self.tz, _later(sent_month, current.paid_month)
                )
                claimed = replace(
                    self._moved(current, next_due, next_month, now),
                    sent_month=sent_month,
                    last_sent_at=now,
                )
                await self.repo.save(tx, claimed)
                return _Claim(
                    before=current,
                    after_rev=current.rev + 1,
                    month=month,
                    kind=MessageKind(current.due_kind),
                    first_name=due.first_name,
                    language=due.language,
                )
        return _CONTINUE

    @staticmethod
    def _moved(reminder: Reminder, due: datetime, month: str, now: datetime) -> Reminder:
        return replace(
            reminder,
            next_due=due,
            due_month=month,
            due_kind="regular",
            attempts=0,
            updated_at=now,
        )

    async def _send(self, bot: ExtBot[Any], claim: _Claim) -> SendResult:
        tr = self.i18n.get(claim.language)
        text, markup = reminder_message(
            tr,
            claim.first_name,
            claim.month,
            self.settings.contribution_monthly_idr,
            claim.kind,
        )
        return await safe_send(
            bot, claim.before.user_id, text, reply_markup=markup, users=self.users
        )

    async def _settle(self, claim: _Claim, result: SendResult, report: TickReport) -> None:
        """Record what Telegram answered. Only a clear 'not delivered' puts the row back."""
        user_id, month = claim.before.user_id, claim.month
        away = result.outcome is Outcome.RETRY_LATER and (
            result.unreachable or result.retry_after is not None
        )
        if away:
            self._pause(result)
        elif result.outcome is not Outcome.UNCERTAIN:
            self._answered()
        if result.outcome is Outcome.SENT:
            report.sent += 1
            return
        if result.outcome is Outcome.UNCERTAIN:
            logger.warning("reminder to user %s for %s may not have arrived", user_id, month)
            report.uncertain += 1
            return
        if result.outcome is Outcome.FAILED:
            logger.warning("reminder to user %s for %s refused: %s", user_id, month, result.error)
            report.failed += 1
            return
        now = self.clock.now()
        before = claim.before
        async with self.db.transaction() as tx:
            current = await self.repo.get(tx, user_id)
            if current is None or current.rev != claim.after_rev:
                return  # the person changed their reminder meanwhile: theirs wins
            if away:
                # Nothing about this person: the row goes back exactly as it was before the
                # claim (same due time, same tries) and everyone waits (see _pause).
                await self.repo.save(tx, replace(before, rev=current.rev, updated_at=now))
                report.released += 1
                return
            undelivered = replace(
                current, sent_month=before.sent_month, last_sent_at=before.last_sent_at
            )
            if result.outcome is Outcome.BLOCKED:
                await self.repo.save(
                    tx, replace(undelivered, paused=True, next_due=None, updated_at=now)
                )
                report.blocked += 1
                return
            # RETRY_LATER (a 5xx): Telegram did not take it; try again later this month.
            first = timedelta(seconds=self.settings.reminder_retry_seconds)
            delay = min(first * (2**before.attempts), RETRY_MAX)
            retry_at = now + delay
            assert before.next_due is not None
            deadline = max(month_end(month, self.tz), before.next_due + SNOOZE_DELAY)
            if before.attempts + 1 >= MAX_ATTEMPTS or retry_at >= deadline:
                await self.repo.save(tx, replace(undelivered, updated_at=now))
                logger.warning("reminder to user %s for %s given up after retries", user_id, month)
                report.failed += 1
                return
            await self.repo.save(
                tx,
                replace(
                    undelivered,
                    next_due=retry_at,
                    due_month=before.due_month,
                    due_kind=before.due_kind,
                    attempts=before.attempts + 1,
                    updated_at=now,
                ),
            )
            report.retry_later += 1
