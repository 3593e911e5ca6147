"""A gateway refund posted twice under one idempotency key, through both sandboxes: the
gateway is asked once, and the retry answers 200 with the first refund as it stands."""

from decimal import Decimal

import pytest

from skinspire.collections.models import PatientRefund
from skinspire.gateways.models import GatewayTransactionLog
from tests.test_end_to_end_collections_refunds import paid

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("provider", ["razorpay", "paytm"])
def test_a_retried_refund_is_sent_to_the_gateway_once(
    staff, bill, provider, django_capture_on_commit_callbacks
):
    payment = paid(staff, bill, provider, django_capture_on_commit_callbacks)
    body = {"amount": "500.00", "reason": "Procedure cancelled", "idempotency_key": "refund-retry-1"}

    with django_capture_on_commit_callbacks(execute=True):
        first = staff.post(f"/api/patient-payments/{payment.pk}/refunds", body, format="json")
        again = staff.post(f"/api/patient-payments/{payment.pk}/refunds", body, format="json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert (again.json()["id"], again.json()["status"], again.json()["amount"]) == (
        first.json()["id"],
        "pending",
        "500.00",
    )
    assert list(PatientRefund.objects.values_list("amount", "idempotency_key")) == [
        (Decimal("500.00"), "refund-retry-1")
    ]
    assert GatewayTransactionLog.objects.filter(operation="create_refund").count() == 1
