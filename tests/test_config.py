"""Settings are validated once; a bad value exits with status 2 and one line naming it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(("TELEGRAM_", "ADMIN_", "STAFF_", "CONTRIBUTION_", "DATABASE_")):
            monkeypatch.delenv(name)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.token is None
    assert settings.contribution_monthly_idr == 16800
    assert settings.timezone == "Asia/Jakarta"
    assert settings.default_locale == "id"
    assert settings.database_path == Path("data/sakpore.db")
    assert settings.admin_ids == frozenset()
    assert settings.kb_gate_files == ()  # the accuracy gate answers every labelled file


def test_admin_ids_are_split_on_commas_and_spaces(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADMIN_IDS", "123, 456 789")
    assert load_settings(_env_file=None).admin_ids == {123, 456, 789}


@pytest.mark.parametrize(
    ("variable", "value", "fragment"),
    [
        ("CONTRIBUTION_MONTHLY_IDR", "gratis", "CONTRIBUTION_MONTHLY_IDR"),
        ("CONTRIBUTION_MONTHLY_IDR", "-5", "CONTRIBUTION_MONTHLY_IDR"),
        ("ADMIN_IDS", "12,abc", "ADMIN_IDS"),
        ("TIMEZONE", "Mars/Olympus", "TIMEZONE"),
        ("TELEGRAM_BOT_TOKEN", "not-a-token", "TELEGRAM_BOT_TOKEN"),
        ("DEFAULT_LOCALE", "fr", "DEFAULT_LOCALE"),
        ("TELEGRAM_API_BASE_URL", "ftp://x", "TELEGRAM_API_BASE_URL"),
        ("KB_GATE_FILES", "faq_tuning.csv, ../../tests/data/faq_heldout.csv", "KB_GATE_FILES"),
    ],
)
def test_bad_values_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, fragment: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as info:
        load_settings(_env_file=None)
    assert str(info.value).startswith(fragment)
    assert "\n" not in str(info.value)


def test_the_gate_s_files_are_split_on_commas_and_spaces(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KB_GATE_FILES", "faq_tuning.csv, faq_dev2_2026-12.csv")
    settings = load_settings(_env_file=None)
    assert settings.kb_gate_files == ("faq_tuning.csv", "faq_dev2_2026-12.csv")


def test_env_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CONTRIBUTION_MONTHLY_IDR", raising=False)
    env = tmp_path / ".env"
    env.write_text("CONTRIBUTION_MONTHLY_IDR=20000\n", encoding="utf-8")
    assert load_settings(_env_file=env).contribution_monthly_idr == 20000


@pytest.mark.slow  # a process
def test_cli_exits_2_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTRIBUTION")}
    env["CONTRIBUTION_MONTHLY_IDR"] = "abc"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "migrate"],
        cwd=tmp_path,  # no .env here
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "CONTRIBUTION_MONTHLY_IDR" in lines[0]
    assert "Traceback" not in result.stderr
