"""The enhanced reports of issue 12 item 6, for both directions (patient collections and
supplier payouts): gateway fees and GST by gateway, method and month with the effective rate;
the settlement timeline (paid → settled, in days); the success rate by gateway and mode.
Each is a `Report` (title, headers, rows) shown on the dashboard and exported as xlsx."""

from skinspire.reconciliation.reports.base import Report
from skinspire.reconciliation.reports.fees import fee_summary
from skinspire.reconciliation.reports.success import success_rates
from skinspire.reconciliation.reports.timeline import settlement_timeline

REPORTS = {
    "fees": fee_summary,
    "settlement-timeline": settlement_timeline,
    "success-rate": success_rates,
}

__all__ = ["REPORTS", "Report", "fee_summary", "settlement_timeline", "success_rates"]
