"""Fault proofs at scale (issue 7). Prints ONE JSON object; not part of `make test`.

    .venv/bin/python bench/faults.py                 # everything, about eight minutes
    .venv/bin/python bench/faults.py --outage 30     # a shorter outage
    .venv/bin/python bench/faults.py --only outage   # or: broadcast, reminders

The real bot process (`python -m bot run`) against the simulated Bot API served over HTTP
on localhost (tests/faultlab.py, the same scenarios tests/test_faults_process.py asserts):

* outage    - a broadcast and a batch of due reminders are under way and people are writing
              when "Telegram" disappears for --outage seconds (default 120), then comes back
              on the same port with the same state. Twice: "refused" (server stopped, every
              connection dropped: connecting fails at once) and "blackhole" (connections
              dropped, then the port never answers: connecting times out, as when the
              network loses packets). The bot runs with the DEFAULT settings
              (BROADCAST_RETRY_SECONDS=10, BROADCAST_MAX_ATTEMPTS=5, REMINDER_RETRY_SECONDS=60,
              WORKER_INTERVAL_SECONDS=30, BROADCAST_MAX_PER_SECOND=25,
              REMINDER_MAX_PER_SECOND=10), so the recovery times are what a deployment sees.
* broadcast - SIGKILL in the middle of a broadcast to --broadcast-users people, restart.
* reminders - --reminders due at once; SIGKILL twice while a reminder is on its way (once
              Telegram never got it, once it delivered it), restart each time.

Counts: sent, duplicates (anyone who got the same broadcast or month's reminder twice),
uncertain (maybe delivered, never resent), lost (neither reached nor marked), recovery time
after the outage (updates read again; every pending send completed).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import platform
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _machine import cpu_model

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.faultlab import (
    Lab,
    kill_during_broadcast,
    kill_during_reminders,
    telegram_outage,
)


async def outage(args: argparse.Namespace, root: Path, kind: str) -> dict[str, Any]:
    # Defaults everywhere except the overall cap, which the simulator does not need.
    async with Lab.open(root, latency=0.05, TELEGRAM_MAX_RATE="0") as lab:
        run = await telegram_outage(
            lab,
            users=args.outage_users,
            reminder_users=args.outage_reminders,
            outage_s=args.outage,
            down_after=args.outage_users // 5,
            waiting_users=20,
            within=args.outage * 3 + 600,
            kind=kind,
        )
    return run.summary()


async def outage_refused(args: argparse.Namespace, root: Path) -> dict[str, Any]:
    return await outage(args, root, "refused")


async def outage_blackhole(args: argparse.Namespace, root: Path) -> dict[str, Any]:
    return await outage(args, root, "blackhole")


async def broadcast(args: argparse.Namespace, root: Path) -> dict[str, Any]:
    async with Lab.open(
        root,
        latency=0.1,
        BROADCAST_MAX_PER_SECOND="100",
        BROADCAST_CONCURRENCY="20",
        TELEGRAM_MAX_RATE="0",
    ) as lab:
        run = await kill_during_broadcast(
            lab, users=args.broadcast_users, kill_after=args.broadcast_users // 2
        )
    return run.summary()


async def reminders(args: argparse.Namespace, root: Path) -> dict[str, Any]:
    n = args.reminders
    async with Lab.open(
        root, latency=0.02, REMINDER_MAX_PER_SECOND="30", TELEGRAM_MAX_RATE="0"
    ) as lab:
        run = await kill_during_reminders(lab, users=n, kills=[(n // 4, False), (n // 2, True)])
    return run.summary()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outage", type=float, default=120.0, help="seconds Telegram is away")
    parser.add_argument("--outage-users", type=int, default=1000)
    parser.add_argument("--outage-reminders", type=int, default=300)
    parser.add_argument("--broadcast-users", type=int, default=2000)
    parser.add_argument("--reminders", type=int, default=1000)
    parser.add_argument(
        "--only", choices=["outage", "outage_refused", "outage_blackhole", "broadcast", "reminders"]
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.CRITICAL)  # the simulator's server logs stay quiet

    out: dict[str, Any] = {
        "benchmark": "faults",
        "machine": {
            "nproc": os.cpu_count(),
            "cpu": cpu_model(),
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
        },
    }
    scenarios = {
        "outage_refused": outage_refused,
        "outage_blackhole": outage_blackhole,
        "broadcast": broadcast,
        "reminders": reminders,
    }
    for name, scenario in scenarios.items():
        if args.only is not None and not name.startswith(args.only):
            continue
        with tempfile.TemporaryDirectory() as tmp:
            started = time.monotonic()
            result = asyncio.run(scenario(args, Path(tmp)))
            result["bench_wall_s"] = round(time.monotonic() - started, 1)
            out[name] = result
    print(json.dumps(out))


if __name__ == "__main__":
    main()
