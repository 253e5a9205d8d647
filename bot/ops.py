"""Operations: online backup and the `doctor` health check."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from bot.config import ConfigError, Settings
from bot.crypto import FieldCipher, key_file_path, open_cipher, resolve_key
from bot.db import Database, MigrationError, discover_migrations
from bot.private_files import create_private
from bot.store.registrations import KeyCheckRepo


class BackupError(Exception):
    """The backup could not be written or did not verify."""


def backup_database(source: Path, target: Path) -> int:
    """Copy a live database consistently with SQLite's online backup API; return its size.

    Safe while the bot runs: the backup API copies a consistent snapshot, retrying pages
    that change underneath it. The copy is checked with `PRAGMA integrity_check`.
    """
    if not source.exists():
        raise BackupError(f"no database at {source}")
    if target.exists():
        raise BackupError(f"{target} already exists; choose a new file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)  # left by an interrupted backup
    create_private(partial)  # the copy holds everything: mode 0600 from the start
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst, pages=256)
            result = dst.execute("PRAGMA integrity_check").fetchone()
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    if result is None or result[0] != "ok":
        partial.unlink(missing_ok=True)
        raise BackupError(f"the copy failed its integrity check: {result}")
    partial.replace(target)
    return target.stat().st_size


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


DoctorCheck = Callable[[Settings], Awaitable[Check]]


async def check_database(settings: Settings) -> Check:
    path = settings.database_path
    if not path.exists():
        return Check("database", True, f"{path} does not exist yet; it is created at first start")
    db = Database(path)
    try:
        await db.connect()
        row = await db.fetchone("PRAGMA quick_check")
        if row is None or row[0] != "ok":
            return Check("database", False, f"{path}: integrity problem: {row[0] if row else '?'}")
        version = await db.schema_version()
    except sqlite3.Error as exc:
        return Check("database", False, f"{path}: {exc}")
    finally:
        await db.close()
    known = [m.version for m in discover_migrations()]
    latest = known[-1] if known else 0
    if version > latest:
        return Check("database", False, f"database at version {version}, code knows {latest}")
    pending = len([v for v in known if v > version])
    detail = f"schema version {version}" + (f", {pending} migration(s) pending" if pending else "")
    return Check("database", True, detail)


async def check_migrations(settings: Settings) -> Check:
    try:
        migrations = discover_migrations()
    except MigrationError as exc:
        return Check("migrations", False, str(exc))
    return Check("migrations", True, f"{len(migrations)} migration files")


async def check_encryption_key(settings: Settings) -> Check:
    """The NIK key exists (or will be created) and is the key this database was encrypted with."""
    name = "encryption key"
    configured = settings.nik_encryption_key is not None and bool(
        settings.nik_encryption_key.get_secret_value().strip()
    )
    path = key_file_path(settings)
    has_key = configured or (path is not None and path.exists())
    not_yet = Check(name, True, "none yet: a key file is created at first start (back it up)")
    try:
        if not settings.database_path.exists():
            if not has_key:
                return not_yet
            resolve_key(settings, database_has_data=False)
            return Check(name, True, "the key is valid; the database does not exist yet")
        db = Database(settings.database_path)
        await db.connect()
        try:
            store = KeyCheckRepo(db, db.clock)
            stored = await store.get()
            if stored is None:
                if not has_key:
                    return not_yet
                resolve_key(settings, database_has_data=False)
                return Check(name, True, "the key is valid; nothing is encrypted yet")
            await open_cipher(FieldCipher(), settings, store)
        finally:
            await db.close()
    except ConfigError as exc:
        return Check(name, False, str(exc))
    except sqlite3.Error as exc:
        return Check(name, False, f"cannot read the key check ({exc}); run `sakpore-bot migrate`")
    return Check(name, True, "the key matches the database")


async def check_token(settings: Settings) -> Check:
    if settings.token is None:
        return Check("telegram", True, "no token: the bot runs as the offline simulator")
    from telegram import Bot
    from telegram.error import TelegramError

    base_url = settings.telegram_api_base_url or "https://api.telegram.org/bot"
    try:
        async with Bot(settings.token, base_url=base_url) as bot:
            me = await bot.get_me()
    except TelegramError as exc:
        return Check("telegram", False, f"getMe failed: {exc.message}")
    return Check("telegram", True, f"token works for @{me.username}")


async def check_knowledge_base(settings: Settings) -> Check:
    """The knowledge base the bot would load (FAQ_DIR or locales/): the same check as
    `sakpore-bot kb check`, which lists every problem."""
    from bot.config import LOCALES_DIR
    from bot.faq.service import check_directory

    directory = settings.faq_dir or LOCALES_DIR
    loaded, problems = check_directory(directory)
    if problems:
        return Check(
            "knowledge base",
            False,
            f"{len(problems)} problem(s) in {directory}, the first: {problems[0]}; "
            "run `sakpore-bot kb check` for the list",
        )
    counts = ", ".join(f"{loc}: {len(k.kb.entries)} entries" for loc, k in loaded.items())
    return Check("knowledge base", True, f"{directory}: {counts}")


def doctor_checks(online: bool) -> list[DoctorCheck]:
    """The checks to run, in order; features add theirs here."""
    checks: list[DoctorCheck] = [
        check_migrations,
        check_database,
        check_encryption_key,
        check_knowledge_base,
    ]
    if online:
        checks.append(check_token)
    return checks


async def run_doctor(settings: Settings, online: bool) -> list[Check]:
    results = []
    for check in doctor_checks(online):
        try:
            results.append(await check(settings))
        except Exception as exc:  # a doctor reports, it does not crash
            results.append(Check(getattr(check, "__name__", "check"), False, repr(exc)))
    return results


def run_doctor_sync(settings: Settings, online: bool) -> list[Check]:
    return asyncio.run(run_doctor(settings, online))
