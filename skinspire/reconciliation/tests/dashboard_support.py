"""Completed runs and open discrepancies with chosen figures, for the dashboard's tests."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from skinspire.reconciliation.models import Discrepancy, ReconciliationRun


def completed_run(configuration, *, days_ago: int, matched: int, discrepancies: int, fees: str, **fields):
    counts = {"matched": matched, "missing_at_gateway": discrepancies, "expected": 5}
    return ReconciliationRun.objects.create(
        hospital_id=configuration.hospital_id,
        configuration=configuration,
        run_date=timezone.localdate() - timedelta(days=days_ago),
        trigger="schedule",
        category_counts=counts,
        matched_count=matched,
        discrepancy_count=discrepancies,
        match_rate=Decimal(matched) / (matched + discrepancies),
        fees=Decimal(fees),
        **{"status": "completed", **fields},
    )


def open_discrepancy(run, *, summary: str, fingerprint: str) -> Discrepancy:
    return Discrepancy.objects.create(
        hospital_id=run.hospital_id,
        configuration=run.configuration,
        fingerprint=fingerprint,
        category="missing_at_gateway",
        run_date=run.run_date,
        first_run=run,
        last_run=run,
        summary=summary,
        amount_difference=Decimal("-450.00"),
    )
