"""Two accountants linking one payment to two gateway lines at the same moment, on
PostgreSQL with real threads and connections: the second waits for the first's lock, then
finds the payment taken and is refused; the payment accounts for one line only."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from skinspire.collections.tests.factories import BillFactory, PatientPaymentFactory
from skinspire.core.errors import ConflictError
from skinspire.core.roles import ROLE_ACCOUNTANT
from skinspire.core.tests.test_transition_concurrency import backends_waiting_on_a_lock
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.ledger.services import chart_of_accounts_create
from skinspire.reconciliation.models import Discrepancy
from skinspire.reconciliation.services.resolutions import discrepancy_link
from skinspire.reconciliation.tests.admin_support import user_with
from skinspire.reconciliation.tests.test_payment_resolutions import missing_line

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_one_payment_is_linked_to_one_line_when_two_accountants_race(postgres_only, hospital):
    chart_of_accounts_create(hospital=hospital)
    # Two gateway accounts of the hospital, each with a line the payment could be.
    first = missing_line(GatewayConfigurationFactory(hospital=hospital, name="Razorpay main"))
    second = missing_line(
        GatewayConfigurationFactory(hospital=hospital, name="Razorpay city"), gateway_id="pay_lost_too"
    )
    payment = PatientPaymentFactory(
        bill=BillFactory(hospital=hospital, branch__hospital=hospital), amount=Decimal("500.00")
    )
    accountant = user_with(ROLE_ACCOUNTANT, hospital)
    a_linked, results, blocked = threading.Event(), {}, {}

    def link(discrepancy, key, hold: bool):
        try:
            with transaction.atomic():
                discrepancy_link(discrepancy=Discrepancy.objects.get(pk=discrepancy.pk), actor=accountant,
                                 payment_reference=payment.reference, note=key)  # fmt: skip
                if hold:  # keep the first link uncommitted until the second is waiting
                    a_linked.set()
                    blocked["B"] = backends_waiting_on_a_lock()
            results[key] = "linked"
        except ConflictError as error:
            results[key] = error.message
        finally:
            connection.close()

    def later():
        a_linked.wait(20)
        link(second, "B", hold=False)

    threads = [threading.Thread(target=link, args=(first, "A", True)), threading.Thread(target=later)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert blocked["B"] == 1
    assert results == {
        "A": "linked",
        "B": f"Payment {payment.reference} already accounts for discrepancy #{first.pk}.",
    }
    assert list(
        Discrepancy.objects.filter(linked_key=f"patient_payment:{payment.pk}").values_list("pk", flat=True)
    ) == [first.pk]
