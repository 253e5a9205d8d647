"""Staff roles: the staff check every staff tool reuses, /staf (with its dialogue, STAFF_ADD)
and staff command menus.

To everyone who is not staff, staff commands and buttons behave exactly like commands and
buttons the bot does not have (the replies of handlers/fallback.py): nothing is leaked.
"""

from __future__ import annotations

import functools
import html
import logging
from collections.abc import Callable, Coroutine
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
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot import callbacks
from bot.broadcast import BROADCAST
from bot.commands import ADMIN_COMMANDS, STAFF_COMMANDS, USER_COMMANDS, Cmd
from bot.context import BotContext, Deps, SakporeApp
from bot.dialogs import Dialog, NoState
from bot.i18n import N_
from bot.roles import Role
from bot.staff import STAFF_ADD, AddResult, RemoveResult
from handlers import fallback
from handlers.dialogs import Flow
from handlers.groups import HandlerGroup
from handlers.ui import answer_quietly, edit_quietly, reply

logger = logging.getLogger(__name__)

Handler = Callable[[Update, BotContext], Coroutine[Any, Any, None]]


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


# ---- command menus, set when missing -------------------------------------------------------


async def refresh_menu(update: Update, context: BotContext) -> None:
    """A staff member's private message: give them their command menu if this process has
    not yet (they opened the bot after being added, or the bot restarted)."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or chat.type != ChatType.PRIVATE:
        return
    deps = context.deps
    if user.id not in deps.staff.menus and await deps.staff.is_staff(user.id):
        await publish_menu(context.application, deps, user.id)


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
                    callback_data=callbacks.StaffRemove(member.user_id).pack(),
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
        await _ask_who(update, context)
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
    if result is RemoveResult.REMOVED:  # a staff dialogue they were in is over
        await deps.dialogs.cancel(user_id, STAFF_ADD, BROADCAST)
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


async def _ask_who(update: Update, context: BotContext) -> None:
    user = update.effective_user
    assert user is not None
    await context.deps.dialogs.start(user.id, STAFF_ADD, NoState())
    await reply(update, _add_help(context))


async def staff_add_dialog(update: Update, context: BotContext, dialog: Dialog[NoState]) -> bool:
    """In /staf tambah: a forwarded message or a typed id names the new staff member."""
    message = update.message
    assert message is not None
    origin = message.forward_origin
    if isinstance(origin, MessageOriginUser):
        await context.deps.dialogs.end(dialog)
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
        await context.deps.dialogs.end(dialog)
        await _add(update, context, new_id, "", "id")
        return True
    return False


async def ask_who_again(
    update: Update, context: BotContext, _dialog: Dialog[NoState], note: str | None
) -> None:
    await reply(update, f"{note}\n\n{_add_help(context)}" if note else _add_help(context))


begin = admin_only(_ask_who)
NOTHING_CHANGED = N_("Nothing was changed.")
STARTS = (callbacks.STAFF_ADD,)
FLOW = Flow(
    STAFF_ADD, ask_who_again, staff_add_dialog, begin, NOTHING_CHANGED, start_buttons=STARTS
)


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
        await _ask_who(update, context)
        return
    to_remove = callbacks.StaffRemove.parse(data)
    parsed = to_remove or callbacks.StaffRemoveConfirm.parse(data)
    if callbacks.STAFF_NO.parse(data):
        await edit_quietly(query.message, tr.gettext("OK, nothing was changed."))
        return
    if parsed is None:
        return
    target = parsed.user_id
    if to_remove:
        known = await context.deps.users.get(target)
        shown = _name(known.first_name if known else "", target)
        markup = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        tr.gettext("Yes, remove"),
                        callback_data=callbacks.StaffRemoveConfirm(target).pack(),
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
    app.add_handler(MessageHandler(filters.ChatType.PRIVATE, refresh_menu), HandlerGroup.STAFF_MENU)
    app.add_handler(CommandHandler(Cmd.STAFF, staf))
    app.add_handler(CallbackQueryHandler(staf_button, pattern=callbacks.family("staf")))
