"""The bot as a separate process against the simulator served over HTTP: long polling,
SIGTERM shutdown, and webhook mode with its secret token."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from sakpore_sim.sim_server import serve
from sakpore_sim.simulator import SIM_TOKEN, TelegramSimulator

pytestmark = [pytest.mark.timeout(120), pytest.mark.slow]  # real processes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
async def served() -> AsyncIterator[tuple[TelegramSimulator, int]]:
    sim = TelegramSimulator()
    port = free_port()
    server = serve(sim, port)
    yield sim, port
    server.stop()


async def raw_post(
    port: int, headers: dict[str, str], body_bytes: int = 0, chunked: bool = False
) -> tuple[int, int]:
    """POST to /hook: the head, then up to `body_bytes` zero bytes of body (maybe fewer than
    Content-Length promises), sent while the answer is awaited. Returns the status (0 when the
    server reset the connection before it was read, as it may after refusing early) and the
    number of body bytes the server took. A server that reads the whole promised body before
    answering never answers a short one: this times out. `chunked`: sent in 64 KiB chunks
    (Transfer-Encoding: chunked) instead of against a Content-Length."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    sent = 0

    async def send_body() -> None:
        nonlocal sent
        chunk = bytes(2**16)
        with contextlib.suppress(ConnectionError):
            while sent < body_bytes:
                piece = chunk[: body_bytes - sent]
                writer.write(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
                await writer.drain()
                sent += len(chunk)

    head = "POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    writer.write(head.encode() + b"\r\n")
    sender = asyncio.create_task(send_body())
    try:
        status_line = await asyncio.wait_for(reader.readline(), 10)
        return int(status_line.split()[1]), sent
    except ConnectionError:  # reset, or a broken pipe while the body was on its way
        return 0, sent
    finally:
        sender.cancel()
        writer.close()


def peak_rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):  # the peak resident set size
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


async def start_bot(
    tmp_path: Path, port: int, *args: str, **env: str
) -> asyncio.subprocess.Process:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_"))}
    environ.update(
        TELEGRAM_BOT_TOKEN=SIM_TOKEN,
        TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{port}/bot",
        DATABASE_PATH=str(tmp_path / "bot.db"),
        LOG_LEVEL="INFO",
        **env,
    )
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        *args,
        cwd=tmp_path,
        env=environ,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_polling_process_answers_and_stops_cleanly_on_sigterm(
    served: tuple[TelegramSimulator, int], tmp_path: Path
) -> None:
    sim, port = served
    bot = await start_bot(tmp_path, port)
    try:
        async with httpx.AsyncClient() as client:
            await client.post(
                f"http://127.0.0.1:{port}/sim/message",
                json={"user": {"id": 1001, "first_name": "Budi"}, "text": "/start"},
            )
        await sim.wait_for(lambda: bool(sim.bot_messages(1001)), within=60)
        assert "Halo, Budi" in sim.bot_messages(1001)[0].plain
        assert sim.commands["default|"]  # command menus published at start
    finally:
        bot.send_signal(signal.SIGTERM)
        _out, err = await asyncio.wait_for(bot.communicate(), 60)
    assert bot.returncode == 0, err.decode()[-2000:]
    assert SIM_TOKEN not in err.decode()  # the token never reaches the logs


async def test_webhook_mode_requires_the_secret(
    served: tuple[TelegramSimulator, int], tmp_path: Path
) -> None:
    sim, port = served
    hook_port = free_port()
    secret = "s3cret-token-for-tests-0123456789"
    bot = await start_bot(
        tmp_path,
        port,
        "--webhook",
        WEBHOOK_URL="https://bot.example.invalid/hook",
        WEBHOOK_SECRET=secret,
        WEBHOOK_LISTEN="127.0.0.1",
        WEBHOOK_PORT=str(hook_port),
    )
    update = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": 1767574800,
            "chat": {"id": 1001, "type": "private", "first_name": "Budi"},
            "from": {"id": 1001, "is_bot": False, "first_name": "Budi", "language_code": "id"},
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }
    url = f"http://127.0.0.1:{hook_port}/hook"
    try:
        await sim.wait_for(lambda: bool(sim.calls_to("setWebhook")), within=60)
        set_hook = sim.calls_to("setWebhook")[-1].params
        assert set_hook["url"] == "https://bot.example.invalid/hook"
        assert set_hook["secret_token"] == secret
        async with httpx.AsyncClient() as client:
            for _ in range(100):  # the web server starts right after setWebhook
                try:
                    refused = await client.post(url, json=update)
                    break
                except httpx.ConnectError:
                    await asyncio.sleep(0.1)
            assert refused.status_code == 403
            assert refused.headers["Connection"] == "close"  # not reused for the next post
            wrong = await client.post(
                url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong-secret-123456"}
            )
            assert wrong.status_code == 403
            # The secret is checked when the headers arrive, before the body is read
            # (issue 14, item 14): a post promising 95 MB is refused at once, and six of them
            # sent in full leave the process's memory as it was.
            big = {"Content-Type": "application/json", "Content-Length": str(95 * 2**20)}
            wrong_secret = {**big, "X-Telegram-Bot-Api-Secret-Token": "wrong-secret-123456"}
            assert await raw_post(hook_port, wrong_secret) == (403, 0)
            peak_before = peak_rss_kib(bot.pid)
            posts = [raw_post(hook_port, wrong_secret, 95 * 2**20) for _ in range(6)]
            for status, sent in await asyncio.gather(*posts):
                assert status in (403, 0)  # 0: reset after the 403, with the body unread
                assert sent < 32 * 2**20  # what socket buffers hold; not the 95 MB
            assert peak_rss_kib(bot.pid) - peak_before < 20 * 1024
            # With the right secret the body is capped: over 1 MB is refused before reading,
            # whether announced by Content-Length or sent in chunks.
            right = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret}
            too_long = {**right, "Content-Length": str(2**20 + 1)}
            assert await raw_post(hook_port, too_long) == (413, 0)
            chunks = {**right, "Transfer-Encoding": "chunked"}
            status, _sent = await raw_post(hook_port, chunks, 4 * 2**20, chunked=True)
            assert status in (400, 0)  # tornado ends a chunked body at the cap: 400, closed
            assert not sim.bot_messages(1001)
            accepted = await client.post(
                url,
                content=json.dumps(update),
                headers={
                    "X-Telegram-Bot-Api-Secret-Token": secret,
                    "Content-Type": "application/json",
                },
            )
            assert accepted.status_code == 200
        await sim.wait_for(lambda: bool(sim.bot_messages(1001)), within=60)
        assert "Halo, Budi" in sim.bot_messages(1001)[0].plain
    finally:
        bot.send_signal(signal.SIGTERM)
        _out, err = await asyncio.wait_for(bot.communicate(), 60)
    assert bot.returncode == 0, err.decode()[-2000:]


async def test_webhook_mode_without_secret_is_a_config_error(tmp_path: Path) -> None:
    bot = await start_bot(tmp_path, 9, "--webhook", WEBHOOK_URL="https://x.invalid/hook")
    _out, err = await asyncio.wait_for(bot.communicate(), 60)
    assert bot.returncode == 2
    assert err.decode().strip().splitlines() == [
        "configuration error: WEBHOOK_SECRET: required with --webhook"
    ]
