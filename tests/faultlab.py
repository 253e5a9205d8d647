"""The fault lab: the real bot process against the simulated Bot API served over HTTP.

`python -m bot run` is started as a child process with TELEGRAM_API_BASE_URL pointing at a
`TelegramSimulator` served by this process (sakpore_sim/sim_server.py), so it can be killed with
SIGKILL in the middle of its work and started again on the same SQLite file, and "Telegram"
can be taken off the network and brought back on the same port with the same state.

The scenarios of issue 7's fault proof live here as functions that return what happened
(who received what, how often, and what the database says); tests/test_faults_process.py
asserts on them at small sizes and bench/faults.py reports them at larger sizes.

Rules kept throughout: every child process is killed in a `finally`, ports come from binding
port 0, and every wait has a bound.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from bot.clock import SystemClock
from bot.config import Settings
from bot.reminders import local_month
from bot.store.reminders import Reminder
from sakpore_sim.harness import Harness
from sakpore_sim.sim_server import make_app
from sakpore_sim.simulator import SIM_TOKEN, ApiCall, SimMessage, SimUser, TelegramSimulator

ADMIN_ID = 9001
BROADCAST_TEXT = "Rapat warga hari Minggu pukul 08.00 di kelurahan."
BROADCAST_MARK = "Rapat warga"  # in every broadcast message, in nothing else
REMINDER_MARK = "Pengingat iuran"  # the head of every (Indonesian) reminder
FINISHED_MARK = "Siaran #1 selesai"  # the final report to the sender of the first broadcast
FIRST_USER = 100_001


def user_ids(count: int, first: int = FIRST_USER) -> list[int]:
    return list(range(first, first + count))


# ---- "Telegram" on the network -----------------------------------------------------------


class ServedSim:
    """A TelegramSimulator on 127.0.0.1 (a port from binding port 0) that can go down and up.

    Down comes in two kinds: "refused" (nothing listens: connecting fails at once, as when
    the server is gone) and "blackhole" (the port listens but never accepts: connecting
    times out, as when the network drops packets on the way).
    """

    def __init__(self, sim: TelegramSimulator) -> None:
        self.sim = sim
        sockets = bind_sockets(0, "127.0.0.1")
        self.port = int(sockets[0].getsockname()[1])
        self.server: HTTPServer | None = None
        self._hole: list[socket.socket] = []
        self._listen(sockets)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    def _listen(self, sockets: list[socket.socket]) -> None:
        server = HTTPServer(make_app(self.sim))
        server.add_sockets(sockets)
        self.server = server

    @property
    def is_up(self) -> bool:
        return self.server is not None

    async def down(self, kind: str = "refused") -> None:
        """Telegram unreachable: stop listening and drop every open connection."""
        if self.server is not None:
            server, self.server = self.server, None
            server.stop()
            await asyncio.wait_for(server.close_all_connections(), 10)
        if kind == "blackhole" and not self._hole:
            self._hole = _black_hole(self.port)

    async def close(self) -> None:
        await self.down()
        for sock in self._hole:
            sock.close()
        self._hole = []

    def up(self) -> None:
        """Back on the same port, with the same simulator state."""
        for sock in self._hole:
            sock.close()
        self._hole = []
        if self.server is None:
            self._listen(bind_sockets(self.port, "127.0.0.1"))


def _black_hole(port: int) -> list[socket.socket]:
    """A listener with a full accept queue: new connections are never answered."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(0)
    sockets = [listener]
    for _ in range(3):  # fill the queue (backlog 0 still queues one)
        filler = socket.socket()
        filler.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            filler.connect(("127.0.0.1", port))
        sockets.append(filler)
    return sockets


# ---- what arrived ------------------------------------------------------------------------


class Arrivals:
    """Counts delivered messages per chat for a few marker texts, as they arrive.

    Cheap enough to evaluate on every API call; `exact()` recounts from the simulator's chats
    (it also sees messages delivered by a call that then timed out).
    """

    def __init__(self, sim: TelegramSimulator, marks: Iterable[str]) -> None:
        self.sim = sim
        self.counts: dict[str, Counter[int]] = {mark: Counter() for mark in marks}
        sim.on_message(self._on_call)

    def _on_call(self, call: ApiCall, message: SimMessage | None) -> None:
        if message is None or call.method != "sendMessage":
            return
        for mark, counter in self.counts.items():
            if mark in message.plain:
                counter[message.chat_id] += 1

    def total(self, mark: str) -> int:
        return sum(self.counts[mark].values())

    def chats(self, mark: str) -> int:
        return len(self.counts[mark])

    def exact(self, mark: str) -> Counter[int]:
        found: Counter[int] = Counter()
        for chat_id in list(self.sim.chats):
            for message in self.sim.bot_messages(chat_id, include_deleted=True):
                if message.kind == "text" and mark in message.plain:
                    found[chat_id] += 1
        return found


# ---- the bot process ---------------------------------------------------------------------


@dataclass
class BotProcess:
    proc: asyncio.subprocess.Process
    log_path: Path
    started: float

    @property
    def alive(self) -> bool:
        return self.proc.returncode is None

    async def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as in a power cut of the process."""
        if self.alive:
            self.proc.kill()
        await asyncio.wait_for(self.proc.wait(), 30)

    async def terminate(self, within: float = 60) -> int:
        """SIGTERM and wait for the exit code."""
        if self.alive:
            self.proc.send_signal(signal.SIGTERM)
        return await asyncio.wait_for(self.proc.wait(), within)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def _settings_names() -> set[str]:
    return {name.upper() for name in Settings.model_fields}


class Lab:
    """One experiment: a served simulator, a database folder, and the bot processes."""

    def __init__(self, root: Path, served: ServedSim, env: dict[str, str]) -> None:
        self.root = root
        self.served = served
        self.sim = served.sim
        self.db_path = root / "bot.db"
        self.env = env
        self.processes: list[BotProcess] = []
        self.arrivals = Arrivals(self.sim, (BROADCAST_MARK, REMINDER_MARK, FINISHED_MARK))

    @classmethod
    @asynccontextmanager
    async def open(cls, root: Path, *, latency: float = 0.0, **env: str) -> AsyncIterator[Lab]:
        root.mkdir(parents=True, exist_ok=True)
        served = ServedSim(TelegramSimulator(latency=latency))
        lab = cls(root, served, dict(env))
        try:
            yield lab
        finally:
            for process in lab.processes:
                with contextlib.suppress(ProcessLookupError, TimeoutError):
                    await process.kill()
            await served.close()

    # ---- setting up state before the process starts ------------------------------------

    def settings(self) -> Settings:
        return Settings(
            _env_file=None,  # type: ignore[call-arg]
            database_path=self.db_path,
            admin_ids=frozenset({ADMIN_ID}),
            staff_chat_id=None,
            telegram_bot_token=None,
            telegram_max_rate=0,
            flood_max_per_minute=0,
            nik_encryption_key=None,
        )

    @asynccontextmanager
    async def prepare(self) -> AsyncIterator[Harness]:
        """The in-process bot on the same SQLite file (its own in-memory Telegram)."""
        async with Harness.create(self.settings(), SystemClock()) as h:
            yield h

    # ---- the process -------------------------------------------------------------------

    async def start_bot(self, **env: str) -> BotProcess:
        names = _settings_names()
        environ = {k: v for k, v in os.environ.items() if k.upper() not in names}
        environ.update(
            TELEGRAM_BOT_TOKEN=SIM_TOKEN,
            TELEGRAM_API_BASE_URL=self.served.base_url,
            DATABASE_PATH=str(self.db_path),
            ADMIN_IDS=str(ADMIN_ID),
            LOG_LEVEL="INFO",
            FLOOD_MAX_PER_MINUTE="0",
        )
        environ.update(self.env)
        environ.update(env)
        log_path = self.root / f"bot-{len(self.processes) + 1}.log"
        with log_path.open("wb") as log:
            proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                cwd=self.root,
                env=environ,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=asyncio.subprocess.STDOUT,
            )
        process = BotProcess(proc, log_path, time.monotonic())
        self.processes.append(process)
        return process

    def logs(self) -> str:
        return "\n".join(f"==== {p.log_path.name}\n{p.log()}" for p in self.processes)

    def _tail(self) -> str:
        return "\n".join(f"==== {p.log_path.name}\n{p.log()[-3000:]}" for p in self.processes)

    # ---- bounded waits -----------------------------------------------------------------

    async def wait(self, predicate: Callable[[], bool], within: float, what: str) -> None:
        """Until `predicate()` holds, re-checked on every Bot API call the simulator answers."""
        try:
            await self.sim.wait_for(predicate, within=within)
        except TimeoutError:
            raise AssertionError(f"no {what} within {within} s\n{self._tail()}") from None

    async def until(
        self, check: Callable[[], bool], within: float, what: str, every: float = 0.1
    ) -> None:
        """Until `check()` holds (for database state), checked every `every` s, at most
        `within` s; fails at once when the running bot process exits."""
        deadline = time.monotonic() + within
        running = [p for p in self.processes if p.alive]
        while not check():
            if any(not p.alive for p in running):
                raise AssertionError(f"the bot exited while waiting for {what}\n{self._tail()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"no {what} within {within} s\n{self._tail()}")
            await asyncio.sleep(every)

    # ---- users -------------------------------------------------------------------------

    def say(self, user: SimUser, text: str) -> None:
        self.sim.user_message(user, text=text, queue=True)

    def press(self, user: SimUser, label: str) -> None:
        """Press the newest inline button whose label contains `label`."""
        for message in reversed(self.sim.bot_messages(user.id)):
            for button in message.inline_buttons:
                if label in button["text"]:
                    self.sim.callback(user, message, button["callback_data"], queue=True)
                    return
        raise AssertionError(f"no button {label!r} in the chat of {user.id}")

    def shown(self, user_id: int, text: str) -> bool:
        return any(text in m.plain for m in self.sim.bot_messages(user_id))

    def has_button(self, user_id: int, label: str) -> bool:
        return any(
            label in button["text"]
            for m in self.sim.bot_messages(user_id)
            for button in m.inline_buttons
        )

    async def expect_button(self, user_id: int, label: str, within: float = 30) -> None:
        await self.wait(
            lambda: self.has_button(user_id, label), within, f"button {label!r} for {user_id}"
        )

    async def expect(self, user_id: int, text: str, within: float = 30) -> None:
        await self.wait(lambda: self.shown(user_id, text), within, f"{text!r} to user {user_id}")

    async def acknowledged(self, within: float = 10) -> None:
        """Until the bot has confirmed every queued update (getUpdates with a newer offset)."""
        await self.until(
            lambda: self.sim.pending_updates() == 0, within, "acknowledged updates", every=0.02
        )

    # ---- reading the database (a separate connection; the bot's file is in WAL mode) ----

    def query(self, sql: str, params: dict[str, object] | None = None) -> list[sqlite3.Row]:
        conn = sqlite3.connect(self.db_path, timeout=10)
        try:
            conn.row_factory = sqlite3.Row
            return list(conn.execute(sql, params or {}))
        finally:
            conn.close()

    def recipients(self, broadcast_id: int = 1) -> dict[int, str]:
        rows = self.query(
            "SELECT user_id, status FROM broadcast_recipients WHERE broadcast_id = :id",
            {"id": broadcast_id},
        )
        return {int(r["user_id"]): str(r["status"]) for r in rows}

    def broadcast_status(self, broadcast_id: int = 1) -> str | None:
        rows = self.query("SELECT status FROM broadcasts WHERE id = :id", {"id": broadcast_id})
        return str(rows[0]["status"]) if rows else None

    def reminder_rows(self) -> dict[int, sqlite3.Row]:
        return {int(r["user_id"]): r for r in self.query("SELECT * FROM reminders")}

    def integrity(self) -> str:
        return str(self.query("PRAGMA integrity_check")[0][0])


# ---- setting up ----------------------------------------------------------------------------


async def add_users(h: Harness, ids: Iterable[int]) -> None:
    for uid in ids:
        await h.deps.users.seen(uid, f"Warga {uid}", "id")


async def compose_broadcast(h: Harness) -> None:
    """The admin writes an announcement to everyone and presses "Send now" (/siaran)."""
    admin = h.user(ADMIN_ID, "Admin")
    await admin.send("/siaran")
    await admin.send(BROADCAST_TEXT)
    await admin.press("Semua pengguna")
    await admin.press("Kirim sekarang")
    # The confirmation (issue 17). These labs run on the wall clock: in the quiet hours
    # (21.00-06.00 WIB) the admin's override is the way to send now.
    sure = admin.last()
    night = any("Tetap kirim" in label for label in sure.buttons)
    await admin.press("Tetap kirim sekarang" if night else "Ya, kirim", sure)
    assert "Siaran #1" in admin.last().plain, admin.last().plain


async def add_due_reminders(h: Harness, ids: Iterable[int]) -> str:
    """A reminder for each user, due now (day 1 at 07.00 is their rule); returns the month."""
    now = h.clock.now()
    month = local_month(now, h.deps.settings.tz)
    rows = [Reminder.new(uid, 1, 7 * 60, now - timedelta(seconds=1), month, now) for uid in ids]
    async with h.deps.db.transaction() as tx:
        await h.deps.reminders.repo.insert_many(tx, rows)
    return month


# ---- scenario 1: SIGKILL during a broadcast ---------------------------------------------------


@dataclass
class BroadcastKill:
    recipients: int
    at_kill: dict[int, str]  # each recipient's row right after the kill
    arrived_at_kill: Counter[int]
    final: dict[int, str]  # each recipient's row at the end
    arrived: Counter[int]  # broadcast messages each chat received in all
    final_status: str | None
    exit_code: int
    restart_log: str
    seconds: float

    @property
    def in_flight(self) -> set[int]:
        return {u for u, s in self.at_kill.items() if s == "sending"}

    @property
    def sent_before_kill(self) -> set[int]:
        return {u for u, s in self.at_kill.items() if s == "sent"}

    @property
    def duplicates(self) -> list[int]:
        return sorted(u for u, n in self.arrived.items() if n > 1)

    def with_status(self, status: str) -> set[int]:
        return {u for u, s in self.final.items() if s == status}

    @property
    def lost(self) -> list[int]:
        """Recipients neither reached nor marked 'uncertain' (a 'sent' row with no message
        counts as lost too)."""
        return sorted(
            u
            for u, s in self.final.items()
            if not ((s == "sent" and self.arrived[u] >= 1) or s == "uncertain")
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.summary()})"

    def summary(self) -> dict[str, object]:
        return {
            "recipients": self.recipients,
            "sent_before_kill": len(self.sent_before_kill),
            "in_flight_at_kill": len(self.in_flight),
            "sent": len(self.with_status("sent")),
            "uncertain": len(self.with_status("uncertain")),
            "uncertain_that_arrived": sum(
                1 for u in self.with_status("uncertain") if self.arrived[u]
            ),
            "duplicates": len(self.duplicates),
            "lost": len(self.lost),
            "broadcast_status": self.final_status,
            "exit_code_after_sigterm": self.exit_code,
            "wall_s": round(self.seconds, 2),
        }


async def kill_during_broadcast(lab: Lab, users: int, kill_after: int) -> BroadcastKill:
    """Hundreds of recipients, paced; SIGKILL after `kill_after` arrived; restart; finish."""
    started = time.monotonic()
    async with lab.prepare() as h:
        await add_users(h, user_ids(users))
        await compose_broadcast(h)
    arrivals = lab.arrivals
    first = await lab.start_bot()
    await lab.wait(
        lambda: arrivals.total(BROADCAST_MARK) >= kill_after, 60, f"{kill_after} deliveries"
    )
    await first.kill()
    at_kill = lab.recipients()
    arrived_at_kill = arrivals.exact(BROADCAST_MARK)

    second = await lab.start_bot()
    await lab.wait(
        lambda: arrivals.counts[FINISHED_MARK][ADMIN_ID] >= 1, 120, "final broadcast report"
    )
    exit_code = await second.terminate()
    return BroadcastKill(
        recipients=len(at_kill),
        at_kill=at_kill,
        arrived_at_kill=arrived_at_kill,
        final=lab.recipients(),
        arrived=arrivals.exact(BROADCAST_MARK),
        final_status=lab.broadcast_status(),
        exit_code=exit_code,
        restart_log=second.log(),
        seconds=time.monotonic() - started,
    )


# ---- scenario 2: SIGKILL during a reminder run ---------------------------------------------


@dataclass
class ReminderKill:
    users: list[int]
    month: str
    # At each kill: the user whose reminder was on its way (the request out, no answer yet),
    # whether Telegram delivered that one, and the rows already moved on at that moment.
    in_flight: list[tuple[int, bool]]
    claimed_at_kill: list[set[int]]
    arrived_at_kill: list[int]  # reminders arrived when each kill landed
    arrived: Counter[int]
    rows: dict[int, sqlite3.Row]
    exit_code: int
    seconds: float

    @property
    def missing(self) -> list[int]:
        return sorted(u for u in self.users if not self.arrived[u])

    @property
    def duplicates(self) -> list[int]:
        return sorted(u for u, n in self.arrived.items() if n > 1)

    @property
    def not_moved_on(self) -> list[int]:
        """Rows that do not say this month was reminded, or are still due for it."""
        return sorted(
            u
            for u, r in self.rows.items()
            if r["sent_month"] != self.month or r["due_month"] == self.month
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.summary()})"

    def summary(self) -> dict[str, object]:
        return {
            "reminders_due": len(self.users),
            "kills": len(self.in_flight),
            "arrived_when_killed": self.arrived_at_kill,
            "in_flight_at_kill": [
                "delivered" if delivered else "not delivered" for _, delivered in self.in_flight
            ],
            "reminded": sum(1 for u in self.users if self.arrived[u]),
            "duplicates": len(self.duplicates),
            "missing": len(self.missing),
            "rows_not_moved_on": len(self.not_moved_on),
            "exit_code_after_sigterm": self.exit_code,
            "wall_s": round(self.seconds, 2),
        }


async def hang_next_send(lab: Lab, delivered: bool, within: float = 30) -> int:
    """Make the next sendMessage hang (Telegram takes it, or not, and does not answer for
    longer than the bot's read timeout); return its chat once the request has arrived."""
    start = len(lab.sim.calls)
    lab.sim.fail("timeout", method="sendMessage", times=1, delivered=delivered)

    def hanging() -> ApiCall | None:
        return next((c for c in lab.sim.calls[start:] if c.error == "timeout"), None)

    await lab.wait(lambda: hanging() is not None, within, "a send on its way")
    call = hanging()
    assert call is not None
    return int(call.params["chat_id"])


async def kill_during_reminders(
    lab: Lab, users: int, kills: Sequence[tuple[int, bool]]
) -> ReminderKill:
    """`users` reminders due at once, sent one by one at REMINDER_MAX_PER_SECOND. For each
    kill (after, delivered): once `after` reminders have arrived, the next send hangs (with
    the message delivered or not) and the process is SIGKILLed while it waits; a new process
    starts and its catch-up run goes on. The last process sends the rest."""
    started = time.monotonic()
    ids = user_ids(users)
    async with lab.prepare() as h:
        await add_users(h, ids)
        month = await add_due_reminders(h, ids)
    arrivals = lab.arrivals
    in_flight: list[tuple[int, bool]] = []
    claimed_at_kill: list[set[int]] = []
    arrived_at_kill: list[int] = []
    for after, delivered in kills:
        process = await lab.start_bot()

        def arrived(count: int = after) -> bool:
            return arrivals.total(REMINDER_MARK) >= count

        await lab.wait(arrived, 60, f"{after} reminders")
        victim = await hang_next_send(lab, delivered)
        await process.kill()
        in_flight.append((victim, delivered))
        arrived_at_kill.append(len(arrivals.exact(REMINDER_MARK)))
        claimed_at_kill.append(
            {u for u, r in lab.reminder_rows().items() if r["sent_month"] == month}
        )

    last = await lab.start_bot()
    counts = arrivals.counts[REMINDER_MARK]
    rest = set(ids) - {u for u, _ in in_flight}
    await lab.wait(lambda: all(counts[u] for u in rest), 120, "reminders to everyone else")
    exit_code = await last.terminate()
    return ReminderKill(
        users=ids,
        month=month,
        in_flight=in_flight,
        claimed_at_kill=claimed_at_kill,
        arrived_at_kill=arrived_at_kill,
        arrived=arrivals.exact(REMINDER_MARK),
        rows=lab.reminder_rows(),
        exit_code=exit_code,
        seconds=time.monotonic() - started,
    )


# ---- scenario 5: Telegram unreachable, then back ---------------------------------------------


@dataclass
class Outage:
    outage_s: float
    kind: str
    recipients: dict[int, str] = field(default_factory=dict)
    arrived: Counter[int] = field(default_factory=Counter)
    reminder_users: list[int] = field(default_factory=list)
    reminders: Counter[int] = field(default_factory=Counter)
    reminder_rows: dict[int, sqlite3.Row] = field(default_factory=dict)
    month: str = ""
    broadcast_arrived_before: int = 0
    reminders_arrived_before: int = 0
    updates_resumed_s: float | None = None  # after "Telegram" came back
    sends_completed_s: float | None = None
    broadcast_completed_s: float | None = None
    reminders_completed_s: float | None = None
    broadcast_resumed_s: float | None = None  # the first broadcast message after the outage
    reminders_resumed_s: float | None = None  # the first reminder after the outage
    answered: int = 0
    waiting_users: int = 0
    exit_code: int | None = None
    log: str = ""

    @property
    def duplicates(self) -> int:
        return sum(1 for n in self.arrived.values() if n > 1) + sum(
            1 for n in self.reminders.values() if n > 1
        )

    def with_status(self, status: str) -> set[int]:
        return {u for u, s in self.recipients.items() if s == status}

    @property
    def uncertain_not_arrived(self) -> list[int]:
        return sorted(u for u in self.with_status("uncertain") if not self.arrived[u])

    @property
    def broadcast_lost(self) -> list[int]:
        return sorted(
            u
            for u, s in self.recipients.items()
            if not ((s == "sent" and self.arrived[u] == 1) or s == "uncertain")
        )

    @property
    def reminders_missing(self) -> list[int]:
        return sorted(u for u in self.reminder_users if not self.reminders[u])

    @property
    def reminders_unsettled(self) -> list[int]:
        return sorted(
            u
            for u, r in self.reminder_rows.items()
            if r["sent_month"] != self.month or r["due_month"] == self.month
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.summary()})"

    def summary(self) -> dict[str, object]:
        return {
            "outage_s": self.outage_s,
            "kind": self.kind,
            "broadcast": {
                "recipients": len(self.recipients),
                "arrived_before_outage": self.broadcast_arrived_before,
                "sent": len(self.with_status("sent")),
                "uncertain": len(self.with_status("uncertain")),
                "uncertain_not_arrived": len(self.uncertain_not_arrived),
                "failed": len(self.with_status("failed")),
                "duplicates": sum(1 for n in self.arrived.values() if n > 1),
                "lost": len(self.broadcast_lost),
            },
            "reminders": {
                "due": len(self.reminder_users),
                "arrived_before_outage": self.reminders_arrived_before,
                "reminded": sum(1 for u in self.reminder_users if self.reminders[u]),
                "duplicates": sum(1 for n in self.reminders.values() if n > 1),
                "missing": len(self.reminders_missing),
            },
            "users_writing_during_outage": self.waiting_users,
            "answered_after_outage": self.answered,
            "recovery_s": {
                "updates_resumed": _round(self.updates_resumed_s),
                "broadcast_resumed": _round(self.broadcast_resumed_s),
                "reminders_resumed": _round(self.reminders_resumed_s),
                "broadcast_finished": _round(self.broadcast_completed_s),
                "reminders_finished": _round(self.reminders_completed_s),
                "pending_sends_completed": _round(self.sends_completed_s),
            },
            "exit_code_after_sigterm": self.exit_code,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


async def telegram_outage(
    lab: Lab,
    users: int,
    reminder_users: int,
    outage_s: float,
    down_after: int,
    waiting_users: int = 5,
    within: float = 600,
    kind: str = "refused",
) -> Outage:
    """A broadcast to `users` people and `reminder_users` reminders are under way; after
    `down_after` broadcast messages "Telegram" goes away (`kind`: "refused" or "blackhole")
    for `outage_s` seconds while people keep writing; then it comes back on the same port
    with the same state."""
    result = Outage(outage_s=outage_s, kind=kind, waiting_users=waiting_users)
    ids = user_ids(users)
    result.reminder_users = ids[:reminder_users]
    async with lab.prepare() as h:
        await add_users(h, ids)
        result.month = await add_due_reminders(h, result.reminder_users)
        await compose_broadcast(h)
    arrivals = lab.arrivals
    bot = await lab.start_bot()
    await lab.wait(
        lambda: arrivals.total(BROADCAST_MARK) >= down_after and arrivals.total(REMINDER_MARK) >= 1,
        60,
        f"{down_after} broadcast messages and a reminder",
    )
    await lab.served.down(kind)
    result.broadcast_arrived_before = arrivals.total(BROADCAST_MARK)
    result.reminders_arrived_before = arrivals.total(REMINDER_MARK)
    writers = [SimUser(900_000 + i, f"Tamu {i}") for i in range(waiting_users)]
    for writer in writers:
        lab.say(writer, "/start")
    await asyncio.sleep(outage_s)  # the outage itself, not a wait for something to happen
    assert bot.alive, lab.logs()[-3000:]
    lab.served.up()
    back = time.monotonic()
    # What arrived during the outage came from requests already inside the server.
    broadcast_before = arrivals.total(BROADCAST_MARK)
    reminders_before = arrivals.total(REMINDER_MARK)

    def answered() -> int:
        return sum(1 for w in writers if lab.shown(w.id, "Halo"))

    def recovered() -> bool:
        """Notes when each kind of work is back to normal; True when all are."""
        now = time.monotonic() - back
        if result.updates_resumed_s is None and answered() == len(writers):
            result.updates_resumed_s = now
        if result.broadcast_resumed_s is None and arrivals.total(BROADCAST_MARK) > broadcast_before:
            result.broadcast_resumed_s = now
        if result.reminders_resumed_s is None and arrivals.total(REMINDER_MARK) > reminders_before:
            result.reminders_resumed_s = now
        if result.broadcast_completed_s is None and lab.broadcast_status() == "done":
            result.broadcast_completed_s = now
        if result.reminders_completed_s is None and all(
            r["sent_month"] == result.month and r["due_month"] != result.month
            for r in lab.reminder_rows().values()
        ):
            result.reminders_completed_s = now
        return None not in (
            result.updates_resumed_s,
            result.broadcast_completed_s,
            result.reminders_completed_s,
        )

    await lab.until(recovered, within, "recovery after the outage", every=0.2)
    result.sends_completed_s = max(
        result.broadcast_completed_s or 0, result.reminders_completed_s or 0
    )
    result.answered = answered()
    result.exit_code = await bot.terminate()
    result.recipients = lab.recipients()
    result.arrived = arrivals.exact(BROADCAST_MARK)
    result.reminders = arrivals.exact(REMINDER_MARK)
    result.reminder_rows = lab.reminder_rows()
    result.log = bot.log()
    return result
