"""The command line: `sakpore-bot [run|chat|migrate|...]` (same as `python -m bot`)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from bot import __version__
from bot.config import ConfigError, Settings, load_settings
from bot.db import Database, MigrationError
from bot.logging_setup import setup_logging

logger = logging.getLogger("bot")

EXIT_CONFIG = 2
EXIT_STARTUP = 1

Command = Callable[[argparse.Namespace, Settings], int]


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """Run the bot: long polling with a token, the chat simulator without one."""
    if settings.token is None:
        print(
            "No TELEGRAM_BOT_TOKEN is set, so the offline chat simulator starts instead. "
            "Put the token from @BotFather in .env to run the bot on Telegram.",
            file=sys.stderr,
        )
        return cmd_chat(args, settings)
    from urllib.parse import urlparse

    from telegram import Update

    from bot.app import build_app

    if args.webhook and (settings.webhook_url is None or settings.webhook_secret is None):
        missing = "WEBHOOK_URL" if settings.webhook_url is None else "WEBHOOK_SECRET"
        print(f"configuration error: {missing}: required with --webhook", file=sys.stderr)
        return EXIT_CONFIG
    setup_logging(settings.log_level)
    app = build_app(settings)
    # SIGINT/SIGTERM stop the updater first, then the JobQueue waits for running jobs (a
    # worker finishes the message in flight), then on_shutdown closes the database.
    if args.webhook:
        assert settings.webhook_url is not None and settings.webhook_secret is not None
        logger.info(
            "starting Sakpore Bot %s with a webhook on %s:%s",
            __version__,
            settings.webhook_listen,
            settings.webhook_port,
        )
        app.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=urlparse(settings.webhook_url).path.lstrip("/"),
            webhook_url=settings.webhook_url,
            secret_token=settings.webhook_secret.get_secret_value(),
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        logger.info("starting Sakpore Bot %s with long polling", __version__)
        app.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
    return 0


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    """The terminal chat simulator."""
    from bot.chat import run_chat

    setup_logging("WARNING" if settings.log_level != "DEBUG" else "DEBUG")
    user_id = getattr(args, "user_id", 1001)
    if getattr(args, "as_admin", False):
        settings = settings.model_copy(update={"admin_ids": settings.admin_ids | {user_id}})
    asyncio.run(
        run_chat(
            settings,
            user_id=user_id,
            name=getattr(args, "name", "Budi"),
            language=getattr(args, "language", "id"),
        )
    )
    return 0


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    """Apply pending database migrations and report the version."""

    async def migrate() -> tuple[int, list[str]]:
        db = Database(settings.database_path)
        await db.connect()
        try:
            applied = await db.migrate()
            return await db.schema_version(), [f"{m.version:04d}_{m.name}" for m in applied]
        finally:
            await db.close()

    version, applied = asyncio.run(migrate())
    for name in applied:
        print(f"applied {name}")
    print(f"{settings.database_path}: schema version {version}")
    return 0


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    """A consistent copy of the live database (SQLite online backup API)."""
    from bot.ops import BackupError, backup_database

    try:
        size = backup_database(settings.database_path, args.path)
    except (BackupError, OSError) as exc:
        print(f"backup failed: {exc}", file=sys.stderr)
        return 1
    print(f"backup written to {args.path} ({size} bytes, integrity ok)")
    return 0


def cmd_doctor(args: argparse.Namespace, settings: Settings) -> int:
    """Check configuration, database, migrations, and the token (getMe) when online."""
    from bot.ops import run_doctor_sync

    print("configuration: ok")
    failed = 0
    for check in run_doctor_sync(settings, online=not args.offline):
        print(f"{check.name}: {'ok' if check.ok else 'FAIL'} - {check.detail}")
        failed += not check.ok
    return 1 if failed else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sakpore-bot",
        description="Sakpore Bot: Telegram outreach for Program Pekalongan Sakpore.",
    )
    parser.add_argument("--version", action="version", version=f"sakpore-bot {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", help="run the bot (default); without a token, the chat simulator")
    run.add_argument(
        "--webhook", action="store_true", help="receive updates by webhook (WEBHOOK_* settings)"
    )
    run.set_defaults(func=cmd_run)

    chat = sub.add_parser("chat", help="talk to the bot in this terminal (offline simulator)")
    chat.add_argument("--user-id", type=int, default=1001, help="your simulated Telegram id")
    chat.add_argument("--name", default="Budi", help="your simulated first name")
    chat.add_argument("--language", default="id", help="your Telegram language_code")
    chat.add_argument("--as-admin", action="store_true", help="add your id to ADMIN_IDS")
    chat.set_defaults(func=cmd_chat)

    migrate = sub.add_parser("migrate", help="apply database migrations and exit")
    migrate.set_defaults(func=cmd_migrate)

    backup = sub.add_parser(
        "backup", help="write a consistent copy of the database (safe while running)"
    )
    backup.add_argument("path", type=Path, help="the new backup file")
    backup.set_defaults(func=cmd_backup)

    doctor = sub.add_parser(
        "doctor", help="check configuration, database, knowledge base, key, token"
    )
    doctor.add_argument("--offline", action="store_true", help="do not call Telegram (getMe)")
    doctor.set_defaults(func=cmd_doctor)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "func", None) is None:
        args = parser.parse_args(["run", *(argv or [])])
    func: Command = args.func
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    try:
        return func(args, settings)
    except ConfigError as exc:  # raised at start, e.g. a wrong NIK_ENCRYPTION_KEY
        print(f"configuration error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except MigrationError as exc:
        print(f"database error: {exc}", file=sys.stderr)
        return EXIT_STARTUP
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
