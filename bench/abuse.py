"""Fault-and-abuse benchmark (issue 14). Prints ONE JSON object; not part of `make test`.

    .venv/bin/python bench/abuse.py               # about a minute
    .venv/bin/python bench/abuse.py --latency 0.1 --accounts 5 --presses 30 --flood 1000

The real Application (every handler, the update processor, the rate limiter with Telegram's
20 messages a minute per group) on the simulated Bot API with `--latency` seconds per call;
updates go through the Application's own update queue, as from the Updater. Default settings
(CONCURRENT_UPDATES=64, FLOOD_MAX_PER_MINUTE=30, TELEGRAM_MAX_RATE=30) and a staff group.
Every High and Medium attack of issue 14 that runs inside the bot:

* forged         - High 1: `--accounts` accounts press forged buttons (`rgx:confirm:²`,
                   `bc:opt:²`, `bc:at:²`) `--presses` times each (just under the flood
                   limit), all queued at once.
* forged_command - High 1: `--accounts` staff accounts send `/pertanyaan ²` and `/staf
                   tambah ²` `--presses` times each.
* old_presses    - Medium 4: every answerCallbackQuery fails ("query is too old"), and
                   `--accounts` accounts press the main menu's buttons `--presses` times.
* uncertain_handoff - Medium 5: every account's first post to the staff group times out
                   (half of them arrive anyway), then each presses "Tanya petugas" again;
                   the figures add questions that never reached the group (target 0) and
                   duplicate posts in it (the price of losing none).
* flood          - Medium 6: one account's `--flood` updates queued at once.
* nik_probe      - Medium 9: `--accounts` accounts type a registered NIK in the registration
                   dialogue, `--probes` times each (/daftar again after /batal); a control
                   account types a NIK nobody has. The figures add whether anything the bot
                   said differed (target: no) and the staff notices posted.
* deletion       - Medium 2: bench/deletion.py's scenario.

During each attack an unrelated user asks `--questions` questions one after another; the
figure is the worst time from an update entering the queue to its last handler finishing
(target: under 1 s at 0.1 s latency). Also: error reports posted to the staff group, updates
the update processor dropped before they took a slot, and, after the attack, the rows that
still contain an attacker's text once each attacking account has deleted its data with
/hapusdata (target 0). Medium 3 (logs), 7 and 8 (files) are not attacks on a running bot:
tests/test_logging.py and tests/test_cli_files.py measure them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import platform
import re
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _machine import cpu_model
from deletion import rows_with_text
from deletion import run as deletion

from bot.clock import FakeClock
from bot.config import Settings
from sakpore_sim.harness import Harness, UpdateQueue
from sakpore_sim.simulator import SimUser, TelegramSimulator

STAFF_CHAT_ID = -100500
ADMIN_ID = 1
FORGED = ("rgx:confirm:²", "bc:opt:²", "bc:at:²")
FORGED_COMMANDS = ("/pertanyaan ²", "/staf tambah ²")
MENU = ("menu:bantuan", "menu:faq", "menu:pengingat")
REGISTERED_NIK = "3375014501900012"  # test data: registered by the victim before the attack
FRESH_NIK = "3326011203850001"  # nobody's
UNKNOWN = "resep soto tauto nomor {index}"  # a question the FAQ cannot answer


async def unrelated_user(h: Harness, queue: UpdateQueue, questions: int) -> float:
    """The worst latency of `questions` questions asked one after another (seconds)."""
    sri = SimUser(9001, "Sri", "id")
    worst = 0.0
    for _ in range(questions):
        start = time.perf_counter()
        done = await queue.put(h.sim.user_message(sri, text="berapa iurannya sebulan?"))
        worst = max(worst, await done - start)
    return worst


def _accounts(args: argparse.Namespace, name: str) -> list[SimUser]:
    return [SimUser(2000 + i, f"{name}{i}", "id") for i in range(args.accounts)]


async def _prepare(h: Harness, kind: str, args: argparse.Namespace) -> dict[str, Any]:
    """Set-up that is not part of the attack (not timed): accounts that have talked to the
    bot, the registered victim, the faults."""
    if kind == "forged":
        for account in _accounts(args, "Evelyn"):
            await h.user(account.id, account.first_name).send("/start")
    elif kind == "old_presses":
        for account in _accounts(args, "Oldman"):
            await h.user(account.id, account.first_name).send("/start")
        h.sim.fail("bad_request", method="answerCallbackQuery", times=None)
    elif kind == "uncertain_handoff":
        for i, account in enumerate(_accounts(args, "Asker")):
            await h.user(account.id, account.first_name).send(UNKNOWN.format(index=i))
        half = args.accounts // 2
        h.sim.fail("timeout", chat_id=STAFF_CHAT_ID, delivered=True, times=half)
        h.sim.fail("timeout", chat_id=STAFF_CHAT_ID, delivered=False, times=args.accounts - half)
    elif kind == "nik_probe":
        victim = h.user(1500, "Siti")
        await victim.send("/daftar")
        await victim.press("Setuju")
        for answer in ("Siti Aminah", REGISTERED_NIK, "081234567890"):
            await victim.send(answer)
        for label in ("Pengayuh becak", "Pekalongan Barat", "Medono", "Belum", "Kirim"):
            await victim.press(label)
    return {}


async def _attack_updates(
    h: Harness, queue: UpdateQueue, kind: str, args: argparse.Namespace
) -> None:
    """Queue the attack's updates, all at once."""
    if kind in ("forged", "old_presses"):
        # Presses on the last message: forged callback data, or real menu buttons pressed
        # when answerCallbackQuery already fails ("query is too old").
        name, presses = ("Evelyn", FORGED) if kind == "forged" else ("Oldman", MENU)
        for account in _accounts(args, name):
            menu = h.sim.bot_messages(account.id)[-1]
            for press in range(args.presses):
                await queue.put(h.sim.callback(account, menu, presses[press % len(presses)]))
    elif kind == "forged_command":
        for account in _accounts(args, "Staffer"):
            for press in range(args.presses):
                text = FORGED_COMMANDS[press % len(FORGED_COMMANDS)]
                await queue.put(h.sim.user_message(account, text=text))
    elif kind == "uncertain_handoff":
        for account in _accounts(args, "Asker"):
            unsure = h.sim.bot_messages(account.id)[-1]
            data = next(b["callback_data"] for b in unsure.inline_buttons if "Tanya" in b["text"])
            for _ in range(2):  # the press, and the retry after "it did not seem to work"
                await queue.put(h.sim.callback(account, unsure, data))
    elif kind == "flood":
        flooder = SimUser(3001, "Spammy", "id")
        for _ in range(args.flood):
            await queue.put(h.sim.user_message(flooder, text="/bantuan"))
    elif kind == "nik_probe":
        control = SimUser(2999, "Control", "id")
        for account, nik in [
            *((a, REGISTERED_NIK) for a in _accounts(args, "Prober")),
            (
                control,
                FRESH_NIK,
            ),
        ]:
            for _ in range(args.probes):
                for text in ("/daftar", "setuju", "Budi Santoso", nik, "/batal"):
                    await queue.put(h.sim.user_message(account, text=text))


def _needles(kind: str, args: argparse.Namespace) -> tuple[str, ...]:
    """What the attacking accounts typed or are called: none of it may stay after their
    /hapusdata."""
    names = {
        "forged": "Evelyn",
        "forged_command": "Staffer",
        "old_presses": "Oldman",
        "uncertain_handoff": "Asker",
        "flood": "Spammy",
        "nik_probe": "Prober",
    }
    needles = [f"{names[kind]}{i}" for i in range(args.accounts)] + [names[kind]]
    if kind == "uncertain_handoff":
        needles += [UNKNOWN.format(index=i) for i in range(args.accounts)]
    if kind == "nik_probe":
        needles += ["Budi Santoso"]
    return tuple(needles)


def _attackers(kind: str, args: argparse.Namespace) -> list[int]:
    if kind == "flood":
        return [3001]
    if kind == "nik_probe":
        return [a.id for a in _accounts(args, "Prober")] + [2999]
    return [a.id for a in _accounts(args, "x")]


async def attack(args: argparse.Namespace, kind: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        staff_accounts = (
            {2000 + i for i in range(args.accounts)} if kind == "forged_command" else set()
        )
        settings = Settings(
            _env_file=None,
            database_path=Path(tmp) / "abuse.db",
            staff_chat_id=STAFF_CHAT_ID,
            admin_ids=frozenset({ADMIN_ID, *staff_accounts}),
            telegram_bot_token=None,
        )
        clock = FakeClock(datetime(2026, 1, 5, 1, 0, tzinfo=UTC))
        sim = TelegramSimulator(clock, latency=args.latency)
        async with Harness.create(settings, clock, sim=sim, start_jobs=True) as h:
            await _prepare(h, kind, args)
            queue = UpdateQueue(h)
            started = time.perf_counter()
            await _attack_updates(h, queue, kind, args)
            worst = await unrelated_user(h, queue, args.questions)
            await h.app.update_queue.join()
            await h.deps.error_reports.idle()
            drained = time.perf_counter() - started
            group = [m.plain for m in h.sim.bot_messages(STAFF_CHAT_ID)]
            result: dict[str, Any] = {
                "worst_unrelated_answer_s": round(worst, 3),
                "error_reports_posted": sum(p.startswith("⚠️ Error") for p in group),
                "dropped_before_a_slot": getattr(h.app.update_processor, "dropped", 0),
                "all_handled_s": round(drained, 2),
            }
            if kind == "uncertain_handoff":
                questions = [UNKNOWN.format(index=i) for i in range(args.accounts)]
                posts = [p for p in group if p.startswith("🙋")]
                result["questions_lost"] = sum(not any(q in p for p in posts) for q in questions)
                result["duplicate_posts"] = len(posts) - (len(questions) - result["questions_lost"])
            if kind == "nik_probe":
                said = {
                    account.id: [m.plain for m in h.sim.bot_messages(account.id)]
                    for account in _accounts(args, "Prober")
                }
                control = [m.plain for m in h.sim.bot_messages(2999)]
                result["replies_differ_from_a_fresh_nik"] = any(t != control for t in said.values())
                result["staff_notices_posted"] = sum("NIK sudah terdaftar" in p for p in group)
            h.sim.clear_faults()
            clock.advance(timedelta(hours=1))  # past any flood mute
            if kind == "nik_probe":  # the notices still queued go out in the next minutes
                await h.deps.error_reports.flush(h.app.bot, everything=True)
                group = [m.plain for m in h.sim.bot_messages(STAFF_CHAT_ID)]
                notices = sum("NIK sudah terdaftar" in p for p in group)
                counted = sum(
                    int(found.group(1))
                    for p in group
                    if "NIK of another registration" in p
                    and (found := re.search(r"([0-9]+) more time", p))
                )
                result["nik_hits"] = args.accounts * args.probes
                result["nik_hits_reported_within_the_hour"] = notices + counted
                result["staff_posts_for_them"] = notices + sum(
                    "NIK of another registration" in p for p in group
                )
                result["reports_dropped"] = h.deps.error_reports.dropped
            for account_id in _attackers(kind, args):  # each attacker deletes their data
                account = h.user(account_id)
                await account.send("/hapusdata")
                if any("Ya, hapus" in b["text"] for b in account.last().inline_buttons):
                    await account.press("Ya, hapus")
            left = rows_with_text(settings.database_path, _needles(kind, args))
            result["rows_left_after_hapusdata"] = sum(left.values())
            return result


async def main() -> None:
    logging.basicConfig(level=logging.ERROR)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--accounts", type=int, default=5)
    parser.add_argument("--presses", type=int, default=30)
    parser.add_argument("--probes", type=int, default=5)
    parser.add_argument("--flood", type=int, default=1000)
    parser.add_argument("--questions", type=int, default=10)
    args = parser.parse_args()
    attacks = ("forged", "forged_command", "old_presses", "uncertain_handoff", "flood", "nik_probe")
    result: dict[str, Any] = {
        "machine": {
            "cpu": cpu_model(),
            "cores": os.cpu_count(),
            "python": platform.python_version(),
        },
        "latency_s": args.latency,
    }
    for kind in attacks:
        result[kind] = await attack(args, kind)
    deleted = await deletion()
    result["deletion"] = {
        "rows_left_after_hapusdata": deleted["rows_left_with_persons_text"],
        **deleted,
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    asyncio.run(main())
