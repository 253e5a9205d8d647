"""How staff tools show a registration's coded fields: status, kecamatan, occupation, BPJS.

The kecamatan and occupation names come from the registration catalogue (locales/id/places.toml
and occupations.toml); the status names are translated here, in the staff's words.
"""

from __future__ import annotations

import functools

from bot.i18n import N_, Translator
from bot.registration import OTHER_OCCUPATION, OUTSIDE_CITY, Catalog
from bot.store.registrations import STATUSES

STATUS_LABELS = {
    "baru": N_("new"),
    "dihubungi": N_("contacted"),
    "terdaftar_bpjs": N_("registered with BPJS"),
    "tidak_memenuhi_syarat": N_("not eligible"),
}
BPJS_LABELS = {
    "ya": N_("already a participant"),
    "belum": N_("not yet a participant"),
    "tidak_tahu": N_("does not know"),
}
OUTSIDE_LABEL = N_("Outside Kota Pekalongan")
OTHER_LABEL = N_("Other")
assert set(STATUS_LABELS) == set(STATUSES)


@functools.cache
def catalog() -> Catalog:
    """The catalogue from the project's locales/id (the same files the registration reads)."""
    return Catalog.load()


def status_label(tr: Translator, status: str) -> str:
    return tr.gettext(STATUS_LABELS[status]) if status in STATUS_LABELS else status


def bpjs_label(tr: Translator, value: str) -> str:
    return tr.gettext(BPJS_LABELS[value]) if value in BPJS_LABELS else value


def kecamatan_label(tr: Translator, key: str, cat: Catalog | None = None) -> str:
    if key == OUTSIDE_CITY:
        return tr.gettext(OUTSIDE_LABEL)
    found = (cat or catalog()).find_kecamatan(key)
    return found.name if found else key


def occupation_label(
    tr: Translator, key: str, other: str | None = None, cat: Catalog | None = None
) -> str:
    """The occupation's label in the staff member's language; 'lainnya' shows what was typed
    (when given) or "Other"."""
    if key == OTHER_OCCUPATION:
        return other or tr.gettext(OTHER_LABEL)
    found = (cat or catalog()).occupation(key)
    return found.label(tr.locale) if found else key


SOURCE_LABELS = {
    "command": N_("command /daftar"),
    "menu": N_("menu button"),
    "link": N_("link /start daftar"),
}


def source_label(tr: Translator, source: str | None) -> str:
    """Where a registration started: 'perintah /daftar', 'poster daftar_medono'..."""
    if not source:
        return ""
    if source.startswith("link:"):
        return tr.gettext("poster or QR code daftar_{name}").format(name=source[5:])
    return tr.gettext(SOURCE_LABELS[source]) if source in SOURCE_LABELS else source


def place_label(tr: Translator, kecamatan: str, kelurahan: str) -> str:
    """The kelurahan; a place outside the city as typed, with 'outside Kota Pekalongan'."""
    if kecamatan == OUTSIDE_CITY:
        return tr.gettext("{place} (outside Kota Pekalongan)").format(place=kelurahan)
    return kelurahan
