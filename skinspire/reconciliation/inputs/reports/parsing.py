"""Every row of a report validated before anything is stored: all errors, per row and column."""

from dataclasses import dataclass

import tablib

from skinspire.core.errors import ApplicationError
from skinspire.reconciliation.inputs.gateway_lines import LineFields
from skinspire.reconciliation.inputs.reports.cells import text
from skinspire.reconciliation.inputs.reports.formats import (
    FORMATS,
    ReportFormat,
    RowReader,
    normalised_header,
)

FORMATS_BY_PROVIDER = {report_format.provider: report_format for report_format in FORMATS}


@dataclass(frozen=True)
class RowError:
    line: int  # the line in the file, the header being line 1
    column: str  # as the file names it
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, {self.column}: {self.message}"


@dataclass(frozen=True)
class ReportParse:
    report_format: ReportFormat
    lines: tuple[LineFields, ...]
    errors: tuple[RowError, ...]


def report_parse(*, dataset: tablib.Dataset, provider: str) -> ReportParse:
    report_format = FORMATS_BY_PROVIDER.get(provider)
    if report_format is None:
        raise ApplicationError(f"There is no settlement report layout for {provider} configurations.")
    headers = [normalised_header(header) for header in dataset.headers or []]
    _check_columns(report_format, headers)
    written = {normalised_header(header): text(header) for header in dataset.headers}
    lines, errors = [], []
    for index, values in enumerate(dataset, start=2):
        if all(text(value) == "" for value in values):
            continue  # spreadsheets end with blank rows
        reader = RowReader(dict(zip(headers, values, strict=False)))
        fields = report_format.read_row(reader)
        errors += [RowError(index, written.get(column, column), message) for column, message in reader.errors]
        if not reader.errors:
            lines.append(fields)
    return ReportParse(report_format, tuple(lines), tuple(errors))


def _check_columns(report_format: ReportFormat, headers: list[str]) -> None:
    missing = [column for column in report_format.required if column not in headers]
    if not missing:
        return
    message = f"This file is not a {report_format.name}: columns {', '.join(missing)} are missing."
    for other in FORMATS:
        if other is not report_format and all(column in headers for column in other.required):
            message += f" It looks like a {other.name}: upload it for a {other.provider} configuration."
    raise ApplicationError(message, extra={"fields": {"file": [f"missing columns: {', '.join(missing)}"]}})
