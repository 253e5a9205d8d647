"""The bot's commands as Telegram's menu and /bantuan show them: name and description.

One list per audience, in menu order. The descriptions are msgids (translated when shown).
Everyone sees USER_COMMANDS (set_my_commands at start, /bantuan); staff members and admins
get STAFF_COMMANDS after them in their own chats, admins ADMIN_COMMANDS too
(BotCommandScopeChat, handlers/staff.py). Each feature's handlers register the same names.
"""

from __future__ import annotations

from bot.i18n import N_

Command = tuple[str, str]  # (name without the slash, description msgid)

START: list[Command] = [
    ("start", N_("Main menu")),
    ("bantuan", N_("Help and list of commands")),
    ("bahasa", N_("Change language")),
    ("berhenti", N_("Stop receiving announcements")),
    ("mulai", N_("Receive announcements again")),
]
FAQ: list[Command] = [("topik", N_("Questions by topic"))]
REGISTRATION: list[Command] = [
    ("daftar", N_("Register to join BPJS Ketenagakerjaan")),
    ("datasaya", N_("See the data you registered")),
    ("ubahdata", N_("Correct your registration data")),
    ("hapusdata", N_("Delete your registration data")),
    ("batal", N_("Cancel the registration in progress")),
]
REMINDERS: list[Command] = [("pengingat", N_("Monthly payment reminder"))]
BROADCAST: list[Command] = [
    ("siaran", N_("Send an announcement to users")),
    ("siaran_daftar", N_("Broadcasts: status, stop")),
]
STAFF_TOOLS: list[Command] = [
    ("pendaftar", N_("New registrations: follow up")),
    ("statistik", N_("Figures and a chart")),
    ("ekspor", N_("Registrations as a CSV or Excel file")),
    ("pertanyaan", N_("Questions the bot could not answer")),
    ("muatulang", N_("Reload the knowledge base")),
]
FOLLOWUP: list[Command] = [("libur", N_("Holidays and other days the office is closed"))]
KB_STAFF: list[Command] = [("jawaban", N_("The answers: phrasings, figures, versions"))]
STAFF: list[Command] = [("staf", N_("Add, remove or list staff"))]

USER_COMMANDS: list[Command] = [*START, *FAQ, *REGISTRATION, *REMINDERS]
STAFF_COMMANDS: list[Command] = [*BROADCAST, *STAFF_TOOLS, *KB_STAFF, *FOLLOWUP]
ADMIN_COMMANDS: list[Command] = [*STAFF]
