"""Racing payments for the same open invoice amount on PostgreSQL: real threads, real row locks."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from skinspire.core.errors import ConflictError
from skinspire.core.tests.factories import HospitalFactory, UserFactory
from skinspire.payouts.models import PaymentAllocation, SupplierInvoice, SupplierPayment
from skinspire.payouts.services.allocations import AllocationRequest
from skinspire.payouts.services.payments import PaymentRequest, supplier_payment_create
from skinspire.payouts.tests.factories import SupplierFactory, SupplierInvoiceFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RACERS = 8


def test_only_what_is_open_is_allocated_whoever_races(postgres_only):
    hospital = HospitalFactory()
    maker = UserFactory(hospital=hospital)
    supplier = SupplierFactory(hospital=hospital)
    invoice = SupplierInvoiceFactory(supplier=supplier, amount=Decimal("10000.00"))
    start, outcomes = threading.Barrier(RACERS), []

    def racer(number: int) -> None:
        request = PaymentRequest(
            supplier=supplier,
            amount="3000.00",
            method="manual",
            mode="bank_transfer",
            idempotency_key=f"race-{number}",
            invoices=[AllocationRequest(invoice.pk, Decimal("3000.00"))],
        )
        try:
            start.wait(10)
            supplier_payment_create(request=request, maker=maker)
            outcomes.append("allocated")
        except ConflictError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=racer, args=(number,)) for number in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sorted(outcomes) == ["allocated"] * 3 + ["refused"] * (RACERS - 3)
    assert SupplierInvoice.objects.get(pk=invoice.pk).amount_allocated == Decimal("9000.00")
    assert SupplierPayment.objects.count() == 3 and PaymentAllocation.objects.count() == 3


def test_the_same_idempotency_key_raced_makes_one_payment(postgres_only):
    hospital = HospitalFactory()
    maker = UserFactory(hospital=hospital)
    supplier = SupplierFactory(hospital=hospital)
    start, results = threading.Barrier(RACERS), []

    def racer() -> None:
        request = PaymentRequest(
            supplier=supplier, amount="50.00", method="manual", mode="cash", idempotency_key="same"
        )
        try:
            start.wait(10)
            results.append(supplier_payment_create(request=request, maker=maker)[0].pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=racer) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert len(results) == RACERS and len(set(results)) == 1
    assert SupplierPayment.objects.count() == 1
