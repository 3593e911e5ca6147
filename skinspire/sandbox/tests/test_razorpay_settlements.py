"""T+1 settlements and the recon report, read back through the official SDK."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from skinspire.sandbox.models import SandboxObject, SandboxWebhookDelivery
from skinspire.sandbox.razorpay.services.settlements import (
    settlement_generate,
    settlements_generate_all,
)
from skinspire.sandbox.razorpay.tasks import sandbox_razorpay_settlements_daily
from skinspire.sandbox.tests.factories import SandboxMerchantFactory, razorpay_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def merchant():
    return SandboxMerchantFactory(webhook_url="https://hooks.example/razorpay")


@pytest.fixture
def client(merchant):
    return razorpay_client(merchant)


def _paid_order(client, amount, receipt):
    order = client.order.create({"amount": amount, "currency": "INR", "receipt": receipt})
    response = Client(HTTP_HOST="sandbox.testserver").post(
        f"/sandbox/razorpay/checkout/{order['id']}/", {"method": "upi", "vpa": "ok@upi", "outcome": "success"}
    )
    return response.context["payment"]["id"]


def test_settlement_nets_fees_and_refunds_and_the_sdk_reads_it(client, merchant):
    first = _paid_order(client, 50000, "OPD-1")  # fee 1000 + GST 180
    second = _paid_order(client, 123457, "OPD-2")  # 2% = 2469.14 → 2469, GST 444.42 → 444
    refund = client.payment.refund(first, {"amount": 20000})
    tomorrow = timezone.localdate() + timedelta(days=1)

    settlement = settlement_generate(merchant=merchant, settlement_date=tomorrow)

    assert settlement_generate(merchant=merchant, settlement_date=tomorrow) == settlement
    fetched = client.settlement.fetch(settlement.object_id)
    credit = (50000 - 1180) + (123457 - 2913)
    assert {key: fetched[key] for key in ("entity", "amount", "status", "fees", "tax")} == {
        "entity": "settlement",
        "amount": credit - 20000,
        "status": "processed",
        "fees": 1180 + 2913,
        "tax": 180 + 444,
    }
    assert fetched["id"].startswith("setl_") and fetched["utr"].startswith("RZRP")
    assert client.settlement.all() == {"entity": "collection", "count": 1, "items": [fetched]}

    report = client.settlement.report({"year": tomorrow.year, "month": tomorrow.month, "day": tomorrow.day})

    assert report["count"] == 3
    items = {item["entity_id"]: item for item in report["items"]}
    assert {
        key: items[first][key] for key in ("type", "credit", "debit", "amount", "fee", "tax", "payment_id")
    } == {
        "type": "payment",
        "credit": 48820,
        "debit": 0,
        "amount": 50000,
        "fee": 1180,
        "tax": 180,
        "payment_id": None,
    }
    assert (items[first]["order_receipt"], items[first]["method"]) == ("OPD-1", "upi")
    assert {key: items[refund["id"]][key] for key in ("type", "credit", "debit", "payment_id")} == {
        "type": "refund",
        "credit": 0,
        "debit": 20000,
        "payment_id": first,
    }
    assert {item["settlement_id"] for item in report["items"]} == {fetched["id"]}
    assert {item["settlement_utr"] for item in report["items"]} == {fetched["utr"]}
    assert (
        sum(i["credit"] for i in report["items"]) - sum(i["debit"] for i in report["items"])
        == fetched["amount"]
    )
    assert client.settlement.report({"year": tomorrow.year, "month": tomorrow.month})["count"] == 3
    assert "settlement.processed" in SandboxWebhookDelivery.objects.values_list("event_type", flat=True)
    assert second in items


def test_nothing_to_settle_creates_nothing(merchant):
    assert settlement_generate(merchant=merchant, settlement_date=timezone.localdate()) is None
    assert not SandboxObject.objects.filter(entity="settlement").exists()


def test_captures_are_settled_once_and_only_on_the_next_day(client, merchant):
    _paid_order(client, 10000, "OPD-3")

    assert settlement_generate(merchant=merchant, settlement_date=timezone.localdate()) is None
    assert sandbox_razorpay_settlements_daily() == 0
    assert settlements_generate_all(settlement_date=timezone.localdate() + timedelta(days=1)) == 1
    assert (
        settlement_generate(merchant=merchant, settlement_date=timezone.localdate() + timedelta(days=2))
        is None
    )
    assert SandboxObject.objects.filter(entity="settlement").count() == 1
    assert SandboxObject.objects.filter(entity="recon_item").count() == 1


def test_recon_validation(client):
    import razorpay

    with pytest.raises(razorpay.errors.BadRequestError, match="The year must be 4 digits."):
        client.settlement.report({"year": 26, "month": 1})
    with pytest.raises(razorpay.errors.BadRequestError, match="The month must be between 1 and 12."):
        client.settlement.report({"year": 2026, "month": 13})
