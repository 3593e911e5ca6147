"""The refunds API shows a gateway refund pending too long as the watch marked it
(services/gateway_refunds_overdue.py): why a person must act and since when, read-only, and
so does the OpenAPI schema; an unmarked refund shows nulls."""

from datetime import timedelta
from decimal import Decimal
from typing import cast

import pytest
from django.utils import timezone

from skinspire.collections.models import PatientPayment, PatientRefund
from skinspire.collections.services.gateway_refunds_overdue import patient_refunds_overdue_watch
from skinspire.collections.tests.factories import PatientPaymentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def payment(bill, hospital, demo_gateways) -> PatientPayment:
    configuration = hospital.gateway_configurations.get(provider="razorpay")
    return cast(PatientPayment, PatientPaymentFactory(bill=bill, amount=Decimal("1500.00"), status="captured",
                configuration=configuration, gateway_order_id="order_A1", gateway_payment_id="pay_A1"))  # fmt: skip


def refund_of(payment, amount: str, *, days_ago: int) -> PatientRefund:
    refund = PatientRefund.objects.create(hospital=payment.hospital, branch=payment.branch, payment=payment,
                                          amount=Decimal(amount), reason="Overcharged",
                                          gateway_refund_id=f"rfnd_{amount[:3]}")  # fmt: skip
    PatientRefund.objects.filter(pk=refund.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return refund


def test_a_marked_refund_shows_why_and_since_when(client_as, payment):
    overdue = refund_of(payment, "300.00", days_ago=12)
    recent = refund_of(payment, "200.00", days_ago=1)
    patient_refunds_overdue_watch()
    overdue.refresh_from_db()
    assert overdue.attention_reason and overdue.attention_since

    response = client_as("accountant").get(f"/api/patient-payments/{payment.pk}/refunds")

    assert response.status_code == 200
    shown = {item["id"]: (item["attention_reason"], item["attention_since"]) for item in response.json()}
    assert shown == {
        overdue.pk: (
            overdue.attention_reason,
            timezone.localtime(overdue.attention_since).isoformat(),
        ),
        recent.pk: (None, None),
    }
    assert "Ask Razorpay's support about refund rfnd_300 (₹300.00" in overdue.attention_reason


def test_the_schema_names_them_read_only(client_as):
    response = client_as("accountant").get("/api/schema/?format=json")

    assert response.status_code == 200
    properties = response.json()["components"]["schemas"]["RefundOutput"]["properties"]
    for name, kind in (("attention_reason", {"type": "string"}),
                       ("attention_since", {"type": "string", "format": "date-time"})):  # fmt: skip
        assert {key: properties[name].get(key) for key in ("readOnly", "nullable", *kind)} == {
            "readOnly": True,
            "nullable": True,
            **kind,
        }
        assert properties[name]["description"]
