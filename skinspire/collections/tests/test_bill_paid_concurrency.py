"""Racing collections on one bill, on PostgreSQL with real threads: the paid amount is
exactly the sum, never more than the bill, and each payment is posted once."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from skinspire.collections.models import PatientPayment
from skinspire.collections.services.payments import patient_payment_capture, patient_payment_manual_record
from skinspire.collections.tests.factories import BillFactory, PatientPaymentFactory
from skinspire.core.errors import ApplicationError
from skinspire.core.tests.factories import BranchFactory, UserFactory
from skinspire.ledger.models import JournalEntry
from skinspire.ledger.services import chart_of_accounts_create

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 10


def race(targets) -> list:
    start, results = threading.Barrier(len(targets)), [None] * len(targets)

    def body(index, target):
        try:
            start.wait(10)
            results[index] = target()
        except ApplicationError as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=body, args=(index, target)) for index, target in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture
def racing_bill(postgres_only):
    branch = BranchFactory()
    chart_of_accounts_create(hospital=branch.hospital)
    return BillFactory(branch=branch, amount=Decimal("1500.00"))


def test_ten_counter_collections_of_300_on_a_1500_bill_only_five_land(racing_bill):
    cashier = UserFactory(hospital=racing_bill.hospital)

    results = race(
        [
            lambda: patient_payment_manual_record(
                actor=cashier, bill=racing_bill, amount="300.00", method="cash"
            )
            for _ in range(THREADS)
        ]
    )

    landed = [result for result in results if isinstance(result, PatientPayment)]
    refused = [result for result in results if isinstance(result, ApplicationError)]
    assert (len(landed), len(refused)) == (5, 5)
    racing_bill.refresh_from_db()
    assert (racing_bill.amount_paid, racing_bill.status) == (Decimal("1500.00"), "paid")
    assert JournalEntry.objects.filter(event="received").count() == 5


def test_gateway_captures_and_counter_collections_at_once_sum_exactly(racing_bill):
    racing_bill.amount = Decimal("100000.00")
    racing_bill.save()
    cashier = UserFactory(hospital=racing_bill.hospital)
    orders = [PatientPaymentFactory(bill=racing_bill, amount=Decimal("1000.00")) for _ in range(THREADS // 2)]
    captures = [
        (
            lambda payment=payment: patient_payment_capture(
                payment=payment, reason="race", event_reference="race"
            )
        )
        for payment in orders
    ]
    # The same captures again: verify and webhook racing for the same payment.
    repeats = [
        (
            lambda payment=payment: patient_payment_capture(
                payment=payment, reason="again", event_reference="again"
            )
        )
        for payment in orders
    ]
    counter = [
        lambda: patient_payment_manual_record(actor=cashier, bill=racing_bill, amount="250.00", method="cash")
        for _ in range(THREADS // 2)
    ]

    race([*captures, *repeats, *counter])

    racing_bill.refresh_from_db()
    assert racing_bill.amount_paid == Decimal("5000.00") + Decimal("1250.00")
    assert racing_bill.status == "partly_paid"
    assert PatientPayment.objects.filter(status="captured").count() == THREADS
    assert JournalEntry.objects.filter(event="received").count() == THREADS
