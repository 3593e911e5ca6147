"""An uploaded report to the engine's rows: all or nothing."""

from datetime import date

from django.db import connection, transaction

from skinspire.core.errors import ApplicationError
from skinspire.core.text import counted
from skinspire.reconciliation.engine import GatewayRow
from skinspire.reconciliation.engine.memory import cyclic_gc_paused
from skinspire.reconciliation.inputs.gateway_lines import gateway_rows
from skinspire.reconciliation.inputs.reports.parsing import FORMATS_BY_PROVIDER, report_parse
from skinspire.reconciliation.inputs.reports.plain import plain_report_rows
from skinspire.reconciliation.inputs.reports.reading import report_read
from skinspire.reconciliation.inputs.reports.staging import report_stage, staged_rows

MOST_ERRORS_SHOWN = 200


def report_rows(*, content: bytes, file_name: str, provider: str, on: date) -> list[GatewayRow]:
    """Every row checked first; one bad row and nothing is imported, every error listed.

    A CSV file is parsed by PostgreSQL's COPY first and its columns checked on the way back
    (staging.py), else parsed and read a column at a time in Python (plain.py); a file that is
    not plain, or has an error, is read row by row, which lists every error."""
    report_format = FORMATS_BY_PROVIDER.get(provider)
    if report_format is not None and file_name.casefold().endswith(".csv"):
        with cyclic_gc_paused():  # a million rows at once (engine/memory.py)
            rows = _copied_rows(content, report_format, on=on)
            if rows is None:
                rows = plain_report_rows(content=content, report_format=report_format, on=on)
        if rows is not None:
            return rows
    parsed = report_parse(dataset=report_read(content=content, file_name=file_name), provider=provider)
    if parsed.errors:
        shown = [str(error) for error in parsed.errors[:MOST_ERRORS_SHOWN]]
        bad_lines = {error.line for error in parsed.errors}
        raise ApplicationError(
            f"{counted(len(bad_lines), 'row')} of '{file_name}' {'has' if len(bad_lines) == 1 else 'have'} errors; "
            "nothing was imported. Correct them and upload the file again.",
            extra={"rows": shown, "error_count": len(parsed.errors)},
        )
    if not parsed.lines:
        raise ApplicationError(f"'{file_name}' has no rows to reconcile.")
    return gateway_rows(list(parsed.lines), on=on)


def _copied_rows(content: bytes, report_format, *, on: date) -> list[GatewayRow] | None:
    if connection.vendor != "postgresql":
        return None
    with transaction.atomic():  # the staging table lives until the commit
        staged = report_stage(content=content, report_format=report_format)
        return staged_rows(staged, on=on) if staged is not None else None
