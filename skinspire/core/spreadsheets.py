"""Spreadsheets in and out. Reading one someone uploaded (a settlement report, a payout
batch): what the readers raise on a file that is not what its name says, and a workbook too
packed to open. Writing one: text that a spreadsheet would run as a formula.

django-import-export reads both formats through tablib: CSV with the csv module, .xlsx with
openpyxl, which unzips the workbook and parses its XML.
"""

import csv
import io
import zipfile
from decimal import Decimal
from typing import Any

import tablib

# What csv, zipfile, openpyxl and its XML parser (ElementTree's ParseError and lxml's
# XMLSyntaxError are both SyntaxErrors) and tablib raise on a broken or disguised file. csv.Error
# is also a line past the csv module's field limit (128 KiB).
UNREADABLE = (
    ValueError, KeyError, TypeError, OSError, IndexError, StopIteration, SyntaxError, csv.Error,
    zipfile.BadZipFile, tablib.InvalidDimensions,
)  # fmt: skip

# An .xlsx is a zip of XML. Real workbooks unpack to some 5-20 times their size; a "zip bomb"
# unpacks a small upload to gigabytes, which openpyxl would read row by row into memory first.
MOST_UNPACKED_RATIO = 100
ALWAYS_UNPACKED_BYTES = 10 * 1024 * 1024  # small workbooks: whatever their ratio


def cell_text(value: Any) -> str:
    """A cell as text, trimmed. A number in an .xlsx is a float there: written from its shortest
    text and in full, as the sheet shows it (1e+16 is 10000000000000000, 1e-05 is 0.00001), so
    an amount is read from what the person typed, not from Python's notation for it."""
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    return "" if value is None else str(value).strip()


class WorkbookTooPackedError(ValueError):
    """The workbook would unpack to far more than any real one of its size."""


def workbook_unpacked_size_check(content: bytes) -> None:
    """Raise WorkbookTooPackedError (a ValueError, so in UNREADABLE) for a workbook whose
    members add up to more than MOST_UNPACKED_RATIO times the file, by the zip's own
    directory: a member that claims less than it holds fails its CRC check when read."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        unpacked = sum(member.file_size for member in archive.infolist())
    if unpacked > max(MOST_UNPACKED_RATIO * len(content), ALWAYS_UNPACKED_BYTES):
        raise WorkbookTooPackedError(
            f"the workbook would unpack to {unpacked:,} bytes, {unpacked // max(len(content), 1):,} times its size"
        )


# What makes openpyxl write a text cell as a formula: a leading "=" (any other text is written
# as a string cell, which no spreadsheet runs, "+1", "-1" and "@x" included).
FORMULA_START = "="
# A CSV has no cell types: Excel and LibreOffice read each field as if it were typed in, so
# "+", "-" and "@" start a formula too, and a leading tab or carriage return may be dropped
# before one (OWASP's "CSV Injection" list).
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
INERT_MARK = "'"


def formula_like(value, starts: str | tuple[str, ...] = FORMULA_START) -> bool:
    """Text a spreadsheet would take for a formula (in a workbook; `CSV_FORMULA_STARTS` in a CSV)."""
    return isinstance(value, str) and value.startswith(starts)


def formula_inert(value, starts: str | tuple[str, ...] = FORMULA_START):
    """Text that would be written as a formula, with an apostrophe in front (OWASP's advice
    against formula injection), for a workbook made with openpyxl (django-import-export's
    .xlsx too) or, with `CSV_FORMULA_STARTS`, a CSV: notes, references and names come from
    gateways, patients and staff. Text already marked so gets one more apostrophe, so that
    formula_restored gives back exactly what was written.
    django-import-export's IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT is not used: it drops one
    "=" (so "==cmd|..." is still a formula) and writes every cell as text, amounts and dates
    included ("None" for an empty one)."""
    if isinstance(value, str) and formula_like(value.lstrip(INERT_MARK), starts):
        return INERT_MARK + value
    return value


def csv_row_inert(row) -> list:
    """A row for csv.writer with no field a spreadsheet would run (formula_inert)."""
    return [formula_inert(value, CSV_FORMULA_STARTS) for value in row]


def formula_restored(value, starts: str | tuple[str, ...] = FORMULA_START):
    """What formula_inert, by the same rule, was given, from what it wrote: a file we wrote
    may come back filled in (the payout batch's starting file). Other text is returned as it is."""
    if (
        isinstance(value, str)
        and value.startswith(INERT_MARK)
        and formula_like(value.lstrip(INERT_MARK), starts)
    ):
        return value[len(INERT_MARK) :]
    return value
