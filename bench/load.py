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
import statistics
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
    nik = f"3375{rng.randint(1, 4):02d}{birth}{uid % 10000:04d}"
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


async def run_load(
    harness: Harness, users: int, messages: int, seed: int
) -> tuple[list[float], float, int]:
    rng = random.Random(seed)
    drivers = [harness.user(10_000 + i, f"User{i}") for i in range(users)]
    plans = {d.id: script(d.id, rng)[:messages] for d in drivers}
    order = [d for d in drivers for _ in range(messages)]
    rng.shuffle(order)
    positions = {d.id: 0 for d in drivers}
    latencies: list[float] = []
    failures = 0
    start = time.perf_counter()
    for driver in order:
        kind, value = plans[driver.id][positions[driver.id]]
        positions[driver.id] += 1
        t0 = time.perf_counter()
        try:
            if kind == "text":
                await driver.send(value)
            else:
                await driver.press(value)
        except AssertionError:  # a button the interleaving made unavailable
            failures += 1
            continue
        latencies.append(time.perf_counter() - t0)
    return latencies, time.perf_counter() - start, failures


async def run_echo(users: int, messages: int, seed: int) -> tuple[list[float], float]:
    """The baseline: the same framework, simulator and update mix, a bot that only echoes."""
    sim = TelegramSimulator(FakeClock())

    async def echo(update: Update, context: Any) -> None:
        if update.effective_message is not None:
            await update.effective_message.reply_text(update.effective_message.text or "?")

    async def answer(update: Update, context: Any) -> None:
        if update.callback_query is not None:
            await update.callback_query.answer()

    app = Application.builder().token(SIM_TOKEN).request(sim).get_updates_request(sim).build()
    app.add_handler(MessageHandler(filters.ALL, echo))
    app.add_handler(CallbackQueryHandler(answer))
    await app.initialize()
    rng = random.Random(seed)
    sim_users = [SimUser(10_000 + i, f"User{i}") for i in range(users)]
    order = [u for u in sim_users for _ in range(messages)]
    rng.shuffle(order)
    latencies: list[float] = []
    start = time.perf_counter()
    for user in order:
        t0 = time.perf_counter()
        if rng.random() < 0.4 and sim.bot_messages(user.id):
            payload = sim.callback(user, sim.bot_messages(user.id)[-1], "x")
        else:
            payload = sim.user_message(user, text=rng.choice(FAQ))
        await app.process_update(Update.de_json(payload, app.bot))
        latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - start
    await app.shutdown()
    return latencies, elapsed


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
        )
        clock = FakeClock(datetime(2026, 1, 5, 1, 0, tzinfo=UTC))
        async with Harness.create(settings, clock):
            pass  # create and migrate the database
        seed_database(settings.database_path, args.db_users)
        async with Harness.create(settings, clock) as harness:
            latencies, elapsed, failures = await run_load(
                harness, args.users, args.messages, args.seed
            )
            rejected = sum(1 for c in harness.sim.calls if not c.ok)
        peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    echo_latencies, echo_elapsed = await run_echo(args.users, args.messages, args.seed)
    ours = len(latencies) / elapsed
    echo = len(echo_latencies) / echo_elapsed
    result = {
        "users": args.users,
        "messages_per_user": args.messages,
        "updates": len(latencies),
        "skipped_presses": failures,
        "rejected_api_calls": rejected,
        "updates_per_second": round(ours, 1),
        "latency_ms_p50": round(pct(latencies, 0.50), 3),
        "latency_ms_p99": round(pct(latencies, 0.99), 3),
        "echo_updates_per_second": round(echo, 1),
        "echo_latency_ms_p50": round(pct(echo_latencies, 0.50), 3),
        "echo_latency_ms_p99": round(pct(echo_latencies, 0.99), 3),
        "ratio_to_echo": round(ours / echo, 3),
        "db_users": args.db_users,
        "peak_rss_mb": round(peak_rss_mb, 1),
        "median_latency_ms": round(statistics.median(latencies) * 1000, 3),
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
