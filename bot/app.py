"""build_app(): the real python-telegram-bot Application, wired to our dependencies."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, cast

from telegram import BotCommand, BotCommandScopeDefault
from telegram.constants import ParseMode
from telegram.ext import Application, ContextTypes, Defaults
from telegram.request import BaseRequest, HTTPXRequest

from bot.broadcast import BROADCAST, Broadcaster
from bot.clock import Clock, SystemClock
from bot.commands import USER_COMMANDS
from bot.config import Settings
from bot.context import BotContext, Deps, SakporeApp, get_deps
from bot.crypto import FieldCipher
from bot.db import Database
from bot.dialogs import DialogService
from bot.digest import DailyDigest
from bot.errorreports import ErrorReporter
from bot.faq.service import FaqService
from bot.flood import FloodGuard
from bot.followup import StatusMessages
from bot.handoff import HANDOFF_WAIT, HandoffService
from bot.i18n import I18n
from bot.kbstaff import KB_EDIT, KbStaff
from bot.officehours import ClosedDays
from bot.outbox import Outbox
from bot.polling import PollingWatch, WatchedRequest
from bot.ratelimit import SakporeRateLimiter
from bot.registration import KINDS as REGISTRATION_KINDS
from bot.registration import RegistrationService, default_catalog
from bot.reminders import REMINDER_SETUP, ReminderService
from bot.staff import STAFF_ADD, StaffService
from bot.store.broadcasts import BroadcastRepo
from bot.store.closeddays import ClosedDayRepo
from bot.store.dialogs import DialogRepo
from bot.store.digest import DigestRepo
from bot.store.handoffs import HandoffRepo
from bot.store.kbchanges import KbChangeRepo
from bot.store.outbox import OutboxRepo
from bot.store.questions import QuestionRepo
from bot.store.registrations import KeyCheckRepo, RegistrationRepo
from bot.store.staff import StaffRepo
from bot.store.stats import StatsRepo
from bot.store.users import UserRepo
from bot.updates import PerUserUpdateProcessor
from handlers import register_all, start_workers
from handlers.staff import publish_staff_menus

logger = logging.getLogger(__name__)

# Every kind of dialogue (bot/dialogs.py); handlers/__init__.py gives each its Flow.
DIALOG_KINDS = (REMINDER_SETUP, BROADCAST, STAFF_ADD, HANDOFF_WAIT, KB_EDIT, *REGISTRATION_KINDS)


def build_deps(settings: Settings, clock: Clock | None = None) -> Deps:
    """Create the repositories and services (nothing is opened yet).

    Raises KnowledgeBaseError when the knowledge base is invalid: the bot does not start.
    """
    clock = clock or SystemClock()
    db = Database(settings.database_path, clock)
    i18n = I18n(settings.default_locale, settings.tz)
    users = UserRepo(db, clock)
    cipher = FieldCipher()  # opened at start-up (RegistrationService.open)
    dialogs = DialogService.create(DialogRepo(db, clock), cipher, clock, DIALOG_KINDS)
    registration_repo = RegistrationRepo(db, clock)
    reminders = ReminderService(settings, clock, db, i18n, users)
    outbox_repo = OutboxRepo(db, clock)
    outbox = Outbox(settings, clock, outbox_repo, users)
    status_messages = StatusMessages(
        settings, clock, db, i18n, users, registration_repo, reminders.repo, outbox_repo
    )
    outbox.register("status", status_messages.render)
    closed_days = ClosedDayRepo(db, clock, ClosedDays())
    handoffs = HandoffService(HandoffRepo(db, clock), users, i18n, settings, clock)
    handoffs.closed = closed_days.days
    digest = DailyDigest(settings, clock, i18n, DigestRepo(db), outbox_repo)
    digest.hours, digest.closed = handoffs.hours, closed_days.days
    outbox.register("digest", digest.render)
    outbox.before_run.append(digest.schedule)
    staff = StaffService(StaffRepo(db, clock), settings, clock)
    return Deps(
        settings=settings,
        clock=clock,
        db=db,
        i18n=i18n,
        users=users,
        flood=FloodGuard(clock, settings.flood_max_per_minute, settings.flood_mute_seconds),
        dialogs=dialogs,
        reminders=reminders,
        registrations=RegistrationService(
            registration_repo,
            KeyCheckRepo(db, clock),
            cipher,
            clock,
            settings,
            default_catalog(),
            dialogs,
        ),
        faq=FaqService.load(settings),
        questions=QuestionRepo(db, clock),
        staff=staff,
        broadcaster=Broadcaster(BroadcastRepo(db, clock), users, i18n, settings, clock),
        handoffs=handoffs,
        stats=StatsRepo(db, clock),
        polling=PollingWatch(clock),
        error_reports=ErrorReporter(clock, settings.staff_chat_id),
        outbox=outbox,
        status_messages=status_messages,
        digest=digest,
        closed_days=closed_days,
        kb=KbStaff(KbChangeRepo(db, clock), settings, i18n, staff),
    )


def build_app(
    settings: Settings,
    request: BaseRequest | None = None,
    clock: Clock | None = None,
    offline_token: str | None = None,
) -> SakporeApp:
    """The Application: polling/webhook with a token, or any BaseRequest (the simulator).

    With a request, `offline_token` stands in for TELEGRAM_BOT_TOKEN when none is set (the
    simulator's token: production code does not know the simulator)."""
    deps = build_deps(settings, clock)
    builder = (
        Application.builder()
        .context_types(ContextTypes(context=BotContext))
        # Every text of the bot is HTML (escaped with html.escape where it holds user input).
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        # AIORateLimiter, where broadcasts can opt out of its 429 retry (see bot/ratelimit.py).
        # TELEGRAM_MAX_RATE=0 lifts both caps, the bot's and Telegram's 20 a minute per group
        # (the staff group gets hand-offs and error reports).
        .rate_limiter(
            SakporeRateLimiter(
                overall_max_rate=settings.telegram_max_rate,
                group_max_rate=20 if settings.telegram_max_rate else 0,
                max_retries=1,
            )
        )
        .concurrent_updates(PerUserUpdateProcessor(settings.concurrent_updates, deps.flood))
        .post_init(on_startup)
        .post_stop(on_stop)
        .post_shutdown(on_shutdown)
    )
    # getUpdates goes through its own request object (as PTB's default: one connection),
    # watched so a Telegram outage is logged once, not once per retry (see bot/polling.py).
    if request is not None:
        token = settings.token or offline_token
        if token is None:
            raise ValueError("a token is needed: TELEGRAM_BOT_TOKEN or offline_token")
        builder = builder.token(token)
        builder = builder.request(request)
        builder = builder.get_updates_request(WatchedRequest(request, deps.polling))
    else:
        if settings.token is None:
            raise ValueError("a token is needed without a simulated request")
        builder = builder.token(settings.token)
        builder = builder.get_updates_request(
            WatchedRequest(HTTPXRequest(connection_pool_size=1), deps.polling)
        )
        if settings.telegram_api_base_url:
            base = settings.telegram_api_base_url.rstrip("/")
            builder = builder.base_url(base).base_file_url(base.removesuffix("/bot") + "/file/bot")
    app = cast(SakporeApp, builder.build())
    app.bot_data["deps"] = deps
    register_all(app)
    return app


async def on_startup(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Open the database, apply migrations, publish the command menus."""
    deps = get_deps(app)
    await deps.db.connect()
    applied = await deps.db.migrate()
    if applied:
        logger.info("database migrated to version %s", applied[-1].version)
    try:
        await deps.registrations.open()  # the encryption key: ConfigError when wrong
    except BaseException:
        await deps.db.close()
        raise
    # Who is in a dialogue, so most messages skip the lookups (bot/store/presence.py).
    await deps.dialogs.repo.index.load(deps.db)
    await deps.closed_days.load()  # /libur days, for the office-hours checks
    await deps.kb.start(deps)  # the staff changes to the knowledge base (issue 16)
    await asyncio.to_thread(deps.faq.warm, deps.i18n.translators)  # before the first question
    await publish_commands(app)
    await publish_staff_menus(app)
    start_workers(app)
    deps.error_reports.start(app.bot)


async def on_stop(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """While the bot can still send: the last error reports go out (bot/errorreports.py)."""
    await get_deps(app).error_reports.stop()


async def on_shutdown(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    deps = get_deps(app)
    await deps.error_reports.stop()  # already done at post_stop unless the app never started
    await deps.kb.close()
    await deps.db.close()


async def publish_commands(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """set_my_commands in Indonesian (default) and English."""
    deps = get_deps(app)
    for locale in deps.i18n.locales:
        tr = deps.i18n.get(locale)
        commands = [
            BotCommand(name, tr.gettext(description)) for name, description in USER_COMMANDS
        ]
        language = None if locale == deps.i18n.default_locale else locale
        await app.bot.set_my_commands(
            commands, scope=BotCommandScopeDefault(), language_code=language
        )
