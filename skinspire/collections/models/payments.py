"""A patient's payment against a bill: through a gateway (order, link) or at the counter."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from skinspire.collections.models.bills import Bill
from skinspire.core.models import Branch, Hospital, TimeStampedModel
from skinspire.core.state_machine import StateMachine


def payment_reference_new() -> str:
    """Our unique id for the payment, sent as Razorpay's receipt and Paytm's orderId
    (letters and digits only, well within both gateways' limits), and unguessable."""
    return f"PP{secrets.token_hex(10).upper()}"


class PaymentCategory(models.TextChoices):
    GATEWAY = "gateway", "Gateway"
    MANUAL = "manual", "Manual"


class PaymentSource:
    """Where the money came in: our counter ("internal"), or a gateway by its name in
    settings.GATEWAY_PROVIDERS (no choices here, so a third gateway needs no migration)."""

    INTERNAL = "internal"


class ManualMethod(models.TextChoices):
    CASH = "cash", "Cash"
    CHEQUE = "cheque", "Cheque"
    CARD_SWIPE = "card_swipe", "Card swipe"


# How a patient paid, in words, for the receipt: the counter's methods and the words the
# gateways store (Razorpay's lower-case `method`, Paytm's upper-case `paymentMode`); a word
# not here is shown as it came, so a new gateway method still reads.
METHOD_LABELS = {
    **dict(ManualMethod.choices),
    "upi": "UPI",
    "card": "Card",
    "cc": "Credit card",
    "dc": "Debit card",
    "netbanking": "Net banking",
    "nb": "Net banking",
    "wallet": "Wallet",
    "ppi": "Wallet",
    "emi": "EMI",
    "cardless_emi": "Cardless EMI",
    "paylater": "Pay later",
    "bank_transfer": "Bank transfer",
}


# Statuses in which the money has arrived (some of it may have gone back since).
RECEIVED_STATUSES = ("captured", "partially_refunded", "refunded")


class PatientPayment(TimeStampedModel):
    # `failed` ranks below `captured`: Razorpay lets a patient retry an order after a failed
    # attempt, and a gateway may capture after we saw a failure (or our order expired), so
    # money that arrives late still lands; a late failure after a capture is stale.
    state_machine = StateMachine(
        ranks={
            "pending": 0,
            "authorized": 1,
            "failed": 2,
            "captured": 3,
            "partially_refunded": 4,
            "refunded": 5,
        },
        moves={
            "pending": {"authorized", "failed", "captured"},
            "authorized": {"failed", "captured"},
            "failed": {"captured"},
            "captured": {"partially_refunded", "refunded"},
            "partially_refunded": {"refunded"},
        },
        final={"refunded"},
    )

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="patient_payments")
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="patient_payments")
    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="payments")
    reference = models.CharField(max_length=40, unique=True, default=payment_reference_new, editable=False)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    # Refunds processed by the gateway (or paid back at the counter); pending ones are not in it.
    amount_refunded = models.DecimalField(max_digits=12, decimal_places=2, default=0, editable=False)
    category = models.CharField(max_length=10, choices=PaymentCategory.choices)
    source = models.CharField(max_length=20, help_text='"internal" (the counter) or the gateway\'s name.')
    method = models.CharField(
        max_length=30, blank=True, help_text="cash, cheque, card_swipe, or the gateway's word."
    )
    status = models.CharField(max_length=20, choices=state_machine.choices, default="pending", editable=False)
    configuration = models.ForeignKey(
        "gateways.GatewayConfiguration", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    gateway_order_id = models.CharField(max_length=64, blank=True)
    gateway_payment_id = models.CharField(max_length=64, blank=True)
    bank_transaction_id = models.CharField(
        max_length=64,
        blank=True,
        help_text="The bank's reference (UTR / RRN), or a cheque or card-slip number.",
    )
    fee = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    tax = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    failure_code = models.CharField(max_length=100, blank=True)
    failure_reason = models.CharField(max_length=500, blank=True)
    captured_at = models.DateTimeField(null=True, blank=True)
    receipt_sent_at = models.DateTimeField(null=True, blank=True)
    payment_link = models.ForeignKey(
        "collections.PaymentLink", on_delete=models.PROTECT, null=True, blank=True, related_name="payments"
    )
    notes = models.CharField(max_length=500, blank=True)
    # The caller's key for a counter payment (skinspire.core.idempotency); NULL when none was
    # given, as for every gateway payment: the unique constraint lets any number of NULLs by,
    # and SQLite adds a nullable column without rebuilding the table (and losing its triggers).
    idempotency_key = models.CharField(  # noqa: DJ001
        max_length=100,
        null=True,
        blank=True,
        editable=False,
        help_text="The caller's; the same key returns the same payment.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    tenant_branch_field = "branch"  # see skinspire.core.tenancy

    class Meta:
        ordering = ["-created_at", "-id"]
        # Staff look a payment up by the bank's reference (UTR) in admin; only rows that have
        # one are indexed (a gateway payment's is often empty).
        indexes = [
            models.Index(
                fields=["bank_transaction_id"],
                condition=~Q(bank_transaction_id=""),
                name="collections_payment_utr",
            ),
            # The payments API counts a hospital's staff's payments exactly (its `count`); this
            # index alone answers that count (an index-only scan), where the table would be read.
            models.Index(fields=["hospital", "branch"], name="collections_payment_scope"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="collections_payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(amount_refunded__gte=0) & Q(amount_refunded__lte=F("amount")),
                name="collections_payment_refunds_within_amount",
            ),
            models.CheckConstraint(
                condition=(Q(category="manual") & Q(source="internal"))
                | (Q(category="gateway") & ~Q(source="internal")),
                name="collections_payment_source_matches_category",
            ),
            # One payment per order we make for a checkout. Not for a link's payments: a
            # Razorpay link has one order, and each part of a part-paid link is a payment of
            # it (https://razorpay.com/docs/payments/payment-links/partial-payments/); those
            # are told apart by their payment id, unique below.
            models.UniqueConstraint(
                fields=["source", "gateway_order_id"],
                condition=~Q(gateway_order_id="") & Q(payment_link__isnull=True),
                name="collections_payment_gateway_order_unique",
            ),
            models.UniqueConstraint(
                fields=["source", "gateway_payment_id"],
                condition=~Q(gateway_payment_id=""),
                name="collections_payment_gateway_payment_unique",
            ),
            # A condition, so SQLite makes it an index instead of rebuilding the table.
            models.UniqueConstraint(
                fields=["hospital", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="collections_payment_idempotency_unique",
            ),
        ]

    def __str__(self):
        return f"Patient payment {self.reference}"

    def get_method_display(self) -> str:
        """The method in words ("UPI", "Card swipe"); the gateway's name when it gave none."""
        if not self.method:
            return self.source.capitalize() if self.source else ""
        return METHOD_LABELS.get(self.method.lower(), self.method)

    @property
    def amount_net(self):
        return self.amount - self.amount_refunded
