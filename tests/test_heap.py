"""bot/heap.py: the start-up heap is frozen once; a knowledge-base reload frees the old one."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable, Iterator

import pytest

from bot import heap
from bot.app import build_app
from bot.clock import FakeClock
from bot.config import Settings
from bot.harness import Harness


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic collector frees it


@pytest.fixture
def thawed() -> Iterator[None]:
    yield
    gc.unfreeze()  # other tests run with the collector as usual


def test_reload_frees_what_the_start_up_froze(thawed: None) -> None:
    old = Node()
    gone = weakref.ref(old)
    heap.settle()
    assert gc.get_freeze_count() > 0
    del old
    gc.collect()
    assert gone() is not None  # frozen: the collector leaves it alone, as intended
    heap.reload_settled()
    assert gone() is None  # the reload unfroze, collected and froze again
    assert gc.get_freeze_count() > 0


def test_reload_without_a_settled_heap_changes_nothing(thawed: None) -> None:
    gc.unfreeze()
    heap.reload_settled()
    assert gc.get_freeze_count() == 0


async def test_only_a_real_start_up_settles_the_heap(
    make_settings: Callable[..., Settings], clock: FakeClock, thawed: None
) -> None:
    gc.unfreeze()
    settings = make_settings()
    async with Harness.create(settings, clock):
        assert gc.get_freeze_count() == 0  # tests build hundreds of apps in one process
    async with Harness.create(settings, clock, settle_heap=True):
        assert gc.get_freeze_count() > 0  # as `sakpore-bot run` ends its start-up
    real = build_app(make_settings(telegram_bot_token="123456789:" + "A" * 35))
    assert real.bot_data["settle_heap"] is True
