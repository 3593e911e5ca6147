"""20 simultaneous refund requests for one payment, on PostgreSQL with real threads (double
clicks, API retries): together they never exceed what was received."""

from decimal import Decimal

import pytest

from skinspire.collections.models import PatientRefund
from skinspire.collections.services.payments import patient_payment_manual_record
from skinspire.collections.services.refunds import patient_refund_create
from skinspire.collections.tests.factories import BillFactory
from skinspire.collections.tests.test_bill_paid_concurrency import race
from skinspire.core.errors import ConflictError
from skinspire.core.tests.factories import BranchFactory, UserFactory
from skinspire.ledger.models import JournalEntry
from skinspire.ledger.services import chart_of_accounts_create

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_twenty_refunds_of_100_on_a_1500_payment_only_fifteen_land(postgres_only):
    branch = BranchFactory()
    chart_of_accounts_create(hospital=branch.hospital)
    bill = BillFactory(branch=branch, amount=Decimal("1500.00"))
    cashier = UserFactory(hospital=branch.hospital)
    payment = patient_payment_manual_record(actor=cashier, bill=bill, amount="1500.00", method="cash")

    results = race(
        [
            lambda: patient_refund_create(
                actor=cashier, payment=payment, amount="100.00", reason="Double click"
            )
            for _ in range(20)
        ]
    )

    assert sum(isinstance(result, PatientRefund) for result in results) == 15
    assert sum(isinstance(result, ConflictError) for result in results) == 5
    payment.refresh_from_db()
    bill.refresh_from_db()
    assert (payment.status, payment.amount_refunded) == ("refunded", Decimal("1500.00"))
    assert (bill.amount_paid, bill.status) == (Decimal("0.00"), "unpaid")
    assert JournalEntry.objects.filter(event="processed").count() == 15
