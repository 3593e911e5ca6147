"""Many workers dispatching the same approved payout at once, on PostgreSQL with real
threads: exactly one gateway payout, one `submitted` move, the rest find it taken."""

import threading

import pytest
from django.db import connection

from skinspire.payouts.models import SupplierPayment
from skinspire.payouts.services.payments import PaymentRequest, supplier_payment_create
from skinspire.payouts.services.submission import supplier_payment_dispatch
from skinspire.payouts.tests.factories import upi_account
from skinspire.payouts.tests.support import history
from skinspire.sandbox.models import SandboxObject

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WORKERS = 12


def test_concurrent_dispatches_create_one_gateway_payout(postgres_only, configuration, supplier, maker):
    request = PaymentRequest(
        supplier=supplier, account=upi_account(supplier), amount="750.00", method="gateway_payout", mode="upi"
    )
    payment = supplier_payment_create(request=request, maker=maker)[0]
    SupplierPayment.objects.filter(pk=payment.pk).update(status="approved")
    start, errors = threading.Barrier(WORKERS), []

    def worker() -> None:
        try:
            start.wait(10)
            supplier_payment_dispatch(payment_id=payment.pk)
        except Exception as error:  # noqa: BLE001 - a test thread reports whatever broke it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    assert SandboxObject.objects.filter(entity="payout").count() == 1
    assert SupplierPayment.objects.get(pk=payment.pk).status == "processing"
    assert history(payment) == [("approved", "submitted", "applied"), ("submitted", "processing", "applied")]
