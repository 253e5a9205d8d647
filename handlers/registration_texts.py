"""Registration's texts about the answers and the stored data (and their keyboards): the
summary's lines, /datasaya, the thank-you, the reasons, the notices. Drawing only."""

from __future__ import annotations

import html
from collections.abc import Mapping

from telegram import InlineKeyboardMarkup

from bot import callbacks
from bot.context import Deps
from bot.i18n import N_, Translator
from bot.registration import (
    OTHER_OCCUPATION,
    OUTSIDE_CITY,
    Draft,
    Invalid,
    Registration,
    RegistrationService,
    format_phone,
    mask_nik,
    reference,
)
from bot.registration.flow import is_edit
from bot.registration.options import BPJS_LABELS
from handlers.ui import button

STATUS_LABELS = {
    "baru": N_("received, waiting for the staff to contact you"),
    "dihubungi": N_("the staff have contacted you"),
    "terdaftar_bpjs": N_("registered with BPJS Ketenagakerjaan"),
    "tidak_memenuhi_syarat": N_("does not meet the requirements"),
}


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


def data_lines(tr: Translator, svc: RegistrationService, answers: Mapping[str, object]) -> str:
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
            value=_(BPJS_LABELS.get(str(answers.get("bpjs")), "-"))
        ),
    ]
    return "\n".join(lines)


def registered_text(tr: Translator, svc: RegistrationService, reg: Registration) -> str:
    _ = tr.gettext
    status = _(STATUS_LABELS.get(reg.status, reg.status))
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


def account_keyboard(tr: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                button(tr.gettext("✏️ Change data"), callbacks.REG_EDIT.pack()),
                button(tr.gettext("🗑 Delete data"), callbacks.REG_DELETE.pack()),
            ]
        ]
    )


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


def after_keyboard(tr: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[button(tr.gettext("⏰ Set a payment reminder"), callbacks.MENU_REMINDER.pack())]]
    )


def reason(tr: Translator, error: Invalid) -> str:
    # Plain text in an HTML message ("... / ( ) &").
    return "⚠️ " + html.escape(tr.gettext(error.reason).format(**error.params), quote=False)


def choose_a_button(tr: Translator) -> str:
    return "⚠️ " + tr.gettext("Please choose one of the buttons.")


def expired_text(tr: Translator) -> str:
    return tr.gettext(
        "Your registration was not finished within 24 hours, so I closed it and deleted the "
        "answers. Type /daftar to start again."
    )


def cancelled_text(tr: Translator, draft: Draft) -> str:
    if is_edit(draft):
        return tr.gettext("Cancelled. Your data stays as it was.")
    return tr.gettext(
        "Registration cancelled. Nothing from it was stored. Type /daftar to start again."
    )


def duplicate_typed_text(tr: Translator, user_id: int, name: str, registration_id: int) -> str:
    """For the staff group: someone typed the NIK of another registration."""
    return tr.gettext(
        "⚠️ <b>Registration: NIK already registered</b>\n"
        "Telegram user {user_id} ({name}) entered a NIK that is already in registration "
        "{ref}. They were not told. If they send the registration, it is marked as a "
        "possible duplicate in /pendaftar and in exports. Please check with both people."
    ).format(user_id=user_id, name=html.escape(name, quote=False), ref=reference(registration_id))


def duplicate_sent_text(tr: Translator, user_id: int, sent_as: int, registration_id: int) -> str:
    """For the staff group: a registration was sent with the NIK of another one."""
    return tr.gettext(
        "⚠️ <b>Registration: possible duplicate</b>\n"
        "Registration {new} (Telegram user {user_id}) was sent with the NIK of "
        "registration {ref}. It is marked in /pendaftar and in exports. Please check "
        "with both people."
    ).format(new=reference(sent_as), user_id=user_id, ref=reference(registration_id))
