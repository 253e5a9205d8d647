"""Drive the real Application through the simulator: for tests, `sakpore-bot chat` and benches.

    async with Harness.create(settings, clock) as h:
        budi = h.user(1001)
        await budi.send("/start")
        assert "Sakpore" in budi.last().plain
        await budi.press("Bantuan")

Updates are handed to `Application.process_update` one at a time, so when `send()` returns
every handler for it has finished: no sleeps, no polling.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from telegram import Update

from bot.app import build_app
from bot.clock import Clock, FakeClock
from bot.config import Settings
from bot.context import Deps, SakporeApp, get_deps
from sakpore_sim.simulator import SIM_TOKEN, SimMessage, SimUser, TelegramSimulator


def sticker_json() -> dict[str, Any]:
    """A sticker as the Bot API sends it in a message (a new dict each time)."""
    return {
        "file_id": "stk1",
        "file_unique_id": "u_stk1",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": "😀",
    }


class Harness:
    """A running bot wired to a TelegramSimulator."""

    def __init__(self, app: SakporeApp, sim: TelegramSimulator, clock: Clock) -> None:
        self.app = app
        self.sim = sim
        self.clock = clock

    @classmethod
    @asynccontextmanager
    async def create(
        cls,
        settings: Settings,
        clock: Clock | None = None,
        sim: TelegramSimulator | None = None,
        start_jobs: bool = False,
    ) -> AsyncIterator[Harness]:
        """Build, initialise and start the app; stop and close it afterwards.

        The JobQueue only runs when `start_jobs` is True; tests usually call the workers
        themselves with a controlled clock instead.
        """
        clock = clock or FakeClock()
        sim = sim or TelegramSimulator(clock)
        app = build_app(settings, request=sim, clock=clock, offline_token=SIM_TOKEN)
        harness = cls(app, sim, clock)
        await app.initialize()
        try:
            if app.post_init is not None:
                await app.post_init(app)
            if start_jobs:
                await app.start()
            yield harness
        finally:
            if app.running:
                await app.stop()
            if app.post_stop is not None:  # as a real run: post_stop before shutdown
                await app.post_stop(app)
            await app.shutdown()
            if app.post_shutdown is not None:
                await app.post_shutdown(app)

    @property
    def deps(self) -> Deps:
        return get_deps(self.app)

    def user(
        self, user_id: int = 1001, first_name: str = "Budi", language_code: str | None = "id"
    ) -> UserDriver:
        return UserDriver(self, SimUser(user_id, first_name, language_code))

    async def process(self, payload: dict[str, Any]) -> None:
        """Hand one update (as Bot API JSON) to the Application and wait for its handlers."""
        update = Update.de_json(payload, self.app.bot)
        await self.app.process_update(update)


class UserDriver:
    """One simulated person talking to the bot in their private chat."""

    def __init__(self, harness: Harness, user: SimUser) -> None:
        self.h = harness
        self.user = user
        # The bot's earlier messages to this user that the last update edited (in place
        # answers to a button press, buttons removed), in chat order.
        self.edited: list[SimMessage] = []

    @property
    def id(self) -> int:
        return self.user.id

    def messages(self) -> list[SimMessage]:
        """Everything the bot has sent to this user (not deleted)."""
        return self.h.sim.bot_messages(self.user.id)

    def last(self) -> SimMessage:
        messages = self.messages()
        if not messages:
            raise AssertionError(f"the bot has sent nothing to user {self.user.id}")
        return messages[-1]

    async def _run(self, payload: dict[str, Any]) -> list[SimMessage]:
        """Process one update; return the bot's new messages (edits are in `self.edited`)."""
        earlier = self.h.sim.bot_messages(self.user.id, include_deleted=True)
        edits = [m.edits for m in earlier]
        await self.h.process(payload)
        self.edited = [m for m, count in zip(earlier, edits, strict=True) if m.edits != count]
        return self.h.sim.bot_messages(self.user.id, include_deleted=True)[len(earlier) :]

    async def send(self, text: str) -> list[SimMessage]:
        """Type a message (or a command); return the bot's new messages to this user."""
        return await self._run(self.h.sim.user_message(self.user, text=text))

    async def send_content(self, **content: Any) -> list[SimMessage]:
        """Send something other than text: sticker={...}, photo=[...], voice={...}, ..."""
        return await self._run(self.h.sim.user_message(self.user, **content))

    async def send_sticker(self) -> list[SimMessage]:
        return await self.send_content(sticker=sticker_json())

    async def send_photo(self) -> list[SimMessage]:
        photo = [{"file_id": "ph1", "file_unique_id": "u_ph1", "width": 90, "height": 90}]
        return await self.send_content(photo=photo)

    async def send_voice(self) -> list[SimMessage]:
        return await self.send_content(
            voice={"file_id": "vc1", "file_unique_id": "u_vc1", "duration": 3}
        )

    async def send_contact(self, phone: str, user_id: int | None = None) -> list[SimMessage]:
        """Share a contact; by default the user's own (as the 'share my number' button does)."""
        contact = {
            "phone_number": phone,
            "first_name": self.user.first_name,
            "user_id": self.user.id if user_id is None else user_id,
        }
        return await self.send_content(contact=contact)

    async def send_in_group(
        self, chat_id: int, text: str, reply_to: SimMessage | None = None
    ) -> list[SimMessage]:
        """Write in a group chat, as a reply to `reply_to` if given; return the bot's new
        messages in that group."""
        sim = self.h.sim
        before = len(sim.bot_messages(chat_id, include_deleted=True))
        content: dict[str, Any] = {}
        if reply_to is not None:
            content["reply_to_message"] = sim.message_json(reply_to)
        await self.h.process(sim.user_message(self.user, text=text, chat_id=chat_id, **content))
        return sim.bot_messages(chat_id, include_deleted=True)[before:]

    def find_button(
        self, label: str, message: SimMessage | None = None
    ) -> tuple[SimMessage, dict[str, Any]]:
        """The newest message with an inline button whose label contains `label`."""
        candidates = [message] if message else list(reversed(self.messages()))
        for candidate in candidates:
            for button in candidate.inline_buttons:
                if label in button["text"] or button.get("callback_data") == label:
                    return candidate, button
        raise AssertionError(f"no button {label!r} in the chat of user {self.user.id}")

    async def press(self, label: str, message: SimMessage | None = None) -> list[SimMessage]:
        """Press an inline button (by label text or callback data); return the bot's new
        messages. A reply shown in the pressed message itself is in `self.edited`."""
        target, button = self.find_button(label, message)
        return await self.press_data(button["callback_data"], target)

    async def press_in_place(self, label: str, message: SimMessage | None = None) -> SimMessage:
        """Press a button that the bot answers by editing the pressed message; return that
        message, now showing the reply. Fails if the bot sent a new message instead."""
        target, _button = self.find_button(label, message)
        new = await self.press(label, target)
        if new or not any(m is target for m in self.edited):
            raise AssertionError(
                f"pressing {label!r} was not answered in place: {len(new)} new message(s), "
                f"edited: {[m.message_id for m in self.edited]}"
            )
        return target

    async def press_data(self, data: str, message: SimMessage | None = None) -> list[SimMessage]:
        """Press a button with arbitrary callback data (forged or stale buttons too)."""
        target = message or self.last()
        return await self._run(self.h.sim.callback(self.user, target, data))

    def callback_answer(self) -> str | None:
        answer = self.h.sim.last_callback_answer()
        return None if answer is None else answer.get("text")


class UpdateQueue:
    """Feeds updates through the Application's update queue and update processor, as the
    Updater does (`Harness.process` calls `process_update` directly, past both), and tells
    when each one has been handled. The Application must be running
    (`Harness.create(..., start_jobs=True)`)."""

    def __init__(self, harness: Harness) -> None:
        self.app = harness.app
        self._done: dict[int, asyncio.Future[float]] = {}
        original = self.app.process_update

        async def process_update(update: object) -> None:
            try:
                await original(update)
            finally:
                if isinstance(update, Update) and update.update_id in self._done:
                    future = self._done.pop(update.update_id)
                    if not future.done():
                        future.set_result(time.perf_counter())

        self.app.process_update = process_update  # type: ignore[method-assign]

    async def put(self, payload: dict[str, Any]) -> asyncio.Future[float]:
        """Queue one update; the future gives the `time.perf_counter()` when it was handled
        (a dropped update is never handled: its future stays pending)."""
        update = Update.de_json(payload, self.app.bot)
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._done[update.update_id] = future
        await self.app.update_queue.put(update)
        return future
