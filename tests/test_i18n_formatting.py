"""Money and dates are formatted with Babel, in WIB."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.i18n import I18n

WIB = ZoneInfo("Asia/Jakarta")


def test_money_and_dates_in_indonesian_and_english() -> None:
    i18n = I18n("id", WIB)
    id_, en = i18n.get("id"), i18n.get("en")
    assert id_.money(16800) == "Rp16.800"
    assert id_.money(5_040_000) == "Rp5.040.000"
    # English as used in Indonesia (CLDR en_ID): rupiah as the sources and price tags write
    # them; "Rp16,800" reads as a fraction of a rupiah to an Indonesian (until December 2026)
    assert en.money(16800) == "Rp16.800"
    assert en.money(5_040_000) == "Rp5.040.000"
    assert id_.date(date(2024, 2, 26)) == "Senin, 26 Februari 2024"
    assert en.date(date(2024, 2, 26)) == "Monday, 26 February 2024"
    # 00:00 UTC on 5 Jan 2027 is 07:00 WIB the same day.
    moment = datetime(2027, 1, 5, 0, 0, tzinfo=UTC)
    assert id_.datetime(moment) == "Selasa, 5 Januari 2027 pukul 07.00 WIB"
    assert en.datetime(moment) == "Tuesday, 5 January 2027 at 07:00 WIB"
    # 20:00 UTC is already the next day in WIB.
    assert id_.date(datetime(2024, 2, 25, 20, 0, tzinfo=UTC)) == "Senin, 26 Februari 2024"


def test_locale_resolution() -> None:
    i18n = I18n("id", WIB)
    assert i18n.resolve("en-US") == "en"
    assert i18n.resolve("id") == "id"
    assert i18n.resolve("jv") == "id"
    assert i18n.resolve(None) == "id"
    assert I18n("en", WIB).resolve("fr") == "en"
    assert i18n.get("xx").locale == "id"
