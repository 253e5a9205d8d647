"""Office hours of the staff (OFFICE_HOURS), e.g. ``Mon-Fri 08:00-16:00``.

Several periods are separated by ``;``: ``Mon-Thu 08:00-16:00; Fri 08:00-11:00``. Days are
English or Indonesian abbreviations (Mon/Sen, Tue/Sel, Wed/Rab, Thu/Kam, Fri/Jum, Sat/Sab,
Sun/Min), a range (``Mon-Fri``) or a list (``Mon,Wed,Fri``); times are ``HH:MM`` or ``HH.MM``
in the bot's time zone (TIMEZONE, WIB). Empty: no office hours are stated, so users are never
told to wait for them.

Closed days (issue 17): Indonesia's public holidays and cuti bersama from the maintained
`holidays` package (categories "public" and "government"), plus the extra days staff add with
/libur (stored in SQLite, `closed_days`). `ClosedDays` answers "is the office closed on this
date?" and the checks below skip such days.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

import holidays

_DAYS = {
    "mon": 0, "sen": 0, "tue": 1, "sel": 1, "wed": 2, "rab": 2, "thu": 3, "kam": 3,
    "fri": 4, "jum": 4, "sat": 5, "sab": 5, "sun": 6, "min": 6, "ahad": 6,
}  # fmt: skip
_PERIOD_RE = re.compile(
    r"^\s*(?P<days>[A-Za-z][A-Za-z,\s-]*?)\s+(?P<start>\d{1,2}[:.]\d{2})\s*-\s*"
    r"(?P<end>\d{1,2}[:.]\d{2})\s*$"
)


MAX_CLOSED_RUN = 31  # next_open looks this many days ahead


class OfficeHoursError(ValueError):
    """OFFICE_HOURS cannot be read; the message says why."""


@dataclass(frozen=True)
class Period:
    days: tuple[int, ...]  # 0 = Monday
    start: time
    end: time


def _day(word: str) -> int:
    key = word.strip().lower()[:4]
    for candidate in (key, key[:3]):
        if candidate in _DAYS:
            return _DAYS[candidate]
    raise OfficeHoursError(f"unknown day '{word.strip()}' (use Mon, Tue ... or Sen, Sel ...)")


def _time(text: str) -> time:
    hour, minute = (int(p) for p in re.split(r"[:.]", text))
    if hour == 24 and minute == 0:
        return time(23, 59, 59)
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise OfficeHoursError(f"'{text}' is not a time of day")
    return time(hour, minute)


def _days(text: str) -> tuple[int, ...]:
    days: list[int] = []
    for part in text.split(","):
        if not part.strip():
            continue
        if "-" in part:
            first, last = (_day(p) for p in part.split("-", 1))
            day = first
            days.append(day)
            while day != last:
                day = (day + 1) % 7
                days.append(day)
        else:
            days.append(_day(part))
    if not days:
        raise OfficeHoursError("no days given")
    return tuple(sorted(set(days)))


class Closed(Protocol):
    def closed_on(self, day: date) -> str | None:
        """The reason the office is closed all day on `day` (a holiday's name), or None."""


# The package's languages for ours: holiday names in the staff member's language.
_HOLIDAY_LANGUAGES = {"id": "id", "en": "en_US"}
HOLIDAY_CATEGORIES = ("public", "government")  # government: cuti bersama


@dataclass
class ClosedDays:
    """Indonesia's public holidays and cuti bersama, plus the extra days staff added.

    `extra` is the in-memory copy of the `closed_days` table (loaded at start, changed only
    through `bot.store.closeddays.ClosedDayRepo`, whose writes update it)."""

    extra: dict[date, str] = field(default_factory=dict)
    _calendars: dict[str, holidays.HolidayBase] = field(default_factory=dict)

    def calendar(self, language: str = "id") -> Mapping[date, str]:
        lang = _HOLIDAY_LANGUAGES.get(language, "id")
        if lang not in self._calendars:
            self._calendars[lang] = holidays.country_holidays(
                "ID", categories=HOLIDAY_CATEGORIES, language=lang
            )
        return self._calendars[lang]  # years are filled in on first use of a date

    def holiday(self, day: date, language: str = "id") -> str | None:
        return self.calendar(language).get(day)

    def closed_on(self, day: date, language: str = "id") -> str | None:
        return self.extra.get(day) or self.holiday(day, language)

    def between(
        self, first: date, last: date, language: str = "id"
    ) -> list[tuple[date, str, bool]]:
        """(day, name, added by staff) for every closed day from `first` to `last`."""
        found: dict[date, tuple[str, bool]] = {}
        calendar = self.calendar(language)
        day = first
        while day <= last:  # a few months at most (the /libur list)
            if name := calendar.get(day):
                found[day] = (name, False)
            day += timedelta(days=1)
        for day, note in self.extra.items():
            if first <= day <= last:
                found[day] = (note, True)
        return [(day, *found[day]) for day in sorted(found)]


@dataclass(frozen=True)
class OfficeHours:
    periods: tuple[Period, ...]

    @classmethod
    def parse(cls, text: str) -> OfficeHours:
        periods = []
        for chunk in text.split(";"):
            if not chunk.strip():
                continue
            match = _PERIOD_RE.match(chunk)
            if match is None:
                raise OfficeHoursError(
                    f"cannot read '{chunk.strip()}': write it like 'Mon-Fri 08:00-16:00'"
                )
            start, end = _time(match["start"]), _time(match["end"])
            if end <= start:
                raise OfficeHoursError(f"'{chunk.strip()}': the end must be after the start")
            periods.append(Period(_days(match["days"]), start, end))
        return cls(tuple(periods))

    @property
    def known(self) -> bool:
        """False when OFFICE_HOURS is empty: the bot then says nothing about hours."""
        return bool(self.periods)

    def is_open(self, moment: datetime, tz: ZoneInfo, closed: Closed | None = None) -> bool:
        if not self.periods:
            return True
        local = moment.astimezone(tz)
        if closed is not None and closed.closed_on(local.date()):
            return False
        now = local.time()
        return any(local.weekday() in p.days and p.start <= now < p.end for p in self.periods)

    def open_on(self, day: date, closed: Closed | None = None) -> bool:
        """Whether the office opens at all on `day` (True when no hours are set)."""
        if not self.periods:
            return closed is None or not closed.closed_on(day)
        if closed is not None and closed.closed_on(day):
            return False
        return any(day.weekday() in p.days for p in self.periods)

    def next_open(
        self, moment: datetime, tz: ZoneInfo, closed: Closed | None = None
    ) -> datetime | None:
        """The next moment the office opens (None when open now or no hours are set).

        Closed days are skipped; after MAX_CLOSED_RUN days in a row without an opening (a
        long closure staff typed by mistake) there is no answer rather than a wrong one."""
        if self.is_open(moment, tz, closed):
            return None
        local = moment.astimezone(tz)
        best: datetime | None = None
        for offset in range(MAX_CLOSED_RUN):
            day = local.date() + timedelta(days=offset)
            if closed is not None and closed.closed_on(day):
                continue
            for period in self.periods:
                if day.weekday() not in period.days:
                    continue
                start = datetime.combine(day, period.start, tzinfo=tz)
                if start > local and (best is None or start < best):
                    best = start
            if best is not None:
                break
        return best


_DATE_FORMATS = (
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})", re.ASCII),
    re.compile(r"(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>\d{4})", re.ASCII),
)


def parse_date(text: str) -> date | None:
    """'2026-12-24', '24-12-2026', '24/12/2026', '24.12.2026' -> a date; else None."""
    for pattern in _DATE_FORMATS:
        match = pattern.fullmatch(text.strip())
        if match is not None:
            try:
                return date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                return None
    return None
