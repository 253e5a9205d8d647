"""After `pybabel update`: fill English from the msgids, fix headers, list what Indonesian lacks.

Usage: python tools/po_sync.py                          (run by `make i18n-update`)
       python tools/po_sync.py --apply id FILE.json     (set msgstrs from {msgid: msgstr};
                                                         a list for plural forms)
Exit status 1 when a catalogue still has untranslated entries.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

LOCALES = Path(__file__).resolve().parent.parent / "locales"
PLURALS = {"id": "nplurals=1; plural=0;", "en": "nplurals=2; plural=(n != 1);"}
TEAMS = {"id": "Bahasa Indonesia", "en": "English"}


def _translated(string: object) -> bool:
    if isinstance(string, str):
        return bool(string)
    return bool(string) and all(isinstance(part, str) and part for part in string)  # type: ignore[attr-defined]


def sync(locale: str, updates: dict[str, str] | None = None) -> list[str]:
    path = LOCALES / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as fh:
        catalogue = read_po(fh, locale=locale)
    catalogue.project, catalogue.version = "sakpore-bot", "0.1"
    catalogue.copyright_holder = "Sakpore Bot developers"
    catalogue.msgid_bugs_address = ""
    catalogue.last_translator = "Sakpore Bot developers"
    catalogue.language_team = TEAMS[locale]
    missing = []
    for message in catalogue:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        plural = not isinstance(message.id, str)
        if updates and key in updates:
            value = updates[key]
            message.string = tuple(value) if isinstance(value, list) else value
            message.flags.discard("fuzzy")
        if locale == "en" and not _translated(message.string):
            message.string = tuple(message.id) if plural else message.id
            message.flags.discard("fuzzy")
        if not _translated(message.string) or message.fuzzy:
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    with path.open("wb") as fh:
        write_po(fh, catalogue, sort_output=True, width=100, include_lineno=False)
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'"Plural-Forms: [^"]*"', f'"Plural-Forms: {PLURALS[locale]}\\\\n"', text)
    text = re.sub(r'"(POT-Creation|PO-Revision)-Date: [^"]*"\n', "", text)
    path.write_text(text, encoding="utf-8")
    return missing


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--apply":
        import json

        updates = json.loads(Path(sys.argv[3]).read_text(encoding="utf-8"))
        sync(sys.argv[2], updates)
    status = 0
    for locale in PLURALS:
        missing = sync(locale)
        for msgid in missing:
            print(f"{locale}: untranslated: {msgid!r}")
        status = status or int(bool(missing))
    return status


if __name__ == "__main__":
    sys.exit(main())
