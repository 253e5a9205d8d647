"""Shared fixtures: settings on a temporary SQLite file, a controlled clock, a running bot."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.clock import FakeClock
from bot.config import Settings
from sakpore_sim.harness import Harness

ADMIN_ID = 9001
STAFF_CHAT_ID = -100500


@pytest.fixture
def make_settings(tmp_path: Path) -> Callable[..., Settings]:
    """Settings for tests: never read the developer's .env, write under tmp_path."""

    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "database_path": tmp_path / "sakpore.db",
            "admin_ids": frozenset({ADMIN_ID}),
            "staff_chat_id": STAFF_CHAT_ID,
            "telegram_max_rate": 0,
            "flood_max_per_minute": 0,  # tests send many messages within one fake minute
            # scoring a card's first change ahead costs 2.5 s of CPU per /pertanyaan card:
            # on only in the tests of it (test_kb_staff.py)
            "kb_foresee": False,
            # the accuracy gate answers one labelled file (396 questions) for each staff
            # change, not all (9,240: 10-20 s of CPU per change); `kb import` in
            # test_kb_cli.py reads the environment, where its fixture names the same file
            "kb_gate_files": ("faq_dev2_2026-12.csv",),
            "telegram_bot_token": None,
            "nik_encryption_key": None,
        }
        values.update(overrides)
        return Settings(_env_file=None, **values)  # type: ignore[call-arg]

    return make


@pytest.fixture
def settings(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings()


@pytest.fixture
def clock() -> FakeClock:
    # Monday 5 January 2026, 08:00 WIB
    return FakeClock(datetime(2026, 1, 5, 1, 0, tzinfo=UTC))


@pytest.fixture
async def harness(settings: Settings, clock: FakeClock) -> AsyncIterator[Harness]:
    async with Harness.create(settings, clock) as h:
        yield h


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """Tests that call the CLI's main() in-process install its logging; undo that after."""
    import logging

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)
