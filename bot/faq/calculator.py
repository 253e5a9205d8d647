"""Totals of the contribution over time: "iuran 10 thn totalnya brp" -> 120 months.

The amounts are always computed from the configured monthly contribution
(`CONTRIBUTION_MONTHLY_IDR`), never taken from an article.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from bot.faq.normalize import Lexicon

MAX_MONTHS = 100 * 12


@dataclass(frozen=True)
class Total:
    months: int
    monthly: int

    @property
    def amount(self) -> int:
        return self.months * self.monthly

    @property
    def years(self) -> int:
        return self.months // 12

    @property
    def rest_months(self) -> int:
        return self.months % 12


def total(months: int, monthly: int) -> int:
    """The contribution over `months` months: 300 months at 16800 = 5040000."""
    if months < 0 or monthly < 0:
        raise ValueError("months and monthly must not be negative")
    return months * monthly


def duration_months(words: Sequence[str], lexicon: Lexicon) -> int | None:
    """The duration named in the words ("2 tahun 6 bulan" -> 30), or None.

    A number of years right after "umur"/"usia" is an age, not a duration.
    """
    months = 0
    found = False
    for i in range(len(words) - 1):
        number, unit = words[i], words[i + 1]
        if not number.isdigit() or unit not in lexicon.units:
            continue
        if any(w in lexicon.not_duration for w in words[max(0, i - 2) : i]):
            return None
        months += int(number) * lexicon.units[unit]
        found = True
        if months > MAX_MONTHS:
            return None
    return months if found and months > 0 else None


def totals_question(
    words: Sequence[str],
    lexicon: Lexicon,
    stem: Callable[[str], str],
    known: Collection[str],
) -> int | None:
    """The number of months when the words ask for a total amount, else None.

    It takes a duration of more than one month, a money word ("berapa", "total", "bayar"...),
    and no word outside the knowledge base: "cicilan motor 2 tahun berapa" is not ours.
    A single month is the monthly contribution itself, which the knowledge base answers.
    Not paying is not a total ("kalau 3 bulan tidak bayar bagaimana": the lexicon's
    `not_total` words).
    """
    months = duration_months(words, lexicon)
    if months is None or months <= 1:
        return None
    if any(w in lexicon.not_total for w in words):
        return None
    if not any(w in lexicon.money_words or stem(w) in lexicon.money_words for w in words):
        return None
    for word in words:
        if word.isdigit() or word in lexicon.stopwords or word in lexicon.units:
            continue
        if word in lexicon.money_words or stem(word) in known or word in known:
            continue
        return None
    return months
