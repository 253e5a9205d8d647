"""The live knowledge base (shipped files + staff changes) out to TOML and XLSX, and a reviewed
spreadsheet back in as changes (issue 16): `sakpore-bot kb export DIR`, `kb import FILE.xlsx`.

The TOML has the format of locales/<lang>/faq.toml, so `sakpore-bot kb check --dir DIR` reads
it (the lexicons and faq_matching.toml are copied next to it). The spreadsheet has one sheet per
language and one row per entry; list fields hold one item a line. Import compares each row
with the live entry and proposes the differences through bot.kbstaff (the checks, the accuracy
gate, four-eyes), as versions authored by "import".
"""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter

from bot.faq.kb import FAQ_FILE, LEXICON_FILE, Entry, KnowledgeBase
from bot.faq.layer import Change, entry_raw
from bot.faq.matcher import MATCHING_FILE

COLUMNS = (
    "id",
    "title",
    "answer",
    "source_line",
    "sources",
    "related",
    "phrasings",
    "action",
    "menu",
)
LIST_COLUMNS = frozenset({"sources", "related", "phrasings"})
SCALARS = ("title", "answer", "source_line", "sources", "related")


def _toml_string(text: str) -> str:
    """A TOML basic string (JSON's escapes are all valid TOML escapes)."""
    return json.dumps(text, ensure_ascii=False)


def to_toml(kb: KnowledgeBase) -> str:
    """The entries in the format of locales/<lang>/faq.toml."""
    out = [
        f"# The live knowledge base ({kb.locale}): the shipped file with the staff changes",
        "# (written by `sakpore-bot kb export`).",
        "",
    ]
    for entry in kb:
        raw = entry_raw(entry)
        out.append("[[entry]]")
        for key in ("id", "title"):
            out.append(f"{key} = {_toml_string(raw[key])}")
        out.append("phrasings = [")
        out += [f"    {_toml_string(p)}," for p in raw["phrasings"]]
        out.append("]")
        out.append(f"answer = {_toml_string(raw['answer'])}")
        out.append("sources = [" + ", ".join(_toml_string(s) for s in raw["sources"]) + "]")
        out.append(f"source_line = {_toml_string(raw['source_line'])}")
        if raw["related"]:
            out.append("related = [" + ", ".join(_toml_string(r) for r in raw["related"]) + "]")
        if "action" in raw:
            out.append(f"action = {_toml_string(raw['action'])}")
        if not raw["menu"]:
            out.append("menu = false")
        out.append("")
    return "\n".join(out)


def write_toml(kbs: Mapping[str, KnowledgeBase], source: Path, target: Path) -> list[Path]:
    """DIR/<lang>/faq.toml for each language, with the lexicons and faq_matching.toml copied
    from `source` so that `kb check --dir DIR` reads the folder as it reads locales/."""
    written = []
    for locale, kb in kbs.items():
        folder = target / locale
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / FAQ_FILE
        path.write_text(to_toml(kb), encoding="utf-8")
        written.append(path)
        if (source / locale / LEXICON_FILE).exists():
            shutil.copy(source / locale / LEXICON_FILE, folder / LEXICON_FILE)
    if (source / MATCHING_FILE).exists():
        shutil.copy(source / MATCHING_FILE, target / MATCHING_FILE)
    return written


def _cell(entry: Entry, column: str) -> str:
    raw = entry_raw(entry)
    value = raw.get(column)
    if column in LIST_COLUMNS:
        return "\n".join(str(v) for v in value or ())
    if column == "menu":
        return "true" if value else "false"
    return "" if value is None else str(value)


def to_xlsx(kbs: Mapping[str, KnowledgeBase]) -> bytes:
    """One sheet per language, one row per entry; lists one item a line."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    for locale, kb in kbs.items():
        sheet = book.add_worksheet(locale)
        for col, name in enumerate(COLUMNS):
            sheet.write_string(0, col, name, bold)
        widths = {"answer": 60, "phrasings": 40, "title": 24, "source_line": 30, "sources": 30}
        for col, name in enumerate(COLUMNS):
            sheet.set_column(col, col, widths.get(name, 14), wrap)
        for row, entry in enumerate(kb, start=1):
            for col, name in enumerate(COLUMNS):
                sheet.write_string(row, col, _cell(entry, name))
        sheet.freeze_panes(1, 1)
    book.close()
    return buffer.getvalue()


class ImportFileError(Exception):
    """The spreadsheet cannot be read as an export of the knowledge base."""


def read_xlsx(path: Path) -> dict[str, list[dict[str, Any]]]:
    """The rows of each language's sheet, as entry tables."""
    import openpyxl  # reading a spreadsheet: only `kb import` needs it

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, ValueError, KeyError) as exc:
        raise ImportFileError(f"{path}: not a readable XLSX file ({exc})") from None
    sheets: dict[str, list[dict[str, Any]]] = {}
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        if not rows:
            continue
        header = [str(h or "").strip() for h in rows[0]]
        if "id" not in header:
            raise ImportFileError(f"{path}: sheet {sheet.title!r} has no 'id' column")
        entries = []
        for values in rows[1:]:
            cells = {h: ("" if v is None else str(v)) for h, v in zip(header, values, strict=False)}
            if not cells.get("id", "").strip():
                continue
            raw: dict[str, Any] = {"id": cells["id"].strip()}
            for name in COLUMNS[1:]:
                if name not in cells:
                    continue
                text = cells[name].replace("\r\n", "\n")
                if name in LIST_COLUMNS:
                    raw[name] = [line.strip() for line in text.split("\n") if line.strip()]
                elif name == "menu":
                    raw[name] = text.strip().lower() not in ("false", "0", "no", "tidak")
                elif name == "action":
                    if text.strip():
                        raw[name] = text.strip()
                else:
                    raw[name] = text.strip()
            entries.append(raw)
        sheets[sheet.title.strip()] = entries
    book.close()
    return sheets


@dataclass(frozen=True)
class ImportedChange:
    locale: str
    entry_id: str
    change: Change


def diff(kb: KnowledgeBase, rows: Iterable[Mapping[str, Any]]) -> list[ImportedChange]:
    """What the spreadsheet changes in the live knowledge base: one change per entry."""
    out: list[ImportedChange] = []
    for raw in rows:
        entry_id = str(raw["id"])
        current = kb.get(entry_id)
        if current is None:
            fields = {k: v for k, v in raw.items() if k != "id"}
            out.append(ImportedChange(kb.locale, entry_id, Change(set=fields, new=True)))
            continue
        now = entry_raw(current)
        changed = {
            key: raw[key]
            for key in (*SCALARS, "action", "menu")
            if key in raw and raw[key] != now.get(key)
        }
        phrasings: Sequence[str] = raw.get("phrasings", now["phrasings"])
        added = tuple(p for p in phrasings if p not in now["phrasings"])
        removed = tuple(p for p in now["phrasings"] if p not in phrasings)
        if changed or added or removed:
            change = Change(set=changed, add_phrasings=added, remove_phrasings=removed)
            out.append(ImportedChange(kb.locale, entry_id, change))
    return out
