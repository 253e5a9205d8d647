"""The command line: chat simulator over stdin, migrate, version, startup refusals."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot import __version__

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow  # every test starts the CLI as a process


def _run(
    args: list[str], tmp_path: Path, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    environ = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "DATABASE_", "ADMIN_", "STAFF_", "CONTRIBUTION_"))
    }
    environ.update({"DATABASE_PATH": str(tmp_path / "cli.db"), **env})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env=environ,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_run_without_token_opens_the_chat_simulator(tmp_path: Path) -> None:
    result = _run(["run"], tmp_path, stdin="/start\n#4\n/quit\n")
    assert result.returncode == 0, result.stderr
    assert "TELEGRAM_BOT_TOKEN" in result.stderr
    out = result.stdout
    assert "Halo, Budi" in out
    assert "[#2] 📝 Daftar" in out  # buttons are pressed with "#N" (issue 17)
    assert "Bantuan dan daftar perintah" in out  # button 4 (Bantuan) was pressed
    with sqlite3.connect(tmp_path / "cli.db") as conn:
        assert conn.execute("SELECT id FROM users").fetchall() == [(1001,)]


def test_chat_options_and_end_of_input(tmp_path: Path) -> None:
    result = _run(
        ["chat", "--user-id", "4242", "--name", "Sri", "--language", "en"], tmp_path, "/start\n"
    )
    assert result.returncode == 0, result.stderr
    assert "Hello, Sri" in result.stdout


def test_chat_keeps_away_from_the_database_of_a_configured_bot(tmp_path: Path) -> None:
    """With a token configured (a production set-up), `chat` would otherwise run the reminder
    and broadcast workers on the real database and "deliver" due messages into the void."""
    result = _run(["chat"], tmp_path, "/start\n", TELEGRAM_BOT_TOKEN="123456789:" + "A" * 35)
    assert result.returncode == 0, result.stderr
    assert "cli-chat.db" in result.stderr and "Halo, Budi" in result.stdout
    assert not (tmp_path / "cli.db").exists()
    with sqlite3.connect(tmp_path / "cli-chat.db") as conn:
        assert conn.execute("SELECT id FROM users").fetchall() == [(1001,)]


def test_version_and_help(tmp_path: Path) -> None:
    assert _run(["--version"], tmp_path).stdout.strip() == f"sakpore-bot {__version__}"
    for command in ("run", "chat", "migrate"):
        result = _run([command, "--help"], tmp_path)
        assert result.returncode == 0 and "usage:" in result.stdout


def test_migrate_and_too_new_database(tmp_path: Path) -> None:
    result = _run(["migrate"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "applied 0001_initial" in result.stdout
    assert "already" not in result.stdout
    again = _run(["migrate"], tmp_path)
    assert "applied" not in again.stdout and "schema version" in again.stdout
    with sqlite3.connect(tmp_path / "cli.db") as conn:
        conn.execute("INSERT INTO schema_migrations VALUES (999, 'future', 'x')")
    refused = _run(["migrate"], tmp_path)
    assert refused.returncode == 1
    assert "999" in refused.stderr and "Traceback" not in refused.stderr
    refused_chat = _run(["chat"], tmp_path, "/start\n")
    assert refused_chat.returncode == 1 and "Traceback" not in refused_chat.stderr


def test_ctrl_c_leaves_the_chat_at_once(tmp_path: Path) -> None:
    """Issue 17 item 11: Ctrl+C while the chat waits for input ends it at once (a thread
    blocked in readline used to hold the process until Enter)."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "ADMIN_"))}
    environ["DATABASE_PATH"] = str(tmp_path / "cli.db")
    environ["PYTHONFAULTHANDLER"] = "1"  # SIGABRT dumps every thread's stack (below)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "chat", "--as-admin"],
        cwd=tmp_path,
        env=environ,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        welcome = process.stdout.readline()
        assert "You are Budi (id 1001), an admin (--as-admin)." in welcome
        started = time.monotonic()
        process.send_signal(signal.SIGINT)
        try:
            code = process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            # twice, in loaded full runs, the chat did not leave (a signal that reached another
            # thread; sakpore_sim/chat.py): should it again, show where it waits
            process.send_signal(signal.SIGABRT)
            _, stderr = process.communicate(timeout=15)
            pytest.fail(f"the chat did not leave within 15 s after Ctrl+C:\n{stderr[-6000:]}")
        assert code == 0
        assert time.monotonic() - started < 10
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()
