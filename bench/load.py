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

A third run, the "shaped echo", is a diagnostic: the echo bot sending messages of Sakpore
Bot's size and shape (see `run_echo`). `ratio_to_shaped_echo` shows how much of the gap to
the plain echo is the framework handling bigger messages and two-call button presses, and
how much is the bot's own logic and database. The target is `ratio_to_echo`.
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

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.clock import FakeClock
from bot.config import Settings
from bot.updates import PerUserUpdateProcessor
from sakpore_sim.harness import Harness
from sakpore_sim.simulator import SIM_TOKEN, SimUser, TelegramSimulator

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
    users: list[Callable[[int], Awaitable[float | None]]], messages: int, think: float = 0.0
) -> tuple[list[float], float, float]:
    """Every user sends its next message as soon as the previous one is answered, or, with
    `think` seconds, a random 0.5-1.5 times that long after it (the first one within `think`),
    as people type: then the bot is offered about users / think updates a second at most.

    Returns the latencies, the elapsed time and the process's CPU time, both in seconds and
    over the loop only (not the set-up: migrations, seeding the database)."""
    latencies: list[float] = []
    pause = random.Random(0)

    async def one(act: Callable[[int], Awaitable[float | None]]) -> None:
        for step in range(messages):
            if think:
                low = 0.0 if step == 0 else 0.5
                await asyncio.sleep(think * pause.uniform(low, low + 1.0))
            latency = await act(step)
            if latency is not None:
                latencies.append(latency)

    start, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(one(act) for act in users))
    return latencies, time.perf_counter() - start, time.process_time() - cpu


async def run_bot(
    harness: Harness, users: int, messages: int, seed: int, think: float = 0.0
) -> dict[str, Any]:
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

    latencies, elapsed, cpu = await closed_loop(
        [user_actor(10_000 + i) for i in range(users)], messages, think
    )
    return {
        "latencies": latencies,
        "elapsed": elapsed,
        "cpu": cpu,
        "skipped": skipped,
        "rejected": sum(1 for c in sim.calls if not c.ok),
    }


# The shaped echo's messages: the sizes of Sakpore Bot's (about 240 characters of HTML, an
# answer with five buttons, an edit with three), measured from the simulator's calls.
SHAPED_TEXT = (
    "<b>Iuran per bulan</b>\n\n"
    + "Iuran BPJS Ketenagakerjaan untuk pekerja bukan penerima upah adalah " * 4
)[:240]


def _keyboard(buttons: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(f"➡️ Topik nomor {i}", callback_data=f"t:{i}")]
            for i in range(buttons)
        ]
    )


async def run_echo(
    users: int, messages: int, seed: int, latency: float, concurrency: int, shaped: bool = False
) -> dict[str, Any]:
    """The baseline: same framework, simulator, latency, update processor and closed loop;
    a bot that only echoes texts and answers button presses.

    `shaped`: a diagnostic, not the baseline of the target. The echo sends messages of
    Sakpore Bot's shape instead (SHAPED_TEXT with five buttons), and two in five of its
    updates are presses answered while the message is edited (three buttons), as Sakpore
    Bot's dialogue buttons are: the framework's cost of those messages without any of the
    bot's own logic or its database.
    """
    sim = TelegramSimulator(FakeClock(), latency=latency, html_only=False)  # plain echoes
    answer_markup, edit_markup = _keyboard(5), _keyboard(3)

    async def echo(update: Update, context: Any) -> None:
        if update.effective_message is not None:
            if shaped:
                await update.effective_message.reply_text(
                    SHAPED_TEXT, parse_mode="HTML", reply_markup=answer_markup
                )
            else:
                await update.effective_message.reply_text(update.effective_message.text or "?")

    async def answer(update: Update, context: Any) -> None:
        query = update.callback_query
        if query is None:
            return
        if shaped:
            edit = query.edit_message_text(SHAPED_TEXT, parse_mode="HTML", reply_markup=edit_markup)
            await asyncio.gather(query.answer(), edit)
        else:
            await query.answer()

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
            press = step % 5 in (1, 3) if shaped else bool(step % 2)
            if press and mine:
                return await driver.handle(sim.callback(user, mine[-1], "x"))
            return await driver.handle(sim.user_message(user, text=rng.choice(FAQ)))

        return act

    latencies, elapsed, cpu = await closed_loop(
        [user_actor(10_000 + i) for i in range(users)], messages
    )
    await app.stop()
    await app.shutdown()
    return {"latencies": latencies, "elapsed": elapsed, "cpu": cpu}


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


async def run_sakpore(args: argparse.Namespace) -> tuple[dict[str, Any], float]:
    """The bot on a database of `args.db_users` users; also the peak RSS in MB after it."""
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
            bot = await run_bot(harness, args.users, args.messages, args.seed, args.think)
        return bot, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def figures(prefix: str, run: dict[str, Any]) -> dict[str, float]:
    count = len(run["latencies"])
    return {
        f"{prefix}updates_per_second": round(count / run["elapsed"], 1),
        f"{prefix}latency_ms_p50": round(pct(run["latencies"], 0.50), 1),
        f"{prefix}latency_ms_p99": round(pct(run["latencies"], 0.99), 1),
        f"{prefix}cpu_ms_per_update": round(run["cpu"] * 1000 / count, 3),
    }


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--db-users", type=int, default=100_000)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per Bot API call")
    parser.add_argument("--concurrency", type=int, default=64, help="CONCURRENT_UPDATES")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="seconds a user waits before the next message (0: at once, the closed loop)",
    )
    parser.add_argument(
        "--only",
        choices=("bot", "echo", "shaped"),
        help="run one part only (for profiles and bench/instructions.py)",
    )
    args = parser.parse_args()
    result: dict[str, Any] = {
        "users": args.users,
        "messages_per_user": args.messages,
        "api_latency_ms": args.latency * 1000,
        "concurrent_updates": args.concurrency,
        "think_seconds": args.think,
    }
    rates: dict[str, float] = {}
    if args.only in (None, "bot"):
        bot, peak_rss_mb = await run_sakpore(args)
        rates["bot"] = len(bot["latencies"]) / bot["elapsed"]
        result |= {
            "updates": len(bot["latencies"]),
            "skipped_presses": bot["skipped"],
            "rejected_api_calls": bot["rejected"],
        }
        result |= figures("", bot)
        result |= {"db_users": args.db_users, "peak_rss_mb": round(peak_rss_mb, 1)}
    for part, prefix in (("echo", "echo_"), ("shaped", "shaped_echo_")):
        if args.only in (None, part):
            run = await run_echo(
                args.users,
                args.messages,
                args.seed,
                args.latency,
                args.concurrency,
                part == "shaped",
            )
            rates[part] = len(run["latencies"]) / run["elapsed"]
            result |= figures(prefix, run)
    if "bot" in rates and "echo" in rates:
        result["ratio_to_echo"] = round(rates["bot"] / rates["echo"], 3)
    if "bot" in rates and "shaped" in rates:
        result["ratio_to_shaped_echo"] = round(rates["bot"] / rates["shaped"], 3)
    result["machine"] = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }
    print(json.dumps(result))


def _run(coro: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(coro())  # type: ignore[arg-type]


if __name__ == "__main__":
    _run(main)
