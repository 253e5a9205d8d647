"""/daftar and the registration dialogue; /batal, /datasaya, /ubahdata, /hapusdata.

The dialogue's state is a row in `registration_drafts` (bot/registration.py), not PTB
conversation state, so every answer is on disk at once, a restart resumes at the same step,
and the 24-hour expiry follows the injected clock. Routing:

* group INPUT_GROUP (-50, after common's user tracking): a message from a user with a draft is
  an answer to the current step; it is handled here and stops there (ApplicationHandlerStop),
  so the FAQ and fallback handlers do not also answer it. Users without a draft pass through.
* group 0: the commands, the `menu:daftar` button, the `rg:` dialogue buttons, the `rgx:`
  buttons on stored data, and the `/start daftar[_source]` deep link (registered before
  start's own /start handler).
* group HINT_GROUP (1): after another feature answered a command (/bantuan, /start...) in the
  middle of the dialogue, repeat the current question so the person knows how to continue.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass
from typing import Any

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ExtBot,
    MessageHandler,
    filters,
)

from bot import callbacks
from bot.commands import REGISTRATION as COMMANDS
from bot.context import BotContext, Deps, SakporeApp, get_deps
from bot.erasure import Erased, enforce_retention, erase_person, holds_data
from bot.i18n import N_, Translator
from bot.registration import (
    BPJS_ANSWERS,
    CONSENT_TEXT,
    FIELD_FIRST_STEP,
    OTHER_OCCUPATION,
    OUTSIDE_CITY,
    TEXT_STEPS,
    Draft,
    Field,
    Invalid,
    Registration,
    RegistrationService,
    Step,
    apply_answer,
    first_missing,
    format_phone,
    mask_nik,
    match_bpjs,
    match_consent,
    match_label,
    parse_nik,
    parse_phone,
    reference,
    validate_free_text,
    validate_name,
)
from bot.sender import safe_send
from handlers.common import PRIVATE_INPUT
from handlers.ui import answer_quietly, answer_while, drop_buttons, edit_in_place, main_menu

logger = logging.getLogger(__name__)

INPUT_GROUP = -50
HINT_GROUP = 1

_OWN_COMMANDS = frozenset({*(name for name, _ in COMMANDS), "register", "cancel"})
_DEEP_LINK = re.compile(r"^/start(?:@\w+)?\s+daftar(?:_([A-Za-z0-9_-]{1,50}))?\s*$", re.IGNORECASE)

ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove

# user_data key: (message id, draft nonce, step after the press) of the last valid button press,
# to tell a second tap on that message (not asked again) from an earlier question's button.
_LAST_PRESS = "registration_last_press"

# Progress shown before each question of a new registration.
_PROGRESS = {
    Step.NAME: 1,
    Step.NIK: 2,
    Step.PHONE: 3,
    Step.OCCUPATION: 4,
    Step.KECAMATAN: 5,
    Step.BPJS: 6,
}
_TOTAL = 6

_BPJS_LABELS = {
    "ya": N_("Yes, already"),
    "belum": N_("Not yet"),
    "tidak_tahu": N_("I don't know"),
}
_FIELD_LABELS = {
    Field.NAME: N_("Name"),
    Field.NIK: N_("NIK"),
    Field.PHONE: N_("Phone number"),
    Field.OCCUPATION: N_("Work"),
    Field.PLACE: N_("Where you live"),
    Field.BPJS: N_("BPJS participant"),
}
# The answer a button step records, for the line that keeps a choice visible.
_STEP_FIELDS = {
    Step.OCCUPATION: Field.OCCUPATION,
    Step.KECAMATAN: Field.PLACE,
    Step.KELURAHAN: Field.PLACE,
    Step.BPJS: Field.BPJS,
}
_STATUS_LABELS = {
    "baru": N_("received, waiting for the staff to contact you"),
    "dihubungi": N_("the staff have contacted you"),
    "terdaftar_bpjs": N_("registered with BPJS Ketenagakerjaan"),
    "tidak_memenuhi_syarat": N_("does not meet the requirements"),
}


# ---- rendering ------------------------------------------------------------------------------


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data)


def _rows(buttons: list[InlineKeyboardButton], width: int = 2) -> list[list[InlineKeyboardButton]]:
    return [buttons[i : i + width] for i in range(0, len(buttons), width)]


def _cb(draft: Draft, step: Step, value: str) -> str:
    return callbacks.REG_STEP.pack(draft.nonce, step.value, value)


def occupation_text(tr: Translator, svc: RegistrationService, key: str, other: str | None) -> str:
    if key == OTHER_OCCUPATION:
        return html.escape(other or "-", quote=False)
    occupation = svc.catalog.occupation(key)
    return html.escape(occupation.label(tr.locale) if occupation else key, quote=False)


def place_text(tr: Translator, svc: RegistrationService, kecamatan: str, kelurahan: str) -> str:
    if kecamatan == OUTSIDE_CITY:
        return tr.gettext("outside Kota Pekalongan: {place}").format(
            place=html.escape(kelurahan, quote=False)
        )
    kec = svc.catalog.find_kecamatan(kecamatan)
    return tr.gettext("Kelurahan {kelurahan}, Kecamatan {kecamatan}").format(
        kelurahan=html.escape(kelurahan, quote=False),
        kecamatan=html.escape(kec.name if kec else kecamatan, quote=False),
    )


def data_lines(tr: Translator, svc: RegistrationService, answers: dict[str, object]) -> str:
    """The answers as lines (NIK masked), for the summary and /datasaya."""
    _ = tr.gettext
    lines = [
        _("<b>Name:</b> {value}").format(
            value=html.escape(str(answers.get("name") or "-"), quote=False)
        ),
        _("<b>NIK:</b> {value}").format(value=mask_nik(str(answers.get("nik") or "-" * 16))),
        _("<b>Phone:</b> {value}").format(value=format_phone(str(answers.get("phone") or "-"))),
        _("<b>Work:</b> {value}").format(
            value=occupation_text(
                tr,
                svc,
                str(answers.get("occupation") or ""),
                str(answers.get("occupation_other") or "") or None,
            )
        ),
        _("<b>Lives in:</b> {value}").format(
            value=place_text(
                tr, svc, str(answers.get("kecamatan") or ""), str(answers.get("kelurahan") or "")
            )
        ),
        _("<b>Already a BPJS Ketenagakerjaan participant:</b> {value}").format(
            value=_(_BPJS_LABELS.get(str(answers.get("bpjs")), "-"))
        ),
    ]
    return "\n".join(lines)


def _numbered(draft: Draft, step: Step, text: str) -> str:
    number = _PROGRESS.get(step)
    if draft.mode == "new" and number is not None:
        return f"({number}/{_TOTAL}) {text}"
    return text


def render_step(
    tr: Translator, deps: Deps, draft: Draft, short: bool = False
) -> tuple[str, ReplyMarkup | None]:
    """The question of the draft's current step, with its buttons."""
    _ = tr.gettext
    svc = deps.registrations
    step = draft.step
    if step is Step.CONSENT:
        keyboard = InlineKeyboardMarkup(
            [
                [
                    _button(_("✅ I agree"), _cb(draft, step, "yes")),
                    _button(_("❌ I do not agree"), _cb(draft, step, "no")),
                ]
            ]
        )
        if short:
            return _("Please press “I agree” or “I do not agree” below."), keyboard
        amount = tr.money(deps.settings.contribution_monthly_idr)
        return _(CONSENT_TEXT).format(amount=amount), keyboard
    if step is Step.NAME:
        return _numbered(draft, step, _("What is your full name, as written on your KTP?")), None
    if step is Step.NIK:
        text = _(
            "What is your NIK? It is the 16-digit number on your KTP or Kartu Keluarga.\n"
            "It is stored encrypted and is never shown in full."
        )
        return _numbered(draft, step, text), None
    if step is Step.PHONE:
        share = KeyboardButton(_("📱 Share my number"), request_contact=True)
        keyboard_phone = ReplyKeyboardMarkup(
            [[share]],
            resize_keyboard=True,
            one_time_keyboard=True,
            input_field_placeholder="08xx-xxxx-xxxx",
        )
        text = _(
            "What phone number can the staff call you on? Press <b>📱 Share my number</b> "
            "below, or type the number (08xx-xxxx-xxxx)."
        )
        return _numbered(draft, step, text), keyboard_phone
    if step is Step.OCCUPATION:
        buttons = [
            _button(o.label(tr.locale), _cb(draft, step, o.key)) for o in svc.catalog.occupations
        ]
        buttons.append(_button(_("✏️ Other (type it)"), _cb(draft, step, OTHER_OCCUPATION)))
        text = _("What is your main work? Choose one, or “Other” to type it.")
        return _numbered(draft, step, text), InlineKeyboardMarkup(_rows(buttons))
    if step is Step.OCCUPATION_OTHER:
        return _("Please type your work in a few words."), None
    if step is Step.KECAMATAN:
        buttons = [_button(k.name, _cb(draft, step, k.key)) for k in svc.catalog.kecamatan]
        buttons.append(_button(_("Outside Kota Pekalongan"), _cb(draft, step, OUTSIDE_CITY)))
        text = _("Where do you live? Choose your kecamatan.")
        return _numbered(draft, step, text), InlineKeyboardMarkup(_rows(buttons))
    if step is Step.KELURAHAN:
        kec = svc.catalog.find_kecamatan(str(draft.data.get("kecamatan")))
        if kec is None:  # the places file changed under the draft: ask the kecamatan again
            draft.step = Step.KECAMATAN
            return render_step(tr, deps, draft, short)
        buttons = [_button(k.name, _cb(draft, step, k.key)) for k in kec.kelurahan]
        rows = _rows(buttons)
        rows.append([_button(_("⬅️ Back"), _cb(draft, step, "back"))])
        text = _("Choose your kelurahan in Kecamatan {kecamatan}:").format(
            kecamatan=html.escape(kec.name, quote=False)
        )
        return text, InlineKeyboardMarkup(rows)
    if step is Step.PLACE_OTHER:
        return (
            _(
                "Please type where you live: the kabupaten or city, for example Kabupaten "
                "Pekalongan or Batang."
            ),
            None,
        )
    if step is Step.BPJS:
        buttons = [_button(_(label), _cb(draft, step, key)) for key, label in _BPJS_LABELS.items()]
        text = _("Are you already a BPJS Ketenagakerjaan participant?")
        return _numbered(draft, step, text), InlineKeyboardMarkup(_rows(buttons, 3))
    if step is Step.SUMMARY:
        keyboard = InlineKeyboardMarkup(
            [
                [_button(_("📨 Send"), _cb(draft, step, "send"))],
                [
                    _button(_("✏️ Change"), _cb(draft, step, "edit")),
                    _button(_("✖️ Cancel"), _cb(draft, step, "cancel")),
                ],
            ]
        )
        text = "\n\n".join(
            [
                _("Please check your data:"),
                data_lines(tr, svc, draft.data),
                _("Is everything correct? Press <b>Send</b>."),
            ]
        )
        return text, keyboard
    # Step.FIELD
    buttons = [
        _button(_(label), _cb(draft, step, field.value)) for field, label in _FIELD_LABELS.items()
    ]
    rows = _rows(buttons)
    rows.append([_button(_("⬅️ Back"), _cb(draft, step, "back"))])
    return _("Which answer do you want to change?"), InlineKeyboardMarkup(rows)


@dataclass
class Pressed:
    """A press on a button of the current question. The first reply to it replaces the pressed
    message (one edit, answered at the same time) instead of removing its buttons and sending
    a new message; `choice` stays visible above the reply."""

    query: CallbackQuery
    choice: str | None
    used: bool = False  # the press is answered and its message edited or stripped of buttons


async def _send(
    update: Update, text: str, markup: ReplyMarkup | None = None, pressed: Pressed | None = None
) -> None:
    """Send `text`; as the first reply to a button press, show it in the pressed message."""
    if pressed is not None and not pressed.used:
        pressed.used = True
        if await _show_in_pressed(pressed, text, markup):
            return
    chat = update.effective_chat
    if chat is None:
        return
    await chat.send_message(text, parse_mode=ParseMode.HTML, reply_markup=markup)


async def _show_in_pressed(pressed: Pressed, text: str, markup: ReplyMarkup | None) -> bool:
    """Edit the pressed message into the choice and `text`. False: send `text` as a new
    message instead (the press is answered and the old buttons are gone either way)."""
    query = pressed.query
    if isinstance(markup, ReplyKeyboardMarkup | ReplyKeyboardRemove):
        # A reply keyboard (the phone step's "share my number") only comes with a new message.
        await answer_while(query, drop_buttons(query))
        return False
    shown = f"{pressed.choice}\n\n{text}" if pressed.choice else text
    if await edit_in_place(query, shown, markup):
        return True
    await drop_buttons(query)  # after "message is not modified"; fails quietly if gone
    return False


async def ask(
    update: Update,
    context: BotContext,
    draft: Draft,
    note: str | None = None,
    short: bool = False,
    pressed: Pressed | None = None,
) -> None:
    """Send the current step's question, after an optional note (a reason, a hint)."""
    text, markup = render_step(context.tr, context.deps, draft, short=short)
    if note:
        text = f"{note}\n\n{text}"
    await _send(update, text, markup, pressed)


def _reason(tr: Translator, error: Invalid) -> str:
    return "⚠️ " + tr.gettext(error.reason).format(**error.params)


def _expired_text(tr: Translator) -> str:
    return tr.gettext(
        "Your registration was not finished within 24 hours, so I closed it and deleted the "
        "answers. Type /daftar to start again."
    )


async def _tell_expired(update: Update, context: BotContext, step: Step | None) -> None:
    markup = ReplyKeyboardRemove() if step is Step.PHONE else main_menu(context.tr)
    await _send(update, _expired_text(context.tr), markup)


# ---- ways in --------------------------------------------------------------------------------


def registered_text(tr: Translator, svc: RegistrationService, reg: Registration) -> str:
    _ = tr.gettext
    status = _(_STATUS_LABELS.get(reg.status, reg.status))
    return "\n".join(
        [
            _("<b>Your registration {ref}</b>").format(ref=reg.reference),
            _("Sent: {date}").format(date=tr.date(reg.created_at)),
            _("Status: {status}").format(status=status),
            "",
            data_lines(tr, svc, reg.answers()),
            "",
            _("You agreed to the data use on {date}.").format(date=tr.datetime(reg.consent_at)),
        ]
    )


def _account_keyboard(tr: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                _button(tr.gettext("✏️ Change data"), callbacks.REG_EDIT.pack()),
                _button(tr.gettext("🗑 Delete data"), callbacks.REG_DELETE.pack()),
            ]
        ]
    )


async def begin(update: Update, context: BotContext, source: str) -> None:
    """Every way in (/daftar, the menu, FAQ buttons, deep links) ends here."""
    user = update.effective_user
    if user is None or update.effective_chat is None:
        return
    if update.effective_chat.type != ChatType.PRIVATE:
        return
    svc = context.deps.registrations
    tr = context.tr
    reg = await svc.registration(user.id)
    if reg is not None:
        current = await svc.current(user.id)
        if current.draft is not None:
            await svc.discard(user.id)
        text = "\n\n".join(
            [
                tr.gettext("You are already registered. This is what I have stored:"),
                registered_text(tr, svc, reg),
                tr.gettext("Is something wrong? You can change it."),
            ]
        )
        await _send(update, text, _account_keyboard(tr))
        return
    current = await svc.current(user.id)
    if current.draft is not None:
        note = tr.gettext("You already started registering. Let us continue:")
        await ask(update, context, current.draft, note)
        return
    draft = await svc.start(user.id, source)
    await ask(update, context, draft)


async def daftar(update: Update, context: BotContext) -> None:
    """/daftar: start (or continue) the registration."""
    await begin(update, context, "command")


async def menu_daftar(update: Update, context: BotContext) -> None:
    """The "Daftar" button of the main menu (and of FAQ answers)."""
    if update.callback_query is not None:
        await answer_quietly(update.callback_query)
    await begin(update, context, "menu")


async def start_daftar(update: Update, context: BotContext) -> None:
    """Deep links t.me/<bot>?start=daftar and ?start=daftar_<source> (posters)."""
    user, message = update.effective_user, update.effective_message
    if user is None or message is None or not message.text:
        return
    match = _DEEP_LINK.match(message.text)
    if context.args:
        await context.deps.users.record_start_payload(user.id, context.args[0])
    poster = match.group(1) if match else None
    await begin(update, context, f"link:{poster.lower()}" if poster else "link")


# ---- answers --------------------------------------------------------------------------------


def _report_duplicate(
    update: Update, context: BotContext, registration_id: int, sent_as: int | None = None
) -> None:
    """A NIK of another registration was typed: the typist is told nothing different
    (issue 14, item 9: no oracle), every hit is logged and queued for the staff group
    (bot/errorreports.py: never awaited here, so the reply's timing tells nothing either).
    The registration, when sent (`sent_as`), is marked as a possible duplicate (/pendaftar,
    exports), and reported again with its own reference."""
    deps = context.deps
    user = update.effective_user
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
        deps.error_reports.notify(
            staff_tr.gettext(
                "⚠️ <b>Registration: possible duplicate</b>\n"
                "Registration {new} (Telegram user {user_id}) was sent with the NIK of "
                "registration {ref}. It is marked in /pendaftar and in exports. Please check "
                "with both people."
            ).format(new=reference(sent_as), user_id=user.id, ref=reference(registration_id))
        )
        return
    deps.error_reports.notify(  # one typist's hits in 10 minutes: one post, then a count
        staff_tr.gettext(
            "⚠️ <b>Registration: NIK already registered</b>\n"
            "Telegram user {user_id} ({name}) entered a NIK that is already in registration "
            "{ref}. They were not told. If they send the registration, it is marked as a "
            "possible duplicate in /pendaftar and in exports. Please check with both people."
        ).format(
            user_id=user.id,
            name=html.escape(user.first_name or "-", quote=False),
            ref=reference(registration_id),
        ),
        kind=f"NIK of another registration typed by Telegram user {user.id}",
    )


async def _advance(
    update: Update,
    context: BotContext,
    draft: Draft,
    step: Step,
    value: str,
    pressed: Pressed | None = None,
) -> None:
    """Record a valid answer; ask the next question, or save an /ubahdata change."""
    svc = context.deps.registrations
    tr = context.tr
    following = apply_answer(draft, step, value)
    if step is Step.PHONE:
        confirmed = tr.gettext("✅ Number saved: {phone}").format(phone=format_phone(value))
        await _send(update, confirmed, ReplyKeyboardRemove())
    if following is None:
        ok = await svc.apply_edit(draft)
        reg = await svc.registration(draft.user_id)
        if not ok or reg is None:
            await _send(
                update,
                tr.gettext("Sorry, the change could not be saved. Please try again: /ubahdata"),
                pressed=pressed,
            )
            return
        text = "\n\n".join([tr.gettext("✅ Saved."), registered_text(tr, svc, reg)])
        await _send(update, text, _account_keyboard(tr), pressed)
        return
    draft.step = following
    await svc.save(draft)
    await ask(update, context, draft, pressed=pressed)


async def on_value(
    update: Update, context: BotContext, draft: Draft, value: str, pressed: Pressed | None = None
) -> None:
    """A button press (`pressed`) or its typed label for the draft's current button step."""
    svc = context.deps.registrations
    tr = context.tr
    step = draft.step
    if step is Step.CONSENT:
        if value == "yes":
            await svc.give_consent(draft)
            await ask(update, context, draft, tr.gettext("Thank you! 🙏"), pressed=pressed)
        else:
            await svc.discard(draft.user_id)
            await _send(
                update,
                tr.gettext(
                    "All right, nothing has been stored. If you change your mind, type /daftar."
                ),
                main_menu(tr),
                pressed,
            )
        return
    if step is Step.OCCUPATION and (
        value == OTHER_OCCUPATION or svc.catalog.occupation(value) is not None
    ):
        await _advance(update, context, draft, step, value, pressed)
        return
    if step is Step.KECAMATAN and (
        value == OUTSIDE_CITY or svc.catalog.find_kecamatan(value) is not None
    ):
        await _advance(update, context, draft, step, value, pressed)
        return
    if step is Step.KELURAHAN:
        if value == "back":
            draft.step = Step.KECAMATAN
            await svc.save(draft)
            await ask(update, context, draft, pressed=pressed)
            return
        kec = svc.catalog.find_kecamatan(str(draft.data.get("kecamatan")))
        kel = kec.find(value) if kec else None
        if kel is not None:
            await _advance(update, context, draft, step, kel.name, pressed)
            return
    if step is Step.BPJS and value in BPJS_ANSWERS:
        await _advance(update, context, draft, step, value, pressed)
        return
    if step is Step.SUMMARY:
        await on_summary(update, context, draft, value, pressed)
        return
    if step is Step.FIELD:
        await on_field(update, context, draft, value, pressed)
        return
    note = "⚠️ " + tr.gettext("Please choose one of the buttons.")
    await ask(update, context, draft, note, pressed=pressed)


async def on_summary(
    update: Update, context: BotContext, draft: Draft, value: str, pressed: Pressed | None = None
) -> None:
    svc = context.deps.registrations
    tr = context.tr
    if value == "edit":
        draft.step = Step.FIELD
        await svc.save(draft)
        await ask(update, context, draft, pressed=pressed)
        return
    if value == "cancel":
        await cancel_draft(update, context, draft, pressed)
        return
    if value != "send":
        note = "⚠️ " + tr.gettext("Please choose one of the buttons.")
        await ask(update, context, draft, note, pressed=pressed)
        return
    outcome = await svc.submit(draft)
    if outcome.kind == "created" and outcome.registration_id is not None:
        if outcome.duplicate_of is not None:
            _report_duplicate(update, context, outcome.duplicate_of, outcome.registration_id)
        text = done_text(tr, context.deps, outcome.registration_id)
        await _send(update, text, _after_keyboard(tr), pressed)
        return
    if outcome.kind == "already_registered" and outcome.registration_id is not None:
        await svc.discard(draft.user_id)
        await _send(
            update,
            tr.gettext("You are already registered. Your reference number is {ref}.").format(
                ref=reference(outcome.registration_id)
            ),
            pressed=pressed,
        )
        return
    # Incomplete (cannot normally happen): back to the consent or the first missing answer.
    if not draft.data.get("consent_at"):
        draft.step = Step.CONSENT
    else:
        draft.step = first_missing(draft.data) or Step.SUMMARY
    await svc.save(draft)
    await ask(update, context, draft, pressed=pressed)


def done_text(tr: Translator, deps: Deps, registration_id: int) -> str:
    return tr.gettext(
        "✅ Thank you! Your registration has been received.\n"
        "Reference number: <b>{ref}</b>\n\n"
        "<b>What happens next:</b> the Program Pekalongan Sakpore staff will contact you on the "
        "number you gave, to help you join BPJS Ketenagakerjaan. Keep the reference number "
        "for when they call. The contribution is {amount} a month.\n\n"
        "See your data at any time with /datasaya.\n"
        "Would you like a monthly reminder to pay the contribution?"
    ).format(
        ref=reference(registration_id), amount=tr.money(deps.settings.contribution_monthly_idr)
    )


def _after_keyboard(tr: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[_button(tr.gettext("⏰ Set a payment reminder"), callbacks.MENU_REMINDER.pack())]]
    )


async def on_field(
    update: Update, context: BotContext, draft: Draft, value: str, pressed: Pressed | None = None
) -> None:
    svc = context.deps.registrations
    if value == "back":
        if draft.mode == "new":
            draft.step = Step.SUMMARY
            await svc.save(draft)
            await ask(update, context, draft, pressed=pressed)
        else:
            await svc.discard(draft.user_id)
            await _send(update, context.tr.gettext("OK, nothing was changed."), pressed=pressed)
        return
    if value not in Field._value2member_map_:
        note = "⚠️ " + context.tr.gettext("Please choose one of the buttons.")
        await ask(update, context, draft, note, pressed=pressed)
        return
    draft.step = FIELD_FIRST_STEP[Field(value)]
    await svc.save(draft)
    await ask(update, context, draft, pressed=pressed)


async def on_text(update: Update, context: BotContext, draft: Draft, text: str) -> None:
    """Typed text at a typing step; at a button step, a typed button label is accepted."""
    svc = context.deps.registrations
    tr = context.tr
    step = draft.step
    if step not in TEXT_STEPS:
        value = _typed_choice(context, draft, text)
        if value is None:
            short = step is Step.CONSENT
            note = "⚠️ " + tr.gettext("Please choose one of the buttons.")
            await ask(update, context, draft, None if short else note, short=short)
            return
        await on_value(update, context, draft, value)
        return
    try:
        if step is Step.NAME:
            value = validate_name(text)
        elif step is Step.NIK:
            value = parse_nik(text, svc.today())
            if (other := await svc.nik_registered_by_other(draft.user_id, value)) is not None:
                _report_duplicate(update, context, other)  # and the dialogue goes on
        elif step is Step.PHONE:
            value = parse_phone(text)
        else:  # OCCUPATION_OTHER, PLACE_OTHER
            value = validate_free_text(text)
    except Invalid as error:
        await ask(update, context, draft, _reason(tr, error))
        return
    await _advance(update, context, draft, step, value)


def _typed_choice(context: BotContext, draft: Draft, text: str) -> str | None:
    """The button value a typed answer stands for, if any."""
    svc = context.deps.registrations
    tr = context.tr
    step = draft.step
    if len(text) > 200:
        return None
    if step is Step.CONSENT:
        agreed = match_consent(text)
        return None if agreed is None else ("yes" if agreed else "no")
    if step is Step.BPJS:
        return match_bpjs(text)
    options: dict[str, list[str]] = {}
    if step is Step.OCCUPATION:
        options = {o.key: list(o.labels.values()) for o in svc.catalog.occupations}
        options[OTHER_OCCUPATION] = ["lainnya", "other", tr.gettext("✏️ Other (type it)")]
    elif step is Step.KECAMATAN:
        options = {k.key: [k.name] for k in svc.catalog.kecamatan}
        options[OUTSIDE_CITY] = ["Luar Kota Pekalongan", tr.gettext("Outside Kota Pekalongan")]
    elif step is Step.KELURAHAN:
        kec = svc.catalog.find_kecamatan(str(draft.data.get("kecamatan")))
        options = {k.key: [k.name] for k in kec.kelurahan} if kec else {}
    elif step is Step.SUMMARY:
        options = {
            "send": ["kirim", "send", tr.gettext("📨 Send")],
            "edit": ["ubah", "change", tr.gettext("✏️ Change")],
            "cancel": ["batal", "cancel", tr.gettext("✖️ Cancel")],
        }
    elif step is Step.FIELD:
        options = {f.value: [tr.gettext(label), f.value] for f, label in _FIELD_LABELS.items()}
    return match_label(text, options)


async def on_contact(update: Update, context: BotContext, draft: Draft) -> None:
    message = update.effective_message
    user = update.effective_user
    if message is None or message.contact is None or user is None:
        return
    tr = context.tr
    if message.contact.user_id != user.id:
        note = "⚠️ " + tr.gettext("Please share your own number with the button below, or type it.")
        await ask(update, context, draft, note)
        return
    try:
        value = parse_phone(message.contact.phone_number, from_contact=True)
    except Invalid as error:
        await ask(update, context, draft, _reason(tr, error))
        return
    await _advance(update, context, draft, Step.PHONE, value)


async def on_message(update: Update, context: BotContext) -> None:
    """Any message from a user with a draft is an answer to the current step."""
    user, message = update.effective_user, update.effective_message
    if user is None or message is None:
        return
    svc = context.deps.registrations
    current = await svc.current(user.id)
    if current.expired:
        await _tell_expired(update, context, current.expired_step)
        raise ApplicationHandlerStop
    draft = current.draft
    if draft is None:
        return  # not registering: the other features answer
    tr = context.tr
    if draft.step is Step.PHONE and message.contact is not None:
        await on_contact(update, context, draft)
    elif message.text is not None:
        await on_text(update, context, draft, message.text)
    elif draft.step in TEXT_STEPS:
        note = "⚠️ " + tr.gettext("I can only read typed text here.")
        await ask(update, context, draft, note)
    else:
        await ask(update, context, draft, "⚠️ " + tr.gettext("Please choose one of the buttons."))
    raise ApplicationHandlerStop


# ---- buttons --------------------------------------------------------------------------------


async def on_button(update: Update, context: BotContext) -> None:
    """`rg:<nonce>:<step>:<value>`: a button of the dialogue."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None or query.data is None:
        return
    tr = context.tr
    svc = context.deps.registrations
    parsed = callbacks.REG_STEP.parse(query.data)
    nonce, step, value = (
        (parsed.text(0), parsed.text(1), parsed.text(2)) if parsed else ("", "", "")
    )
    current = await svc.current(user.id)
    if current.expired:
        await answer_quietly(query)
        await _tell_expired(update, context, current.expired_step)
        return
    draft = current.draft
    if draft is None or draft.nonce != nonce:
        if step == Step.SUMMARY.value and value == "send":
            reg = await svc.registration(user.id)
            if reg is not None:  # a second tap on "Send"
                await answer_quietly(
                    query,
                    tr.gettext("Already sent ✅ Your reference number is {ref}.").format(
                        ref=reg.reference
                    ),
                )
                return
        if draft is None:
            await answer_quietly(
                query, tr.gettext("This button no longer works. Type /daftar to register.")
            )
            return
        await answer_quietly(query, tr.gettext("That button is from an earlier message."))
        await ask(update, context, draft)
        return
    last_press = context.user_data.get(_LAST_PRESS) if context.user_data is not None else None
    if step != draft.step.value:
        await answer_quietly(query, tr.gettext("That button is from an earlier question."))
        if last_press != (_message_id(query), draft.nonce, draft.step.value):
            await ask(update, context, draft)
        # else: a second tap on the message that was just answered; the current question is
        # already on screen (in that very message, or right below it): not asked again.
        return
    pressed = Pressed(query, choice_text(tr, context.deps, draft, value))
    try:
        await on_value(update, context, draft, value, pressed)
    finally:
        if not pressed.used:  # nothing was shown (an error): still stop the button's spinner
            await answer_quietly(query)
    if context.user_data is not None:
        context.user_data[_LAST_PRESS] = (_message_id(query), draft.nonce, draft.step.value)


def _message_id(query: CallbackQuery) -> int | None:
    return query.message.message_id if query.message is not None else None


def choice_text(tr: Translator, deps: Deps, draft: Draft, value: str) -> str | None:
    """What a press on the current question chose, kept visible above the reply to it.

    The consent keeps its whole text (what the person agreed to stays readable); the summary's
    Send and Change keep the data; other answers become "✅ Work: Becak driver".
    """
    _ = tr.gettext
    svc = deps.registrations
    step = draft.step
    shown: str | None = None
    if step is Step.CONSENT and value in ("yes", "no"):
        consent, _markup = render_step(tr, deps, draft)
        agreed = _("✅ I agree") if value == "yes" else _("❌ I do not agree")
        return f"{consent}\n\n<b>{agreed}</b>"
    if step is Step.OCCUPATION:
        if value == OTHER_OCCUPATION:
            shown = _("Other")
        elif svc.catalog.occupation(value) is not None:
            shown = occupation_text(tr, svc, value, None)
    elif step is Step.KECAMATAN:
        kec = svc.catalog.find_kecamatan(value)
        if value == OUTSIDE_CITY:
            shown = _("Outside Kota Pekalongan")
        elif kec is not None:
            shown = html.escape(kec.name, quote=False)
    elif step is Step.KELURAHAN:
        kecamatan = str(draft.data.get("kecamatan"))
        found = svc.catalog.find_kecamatan(kecamatan)
        kel = found.find(value) if found else None
        if kel is not None:
            shown = place_text(tr, svc, kecamatan, kel.name)
    elif step is Step.BPJS and value in _BPJS_LABELS:
        shown = _(_BPJS_LABELS[value])
    elif step is Step.SUMMARY and value in ("send", "edit"):
        return data_lines(tr, svc, draft.data)
    elif step is Step.FIELD and value in Field._value2member_map_:
        return "✏️ " + _(_FIELD_LABELS[Field(value)])
    field = _STEP_FIELDS.get(step)
    if shown is None or field is None:
        return None
    return _("✅ {label}: {value}").format(label=_(_FIELD_LABELS[field]), value=shown)


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
    elif confirmed := callbacks.REG_DELETE_CONFIRM.parse(data):
        await drop_buttons(query)
        await confirm_delete(update, context, confirmed.num(0))
    elif callbacks.REG_KEEP.parse(data):
        await drop_buttons(query)
        await _send(update, context.tr.gettext("OK, your data is kept."))


# ---- commands -------------------------------------------------------------------------------


async def cancel(update: Update, context: BotContext) -> None:
    """/batal during a registration: end it; nothing of it is stored.

    Without a registration in progress it passes /batal on, so another feature's dialogue
    can have its own /batal; `nothing_to_cancel` answers last.
    """
    user = update.effective_user
    if user is None:
        return
    current = await context.deps.registrations.current(user.id)
    if current.expired:
        await _tell_expired(update, context, current.expired_step)
        raise ApplicationHandlerStop
    if current.draft is None:
        return
    await cancel_draft(update, context, current.draft)
    raise ApplicationHandlerStop


async def nothing_to_cancel(update: Update, context: BotContext) -> None:
    """/batal when no feature had anything in progress."""
    await _send(update, context.tr.gettext("There is nothing to cancel."), main_menu(context.tr))


async def cancel_draft(
    update: Update, context: BotContext, draft: Draft, pressed: Pressed | None = None
) -> None:
    """Discard the draft and say so (the reply keyboard goes too)."""
    tr = context.tr
    await context.deps.registrations.discard(draft.user_id)
    if draft.mode == "edit":
        text = tr.gettext("Cancelled. Your data stays as it was.")
    else:
        text = tr.gettext(
            "Registration cancelled. Nothing from it was stored. Type /daftar to start again."
        )
    if draft.step is Step.PHONE:
        await _send(update, text, ReplyKeyboardRemove(), pressed)
    else:
        await _send(update, text, main_menu(tr), pressed)


async def datasaya(update: Update, context: BotContext) -> None:
    """/datasaya: what is stored about me (NIK masked)."""
    user = update.effective_user
    if user is None:
        return
    svc = context.deps.registrations
    tr = context.tr
    reg = await svc.registration(user.id)
    if reg is not None:
        text = "\n\n".join(
            [
                registered_text(tr, svc, reg),
                tr.gettext("Change: /ubahdata · Delete: /hapusdata"),
            ]
        )
        await _send(update, text, _account_keyboard(tr))
        return
    current = await svc.current(user.id)
    if current.draft is not None and current.draft.mode == "new":
        await _send(
            update,
            tr.gettext(
                "You have not sent a registration yet. Your unfinished answers are kept for 24 "
                "hours: continue with /daftar or delete them with /batal."
            ),
        )
        return
    await _send(
        update,
        tr.gettext("I have no registration data from you. Type /daftar to register."),
    )


async def ubahdata(update: Update, context: BotContext) -> None:
    """/ubahdata: choose an answer to correct."""
    user = update.effective_user
    if user is None:
        return
    svc = context.deps.registrations
    tr = context.tr
    reg = await svc.registration(user.id)
    if reg is not None:
        edit = await svc.start(user.id, None, mode="edit", step=Step.FIELD)
        await ask(update, context, edit)
        return
    current = await svc.current(user.id)
    draft = current.draft
    if draft is not None and draft.mode == "new":
        if draft.step in (Step.SUMMARY, Step.FIELD):
            draft.step = Step.FIELD
            await svc.save(draft)
            await ask(update, context, draft)
        else:
            note = tr.gettext(
                "First answer the remaining questions; at the end you can change any answer."
            )
            await ask(update, context, draft, note)
        return
    await _send(update, tr.gettext("You have not registered yet. Type /daftar to register."))


async def hapusdata(update: Update, context: BotContext) -> None:
    """/hapusdata: delete my data, after a confirmation button (with or without a
    registration: questions and hand-off threads, an open one included, only when confirmed)."""
    user = update.effective_user
    if user is None:
        return
    tr = context.tr
    reg = await context.deps.registrations.registration(user.id)
    if reg is None and not await holds_data(context.deps, user.id):
        await _send(update, tr.gettext("I have no data from you. Nothing to delete."))
        return
    keyboard = InlineKeyboardMarkup(
        [
            [
                # 0: confirmed with no registration (registration ids start at 1).
                _button(
                    tr.gettext("🗑 Yes, delete"),
                    callbacks.REG_DELETE_CONFIRM.pack(reg.id if reg else 0),
                ),
                _button(tr.gettext("No, keep it"), callbacks.REG_KEEP.pack()),
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
    await _send(update, text, keyboard)


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
        await _send(update, tr.gettext("This button is out of date. Type /hapusdata again."))
        return
    unfinished = registration_id == 0 and draft is not None
    if not erased.anything and not unfinished:
        await _send(update, tr.gettext("There is nothing to delete any more."), main_menu(tr))
        return
    on_phone = unfinished and draft is not None and draft.step is Step.PHONE
    markup = ReplyKeyboardRemove() if on_phone else main_menu(tr)
    await _send(update, erased_text(tr, erased, unfinished=unfinished), markup)


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


async def continue_hint(update: Update, context: BotContext) -> None:
    """After another command in the middle of the dialogue: repeat the current question."""
    user, message = update.effective_user, update.effective_message
    if user is None or message is None or not message.text:
        return
    command = message.text.split(maxsplit=1)[0].lstrip("/").split("@")[0].lower()
    if command in _OWN_COMMANDS or _DEEP_LINK.match(message.text):
        return
    current = await context.deps.registrations.current(user.id)
    if current.draft is None:
        return
    note = context.tr.gettext(
        "📝 Your registration is not finished yet. Answer below to continue, or type /batal."
    )
    await ask(update, context, current.draft, note, short=current.draft.step is Step.CONSENT)


# ---- the background job ---------------------------------------------------------------------


async def expire_drafts(deps: Deps, bot: ExtBot[Any]) -> int:
    """Discard drafts untouched for 24 hours; tell each person once. Returns how many."""
    expired = await deps.registrations.expire_drafts()
    for row in expired:
        if row.mode != "new":
            continue
        record = await deps.users.get(row.user_id)
        if record is None or record.blocked_at is not None:
            continue
        tr = deps.i18n.get(record.language)
        markup = ReplyKeyboardRemove() if row.step == Step.PHONE.value else None
        await safe_send(bot, row.user_id, _expired_text(tr), reply_markup=markup, users=deps.users)
    if expired:
        logger.info("discarded %s registration drafts older than 24 hours", len(expired))
    return len(expired)


async def expire_drafts_job(context: BotContext) -> None:
    await expire_drafts(context.deps, context.bot)
    # The same housekeeping run keeps the question log within QUESTION_RETENTION_DAYS.
    removed = await enforce_retention(context.deps)
    if removed:
        logger.info("deleted %s logged questions past the retention period", removed)


def start_jobs(app: SakporeApp) -> None:
    """The periodic housekeeping job: draft expiry and the question log's retention (the
    database is the schedule)."""
    if app.job_queue is None:
        return
    interval = get_deps(app).settings.worker_interval_seconds
    app.job_queue.run_repeating(expire_drafts_job, interval=interval, first=interval)


def register(app: SakporeApp) -> None:
    """Add the handlers; call before start.register (the deep link must win over /start)."""
    private = filters.ChatType.PRIVATE
    app.add_handler(
        MessageHandler(
            PRIVATE_INPUT & ~filters.COMMAND,
            on_message,
        ),
        group=INPUT_GROUP,
    )
    app.add_handler(CommandHandler(["batal", "cancel"], cancel, filters=private), INPUT_GROUP)
    app.add_handler(
        CommandHandler("start", start_daftar, filters=private & filters.Regex(_DEEP_LINK))
    )
    app.add_handler(CommandHandler(["daftar", "register"], daftar, filters=private))
    app.add_handler(CommandHandler("datasaya", datasaya, filters=private))
    app.add_handler(CommandHandler("ubahdata", ubahdata, filters=private))
    app.add_handler(CommandHandler("hapusdata", hapusdata, filters=private))
    app.add_handler(CallbackQueryHandler(menu_daftar, pattern=callbacks.MENU_REGISTER.pattern))
    app.add_handler(CallbackQueryHandler(on_button, pattern=callbacks.family("rg")))
    app.add_handler(CallbackQueryHandler(on_account_button, pattern=callbacks.family("rgx")))
    app.add_handler(
        MessageHandler(private & filters.COMMAND, continue_hint),
        group=HINT_GROUP,
    )


def register_fallbacks(app: SakporeApp) -> None:
    """Answers that must come after every feature's own handlers (just before fallback)."""
    app.add_handler(
        CommandHandler(["batal", "cancel"], nothing_to_cancel, filters=filters.ChatType.PRIVATE)
    )
