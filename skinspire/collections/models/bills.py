"""Patients and their bills, as the hospital's billing system sends them."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper

from skinspire.core.models import Branch, Hospital, TimeStampedModel


class Patient(TimeStampedModel):
    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="patients")
    patient_number = models.CharField(max_length=40, help_text="The hospital's own patient number (UHID).")
    name = models.CharField(max_length=200)
    phone = models.CharField(max_length=20, blank=True)
    email = models.EmailField(blank=True)

    class Meta:
        ordering = ["hospital_id", "patient_number"]
        indexes = [
            # The bills search finds a patient by number in any case (UPPER(...) = UPPER(...)).
            # Parts of a name have a trigram index on PostgreSQL (migrations/0015_bill_search_indexes.py).
            models.Index(Upper("patient_number"), name="patient_number_upper"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["hospital", "patient_number"], name="collections_patient_number_unique"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.patient_number})"


class BillCategory(models.TextChoices):
    CONSULTATION = "consultation", "Consultation"
    TREATMENT_ADVANCE = "treatment_advance", "Treatment advance"
    FINAL_BILL = "final_bill", "Final bill"
    PHARMACY = "pharmacy", "Pharmacy"
    PACKAGE = "package", "Package"


class BillStatus(models.TextChoices):
    """Derived from the amounts (skinspire.collections.services.bills.bill_status_for), not a
    state machine: a refund reopens a paid bill, which a forward-only table would forbid."""

    UNPAID = "unpaid", "Unpaid"
    PARTLY_PAID = "partly_paid", "Partly paid"
    PAID = "paid", "Paid"


class Bill(TimeStampedModel):
    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="bills")
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="bills")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="bills")
    number = models.CharField(max_length=40, help_text="The billing system's bill number.")
    category = models.CharField(max_length=20, choices=BillCategory.choices)
    description = models.CharField(max_length=200, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    # Captured payments minus refunds, kept by skinspire.collections.services under the bill's row lock.
    amount_paid = models.DecimalField(max_digits=12, decimal_places=2, default=0, editable=False)
    status = models.CharField(
        max_length=20, choices=BillStatus.choices, default=BillStatus.UNPAID, editable=False
    )
    due_date = models.DateField(null=True, blank=True)

    tenant_branch_field = "branch"  # see skinspire.core.tenancy

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["hospital", "number"], name="collections_bill_number_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="collections_bill_amount_positive"),
            models.CheckConstraint(
                condition=Q(amount_paid__gte=0), name="collections_bill_amount_paid_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(status__in=BillStatus.values), name="collections_bill_status_known"
            ),
        ]

    def __str__(self):
        return f"Bill {self.number}"

    @property
    def amount_open(self) -> Decimal:
        return max(self.amount - self.amount_paid, Decimal("0.00"))
