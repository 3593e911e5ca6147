"""Razorpay settlements and recon lines for a day, every page fetched (reference §6)."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import responses
from responses import matchers

from skinspire.gateways.models import GatewayTransactionLog
from skinspire.gateways.tests.test_razorpay_support import BASE, fixture, make_provider

pytestmark = pytest.mark.django_db

# 2026-04-10 00:00:00 IST .. 23:59:59 IST in Unix seconds.
DAY_START, DAY_END = 1775759400, 1775845799


@pytest.fixture
def provider(hospital):
    return make_provider(hospital=hospital)


def recon_item(number: int, **overrides) -> dict:
    item = {"entity_id": f"pay_{number:014d}", "type": "payment", "debit": 0, "credit": 97100, "amount": 100000,
            "currency": "INR", "fee": 2900, "tax": 0, "on_hold": False, "settled": True, "created_at": 1775700000,
            "settled_at": 1775800000, "settlement_id": "setl_DGlQ1Rj8os78Ec", "settlement_utr": "1568176960vxp0rj",
            "posted_at": 1775800100, "order_id": f"order_{number:014d}", "order_receipt": f"BILL-{number}",
            "notes": "{}", "payment_id": None, "method": "upi"}  # fmt: skip
    return {**item, **overrides}


@responses.activate
def test_settlements_of_a_day_in_ist(provider):
    responses.get(
        f"{BASE}/v1/settlements",
        match=[
            matchers.query_param_matcher(
                {"from": str(DAY_START), "to": str(DAY_END), "count": "100", "skip": "0"}
            )
        ],
        json=fixture("settlement_collection"),
    )

    settlements = provider.fetch_settlements(on=date(2026, 4, 10))

    assert [item.settlement_id for item in settlements] == [
        "setl_7IZKKI4Pnt2kEe",
        "setl_4xbSwsPABDJ8oK",
        "setl_4xbSwsPABDJ8jE",
    ]
    first = settlements[0]
    assert (first.amount, first.fees, first.tax, first.utr, first.status) == (
        Decimal("500.00"),
        Decimal("1.23"),
        Decimal("0.12"),
        "RZRP173069230703",
        "processed",
    )
    assert first.created_at == datetime.fromtimestamp(1509622307, tz=UTC)


@responses.activate
def test_recon_lines_are_paged_until_a_short_page(provider):
    first_page = [recon_item(number) for number in range(1000)]
    refund = recon_item(
        1000,
        entity_id="rfnd_00000000000001",
        type="refund",
        debit=242500,
        credit=0,
        amount=242500,
        fee=0,
        notes={"reason": "duplicate"},
        payment_id="pay_00000000000001",
    )
    base_params = {"year": "2026", "month": "04", "day": "10", "count": "1000"}
    responses.get(
        f"{BASE}/v1/settlements/recon/combined",
        match=[matchers.query_param_matcher({**base_params, "skip": "0"})],
        json={"entity": "collection", "count": 1000, "items": first_page},
    )
    responses.get(
        f"{BASE}/v1/settlements/recon/combined",
        match=[matchers.query_param_matcher({**base_params, "skip": "1000"})],
        json={"entity": "collection", "count": 1, "items": [refund]},
    )

    lines = provider.fetch_settlement_lines(on=date(2026, 4, 10))

    assert len(lines) == 1001
    payment = lines[0]
    assert (payment.entity_id, payment.entity_type, payment.order_id, payment.reference) == (
        "pay_00000000000000",
        "payment",
        "order_00000000000000",
        "BILL-0",
    )
    assert (payment.amount, payment.fee, payment.tax, payment.credit, payment.debit) == (
        Decimal("1000.00"),
        Decimal("29.00"),
        Decimal("0.00"),
        Decimal("971.00"),
        Decimal("0.00"),
    )
    assert (payment.settlement_id, payment.settlement_utr) == ("setl_DGlQ1Rj8os78Ec", "1568176960vxp0rj")
    assert payment.settled_at == datetime.fromtimestamp(1775800000, tz=UTC)
    assert (lines[-1].entity_type, lines[-1].debit, lines[-1].raw["notes"]) == (
        "refund",
        Decimal("2425.00"),
        {"reason": "duplicate"},
    )
    assert GatewayTransactionLog.objects.filter(operation="fetch_settlement_recon").count() == 2
