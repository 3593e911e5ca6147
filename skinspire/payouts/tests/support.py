"""Helpers for payout tests: ledger lines of a payment, and its status history."""

from skinspire.core.models import StatusTransition
from skinspire.ledger.models import JournalLine


def ledger_lines(payment) -> list[tuple[str, str, str, str]]:
    """(event, account code, debit, credit) of every line posted for `payment`, in order."""
    lines = JournalLine.objects.filter(
        entry__source_type="payouts.supplierpayment", entry__source_id=str(payment.pk)
    ).order_by("entry_id", "id")
    return [(line.entry.event, line.account.code, str(line.debit), str(line.credit)) for line in lines]


def history(payment) -> list[tuple[str, str, str]]:
    rows = StatusTransition.objects.filter(
        content_type__app_label="payouts", content_type__model="supplierpayment", object_id=str(payment.pk)
    ).order_by("occurred_at", "id")
    return [(row.from_state, row.to_state, row.outcome) for row in rows]
