"""bill_create / bill_update / patient_upsert: the billing system's writes, audited."""

from decimal import Decimal

import pytest

from skinspire.collections.models import Bill, BillCategory, BillStatus, Patient
from skinspire.collections.services.bills import bill_create, bill_status_for, bill_update, patient_upsert
from skinspire.collections.tests.factories import BillFactory, PatientFactory
from skinspire.core.errors import ApplicationError, ConflictError
from skinspire.core.models import AuditEntry
from skinspire.core.tests.factories import BranchFactory

pytestmark = pytest.mark.django_db


def test_patient_upsert_creates_then_updates_by_patient_number(hospital):
    first = patient_upsert(hospital=hospital, patient_number="UHID-1", name="Asha", phone="+91999")
    second = patient_upsert(hospital=hospital, patient_number="UHID-1", name="Asha Rao", email="a@x.example")

    assert first.pk == second.pk
    assert Patient.objects.values_list("name", "phone", "email").get() == ("Asha Rao", "", "a@x.example")


def test_bill_create_is_unpaid_and_audited(branch, staff_user):
    patient = PatientFactory(hospital=branch.hospital)

    bill = bill_create(
        actor=staff_user, branch=branch, patient=patient, number="OPD-1", category=BillCategory.PHARMACY,
        amount="1245.50",
    )  # fmt: skip

    assert (bill.hospital_id, bill.amount, bill.amount_paid, bill.status) == (
        branch.hospital_id,
        Decimal("1245.50"),
        Decimal("0"),
        BillStatus.UNPAID,
    )
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.object_id) == ("bill.create", staff_user, str(bill.pk))
    assert entry.changes["amount"] == {"from": None, "to": "1245.50"}


def test_a_second_bill_with_the_same_number_is_a_conflict_and_writes_nothing(branch, staff_user):
    existing = BillFactory(branch=branch, number="OPD-1")

    with pytest.raises(ConflictError) as error:
        bill_create(actor=staff_user, branch=branch, patient=existing.patient, number="OPD-1",
                    category=BillCategory.CONSULTATION, amount="10.00")  # fmt: skip

    assert error.value.extra == {"bill_id": existing.pk, "number": "OPD-1"}
    assert Bill.objects.count() == 1
    assert AuditEntry.objects.count() == 0


@pytest.mark.parametrize("amount", ["0", "-1.00", "1.005"])
def test_amount_must_be_positive_whole_paise(branch, staff_user, amount):
    patient = PatientFactory(hospital=branch.hospital)

    with pytest.raises(ApplicationError):
        bill_create(actor=staff_user, branch=branch, patient=patient, number="X-1", category="pharmacy",
                    amount=amount)  # fmt: skip

    assert Bill.objects.count() == 0


def test_patient_of_another_hospital_is_refused(branch, staff_user):
    stranger = PatientFactory()

    with pytest.raises(ApplicationError, match="different hospitals"):
        bill_create(actor=staff_user, branch=branch, patient=stranger, number="X-1", category="pharmacy",
                    amount="1.00")  # fmt: skip

    assert Bill.objects.count() == 0


def test_update_changes_fields_recomputes_status_and_audits_the_difference(staff_user):
    bill = BillFactory(
        amount=Decimal("1000.00"), amount_paid=Decimal("400.00"), status=BillStatus.PARTLY_PAID
    )

    updated = bill_update(actor=staff_user, bill=bill, amount=Decimal("400.00"), description="Revised")

    bill.refresh_from_db()
    assert (bill.amount, bill.status, bill.description) == (Decimal("400.00"), BillStatus.PAID, "Revised")
    assert updated.status == BillStatus.PAID
    entry = AuditEntry.objects.get()
    assert entry.changes == {
        "amount": {"from": "1000.00", "to": "400.00"},
        "description": {"from": "", "to": "Revised"},
    }


def test_amount_below_what_is_paid_is_refused(staff_user):
    bill = BillFactory(
        amount=Decimal("1000.00"), amount_paid=Decimal("400.00"), status=BillStatus.PARTLY_PAID
    )

    with pytest.raises(ApplicationError) as error:
        bill_update(actor=staff_user, bill=bill, amount=Decimal("399.99"))

    assert error.value.extra == {"fields": {"amount": ["At least 400.00."]}}
    bill.refresh_from_db()
    assert bill.amount == Decimal("1000.00")
    assert AuditEntry.objects.count() == 0


def test_fields_the_billing_system_does_not_own_cannot_be_updated(staff_user):
    bill = BillFactory(branch=BranchFactory())

    with pytest.raises(ValueError, match="amount_paid"):
        bill_update(actor=staff_user, bill=bill, amount_paid=Decimal("1.00"))


@pytest.mark.parametrize(
    ("paid", "status"),
    [("0.00", BillStatus.UNPAID), ("0.01", BillStatus.PARTLY_PAID), ("99.99", BillStatus.PARTLY_PAID),
     ("100.00", BillStatus.PAID), ("150.00", BillStatus.PAID)],
)  # fmt: skip
def test_status_follows_the_amounts(paid, status):
    assert bill_status_for(amount=Decimal("100.00"), amount_paid=Decimal(paid)) == status
