"""A hosted payment link for (part of) a bill, sent to the patient by e-mail and/or SMS."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from skinspire.collections.models.bills import Bill
from skinspire.core.models import Branch, Hospital, TimeStampedModel
from skinspire.core.state_machine import StateMachine


def link_reference_new() -> str:
    """Our reference_id for the gateway (Razorpay reference_id is at most 40 characters)."""
    return f"PL{secrets.token_hex(10).upper()}"


def link_token_new() -> str:
    """The patient's page address: 192 random bits, so it cannot be guessed or walked."""
    return secrets.token_urlsafe(24)


EXPIRY_HOURS = (24, 48, 72)


class PaymentLink(TimeStampedModel):
    state_machine = StateMachine(
        ranks={"created": 0, "partially_paid": 1, "paid": 2, "expired": 2, "cancelled": 2},
        moves={
            "created": {"partially_paid", "paid", "expired", "cancelled"},
            "partially_paid": {"paid", "expired", "cancelled"},
        },
        final={"paid", "expired", "cancelled"},
    )

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="payment_links")
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="payment_links")
    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="payment_links")
    reference = models.CharField(max_length=40, unique=True, default=link_reference_new, editable=False)
    token = models.CharField(max_length=64, unique=True, default=link_token_new, editable=False)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    amount_paid = models.DecimalField(max_digits=12, decimal_places=2, default=0, editable=False)
    status = models.CharField(max_length=20, choices=state_machine.choices, default="created", editable=False)
    source = models.CharField(max_length=20)
    configuration = models.ForeignKey(
        "gateways.GatewayConfiguration", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    gateway_link_id = models.CharField(max_length=64, blank=True)
    gateway_url = models.URLField(max_length=500, blank=True)
    expires_at = models.DateTimeField()
    notify_email = models.BooleanField(default=False)
    notify_sms = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    tenant_branch_field = "branch"  # see skinspire.core.tenancy

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="collections_link_amount_positive"),
            models.UniqueConstraint(
                fields=["source", "gateway_link_id"],
                condition=~Q(gateway_link_id=""),
                name="collections_link_gateway_id_unique",
            ),
        ]

    def __str__(self):
        return f"Payment link {self.reference}"
