"""`POST /api/patient-payment/verify` names its payment by a sequential id, and anyone may call
it. An id that names no checkout payment (none at all, or a counter payment) must not be told
from a real payment with a bad signature: the same status, body and headers, and the same
work behind them (the same queries, each writing one audit entry), so neither the answer nor
its time says which ids exist."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from skinspire.collections.models import PatientPayment
from skinspire.collections.tests.factories import PatientPaymentFactory
from skinspire.core.models import AuditEntry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_gateways")]

URL = "/api/patient-payment/verify"


@pytest.fixture
def real(bill):
    return PatientPaymentFactory(
        bill=bill,
        gateway_order_id="order_X",
        configuration=bill.hospital.gateway_configurations.get(provider="razorpay"),
    )


def unused_id_like(payment: PatientPayment) -> int:
    """An id that names no payment, written with as many digits as `payment`'s (so the bodies,
    which repeat the id asked about, are as long)."""
    digits = len(str(payment.pk))
    used = set(PatientPayment.objects.values_list("pk", flat=True))
    return next(pk for pk in range(10 ** (digits - 1), 10**digits) if pk not in used)


def verify(payment_id: int, order_id: str = "order_X"):
    body = {"payment_id": payment_id, "gateway_order_id": order_id, "gateway_payment_id": "pay_Q",
            "signature": "0" * 64}  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        response = APIClient().post(URL, body, format="json")
    return response, [query["sql"].split()[0].upper() for query in queries.captured_queries]


def answer(response) -> tuple[int, dict, dict]:
    """Status, body with the id asked about taken out, and every header but the answer's time
    (Expires is "now", to the second)."""
    body = response.json()
    body["extra"].pop("payment_id")
    headers = dict(response.headers)
    assert headers.pop("Expires")
    return response.status_code, body, headers


@pytest.mark.parametrize("order_id", ["order_X", "order_Other"], ids=["its order", "another order"])
def test_an_unknown_id_is_answered_as_a_bad_signature_on_a_real_payment(real, bill, order_id):
    counter = PatientPaymentFactory(bill=bill, category="manual", source="internal")
    missing = unused_id_like(real)
    for payment_id in (real.pk, missing):  # once each first: per-process caches (content types) warm
        verify(payment_id, order_id)

    known, known_queries = verify(real.pk, order_id)
    unknown, unknown_queries = verify(missing, order_id)
    not_checkout, not_checkout_queries = verify(counter.pk, order_id)

    assert known.status_code == 400
    assert known.json()["extra"] == {"payment_id": real.pk}
    assert unknown.json()["extra"] == {"payment_id": missing}
    assert answer(unknown) == answer(known)
    assert not_checkout.status_code == 400 and not_checkout.json()["message"] == known.json()["message"]
    assert unknown_queries == known_queries == not_checkout_queries
    assert len(known_queries) >= 3  # the payment, its configuration's credentials, the audit entry
    assert PatientPayment.objects.get(pk=real.pk).status == "pending"


def test_each_refusal_is_on_record_the_unknown_ids_in_the_global_chain(real):
    missing = unused_id_like(real)

    verify(real.pk)
    verify(missing)

    refused = AuditEntry.objects.get(action="patient_payment.verify_refused")
    unknown = AuditEntry.objects.get(action="patient_payment.verify_unknown")
    assert (refused.object_id, refused.chain) == (str(real.pk), f"hospital:{real.hospital_id}")
    assert (unknown.object_id, unknown.hospital_id, unknown.chain) == ("", None, "global")
    assert unknown.message == (
        f"A checkout callback named payment id {missing}, which is no checkout payment; nothing was captured."
    )
    assert unknown.changes == {
        "gateway_order_id": {"from": None, "to": "order_X"},
        "gateway_payment_id": {"from": None, "to": "pay_Q"},
    }
