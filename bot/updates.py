"""Concurrent update processing that keeps each person's updates in order.

python-telegram-bot handles one update at a time by default: while the bot waits ~100 ms for
Telegram to accept one reply, every other user waits too. PTB's own concurrent mode has the
opposite problem: two quick messages from the same person could race through a dialogue.
This processor does both right: different users' updates run concurrently (up to a limit),
while the updates of one user (or one chat, when there is no user) run strictly one after
another, in the order Telegram sent them.

An update waits for its user's turn *before* it takes one of the `max_concurrent_updates`
slots, so one person's queued updates hold at most one slot, however many there are; and a
private-chat update of a person flood control is ignoring is dropped there, without a slot.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import BaseUpdateProcessor

from bot.flood import FloodGuard

UNBOUNDED = 2**30
"""PTB's own semaphore (taken before `do_process_update`, in a final method) is set this
high: the slots are taken in `do_process_update`, after the user's turn has come."""


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

    def __init__(self, max_concurrent_updates: int, flood: FloodGuard | None = None) -> None:
        if max_concurrent_updates < 1:
            raise ValueError("max_concurrent_updates must be at least 1")
        self._limit = UNBOUNDED
        super().__init__(UNBOUNDED)
        self._limit = max_concurrent_updates
        self._slots = asyncio.BoundedSemaphore(max_concurrent_updates)
        self._in_slots = 0
        self.flood = flood
        self.dropped = 0  # updates of muted users dropped before taking a slot
        self._locks: dict[int, asyncio.Lock] = {}
        self._holders: dict[int, int] = {}

    @property
    def max_concurrent_updates(self) -> int:
        return self._limit

    @property
    def current_concurrent_updates(self) -> int:
        return self._in_slots

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for the user's earlier updates, then for a slot, then handle the update."""
        key = update_key(update)
        if key is None:
            await self._run(coroutine)
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._holders[key] = self._holders.get(key, 0) + 1
        try:
            async with lock:
                if self._muted(update):
                    self.dropped += 1
                    if inspect.iscoroutine(coroutine):
                        coroutine.close()  # never started: nothing to clean up
                    return
                await self._run(coroutine)
        finally:
            self._holders[key] -= 1
            if self._holders[key] == 0:
                del self._holders[key]
                del self._locks[key]

    async def _run(self, coroutine: Awaitable[Any]) -> None:
        async with self._slots:
            self._in_slots += 1
            try:
                await coroutine
            finally:
                self._in_slots -= 1

    def _muted(self, update: object) -> bool:
        """A private-chat update of a person flood control ignores (handlers/common.py would
        drop it as its first step; staff replies in the staff group are never dropped)."""
        if self.flood is None or not isinstance(update, Update):
            return False
        chat, user = update.effective_chat, update.effective_user
        return (
            chat is not None
            and chat.type == ChatType.PRIVATE
            and user is not None
            and self.flood.muted(user.id)
        )

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def active_keys(self) -> int:
        """Users with updates in progress or waiting (for tests and monitoring)."""
        return len(self._locks)
