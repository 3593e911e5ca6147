"""A report as an xlsx workbook (openpyxl, as the report reader already uses): one sheet,
bold headers, numbers as numbers so the accountant can sum and pivot them."""

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from skinspire.core.spreadsheets import formula_inert
from skinspire.reconciliation.reports.base import Report


def report_workbook(report: Report) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has its first sheet
    sheet.title = report.name[:31]
    sheet.append([f"{report.title}, since {report.since.isoformat()}"])
    sheet.append(list(report.headers))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in report.rows:
        sheet.append([formula_inert(value) for value in row])
    for column in report.amount_columns | report.percent_columns:
        for (cell,) in sheet.iter_rows(min_row=3, min_col=column + 1, max_col=column + 1):
            cell.number_format = "#,##0.00"
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
