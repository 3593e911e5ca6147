"""The one rule for text a spreadsheet would run: in a workbook a leading "=", in a CSV also
+, -, @, tab and carriage return (OWASP); such text gets an apostrophe in front, and what was
marked so is read back exactly."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest

from skinspire.core.spreadsheets import CSV_FORMULA_STARTS, csv_row_inert, formula_inert, formula_restored

TEXTS = ["=1+1", "==cmd|' /C calc'!A0", "+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1", "'=1+1", "''+1",
         "Acme", "'quoted", "", "a=b"]  # fmt: skip


def test_a_workbook_cell_is_never_a_formula_and_amounts_stay_numbers():
    book = openpyxl.Workbook()
    book.active.append([formula_inert(value) for value in [*TEXTS, Decimal("12.50"), 7, None]])
    output = io.BytesIO()
    book.save(output)

    (row,) = openpyxl.load_workbook(io.BytesIO(output.getvalue())).active.iter_rows()

    assert [cell.data_type for cell in row if cell.value is not None] == ["s"] * (len(TEXTS) - 1) + ["n", "n"]
    assert [cell.value for cell in row[:3]] == ["'=1+1", "'==cmd|' /C calc'!A0", "+1"]  # only "=" runs here


def test_no_csv_field_starts_a_formula():
    output = io.StringIO()
    csv.writer(output).writerow(csv_row_inert([*TEXTS, 7, None]))

    (fields,) = csv.reader(io.StringIO(output.getvalue()))

    assert [field for field in fields if field.startswith(CSV_FORMULA_STARTS)] == []
    assert fields[:9] == ["'=1+1", "'==cmd|' /C calc'!A0", "'+1", "'-1+1", "'@SUM(A1)", "'\t=1+1", "'\r=1+1",
                          "''=1+1", "'''+1"]  # fmt: skip
    assert fields[9:] == ["Acme", "'quoted", "", "a=b", "7", ""]


@pytest.mark.parametrize("starts", ["=", CSV_FORMULA_STARTS])
def test_what_was_made_inert_is_read_back_exactly(starts):
    assert [formula_restored(formula_inert(text, starts), starts) for text in TEXTS] == TEXTS
    assert formula_restored("'plain", starts) == "'plain"  # an apostrophe of its own is kept
