"""Reminder rules as pure functions: next due time, month ends, typed days and times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.clock import FakeClock
from bot.reminders import (
    END_OF_MONTH,
    Rule,
    SendWindow,
    clock_sleep,
    month_end,
    next_due_after,
    parse_day,
    parse_time,
)

WIB = ZoneInfo("Asia/Jakarta")


def wib(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=WIB)


def test_due_time_is_local_and_stored_as_utc() -> None:
    due, month = next_due_after(Rule(5, 7, 0), wib(2026, 1, 1, 9, 0), WIB)
    assert due == datetime(2026, 1, 5, 0, 0, tzinfo=UTC)  # 07.00 WIB = 00.00 UTC
    assert due.tzinfo is UTC
    assert month == "2026-01"


def test_strictly_after_now() -> None:
    rule = Rule(5, 7, 0)
    assert next_due_after(rule, wib(2026, 1, 5, 6, 59), WIB)[0] == wib(2026, 1, 5, 7, 0)
    assert next_due_after(rule, wib(2026, 1, 5, 7, 0), WIB)[0] == wib(2026, 2, 5, 7, 0)


def test_day_31_falls_on_the_last_day_of_shorter_months() -> None:
    rule = Rule(31, 7, 0)
    seen = []
    moment = wib(2026, 1, 1)
    for _ in range(5):
        due, month = next_due_after(rule, moment, WIB)
        seen.append((due.astimezone(WIB).date().isoformat(), month))
        moment = due
    assert seen == [
        ("2026-01-31", "2026-01"),
        ("2026-02-28", "2026-02"),
        ("2026-03-31", "2026-03"),
        ("2026-04-30", "2026-04"),
        ("2026-05-31", "2026-05"),
    ]


@pytest.mark.parametrize("day", [29, 30, 31, END_OF_MONTH])
def test_29_february_2028(day: int) -> None:
    due, month = next_due_after(Rule(day, 19, 30), wib(2028, 2, 1), WIB)
    assert due == wib(2028, 2, 29, 19, 30)
    assert month == "2028-02"


def test_end_of_month_is_always_the_last_day() -> None:
    rule = Rule(END_OF_MONTH, 12, 0)
    days = []
    moment = wib(2027, 1, 1)
    for _ in range(4):
        moment, _month = next_due_after(rule, moment, WIB)
        days.append(moment.astimezone(WIB).day)
    assert days == [31, 28, 31, 30]


def test_done_months_are_skipped() -> None:
    rule = Rule(20, 7, 0)
    # Reminded (or paid) for January already: the next one is in February.
    assert next_due_after(rule, wib(2026, 1, 10), WIB, "2026-01")[1] == "2026-02"
    # Paid ahead for March: the next one is in April.
    assert next_due_after(rule, wib(2026, 1, 10), WIB, "2026-03") == (
        wib(2026, 4, 20, 7, 0),
        "2026-04",
    )
    # An old mark changes nothing.
    assert next_due_after(rule, wib(2026, 1, 10), WIB, "2025-12")[1] == "2026-01"


def test_month_end_is_local_midnight() -> None:
    assert month_end("2026-01", WIB) == wib(2026, 2, 1)
    assert month_end("2026-12", WIB) == wib(2027, 1, 1)


@given(
    day=st.sampled_from([END_OF_MONTH, *range(1, 32)]),
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
    start=st.datetimes(datetime(2024, 1, 1), datetime(2035, 12, 31), timezones=st.just(UTC)),
)
def test_next_due_is_the_first_occurrence_after(
    day: int, hour: int, minute: int, start: datetime
) -> None:
    rule = Rule(day, hour, minute)
    due, month = next_due_after(rule, start, WIB)
    local = due.astimezone(WIB)
    assert due > start
    assert due - start <= timedelta(days=62)
    assert (local.hour, local.minute) == (hour, minute)
    assert month == f"{local.year:04d}-{local.month:02d}"
    last = (month_end(month, WIB).astimezone(WIB) - timedelta(days=1)).day
    assert local.day == (last if day == END_OF_MONTH else min(day, last))
    # Nothing in between: one minute earlier than due, the answer is the same.
    assert next_due_after(rule, due - timedelta(minutes=1), WIB)[0] == due


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("5", 5),
        (" 31 ", 31),
        ("tgl 15", 15),
        ("Tanggal 1", 1),
        ("akhir bulan", END_OF_MONTH),
        ("Akhir Bulan", END_OF_MONTH),
        ("0", None),
        ("32", None),
        ("-1", None),
        ("5.5", None),
        ("lima", None),
        ("<b>5</b>", None),
        ("", None),
        ("5" * 5000, None),
    ],
)
def test_parse_day(text: str, day: int | None) -> None:
    assert parse_day(text) == day


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("07.00", (7, 0)),
        ("7:30", (7, 30)),
        ("19.30", (19, 30)),
        ("jam 19", (19, 0)),
        ("pukul 06.15 WIB", (6, 15)),
        ("0.00", (0, 0)),
        ("23:59", (23, 59)),
        ("24.00", None),
        ("25.61", None),
        ("12.60", None),
        ("7.5", None),
        ("jam tujuh", None),
        ("<i>07.00</i>", None),
        ("1" * 5000, None),
    ],
)
def test_parse_time(text: str, value: tuple[int, int] | None) -> None:
    assert parse_time(text) == value


def test_rule_is_validated() -> None:
    with pytest.raises(ValueError):
        Rule(32, 7, 0)
    with pytest.raises(ValueError):
        Rule(5, 24, 0)


async def test_send_window_never_exceeds_the_rate_on_the_injected_clock() -> None:
    clock = FakeClock(datetime(2026, 1, 1, tzinfo=UTC))
    window = SendWindow(clock, 7, clock_sleep(clock))
    stamps = []
    for _ in range(50):
        await window.wait()
        window.record()
        stamps.append(clock.now())
    for i in range(len(stamps) - 7):
        # any 8 consecutive sends span at least one second
        assert stamps[i + 7] - stamps[i] >= timedelta(seconds=1)
    assert stamps[-1] - stamps[0] < timedelta(seconds=8)  # and it does not dawdle
