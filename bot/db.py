"""The SQLite connection (aiosqlite), its PRAGMAs, transactions and the migration runner."""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import aiosqlite

from bot.clock import Clock, SystemClock, to_db
from bot.config import MIGRATIONS_DIR
from bot.private_files import create_private

logger = logging.getLogger(__name__)
# wal_checkpoint(TRUNCATE) attempts before a warning (each waits busy_timeout for readers).
CHECKPOINT_ATTEMPTS = 3

Params = Mapping[str, Any] | Sequence[Any]

_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


class MigrationError(Exception):
    """A migration could not be applied, or the database is newer than this code."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    path: Path

    @property
    def sql(self) -> str:
        return self.path.read_text(encoding="utf-8")


def discover_migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """The migration files in order; a malformed name or a repeated number is an error."""
    found: dict[int, Migration] = {}
    for path in sorted(directory.glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if not match:
            raise MigrationError(f"{path.name}: migration files are named NNNN_name.sql")
        version = int(match.group(1))
        if version in found:
            raise MigrationError(f"{path.name}: migration number {version} is used twice")
        found[version] = Migration(version, match.group(2), path)
    return [found[v] for v in sorted(found)]


class Queryable(Protocol):
    """What repositories need: run a statement, fetch rows. Database and Tx both offer it."""

    async def execute(self, sql: str, params: Params = ()) -> sqlite3.Cursor | aiosqlite.Cursor:
        """Run one statement and return its cursor (rowcount, lastrowid)."""

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        """The first row, or None."""

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """All rows."""

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        """Run one statement for each parameter set."""


class Tx:
    """A transaction in progress; only the coroutine that opened it uses it."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Params = ()) -> aiosqlite.Cursor:
        return await self._conn.execute(sql, params)

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        # execute_fetchall is one round trip to aiosqlite's thread (execute + fetch + close
        # would be three); the queries that use fetchone return at most a few rows.
        rows = await self._conn.execute_fetchall(sql, params)
        return next(iter(rows), None)

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        return list(await self._conn.execute_fetchall(sql, params))

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        await self._conn.executemany(sql, rows)


class Database:
    """One aiosqlite connection in autocommit mode, shared by the whole bot.

    A `transaction()` block holds one asyncio lock, so a transaction opened by one coroutine
    never swallows another coroutine's statements: while it is open, single statements wait
    for it. When no transaction is open, single statements go straight to aiosqlite's queue.
    """

    def __init__(self, path: Path, clock: Clock | None = None) -> None:
        self.path = path
        self.clock = clock or SystemClock()
        self._conn: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise RuntimeError("database is not connected")
        return self._conn

    async def connect(self) -> None:
        """Open the file (creating its folder) and set the PRAGMAs."""
        if self._conn is not None:
            return
        if str(self.path) != ":memory:":
            # A new database file is created private (0600); SQLite gives its -wal and -shm
            # files the same mode. An existing file is left as it is.
            create_private(self.path)
        conn = await aiosqlite.connect(self.path, isolation_level=None)
        try:
            conn.row_factory = sqlite3.Row
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA busy_timeout=5000")
            await conn.execute("PRAGMA synchronous=NORMAL")
            # Deleted rows (e.g. /hapusdata) are overwritten with zeros, not left in free pages.
            await conn.execute("PRAGMA secure_delete=ON")
        except BaseException:
            # A file that is not a database fails here. aiosqlite's thread is not a daemon:
            # left open, it would keep the process alive after the error is printed.
            await conn.close()
            raise
        self._conn = conn

    async def close(self) -> None:
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    async def checkpoint(self, attempts: int = CHECKPOINT_ATTEMPTS) -> bool:
        """Copy the WAL into the database file and truncate it; True when done. After a
        deletion: with secure_delete the file's pages are overwritten, but the -wal file would
        keep the old pages (encrypted fields included) until SQLite's next automatic
        checkpoint. SQLite gives up, with busy = 1, while another connection reads (each
        attempt first waits busy_timeout): retried, then a warning (SQLite's automatic
        checkpoints and the next deletion's retry the copy)."""
        async with self._lock:
            for _ in range(attempts):
                cursor = await self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                row = await cursor.fetchone()
                await cursor.close()
                if row is not None and row[0] == 0:
                    return True
        logger.warning(
            "WAL checkpoint still busy after %d attempts: deleted pages stay in the -wal file"
            " until the next checkpoint",
            attempts,
        )
        return False

    async def _after_transaction(self) -> None:
        """Wait while a transaction (or a migration) holds the lock; return at once otherwise.

        A single statement does not hold the lock itself: aiosqlite runs statements one after
        another, in the order they are queued, on its own thread, and the caller queues its
        statement right after this returns, before any other coroutine runs, so it runs before
        any BEGIN queued later. Holding the lock for every statement made each one wait for
        the previous statement's coroutine to be resumed by the busy event loop: one statement
        per loop turn.
        """
        if self._lock.locked():
            async with self._lock:
                pass

    async def execute(self, sql: str, params: Params = ()) -> aiosqlite.Cursor:
        await self._after_transaction()
        return await self.conn.execute(sql, params)

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        await self._after_transaction()
        return await Tx(self.conn).fetchone(sql, params)

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        await self._after_transaction()
        return await Tx(self.conn).fetchall(sql, params)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        async with self.transaction() as tx:
            await tx.executemany(sql, rows)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK when the block raises."""
        async with self._lock:
            conn = self.conn
            await conn.execute("BEGIN IMMEDIATE")
            try:
                yield Tx(conn)
            except BaseException:
                await conn.execute("ROLLBACK")
                raise
            else:
                await conn.execute("COMMIT")

    # ---- migrations -------------------------------------------------------------------

    async def schema_version(self) -> int:
        """The highest applied migration, 0 for a new database."""
        async with self._lock:
            return await self._schema_version()

    async def _schema_version(self) -> int:
        await self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        async with self.conn.execute("SELECT MAX(version) FROM schema_migrations") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    async def migrate(self, directory: Path = MIGRATIONS_DIR) -> list[Migration]:
        """Apply the pending migrations in order, each in one transaction; return them."""
        migrations = discover_migrations(directory)
        known = migrations[-1].version if migrations else 0
        applied: list[Migration] = []
        async with self._lock:
            current = await self._schema_version()
            if current > known:
                raise MigrationError(
                    f"the database {self.path} is at schema version {current}, but this code "
                    f"only knows up to {known}; install the newer bot or restore a backup"
                )
            async with self.conn.execute("SELECT version FROM schema_migrations") as cur:
                done = {int(row[0]) for row in await cur.fetchall()}
            for migration in migrations:
                # Apply every migration not recorded yet, in order (not only those above the
                # current maximum): a database made on a branch may lack a lower number.
                if migration.version in done:
                    continue
                await self._apply(migration)
                applied.append(migration)
        return applied

    async def _apply(self, migration: Migration) -> None:
        conn = self.conn
        label = f"{migration.version:04d}_{migration.name}"
        # executescript would commit an open transaction first; run the statements
        # one by one inside our own BEGIN so the whole file is atomic.
        statements = _split_sql(migration.sql)
        await conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in statements:
                await conn.execute(statement)
            await conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at)"
                " VALUES (:version, :name, :at)",
                {
                    "version": migration.version,
                    "name": migration.name,
                    "at": to_db(self.clock.now()),
                },
            )
        except sqlite3.Error as exc:
            await conn.execute("ROLLBACK")
            raise MigrationError(f"migration {label} failed and was rolled back: {exc}") from exc
        except BaseException:
            await conn.execute("ROLLBACK")
            raise
        await conn.execute("COMMIT")
        logger.info("applied migration %s", label)


def _split_sql(script: str) -> list[str]:
    """Split a migration file into statements, using sqlite3's own completeness check."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statement = buffer.strip()
            if statement.rstrip(";").strip():
                statements.append(statement)
            buffer = ""
    if buffer.strip() and not all(
        ln.strip().startswith("--") or not ln.strip() for ln in buffer.splitlines()
    ):
        raise MigrationError(f"incomplete SQL statement at the end of a migration: {buffer[:60]!r}")
    return statements
