"""Racing payments for the same open invoice amount on PostgreSQL: real threads, real row locks."""

import threading
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

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


def test_split_payments_racing_over_the_same_invoices_never_overallocate_or_deadlock(postgres_only):
    """Each racer splits its payment over the same two invoices, listed in either order: the
    rows are locked in primary-key order (core.locks), so no two racers deadlock, and each
    invoice ends with no more allocated than it has."""
    hospital = HospitalFactory()
    maker = UserFactory(hospital=hospital)
    supplier = SupplierFactory(hospital=hospital)
    first = SupplierInvoiceFactory(supplier=supplier, number="S-1", amount=Decimal("10000.00"))
    second = SupplierInvoiceFactory(supplier=supplier, number="S-2", amount=Decimal("5000.00"))
    racers = 2 * RACERS
    start, outcomes = threading.Barrier(racers), []

    def racer(number: int) -> None:
        shares = [
            AllocationRequest(first.pk, Decimal("3000.00")),
            AllocationRequest(second.pk, Decimal("2000.00")),
        ]
        request = PaymentRequest(
            supplier=supplier,
            amount="5000.00",
            method="manual",
            mode="bank_transfer",
            idempotency_key=f"split-{number}",
            invoices=shares if number % 2 else shares[::-1],
        )
        try:
            start.wait(10)
            supplier_payment_create(request=request, maker=maker)
            outcomes.append("allocated")
        except ConflictError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=racer, args=(number,)) for number in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    # S-2 has room for two 2,000 shares; the third racer to reach it is refused whole.
    assert sorted(outcomes) == ["allocated"] * 2 + ["refused"] * (racers - 2)
    assert SupplierInvoice.objects.get(pk=first.pk).amount_allocated == Decimal("6000.00")
    assert SupplierInvoice.objects.get(pk=second.pk).amount_allocated == Decimal("4000.00")
    assert PaymentAllocation.objects.count() == 4


def test_the_database_refuses_an_allocation_beyond_the_invoice_whatever_the_code(postgres_only):
    """The CHECK constraint is the last guard, under any code path that skips the service."""
    hospital = HospitalFactory()
    invoice = SupplierInvoiceFactory(supplier=SupplierFactory(hospital=hospital), amount=Decimal("100.00"))

    with pytest.raises(IntegrityError), transaction.atomic():
        SupplierInvoice.objects.filter(pk=invoice.pk).update(amount_allocated=Decimal("100.01"))

    assert SupplierInvoice.objects.get(pk=invoice.pk).amount_allocated == Decimal("0.00")
