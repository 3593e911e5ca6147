"""Supplier payments and their allocation to invoices."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from skinspire.core.models import Branch, Hospital, TimeStampedModel
from skinspire.core.state_machine import StateMachine


class PaymentMethod(models.TextChoices):
    MANUAL = "manual", "Manual (cash, cheque, bank transfer)"
    GATEWAY_PAYOUT = "gateway_payout", "Gateway payout"
    PAYOUT_LINK = "payout_link", "Payout link"


class TransferMode(models.TextChoices):
    UPI = "upi", "UPI"
    IMPS = "imps", "IMPS"
    NEFT = "neft", "NEFT"
    RTGS = "rtgs", "RTGS"
    CASH = "cash", "Cash"
    CHEQUE = "cheque", "Cheque"
    BANK_TRANSFER = "bank_transfer", "Bank transfer"
    # A payout link: the supplier picks UPI or a bank account on the gateway's page.
    SUPPLIER_CHOICE = "supplier_choice", "Supplier's choice (payout link)"


GATEWAY_MODES = (TransferMode.UPI, TransferMode.IMPS, TransferMode.NEFT, TransferMode.RTGS)
MANUAL_MODES = (TransferMode.CASH, TransferMode.CHEQUE, TransferMode.BANK_TRANSFER)


class SupplierPayment(TimeStampedModel):
    """One payment to a supplier. The status moves only along `state_machine`
    (skinspire.core.transitions); docs/state-machines.md has the table."""

    state_machine = StateMachine(
        ranks={
            "draft": 0,
            "pending_approval": 1,
            "approved": 2,
            "rejected": 2,
            "submitted": 3,
            "unknown": 4,  # the gateway call's outcome is not known; status sync resolves it
            "processing": 5,
            # An end beside completed and failed: a payout link can be cancelled at the
            # gateway after it was issued (processing), as well as a payment before sending.
            "cancelled": 6,
            "expired": 6,  # a payout link nobody claimed in time
            "completed": 6,
            "failed": 6,
            "reversed": 7,
        },
        moves={
            "draft": {"pending_approval", "approved", "cancelled"},
            "pending_approval": {"approved", "rejected", "cancelled"},
            # A manual payment is completed by hand once approved.
            "approved": {"submitted", "cancelled", "completed"},
            "submitted": {"unknown", "processing", "completed", "failed", "cancelled", "expired"},
            "unknown": {"processing", "completed", "failed", "cancelled", "expired"},
            "processing": {"completed", "failed", "cancelled", "expired"},
            "completed": {"reversed"},
        },
        final={"rejected", "cancelled", "expired", "failed", "reversed"},
        labels={"pending_approval": "Pending approval", "unknown": "Outcome unknown"},
    )
    # Statuses in which the payment's allocations hold money of their invoices.
    HOLDING_STATUSES = (
        "draft",
        "pending_approval",
        "approved",
        "submitted",
        "unknown",
        "processing",
        "completed",
    )

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="+")
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    supplier = models.ForeignKey("payouts.Supplier", on_delete=models.PROTECT, related_name="payments")
    account = models.ForeignKey(
        "payouts.SupplierAccount", on_delete=models.PROTECT, null=True, blank=True, related_name="payments"
    )
    method = models.CharField(max_length=20, choices=PaymentMethod.choices)
    mode = models.CharField(max_length=20, choices=TransferMode.choices)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    status = models.CharField(max_length=20, choices=state_machine.choices, default="draft")
    reference = models.CharField(
        max_length=40, unique=True, editable=False, help_text="Ours, sent to the gateway."
    )
    idempotency_key = models.CharField(
        max_length=100, help_text="The caller's; the same key returns the same payment."
    )
    gateway_idempotency_key = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    requested_provider = models.CharField(max_length=20, blank=True)
    configuration = models.ForeignKey(
        "gateways.GatewayConfiguration", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    gateway_payout_id = models.CharField(max_length=60, blank=True, db_index=True)
    # The fund account the first request named ("" = composite payout): a resend under the
    # same idempotency key must send the same body (reference §2.4).
    gateway_fund_account_id = models.CharField(max_length=40, blank=True)
    fee_preview = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    fee = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, help_text="Including tax."
    )
    tax = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    utr = models.CharField(max_length=40, blank=True, verbose_name="UTR")
    failure_reason = models.TextField(blank=True)
    failure_code = models.CharField(max_length=60, blank=True)
    # Why the gateway holds a payout still in flight, in its words (e.g. queued for low
    # balance): shown to staff so a waiting payout is not a mystery. The newest word only.
    waiting_reason = models.TextField(blank=True)
    waiting_code = models.CharField(max_length=60, blank=True)
    # When the gateway said them (a webhook's own time; now, for a status we fetched): webhooks
    # come in any order, and one said earlier must not bring back an older word.
    waiting_said_at = models.DateTimeField(null=True, blank=True, editable=False)
    description = models.CharField(max_length=200, blank=True)
    manual_reference = models.CharField(
        max_length=100, blank=True, help_text="Cheque number, bank reference ..."
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    retry_of = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="retried_by",
        help_text="The failed payment this one retries (a new payment, a new idempotency key).",
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    batch = models.ForeignKey(
        "payouts.PayoutBatch", on_delete=models.PROTECT, null=True, blank=True, related_name="payments"
    )
    batch_row = models.PositiveIntegerField(null=True, blank=True, help_text="Its row in the uploaded file.")
    # Payout links (method payout_link): what we asked for, and what the gateway issued.
    link_expire_hours = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The link runs out this long after it is issued."
    )
    link_send_email = models.BooleanField(default=False, help_text="The gateway e-mails the link.")
    link_send_sms = models.BooleanField(default=False, help_text="The gateway texts the link.")
    payout_link_id = models.CharField(max_length=40, blank=True, db_index=True)
    payout_link_url = models.URLField(max_length=500, blank=True)
    payout_link_status = models.CharField(max_length=20, blank=True, help_text="The gateway's word.")
    # When the gateway said that word (and named the claim's payout), as waiting_said_at.
    payout_link_said_at = models.DateTimeField(null=True, blank=True, editable=False)
    payout_link_expires_at = models.DateTimeField(null=True, blank=True)
    # Payouts a claim of the link made that failed (the link went back to issued): one
    # {"payout_id", "fee", "tax", "failed_at"} each. RazorpayX debits a payout once it is
    # processing and credits it back when it fails, so reconciliation expects both lines of
    # such an attempt on the statement (fees are charged only after the debit, reference §2.6).
    failed_payout_attempts = models.JSONField(default=list, blank=True)

    tenant_branch_field = "branch"

    class Meta:
        ordering = ["-created_at", "-id"]
        # Staff look a payment up by its UTR in admin; only rows that have one are indexed.
        indexes = [models.Index(fields=["utr"], condition=~Q(utr=""), name="payouts_payment_utr")]
        constraints = [
            models.UniqueConstraint(
                fields=["hospital", "idempotency_key"], name="payouts_payment_idempotency_unique"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payouts_payment_amount_positive"),
            models.CheckConstraint(
                condition=~Q(method="gateway_payout") | Q(account__isnull=False),
                name="payouts_gateway_payment_has_account",
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.amount} ({self.status})"

    @property
    def allocated_total(self) -> Decimal:
        return sum((line.amount for line in self.allocations.all()), Decimal("0.00"))


class PaymentAllocation(models.Model):
    """How much of a payment settles one invoice (a split payment has several)."""

    payment = models.ForeignKey(SupplierPayment, on_delete=models.PROTECT, related_name="allocations")
    invoice = models.ForeignKey(
        "payouts.SupplierInvoice", on_delete=models.PROTECT, related_name="allocations"
    )
    amount = models.DecimalField(max_digits=14, decimal_places=2)

    tenant_hospital_field = "payment__hospital"

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["payment", "invoice"], name="payouts_one_allocation_per_invoice"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payouts_allocation_amount_positive"),
        ]

    def __str__(self):
        return f"{self.amount} of {self.payment_id} to invoice {self.invoice_id}"
