"""Times as staff type them when scheduling a broadcast: "besok jam 8", "Jumat 09.00",
"nanti jam 4 sore", "lusa pukul 7.30 pagi", "tomorrow 8", "friday 14:00".

A small explicit parser (issue 17): `dateparser` was tried and read "besok jam 8" as
tomorrow at the current time, and "nanti jam 4 sore" or "lusa jam 9" not at all, for four
more dependencies. What it does not recognise it leaves alone (None); the caller shows every
parsed time back for confirmation, so a wrong guess is never scheduled silently.

    [day] [jam|pukul|at] H[(.|:)MM] [pagi|siang|sore|malam|am|pm] [wib]

day: besok/tomorrow, lusa, hari ini/nanti/today, a weekday (Senin..Minggu, Monday..Sunday:
the next one, today when the time is still ahead). Without a part of the day, an hour from 1
to 11 that has already passed "today" ("nanti jam 4" at 10.00) is read as the afternoon.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

_WEEKDAYS = {
    "senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "jum'at": 4, "sabtu": 5,
    "minggu": 6, "ahad": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}  # fmt: skip
_DAYS_AHEAD = {"besok": 1, "tomorrow": 1, "lusa": 2, "hari ini": 0, "nanti": 0, "today": 0}
_PART = r"pagi|siang|sore|petang|malam|am|pm"
_DAY = "|".join(
    re.escape(word) for word in sorted([*_WEEKDAYS, *_DAYS_AHEAD], key=len, reverse=True)
)
_RE = re.compile(
    rf"^(?:(?:hari\s+)?(?P<day>{_DAY})\s*,?\s*)?"
    rf"(?:(?:jam|pukul|pkl\.?|at)\s*)?"
    rf"(?P<hour>\d{{1,2}})(?:[.:](?P<minute>\d{{2}}))?\s*"
    rf"(?P<part>{_PART})?\s*(?:wib)?$",
    re.IGNORECASE | re.ASCII,
)


def _hour_of(hour: int, part: str | None) -> int | None:
    """The 24-hour clock hour for "jam 4 sore" (16), "jam 12 siang" (12), "jam 9 malam" (21)."""
    if part is None:
        return hour if 0 <= hour <= 23 else None
    if not 1 <= hour <= 12:
        return hour if part in ("siang", "sore", "petang", "malam") and 13 <= hour <= 23 else None
    if part in ("pagi", "am"):
        return 0 if hour == 12 else hour
    if part == "siang":
        return hour if hour >= 10 else hour + 12  # jam 11 siang, jam 1 siang
    if part == "malam" and hour == 12:
        return 0  # midnight: read as the start of that day
    return hour if hour == 12 else hour + 12  # sore, petang, malam, pm


def parse_natural(text: str, now: datetime, tz: ZoneInfo) -> datetime | None:
    """The moment `text` names, in `tz`, or None when it is not one of the forms above. It
    needs a day word or a part of the day or "jam"/"pukul": a bare "8" is not a time."""
    cleaned = " ".join(text.strip().lower().replace("’", "'").split())
    match = _RE.match(cleaned)
    if match is None:
        return None
    day_word, part = match["day"], (match["part"] or "").lower() or None
    if day_word is None and part is None and not re.match(r"(jam|pukul|pkl|at)\b", cleaned):
        return None
    hour = _hour_of(int(match["hour"]), part)
    minute = int(match["minute"] or 0)
    if hour is None or minute > 59:
        return None
    local = now.astimezone(tz)
    today = local.date()

    def at(day: date, h: int) -> datetime:
        return datetime(day.year, day.month, day.day, h, minute, tzinfo=tz)

    word = (day_word or "").lower()
    if word in _WEEKDAYS:
        ahead = (_WEEKDAYS[word] - today.weekday()) % 7
        moment = at(today + timedelta(days=ahead), hour)
        return moment if moment > local else moment + timedelta(days=7)
    if word and _DAYS_AHEAD[word] > 0:
        return at(today + timedelta(days=_DAYS_AHEAD[word]), hour)
    moment = at(today, hour)
    if moment <= local and part is None and 1 <= hour <= 11 and at(today, hour + 12) > local:
        return at(today, hour + 12)  # "nanti jam 4" at 10.00: the afternoon
    if moment <= local and not word:
        return moment + timedelta(days=1)  # "jam 7" late in the day: tomorrow
    return moment
