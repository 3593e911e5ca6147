"""A link paid in parts: each part is a payment of the link's one gateway order (Razorpay),
so the database takes several payments of one order when they are a link's (migration 0014),
and a payment event finds the part it names by its payment id, never another part by the
shared order (services/events.py, `patient_payment_for_event`)."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from skinspire.collections.models import PaymentLink
from skinspire.collections.services.events import patient_payment_for_event
from skinspire.collections.tests.factories import PatientPaymentFactory
from skinspire.gateways.models import GatewayConfiguration
from skinspire.gateways.providers.interface import GatewayEvent

pytestmark = pytest.mark.django_db

ORDER = "order_LINK1"
# PostgreSQL names the constraint, SQLite its columns.
ORDER_UNIQUE = "collections_payment_gateway_order_unique|collections_patientpayment.source, collections_patientpayment.gateway_order_id"
PAYMENT_UNIQUE = "collections_payment_gateway_payment_unique|collections_patientpayment.source, collections_patientpayment.gateway_payment_id"


def part(link: PaymentLink, payment_id: str, amount: str):
    return PatientPaymentFactory(bill=link.bill, payment_link=link, amount=Decimal(amount),
                                 gateway_order_id=ORDER, gateway_payment_id=payment_id)  # fmt: skip


def captured(payment_id: str, order_id: str = ORDER) -> GatewayEvent:
    return GatewayEvent(
        provider="razorpay", event_id=f"evt_{payment_id}", event_type="payment.captured", object_type="payment",
        object_id=payment_id, status="captured", gateway_payment_id=payment_id, gateway_order_id=order_id,
    )  # fmt: skip


def configuration_of(hospital) -> GatewayConfiguration:
    # Only its hospital is read: the handler scopes the lookup to the configuration's hospital.
    return GatewayConfiguration(hospital=hospital, provider="razorpay")


def test_a_links_parts_share_its_order_and_a_checkouts_payments_do_not(link):
    first, second = part(link, "pay_1", "1000.00"), part(link, "pay_2", "1500.00")
    checkout = PatientPaymentFactory(bill=link.bill, gateway_order_id="order_CHECKOUT")

    with (
        pytest.raises(IntegrityError, match=ORDER_UNIQUE),
        transaction.atomic(),
    ):
        PatientPaymentFactory(bill=link.bill, gateway_order_id="order_CHECKOUT")
    with (
        pytest.raises(IntegrityError, match=PAYMENT_UNIQUE),
        transaction.atomic(),
    ):
        part(link, "pay_2", "100.00")

    assert {first.gateway_order_id, second.gateway_order_id} == {ORDER}
    assert link.payments.count() == 2
    assert checkout.payment_link is None


def test_a_payment_event_finds_the_part_it_names(link):
    part(link, "pay_1", "1000.00")
    second = part(link, "pay_2", "1500.00")

    found = patient_payment_for_event(event=captured("pay_2"), configuration=configuration_of(link.hospital))

    assert found == second


def test_a_part_not_yet_recorded_is_left_to_the_links_flow(link):
    part(link, "pay_1", "1000.00")

    found = patient_payment_for_event(event=captured("pay_2"), configuration=configuration_of(link.hospital))

    assert found is None


def test_a_checkout_payment_is_found_by_its_order_before_its_payment_id_is_known(bill):
    checkout = PatientPaymentFactory(bill=bill, gateway_order_id="order_CHECKOUT")

    found = patient_payment_for_event(
        event=captured("pay_9", order_id="order_CHECKOUT"), configuration=configuration_of(bill.hospital)
    )

    assert found == checkout


def test_a_payment_of_another_hospital_is_not_found(link, hospital):
    part(link, "pay_1", "1000.00")
    other = GatewayConfiguration(hospital_id=hospital.pk + 1000, provider="razorpay")

    assert patient_payment_for_event(event=captured("pay_1"), configuration=other) is None
