"""Collection rows that mix hospitals (or branches), refused by the database however they
are written (migration 0010; PostgreSQL and SQLite): inserts and updates that bypass the services."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from skinspire.collections.models import Bill, Patient, PatientPayment, PatientRefund, PaymentLink
from skinspire.collections.services.payments import patient_payment_manual_record
from skinspire.collections.services.refunds import patient_refund_create
from skinspire.collections.tests.factories import BillFactory, PatientFactory, PatientPaymentFactory
from skinspire.core.tests.factories import BranchFactory
from skinspire.gateways.tests.factories import GatewayConfigurationFactory

pytestmark = pytest.mark.django_db


def refused(label: str, reason: str):
    """PostgreSQL names the row (#id), SQLite cannot before the insert."""
    return pytest.raises(IntegrityError, match=rf"collections: {label} (#\d+ )?refused: {reason}")


def link_for(bill: Bill, /, **changes) -> PaymentLink:
    values = {"hospital": bill.hospital, "branch": bill.branch, "bill": bill, "amount": Decimal("100.00"),
              "source": "razorpay", "expires_at": timezone.now() + timedelta(hours=1)}  # fmt: skip
    return PaymentLink(**{**values, **changes})


def payment_for(bill: Bill, /, **changes) -> PatientPayment:
    values = {"hospital": bill.hospital, "branch": bill.branch, "bill": bill, "amount": Decimal("100.00"),
              "category": "gateway", "source": "razorpay"}  # fmt: skip
    return PatientPayment(**{**values, **changes})


@pytest.fixture
def elsewhere(db):
    """One of each hospital-owned row a collection row names, all of another hospital."""
    bill = BillFactory()
    link = link_for(bill)
    link.save()
    return {
        "branch": bill.branch,
        "bill": bill,
        "patient": bill.patient,
        "configuration": GatewayConfigurationFactory(hospital=bill.hospital),
        "payment_link": link,
        "payment": PatientPaymentFactory(bill=bill, status="captured"),
    }


@pytest.fixture
def cash(bill, staff_user):
    """A payment recorded through the service, as every real one is."""
    return patient_payment_manual_record(actor=staff_user, bill=bill, amount="1500.00", method="cash")


FOREIGN_PAYMENT_FIELDS = [
    ("branch", "its branch belongs to another hospital"),
    ("configuration", "its gateway configuration belongs to another hospital"),
    ("payment_link", "its payment link belongs to another hospital"),
]


@pytest.mark.parametrize(
    ("field", "reason"), [*FOREIGN_PAYMENT_FIELDS, ("bill", "its bill belongs to another hospital")]
)
def test_a_payment_naming_another_hospitals_row_is_refused_at_insert(bill, elsewhere, field, reason):
    with refused("patient payment", reason), transaction.atomic():
        PatientPayment.objects.bulk_create([payment_for(bill, **{field: elsewhere[field]})])

    assert PatientPayment.objects.filter(bill=bill).count() == 0


@pytest.mark.parametrize(("field", "reason"), FOREIGN_PAYMENT_FIELDS)
def test_a_payment_pointed_at_another_hospitals_row_is_refused_at_update(cash, elsewhere, field, reason):
    with refused("patient payment", reason), transaction.atomic():
        PatientPayment.objects.filter(pk=cash.pk).update(**{field: elsewhere[field]})

    assert PatientPayment.objects.filter(pk=cash.pk, branch=cash.branch_id, payment_link=None).exists()


@pytest.mark.parametrize("field", ["hospital", "bill"])
def test_a_payments_hospital_and_bill_never_change(cash, elsewhere, field):
    moved = {"hospital": elsewhere["bill"].hospital, "branch": elsewhere["branch"], "bill": elsewhere["bill"]}

    with refused("patient payment", "its id, hospital and bill never change"), transaction.atomic():
        PatientPayment.objects.filter(pk=cash.pk).update(
            **(moved if field == "hospital" else {"bill": moved["bill"]})
        )

    assert PatientPayment.objects.filter(pk=cash.pk, hospital=cash.hospital_id, bill=cash.bill_id).exists()


def test_a_payment_at_another_branch_than_its_bills_is_refused(bill, hospital):
    sibling = BranchFactory(hospital=hospital)

    with refused("patient payment", "its bill belongs to another branch"), transaction.atomic():
        payment_for(bill, branch=sibling).save()


def test_a_payment_through_another_bills_link_is_refused(bill, hospital):
    other_bill = BillFactory(branch=bill.branch)
    link = link_for(other_bill)
    link.save()

    with refused("patient payment", "its payment link belongs to another bill"), transaction.atomic():
        payment_for(bill, payment_link=link).save()


@pytest.mark.parametrize(("field", "reason"), [
    ("payment", "its payment belongs to another hospital"),
    ("branch", "its branch belongs to another hospital"),
])  # fmt: skip
def test_a_refund_naming_another_hospitals_row_is_refused_at_insert(cash, elsewhere, field, reason):
    refund = PatientRefund(
        hospital=cash.hospital, branch=cash.branch, payment=cash, amount=Decimal("1.00"), reason="Asked"
    )
    setattr(refund, field, elsewhere[field])

    with refused("patient refund", reason), transaction.atomic():
        PatientRefund.objects.bulk_create([refund])

    assert PatientRefund.objects.count() == 0


def test_a_refund_at_another_branch_than_its_payments_is_refused(cash, hospital):
    refund = PatientRefund(
        hospital=hospital, branch=BranchFactory(hospital=hospital), payment=cash, amount=1, reason="Asked"
    )

    with refused("patient refund", "its payment belongs to another branch"), transaction.atomic():
        refund.save()


def test_a_refunds_hospital_and_payment_never_change(cash, bill, staff_user, elsewhere):
    refund = patient_refund_create(actor=staff_user, payment=cash, amount="100.00", reason="Asked")
    second = patient_payment_manual_record(actor=staff_user, bill=bill, amount="100.00", method="cash")

    with refused("patient refund", "its id, hospital and payment never change"), transaction.atomic():
        PatientRefund.objects.filter(pk=refund.pk).update(payment=second)
    with refused("patient refund", "its id, hospital and payment never change"), transaction.atomic():
        PatientRefund.objects.filter(pk=refund.pk).update(
            hospital=elsewhere["bill"].hospital, branch=elsewhere["branch"], payment=elsewhere["payment"]
        )

    assert PatientRefund.objects.filter(pk=refund.pk, payment=cash).exists()


@pytest.mark.parametrize(("field", "reason"), [
    ("bill", "its bill belongs to another hospital"),
    ("branch", "its branch belongs to another hospital"),
    ("configuration", "its gateway configuration belongs to another hospital"),
])  # fmt: skip
def test_a_payment_link_naming_another_hospitals_row_is_refused(bill, elsewhere, field, reason):
    with refused("payment link", reason), transaction.atomic():
        link_for(bill, **{field: elsewhere[field]}).save()

    assert PaymentLink.objects.filter(bill=bill).count() == 0


def test_a_payment_links_bill_never_changes(bill, elsewhere):
    link = link_for(bill)
    link.save()

    with refused("payment link", "its id, hospital and bill never change"), transaction.atomic():
        PaymentLink.objects.filter(pk=link.pk).update(bill=BillFactory(branch=bill.branch))

    assert PaymentLink.objects.filter(pk=link.pk, bill=bill).exists()


def test_a_bill_for_another_hospitals_patient_is_refused(branch, elsewhere):
    with refused("bill", "its patient belongs to another hospital"), transaction.atomic():
        BillFactory(branch=branch, patient=elsewhere["patient"])


def test_a_bills_branch_and_patient_and_a_patients_hospital_never_change(bill, hospital, elsewhere):
    with refused("bill", "its id, hospital, branch and patient never change"), transaction.atomic():
        Bill.objects.filter(pk=bill.pk).update(branch=BranchFactory(hospital=hospital))
    with refused("bill", "its id, hospital, branch and patient never change"), transaction.atomic():
        Bill.objects.filter(pk=bill.pk).update(patient=PatientFactory(hospital=hospital))
    with refused("patient", "its id and hospital never change"), transaction.atomic():
        Patient.objects.filter(pk=bill.patient_id).update(hospital=elsewhere["bill"].hospital)

    assert Bill.objects.filter(pk=bill.pk, branch=bill.branch_id, patient__hospital=hospital).exists()


def test_the_service_paths_still_write_and_change_payments(cash, bill, hospital, staff_user):
    """Paid at the counter, refunded in part, saved whole, given a configuration of its hospital."""
    refund = patient_refund_create(actor=staff_user, payment=cash, amount="400.00", reason="Duplicate charge")
    configuration = GatewayConfigurationFactory(hospital=hospital)

    cash.refresh_from_db()
    cash.notes = "Saved whole"
    cash.save()
    PatientPayment.objects.filter(pk=cash.pk).update(configuration=configuration)

    cash.refresh_from_db()
    assert (refund.status, cash.status, cash.amount_refunded) == (
        "processed",
        "partially_refunded",
        Decimal("400.00"),
    )
    assert (cash.configuration_id, cash.notes, cash.bill_id) == (configuration.pk, "Saved whole", bill.pk)
