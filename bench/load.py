"""Load benchmark: many users talking to the full bot, against a minimal echo bot baseline.

    .venv/bin/python bench/load.py [--users 1000] [--messages 20] [--db-users 100000]

Prints one JSON object. Each simulated user sends a mixed script (FAQ questions, the
registration dialogue, the reminder set-up, menu buttons), interleaved with the other
users, through the real python-telegram-bot Application on the in-memory simulator and a
real SQLite file. The same harness drives a minimal echo bot (one MessageHandler, one
CallbackQueryHandler, no database) for the baseline; the ratio of the two throughputs
shows what our handlers cost on top of the framework. Updates are processed one after
another (PTB's default), so latency is the time to handle one update.

Memory: the process's peak RSS after loading `--db-users` users (with a reminder each) into
the database and serving the load on top of it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import resource
import sqlite3
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.clock import FakeClock
from bot.config import Settings
from bot.harness import Harness
from bot.simulator import SIM_TOKEN, SimUser, TelegramSimulator
from bot.updates import PerUserUpdateProcessor

FAQ = [
    "brp iurannya sebulan?",
    "nek melu program iki bayare piro?",
    "klo sy kenapa2 keluarga dpt apa",
    "iuran 10 thn totalnya brp",
    "berobat cukup bawa ktp?",
    "apa itu pekalongan sakpore",
    "cara daftar CPNS",
    "makasih ya",
    "beasiswa anak sampe kuliah?",
    "siapa yg bisa ikut",
]


def script(uid: int, rng: random.Random) -> list[tuple[str, str]]:
    """20 actions for one user: ('text', ...) or ('press', label)."""
    birth = f"{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}9{rng.randint(0, 9)}"
    nik = f"3375{rng.randint(1, 4):02d}{birth}{uid % 9999 + 1:04d}"  # serial 0001-9999
    steps: list[tuple[str, str]] = [("text", "/start")]
    steps += [("text", rng.choice(FAQ)) for _ in range(5)]
    steps += [
        ("text", "/daftar"),
        ("press", "Setuju"),
        ("text", "Siti Aminah"),
        ("text", nik),
        ("text", f"0812{uid:08d}"),
        ("press", "Pengayuh becak"),
        ("press", "Pekalongan Barat"),
        ("press", "Medono"),
        ("press", "Belum"),
        ("press", "Kirim"),
    ]
    steps += [("text", "/pengingat"), ("press", "10"), ("press", "07.00")]
    steps += [("text", rng.choice(FAQ))]
    return steps[:20]


class Driver:
    """Feeds updates into the Application's own update queue (as the Updater does) and
    reports when each has been fully handled, by wrapping Application.process_update."""

    def __init__(self, app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        self.app = app
        self.done: dict[int, asyncio.Future[float]] = {}
        original = app.process_update

        async def process_update(update: object) -> None:
            try:
                await original(update)
            finally:
                if isinstance(update, Update) and update.update_id in self.done:
                    future = self.done.pop(update.update_id)
                    if not future.done():
                        future.set_result(time.perf_counter())

        app.process_update = process_update  # type: ignore[method-assign]

    async def handle(self, payload: dict[str, Any]) -> float:
        """Queue one update; return its latency in seconds once handled."""
        update = Update.de_json(payload, self.app.bot)
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.done[update.update_id] = future
        t0 = time.perf_counter()
        await self.app.update_queue.put(update)
        return await future - t0


async def closed_loop(
    users: list[Callable[[int], Awaitable[float | None]]], messages: int
) -> tuple[list[float], float]:
    """Every user sends its next message as soon as the previous one is answered."""
    latencies: list[float] = []

    async def one(act: Callable[[int], Awaitable[float | None]]) -> None:
        for step in range(messages):
            latency = await act(step)
            if latency is not None:
                latencies.append(latency)

    start = time.perf_counter()
    await asyncio.gather(*(one(act) for act in users))
    return latencies, time.perf_counter() - start


async def run_bot(harness: Harness, users: int, messages: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    driver = Driver(harness.app)
    sim = harness.sim
    skipped = 0

    def user_actor(uid: int) -> Callable[[int], Awaitable[float | None]]:
        user = SimUser(uid, f"User{uid}")
        plan = script(uid, rng)

        async def act(step: int) -> float | None:
            nonlocal skipped
            kind, value = plan[step]
            if kind == "text":
                return await driver.handle(sim.user_message(user, text=value))
            for message in reversed(sim.bot_messages(uid)):
                for button in message.inline_buttons:
                    if value in button["text"] and "callback_data" in button:
                        return await driver.handle(
                            sim.callback(user, message, button["callback_data"])
                        )
            skipped += 1
            return None

        return act

    latencies, elapsed = await closed_loop([user_actor(10_000 + i) for i in range(users)], messages)
    return {
        "latencies": latencies,
        "elapsed": elapsed,
        "skipped": skipped,
        "rejected": sum(1 for c in sim.calls if not c.ok),
    }


async def run_echo(
    users: int, messages: int, seed: int, latency: float, concurrency: int
) -> dict[str, Any]:
    """The baseline: same framework, simulator, latency, update processor and closed loop;
    a bot that only echoes texts and answers button presses."""
    sim = TelegramSimulator(FakeClock(), latency=latency)

    async def echo(update: Update, context: Any) -> None:
        if update.effective_message is not None:
            await update.effective_message.reply_text(update.effective_message.text or "?")

    async def answer(update: Update, context: Any) -> None:
        if update.callback_query is not None:
            await update.callback_query.answer()

    app = (
        Application.builder()
        .token(SIM_TOKEN)
        .request(sim)
        .get_updates_request(sim)
        .concurrent_updates(PerUserUpdateProcessor(concurrency))
        .build()
    )
    app.add_handler(MessageHandler(filters.ALL, echo))
    app.add_handler(CallbackQueryHandler(answer))
    await app.initialize()
    await app.start()
    driver = Driver(app)
    rng = random.Random(seed)

    def user_actor(uid: int) -> Callable[[int], Awaitable[float | None]]:
        user = SimUser(uid, f"User{uid}")

        async def act(step: int) -> float:
            mine = sim.bot_messages(uid)
            if step % 2 and mine:
                return await driver.handle(sim.callback(user, mine[-1], "x"))
            return await driver.handle(sim.user_message(user, text=rng.choice(FAQ)))

        return act

    latencies, elapsed = await closed_loop([user_actor(10_000 + i) for i in range(users)], messages)
    await app.stop()
    await app.shutdown()
    return {"latencies": latencies, "elapsed": elapsed}


def seed_database(path: Path, count: int) -> None:
    """`count` users with a reminder each, bulk-inserted (the bot migrates first)."""
    now = "2026-01-05T00:00:00Z"
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "INSERT INTO users (id, first_name, language, first_seen, last_seen)"
            " VALUES (?, 'Seed', 'id', ?, ?)",
            ((1_000_000 + i, now, now) for i in range(count)),
        )
        conn.executemany(
            "INSERT INTO reminders (user_id, day, minute, next_due, due_month, created_at,"
            " updated_at) VALUES (?, 10, 420, '2026-02-10T00:00:00Z', '2026-02', ?, ?)",
            ((1_000_000 + i, now, now) for i in range(count)),
        )


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--db-users", type=int, default=100_000)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per Bot API call")
    parser.add_argument("--concurrency", type=int, default=64, help="CONCURRENT_UPDATES")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            _env_file=None,
            database_path=Path(tmp) / "load.db",
            telegram_max_rate=0,
            flood_max_per_minute=0,
            staff_chat_id=None,
            admin_ids=frozenset(),
            concurrent_updates=args.concurrency,
        )
        clock = FakeClock(datetime(2026, 1, 5, 1, 0, tzinfo=UTC))
        async with Harness.create(settings, clock):
            pass  # create and migrate the database
        seed_database(settings.database_path, args.db_users)
        sim = TelegramSimulator(clock, latency=args.latency)
        async with Harness.create(settings, clock, sim=sim) as harness:
            await harness.app.start()  # the update fetcher and its processor
            bot = await run_bot(harness, args.users, args.messages, args.seed)
        peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    echo = await run_echo(args.users, args.messages, args.seed, args.latency, args.concurrency)
    ours_rate = len(bot["latencies"]) / bot["elapsed"]
    echo_rate = len(echo["latencies"]) / echo["elapsed"]
    result = {
        "users": args.users,
        "messages_per_user": args.messages,
        "api_latency_ms": args.latency * 1000,
        "concurrent_updates": args.concurrency,
        "updates": len(bot["latencies"]),
        "skipped_presses": bot["skipped"],
        "rejected_api_calls": bot["rejected"],
        "updates_per_second": round(ours_rate, 1),
        "latency_ms_p50": round(pct(bot["latencies"], 0.50), 1),
        "latency_ms_p99": round(pct(bot["latencies"], 0.99), 1),
        "echo_updates_per_second": round(echo_rate, 1),
        "echo_latency_ms_p50": round(pct(echo["latencies"], 0.50), 1),
        "echo_latency_ms_p99": round(pct(echo["latencies"], 0.99), 1),
        "ratio_to_echo": round(ours_rate / echo_rate, 3),
        "db_users": args.db_users,
        "peak_rss_mb": round(peak_rss_mb, 1),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
        },
    }
    print(json.dumps(result))


def _run(coro: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(coro())  # type: ignore[arg-type]


if __name__ == "__main__":
    _run(main)
