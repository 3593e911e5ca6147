"""An uploaded report to the engine's rows: all or nothing."""

from datetime import date

from skinspire.core.errors import ApplicationError
from skinspire.reconciliation.engine import GatewayRow
from skinspire.reconciliation.inputs.gateway_lines import gateway_rows
from skinspire.reconciliation.inputs.reports.parsing import report_parse
from skinspire.reconciliation.inputs.reports.reading import report_read

MOST_ERRORS_SHOWN = 200


def report_rows(*, content: bytes, file_name: str, provider: str, on: date) -> list[GatewayRow]:
    """Every row checked first; one bad row and nothing is imported, every error listed."""
    parsed = report_parse(dataset=report_read(content=content, file_name=file_name), provider=provider)
    if parsed.errors:
        shown = [str(error) for error in parsed.errors[:MOST_ERRORS_SHOWN]]
        raise ApplicationError(
            f"{len({error.line for error in parsed.errors})} row(s) of '{file_name}' have errors; "
            "nothing was imported. Correct them and upload the file again.",
            extra={"rows": shown, "error_count": len(parsed.errors)},
        )
    if not parsed.lines:
        raise ApplicationError(f"'{file_name}' has no rows to reconcile.")
    return gateway_rows(list(parsed.lines), on=on)
