"""Typed handler context: `context.deps` holds the repositories and services of the bot."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeAlias, cast

from telegram.ext import Application, CallbackContext, ExtBot, JobQueue

from bot.broadcast import Broadcaster
from bot.clock import Clock
from bot.config import Settings
from bot.db import Database
from bot.dialogs import Dialog, DialogService
from bot.digest import DailyDigest
from bot.errorreports import ErrorReporter
from bot.faq.service import FaqService
from bot.flood import FloodGuard
from bot.followup import StatusMessages
from bot.handoff import HandoffService
from bot.i18n import I18n, Translator
from bot.kbstaff import KbStaff
from bot.outbox import Outbox
from bot.polling import PollingWatch
from bot.registration import RegistrationService
from bot.reminders import ReminderService
from bot.staff import StaffService
from bot.store.closeddays import ClosedDayRepo
from bot.store.questions import QuestionRepo
from bot.store.stats import StatsRepo
from bot.store.users import User, UserRepo


@dataclass
class Deps:
    """Everything a handler or worker needs; built once in bot.app.build_app."""

    settings: Settings
    clock: Clock
    db: Database
    i18n: I18n
    users: UserRepo
    flood: FloodGuard
    dialogs: DialogService  # the one dialogue each person may be in (bot/dialogs.py)
    reminders: ReminderService
    registrations: RegistrationService
    faq: FaqService
    questions: QuestionRepo
    staff: StaffService
    broadcaster: Broadcaster
    handoffs: HandoffService
    stats: StatsRepo
    polling: PollingWatch  # Telegram reachable by getUpdates? (quiet outage logging)
    error_reports: ErrorReporter  # to the staff chat, from a queue (bot/errorreports.py)
    outbox: Outbox  # status messages and the daily digest, exactly once (bot/outbox.py)
    status_messages: StatusMessages  # /pendaftar status changes that tell the person
    digest: DailyDigest  # the daily digest in the staff group (bot/digest.py)
    closed_days: ClosedDayRepo  # /libur: extra closed days (+ the holiday calendar, .days)
    kb: KbStaff  # staff changes to the knowledge base (issue 16)

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.settings.admin_ids


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """The context every handler receives. One instance serves all handler groups of an update."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application, chat_id=chat_id, user_id=user_id)
        self.user_record: User | None = None
        # A dialogue that waits while another command is answered: its question is asked
        # again after that (handlers/dialogs.py).
        self.dialog_waiting: Dialog[Any] | None = None

    @property
    def deps(self) -> Deps:
        return cast(Deps, self.application.bot_data["deps"])

    @property
    def tr(self) -> Translator:
        """The translator for the user of this update (the default language otherwise)."""
        language = self.user_record.language if self.user_record else None
        return self.deps.i18n.get(language)


def get_deps(app: Application[Any, Any, Any, Any, Any, Any]) -> Deps:
    """The dependencies build_app stored in the Application (for jobs and start-up hooks)."""
    return cast(Deps, app.bot_data["deps"])


SakporeApp: TypeAlias = Application[
    ExtBot[None], BotContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], JobQueue[BotContext]
]
