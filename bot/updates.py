"""Concurrent update processing that keeps each person's updates in order.

python-telegram-bot handles one update at a time by default: while the bot waits ~100 ms for
Telegram to accept one reply, every other user waits too. PTB's own concurrent mode has the
opposite problem: two quick messages from the same person could race through a dialogue.
This processor does both right: different users' updates run concurrently (up to a limit),
while the updates of one user (or one chat, when there is no user) run strictly one after
another, in the order Telegram sent them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


def update_key(update: object) -> int | None:
    """The person (or chat) whose updates must stay in order; None: no ordering needed."""
    if isinstance(update, Update):
        if update.effective_user is not None:
            return update.effective_user.id
        if update.effective_chat is not None:
            return update.effective_chat.id
    return None


class PerUserUpdateProcessor(BaseUpdateProcessor):
    """At most `max_concurrent_updates` at once; one at a time per user, in arrival order."""

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._holders: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Runs inside one of PTB's global slots; waits for the user's earlier updates.

        A user with several queued updates holds several slots while they wait for each
        other; flood control (FLOOD_MAX_PER_MINUTE) keeps that number small.
        """
        key = update_key(update)
        if key is None:
            await coroutine
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._holders[key] = self._holders.get(key, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._holders[key] -= 1
            if self._holders[key] == 0:
                del self._holders[key]
                del self._locks[key]

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def active_keys(self) -> int:
        """Users with updates in progress or waiting (for tests and monitoring)."""
        return len(self._locks)
