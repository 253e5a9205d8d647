"""Registration's dialogue: its steps, its typed state, its two kinds (a new registration, a
change of the stored one) and every transition between the steps, in one place.

    consent -> name -> nik -> phone -> occupation [-> occupation_other]
            -> kecamatan -> kelurahan | place_other -> bpjs -> summary -> (Send) registration

"Change" on the summary and /ubahdata go through `field` (which answer to change) to that
answer's first step; a new registration then comes back to the summary, a change of the stored
registration (kind `registration_edit`) is saved at once. The state is a row of the `dialogs`
table (bot/dialogs.py), encrypted: written after every answer, forgotten after 24 hours.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.commands import Cmd
from bot.dialogs import Dialog, DialogKind, JsonState, Options
from bot.i18n import N_
from bot.registration.options import (
    AGREE,
    BPJS_ANSWERS,
    BPJS_LABELS,
    BPJS_WORDS,
    CANCEL,
    CHANGE,
    CONSENT_WORDS,
    DISAGREE,
    OTHER_OCCUPATION,
    OTHER_TYPE_IT,
    OUTSIDE_CITY,
    OUTSIDE_LABEL,
    SEND,
    SUMMARY_WORDS,
    Catalog,
    default_catalog,
)

if TYPE_CHECKING:
    from bot.i18n import Translator

# Left alone this long, a draft is forgotten: ">= 24 hours" (the mechanism forgets a dialogue
# left alone *longer* than its ttl, hence the microsecond).
DRAFT_TTL = timedelta(hours=24)

# The consent text shown at the start. Change CONSENT_VERSION whenever the text changes:
# each registration stores the version its person agreed to.
CONSENT_VERSION = "2026-01-v1"
CONSENT_TEXT = N_(
    "📝 <b>Register your interest in BPJS Ketenagakerjaan</b>\n"
    "It takes about 2 minutes.\n\n"
    "<b>What I will ask:</b> your full name, NIK (the number on your KTP), phone number, "
    "work, where you live, and whether you are already a BPJS Ketenagakerjaan participant.\n"
    "<b>Why:</b> so that the Program Pekalongan Sakpore staff can contact you and help you "
    "join BPJS Ketenagakerjaan ({amount} a month). This is not yet a BPJS registration.\n"
    "<b>Who sees it:</b> only the program staff of the Pekalongan city government, only to "
    "help you register. Your name, NIK and phone number are stored encrypted.\n"
    "<b>Your rights (UU PDP, UU No. 27/2022):</b> see your data with /datasaya, correct it "
    "with /ubahdata, delete it with /hapusdata. Stop at any time with /batal.\n\n"
    "Do you agree?"
)


class Step(enum.StrEnum):
    CONSENT = "consent"
    NAME = "name"
    NIK = "nik"
    PHONE = "phone"
    OCCUPATION = "occupation"
    OCCUPATION_OTHER = "occupation_other"
    KECAMATAN = "kecamatan"
    KELURAHAN = "kelurahan"
    PLACE_OTHER = "place_other"
    BPJS = "bpjs"
    SUMMARY = "summary"
    FIELD = "field"  # choosing which answer to change


class Field(enum.StrEnum):
    """What "Change" and /ubahdata let a person change."""

    NAME = "name"
    NIK = "nik"
    PHONE = "phone"
    OCCUPATION = "occupation"
    PLACE = "place"
    BPJS = "bpjs"


FIELD_LABELS = {
    Field.NAME: N_("Name"),
    Field.NIK: N_("NIK"),
    Field.PHONE: N_("Phone number"),
    Field.OCCUPATION: N_("Work"),
    Field.PLACE: N_("Where you live"),
    Field.BPJS: N_("BPJS participant"),
}
FIELD_FIRST_STEP = {
    Field.NAME: Step.NAME,
    Field.NIK: Step.NIK,
    Field.PHONE: Step.PHONE,
    Field.OCCUPATION: Step.OCCUPATION,
    Field.PLACE: Step.KECAMATAN,
    Field.BPJS: Step.BPJS,
}
# The answer a button step records (for the line that keeps a pressed choice visible).
STEP_FIELDS = {
    Step.OCCUPATION: Field.OCCUPATION,
    Step.KECAMATAN: Field.PLACE,
    Step.KELURAHAN: Field.PLACE,
    Step.BPJS: Field.BPJS,
}

# Steps answered by typing; the others by buttons (a typed label works too).
TEXT_STEPS = frozenset({Step.NAME, Step.NIK, Step.PHONE, Step.OCCUPATION_OTHER, Step.PLACE_OTHER})


@dataclass
class Answers(JsonState):
    """The answers so far (stored encrypted). In a change of the stored registration only the
    changed answers are set."""

    source: str | None = None
    consent_at: str | None = None
    consent_version: str | None = None
    name: str | None = None
    nik: str | None = None
    phone: str | None = None
    occupation: str | None = None
    occupation_other: str | None = None
    kecamatan: str | None = None
    kelurahan: str | None = None
    bpjs: str | None = None

    def first_missing(self) -> Step | None:
        """The first question of a new registration still without an answer."""
        if not self.name:
            return Step.NAME
        if not self.nik:
            return Step.NIK
        if not self.phone:
            return Step.PHONE
        if not self.occupation:
            return Step.OCCUPATION
        if self.occupation == OTHER_OCCUPATION and not self.occupation_other:
            return Step.OCCUPATION_OTHER
        if not self.kecamatan:
            return Step.KECAMATAN
        if not self.kelurahan:
            return Step.PLACE_OTHER if self.kecamatan == OUTSIDE_CITY else Step.KELURAHAN
        if self.bpjs not in BPJS_ANSWERS:
            return Step.BPJS
        return None


Draft = Dialog[Answers]


class RegistrationKind(DialogKind[Answers]):
    """A registration dialogue kind; also started by the `/start daftar...` deep link."""

    def starts(self, command: str, args: Sequence[str]) -> bool:
        if command == Cmd.START:
            return (
                Cmd.REGISTER in self.commands
                and bool(args)
                and args[0].lower().startswith("daftar")
            )
        return command in self.commands


def typed_options(dialog: Draft, tr: Translator) -> Options:
    """A button step's options by what may be typed instead: the labels, in every language."""
    step, _ = dialog.step, tr.gettext
    catalog = default_catalog()
    if step == Step.CONSENT:
        return {
            "yes": [_(AGREE), *CONSENT_WORDS["yes"]],
            "no": [_(DISAGREE), *CONSENT_WORDS["no"]],
        }
    if step == Step.OCCUPATION:
        options: dict[str, list[str]] = {
            o.key: list(o.labels.values()) for o in catalog.occupations
        }
        options[OTHER_OCCUPATION] = ["lainnya", "other", _(OTHER_TYPE_IT)]
        return options
    if step == Step.KECAMATAN:
        places = {k.key: [k.name] for k in catalog.kecamatan}
        return places | {OUTSIDE_CITY: ["Luar Kota Pekalongan", _(OUTSIDE_LABEL)]}
    if step == Step.KELURAHAN:
        kec = catalog.find_kecamatan(str(dialog.state.kecamatan))
        return {k.key: [k.name] for k in kec.kelurahan} if kec else {}
    if step == Step.BPJS:
        return {key: [_(label), *BPJS_WORDS[key]] for key, label in BPJS_LABELS.items()}
    if step == Step.SUMMARY:
        labels = {"send": SEND, "edit": CHANGE, "cancel": CANCEL}
        return {key: [_(labels[key]), *words] for key, words in SUMMARY_WORDS.items()}
    if step == Step.FIELD:
        return {f.value: [_(label), f.value] for f, label in FIELD_LABELS.items()}
    return {}


def _kind(name: str, title: str, commands: tuple[str, ...]) -> RegistrationKind:
    return RegistrationKind(
        name=name,  # stored; the rows of registration_drafts were carried over as these
        title=title,
        steps=tuple(Step),
        state=Answers,
        ttl=DRAFT_TTL - timedelta(microseconds=1),
        personal=True,
        commands=commands,
        own_commands=frozenset({Cmd.MY_DATA, Cmd.DELETE_DATA}),
        # "iurane piro" would pass as a name: a program question first. Not at the typed work
        # or place: "Penjahit", "Kabupaten Pekalongan" are FAQ matches (who may join).
        questions_first=frozenset({Step.NAME}),
        numeric=frozenset({Step.NIK, Step.PHONE}),
        options=typed_options,
    )


# /ubahdata in a new registration goes on with it (to the summary's "Change").
REGISTRATION = _kind(
    "registration", N_("registration"), (Cmd.REGISTER, Cmd.REGISTER_EN, Cmd.CHANGE_DATA)
)
REGISTRATION_EDIT = _kind("registration_edit", N_("change of your data"), (Cmd.CHANGE_DATA,))
KINDS = (REGISTRATION_EDIT, REGISTRATION)  # in this order: /ubahdata from elsewhere is a change


def is_edit(draft: Draft) -> bool:
    return draft.kind is REGISTRATION_EDIT


# ---- the transitions --------------------------------------------------------------------------


def step_of(draft: Draft) -> Step:
    return Step(draft.step)


def after_consent(answers: Answers) -> Step:
    """Where a new registration goes once the consent is given."""
    return answers.first_missing() or Step.SUMMARY


def apply_answer(draft: Draft, step: Step, value: str) -> Step | None:
    """Record a validated answer and return the next step; None when a change of the stored
    registration is complete and can be saved."""
    answers = draft.state
    if step is Step.OCCUPATION:
        answers.occupation = value
        answers.occupation_other = None
        if value == OTHER_OCCUPATION:
            return Step.OCCUPATION_OTHER
    elif step is Step.OCCUPATION_OTHER:
        answers.occupation = OTHER_OCCUPATION
        answers.occupation_other = value
    elif step is Step.KECAMATAN:
        answers.kecamatan = value
        answers.kelurahan = None
        return Step.PLACE_OTHER if value == OUTSIDE_CITY else Step.KELURAHAN
    elif step in (Step.KELURAHAN, Step.PLACE_OTHER):
        answers.kelurahan = value
    elif step in (Step.NAME, Step.NIK, Step.PHONE, Step.BPJS):
        setattr(answers, step.value, value)
    else:
        raise ValueError(f"{step} takes no answer")
    if is_edit(draft):
        return None
    return answers.first_missing() or Step.SUMMARY


def back(draft: Draft) -> Step | None:
    """The step "Back" returns to; None: the dialogue ends (a change of the stored
    registration left without changing anything)."""
    step = step_of(draft)
    if step is Step.KELURAHAN:
        return Step.KECAMATAN
    if step is Step.FIELD and not is_edit(draft):
        return Step.SUMMARY
    return None


def field_step(field: Field) -> Step:
    """The first question of an answer chosen at `field`."""
    return FIELD_FIRST_STEP[field]


def change_step(draft: Draft) -> Step | None:
    """/ubahdata in a new registration: which answer to change, from the summary on; None
    while questions remain (they come first)."""
    return Step.FIELD if step_of(draft) in (Step.SUMMARY, Step.FIELD) else None


def after_incomplete_send(answers: Answers) -> Step:
    """ "Send" on answers that are not complete (should not happen): what is missing."""
    if not answers.consent_at:
        return Step.CONSENT
    return answers.first_missing() or Step.SUMMARY


def chosen(draft: Draft, value: str, catalog: Catalog) -> str | None:
    """The answer a button value at the draft's occupation, place or BPJS step records (the
    kelurahan's name for its key); None when it is not one of the step's options (forged)."""
    step = step_of(draft)
    if step is Step.OCCUPATION:
        ok = value == OTHER_OCCUPATION or catalog.occupation(value) is not None
    elif step is Step.KECAMATAN:
        ok = value == OUTSIDE_CITY or catalog.find_kecamatan(value) is not None
    elif step is Step.KELURAHAN:
        kec = catalog.find_kecamatan(str(draft.state.kecamatan))
        kel = kec.find(value) if kec else None
        return kel.name if kel else None
    else:
        ok = step is Step.BPJS and value in BPJS_ANSWERS
    return value if ok else None


def kelurahan_shown(draft: Draft) -> bool:
    """Whether the kelurahan step can be shown (the places file may have changed under the
    draft); when not, the kecamatan is asked again."""
    return default_catalog().find_kecamatan(str(draft.state.kecamatan)) is not None
