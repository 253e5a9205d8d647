"""Registration's options: the occupations and places (editable TOML files in locales/id),
and the labels each button step's options are known by when typed instead of pressed."""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.config import LOCALES_DIR, ConfigError
from bot.i18n import N_

OTHER_OCCUPATION = "lainnya"
OUTSIDE_CITY = "luar_kota"
BPJS_ANSWERS = ("ya", "belum", "tidak_tahu")
_KEY_RE = re.compile(r"^[a-z0-9_]{1,24}$")


@dataclass(frozen=True)
class Occupation:
    key: str
    labels: dict[str, str]
    # what people type for this work, in any language, folded (`folded`): "becak", "pembatik"
    words: tuple[str, ...] = ()

    def label(self, locale: str) -> str:
        return self.labels.get(locale) or self.labels["id"]


@dataclass(frozen=True)
class Kelurahan:
    key: str
    name: str


@dataclass(frozen=True)
class Kecamatan:
    key: str
    name: str
    code: str
    kelurahan: tuple[Kelurahan, ...]

    def find(self, key: str) -> Kelurahan | None:
        return next((k for k in self.kelurahan if k.key == key), None)


def slug(name: str) -> str:
    """'Sapuro Kebulen' -> 'sapuro_kebulen' (kelurahan keys in callback data, new KB entry ids)."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def folded(text: str) -> str:
    """'Tukang Becak!' -> 'tukang becak': lowercase ASCII words, one space apart."""
    return slug(text).replace("_", " ")


@dataclass(frozen=True)
class Catalog:
    occupations: tuple[Occupation, ...]
    kecamatan: tuple[Kecamatan, ...]

    def occupation(self, key: str) -> Occupation | None:
        return next((o for o in self.occupations if o.key == key), None)

    def find_kecamatan(self, key: str) -> Kecamatan | None:
        return next((k for k in self.kecamatan if k.key == key), None)

    @classmethod
    def load(cls, directory: Path = LOCALES_DIR / "id") -> Catalog:
        """Read occupations.toml and places.toml; ConfigError naming the file when wrong."""
        return cls(
            _load_occupations(directory / "occupations.toml"),
            _load_places(directory / "places.toml"),
        )


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"{path}: file is missing") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def _check_key(path: Path, key: Any, seen: set[str], what: str) -> str:
    if not isinstance(key, str) or not _KEY_RE.match(key):
        raise ConfigError(f"{path}: {what} key {key!r} must be 1-24 characters of a-z, 0-9 and _")
    if key in seen or key in (OTHER_OCCUPATION, OUTSIDE_CITY):
        raise ConfigError(f"{path}: {what} key {key!r} is used twice or reserved")
    seen.add(key)
    return key


def _load_occupations(path: Path) -> tuple[Occupation, ...]:
    entries = _read_toml(path).get("occupation")
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{path}: needs at least one [[occupation]] entry")
    seen: set[str] = set()
    result = []
    for entry in entries:
        key = _check_key(path, entry.get("key"), seen, "occupation")
        labels = {
            loc: str(entry[loc]).strip()
            for loc in ("id", "en")
            if isinstance(entry.get(loc), str) and entry[loc].strip()
        }
        if "id" not in labels:
            raise ConfigError(f"{path}: occupation {key!r} needs an 'id' label")
        if any(len(label) > 60 for label in labels.values()):
            raise ConfigError(f"{path}: occupation {key!r} has a label over 60 characters")
        words = entry.get("words", [])
        if not isinstance(words, list) or not all(isinstance(w, str) and folded(w) for w in words):
            raise ConfigError(f"{path}: occupation {key!r}: words must be a list of words")
        result.append(Occupation(key, labels, tuple(folded(w) for w in words)))
    return tuple(result)


def _load_places(path: Path) -> tuple[Kecamatan, ...]:
    entries = _read_toml(path).get("kecamatan")
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{path}: needs at least one [[kecamatan]] entry")
    seen: set[str] = set()
    result = []
    for entry in entries:
        key = _check_key(path, entry.get("key"), seen, "kecamatan")
        name = entry.get("name")
        names = entry.get("kelurahan")
        if not isinstance(name, str) or not name.strip():
            raise ConfigError(f"{path}: kecamatan {key!r} needs a name")
        if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
            raise ConfigError(f"{path}: kecamatan {key!r} needs a list of kelurahan names")
        kelurahan = []
        slugs: set[str] = set()
        for kel_name in names:
            kel_key = slug(kel_name)
            if not _KEY_RE.match(kel_key) or kel_key in slugs:
                raise ConfigError(f"{path}: kelurahan {kel_name!r} is empty, too long or twice")
            slugs.add(kel_key)
            kelurahan.append(Kelurahan(kel_key, kel_name.strip()))
        result.append(Kecamatan(key, name.strip(), str(entry.get("code", "")), tuple(kelurahan)))
    return tuple(result)


@functools.cache
def default_catalog() -> Catalog:
    """The catalogue from the project's locales/id, read once per process."""
    return Catalog.load()


# ---- labels of the button steps' options ------------------------------------------------
# The buttons show them (handlers/registration_render.py); a typed answer is matched to them
# (and to the plain words below) by the dialogue router before it is refused.

AGREE = N_("✅ I agree")
DISAGREE = N_("❌ I do not agree")
OTHER_TYPE_IT = N_("✏️ Other (type it)")
OUTSIDE_LABEL = N_("Outside Kota Pekalongan")
SEND = N_("📨 Send")
CHANGE = N_("✏️ Change")
CANCEL = N_("✖️ Cancel")
BACK = N_("⬅️ Back")
BPJS_LABELS = {
    "ya": N_("Yes, already"),
    "belum": N_("Not yet"),
    "tidak_tahu": N_("I don't know"),
}

# What people type instead of pressing (matched whole, case and signs aside).
CONSENT_WORDS = {
    "yes": ("setuju", "ya", "iya", "yes", "agree", "i agree", "ok", "oke", "okay", "y"),
    "no": ("tidak setuju", "tidak", "tdk", "gak", "ga", "nggak", "ngga", "no", "n"),
}
BPJS_WORDS = {
    "ya": ("ya", "iya", "yes", "sudah", "udah", "sdh", "udh"),
    "belum": ("belum", "blm", "not yet", "no", "tidak", "gak", "ga", "nggak", "belom"),
    "tidak_tahu": ("tidak tahu", "gatau", "gak tau", "ga tahu", "tdk tahu", "dont know"),
}
SUMMARY_WORDS = {
    "send": ("kirim", "send"),
    "edit": ("ubah", "change"),
    "cancel": ("batal", "cancel"),
}
