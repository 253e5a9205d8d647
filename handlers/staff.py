"""Staff roles: the staff check every staff tool reuses, /staf, staff command menus, and the
router that feeds a staff member's messages to the dialogue they are in (state in SQLite).

To everyone who is not staff, staff commands and buttons behave exactly like commands and
buttons the bot does not have (the replies of handlers/fallback.py): nothing is leaked.
"""

from __future__ import annotations

import functools
import html
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import (
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MessageOriginUser,
    Update,
)
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot import callbacks
from bot.commands import ADMIN_COMMANDS, STAFF_COMMANDS, USER_COMMANDS
from bot.context import BotContext, Deps, SakporeApp
from bot.staff import AddResult, RemoveResult, Role
from bot.store.staff import Dialog
from handlers import fallback
from handlers.ui import answer_quietly, edit_quietly, reply

logger = logging.getLogger(__name__)

Handler = Callable[[Update, BotContext], Coroutine[Any, Any, None]]
DialogHandler = Callable[[Update, BotContext, Dialog], Awaitable[bool]]

# Runs after handlers/common.py (-100), before the registration input (-50) and the features (0).
DIALOG_GROUP = -60


# Dialogue kind -> handler of a staff member's message in it. True: the message was used.
DIALOGS: dict[str, DialogHandler] = {}
# Dialogue kind -> the role each of its steps needs (Role.STAFF when not listed). The router
# checks it at every message; the dialogue's buttons are wrapped in staff_only/admin_only.
DIALOG_ROLES: dict[str, Role] = {}


# ---- the staff check -------------------------------------------------------------------------


async def as_unknown(update: Update, context: BotContext) -> None:
    """Answer exactly as for a command or button the bot does not have."""
    if update.callback_query is not None:
        await fallback.stale_button(update, context)
    else:
        await fallback.unknown_command(update, context)


def requires(role: Role) -> Callable[[Handler], Handler]:
    """Only for people with `role` (StaffService.has_role); everyone else gets the
    unknown-command answer (buttons: the unknown-button answer). Checked on every call, so a
    forged button or a demoted person's old button does nothing."""

    def decorate(func: Handler) -> Handler:
        @functools.wraps(func)
        async def wrapper(update: Update, context: BotContext) -> None:
            user = update.effective_user
            if user is None or not await context.deps.staff.has_role(user.id, role):
                await as_unknown(update, context)
                return
            await func(update, context)

        return wrapper

    return decorate


staff_only = requires(Role.STAFF)  # staff members and admins
admin_only = requires(Role.ADMIN)  # ADMIN_IDS only


# ---- command menus ---------------------------------------------------------------------------


async def publish_menu(app: Application, deps: Deps, user_id: int) -> bool:  # type: ignore[type-arg]
    """Give one staff member or admin their command menu (in each language); or, when they are
    no longer staff, take it away. False when Telegram refused (they never opened the bot)."""
    scope = BotCommandScopeChat(user_id)
    staff = await deps.staff.is_staff(user_id)
    try:
        for locale in deps.i18n.locales:
            language = None if locale == deps.i18n.default_locale else locale
            if not staff:
                await app.bot.delete_my_commands(scope=scope, language_code=language)
                continue
            tr = deps.i18n.get(locale)
            entries = USER_COMMANDS + STAFF_COMMANDS
            if deps.staff.is_admin(user_id):
                entries = entries + ADMIN_COMMANDS
            commands = [BotCommand(name, tr.gettext(desc)) for name, desc in entries]
            await app.bot.set_my_commands(commands, scope=scope, language_code=language)
    except TelegramError as exc:
        logger.info("command menu for %s not set: %s", user_id, exc)
        deps.staff.menus.discard(user_id)
        return False
    if staff:
        deps.staff.menus.add(user_id)
    else:
        deps.staff.menus.discard(user_id)
    return True


async def publish_staff_menus(app: Application) -> None:  # type: ignore[type-arg]
    """At start: every admin's and staff member's menu."""
    deps: Deps = app.bot_data["deps"]
    for user_id in sorted(await deps.staff.everyone()):
        await publish_menu(app, deps, user_id)


# ---- dialogue router -------------------------------------------------------------------------


async def dialog_router(update: Update, context: BotContext) -> None:
    """A staff member's message goes to their open dialogue (if any) before anything else.

    The rights the dialogue needs are checked again at every message: someone demoted since
    the dialogue began (ADMIN_IDS changed, or taken off the staff) is told, and it is closed.
    """
    message, user = update.message, update.effective_user
    if message is None or user is None or message.chat.type != ChatType.PRIVATE:
        return
    deps = context.deps
    if user.id not in deps.staff.menus and await deps.staff.is_staff(user.id):
        await publish_menu(context.application, deps, user.id)
    dialog = await deps.staff.dialog(user.id)  # no database read for people without one
    if dialog is None:
        return
    text = message.text or ""
    command = text.split(maxsplit=1)[0].split("@")[0].lower() if text.startswith("/") else None
    if command in ("/batal", "/cancel"):
        await deps.staff.clear_dialog(user.id)
        await reply(update, context.tr.gettext("Cancelled. Nothing was sent or changed."))
        raise ApplicationHandlerStop
    if not await deps.staff.has_role(user.id, DIALOG_ROLES.get(dialog.kind, Role.STAFF)):
        await deps.staff.clear_dialog(user.id)
        await reply(
            update,
            context.tr.gettext(
                "Your staff rights have changed, so I closed that unfinished step. "
                "Nothing was sent or changed."
            ),
        )
        if command is None:
            raise ApplicationHandlerStop
        return  # a command still works as it does for anyone
    if command is not None:
        return  # other commands work as usual; the dialogue waits
    handler = DIALOGS.get(dialog.kind)
    if handler is not None and await handler(update, context, dialog):
        raise ApplicationHandlerStop


# ---- /staf -----------------------------------------------------------------------------------


def _name(name: str, user_id: int) -> str:
    return f"{html.escape(name)} ({user_id})" if name else str(user_id)


async def _list_text(context: BotContext) -> tuple[str, InlineKeyboardMarkup]:
    deps, tr = context.deps, context.tr
    members = await deps.staff.members()
    lines = [tr.gettext("<b>Staff</b>")]
    buttons: list[list[InlineKeyboardButton]] = []
    if not members:
        lines.append(tr.gettext("No staff members yet."))
    for member in members:
        lines.append(
            tr.gettext("• {name}, added {date}").format(
                name=_name(member.name, member.user_id), date=tr.date(member.added_at)
            )
        )
        buttons.append(
            [
                InlineKeyboardButton(
                    tr.gettext("🗑 Remove {name}").format(name=member.name or member.user_id)[:60],
                    callback_data=callbacks.STAFF_REMOVE.pack(member.user_id),
                )
            ]
        )
    admins = ", ".join(str(a) for a in sorted(deps.settings.admin_ids))
    lines.append("")
    lines.append(tr.gettext("Admins (set in ADMIN_IDS): {ids}").format(ids=admins or "-"))
    buttons.append(
        [InlineKeyboardButton(tr.gettext("➕ Add staff"), callback_data=callbacks.STAFF_ADD.pack())]
    )
    return "\n".join(lines), InlineKeyboardMarkup(buttons)


def _add_help(context: BotContext) -> str:
    return context.tr.gettext(
        "Who should become staff? Forward me any message from that person, or send their "
        "Telegram id (a number), e.g. <code>/staf tambah 12345678</code>.\n"
        "They should have pressed Start in this bot first. /batal to cancel."
    )


@admin_only
async def staf(update: Update, context: BotContext) -> None:
    """/staf [daftar | tambah ID | hapus ID]."""
    args = [a.lower() for a in (context.args or [])]
    user = update.effective_user
    assert user is not None
    if not args or args[0] in ("daftar", "list"):
        text, markup = await _list_text(context)
        await reply(update, text, markup)
        return
    action, rest = args[0], args[1:]
    if action in ("tambah", "add"):
        if rest and (new_id := callbacks.number(rest[0], callbacks.USER_ID_DIGITS)) is not None:
            await _add(update, context, new_id, "", "id")
            return
        await context.deps.staff.save_dialog(user.id, "staff_add", {})
        await reply(update, _add_help(context))
        return
    if action in ("hapus", "remove"):
        if rest and (old_id := callbacks.number(rest[0], callbacks.USER_ID_DIGITS)) is not None:
            await _remove(update, context, old_id)
            return
        text, markup = await _list_text(context)
        await reply(update, text, markup)
        return
    await reply(
        update,
        context.tr.gettext(
            "Use: <code>/staf</code> (list), <code>/staf tambah 12345678</code>, "
            "<code>/staf hapus 12345678</code>."
        ),
    )


async def _add(update: Update, context: BotContext, user_id: int, name: str, how: str) -> None:
    deps, tr = context.deps, context.tr
    actor = update.effective_user
    assert actor is not None
    known = await deps.users.get(user_id)
    name = name or (known.first_name if known else "")
    result = await deps.staff.add(actor.id, user_id, name, how)
    shown = _name(name, user_id)
    if result is AddResult.IS_ADMIN:
        await reply(update, tr.gettext("{name} is an admin already.").format(name=shown))
        return
    if result is AddResult.ALREADY:
        await reply(update, tr.gettext("{name} is staff already.").format(name=shown))
        return
    menu = await publish_menu(context.application, deps, user_id)
    text = tr.gettext("✅ {name} is now staff.").format(name=shown)
    if known is None or not menu:
        text += "\n" + tr.gettext(
            "They have not opened this bot yet: their staff commands appear after they press Start."
        )
    await reply(update, text)


async def _remove(update: Update, context: BotContext, user_id: int) -> None:
    deps, tr = context.deps, context.tr
    actor = update.effective_user
    assert actor is not None
    known = await deps.users.get(user_id)
    shown = _name(known.first_name if known else "", user_id)
    result = await deps.staff.remove(actor.id, user_id)
    if result is RemoveResult.IS_ADMIN:
        await reply(
            update,
            tr.gettext("{name} is an admin; admins are set in ADMIN_IDS.").format(name=shown),
        )
        return
    if result is RemoveResult.NOT_STAFF:
        await reply(update, tr.gettext("{name} is not staff.").format(name=shown))
        return
    await publish_menu(context.application, deps, user_id)
    await reply(update, tr.gettext("✅ {name} is no longer staff.").format(name=shown))


async def staff_add_dialog(update: Update, context: BotContext, dialog: Dialog) -> bool:
    """In /staf tambah: a forwarded message or a typed id names the new staff member."""
    message = update.message
    user = update.effective_user
    assert message is not None and user is not None
    origin = message.forward_origin
    if isinstance(origin, MessageOriginUser):
        await context.deps.staff.clear_dialog(user.id)
        await _add(update, context, origin.sender_user.id, origin.sender_user.first_name, "forward")
        return True
    if origin is not None:
        await reply(
            update,
            context.tr.gettext(
                "That person's privacy settings hide who they are in forwarded messages. "
                "Please ask them for their Telegram id (a number) and send it to me."
            ),
        )
        return True
    text = (message.text or "").strip()
    if (new_id := callbacks.number(text, callbacks.USER_ID_DIGITS)) is not None:
        await context.deps.staff.clear_dialog(user.id)
        await _add(update, context, new_id, "", "id")
        return True
    await reply(update, _add_help(context))
    return True


@admin_only
async def staf_button(update: Update, context: BotContext) -> None:
    """Buttons of /staf: add, remove (with a confirmation)."""
    query = update.callback_query
    user = update.effective_user
    assert query is not None and user is not None
    data = query.data or ""
    tr = context.tr
    await answer_quietly(query)
    if callbacks.STAFF_ADD.parse(data):
        await context.deps.staff.save_dialog(user.id, "staff_add", {})
        await reply(update, _add_help(context))
        return
    to_remove = callbacks.STAFF_REMOVE.parse(data)
    parsed = to_remove or callbacks.STAFF_REMOVE_CONFIRM.parse(data)
    if callbacks.STAFF_NO.parse(data):
        await edit_quietly(query.message, tr.gettext("OK, nothing was changed."))
        return
    if parsed is None:
        return
    target = parsed.num(0)
    if to_remove:
        known = await context.deps.users.get(target)
        shown = _name(known.first_name if known else "", target)
        markup = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        tr.gettext("Yes, remove"),
                        callback_data=callbacks.STAFF_REMOVE_CONFIRM.pack(target),
                    ),
                    InlineKeyboardButton(tr.gettext("No"), callback_data=callbacks.STAFF_NO.pack()),
                ]
            ]
        )
        await reply(update, tr.gettext("Remove {name} from staff?").format(name=shown), markup)
        return
    await edit_quietly(query.message, tr.gettext("Removing…"))
    await _remove(update, context, target)


def register(app: SakporeApp) -> None:
    DIALOGS["staff_add"] = staff_add_dialog
    DIALOG_ROLES["staff_add"] = Role.ADMIN
    app.add_handler(MessageHandler(filters.ALL, dialog_router), group=DIALOG_GROUP)
    app.add_handler(CommandHandler("staf", staf))
    app.add_handler(CallbackQueryHandler(staf_button, pattern=callbacks.family("staf")))
