"""The adapter contract, ids and amounts.

Ids: a result's `gateway_*_id` is the gateway's own key for the object (the sandbox holds
the object under exactly that id), and `reference_id` / `refund_reference` is ours, as we
sent it and as the gateway keeps it. Looking an object up again returns the same ids.

Amounts: Decimal rupees in and out, two places, exact; what reaches the gateway is the
same amount to the paisa (integer paise for Razorpay, rupee strings for Paytm).
"""

from decimal import Decimal

import pytest

from skinspire.core.money import rupees_to_paise
from skinspire.gateways.tests.contract import builders
from skinspire.gateways.tests.contract.flows import paid_order
from skinspire.gateways.tests.contract.gateways import over_both

pytestmark = pytest.mark.django_db


def assert_exact(amount, expected: str) -> None:
    assert isinstance(amount, Decimal)
    assert (amount, amount.as_tuple().exponent) == (Decimal(expected), -2)


def held(gateway, kind: str, gateway_id: str):
    stored = gateway.spec.sandbox_object(kind, gateway_id)
    assert stored is not None, f"the sandbox holds no {kind} under {gateway_id!r}"
    return stored


@over_both
def test_a_payout_carries_the_gateways_id_and_our_reference(gateway):
    created = gateway.provider.create_payout(builders.payout(reference_id="CPAY-0042"))
    fetched = gateway.provider.fetch_payout(reference_id="CPAY-0042")

    stored = held(gateway, "payout", created.gateway_payout_id)
    assert gateway.spec.sandbox_reference("payout", stored) == "CPAY-0042"
    assert (created.reference_id, fetched.reference_id) == ("CPAY-0042", "CPAY-0042")
    assert fetched.gateway_payout_id == created.gateway_payout_id != "CPAY-0042"


@over_both
def test_an_order_and_its_payment_carry_the_gateways_ids(gateway):
    order, payment = paid_order(gateway, receipt="CBILL-0042")

    stored_order = held(gateway, "order", order.gateway_order_id)
    assert gateway.spec.sandbox_reference("order", stored_order) == "CBILL-0042"
    held(gateway, "payment", payment.gateway_payment_id)
    assert payment.gateway_order_id == order.gateway_order_id
    assert payment.gateway_payment_id not in ("", order.gateway_order_id, "CBILL-0042")


@over_both
def test_a_refund_carries_the_gateways_id_and_our_reference(gateway):
    order, payment = paid_order(gateway)
    request = builders.refund(
        gateway_payment_id=payment.gateway_payment_id,
        gateway_order_id=order.gateway_order_id,
        refund_reference="CRFND-0042",
    )

    created = gateway.provider.create_refund(request)
    fetched = gateway.provider.fetch_refund(
        refund_reference="CRFND-0042", gateway_order_id=order.gateway_order_id
    )

    stored = held(gateway, "refund", created.gateway_refund_id)
    assert gateway.spec.sandbox_reference("refund", stored) == "CRFND-0042"
    assert (created.refund_reference, fetched.refund_reference) == ("CRFND-0042", "CRFND-0042")
    assert fetched.gateway_refund_id == created.gateway_refund_id != "CRFND-0042"
    assert created.gateway_payment_id == fetched.gateway_payment_id == payment.gateway_payment_id


@over_both
def test_a_payment_link_carries_the_gateways_id_and_its_payments(gateway):
    link = gateway.provider.create_payment_link(builders.payment_link(reference_id="CLINK-0042"))
    gateway.spec.pay_link(gateway.merchant, link.gateway_link_id)
    fetched = gateway.provider.fetch_payment_link(link.gateway_link_id)

    stored = held(gateway, "link", link.gateway_link_id)
    assert gateway.spec.sandbox_reference("link", stored) == "CLINK-0042"
    assert fetched.gateway_link_id == link.gateway_link_id
    assert link.url.startswith("http://sandbox.testserver/")
    (payment_id,) = fetched.payment_ids
    held(gateway, "payment", payment_id)


@over_both
@pytest.mark.parametrize(("sent", "read"), [("1234.56", "1234.56"), ("99.9", "99.90"), ("1", "1.00")])
def test_a_payout_amount_goes_out_and_comes_back_exact(gateway, sent, read):
    created = gateway.provider.create_payout(builders.payout(amount=Decimal(sent)))
    fetched = gateway.provider.fetch_payout(reference_id="CPAY-0001")

    assert_exact(created.amount, read)
    assert_exact(fetched.amount, read)
    stored = held(gateway, "payout", created.gateway_payout_id)
    assert gateway.spec.sandbox_paise("payout", stored) == rupees_to_paise(Decimal(sent))


@over_both
def test_collection_amounts_go_out_and_come_back_exact(gateway):
    order, payment = paid_order(gateway)
    refund = gateway.provider.create_refund(
        builders.refund(
            gateway_payment_id=payment.gateway_payment_id,
            gateway_order_id=order.gateway_order_id,
            amount=Decimal("1.01"),
        )
    )
    link = gateway.provider.create_payment_link(builders.payment_link(amount=Decimal("999.99")))

    for result, expected in ((order, "1500.10"), (payment, "1500.10"), (refund, "1.01"), (link, "999.99")):
        assert_exact(result.amount, expected)
    assert_exact(link.amount_paid, "0.00")
    sent = {
        "order": (order.gateway_order_id, 150010),
        "payment": (payment.gateway_payment_id, 150010),
        "refund": (refund.gateway_refund_id, 101),
        "link": (link.gateway_link_id, 99999),
    }
    for kind, (gateway_id, paise) in sent.items():
        assert gateway.spec.sandbox_paise(kind, held(gateway, kind, gateway_id)) == paise, kind
