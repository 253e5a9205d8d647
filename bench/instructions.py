"""CPU instructions per update for the load benchmark's three bots: a figure that does not
drift with a shared machine's speed.

    .venv/bin/python bench/instructions.py [--parts bot echo shaped]

Needs valgrind (`apt install valgrind`). Runs `bench/load.py --only PART` under
`valgrind --tool=cachegrind --cache-sim=no` twice, with 32 and with 128 users (20 updates
each, 1,000 users in the database), and divides the difference in instructions by the
difference in updates, so start-up, imports and migrations cancel out. Valgrind runs the
program about 30 times slower and one thread at a time, so only the instruction counts mean
anything here, not the rates. Repeated runs agree within about 1 %. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
SMALL, LARGE, MESSAGES = 32, 128, 20


def instructions(part: str, users: int) -> int:
    command = [
        "valgrind",
        "--tool=cachegrind",
        "--cache-sim=no",
        "--cachegrind-out-file=/dev/null",
        sys.executable,
        str(HERE / "load.py"),
        "--only",
        part,
        "--users",
        str(users),
        "--messages",
        str(MESSAGES),
        "--db-users",
        "1000",
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    match = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if match is None:
        raise SystemExit(f"no instruction count from valgrind:\n{done.stderr[-2000:]}")
    return int(match.group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parts", nargs="+", default=["bot", "echo", "shaped"])
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt install valgrind)")
    with ThreadPoolExecutor(max_workers=2) as pool:
        counts = {
            (part, users): pool.submit(instructions, part, users)
            for part in args.parts
            for users in (SMALL, LARGE)
        }
        per_update = {
            part: (counts[part, LARGE].result() - counts[part, SMALL].result())
            / ((LARGE - SMALL) * MESSAGES)
            for part in args.parts
        }
    result: dict[str, object] = {
        f"{part}_instructions_per_update_millions": round(value / 1e6, 3)
        for part, value in per_update.items()
    }
    if "bot" in per_update and "echo" in per_update:
        result["bot_to_echo"] = round(per_update["bot"] / per_update["echo"], 2)
    if "bot" in per_update and "shaped" in per_update:
        result["bot_to_shaped_echo"] = round(per_update["bot"] / per_update["shaped"], 2)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
