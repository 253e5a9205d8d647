"""/start, /bantuan, /bahasa, /berhenti, /mulai and the main menu."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import callbacks
from bot.commands import ADMIN_COMMANDS, STAFF_COMMANDS, USER_COMMANDS, Cmd
from bot.context import BotContext, SakporeApp
from bot.i18n import N_, I18n, Translator
from handlers.handoff_button import with_ask_button
from handlers.ui import answer_quietly, main_menu, reply

# Each catalogue translates this to the name of its own language.
LANGUAGE_NAME = N_("Language name: English")

# (command, description msgid) in the order users see them; other modules add theirs.


def welcome_text(tr: Translator, first_name: str, monthly: int) -> str:
    return tr.gettext(
        "Hello, {name}! 👋\n"
        "I am <b>Sakpore Bot</b>, the assistant of Program Pekalongan Sakpore from the "
        "Pekalongan city government, together with BPJS Ketenagakerjaan and BPJS Kesehatan.\n\n"
        "I can help you:\n"
        "• answer questions about the program\n"
        "• note your wish to join BPJS Ketenagakerjaan ({amount} a month)\n"
        "• remind you every month to pay the contribution\n\n"
        "Choose from the menu below, or just type your question."
    ).format(name=html.escape(first_name or "Bapak/Ibu"), amount=tr.money(monthly))


async def start(update: Update, context: BotContext) -> None:
    """Welcome the user, record a deep-link payload, show the main menu."""
    user = update.effective_user
    if user is None:
        return
    if context.args:
        payload = context.args[0]
        await context.deps.users.record_start_payload(user.id, payload)
    tr = context.tr
    text = welcome_text(tr, user.first_name, context.deps.settings.contribution_monthly_idr)
    tools = await staff_commands(context, user.id)
    if tools:
        text += "\n\n" + tr.gettext("🛠 <b>Staff tools:</b> {commands} (details: /bantuan)").format(
            commands=" · ".join(f"/{name}" for name, _desc in tools)
        )
    await reply(update, text, main_menu(tr))


async def staff_commands(context: BotContext, user_id: int | None) -> list[tuple[str, str]]:
    """The staff commands this person may use (admins: also the admin ones); [] for others."""
    staff = context.deps.staff
    if not await staff.is_staff(user_id):
        return []
    return [*STAFF_COMMANDS, *(ADMIN_COMMANDS if staff.is_admin(user_id) else [])]


def help_text(context: BotContext) -> str:
    tr = context.tr
    settings = context.deps.settings
    lines = [tr.gettext("<b>What I can do</b>")]
    lines += [f"/{name} – {tr.gettext(desc)}" for name, desc in USER_COMMANDS]
    lines.append("")
    lines.append(tr.gettext("You can also just type your question, in your own words."))
    contact = [
        html.escape(value)
        for value in (settings.contact_phone, settings.contact_address, settings.contact_hours)
        if value
    ]
    if contact:
        lines.append("")
        lines.append(tr.gettext("<b>Contact the program staff</b>"))
        lines.extend(contact)
    return "\n".join(lines)


async def bantuan(update: Update, context: BotContext) -> None:
    """List the commands (staff: theirs too) and how to reach a person ("Tanya petugas")."""
    tr = context.tr
    text = help_text(context)
    user = update.effective_user
    tools = await staff_commands(context, user.id if user else None)
    if tools:
        lines = ["", tr.gettext("🛠 <b>Staff tools</b> (only staff see these)")]
        lines += [f"/{name} – {tr.gettext(desc)}" for name, desc in tools]
        text += "\n" + "\n".join(lines)
    await reply(update, text, with_ask_button(context, main_menu(tr)))


def language_name(i18n: I18n, code: str) -> str:
    """The language's own name for itself ("Bahasa Indonesia", "English")."""
    return i18n.get(code).gettext(LANGUAGE_NAME)


def _language_keyboard(i18n: I18n) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            language_name(i18n, code), callback_data=callbacks.Language(code).pack()
        )
        for code in i18n.locales
    ]
    return InlineKeyboardMarkup([buttons])


async def bahasa(update: Update, context: BotContext) -> None:
    """Offer the languages as buttons."""
    await reply(
        update,
        context.tr.gettext("Choose your language:"),
        _language_keyboard(context.deps.i18n),
    )


async def language_chosen(update: Update, context: BotContext) -> None:
    """Store the chosen language and confirm in it."""
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None or query.data is None:
        return
    parsed = callbacks.Language.parse(query.data)
    code = parsed.code if parsed else ""
    deps = context.deps
    if code not in deps.i18n.locales:
        await answer_quietly(query)
        return
    await deps.users.set_language(user.id, code)
    tr = deps.i18n.get(code)
    await answer_quietly(query)
    name = language_name(deps.i18n, code)
    await reply(
        update,
        tr.gettext("Done: I will speak {language} with you.").format(language=html.escape(name)),
        main_menu(tr),
    )


async def berhenti(update: Update, context: BotContext) -> None:
    """/berhenti: stop announcements (reminders the user set stay on)."""
    user, record = update.effective_user, context.user_record
    if user is None:
        return
    _ = context.tr.gettext
    if record is not None and record.opted_out:
        await reply(
            update, _("You have already stopped announcements. Type /mulai to receive them again.")
        )
        return
    await context.deps.users.set_opted_out(user.id, True)
    await reply(
        update,
        _(
            "OK, you will not receive announcements any more. Payment reminders that you set "
            "yourself still arrive.\nType /mulai at any time to receive announcements again."
        ),
    )


async def mulai(update: Update, context: BotContext) -> None:
    """/mulai: receive announcements again."""
    user = update.effective_user
    if user is None:
        return
    await context.deps.users.set_opted_out(user.id, False)
    await reply(
        update,
        context.tr.gettext(
            "Thank you! You will receive program announcements again. Type /berhenti to stop."
        ),
    )


async def menu_help(update: Update, context: BotContext) -> None:
    """The 'Bantuan' menu button."""
    if update.callback_query is not None:
        await answer_quietly(update.callback_query)
    await bantuan(update, context)


def register(app: SakporeApp) -> None:
    app.add_handler(CommandHandler(Cmd.START, start))
    app.add_handler(CommandHandler([Cmd.HELP, Cmd.HELP_EN], bantuan))
    app.add_handler(CommandHandler([Cmd.LANGUAGE, Cmd.LANGUAGE_EN], bahasa))
    app.add_handler(CommandHandler(Cmd.STOP, berhenti))
    app.add_handler(CommandHandler(Cmd.RESUME, mulai))
    app.add_handler(CallbackQueryHandler(language_chosen, pattern=callbacks.family("lang")))
    app.add_handler(CallbackQueryHandler(menu_help, pattern=callbacks.MENU_HELP.pattern))
