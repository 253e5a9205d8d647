"""The bot's commands as Telegram's menu and /bantuan show them: name and description.

One list per audience, in menu order. The descriptions are msgids (translated when shown).
Everyone sees USER_COMMANDS (set_my_commands at start, /bantuan); staff members and admins
get STAFF_COMMANDS after them in their own chats, admins ADMIN_COMMANDS too
(BotCommandScopeChat, handlers/staff.py). Each feature's handlers register the same names.
"""

from __future__ import annotations

import enum

from bot.i18n import N_


class Cmd(enum.StrEnum):
    """Every command name (without the slash), written once: the lists below, the handlers
    (CommandHandler) and the dialogue kinds (DialogKind.commands) take them from here."""

    START = "start"
    HELP = "bantuan"
    HELP_EN = "help"
    LANGUAGE = "bahasa"
    LANGUAGE_EN = "language"
    STOP = "berhenti"
    RESUME = "mulai"
    TOPICS = "topik"
    TOPICS_EN = "topic"
    REGISTER = "daftar"
    REGISTER_EN = "register"
    MY_DATA = "datasaya"
    CHANGE_DATA = "ubahdata"
    DELETE_DATA = "hapusdata"
    CANCEL = "batal"
    CANCEL_EN = "cancel"
    REMINDER = "pengingat"
    BROADCAST = "siaran"
    BROADCASTS = "siaran_daftar"
    REGISTRANTS = "pendaftar"
    STATISTICS = "statistik"
    EXPORT = "ekspor"
    QUESTIONS = "pertanyaan"
    RELOAD = "muatulang"
    ANSWERS = "jawaban"
    HOLIDAYS = "libur"
    STAFF = "staf"


Command = tuple[str, str]  # (name without the slash, description msgid)

START: list[Command] = [
    (Cmd.START, N_("Main menu")),
    (Cmd.HELP, N_("Help and list of commands")),
    (Cmd.LANGUAGE, N_("Change language")),
    (Cmd.STOP, N_("Stop receiving announcements")),
    (Cmd.RESUME, N_("Receive announcements again")),
]
FAQ: list[Command] = [(Cmd.TOPICS, N_("Questions by topic"))]
REGISTRATION: list[Command] = [
    (Cmd.REGISTER, N_("Register to join BPJS Ketenagakerjaan")),
    (Cmd.MY_DATA, N_("See the data you registered")),
    (Cmd.CHANGE_DATA, N_("Correct your registration data")),
    (Cmd.DELETE_DATA, N_("Delete your registration data")),
    (Cmd.CANCEL, N_("Cancel the registration in progress")),
]
REMINDERS: list[Command] = [(Cmd.REMINDER, N_("Monthly payment reminder"))]
BROADCAST: list[Command] = [
    (Cmd.BROADCAST, N_("Send an announcement to users")),
    (Cmd.BROADCASTS, N_("Broadcasts: status, stop")),
]
STAFF_TOOLS: list[Command] = [
    (Cmd.REGISTRANTS, N_("New registrations: follow up")),
    (Cmd.STATISTICS, N_("Figures and a chart")),
    (Cmd.EXPORT, N_("Registrations as a CSV or Excel file")),
    (Cmd.QUESTIONS, N_("Questions the bot could not answer")),
    (Cmd.RELOAD, N_("Reload the knowledge base")),
]
FOLLOWUP: list[Command] = [(Cmd.HOLIDAYS, N_("Holidays and other days the office is closed"))]
KB_STAFF: list[Command] = [(Cmd.ANSWERS, N_("The answers: phrasings, figures, versions"))]
STAFF: list[Command] = [(Cmd.STAFF, N_("Add, remove or list staff"))]

USER_COMMANDS: list[Command] = [*START, *FAQ, *REGISTRATION, *REMINDERS]
STAFF_COMMANDS: list[Command] = [*BROADCAST, *STAFF_TOOLS, *KB_STAFF, *FOLLOWUP]
ADMIN_COMMANDS: list[Command] = [*STAFF]
