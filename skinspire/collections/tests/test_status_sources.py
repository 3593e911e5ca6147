"""What collections asks the status sync to look at: gateway payments, refunds and links
still waiting for the gateway, older than the sync's threshold and not abandoned."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from skinspire.collections.models import PatientPayment, PatientRefund, PaymentLink
from skinspire.collections.status_sources import (
    patient_payments_pending,
    patient_refunds_pending,
    payment_links_open,
)
from skinspire.collections.tests.factories import PatientPaymentFactory
from skinspire.core.tests.money_rows import create_in
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.gateways.webhooks.registry import StatusQuery, status_sources

pytestmark = pytest.mark.django_db


@pytest.fixture
def configuration(hospital):
    return GatewayConfigurationFactory(hospital=hospital)


def aged(queryset, *, hours: float) -> None:
    queryset.update(created_at=timezone.now() - timedelta(hours=hours))


def test_the_three_sources_are_registered():
    sources = status_sources()
    assert (
        sources["collections.payments"],
        sources["collections.refunds"],
        sources["collections.links"],
    ) == (
        patient_payments_pending,
        patient_refunds_pending,
        payment_links_open,
    )


def test_pending_gateway_payments_with_an_order(bill, configuration):
    waiting = PatientPaymentFactory(bill=bill, configuration=configuration, gateway_order_id="order_A")
    PatientPaymentFactory(
        bill=bill, configuration=configuration, gateway_order_id="order_B", status="authorized"
    )
    PatientPaymentFactory(
        bill=bill, configuration=configuration, gateway_order_id="order_C", status="captured"
    )
    PatientPaymentFactory(bill=bill, configuration=configuration)  # no order: nothing to ask
    aged(PatientPayment.objects.all(), hours=1)
    abandoned = PatientPaymentFactory(bill=bill, configuration=configuration, gateway_order_id="order_D")
    aged(PatientPayment.objects.filter(pk=abandoned.pk), hours=24 * 8)
    PatientPaymentFactory(bill=bill, configuration=configuration, gateway_order_id="order_E")  # too recent

    found = list(patient_payments_pending(older_than=timezone.now() - timedelta(minutes=10)))

    assert sorted(found, key=lambda query: query.gateway_id) == [
        StatusQuery(configuration.pk, "order", "order_A", waiting.reference),
        StatusQuery(
            configuration.pk,
            "order",
            "order_B",
            PatientPayment.objects.get(gateway_order_id="order_B").reference,
        ),
    ]


def test_pending_refunds(bill, configuration):
    payment = PatientPaymentFactory(
        bill=bill, configuration=configuration, gateway_order_id="o", status="captured"
    )
    pending = PatientRefund.objects.create(hospital=bill.hospital, branch=bill.branch, payment=payment,
                                           amount=Decimal("1.00"), reason="x", gateway_refund_id="rfnd_1")  # fmt: skip
    create_in(PatientRefund, hospital=bill.hospital, branch=bill.branch, payment=payment,
              amount=Decimal("1.00"), reason="y", status="processed")  # fmt: skip
    aged(PatientRefund.objects.all(), hours=1)

    found = list(patient_refunds_pending(older_than=timezone.now() - timedelta(minutes=10)))

    assert found == [StatusQuery(configuration.pk, "refund", "rfnd_1", pending.reference, parent_id="o")]


def test_open_links_until_a_week_after_they_expire(bill, configuration):
    def link(status: str, expires_in_hours: float, gateway_link_id: str) -> PaymentLink:
        return create_in(
            PaymentLink, hospital=bill.hospital, branch=bill.branch, bill=bill, amount=Decimal("10.00"), source="razorpay",
            configuration=configuration, gateway_link_id=gateway_link_id, status=status,
            expires_at=timezone.now() + timedelta(hours=expires_in_hours),
        )  # fmt: skip

    open_link = link("created", 24, "plink_1")
    partly = link("partially_paid", 24, "plink_2")
    link("paid", 24, "plink_3")
    link("created", -24 * 8, "plink_4")
    aged(PaymentLink.objects.all(), hours=1)

    found = list(payment_links_open(older_than=timezone.now() - timedelta(minutes=10)))

    assert sorted(found, key=lambda query: query.gateway_id) == [
        StatusQuery(configuration.pk, "payment_link", "plink_1", open_link.reference),
        StatusQuery(configuration.pk, "payment_link", "plink_2", partly.reference),
    ]
