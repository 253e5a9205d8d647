"""Broadcast engine benchmark: prints ONE JSON object.

10,000 recipients through the in-memory Telegram simulator with 50 ms latency per call,
2% of them answering 403 (blocked) and 0.5% answering one 429 (retry_after 1 s), chosen
deterministically by chat id; real clock. Two runs:

* capped: the production settings (BROADCAST_MAX_PER_SECOND=25, TELEGRAM_MAX_RATE=30);
  achieved rate as a share of the cap, duplicates, lost messages, and how long a user waits
  for a reply (/bantuan) while the broadcast runs;
* lifted: the cap raised to 1,000/s (what paid broadcasts allow) and TELEGRAM_MAX_RATE=0:
  the highest rate the engine itself sustains.

Each 429 makes the engine hold all sending for retry_after (1 s) as Telegram demands; the
figures are given with and without that mandated waiting.

    python bench/broadcast.py [--recipients N] [--only capped|lifted]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import platform
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from _machine import cpu_model

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.broadcast import Content
from bot.clock import SystemClock
from bot.config import Settings
from sakpore_sim.harness import Harness
from sakpore_sim.simulator import ApiCall, SimMessage, TelegramSimulator

ADMIN = 9001
FIRST = 100_000
LATENCY = 0.05


def blocked(uid: int) -> bool:
    return uid % 50 == 0  # 2 %


def limited(uid: int) -> bool:
    return uid % 200 == 7  # 0.5 %


async def run(recipients: int, cap: float, max_rate: float, concurrency: int) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="sakpore-bench-"))
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_path=folder / "bench.db",
        admin_ids=frozenset({ADMIN}),
        telegram_max_rate=max_rate,
        broadcast_max_per_second=cap,
        broadcast_concurrency=concurrency,
    )
    clock = SystemClock()
    sim = TelegramSimulator(clock)
    ids = list(range(FIRST, FIRST + recipients))
    async with Harness.create(settings, clock, sim=sim) as h:
        for uid in ids:
            await h.deps.users.seen(uid, "U", "id")
        for uid in ids:
            if blocked(uid):
                sim.block(uid)
            elif limited(uid):
                sim.fail("retry_after", chat_id=uid, retry_after=1)
        sim.latency = LATENCY

        ok_times: list[float] = []
        call_times: list[float] = []
        attempts = Counter[int]()
        delivered = Counter[int]()
        limited_at: list[float] = []

        def listener(call: ApiCall, message: SimMessage | None) -> None:
            if call.method != "sendMessage":
                return
            chat = int(call.params.get("chat_id", 0))
            if chat < FIRST:
                return
            attempts[chat] += 1
            call_times.append(time.monotonic())
            if call.ok:
                delivered[chat] += 1
                ok_times.append(time.monotonic())
            elif call.error and "retry after" in call.error:
                limited_at.append(time.monotonic())

        sim.on_message(listener)
        await h.deps.broadcaster.create(
            ADMIN, Content("text", "<b>Info</b> program", None, "Info program"), "all", None
        )

        # A user asking something while the broadcast runs: how long until the reply?
        waits: list[float] = []
        stop = asyncio.Event()

        async def asker() -> None:
            user = h.user(5, "Ani")
            while not stop.is_set():
                began = time.monotonic()
                await user.send("/bantuan")
                waits.append(time.monotonic() - began)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), 2.0)

        asking = asyncio.create_task(asker())
        began = time.monotonic()
        await h.deps.broadcaster.run(h.app.bot)
        wall = time.monotonic() - began
        stop.set()
        await asking
        statuses = Counter((await h.deps.broadcaster.repo.deliveries(1)).values())

    expected = [u for u in ids if not blocked(u)]
    duplicates = sum(n - 1 for n in delivered.values() if n > 1)
    lost = sum(1 for u in expected if delivered[u] == 0)
    # The cap limits calls (a 403 or a 429 uses a slot too); "delivered" counts only successes.
    span = call_times[-1] - call_times[0] if len(call_times) > 1 else 0.0
    rate = (len(call_times) - 1) / span if span else 0.0
    delivered_rate = len(ok_times) / span if span else 0.0
    # Telegram's retry_after (1 s) per 429, merged where they overlap.
    held = 0.0
    end = 0.0
    for t in sorted(limited_at):
        held += min(1.0, t + 1.0 - max(t, end)) if t + 1.0 > end else 0.0
        end = max(end, t + 1.0)
    rate_unheld = (len(call_times) - 1) / (span - held) if span > held else 0.0
    # The most calls that started within any one second (sliding window).
    busiest, first = 0, 0
    for last, t in enumerate(call_times):
        while t - call_times[first] >= 1.0:
            first += 1
        busiest = max(busiest, last - first + 1)
    result: dict[str, Any] = {
        "recipients": recipients,
        "cap_per_second": cap,
        "telegram_max_rate": max_rate,
        "concurrency": concurrency,
        "wall_seconds": round(wall, 1),
        "delivered": len(ok_times),
        "statuses": dict(statuses),
        "duplicates": duplicates,
        "lost": lost,
        "responses_429": len(limited_at),
        "held_for_retry_after_seconds": round(held, 1),
        "calls": len(call_times),
        "most_calls_in_any_second": busiest,
        "achieved_rate": round(rate, 2),
        "delivered_per_second": round(delivered_rate, 2),
        "achieved_rate_excluding_retry_after": round(rate_unheld, 2),
    }
    if cap <= 100:
        result["share_of_cap"] = round(rate / cap, 4)
        result["share_of_cap_excluding_retry_after"] = round(rate_unheld / cap, 4)
    if waits:
        result["reply_seconds_during_broadcast"] = {
            "count": len(waits),
            "median": round(statistics.median(waits), 3),
            "max": round(max(waits), 3),
        }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--only", choices=["capped", "lifted"])
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    out: dict[str, Any] = {
        "benchmark": "broadcast",
        "latency_per_call_seconds": LATENCY,
        "faults": {"403": "2% (chat id % 50 == 0)", "429": "0.5% once, retry_after 1 s"},
        "machine": {
            "nproc": os.cpu_count(),
            "cpu": cpu_model(),
            "python": platform.python_version(),
        },
    }
    if args.only != "lifted":
        out["capped"] = asyncio.run(run(args.recipients, 25, 30, 50))
    if args.only != "capped":
        out["lifted"] = asyncio.run(run(args.recipients, 1000, 0, 200))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
