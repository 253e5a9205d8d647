"""The command line: `sakpore-bot [run|chat|migrate|...]` (same as `python -m bot`)."""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import logging
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bot import __version__
from bot.config import ConfigError, Settings, load_settings
from bot.db import Database, MigrationError
from bot.faq.kb import KnowledgeBaseError
from bot.faq.normalize import LexiconError
from bot.faq.tuning import LabelledFileError
from bot.logging_setup import setup_logging

if TYPE_CHECKING:
    from bot.context import Deps
    from bot.faq.service import FaqService
    from bot.i18n import I18n

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
    from telegram import Update

    from bot.app import build_app

    if args.webhook and (settings.webhook_url is None or settings.webhook_secret is None):
        missing = "WEBHOOK_URL" if settings.webhook_url is None else "WEBHOOK_SECRET"
        print(f"configuration error: {missing}: required with --webhook", file=sys.stderr)
        return EXIT_CONFIG
    setup_logging(settings.log_level)
    app = build_app(settings)
    # What is loaded now (the knowledge base, its indexes, the question classifier: objects that
    # live as long as the process) leaves the cyclic garbage collector's rounds, which then no
    # longer walk it while a question waits (bench/faq.py, docs/benchmarks.md: the slowest
    # answers). Reference counting still frees what a staff change replaces.
    gc.freeze()
    # SIGINT/SIGTERM stop the updater first, then the JobQueue waits for running jobs (a
    # worker finishes the message in flight), then on_shutdown closes the database.
    if args.webhook:
        from bot.webhook import run_webhook

        logger.info(
            "starting Sakpore Bot %s with a webhook on %s:%s",
            __version__,
            settings.webhook_listen,
            settings.webhook_port,
        )
        # Our own small server, not PTB's run_webhook: it checks the secret before reading a
        # body and caps the body (bot/webhook.py).
        asyncio.run(run_webhook(app, settings))
    else:
        logger.info("starting Sakpore Bot %s with long polling", __version__)
        app.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
    return 0


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    """The terminal chat simulator."""
    # The one import of the simulator package from production code (tests/test_import_graph.py
    # allows it here only): `chat`, and `run` without a token, start the offline simulator.
    # It stays inside this function so that running the bot on Telegram never loads it.
    from sakpore_sim.chat import run_chat

    setup_logging("WARNING" if settings.log_level != "DEBUG" else "DEBUG")
    if settings.token is not None:
        # A configured token means this may be the production database: the simulator's
        # reminder and broadcast workers would "deliver" due messages into the simulator and
        # mark them sent. It gets a database of its own instead.
        path = settings.database_path
        chat_db = path.with_name(f"{path.stem}-chat{path.suffix}")
        print(
            f"A Telegram token is configured, so the chat simulator uses its own database "
            f"{chat_db}, not {path}.",
            file=sys.stderr,
        )
        settings = settings.model_copy(update={"database_path": chat_db})
    user_id = getattr(args, "user_id", 1001)
    as_admin = bool(getattr(args, "as_admin", False))
    if as_admin:
        settings = settings.model_copy(update={"admin_ids": settings.admin_ids | {user_id}})
    try:
        asyncio.run(
            run_chat(
                settings,
                user_id=user_id,
                name=getattr(args, "name", "Budi"),
                language=getattr(args, "language", "id"),
                as_admin=as_admin,
            )
        )
    except (KeyboardInterrupt, asyncio.CancelledError):
        # Ctrl+C twice (sakpore_sim/chat.py), or before the chat took it over: asyncio.run has
        # already cancelled and closed the bot
        print(file=sys.stderr)
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


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    """Write the registrations to a CSV or XLSX file (NIK masked unless --full-nik)."""
    from bot import export
    from bot.app import build_deps
    from bot.private_files import write_private

    fmt: export.Format = args.format or ("xlsx" if args.path.suffix.lower() == ".xlsx" else "csv")
    # Checked first, and again when the file is created: an export must never replace the
    # database or the NIK key file by a slip of the keyboard.
    exists = f"export: {args.path} already exists; choose a new name or add --force"
    if args.path.exists() and not args.force:
        print(exists, file=sys.stderr)
        return EXIT_STARTUP

    async def run() -> int:
        deps = build_deps(settings)
        await deps.db.connect()
        try:
            await deps.db.migrate()
            await deps.registrations.open()  # ConfigError when the key is wrong
            registrations = await deps.registrations.list_all()
            tr = deps.i18n.get(settings.default_locale)
            data = export.render(export.table(registrations, tr, full_nik=args.full_nik), fmt)
            write_private(args.path, data, replace=args.force)
            nik = "full" if args.full_nik else "masked"
            await deps.staff.audit(0, "export_cli", fmt, f"{len(registrations)} rows, {nik} NIK")
            # Only counts in the log: never names, NIKs or phone numbers.
            logger.info("export: %s registrations as %s (%s NIK)", len(registrations), fmt, nik)
            return len(registrations)
        finally:
            await deps.db.close()

    setup_logging(settings.log_level)
    try:
        count = asyncio.run(run())
    except FileExistsError:  # created meanwhile
        print(exists, file=sys.stderr)
        return EXIT_STARTUP
    what = "full NIKs: keep the file safe" if args.full_nik else "NIKs masked"
    print(f"{count} registrations written to {args.path} ({fmt}, {what})")
    return 0


def _faq(settings: Settings, directory: str | None = None) -> tuple[FaqService, I18n]:
    from bot.faq.service import FaqService
    from bot.i18n import I18n

    faq_dir = Path(directory) if directory else None
    return FaqService.load(settings, directory=faq_dir), I18n(settings.default_locale, settings.tz)


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    """Answer questions from the knowledge base, without Telegram and without a database."""
    from bot.faq.kb import plain

    service, i18n = _faq(settings, args.dir)
    tr = i18n.get(args.lang or settings.default_locale)
    if args.jsonl:
        for line in sys.stdin:
            question = line.rstrip("\r\n")
            if not question.strip():
                continue
            answer = service.ask(question, tr)
            # the buttons offered when the bot is unsure, the prominent one first; then the
            # numbers of people or the durations under a question back ("for how many
            # people?"), each with the total it sends
            suggestions: list[dict[str, str | None]] = [
                {"topic": e.id, "title": e.title} for e in answer.suggestions
            ]
            for label, total in service.button_totals(answer, tr):
                suggestions.append(
                    {"topic": total.topic, "title": label, "answer": plain(total.text)}
                )
            record = {
                "question": question,
                "topic": answer.topic,
                "topics": list(answer.topics),
                "score": round(answer.score, 4),
                "answer": plain(answer.text),
                "suggestions": suggestions,
            }
            print(json.dumps(record, ensure_ascii=False), flush=True)
        return 0
    question = " ".join(args.question).strip()
    if not question:
        print('usage: sakpore-bot ask "QUESTION"  (or --jsonl to read stdin)', file=sys.stderr)
        return 2
    answer = service.ask(question, tr)
    print(plain(answer.text))
    if answer.suggestions:
        print()
        print(" / ".join(e.title for e in answer.suggestions))
    if args.verbose:
        print(f"\n[topic={answer.topic} kind={answer.kind} score={answer.score:.3f}]")
    return 0


def cmd_kb_check(args: argparse.Namespace, settings: Settings) -> int:
    """Validate the knowledge-base files; list every problem with its file and entry."""
    from bot.config import LOCALES_DIR
    from bot.faq.service import check_directory

    directory = Path(args.dir) if args.dir else (settings.faq_dir or LOCALES_DIR)
    loaded, problems = check_directory(directory)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found; the bot will not start until they are fixed.")
        return 1
    counts = ", ".join(f"{loc}: {len(k.kb.entries)} entries" for loc, k in loaded.items())
    print(f"knowledge base OK ({counts})")
    return 0


def cmd_kb_eval(args: argparse.Namespace, settings: Settings) -> int:
    """Accuracy on labelled questions (CSV question,expected_topic; '-' = out of scope)."""
    from bot.faq.tuning import read_labelled, run_eval

    service, i18n = _faq(settings, args.dir)
    tr = i18n.get(args.lang or settings.default_locale)
    report = run_eval(service, read_labelled(Path(args.file)), tr)
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        print("\n".join(report.lines()))
    return 0


def cmd_kb_train(args: argparse.Namespace, settings: Settings) -> int:
    """Fit the question classifier (bot/faq/training.py; needs the dev extra's scikit-learn)."""
    from bot.config import LOCALES_DIR, SUPPORTED_LOCALES
    from bot.faq.classifier import Model, fingerprint
    from bot.faq.gate import LABELLED_FILES
    from bot.faq.training import SELECTION_FILES, model_path, train, training_files
    from bot.faq.tuning import KEEP_MARGIN

    directory = Path(args.dir) if args.dir else (settings.faq_dir or LOCALES_DIR)
    labelled = [directory / "labelled" / name for name in LABELLED_FILES]
    selection = [directory / "labelled" / name for name in SELECTION_FILES]
    current = fingerprint(training_files(directory, [*labelled, *selection], SUPPORTED_LOCALES))
    if args.check:
        saved = Model.load(model_path(directory))
        if saved is None or saved.fingerprint != current:
            print(f"{model_path(directory)} is out of date: run `sakpore-bot kb train --write`")
            return 1
        print(f"{model_path(directory)} is up to date ({current})")
        return 0
    service, i18n = _faq(settings, args.dir)
    tr = i18n.get(settings.default_locale)
    result = train(service, labelled, selection, tr, current)
    p = result.model.params
    print(
        f"threshold = {p.threshold}, floor = {p.floor}, unseen_share = {p.unseen_share}, "
        f"overrule = {p.overrule}, overrule_threshold = {p.overrule_threshold}"
    )
    print(f"cost {result.cost:g} on the selection files (2 per wrong answer, 1 per abstention)")
    if result.lowest is not None:
        q, cost, held_back = result.lowest
        print(
            f"kept the parameters in use: the lowest cost, {cost:g} (threshold = "
            f"{q.threshold}, floor = {q.floor}, unseen_share = {q.unseen_share}, overrule = "
            f"{q.overrule}, overrule_threshold = {q.overrule_threshold}), is not "
            f"{KEEP_MARGIN:g} lower, or the held-back labelled files cost no less with it "
            f"({held_back:g}, and {result.held_back_after.cost:g} with the parameters in use)"
        )
    print("selection files, without the classifier: " + result.selection_before.line())
    print("selection files, with it:                " + result.selection_after.line())
    print("labelled files, without the classifier:  " + result.held_back_before.line())
    print("labelled files, each file read by a model trained without it:")
    print("                                         " + result.held_back_after.line())
    print("of them, the files outside kb tune's:      " + result.untuned_after.line())
    if args.write:
        result.model.save(model_path(directory))
        print(f"written to {model_path(directory)}")
    return 0


def cmd_kb_tune(args: argparse.Namespace, settings: Settings) -> int:
    """Choose threshold and margin on a labelled file (the tuning half, never the held-out)."""
    from bot.config import LOCALES_DIR
    from bot.faq.matcher import MATCHING_FILE
    from bot.faq.tuning import read_labelled, tune, write_params

    service, i18n = _faq(settings, args.dir)
    tr = i18n.get(args.lang or settings.default_locale)
    rows = [row for file in args.file for row in read_labelled(Path(file))]
    result = tune(service, rows, tr)
    p = result.params
    print(
        f"threshold = {p.threshold}, margin = {p.margin}, suggest_floor = {p.suggest_floor}, "
        f"unknown_weight = {p.unknown_weight}, ordinary_weight = {p.ordinary_weight}, "
        f"answer_weight = {p.answer_weight}, entry_weight = {p.entry_weight}"
    )
    print(f"cost {result.cost:g} (2 per wrong answer, 1 per in-scope abstention)")
    print("\n".join(result.report.lines()))
    if args.write:
        directory = Path(args.dir) if args.dir else (settings.faq_dir or LOCALES_DIR)
        write_params(directory / MATCHING_FILE, result, " ".join(args.file))
        print(f"written to {directory / MATCHING_FILE}")
    return 0


async def _kb_deps(settings: Settings) -> Deps:
    """The bot's dependencies with the database open and the live staff changes loaded."""
    from bot.app import build_deps

    deps = build_deps(settings)
    await deps.db.connect()
    try:
        await deps.db.migrate()
        await deps.kb.start(deps)
    except BaseException:
        await deps.db.close()
        raise
    return deps


def cmd_kb_export(args: argparse.Namespace, settings: Settings) -> int:
    """Write the live knowledge base (shipped files + staff changes) as TOML and XLSX."""
    from bot.config import LOCALES_DIR
    from bot.kbexport import to_xlsx, write_toml

    target = Path(args.dir)

    async def run() -> int:
        deps = await _kb_deps(settings)
        try:
            kbs = {loc: know.kb for loc, know in deps.faq.knowledge.locales.items()}
            written = write_toml(kbs, settings.faq_dir or LOCALES_DIR, target)
            (target / "faq.xlsx").write_bytes(to_xlsx(kbs))
            for path in written:
                print(f"written {path}")
            print(f"written {target / 'faq.xlsx'}")
            print(f"{len(deps.kb.live)} staff change(s) included")
            return 0
        finally:
            await deps.db.close()

    setup_logging("WARNING")
    return asyncio.run(run())


def cmd_kb_import(args: argparse.Namespace, settings: Settings) -> int:
    """Apply a reviewed spreadsheet: each changed entry becomes a version authored by "import",
    through the same checks, accuracy gate and four-eyes rule as a change in Telegram."""
    from bot.kbexport import ImportFileError, diff, read_xlsx

    try:
        sheets = read_xlsx(Path(args.file))
    except ImportFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_STARTUP

    async def run() -> int:
        deps = await _kb_deps(settings)
        failed = 0
        try:
            tr = deps.i18n.get(settings.default_locale)
            changes = [
                c
                for locale, rows in sheets.items()
                if locale in deps.faq.knowledge.locales
                for c in diff(deps.faq.kb(locale), rows)
            ]
            if not changes:
                print("nothing to import: the spreadsheet is the live knowledge base")
            for item in changes:
                outcome = await deps.kb.propose(
                    deps,
                    actor_id=0,
                    author="import",
                    locale=item.locale,
                    entry_id=item.entry_id,
                    change=item.change,
                    kind="new_entry" if item.change.new else "import",
                    reason=Path(args.file).name,
                )
                where = f"{item.locale}/{item.entry_id}"
                if outcome.status == "invalid":
                    failed += 1
                    print(f"{where}: refused")
                    for problem in outcome.problems:
                        print(f"  {problem}")
                    continue
                line = outcome.gate.line(tr) if outcome.gate else ""
                print(f"{where}: version #{outcome.change_id} {outcome.status} ({line})")
                for label in outcome.gate.broken if outcome.gate else ():
                    print(f"  now wrong: {label.question!r} (expected {label.expected or '-'})")
            await deps.staff.audit(0, "kb_import", args.file, f"{len(changes)} change(s)")
        finally:
            await deps.db.close()
        return 1 if failed else 0

    setup_logging("WARNING")
    return asyncio.run(run())


def cmd_kb_conflicts(args: argparse.Namespace, settings: Settings) -> int:
    """Staff changes made on a shipped entry that a later release changed."""

    async def run() -> int:
        deps = await _kb_deps(settings)
        try:
            found = deps.kb.conflicts()
            for c in found:
                print(
                    f"version #{c.version}: {c.locale}/{c.entry_id}: the shipped entry "
                    + {
                        "changed": "changed since (the staff change still applies)",
                        "removed": "was removed (the staff change no longer applies)",
                        "shipped": "is now shipped too (the staff entry replaces it)",
                    }[c.reason]
                )
            for problem in deps.kb.problems:
                print(f"not applied: {problem}")
            if not found and not deps.kb.problems:
                print(f"no conflicts ({len(deps.kb.live)} staff change(s) live)")
            return 1 if deps.kb.problems else 0
        finally:
            await deps.db.close()

    setup_logging("WARNING")
    return asyncio.run(run())


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
    exporter = sub.add_parser("export", help="write the registrations to a CSV or XLSX file")
    exporter.add_argument("path", type=Path, help="the file to write (.csv or .xlsx)")
    exporter.add_argument(
        "--format", choices=["csv", "xlsx"], help="default: from the file name, else csv"
    )
    exporter.add_argument(
        "--full-nik",
        action="store_true",
        help="full NIKs instead of masked ones (handle with care)",
    )
    exporter.add_argument(
        "--force",
        action="store_true",
        help="replace the file if it exists (it is never written through)",
    )
    exporter.set_defaults(func=cmd_export)

    dir_help = "knowledge-base folder (default: FAQ_DIR, else locales/)"
    ask = sub.add_parser("ask", help="answer a question from the knowledge base")
    ask.add_argument("question", nargs="*", help="the question, in quotes")
    ask.add_argument("--jsonl", action="store_true", help="one question a line on stdin -> JSON")
    ask.add_argument("--lang", choices=["id", "en"], help="answer language (DEFAULT_LOCALE)")
    ask.add_argument("--verbose", "-v", action="store_true", help="show topic and score")
    ask.add_argument("--dir", help=dir_help)
    ask.set_defaults(func=cmd_ask)

    kb = sub.add_parser("kb", help="knowledge base: check, eval, tune, export, import, conflicts")
    kb_sub = kb.add_subparsers(dest="kb_command", metavar="KB_COMMAND", required=True)
    check = kb_sub.add_parser("check", help="validate the knowledge-base files")
    check.add_argument("--dir", help=dir_help)
    check.set_defaults(func=cmd_kb_check)
    evaluate = kb_sub.add_parser("eval", help="measure on a labelled CSV file")
    evaluate.add_argument("file", help="CSV with columns question,expected_topic ('-' = none)")
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    evaluate.add_argument("--lang", choices=["id", "en"], help="language of the questions")
    evaluate.add_argument("--dir", help=dir_help)
    evaluate.set_defaults(func=cmd_kb_eval)
    tune = kb_sub.add_parser("tune", help="choose threshold and margin on a labelled CSV file")
    tune.add_argument("file", nargs="+", help="the tuning files (never a held-out one)")
    tune.add_argument("--write", action="store_true", help="save them to faq_matching.toml")
    tune.add_argument("--lang", choices=["id", "en"], help="language of the questions")
    tune.add_argument("--dir", help=dir_help)
    tune.set_defaults(func=cmd_kb_tune)
    trainer = kb_sub.add_parser(
        "train", help="fit the question classifier on the phrasings and labelled questions"
    )
    trainer.add_argument("--write", action="store_true", help="save it to faq_model.json.gz")
    trainer.add_argument(
        "--check", action="store_true", help="only say whether the saved model is up to date"
    )
    trainer.add_argument("--dir", help=dir_help)
    trainer.set_defaults(func=cmd_kb_train)
    exporter = kb_sub.add_parser(
        "export", help="write the live knowledge base (with staff changes) as TOML and XLSX"
    )
    exporter.add_argument("dir", help="the folder to write (<lang>/faq.toml, faq.xlsx)")
    exporter.set_defaults(func=cmd_kb_export)
    importer = kb_sub.add_parser(
        "import", help="apply a reviewed XLSX through the checks and the accuracy gate"
    )
    importer.add_argument("file", help="an XLSX written by `kb export`, reviewed")
    importer.set_defaults(func=cmd_kb_import)
    conflicting = kb_sub.add_parser(
        "conflicts", help="staff changes whose shipped entry a new release changed"
    )
    conflicting.set_defaults(func=cmd_kb_conflicts)
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
    except sqlite3.Error as exc:  # e.g. DATABASE_PATH names a file that is not a database
        print(f"database error: {settings.database_path}: {exc}", file=sys.stderr)
        return EXIT_STARTUP
    except KnowledgeBaseError as exc:
        print(f"{exc}\nRun `sakpore-bot kb check` for the full list.", file=sys.stderr)
        return EXIT_STARTUP
    except (LabelledFileError, LexiconError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_STARTUP
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
