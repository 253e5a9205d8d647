"""The registration dialogue's answers: typed (through the dialogue router, handlers/dialogs.py)
and pressed (`rg:` buttons). Each answer goes to bot/registration (validated, recorded, the
next step decided there) and the result is shown with handlers/registration_render.py."""

from __future__ import annotations

import logging
from typing import Any

from telegram import CallbackQuery, ReplyKeyboardRemove, Update
from telegram.ext import ExtBot

from bot.context import BotContext, Deps
from bot.registration import (
    TEXT_STEPS,
    Draft,
    Field,
    Invalid,
    Step,
    format_phone,
    parse_phone,
    reference,
)
from bot.registration.buttons import StepButton
from bot.registration.flow import (
    after_incomplete_send,
    apply_answer,
    back,
    change_step,
    chosen,
    field_step,
    is_edit,
    step_of,
)
from bot.sender import safe_send
from handlers.registration_render import Pressed, ask, choice_text, send
from handlers.registration_texts import (
    account_keyboard,
    after_keyboard,
    cancelled_text,
    choose_a_button,
    done_text,
    duplicate_sent_text,
    duplicate_typed_text,
    expired_text,
    reason,
    registered_text,
)
from handlers.ui import answer_quietly, main_menu

logger = logging.getLogger(__name__)

# user_data key: (message id, draft nonce, step after the press) of the last valid button press,
# to tell a second tap on that message (not asked again) from an earlier question's button.
_LAST_PRESS = "registration_last_press"


# ---- for the dialogue router (handlers/dialogs.Flow) -------------------------------------------


async def ask_again(update: Update, context: BotContext, draft: Draft, note: str | None) -> None:
    """The current question again (after another command, a program question, "Continue")."""
    await ask(update, context, draft, note, short=step_of(draft) is Step.CONSENT)


async def answer(update: Update, context: BotContext, draft: Draft) -> bool:
    """A message at the current step. False: not an answer (the router then looks for a
    program question, else `refuse` says why)."""
    message, step = update.effective_message, step_of(draft)
    if message is None:
        return True
    if step is Step.PHONE and message.contact is not None:
        await _contact(update, context, draft)
        return True
    if step not in TEXT_STEPS:
        return False  # a button step: the router matched typed labels already
    if message.text is None:
        await ask(
            update, context, draft, "⚠️ " + context.tr.gettext("I can only read typed text here.")
        )
        return True
    try:
        value = context.deps.registrations.check(step, message.text)
    except Invalid:
        return False
    if step is Step.NIK:
        svc = context.deps.registrations
        if (other := await svc.nik_registered_by_other(draft.user_id, value)) is not None:
            _report_duplicate(update, context, other)  # and the dialogue goes on
    await _advance(update, context, draft, step, value)
    return True


async def refuse(update: Update, context: BotContext, draft: Draft) -> None:
    """Neither an answer nor a program question: say what the step needs."""
    message, step, tr = update.effective_message, step_of(draft), context.tr
    if step in TEXT_STEPS and message is not None and message.text is not None:
        try:
            context.deps.registrations.check(step, message.text)
        except Invalid as error:
            await ask(update, context, draft, reason(tr, error))
            return
    typed = message is not None and message.text is not None
    if step is Step.CONSENT and typed:
        await ask(update, context, draft, short=True)
        return
    await ask(update, context, draft, choose_a_button(tr))


async def choose(update: Update, context: BotContext, draft: Draft, value: str) -> None:
    """A typed answer that matched a button: as if it was pressed."""
    await on_value(update, context, draft, value)


async def cancelled(update: Update, context: BotContext, draft: Draft) -> None:
    """/batal (the router ended the dialogue): say so; the reply keyboard goes too."""
    await _say_cancelled(update, context, draft)


async def expired(update: Update, context: BotContext, draft: Draft) -> None:
    """The next message after the draft was forgotten (24 hours alone)."""
    markup = ReplyKeyboardRemove() if step_of(draft) is Step.PHONE else main_menu(context.tr)
    await send(update, expired_text(context.tr), markup)


async def notice(deps: Deps, bot: ExtBot[Any], draft: Draft) -> None:
    """The expiry job forgot a new registration: tell its person once (a change: nothing)."""
    if is_edit(draft):
        return
    record = await deps.users.get(draft.user_id)
    if record is None or record.blocked_at is not None:
        return
    tr = deps.i18n.get(record.language)
    markup = ReplyKeyboardRemove() if step_of(draft) is Step.PHONE else None
    await safe_send(bot, draft.user_id, expired_text(tr), reply_markup=markup, users=deps.users)


# ---- recording answers ----------------------------------------------------------------------


async def _say_cancelled(
    update: Update, context: BotContext, draft: Draft, pressed: Pressed | None = None
) -> None:
    if step_of(draft) is Step.PHONE:
        await send(update, cancelled_text(context.tr, draft), ReplyKeyboardRemove(), pressed)
    else:
        await send(update, cancelled_text(context.tr, draft), main_menu(context.tr), pressed)


async def _advance(
    update: Update,
    context: BotContext,
    draft: Draft,
    step: Step,
    value: str,
    pressed: Pressed | None = None,
) -> None:
    """Record a valid answer; ask the next question, or save a change of the registration."""
    svc, tr = context.deps.registrations, context.tr
    following = apply_answer(draft, step, value)
    if step is Step.PHONE:
        confirmed = tr.gettext("✅ Number saved: {phone}").format(phone=format_phone(value))
        await send(update, confirmed, ReplyKeyboardRemove())
    if following is None:
        ok = await svc.apply_edit(draft)
        reg = await svc.registration(draft.user_id)
        if not ok or reg is None:
            text = tr.gettext("Sorry, the change could not be saved. Please try again: /ubahdata")
            await send(update, text, pressed=pressed)
            return
        text = "\n\n".join([tr.gettext("✅ Saved."), registered_text(tr, svc, reg)])
        await send(update, text, account_keyboard(tr), pressed)
        return
    await svc.move(draft, following)
    await ask(update, context, draft, pressed=pressed)


async def on_value(
    update: Update, context: BotContext, draft: Draft, value: str, pressed: Pressed | None = None
) -> None:
    """A button press (`pressed`) or its typed label for the draft's current button step."""
    svc, tr, step = context.deps.registrations, context.tr, step_of(draft)
    if step is Step.CONSENT and value in ("yes", "no"):
        if value == "yes":
            await svc.give_consent(draft)
            await ask(update, context, draft, tr.gettext("Thank you! 🙏"), pressed=pressed)
            return
        await svc.discard(draft)
        text = tr.gettext(
            "All right, nothing has been stored. If you change your mind, type /daftar."
        )
        await send(update, text, main_menu(tr), pressed)
    elif value == "back" and (to := back(draft)) is not None:
        await svc.move(draft, to)
        await ask(update, context, draft, pressed=pressed)
    elif step is Step.FIELD and value == "back":  # a change left without changing anything
        await svc.discard(draft)
        await send(update, tr.gettext("OK, nothing was changed."), pressed=pressed)
    elif step is Step.FIELD and value in Field._value2member_map_:
        await svc.move(draft, field_step(Field(value)))
        await ask(update, context, draft, pressed=pressed)
    elif step is Step.SUMMARY and value in ("send", "edit", "cancel"):
        await _on_summary(update, context, draft, value, pressed)
    elif (answer := chosen(draft, value, svc.catalog)) is not None:
        await _advance(update, context, draft, step, answer, pressed)
    else:
        await ask(
            update,
            context,
            draft,
            None if step is Step.CONSENT else choose_a_button(tr),
            short=step is Step.CONSENT,
            pressed=pressed,
        )


async def _on_summary(
    update: Update, context: BotContext, draft: Draft, value: str, pressed: Pressed | None
) -> None:
    svc, tr = context.deps.registrations, context.tr
    if value == "edit":
        await svc.move(draft, Step.FIELD)
        await ask(update, context, draft, pressed=pressed)
        return
    if value == "cancel":
        await svc.discard(draft)
        await _say_cancelled(update, context, draft, pressed)
        return
    outcome = await svc.submit(draft)
    if outcome.kind == "created" and outcome.registration_id is not None:
        if outcome.duplicate_of is not None:
            _report_duplicate(update, context, outcome.duplicate_of, outcome.registration_id)
        await send(
            update,
            done_text(tr, context.deps, outcome.registration_id),
            after_keyboard(tr),
            pressed,
        )
        return
    if outcome.kind == "already_registered" and outcome.registration_id is not None:
        await svc.discard(draft)
        text = tr.gettext("You are already registered. Your reference number is {ref}.")
        await send(update, text.format(ref=reference(outcome.registration_id)), pressed=pressed)
        return
    await svc.move(draft, after_incomplete_send(draft.state))  # cannot normally happen
    await ask(update, context, draft, pressed=pressed)


async def _contact(update: Update, context: BotContext, draft: Draft) -> None:
    message, user, tr = update.effective_message, update.effective_user, context.tr
    if message is None or message.contact is None or user is None:
        return
    if message.contact.user_id != user.id:
        note = "⚠️ " + tr.gettext("Please share your own number with the button below, or type it.")
        await ask(update, context, draft, note)
        return
    try:
        value = parse_phone(message.contact.phone_number, from_contact=True)
    except Invalid as error:
        await ask(update, context, draft, reason(tr, error))
        return
    await _advance(update, context, draft, Step.PHONE, value)


async def change(update: Update, context: BotContext, draft: Draft) -> None:
    """/ubahdata in a new registration: which answer to change, once all are given."""
    to = change_step(draft)
    if to is not None:
        await context.deps.registrations.move(draft, to)
        await ask(update, context, draft)
        return
    note = context.tr.gettext(
        "First answer the remaining questions; at the end you can change any answer."
    )
    await ask(update, context, draft, note)


def _report_duplicate(
    update: Update, context: BotContext, registration_id: int, sent_as: int | None = None
) -> None:
    """A NIK of another registration was typed: the typist is told nothing different
    (issue 14, item 9: no oracle), every hit is logged and queued for the staff group
    (bot/errorreports.py: never awaited here, so the reply's timing tells nothing either).
    The registration, when sent (`sent_as`), is marked as a possible duplicate (/pendaftar,
    exports), and reported again with its own reference."""
    deps, user = context.deps, update.effective_user
    if user is None:
        return
    logger.warning(
        "user %s entered a NIK registered from another account (registration %s%s)",
        user.id,
        registration_id,
        f"; sent as registration {sent_as}" if sent_as else "",
    )
    staff_tr = deps.i18n.get(None)
    if sent_as is not None:
        deps.error_reports.notify(duplicate_sent_text(staff_tr, user.id, sent_as, registration_id))
        return
    deps.error_reports.notify(  # one typist's hits in 10 minutes: one post, then a count
        duplicate_typed_text(staff_tr, user.id, user.first_name or "-", registration_id),
        kind=f"NIK of another registration typed by Telegram user {user.id}",
    )


# ---- buttons ----------------------------------------------------------------------------------


async def on_button(update: Update, context: BotContext) -> None:
    """`rg:<nonce>:<step>:<value>`: a button of the dialogue."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    tr, svc = context.tr, context.deps.registrations
    pressed_button = StepButton.parse(query.data) or StepButton("", "", "")
    current = await svc.current(user.id)
    if current.expired is not None:
        await answer_quietly(query)
        await expired(update, context, current.expired)
        return
    draft = current.draft
    if draft is None or draft.nonce != pressed_button.nonce:
        await _stale(update, context, query, draft, pressed_button)
        return
    last_press = context.user_data.get(_LAST_PRESS) if context.user_data is not None else None
    if pressed_button.step != draft.step:
        await answer_quietly(query, tr.gettext("That button is from an earlier question."))
        if last_press != (_message_id(query), draft.nonce, draft.step):
            await ask(update, context, draft)
        # else: a second tap on the message that was just answered; the current question is
        # already on screen (in that very message, or right below it): not asked again.
        return
    pressed = Pressed(query, choice_text(tr, context.deps, draft, pressed_button.value))
    try:
        await on_value(update, context, draft, pressed_button.value, pressed)
    finally:
        if not pressed.used:  # nothing was shown (an error): still stop the button's spinner
            await answer_quietly(query)
    if context.user_data is not None:
        context.user_data[_LAST_PRESS] = (_message_id(query), draft.nonce, draft.step)


async def _stale(
    update: Update,
    context: BotContext,
    query: CallbackQuery,
    draft: Draft | None,
    pressed: StepButton,
) -> None:
    """A button of a dialogue that is over (or of an older one than the person's)."""
    tr = context.tr
    if pressed.step == Step.SUMMARY.value and pressed.value == "send":
        reg = await context.deps.registrations.registration(update.effective_user.id)  # type: ignore[union-attr]
        if reg is not None:  # a second tap on "Send"
            text = tr.gettext("Already sent ✅ Your reference number is {ref}.")
            await answer_quietly(query, text.format(ref=reg.reference))
            return
    if draft is None:
        text = tr.gettext("This button no longer works. Type /daftar to register.")
        await answer_quietly(query, text)
        return
    await answer_quietly(query, tr.gettext("That button is from an earlier message."))
    await ask(update, context, draft)


def _message_id(query: CallbackQuery) -> int | None:
    return query.message.message_id if query.message is not None else None
