"""The person's own registration data: /datasaya, /ubahdata, /hapusdata and the buttons under
the stored data (`rgx:`)."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, ReplyKeyboardRemove, Update

from bot import callbacks
from bot.context import BotContext
from bot.erasure import Erased, erase_person, holds_data
from bot.i18n import Translator
from bot.registration import Step
from bot.registration.buttons import DeleteButton
from bot.registration.flow import is_edit, step_of
from handlers.registration_dialog import change
from handlers.registration_render import ask, send
from handlers.registration_texts import account_keyboard, registered_text
from handlers.ui import answer_quietly, button, drop_buttons, main_menu


async def datasaya(update: Update, context: BotContext) -> None:
    """/datasaya: what is stored about me (NIK masked)."""
    user = update.effective_user
    if user is None:
        return
    svc, tr = context.deps.registrations, context.tr
    reg = await svc.registration(user.id)
    if reg is not None:
        text = "\n\n".join(
            [registered_text(tr, svc, reg), tr.gettext("Change: /ubahdata · Delete: /hapusdata")]
        )
        await send(update, text, account_keyboard(tr))
        return
    draft = (await svc.current(user.id)).draft
    if draft is not None and not is_edit(draft):
        text = tr.gettext(
            "You have not sent a registration yet. Your unfinished answers are kept for 24 "
            "hours: continue with /daftar or delete them with /batal."
        )
        await send(update, text)
        return
    await send(
        update, tr.gettext("I have no registration data from you. Type /daftar to register.")
    )


async def ubahdata(update: Update, context: BotContext) -> None:
    """/ubahdata: choose an answer to correct."""
    user = update.effective_user
    if user is None:
        return
    svc, tr = context.deps.registrations, context.tr
    if await svc.registration(user.id) is not None:
        await ask(update, context, await svc.start_change(user.id))
        return
    draft = (await svc.current(user.id)).draft
    if draft is not None and not is_edit(draft):
        await change(update, context, draft)
        return
    await send(update, tr.gettext("You have not registered yet. Type /daftar to register."))


async def hapusdata(update: Update, context: BotContext) -> None:
    """/hapusdata: delete my data, after a confirmation button (with or without a
    registration: questions and hand-off threads, an open one included, only when confirmed)."""
    user = update.effective_user
    if user is None:
        return
    tr = context.tr
    reg = await context.deps.registrations.registration(user.id)
    if reg is None and not await holds_data(context.deps, user.id):
        await send(update, tr.gettext("I have no data from you. Nothing to delete."))
        return
    keyboard = InlineKeyboardMarkup(
        [
            [
                # 0: confirmed with no registration (registration ids start at 1).
                button(tr.gettext("🗑 Yes, delete"), DeleteButton(reg.id if reg else 0).pack()),
                button(tr.gettext("No, keep it"), callbacks.REG_KEEP.pack()),
            ]
        ]
    )
    if reg is not None:
        text = tr.gettext(
            "Delete your data? Your registration {ref} (name, NIK, phone number and answers), "
            "the questions you asked me and your messages with the staff will be erased from "
            "the bot. Messages already sent to the staff group stay there. This cannot be "
            "undone."
        ).format(ref=reg.reference)
    else:
        text = tr.gettext(
            "Delete your data? The questions you asked me, your messages with the staff and "
            "any unfinished registration answers will be erased from the bot. Messages already "
            "sent to the staff group stay there. This cannot be undone."
        )
    await send(update, text, keyboard)


async def confirm_delete(update: Update, context: BotContext, registration_id: int) -> None:
    """'Yes, delete' for registration `registration_id` (0: none). A stale button (the
    registration is no longer that one) erases nothing."""
    user = update.effective_user
    if user is None:
        return
    tr = context.tr
    draft = (await context.deps.registrations.current(user.id)).draft
    erased = await erase_person(context.deps, user.id, registration_id or None)
    if erased is None:
        await send(update, tr.gettext("This button is out of date. Type /hapusdata again."))
        return
    unfinished = registration_id == 0 and draft is not None
    if not erased.anything and not unfinished:
        await send(update, tr.gettext("There is nothing to delete any more."), main_menu(tr))
        return
    on_phone = unfinished and draft is not None and step_of(draft) is Step.PHONE
    markup = ReplyKeyboardRemove() if on_phone else main_menu(tr)
    await send(update, erased_text(tr, erased, unfinished=unfinished), markup)


def erased_text(tr: Translator, erased: Erased, *, unfinished: bool = False) -> str:
    """Exactly what was deleted, one line each, then what stays."""
    lines = [tr.gettext("🗑 Deleted:")]
    if erased.registration:
        lines.append("• " + tr.gettext("your registration (name, NIK, phone number, answers)"))
    if unfinished:
        lines.append("• " + tr.gettext("your unfinished registration answers"))
    if erased.questions:
        lines.append(
            "• "
            + tr.ngettext(
                "{count} question you asked me", "{count} questions you asked me", erased.questions
            ).format(count=erased.questions)
        )
    if erased.handoff_messages:
        lines.append(
            "• "
            + tr.ngettext(
                "{count} message between you and the staff",
                "{count} messages between you and the staff",
                erased.handoff_messages,
            ).format(count=erased.handoff_messages)
        )
    lines.append("• " + tr.gettext("your first name as Telegram sent it"))
    lines.append(
        tr.gettext(
            "What stays: anonymous counts (how many questions, deletions...); your Telegram "
            "account number with your language and announcement settings, so that I can still "
            "answer you; your payment reminders, if you set any (delete them with /pengingat); "
            "and the messages already sent to the staff group. You can register again at any "
            "time with /daftar."
        )
    )
    return "\n".join(lines)


async def on_account_button(update: Update, context: BotContext) -> None:
    """`rgx:...`: buttons under stored data (change, delete, confirm deletion)."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    data = query.data
    await answer_quietly(query)
    if callbacks.REG_EDIT.parse(data):
        await ubahdata(update, context)
    elif callbacks.REG_DELETE.parse(data):
        await hapusdata(update, context)
    elif confirmed := DeleteButton.parse(data):
        await drop_buttons(query)
        await confirm_delete(update, context, confirmed.registration_id)
    elif callbacks.REG_KEEP.parse(data):
        await drop_buttons(query)
        await send(update, context.tr.gettext("OK, your data is kept."))
