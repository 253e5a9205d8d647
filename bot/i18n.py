"""Translations (Babel gettext catalogues) and locale-aware money and date formatting."""

from __future__ import annotations

import gettext
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time, format_timedelta
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from bot.config import LOCALES_DIR, SUPPORTED_LOCALES

DOMAIN = "messages"


def N_(message: str) -> str:
    """Mark a string for extraction without translating it here."""
    return message


def load_catalogue(locales_dir: Path, locale: str) -> gettext.GNUTranslations:
    """The compiled catalogue for a locale: the .mo file when it is current, else the .po
    compiled in memory (so a fresh checkout works without a build step)."""
    folder = locales_dir / locale / "LC_MESSAGES"
    po_path = folder / f"{DOMAIN}.po"
    mo_path = folder / f"{DOMAIN}.mo"
    if mo_path.exists() and (
        not po_path.exists() or mo_path.stat().st_mtime >= po_path.stat().st_mtime
    ):
        with mo_path.open("rb") as fh:
            return gettext.GNUTranslations(fh)
    if not po_path.exists():
        raise FileNotFoundError(f"no catalogue for locale '{locale}' at {po_path}")
    with po_path.open("rb") as fh:
        catalog = read_po(fh, locale=locale, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


# The Babel locale each language formats numbers, money and dates in: English as used in
# Indonesia (CLDR's en_ID), so a rupiah figure reads as the sources, price tags and the
# Indonesian chat write it ("Rp16.800"): "Rp16,800" reads as sixteen rupiah and a fraction to
# an Indonesian, who writes decimals with a comma (2,5 tahun).
FORMAT_LOCALES = {"en": "en_ID"}


def format_locale(locale: str) -> str:
    """The Babel locale that formats numbers, money and dates for a chat language."""
    return FORMAT_LOCALES.get(locale, locale)


@lru_cache(maxsize=4096)
def _money(locale: str, amount: int) -> str:
    # Babel's formatting is slow next to a dict lookup, and the bot shows the same few
    # figures (the contribution and its totals) over and over.
    return "Rp" + format_decimal(amount, format="#,##0", locale=Locale.parse(format_locale(locale)))


@dataclass
class Translator:
    """One language: gettext plus the formats the bot shows (money, dates, times)."""

    locale: str
    catalogue: gettext.NullTranslations
    tz: ZoneInfo
    _babel: Locale = field(init=False)

    def __post_init__(self) -> None:
        self._babel = Locale.parse(format_locale(self.locale))

    def gettext(self, message: str) -> str:
        return self.catalogue.gettext(message)

    _ = gettext

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.catalogue.ngettext(singular, plural, n)

    def money(self, amount: int) -> str:
        """Rupiah without decimals, as written in Indonesia in both languages: Rp16.800."""
        return _money(self.locale, amount)

    def number(self, value: int | float) -> str:
        return format_decimal(value, locale=self._babel)

    def date(self, day: date | datetime) -> str:
        """Senin, 26 Februari 2024 / Monday, 26 February 2024 (in the bot's time zone)."""
        if isinstance(day, datetime):
            day = day.astimezone(self.tz).date()
        return format_date(day, format="EEEE, d MMMM y", locale=self._babel)

    def time(self, moment: datetime | time) -> str:
        """07.00 WIB (id) / 07:00 WIB (en)."""
        if isinstance(moment, datetime):
            moment = moment.astimezone(self.tz).time()
        pattern = "HH.mm" if self.locale == "id" else "HH:mm"
        return f"{format_time(moment, pattern, locale=self._babel)} {self.tz_label()}"

    def duration(self, delta: timedelta) -> str:
        """'40 detik', '3 menit', '2 jam' (Babel's rounding to the largest sensible unit)."""
        return format_timedelta(delta, locale=self._babel)

    def datetime(self, moment: datetime) -> str:
        """Senin, 5 Januari 2027 pukul 07.00 WIB."""
        return self.gettext("{date} at {time}").format(
            date=self.date(moment), time=self.time(moment)
        )

    def tz_label(self) -> str:
        return {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}.get(
            str(self.tz), str(self.tz)
        )


class I18n:
    """All loaded languages; falls back to the default one."""

    def __init__(
        self,
        default_locale: str,
        tz: ZoneInfo,
        locales_dir: Path = LOCALES_DIR,
        locales: tuple[str, ...] = SUPPORTED_LOCALES,
    ) -> None:
        self.default_locale = default_locale
        self.locales = locales
        self._translators = {
            loc: Translator(loc, load_catalogue(locales_dir, loc), tz) for loc in locales
        }

    @property
    def translators(self) -> tuple[Translator, ...]:
        """One translator per loaded language."""
        return tuple(self._translators.values())

    def get(self, locale: str | None) -> Translator:
        return self._translators.get(locale or "", self._translators[self.default_locale])

    def resolve(self, language_code: str | None) -> str:
        """Pick a supported locale from Telegram's language_code ('en-GB' -> 'en')."""
        if language_code:
            primary = language_code.split("-")[0].lower()
            if primary in self._translators:
                return primary
        return self.default_locale
