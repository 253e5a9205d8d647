"""Fault-and-abuse benchmark (issue 14). Prints ONE JSON object; not part of `make test`.

    .venv/bin/python bench/abuse.py               # about half a minute
    .venv/bin/python bench/abuse.py --latency 0.1 --accounts 5 --presses 30 --flood 1000

The real Application (every handler, the update processor, the rate limiter with Telegram's
20 messages a minute per group) on the simulated Bot API with `--latency` seconds per call;
updates go through the Application's own update queue, as from the Updater. Default settings
(CONCURRENT_UPDATES=64, FLOOD_MAX_PER_MINUTE=30, TELEGRAM_MAX_RATE=30) and a staff group.

* forged    - `--accounts` accounts press forged buttons (`rgx:confirm:²`, `bc:opt:²`,
              `bc:at:²`) `--presses` times each (just under the flood limit), all queued at
              once (issue 14, High 1).
* flood     - one account's `--flood` updates queued at once (issue 14, Medium 6).

During each attack an unrelated user asks `--questions` questions one after another; the
figure is the worst time from an update entering the queue to its last handler finishing
(target: under 1 s at 0.1 s latency). Also: error reports posted to the staff group, and
updates the update processor dropped before they took a slot. Last, the rows left after
/hapusdata that contain the person's text (bench/deletion.py, target 0).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _machine import cpu_model
from deletion import run as deletion

from bot.clock import FakeClock
from bot.config import Settings
from sakpore_sim.harness import Harness, UpdateQueue
from sakpore_sim.simulator import SimUser, TelegramSimulator

STAFF_CHAT_ID = -100500
FORGED = ("rgx:confirm:²", "bc:opt:²", "bc:at:²")


async def unrelated_user(h: Harness, queue: UpdateQueue, questions: int) -> float:
    """The worst latency of `questions` questions asked one after another (seconds)."""
    sri = SimUser(9001, "Sri", "id")
    worst = 0.0
    for _ in range(questions):
        start = time.perf_counter()
        done = await queue.put(h.sim.user_message(sri, text="berapa iurannya sebulan?"))
        worst = max(worst, await done - start)
    return worst


async def attack(args: argparse.Namespace, kind: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            _env_file=None,
            database_path=Path(tmp) / "abuse.db",
            staff_chat_id=STAFF_CHAT_ID,
            admin_ids=frozenset({1}),
            telegram_bot_token=None,
        )
        clock = FakeClock(datetime(2026, 1, 5, 1, 0, tzinfo=UTC))
        sim = TelegramSimulator(clock, latency=args.latency)
        async with Harness.create(settings, clock, sim=sim, start_jobs=True) as h:
            queue = UpdateQueue(h)
            started = time.perf_counter()
            if kind == "forged":
                for i in range(args.accounts):
                    account = SimUser(2000 + i, "Eve", "id")
                    await h.user(account.id).send("/start")
                    menu = h.sim.bot_messages(account.id)[-1]
                    for press in range(args.presses):
                        data = FORGED[press % len(FORGED)]
                        await queue.put(h.sim.callback(account, menu, data))
            else:
                flooder = SimUser(3001, "Spam", "id")
                for _ in range(args.flood):
                    await queue.put(h.sim.user_message(flooder, text="/bantuan"))
            worst = await unrelated_user(h, queue, args.questions)
            await h.app.update_queue.join()
            await h.deps.error_reports.idle()
            drained = time.perf_counter() - started
            return {
                "worst_unrelated_answer_s": round(worst, 3),
                "error_reports_posted": h.deps.error_reports.posted,
                "dropped_before_a_slot": getattr(h.app.update_processor, "dropped", 0),
                "all_handled_s": round(drained, 2),
            }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--accounts", type=int, default=5)
    parser.add_argument("--presses", type=int, default=30)
    parser.add_argument("--flood", type=int, default=1000)
    parser.add_argument("--questions", type=int, default=10)
    args = parser.parse_args()
    result = {
        "machine": {"cpu": cpu_model(), "python": platform.python_version()},
        "latency_s": args.latency,
        "forged": await attack(args, "forged"),
        "flood": await attack(args, "flood"),
        # rows left after /hapusdata that hold the person's text (bench/deletion.py)
        "deletion": await deletion(),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
