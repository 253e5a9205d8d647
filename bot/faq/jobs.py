"""The listed type of work a question names: "sy tukang becak bs ikut ga" names the becak
rider, "aku buruh batik iso melu" the batik worker (locales/id/occupations.toml, `words`).

The answer to "can I join?" then names the person's own work as one whose contribution the
city pays (the `{job}` placeholder), instead of one example for everybody.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.registration.options import Occupation, folded


def named_occupation(text: str, occupations: Iterable[Occupation]) -> Occupation | None:
    """The occupation whose longest word the text names as whole words, if any."""
    padded = f" {folded(text)} "
    best: Occupation | None = None
    longest = 0
    for occupation in occupations:
        for word in occupation.words:
            if len(word) > longest and f" {word} " in padded:
                best, longest = occupation, len(word)
    return best
