"""Tanya petugas's texts and keyboards: the request to type, the office-hours note, what the
user is told after sending, the thread's and the feedback's buttons, and what the staff group
is told. handlers/handoff.py handles the messages and presses; bot/handoff.py decides. No
decisions here: this draws."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.handoff import HandoffService
from bot.i18n import Translator
from bot.sender import Outcome, SendResult
from bot.store.handoffs import Handoff


def thread_buttons(tr: Translator, handoff_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    tr.gettext("✍️ Reply to the staff"),
                    callback_data=callbacks.HandoffReply(handoff_id).pack(),
                ),
                InlineKeyboardButton(
                    tr.gettext("✅ Done, thank you"),
                    callback_data=callbacks.HandoffDone(handoff_id).pack(),
                ),
            ]
        ]
    )


def feedback_buttons(tr: Translator, handoff_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    tr.gettext("👍 Yes"),
                    callback_data=callbacks.HandoffFeedback(handoff_id, 1).pack(),
                ),
                InlineKeyboardButton(
                    tr.gettext("👎 No"),
                    callback_data=callbacks.HandoffFeedback(handoff_id, 0).pack(),
                ),
            ]
        ]
    )


def hours_note(tr: Translator, service: HandoffService) -> str:
    """Outside office hours: when to expect an answer. Empty inside them (or with no hours)."""
    opens = service.next_open()
    if opens is None:
        return ""
    holiday = service.closed_today(tr.locale)
    if holiday is not None:
        return "\n\n" + tr.gettext(
            "🕗 The office is closed today ({holiday}), so please expect an answer from {when}."
        ).format(holiday=html.escape(holiday, quote=False), when=tr.datetime(opens))
    return "\n\n" + tr.gettext(
        "🕗 The staff work {hours}. It is outside office hours now, so please expect an "
        "answer from {when}."
    ).format(hours=service.describe_hours(tr), when=tr.datetime(opens))


def type_text(tr: Translator, reference: str | None, note: str) -> str:
    """Please type your question (or, with `reference`, your answer); `note`: hours_note."""
    if reference is not None:
        text = tr.gettext(
            "✍️ Please type your answer for the staff ({ref}) in one message. /batal to cancel."
        ).format(ref=reference)
    else:
        text = tr.gettext(
            "✍️ Please type your question for the program staff in one message; I will pass it "
            "on. /batal to cancel."
        )
    text += "\n" + tr.gettext(
        "📎 You may also send a photo or a PDF, such as a payment receipt. Please do not send "
        "photos of your KTP or KK."
    )
    return text + note


def too_many_text(tr: Translator) -> str:
    return tr.gettext(
        "You have sent many messages to the staff in the last hour 🙏 Please wait for their answer."
    )


def not_passed_text(tr: Translator, reach_person: str) -> str:
    """The question could not be posted; `reach_person`: the FAQ's other ways to the staff."""
    return (
        tr.gettext(
            "Sorry, I could not pass your message to the staff just now. Please try again later."
        )
        + "\n\n"
        + reach_person
    )


def sent_text(tr: Translator, reference: str, note: str) -> str:
    """Sent to the staff; `note`: hours_note."""
    return (
        tr.gettext(
            "📨 Sent to the program staff (reference {ref}). Their answer will appear here in "
            "this chat."
        ).format(ref=reference)
        + note
    )


def last_question_view(
    tr: Translator, question_id: int, question: str
) -> tuple[str, InlineKeyboardMarkup]:
    """Offer the question the bot just could not answer: send it, or write another."""
    shown = html.escape(question[:300], quote=False)
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    tr.gettext("📨 Yes, send it"),
                    callback_data=callbacks.HandoffAskQuestion(question_id).pack(),
                )
            ],
            [
                InlineKeyboardButton(
                    tr.gettext("✍️ Write another question"),
                    callback_data=callbacks.HANDOFF_WRITE.pack(),
                )
            ],
        ]
    )
    text = tr.gettext(
        "Send your last question to the program staff?\n<blockquote>{text}</blockquote>"
    ).format(text=shown)
    return text, markup


def closed_text(tr: Translator, closed: bool) -> str:
    """The user closed the thread; `closed`: just now (then: did it help?)."""
    return tr.gettext(
        "Glad we could help 🙏 If you have another question, just type it, or use "
        "/bantuan to reach the staff again."
    ) + ("\n\n" + tr.gettext("Did the staff's answer help you?") if closed else "")


def not_passed_deleted_text(tr: Translator) -> str:
    return tr.gettext(
        "⚠️ Not passed on: the person deleted their data with /hapusdata, this "
        "conversation included."
    )


def not_passed_not_a_question_text(tr: Translator) -> str:
    return tr.gettext(
        "⚠️ Not passed on: the message you replied to is not a user's question. To "
        "answer someone, reply to the post of their question (🙋 #T…)."
    )


def unsupported_reply_text(tr: Translator) -> str:
    return tr.gettext(
        "Only text, photos and documents can be passed on to the user. Please reply "
        "with one of those."
    )


def reply_outcome_text(tr: Translator, handoff: Handoff, result: SendResult, name: str) -> str:
    """What the staff group is told about a reply passed on to `name` (escaped)."""
    if result.ok and handoff.status == "closed" and handoff.closed_at is not None:
        # Delivered all the same (an answer is never thrown away), but not silently.
        return tr.gettext(
            "⚠️ {ref} was already closed on {when}. The reply was still sent to {name}; a new "
            "question from them starts a new thread."
        ).format(ref=handoff.reference, when=tr.datetime(handoff.closed_at), name=name)
    if result.ok:
        return tr.gettext("✅ Sent to {name} ({ref}).").format(name=name, ref=handoff.reference)
    if result.outcome is Outcome.BLOCKED:
        return tr.gettext("⚠️ Not delivered ({ref}): {name} has blocked the bot.").format(
            name=name, ref=handoff.reference
        )
    return tr.gettext(
        "⚠️ Not delivered ({ref}): Telegram did not accept it ({error}). Please try again later."
    ).format(ref=handoff.reference, error=html.escape(result.error or result.outcome.value))
