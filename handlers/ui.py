"""Shared bits of chat UI: the main menu and a reply helper that works for buttons too."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot.i18n import Translator


def main_menu(tr: Translator) -> InlineKeyboardMarkup:
    """Tanya program / Daftar / Pengingat iuran / Bantuan."""
    _ = tr.gettext
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(_("❓ Ask about the program"), callback_data="menu:faq"),
                InlineKeyboardButton(_("📝 Register"), callback_data="menu:daftar"),
            ],
            [
                InlineKeyboardButton(_("⏰ Payment reminder"), callback_data="menu:pengingat"),
                InlineKeyboardButton(_("ℹ️ Help"), callback_data="menu:bantuan"),
            ],
        ]
    )


async def reply(
    update: Update, text: str, markup: InlineKeyboardMarkup | None = None
) -> Message | None:
    """Answer in the chat of the update: to a message, or under a pressed button."""
    if update.effective_message is not None:
        return await update.effective_message.reply_text(text, reply_markup=markup)
    if update.effective_chat is not None:
        return await update.effective_chat.send_message(text, reply_markup=markup)
    return None
