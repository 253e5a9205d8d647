"""Time as a dependency: every piece of time logic asks a Clock, so tests control it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Something that tells the current time as an aware UTC datetime."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FakeClock:
    """A clock that only moves when told to (tests, the simulator, benchmarks)."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 1, 5, 0, 0, tzinfo=UTC)
        if self._now.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime) -> None:
        if when.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self._now = when.astimezone(UTC)

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        self._now += delta if delta is not None else timedelta(**kwargs)
        return self._now


def to_db(when: datetime) -> str:
    """Format an aware datetime for storage: ISO 8601 in UTC, second precision, sortable."""
    if when.tzinfo is None:
        raise ValueError("refusing to store a naive datetime")
    utc = when.astimezone(UTC)
    return (
        f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}"
        f"T{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}Z"
    )


def from_db(text: str) -> datetime:
    """Parse a timestamp written by to_db (strictly that form: 2026-01-05T01:00:00Z)."""
    # fromisoformat is ~10x faster than strptime (this runs on every update); the shape
    # check keeps it as strict as the strptime format was.
    if len(text) != 20 or text[10] != "T" or text[19] != "Z" or not text[:4].isdigit():
        raise ValueError(f"not a timestamp written by to_db: {text!r}")
    return datetime.fromisoformat(text[:19]).replace(tzinfo=UTC)
