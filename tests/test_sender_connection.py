"""safe_send over a real HTTP connection: a connection lost after the request left may have
delivered the message (UNCERTAIN, never resent); a connection that was never made, refused
or timed out, did not (RETRY_LATER, `unreachable`). Found by the fault proofs: Telegram going
away mid-request caused duplicates, and an outage that drops packets (connect timeouts)
marked every send 'uncertain', so broadcasts and reminders were silently never delivered."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from collections.abc import AsyncIterator

import pytest
from telegram.ext import ExtBot
from telegram.request import HTTPXRequest

from bot.sender import Outcome, safe_send
from sakpore_sim.simulator import BOT_ID, SIM_TOKEN

pytestmark = pytest.mark.timeout(30)


class Telegram:
    """A tiny Bot API endpoint: answers getMe, reads a sendMessage fully, then hangs up."""

    def __init__(self) -> None:
        self.received: list[bytes] = []

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        body = await reader.readexactly(length)
        if b"/getMe " in head:
            answer = json.dumps(
                {
                    "ok": True,
                    "result": {"id": BOT_ID, "is_bot": True, "first_name": "B", "username": "b"},
                }
            ).encode()
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                + f"Content-Length: {len(answer)}\r\n\r\n".encode()
                + answer
            )
            await writer.drain()
        else:
            self.received.append(body)  # Telegram has it (and would deliver it) ...
        writer.close()  # ... but the connection drops before any answer


@pytest.fixture
async def telegram() -> AsyncIterator[tuple[Telegram, int]]:
    endpoint = Telegram()
    server = await asyncio.start_server(endpoint.handle, "127.0.0.1", 0)
    port = int(server.sockets[0].getsockname()[1])
    async with server:
        yield endpoint, port


def _bot(port: int) -> ExtBot[None]:
    return ExtBot(
        SIM_TOKEN,
        base_url=f"http://127.0.0.1:{port}/bot",
        request=HTTPXRequest(connection_pool_size=2, connect_timeout=0.5),
    )


async def test_connection_lost_after_the_request_left_is_uncertain(
    telegram: tuple[Telegram, int],
) -> None:
    endpoint, port = telegram
    bot = _bot(port)
    async with bot:
        result = await safe_send(bot, 1001, "halo")
    assert endpoint.received, "the request reached the server"
    assert result.outcome is Outcome.UNCERTAIN
    assert "disconnected" in (result.error or "")
    assert not result.unreachable


async def test_connection_refused_is_safe_to_retry() -> None:
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    bot = _bot(port)
    await bot.request.initialize()
    try:
        result = await safe_send(bot, 1001, "halo")
    finally:
        await bot.request.shutdown()
    assert result.outcome is Outcome.RETRY_LATER
    assert "ConnectError" in (result.error or "")
    assert result.unreachable


async def test_connect_timeout_is_safe_to_retry() -> None:
    """A network that drops packets: the port listens but its queue is full, so connecting
    times out. Nothing was sent; this is not a maybe-delivered timeout."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = int(listener.getsockname()[1])
        fillers = [socket.socket() for _ in range(3)]
        for filler in fillers:
            filler.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                filler.connect(("127.0.0.1", port))
        bot = _bot(port)
        await bot.request.initialize()
        try:
            result = await safe_send(bot, 1001, "halo")
        finally:
            await bot.request.shutdown()
            for filler in fillers:
                filler.close()
    assert result.outcome is Outcome.RETRY_LATER
    assert result.unreachable
