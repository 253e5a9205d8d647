"""Migrations: from empty, re-run, a failing one rolled back, a too-new database refused."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.clock import from_db, to_db
from bot.config import MIGRATIONS_DIR
from bot.db import Database, MigrationError, discover_migrations


def _copy_migrations(dest: Path) -> Path:
    dest.mkdir()
    for migration in discover_migrations(MIGRATIONS_DIR):
        (dest / migration.path.name).write_text(migration.sql, encoding="utf-8")
    return dest


async def test_migrate_from_empty_then_rerun_is_a_no_op(tmp_path: Path) -> None:
    db = Database(tmp_path / "a.db")
    await db.connect()
    applied = await db.migrate()
    assert [m.version for m in applied] == [m.version for m in discover_migrations()]
    assert applied[0].version == 1
    assert await db.schema_version() == applied[-1].version
    assert await db.migrate() == []
    row = await db.fetchone("SELECT name FROM sqlite_master WHERE name = 'users'")
    assert row is not None
    await db.close()


async def test_pragmas(tmp_path: Path) -> None:
    db = Database(tmp_path / "a.db")
    await db.connect()
    assert (await db.fetchone("PRAGMA journal_mode"))[0] == "wal"  # type: ignore[index]
    assert (await db.fetchone("PRAGMA foreign_keys"))[0] == 1  # type: ignore[index]
    assert (await db.fetchone("PRAGMA busy_timeout"))[0] == 5000  # type: ignore[index]
    await db.close()


async def test_failing_migration_rolls_back_completely(tmp_path: Path) -> None:
    folder = _copy_migrations(tmp_path / "migrations")
    last = discover_migrations(folder)[-1].version
    (folder / f"{last + 1:04d}_broken.sql").write_text(
        "CREATE TABLE half_done (id INTEGER);\n"
        "INSERT INTO half_done VALUES (1);\n"
        "ALTER TABLE no_such_table ADD COLUMN x TEXT;\n",
        encoding="utf-8",
    )
    db = Database(tmp_path / "a.db")
    await db.connect()
    with pytest.raises(MigrationError, match=rf"{last + 1:04d}_broken.*rolled back"):
        await db.migrate(folder)
    # Everything before the broken one is applied; nothing of the broken one is.
    assert await db.schema_version() == last
    assert await db.fetchone("SELECT name FROM sqlite_master WHERE name = 'half_done'") is None
    await db.close()


async def test_database_newer_than_code_is_refused(tmp_path: Path) -> None:
    db = Database(tmp_path / "a.db")
    await db.connect()
    await db.migrate()
    await db.execute(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')"
    )
    with pytest.raises(MigrationError, match="999"):
        await db.migrate()
    await db.close()


def test_badly_named_migration_is_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "1_init.sql").write_text("SELECT 1;", encoding="utf-8")
    with pytest.raises(MigrationError, match="NNNN_name"):
        discover_migrations(folder)


async def test_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    db = Database(tmp_path / "a.db")
    await db.connect()
    await db.migrate()
    with pytest.raises(RuntimeError):
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO users (id, first_seen, last_seen) VALUES (1, 'x', 'x')")
            raise RuntimeError("boom")
    assert await db.fetchone("SELECT id FROM users") is None
    await db.close()


async def test_statements_of_other_coroutines_stay_out_of_an_open_transaction(
    tmp_path: Path,
) -> None:
    """Single statements skip the lock when no transaction is open; while one is open they
    wait for it, so its rollback never takes them along."""
    db = Database(tmp_path / "a.db")
    await db.connect()
    await db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, who TEXT)")
    inside = asyncio.Event()
    go_on = asyncio.Event()

    async def failing_transaction() -> None:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO t VALUES (1, 'transaction')")
            inside.set()
            await go_on.wait()  # suspended mid-transaction: others run now
            raise RuntimeError("boom")

    before = asyncio.ensure_future(db.execute("INSERT INTO t VALUES (2, 'queued before')"))
    tx_task = asyncio.create_task(failing_transaction())
    await inside.wait()
    insert = asyncio.create_task(db.execute("INSERT INTO t VALUES (3, 'during')"))
    select = asyncio.create_task(db.fetchall("SELECT id FROM t"))
    await asyncio.sleep(0)  # let them try: they must wait for the transaction
    assert not insert.done() and not select.done()
    go_on.set()
    with pytest.raises(RuntimeError):
        await tx_task
    await before
    await insert
    seen_during = [row[0] for row in await select]
    assert seen_during == [2, 3]  # ran after the rollback, never saw row 1
    rows = await db.fetchall("SELECT id, who FROM t ORDER BY id")
    assert [(row[0], row[1]) for row in rows] == [(2, "queued before"), (3, "during")]
    await db.close()


async def test_a_missing_lower_migration_is_still_applied(tmp_path: Path) -> None:
    folder = _copy_migrations(tmp_path / "migrations")
    db = Database(tmp_path / "a.db")
    await db.connect()
    await db.migrate(folder)
    (folder / "0000_early_gap.sql").write_text("CREATE TABLE gap (id INTEGER);\n", encoding="utf-8")
    applied = await db.migrate(folder)
    assert [m.name for m in applied] == ["early_gap"]
    assert await db.fetchone("SELECT name FROM sqlite_master WHERE name = 'gap'") is not None
    await db.close()


@given(st.datetimes(timezones=st.timezones(), min_value=datetime(1970, 1, 2)))
def test_timestamps_round_trip_in_utc_to_the_second(moment: datetime) -> None:
    stored = to_db(moment)
    utc = moment.astimezone(UTC)
    assert len(stored) == 20 and stored.endswith("Z")
    assert from_db(stored) == utc.replace(microsecond=0)
    assert from_db(stored).utcoffset() == timedelta(0)
    # Text order is time order (the worker's queries compare stored timestamps as text).
    assert to_db(utc + timedelta(seconds=1)) > stored


@pytest.mark.parametrize(
    "text",
    [
        "2026-01-05 01:00:00Z",
        "2026-01-05T01:00:00",
        "2026-1-5T01:00:00Z",
        "",
        "x" * 20,
        "2026-01-05T01:00:00+00:00",
        "2026-01-05T25:00:00Z",
    ],
)
def test_from_db_refuses_what_to_db_never_writes(text: str) -> None:
    with pytest.raises(ValueError):
        from_db(text)


def test_to_db_refuses_a_naive_datetime() -> None:
    with pytest.raises(ValueError):
        to_db(datetime(2026, 1, 5, 8, 0))
