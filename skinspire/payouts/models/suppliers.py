"""Suppliers, their bank / UPI accounts, their invoices, and each hospital's payout policy."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from skinspire.core.fields import SecretCharField
from skinspire.core.models import Hospital, TimeStampedModel
from skinspire.core.redaction import mask_account

ZERO = Decimal("0.00")


class PayoutPolicy(TimeStampedModel):
    """A hospital's rules for paying suppliers (absent: the settings' defaults apply)."""

    hospital = models.OneToOneField(Hospital, on_delete=models.PROTECT, related_name="payout_policy")
    approval_threshold = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(ZERO)],
        help_text="Payments of this amount or more need a Payment approver who is not their maker.",
    )
    # The seed's rollback step one: gateway payouts off, manual payments still recorded.
    gateway_payouts_enabled = models.BooleanField(
        default=True, help_text="Untick to refuse new gateway payouts for the whole hospital."
    )
    gateway_payouts_disabled_branches = models.ManyToManyField(
        "core.Branch",
        blank=True,
        related_name="+",
        help_text="Branches where new gateway payouts are refused (the rest of the hospital is unaffected).",
    )

    class Meta:
        verbose_name_plural = "payout policies"

    def __str__(self):
        return f"Payout policy of {self.hospital}"


class Supplier(TimeStampedModel):
    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="suppliers")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=20, blank=True)
    gstin = models.CharField(max_length=15, blank=True, verbose_name="GSTIN")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["hospital", "name"], name="payouts_supplier_name_unique")
        ]

    def __str__(self):
        return self.name


class AccountKind(models.TextChoices):
    BANK = "bank", "Bank account"
    UPI = "upi", "UPI id"


class AccountValidation(models.TextChoices):
    NOT_VALIDATED = "not_validated", "Not validated"
    PENDING = "pending", "Validation pending"
    ACTIVE = "active", "Valid"
    INVALID = "invalid", "Invalid"
    FAILED = "failed", "Validation failed (bank did not answer)"


class AccountApproval(models.TextChoices):
    APPROVED = "approved", "Approved"
    PENDING = "pending", "Awaiting approval of changed details"
    REJECTED = "rejected", "Changed details rejected"


class SupplierAccount(TimeStampedModel):
    """Where a supplier is paid. Account numbers and UPI ids are Fernet ciphertext at rest;
    `masked` (XXXX1234, ab***@okhdfc) is what every page, log and answer shows."""

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="+")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="accounts")
    kind = models.CharField(max_length=10, choices=AccountKind.choices)
    holder_name = models.CharField(max_length=120)
    account_number = SecretCharField(max_length=35, blank=True)
    ifsc = models.CharField(max_length=11, blank=True, verbose_name="IFSC")
    vpa = SecretCharField(max_length=100, blank=True, verbose_name="UPI id")
    masked = models.CharField(max_length=120, editable=False)
    is_active = models.BooleanField(default=True)

    validation_status = models.CharField(
        max_length=20, choices=AccountValidation.choices, default=AccountValidation.NOT_VALIDATED
    )
    validation_id = models.CharField(max_length=40, blank=True)
    validation_configuration = models.ForeignKey(
        "gateways.GatewayConfiguration", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    registered_name = models.CharField(
        max_length=200, blank=True, help_text="The name the bank (or UPI network) returned."
    )
    name_mismatch = models.BooleanField(default=False)
    validated_at = models.DateTimeField(null=True, blank=True)

    approval_status = models.CharField(
        max_length=10, choices=AccountApproval.choices, default=AccountApproval.APPROVED
    )
    details_changed_at = models.DateTimeField(null=True, blank=True)
    details_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    payable_after = models.DateTimeField(
        null=True, blank=True, help_text="End of the cooling-off period after a change of details."
    )

    class Meta:
        ordering = ["supplier__name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="bank") & ~Q(ifsc="")) | (Q(kind="upi") & Q(ifsc="")),
                name="payouts_account_ifsc_only_for_bank",
            ),
        ]

    def __str__(self):
        return f"{self.supplier} — {self.masked}"

    @property
    def identifier(self) -> str:
        """The clear account number or UPI id: for the gateway call only, never for display."""
        return self.vpa if self.kind == AccountKind.UPI else self.account_number

    def refresh_masked(self) -> None:
        self.masked = mask_account(self.identifier) + (f" ({self.ifsc})" if self.ifsc else "")

    def is_payable(self, *, at=None) -> bool:
        moment = at or timezone.now()
        cooled = self.payable_after is None or moment >= self.payable_after
        return self.is_active and self.approval_status == AccountApproval.APPROVED and cooled


class SupplierAccountGatewayLink(TimeStampedModel):
    """The gateway's contact and fund account for one account, per gateway configuration:
    created at the gateway on first use, reused after, dropped when the details change."""

    account = models.ForeignKey(SupplierAccount, on_delete=models.CASCADE, related_name="gateway_links")
    configuration = models.ForeignKey(
        "gateways.GatewayConfiguration", on_delete=models.PROTECT, related_name="+"
    )
    contact_id = models.CharField(max_length=40)
    fund_account_id = models.CharField(max_length=40)

    tenant_hospital_field = "account__hospital"

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "configuration"], name="payouts_one_gateway_link_per_configuration"
            )
        ]

    def __str__(self):
        return f"{self.fund_account_id} ({self.configuration_id})"


class SupplierInvoice(TimeStampedModel):
    """An invoice to pay. `amount_allocated` counts money promised to it by payments not yet
    failed or cancelled, `amount_paid` money that reached the supplier; neither may pass
    `amount` (database constraints, and the row lock in services/allocations.py)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        PARTLY_PAID = "partly_paid", "Partly paid"
        PAID = "paid", "Paid"

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="+")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="invoices")
    number = models.CharField(max_length=60)
    invoice_date = models.DateField()
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    amount_allocated = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO, editable=False)
    amount_paid = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO, editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN, editable=False)

    class Meta:
        ordering = ["invoice_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["supplier", "number"], name="payouts_invoice_number_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payouts_invoice_amount_positive"),
            models.CheckConstraint(
                condition=Q(amount_paid__gte=0) & Q(amount_paid__lte=F("amount_allocated")),
                name="payouts_invoice_paid_within_allocated",
            ),
            models.CheckConstraint(
                condition=Q(amount_allocated__lte=F("amount")), name="payouts_invoice_allocated_within_amount"
            ),
        ]

    def __str__(self):
        return f"{self.number} ({self.supplier})"

    @property
    def amount_open(self) -> Decimal:
        """What new payments may still be allocated to this invoice."""
        return self.amount - self.amount_allocated

    def status_for(self, amount_paid: Decimal) -> str:
        if amount_paid <= ZERO:
            return self.Status.OPEN
        return self.Status.PAID if amount_paid >= self.amount else self.Status.PARTLY_PAID
