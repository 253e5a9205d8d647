"""Office hours of the staff (OFFICE_HOURS), e.g. ``Mon-Fri 08:00-16:00``.

Several periods are separated by ``;``: ``Mon-Thu 08:00-16:00; Fri 08:00-11:00``. Days are
English or Indonesian abbreviations (Mon/Sen, Tue/Sel, Wed/Rab, Thu/Kam, Fri/Jum, Sat/Sab,
Sun/Min), a range (``Mon-Fri``) or a list (``Mon,Wed,Fri``); times are ``HH:MM`` or ``HH.MM``
in the bot's time zone (TIMEZONE, WIB). Empty: no office hours are stated, so users are never
told to wait for them. Public holidays are not known to the bot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

_DAYS = {
    "mon": 0, "sen": 0, "tue": 1, "sel": 1, "wed": 2, "rab": 2, "thu": 3, "kam": 3,
    "fri": 4, "jum": 4, "sat": 5, "sab": 5, "sun": 6, "min": 6, "ahad": 6,
}  # fmt: skip
_PERIOD_RE = re.compile(
    r"^\s*(?P<days>[A-Za-z][A-Za-z,\s-]*?)\s+(?P<start>\d{1,2}[:.]\d{2})\s*-\s*"
    r"(?P<end>\d{1,2}[:.]\d{2})\s*$"
)


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

    def is_open(self, moment: datetime, tz: ZoneInfo) -> bool:
        if not self.periods:
            return True
        local = moment.astimezone(tz)
        now = local.time()
        return any(local.weekday() in p.days and p.start <= now < p.end for p in self.periods)

    def next_open(self, moment: datetime, tz: ZoneInfo) -> datetime | None:
        """The next moment the office opens (None when open now or no hours are set)."""
        if self.is_open(moment, tz):
            return None
        local = moment.astimezone(tz)
        best: datetime | None = None
        for offset in range(8):
            day = local.date() + timedelta(days=offset)
            for period in self.periods:
                if day.weekday() not in period.days:
                    continue
                start = datetime.combine(day, period.start, tzinfo=tz)
                if start > local and (best is None or start < best):
                    best = start
            if best is not None:
                break
        return best
