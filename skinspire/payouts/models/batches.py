"""Batches of supplier payments uploaded as one file and approved as one."""

from django.conf import settings
from django.db import models

from skinspire.core.models import Hospital, TimeStampedModel
from skinspire.core.state_machine import StateMachine


class PayoutBatch(TimeStampedModel):
    """Its payments are SupplierPayments with `batch` set; their statuses are its progress."""

    state_machine = StateMachine(
        ranks={"pending_approval": 0, "approved": 1, "rejected": 1, "cancelled": 1},
        moves={"pending_approval": {"approved", "rejected", "cancelled"}},
        final={"approved", "rejected", "cancelled"},
        labels={"pending_approval": "Pending approval"},
    )

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=120)
    file_name = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=state_machine.choices, default="pending_approval")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "payout batches"

    def __str__(self):
        return f"{self.name} ({self.status})"


# Named in the API schema as PayoutBatchStatusEnum (settings/drf.py ENUM_NAME_OVERRIDES).
BATCH_STATUS_CHOICES = PayoutBatch.state_machine.choices
