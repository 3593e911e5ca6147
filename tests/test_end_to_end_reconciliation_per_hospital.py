"""Two hospitals seeded with the demo's sandbox gateways each have sandbox merchants of their
own: a bill paid in each through the same gateway, the sandbox settling each merchant now,
and each hospital's reconciliation run sees its own payment's line only. (With one merchant
shared, the first settle-now put both payments in one settlement, which both hospitals'
runs then read.)"""

import pytest
from django.utils import timezone

from skinspire.core.tests.factories import HospitalFactory
from skinspire.reconciliation.models import Discrepancy
from skinspire.reconciliation.services.runs import reconciliation_run_start
from tests import collections_support as support
from tests import e2e_support as e2e

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("provider", ["razorpay", "paytm"])
def test_each_hospitals_run_sees_only_its_own_settlement_lines(api_client, receiver, provider):
    merchants, payments = [], []
    for name in ("Asha Hospital", "Ravi Hospital"):
        hospital = HospitalFactory(name=name)
        merchants.append(e2e.demo_gateways_seed(hospital=hospital)[provider])
        payments.append(support.paid(api_client, support.bill_in_demo_hospital(hospital), provider))
    assert merchants[0].key_id != merchants[1].key_id

    assert [support.settle_now(merchant)["settled"] for merchant in merchants] == [1, 1]

    for payment in payments:
        run = reconciliation_run_start(
            configuration=payment.configuration, run_date=timezone.localdate(), trigger="manual"
        )
        assert (run.status, run.gateway_row_count, run.discrepancy_count, run.error_message) == (
            "completed",
            1,
            0,
            "",
        )
        lines = [item.key for item in run.items.filter(side="gateway")]
        assert len(lines) == 1 and lines[0].endswith(f"/{payment.gateway_payment_id}"), lines
        assert [item.category for item in run.items.all()] == ["matched", "matched"]
    assert Discrepancy.objects.count() == 0
