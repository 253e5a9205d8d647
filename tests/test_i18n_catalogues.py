"""The catalogues are complete: every string in the code is in the .pot, and both languages
translate every entry, with nothing fuzzy."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def _code_msgids() -> set[str]:
    found: set[str] = set()
    for package in ("bot", "handlers"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT / package), method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def _catalogue(path: Path, locale: str | None = None):  # type: ignore[no-untyped-def]
    with path.open("rb") as fh:
        return read_po(fh, locale=locale)


def test_every_string_in_code_is_in_the_pot() -> None:
    pot_ids = {
        m.id if isinstance(m.id, str) else m.id[0]
        for m in _catalogue(LOCALES / "messages.pot")
        if m.id
    }
    missing = sorted(_code_msgids() - pot_ids)
    assert not missing, f"run `make i18n-update`; missing from messages.pot: {missing}"


@pytest.mark.parametrize("locale", ["id", "en"])
def test_catalogue_is_complete_and_not_fuzzy(locale: str) -> None:
    pot_ids = {
        m.id if isinstance(m.id, str) else m.id[0]
        for m in _catalogue(LOCALES / "messages.pot")
        if m.id
    }
    catalogue = _catalogue(LOCALES / locale / "LC_MESSAGES" / "messages.po", locale)
    po = {(m.id if isinstance(m.id, str) else m.id[0]): m for m in catalogue if m.id}
    assert not sorted(pot_ids - set(po)), f"{locale}: entries missing, run `make i18n-update`"
    untranslated = [
        k for k, m in po.items() if not (m.string if isinstance(m.string, str) else all(m.string))
    ]
    fuzzy = [k for k, m in po.items() if m.fuzzy]
    assert not untranslated, f"{locale}: untranslated {untranslated}"
    assert not fuzzy, f"{locale}: fuzzy {fuzzy}"


@pytest.mark.parametrize("locale", ["id", "en"])
def test_translations_keep_placeholders(locale: str) -> None:
    import re

    catalogue = _catalogue(LOCALES / locale / "LC_MESSAGES" / "messages.po", locale)
    for m in catalogue:
        if not m.id or not isinstance(m.id, str):
            continue
        wanted = set(re.findall(r"\{[a-z_]+\}", m.id))
        assert set(re.findall(r"\{[a-z_]+\}", m.string)) == wanted, f"{locale}: {m.id!r}"


def test_indonesian_has_one_plural_form() -> None:
    text = (LOCALES / "id" / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    assert '"Plural-Forms: nplurals=1; plural=0;\\n"' in text
