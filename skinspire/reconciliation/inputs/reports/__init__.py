"""The gateways' own settlement report files (CSV or Excel), read and validated row by row."""

from skinspire.reconciliation.inputs.reports.parsing import ReportParse, RowError, report_parse
from skinspire.reconciliation.inputs.reports.reading import report_read
from skinspire.reconciliation.inputs.reports.upload import report_rows

__all__ = ["ReportParse", "RowError", "report_parse", "report_read", "report_rows"]
