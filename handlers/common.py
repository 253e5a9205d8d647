"""Runs before every other handler: records the user, keeps group chats and edits out."""

from __future__ import annotations

import html

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.ext import ApplicationHandlerStop, ChatMemberHandler, TypeHandler, filters

from bot import callbacks
from bot.context import BotContext, SakporeApp
from bot.flood import Verdict
from handlers.groups import HandlerGroup
from handlers.ui import answer_quietly, reply

DIGEST_BUTTONS = callbacks.family("dg")

PRIVATE_INPUT = (
    filters.ChatType.PRIVATE
    & filters.UpdateType.MESSAGE
    & (filters.TEXT | ~filters.StatusUpdate.ALL)
)
"""A new message a person sent in their private chat: a text, or anything else that is not
a service message ("pinned", "joined"...). The dialogues' input handlers use it. Texts are
tested first: they are nearly every update and never service messages, and
`StatusUpdate.ALL` alone is some 30 filters, which would otherwise run for each text in
each of those handler groups."""


async def track_user(update: Update, context: BotContext) -> None:
    """Store every private-chat user (first and last seen) and load their language."""
    if update.edited_message is not None or update.edited_channel_post is not None:
        raise ApplicationHandlerStop  # edits are not new questions
    chat, user = update.effective_chat, update.effective_user
    if update.my_chat_member is not None:
        return  # handled by chat_member_changed below
    if chat is None or user is None or user.is_bot:
        raise ApplicationHandlerStop
    if chat.type != ChatType.PRIVATE:
        if await _staff_group_reply(update, context):
            return  # handled in handlers/handoff.py, which stops it there
        if await _staff_group_button(update, context):
            return  # a digest button, handled in handlers/followup.py
        await _group_message(update, context)
        raise ApplicationHandlerStop
    deps = context.deps
    verdict = deps.flood.check(user.id)
    if verdict is Verdict.DROP:
        raise ApplicationHandlerStop
    language = deps.i18n.resolve(user.language_code)
    context.user_record, _created = await deps.users.seen(user.id, user.first_name, language)
    if verdict is Verdict.WARN:
        if update.callback_query is not None:
            await answer_quietly(update.callback_query)
        await chat.send_message(
            context.tr.gettext(
                "You are sending messages very fast 🙏 Please wait a moment; I will answer "
                "again in a few minutes."
            ),
        )
        raise ApplicationHandlerStop


async def _staff_group_reply(update: Update, context: BotContext) -> bool:
    """The one kind of group message that goes on: in the staff group (STAFF_CHAT_ID), a
    staff member's reply to a message of the bot (the answer to a "Tanya petugas" question)."""
    deps = context.deps
    message, chat, user = update.message, update.effective_chat, update.effective_user
    if message is None or chat is None or user is None or chat.id != deps.settings.staff_chat_id:
        return False
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.from_user.id != context.bot.id:
        return False
    if not await deps.staff.is_staff(user.id):
        return False
    context.user_record = await deps.users.get(user.id)  # the staff member's language
    return True


async def _staff_group_button(update: Update, context: BotContext) -> bool:
    """A button of the daily digest or a hand-off's "Saya tangani" pressed in the staff
    group (the staff rights are checked again there)."""
    query, chat, user = update.callback_query, update.effective_chat, update.effective_user
    if query is None or chat is None or user is None:
        return False
    data = query.data or ""
    ours = DIGEST_BUTTONS.match(data) or callbacks.HandoffClaim.parse(data) is not None
    if chat.id != context.deps.settings.staff_chat_id or not ours:
        return False
    context.user_record = await context.deps.users.get(user.id)  # the staff member's language
    return True


async def _group_message(update: Update, context: BotContext) -> None:
    """In groups the bot only answers /start, with a link to a private chat."""
    message = update.message
    if message is None or not message.text:
        return
    words = message.text.split(maxsplit=1)
    command = words[0].lower() if words else ""
    if command not in ("/start", f"/start@{context.bot.username.lower()}"):
        return
    tr = context.deps.i18n.get(
        context.deps.i18n.resolve(getattr(message.from_user, "language_code", None))
    )
    link = f"https://t.me/{context.bot.username}"
    await reply(
        update,
        tr.gettext(
            "Hello! To ask questions or register, please chat with me privately: {link}"
        ).format(link=html.escape(link)),
    )


async def chat_member_changed(update: Update, context: BotContext) -> None:
    """A user blocked (kicked) or unblocked the bot in their private chat."""
    change = update.my_chat_member
    if change is None or change.chat.type != ChatType.PRIVATE:
        return
    if change.new_chat_member.status == ChatMemberStatus.BANNED:
        await context.deps.users.mark_blocked(change.chat.id)


def register(app: SakporeApp) -> None:
    app.add_handler(TypeHandler(Update, track_user), group=HandlerGroup.COMMON)
    app.add_handler(
        ChatMemberHandler(chat_member_changed, ChatMemberHandler.MY_CHAT_MEMBER),
        group=HandlerGroup.CHAT_MEMBER,
    )
