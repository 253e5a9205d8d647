"""Reminder worker benchmark. Prints ONE JSON object; not part of `make test`.

    .venv/bin/python bench/reminders.py            # 1,000 and 100,000 reminders
    .venv/bin/python bench/reminders.py --size N   # one size (used internally, one process each)

For each size, in its own process (so peak memory is that size's own): bulk-insert N users
with an active reminder each (due times spread over the coming month), then start the bot
on that database through the simulator harness and measure

* startup_s       - Harness.create on the populated file: open, migrate check, publish commands;
* tick_0_due_ms   - one worker run when nothing is due (median and p95 of many runs);
* due_1000_s      - wall time to send 1,000 reminders that fell due at the same minute, at the
                    configured REMINDER_MAX_PER_SECOND (the fake clock moves through the waits,
                    so this is the bot's own work, not the rate limit's waiting);
* peak_rss_mb     - the process's peak resident memory.

Targets (issue 5): tick_0_due at 100,000 at most 1.5 x the figure at 1,000; peak under 200 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _machine import cpu_model

from bot.clock import FakeClock, to_db
from bot.config import Settings
from bot.reminders import END_OF_MONTH, Rule, local_month, next_due_after
from bot.store.reminders import Reminder
from sakpore_sim.harness import Harness

SIZES = (1_000, 100_000)
DUE_AT_ONCE = 1_000
ZERO_DUE_RUNS = 1000
NOW = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)  # Monday 5 January 2026, 08.00 WIB


def _settings(path: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_path=path,
        telegram_bot_token=None,
        telegram_max_rate=0,
        admin_ids=frozenset(),
        staff_chat_id=None,
    )


async def _populate(h: Harness, size: int) -> float:
    """Bulk-insert `size` users, each with an active reminder; returns seconds taken."""
    started = time.perf_counter()
    rng = random.Random(5)
    tz = h.deps.settings.tz
    now_text = to_db(NOW)
    await h.deps.db.executemany(
        "INSERT INTO users (id, first_name, language, first_seen, last_seen)"
        " VALUES (:id, :name, 'id', :now, :now)",
        ({"id": 100_000 + i, "name": f"Pengguna {i}", "now": now_text} for i in range(size)),
    )

    def reminders() -> list[Reminder]:
        rows = []
        for i in range(size):
            rule = Rule(rng.choice([END_OF_MONTH, *range(1, 32)]), rng.randrange(24), 0)
            due, month = next_due_after(rule, NOW + timedelta(minutes=1), tz)
            rows.append(Reminder.new(100_000 + i, rule.day, rule.minute_of_day, due, month, NOW))
        return rows

    async with h.deps.db.transaction() as tx:
        await h.deps.reminders.repo.insert_many(tx, reminders())
    await h.deps.db.execute("ANALYZE")
    return time.perf_counter() - started


async def measure(size: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = _settings(Path(tmp) / "bench.db")
        clock = FakeClock(NOW)
        async with Harness.create(settings, clock) as h:
            insert_s = await _populate(h, size)
            active = await h.deps.reminders.repo.count_active(h.deps.db)

        started = time.perf_counter()
        async with Harness.create(settings, clock) as h:
            startup_s = time.perf_counter() - started
            service, bot = h.deps.reminders, h.app.bot

            for _ in range(20):  # warm up
                await service.tick(bot)
            samples = []
            for _ in range(ZERO_DUE_RUNS):
                t0 = time.perf_counter()
                report = await service.tick(bot)
                samples.append((time.perf_counter() - t0) * 1000)
                assert report.attempted == 0
            samples.sort()

            # 1,000 people due at the same minute.
            await h.deps.db.execute(
                "UPDATE reminders SET next_due = :due, due_month = :month"
                " WHERE user_id IN (SELECT user_id FROM reminders ORDER BY user_id LIMIT :n)",
                {"due": to_db(NOW), "month": local_month(NOW, settings.tz), "n": DUE_AT_ONCE},
            )
            t0 = time.perf_counter()
            sent, runs = 0, 0
            while sent < DUE_AT_ONCE and runs < 100:
                report = await service.tick(bot)
                sent += report.sent
                runs += 1
            due_s = time.perf_counter() - t0
            simulated_s = (clock.now() - NOW).total_seconds()

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    return {
        "reminders": active,
        "bulk_insert_s": round(insert_s, 3),
        "startup_s": round(startup_s, 3),
        "tick_0_due_ms": {
            "median": round(statistics.median(samples), 4),
            "min": round(samples[0], 4),
            "p95": round(samples[int(len(samples) * 0.95)], 4),
            "runs": len(samples),
        },
        "due_1000": {
            "sent": sent,
            "worker_runs": runs,
            "wall_s": round(due_s, 3),
            "ms_per_reminder": round(due_s * 1000 / max(sent, 1), 3),
            "simulated_s_at_rate_limit": round(simulated_s, 1),
        },
        "peak_rss_mb": round(peak, 1),
    }


def _machine() -> dict[str, object]:
    cpu = cpu_model()
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "sqlite": __import__("sqlite3").sqlite_version,
        "platform": platform.platform(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, help="measure one size in this process")
    args = parser.parse_args()
    if args.size:
        print(json.dumps(asyncio.run(measure(args.size))))
        return 0
    results: dict[str, dict[str, object]] = {}
    for size in SIZES:
        out = subprocess.run(
            [sys.executable, __file__, "--size", str(size)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        results[str(size)] = json.loads(out.strip().splitlines()[-1])
    small, large = results[str(SIZES[0])], results[str(SIZES[-1])]
    ratio = large["tick_0_due_ms"]["median"] / small["tick_0_due_ms"]["median"]  # type: ignore[index]
    peak = max(float(r["peak_rss_mb"]) for r in results.values())  # type: ignore[arg-type]
    defaults = _settings(Path("unused.db"))
    print(
        json.dumps(
            {
                "benchmark": "reminders",
                "machine": _machine(),
                "settings": {
                    "reminder_max_per_second": defaults.reminder_max_per_second,
                    "worker_interval_seconds": defaults.worker_interval_seconds,
                },
                "results": results,
                "tick_0_due_ratio_100k_vs_1k": round(ratio, 3),
                "targets": {"tick_0_due_ratio_max": 1.5, "peak_rss_mb_max": 200},
                "targets_met": ratio <= 1.5 and peak < 200,
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
