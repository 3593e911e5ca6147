"""A refund of (part of) a received patient payment."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from skinspire.collections.models.payments import PatientPayment
from skinspire.core.models import Branch, Hospital, TimeStampedModel
from skinspire.core.state_machine import StateMachine


def refund_reference_new() -> str:
    """Our id for the refund: Razorpay's receipt and X-Refund-Idempotency key, Paytm's refId."""
    return f"RF{secrets.token_hex(10).upper()}"


# Refunds that count against what may still be refunded: all but the failed ones.
COMMITTED_REFUND_STATUSES = ("pending", "processed")


class PatientRefund(TimeStampedModel):
    state_machine = StateMachine(
        ranks={"pending": 0, "processed": 1, "failed": 1},
        moves={"pending": {"processed", "failed"}},
        final={"processed", "failed"},
    )

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="patient_refunds")
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="patient_refunds")
    payment = models.ForeignKey(PatientPayment, on_delete=models.PROTECT, related_name="refunds")
    reference = models.CharField(max_length=40, unique=True, default=refund_reference_new, editable=False)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    reason = models.CharField(max_length=500)
    status = models.CharField(max_length=20, choices=state_machine.choices, default="pending", editable=False)
    gateway_refund_id = models.CharField(max_length=64, blank=True)
    bank_reference = models.CharField(
        max_length=64, blank=True, help_text="ARN / RRN / UTR once the bank has it."
    )
    failure_code = models.CharField(max_length=100, blank=True)
    failure_reason = models.CharField(max_length=500, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    # The caller's key, as PatientPayment.idempotency_key (NULL: none given).
    idempotency_key = models.CharField(  # noqa: DJ001
        max_length=100,
        null=True,
        blank=True,
        editable=False,
        help_text="The caller's; the same key returns the same refund.",
    )
    # A gateway refund pending past the bound the gateway gives for refunds
    # (services/gateway_refunds_overdue.py): why a person must act, and since when; both
    # cleared when it resolves. Nullable so that adding them keeps SQLite's triggers (a NOT
    # NULL column makes Django rebuild the table, which drops them); NULL: nothing to do.
    attention_reason = models.CharField(max_length=500, null=True, blank=True, editable=False)  # noqa: DJ001
    attention_since = models.DateTimeField(null=True, blank=True, editable=False)
    # Once marked, the gateway is asked about it less often: when next.
    status_next_ask_at = models.DateTimeField(null=True, blank=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    tenant_branch_field = "branch"  # see skinspire.core.tenancy

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="collections_refund_amount_positive"),
            models.CheckConstraint(condition=~Q(reason=""), name="collections_refund_has_reason"),
            models.UniqueConstraint(
                fields=["hospital", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="collections_refund_idempotency_unique",
            ),
        ]

    def __str__(self):
        return f"Refund {self.reference}"
