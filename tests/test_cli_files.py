"""The command line and its files: a database path that is not a database ends every command
at once with status 1; exports never overwrite a file unless asked; every file the bot
creates with personal data (database, -wal, -shm, exports, backups) has mode 0600."""

from __future__ import annotations

import asyncio
import os
import stat
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.db import Database
from bot.ops import backup_database
from sakpore_sim.sim_server import serve
from sakpore_sim.simulator import SIM_TOKEN, TelegramSimulator
from tests.test_http_modes import free_port

pytestmark = [pytest.mark.timeout(120), pytest.mark.slow]  # real processes

# Long enough for a slow, busy machine to start Python and load the knowledge base; the
# unfixed commands never ended at all.
ENDS_WITHIN = 45.0


def _environ(tmp_path: Path, **env: str) -> dict[str, str]:
    environ = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "DATABASE_", "WEBHOOK_", "NIK_", "STAFF_", "ADMIN_"))
    }
    environ.update({"DATABASE_PATH": str(tmp_path / "bot.db"), **env})
    return environ


async def _cli(tmp_path: Path, *args: str, **env: str) -> tuple[int, str, str]:
    """Run `python -m bot ARGS`; fail the test if it does not end within ENDS_WITHIN."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=tmp_path,
        env=_environ(tmp_path, **env),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(process.communicate(), ENDS_WITHIN)
    except TimeoutError:
        process.kill()
        await process.wait()
        pytest.fail(f"`{' '.join(args)}` did not end within {ENDS_WITHIN:g} s")
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
async def bot_api() -> AsyncIterator[str]:
    """The simulated Bot API over HTTP (for `run`, which calls getMe before the database)."""
    port = free_port()
    server = serve(TelegramSimulator(), port)
    yield f"http://127.0.0.1:{port}/bot"
    server.stop()


# ---- a database path that is not a database (issue 14, item 7) ----------------------------


@pytest.mark.parametrize(
    "args", [("migrate",), ("doctor", "--offline"), ("export", "out.csv"), ("run",)]
)
async def test_a_file_that_is_not_a_database_ends_every_command_with_1(
    tmp_path: Path, bot_api: str, args: tuple[str, ...]
) -> None:
    (tmp_path / "bot.db").write_bytes(b"this is not a SQLite database\n" * 200)
    code, _out, err = await _cli(
        tmp_path, *args, TELEGRAM_BOT_TOKEN=SIM_TOKEN, TELEGRAM_API_BASE_URL=bot_api
    )
    assert code == 1, err[-2000:]
    assert "file is not a database" in err or "file is not a database" in _out
    assert "Traceback" not in err
    assert not (tmp_path / "out.csv").exists()


# ---- files: no overwriting, mode 0600 (issue 14, item 8) -----------------------------------


async def test_export_refuses_an_existing_file_unless_forced(tmp_path: Path) -> None:
    code, _out, err = await _cli(tmp_path, "migrate")
    assert code == 0, err
    key = tmp_path / "bot.db.key"
    key.write_text(Fernet.generate_key().decode() + "\n")
    for target in (key, tmp_path / "bot.db"):
        before = target.read_bytes()
        code, out, err = await _cli(tmp_path, "export", target.name)
        assert code == 1, out
        assert "already exists" in err and "--force" in err
        assert target.read_bytes() == before  # untouched

    code, out, err = await _cli(tmp_path, "export", "registrations.csv")
    assert code == 0, err
    export = tmp_path / "registrations.csv"
    assert _mode(export) == 0o600
    export.write_text("an old export")
    os.chmod(export, 0o644)
    code, out, err = await _cli(tmp_path, "export", "registrations.csv", "--force")
    assert code == 0, err
    assert export.read_text(encoding="utf-8-sig") != "an old export"
    assert _mode(export) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir() if "registrations" in p.name) == [
        "registrations.csv"
    ]  # no temporary file left behind


async def test_database_wal_shm_and_backup_are_private(tmp_path: Path) -> None:
    previous = os.umask(0o022)  # the usual umask: new files 0644 unless created 0600
    try:
        database = tmp_path / "data" / "bot.db"
        db = Database(database)
        await db.connect()
        try:
            await db.migrate()
            for path in (
                database,
                database.with_name("bot.db-wal"),
                database.with_name("bot.db-shm"),
            ):
                assert path.exists() and _mode(path) == 0o600, path.name
        finally:
            await db.close()
        assert backup_database(database, tmp_path / "copy.db") > 0
        assert _mode(tmp_path / "copy.db") == 0o600
        code, _out, err = await _cli(tmp_path, "export", "out.csv", DATABASE_PATH=str(database))
        assert code == 0, err
        assert _mode(tmp_path / "out.csv") == 0o600
    finally:
        os.umask(previous)
