"""PATCH /v1/orders/:id, /v1/payments/:id, /v1/refunds/:id through the SDK's edit(): notes only."""

import pytest
import razorpay

from skinspire.sandbox.models import SandboxObject
from skinspire.sandbox.razorpay.services.payments import CheckoutChoice, payment_checkout
from skinspire.sandbox.tests.factories import SandboxMerchantFactory, razorpay_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def merchant():
    return SandboxMerchantFactory()


@pytest.fixture
def client(merchant):
    return razorpay_client(merchant)


@pytest.fixture
def refunded(client, merchant):
    order = client.order.create({"amount": 50000, "currency": "INR", "notes": {"bill": "OPD-1"}})
    payment = payment_checkout(
        merchant=merchant, order_id=order["id"], choice=CheckoutChoice(method="upi", succeed=True)
    )
    refund = client.payment.refund(payment.object_id, {"amount": 1000})
    return order, payment.body, refund


def test_the_sdk_edits_the_notes_of_orders_payments_and_refunds(client, refunded):
    order, payment, refund = refunded
    before = {
        "order": client.order.fetch(order["id"]),
        "payment": client.payment.fetch(payment["id"]),
        "refund": client.refund.fetch(refund["id"]),
    }

    edited_order = client.order.edit(order["id"], {"notes": {"key1": "value3", "key2": "value2"}})
    edited_payment = client.payment.edit(payment["id"], {"notes": {"ward": "B2"}})
    edited_refund = client.refund.edit(refund["id"], {"notes": {"reason": "duplicate"}})

    # The new notes replace the old ones; nothing else changes.
    assert edited_order == {**before["order"], "notes": {"key1": "value3", "key2": "value2"}}
    assert edited_payment == {**before["payment"], "notes": {"ward": "B2"}}
    assert edited_refund == {**before["refund"], "notes": {"reason": "duplicate"}}
    assert before["order"]["notes"] == {"bill": "OPD-1"}
    assert client.order.fetch(order["id"]) == edited_order
    assert client.payment.fetch(payment["id"]) == edited_payment
    assert client.refund.fetch(refund["id"]) == edited_refund


@pytest.mark.parametrize("entity", ["order", "payment", "refund"])
def test_only_notes_can_change_and_they_are_required(client, refunded, entity):
    order, payment, refund = refunded
    resource, object_id = {
        "order": (client.order, order["id"]),
        "payment": (client.payment, payment["id"]),
        "refund": (client.refund, refund["id"]),
    }[entity]
    before = SandboxObject.objects.get(object_id=object_id).body

    with pytest.raises(
        razorpay.errors.BadRequestError, match="^amount is/are not required and should not be sent$"
    ):
        resource.edit(object_id, {"notes": {"a": "b"}, "amount": 1})
    with pytest.raises(razorpay.errors.BadRequestError, match="^The notes field is required.$"):
        resource.edit(object_id, {})
    with pytest.raises(razorpay.errors.BadRequestError, match="^The id provided does not exist$"):
        resource.edit(f"{entity}_DoesNotExist01", {"notes": {"a": "b"}})
    assert SandboxObject.objects.get(object_id=object_id).body == before
