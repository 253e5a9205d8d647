"""Registration's questions (texts and keyboards, handlers/registration_texts.py for the rest)
and how a reply is shown: in the pressed message or as a new one. No decisions here:
bot/registration/ decides, this draws."""

from __future__ import annotations

import html
from dataclasses import dataclass

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)

from bot.context import BotContext, Deps
from bot.i18n import Translator
from bot.registration import (
    CONSENT_TEXT,
    OTHER_OCCUPATION,
    OUTSIDE_CITY,
    Draft,
    Field,
    Step,
)
from bot.registration.buttons import StepButton
from bot.registration.flow import FIELD_LABELS, STEP_FIELDS, is_edit, kelurahan_shown, step_of
from bot.registration.options import (
    AGREE,
    BACK,
    BPJS_LABELS,
    CANCEL,
    CHANGE,
    DISAGREE,
    OTHER_TYPE_IT,
    OUTSIDE_LABEL,
    SEND,
)
from handlers.registration_texts import data_lines, occupation_text, place_text
from handlers.ui import answer_while, drop_buttons, edit_in_place

ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove

# Progress shown before each question of a new registration.
PROGRESS = {
    Step.NAME: 1,
    Step.NIK: 2,
    Step.PHONE: 3,
    Step.OCCUPATION: 4,
    Step.KECAMATAN: 5,
    Step.BPJS: 6,
}
TOTAL = 6


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data)


def _rows(buttons: list[InlineKeyboardButton], width: int = 2) -> list[list[InlineKeyboardButton]]:
    return [buttons[i : i + width] for i in range(0, len(buttons), width)]


def _cb(draft: Draft, step: Step, value: str) -> str:
    return StepButton(draft.nonce, step.value, value).pack()


# ---- the questions ----------------------------------------------------------------------------


def _numbered(draft: Draft, step: Step, text: str) -> str:
    number = PROGRESS.get(step)
    if not is_edit(draft) and number is not None:
        return f"({number}/{TOTAL}) {text}"
    return text


def render_step(
    tr: Translator, deps: Deps, draft: Draft, short: bool = False
) -> tuple[str, ReplyMarkup | None]:
    """The question of the draft's current step, with its buttons."""
    _ = tr.gettext
    svc = deps.registrations
    step = step_of(draft)
    if step is Step.CONSENT:
        keyboard = InlineKeyboardMarkup(
            [
                [
                    _button(_(AGREE), _cb(draft, step, "yes")),
                    _button(_(DISAGREE), _cb(draft, step, "no")),
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
        buttons.append(_button(_(OTHER_TYPE_IT), _cb(draft, step, OTHER_OCCUPATION)))
        text = _("What is your main work? Choose one, or “Other” to type it.")
        return _numbered(draft, step, text), InlineKeyboardMarkup(_rows(buttons))
    if step is Step.OCCUPATION_OTHER:
        return _("Please type your work in a few words."), None
    if step is Step.KECAMATAN or (step is Step.KELURAHAN and not kelurahan_shown(draft)):
        draft.step = Step.KECAMATAN.value  # the places file may have changed under the draft
        buttons = [
            _button(k.name, _cb(draft, Step.KECAMATAN, k.key)) for k in svc.catalog.kecamatan
        ]
        buttons.append(_button(_(OUTSIDE_LABEL), _cb(draft, Step.KECAMATAN, OUTSIDE_CITY)))
        text = _("Where do you live? Choose your kecamatan.")
        return _numbered(draft, Step.KECAMATAN, text), InlineKeyboardMarkup(_rows(buttons))
    if step is Step.KELURAHAN:
        kec = svc.catalog.find_kecamatan(str(draft.state.kecamatan))
        assert kec is not None  # kelurahan_shown
        rows = _rows([_button(k.name, _cb(draft, step, k.key)) for k in kec.kelurahan])
        rows.append([_button(_(BACK), _cb(draft, step, "back"))])
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
        buttons = [_button(_(label), _cb(draft, step, key)) for key, label in BPJS_LABELS.items()]
        text = _("Are you already a BPJS Ketenagakerjaan participant?")
        return _numbered(draft, step, text), InlineKeyboardMarkup(_rows(buttons, 3))
    if step is Step.SUMMARY:
        keyboard = InlineKeyboardMarkup(
            [
                [_button(_(SEND), _cb(draft, step, "send"))],
                [
                    _button(_(CHANGE), _cb(draft, step, "edit")),
                    _button(_(CANCEL), _cb(draft, step, "cancel")),
                ],
            ]
        )
        text = "\n\n".join(
            [
                _("Please check your data:"),
                data_lines(tr, svc, draft.state.to_json()),
                _("Is everything correct? Press <b>Send</b>."),
            ]
        )
        return text, keyboard
    # Step.FIELD
    buttons = [_button(_(label), _cb(draft, step, f.value)) for f, label in FIELD_LABELS.items()]
    rows = _rows(buttons)
    rows.append([_button(_(BACK), _cb(draft, step, "back"))])
    return _("Which answer do you want to change?"), InlineKeyboardMarkup(rows)


def choice_text(tr: Translator, deps: Deps, draft: Draft, value: str) -> str | None:
    """What a press on the current question chose, kept visible above the reply to it.

    The consent keeps its whole text (what the person agreed to stays readable); the summary's
    Send and Change keep the data; other answers become "✅ Work: Becak driver".
    """
    _ = tr.gettext
    svc = deps.registrations
    step = step_of(draft)
    shown: str | None = None
    if step is Step.CONSENT and value in ("yes", "no"):
        consent, _markup = render_step(tr, deps, draft)
        agreed = _(AGREE) if value == "yes" else _(DISAGREE)
        return f"{consent}\n\n<b>{agreed}</b>"
    if step is Step.OCCUPATION:
        if value == OTHER_OCCUPATION:
            shown = _("Other")
        elif svc.catalog.occupation(value) is not None:
            shown = occupation_text(tr, svc, value, None)
    elif step is Step.KECAMATAN:
        kec = svc.catalog.find_kecamatan(value)
        if value == OUTSIDE_CITY:
            shown = _(OUTSIDE_LABEL)
        elif kec is not None:
            shown = html.escape(kec.name, quote=False)
    elif step is Step.KELURAHAN:
        kecamatan = str(draft.state.kecamatan)
        found = svc.catalog.find_kecamatan(kecamatan)
        kel = found.find(value) if found else None
        if kel is not None:
            shown = place_text(tr, svc, kecamatan, kel.name)
    elif step is Step.BPJS and value in BPJS_LABELS:
        shown = _(BPJS_LABELS[value])
    elif step is Step.SUMMARY and value in ("send", "edit"):
        return data_lines(tr, svc, draft.state.to_json())
    elif step is Step.FIELD and value in Field._value2member_map_:
        return "✏️ " + _(FIELD_LABELS[Field(value)])
    field = STEP_FIELDS.get(step)
    if shown is None or field is None:
        return None
    return _("✅ {label}: {value}").format(label=_(FIELD_LABELS[field]), value=shown)


# ---- showing a reply --------------------------------------------------------------------------


@dataclass
class Pressed:
    """A press on a button of the current question. The first reply to it replaces the pressed
    message (one edit, answered at the same time) instead of removing its buttons and sending
    a new message; `choice` stays visible above the reply."""

    query: CallbackQuery
    choice: str | None
    used: bool = False  # the press is answered and its message edited or stripped of buttons


async def send(
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
    await chat.send_message(text, reply_markup=markup)


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
    await send(update, text, markup, pressed)
