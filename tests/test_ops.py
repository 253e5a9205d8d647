"""Backup while the bot runs, restore, and the doctor."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet

from bot.__main__ import main
from bot.clock import FakeClock
from bot.ops import BackupError, backup_database, run_doctor
from sakpore_sim.harness import Harness


async def test_backup_while_running_and_restore(
    make_settings: Any, clock: FakeClock, tmp_path: Path
) -> None:
    settings = make_settings()
    backup = tmp_path / "backups" / "copy.db"
    async with Harness.create(settings, clock) as h:
        for uid in range(1, 51):
            await h.user(uid, f"U{uid}").send("/start")
        # The bot is running with an open connection and WAL: the copy is still consistent.
        backup_database(settings.database_path, backup)
        await h.user(999, "After").send("/start")  # not in the backup
    with pytest.raises(BackupError, match="already exists"):
        backup_database(settings.database_path, backup)
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT COUNT(*) FROM users").fetchone() == (50,)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    # Restore as docs/deploy.md says: stop the bot, replace the file, remove -wal/-shm, start.
    for suffix in ("", "-wal", "-shm"):
        Path(str(settings.database_path) + suffix).unlink(missing_ok=True)
    backup.replace(settings.database_path)
    async with Harness.create(settings, clock) as h:
        assert await h.deps.users.count() == 50
        assert await h.deps.users.get(999) is None
        replies = await h.user(7, "U7").send("/start")
        assert "Halo, U7" in replies[0].plain


def test_backup_cli(
    make_settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "live.db"))
    monkeypatch.chdir(tmp_path)
    assert main(["migrate"]) == 0
    assert main(["backup", str(tmp_path / "b.db")]) == 0
    assert "integrity ok" in capsys.readouterr().out
    assert main(["backup", str(tmp_path / "b.db")]) == 1


async def test_doctor(make_settings: Any, clock: FakeClock) -> None:
    settings = make_settings()
    results = {c.name: c for c in await run_doctor(settings, online=False)}
    assert results["database"].ok and "created at first start" in results["database"].detail
    async with Harness.create(settings, clock):
        pass
    results = {c.name: c for c in await run_doctor(settings, online=False)}
    assert results["database"].ok and "schema version" in results["database"].detail
    assert results["encryption key"].ok and "matches" in results["encryption key"].detail
    wrong = make_settings(nik_encryption_key=Fernet.generate_key().decode())
    results = {c.name: c for c in await run_doctor(wrong, online=False)}
    assert not results["encryption key"].ok
    assert "not the key this database was encrypted with" in results["encryption key"].detail
    with sqlite3.connect(settings.database_path) as conn:
        conn.execute("INSERT INTO schema_migrations VALUES (999, 'future', 'x')")
    results = {c.name: c for c in await run_doctor(settings, online=False)}
    assert not results["database"].ok and "999" in results["database"].detail
