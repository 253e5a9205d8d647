"""The bot as a separate process against the simulator served over HTTP: long polling,
SIGTERM shutdown, and webhook mode with its secret token."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.sim_server import serve
from bot.simulator import SIM_TOKEN, TelegramSimulator

pytestmark = pytest.mark.timeout(120)


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
            wrong = await client.post(
                url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong-secret-123456"}
            )
            assert wrong.status_code == 403
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
