"""Helpers of the collections tests (no tests here)."""

from decimal import Decimal

from skinspire.core.models import StatusTransition
from skinspire.ledger.models import JournalEntry


def history_of(instance) -> list[tuple[str, str, str]]:
    return list(
        StatusTransition.objects.filter(
            object_id=str(instance.pk), content_type__model=instance._meta.model_name
        )
        .order_by("id")
        .values_list("from_state", "to_state", "outcome")
    )


def entries_for(instance) -> list[tuple[str, list[tuple[str, Decimal, Decimal]]]]:
    """(event, [(account code, debit, credit), ...]) of every journal entry posted for `instance`."""
    entries = JournalEntry.objects.filter(source_type=instance._meta.label_lower, source_id=str(instance.pk))
    return [
        (entry.event, sorted(entry.lines.values_list("account__code", "debit", "credit")))
        for entry in entries.order_by("id")
    ]


def link_create(staff, bill, **overrides):
    """POST /api/gateway/create-payment-link for the bill, as payments staff do (24 hours, no notice)."""
    body = {"bill_id": bill.pk, "expire_in_hours": 24, "notify": [], **overrides}
    return staff.post("/api/gateway/create-payment-link", body, format="json")
