"""Patients and bills: created and updated by the hospital's billing system (API, admin)."""

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction

from skinspire.collections.models import Bill, BillStatus, Patient
from skinspire.collections.services.links_beyond_open import links_beyond_open_cancel_after_commit
from skinspire.core import locks
from skinspire.core.audit import audit_entry_record
from skinspire.core.errors import ApplicationError, ConflictError
from skinspire.core.models import Branch, Hospital, User
from skinspire.core.money import format_inr, to_rupees

BILL_UPDATABLE_FIELDS = ("category", "description", "amount", "due_date")


def patient_upsert(
    *, hospital: Hospital, patient_number: str, name: str, phone: str = "", email: str = ""
) -> Patient:
    """The hospital's patient with this number, created or brought up to date."""
    patient, _ = Patient.objects.update_or_create(
        hospital=hospital,
        patient_number=patient_number,
        defaults={"name": name, "phone": phone, "email": email},
    )
    return patient


def bill_status_for(*, amount: Decimal, amount_paid: Decimal) -> str:
    if amount_paid <= 0:
        return BillStatus.UNPAID
    return BillStatus.PAID if amount_paid >= amount else BillStatus.PARTLY_PAID


@transaction.atomic
def bill_create(
    *,
    actor: User | None,
    branch: Branch,
    patient: Patient,
    number: str,
    category: str,
    amount: Decimal | str,
    due_date: date | None = None,
    description: str = "",
) -> Bill:
    if patient.hospital_id != branch.hospital_id:
        raise ApplicationError("The patient and the branch belong to different hospitals.")
    amount = _positive(amount)
    existing = Bill.objects.filter(hospital_id=branch.hospital_id, number=number).first()
    if existing is not None:
        raise _duplicate(existing)
    try:
        with transaction.atomic():
            bill = Bill.objects.create(
                hospital_id=branch.hospital_id,
                branch=branch,
                patient=patient,
                number=number,
                category=category,
                description=description,
                amount=amount,
                due_date=due_date,
            )
    except IntegrityError:  # created by a concurrent request with the same number
        raise _duplicate(Bill.objects.get(hospital_id=branch.hospital_id, number=number)) from None
    audit_entry_record(
        action="bill.create",
        actor=actor,
        target=bill,
        changes={
            "number": {"from": None, "to": number},
            "amount": {"from": None, "to": amount},
            "category": {"from": None, "to": category},
        },
    )
    return bill


@transaction.atomic
def bill_update(*, actor: User | None, bill: Bill, **changes) -> Bill:
    """Change what the billing system may change; the paid amount and status follow the payments."""
    unknown = set(changes) - set(BILL_UPDATABLE_FIELDS)
    if unknown:
        raise ValueError(f"Bill fields that cannot be updated: {', '.join(sorted(unknown))}.")
    locked = locks.lock_instance(bill)
    if "amount" in changes:
        changes["amount"] = _positive(changes["amount"])
        if changes["amount"] < locked.amount_paid:
            raise ApplicationError(
                f"{format_inr(locked.amount_paid)} of this bill is already paid; its amount cannot be less.",
                {"fields": {"amount": [f"At least {locked.amount_paid}."]}},
            )
    recorded = {
        name: {"from": getattr(locked, name), "to": value}
        for name, value in changes.items()
        if getattr(locked, name) != value
    }
    lowered = "amount" in changes and changes["amount"] < locked.amount
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.status = bill_status_for(amount=locked.amount, amount_paid=locked.amount_paid)
    locked.save()
    if lowered:  # links made for the old amount may now ask for more than is open
        links_beyond_open_cancel_after_commit(bill=locked)
    if recorded:
        audit_entry_record(action="bill.update", actor=actor, target=locked, changes=recorded)
    return locked


def _positive(amount: Decimal | str) -> Decimal:
    rupees = to_rupees(amount)
    if rupees <= 0:
        raise ApplicationError(
            "The amount must be more than zero.", {"fields": {"amount": ["More than zero."]}}
        )
    return rupees


def _duplicate(bill: Bill) -> ConflictError:
    return ConflictError(
        f"Bill {bill.number} already exists; update it instead.", {"bill_id": bill.pk, "number": bill.number}
    )
