"""Registrations as a table: CSV or XLSX, with the NIK masked or (admins, the CLI) in full.

Used by /ekspor (handlers/staff_tools.py) and `sakpore-bot export`. XLSX is written with
XlsxWriter (maintained, pure Python, write-only, no dependencies): every cell is written as
text where it must stay text (NIK, phone), and no cell is ever read as a formula. The CSV is
UTF-8 with a byte-order mark so spreadsheet programs show Indonesian text correctly; a cell
that starts with = + - @ is prefixed with ' so it cannot run as a formula (CSV injection).

The full NIK in a CSV (issue 17): a CSV cell has no type, and a spreadsheet program reads
3375014501900012 as a number. Excel keeps 15 significant digits, so it shows and saves
3375014501900010: the NIK is destroyed. A leading apostrophe would stay in the data. So the
full NIK is written as ="3375014501900012", the form Excel, Google Sheets and LibreOffice
(Text Import option "Evaluate formulas") read as a text cell with all 16 digits. It is a
formula made of a string literal of 16 checked digits only, nothing a file could be tricked
into running. LibreOffice with that option off shows the cell as typed, still with all 16
digits. The XLSX export needs none of this: its NIK cells are string cells.

Every column is human-readable: statuses, occupations, kecamatan, BPJS answers and the
source ("perintah /daftar", "poster daftar_medono") are labels in the staff member's
language, and a place outside the city reads "Kedungwuni (luar Kota Pekalongan)".
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from bot import reglabels
from bot.i18n import N_, Translator
from bot.registration import Registration, format_phone, mask_nik, reference

Format = Literal["csv", "xlsx"]
FORMATS: tuple[Format, ...] = ("csv", "xlsx")

COLUMNS = (
    N_("Reference"),
    N_("Registered on"),
    N_("Full name"),
    N_("NIK"),
    N_("Phone"),
    N_("Occupation"),
    N_("Kecamatan"),
    N_("Kelurahan / place"),
    N_("BPJS participant"),
    N_("Status"),
    N_("Status changed on"),
    N_("Source"),
    N_("Consent given on"),
    N_("Consent version"),
    N_("Possible duplicate of"),  # the registration with the same NIK (issue 14, item 9)
)
MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


NIK_COLUMN = COLUMNS.index("NIK")
_FULL_NIK = re.compile(r"[0-9]{16}", re.ASCII)


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]


def _local(tr: Translator, moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(tr.tz).strftime("%Y-%m-%d %H:%M")


def _national_phone(e164: str) -> str:
    """0812-3456-7890: how Indonesian staff dial it (and no leading + for spreadsheets)."""
    shown = format_phone(e164)
    if shown.startswith("+62 "):
        return "0" + shown[4:].replace(" ", "-")
    return shown


def table(
    registrations: Sequence[Registration],
    tr: Translator,
    *,
    full_nik: bool,
) -> Table:
    """The rows of an export, labels in the translator's language."""
    header = [tr.gettext(c) for c in COLUMNS]
    rows = []
    for reg in registrations:
        rows.append(
            [
                reg.reference,
                _local(tr, reg.created_at),
                reg.full_name,
                reg.nik if full_nik else mask_nik(reg.nik),
                _national_phone(reg.phone),
                reglabels.occupation_label(tr, reg.occupation, reg.occupation_other),
                reglabels.kecamatan_label(tr, reg.kecamatan),
                reglabels.place_label(tr, reg.kecamatan, reg.kelurahan),
                reglabels.bpjs_label(tr, reg.bpjs),
                reglabels.status_label(tr, reg.status),
                _local(tr, reg.status_changed_at),
                reglabels.source_label(tr, reg.source),
                _local(tr, reg.consent_at),
                reg.consent_version,
                reference(reg.duplicate_of) if reg.duplicate_of is not None else "",
            ]
        )
    return Table(header, rows)


def _safe_cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def _csv_cell(column: int, value: str) -> str:
    if column == NIK_COLUMN and _FULL_NIK.fullmatch(value):
        return f'="{value}"'  # a text cell with all 16 digits (see the module docstring)
    return _safe_cell(value)


def to_csv(data: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(data.header)
    for row in data.rows:
        writer.writerow([_csv_cell(col, cell) for col, cell in enumerate(row)])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(data: Table, sheet: str = "Pendaftar") -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    worksheet = book.add_worksheet(sheet[:31])
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    widths = [len(h) for h in data.header]
    for col, title in enumerate(data.header):
        worksheet.write_string(0, col, title, bold)
    for r, row in enumerate(data.rows, start=1):
        for col, cell in enumerate(row):
            worksheet.write_string(r, col, cell)
            widths[col] = max(widths[col], min(len(cell), 40))
    for col, width in enumerate(widths):
        worksheet.set_column(col, col, width + 2)
    if data.rows:  # NIK and phone are text on purpose: no "number stored as text" flags
        worksheet.ignore_errors(
            {"number_stored_as_text": f"A2:{_last_column(data)}{len(data.rows) + 1}"}
        )
    worksheet.freeze_panes(1, 0)
    if data.rows:
        worksheet.autofilter(0, 0, len(data.rows), len(data.header) - 1)
    book.close()
    return out.getvalue()


def _last_column(data: Table) -> str:
    return str(xl_col_to_name(len(data.header) - 1))


def render(data: Table, fmt: Format) -> bytes:
    return to_csv(data) if fmt == "csv" else to_xlsx(data)


def filename(fmt: Format, moment: datetime, tr: Translator, full_nik: bool) -> str:
    day = moment.astimezone(tr.tz).strftime("%Y-%m-%d_%H%M")
    return f"pendaftar_{day}{'_nik-lengkap' if full_nik else ''}.{fmt}"
