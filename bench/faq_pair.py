"""Two versions of the bot side by side: the first ask of every labelled question, timed in
this checkout and in another one at the same time. Prints one JSON object.

.venv/bin/python bench/faq_pair.py OTHER_CHECKOUT [--rounds 3]

OTHER_CHECKOUT is another tree of this repository (e.g. `git worktree add /tmp/old <rev>`,
then, in it, `<this checkout>/.venv/bin/pybabel -q compile -d locales -D messages`; not
`make` there, which would reinstall this virtualenv's editable package from that tree); both
use this checkout's virtualenv and ask this checkout's labelled questions. Neither side is
warmed up (`FaqService.warm`, which older checkouts lack), so both pay for their first
totals alike. On a shared machine whose speed changes from minute to
minute (docs/benchmarks.md), runs minutes apart differ more than two versions do; two
processes running at once, one core each, meet the same noise, so their ratio is the
steadier figure. `bench/faq.py` stays the benchmark of record: this one only compares.
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _machine import cpu_model
from _timing import percentile, timed

ROOT = Path(__file__).resolve().parent.parent


def questions(root: Path) -> list[str]:
    """Every labelled question of `root`, in the order bench/faq.py asks them."""
    paths = [
        *(root / "locales" / "labelled").glob("faq_*.csv"),
        *(root / "tests" / "data").glob("faq_*.csv"),
    ]
    found = []
    for path in sorted(paths, key=lambda p: p.name):
        with path.open(encoding="utf-8") as f:
            found.extend(row["question"] for row in csv.DictReader(f))
    return found


def one(root: Path) -> dict[str, float]:
    """Load `root`'s knowledge base and ask each question once, as bench/faq.py does (but
    for the warm-up)."""
    sys.path.insert(0, str(root))
    import bot
    from bot.config import LOCALES_DIR, Settings
    from bot.faq.service import FaqService
    from bot.i18n import I18n

    if not Path(bot.__file__).resolve().is_relative_to(root):
        raise SystemExit(f"{root}: imported {bot.__file__} instead")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    tr = I18n("id", settings.tz).get("id")
    asked = questions(ROOT)
    started = time.perf_counter()
    service = FaqService.load(settings, directory=LOCALES_DIR)
    load_ms = (time.perf_counter() - started) * 1000
    gc.freeze()
    latencies = timed(lambda question: service.ask(question, tr), asked)
    return {
        "kb_load_ms": round(load_ms, 1),
        "questions": len(asked),
        "p50_ms": round(statistics.median(latencies), 3),
        "p99_ms": round(percentile(latencies, 0.99), 3),
        "mean_ms": round(statistics.fmean(latencies), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", type=Path, nargs="?")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)  # a child process
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(one(args.one.resolve())))
        return
    if args.other is None:
        parser.error("give the other checkout")
    other = args.other.resolve()
    rounds = []
    for _ in range(args.rounds):
        children = {
            name: subprocess.Popen(
                [sys.executable, __file__, "--one", str(root)], stdout=subprocess.PIPE, text=True
            )
            for name, root in (("this", ROOT), ("other", other))
        }
        outputs = {name: child.communicate()[0] for name, child in children.items()}
        if any(child.returncode for child in children.values()):
            raise SystemExit("a child failed")
        rounds.append({name: json.loads(out) for name, out in outputs.items()})
    result = {
        "benchmark": "faq_pair",
        "machine": {
            "nproc": os.cpu_count(),
            "cpu": cpu_model(),
            "python": platform.python_version(),
        },
        "this": str(ROOT),
        "other": str(other),
        "rounds": rounds,
        # this version's time over the other's, per round
        "ratio_mean": [round(r["this"]["mean_ms"] / r["other"]["mean_ms"], 3) for r in rounds],
        "ratio_p99": [round(r["this"]["p99_ms"] / r["other"]["p99_ms"], 3) for r in rounds],
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
