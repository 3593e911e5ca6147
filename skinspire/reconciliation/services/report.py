"""The e-mail report after a scheduled run: summary, open discrepancies, xlsx attached.

Recipients are per configuration (MatchingSettings.report_recipients): a run is per
configuration, accountants already keep those settings in admin, and a hospital whose
gateways are looked after by different finance people can send each to the right ones.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from import_export.formats.base_formats import XLSX

from skinspire.core.redaction import redact_text
from skinspire.core.text import counted
from skinspire.reconciliation.admin.resources import DiscrepancyResource
from skinspire.reconciliation.models import (
    Discrepancy,
    MatchingSettings,
    ReconciliationRun,
    recipient_addresses,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def reconciliation_report_recipients(*, run: ReconciliationRun) -> list[str]:
    found = MatchingSettings.objects.filter(configuration_id=run.configuration_id).first()
    return recipient_addresses(found.report_recipients) if found else []


def reconciliation_report_send(*, run_id: int) -> bool:
    """Mail the report of a completed run, once: True if it went out now."""
    with transaction.atomic():
        run = (
            ReconciliationRun.objects.select_for_update(of=("self",))
            .select_related("configuration", "hospital")
            .get(pk=run_id)
        )
        recipients = reconciliation_report_recipients(run=run)
        if run.status != "completed" or run.report_sent_at is not None or not recipients:
            return False
        discrepancies = list(
            Discrepancy.objects.filter(configuration_id=run.configuration_id, status="open")
            .select_related("configuration", "resolved_by")
            .order_by("-run_date", "pk")
        )
        name = f"reconciliation-{run.run_date.isoformat()}-{run.configuration.name}"
        context = {
            "run": run,
            "configuration": run.configuration,
            "match_rate": f"{run.match_rate * 100:.2f}",
            "discrepancies": [(item, redact_text(item.summary)) for item in discrepancies],
        }
        message = EmailMessage(
            subject=(
                f"Reconciliation {run.run_date.isoformat()} — {run.configuration.name}: "
                f"{run.matched_count} matched, {counted(len(discrepancies), 'open discrepancy', 'open discrepancies')}"
            ),
            body=render_to_string("reconciliation/report_email.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=recipients,
        )
        # Native types, as the admin's export writes xlsx: amounts the accountant can sum, not text.
        dataset = DiscrepancyResource().export(queryset=discrepancies, force_native_type=True)
        message.attach(f"{slug(name)}.xlsx", XLSX().export_data(dataset), XLSX_TYPE)
        message.send()
        run.report_sent_at = timezone.now()
        run.save(update_fields=["report_sent_at"])
    return True


def slug(text: str) -> str:
    return "".join(char if char.isalnum() or char in "-_" else "-" for char in text)
