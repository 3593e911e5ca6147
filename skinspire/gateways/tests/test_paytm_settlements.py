import json
from datetime import date
from decimal import Decimal

import pytest
import responses
from paytmchecksum import PaytmChecksum

from skinspire.gateways.errors import GatewayAPIError
from skinspire.gateways.models import GatewayTransactionLog
from skinspire.gateways.tests.test_paytm_support import BASE, KEY, MID, make_provider

LIST_URL = f"{BASE}/merchant-settlement-service/settlement/list"


def row(txn_id, txn_type, amount, commission, gst, settle, utr, order_id):
    return {
        "txnId": txn_id,
        "txnType": txn_type,
        "orderId": order_id,
        "txnAmount": amount,
        "commission": commission,
        "gst": gst,
        "settleAmount": settle,
        "utr": utr,
        "payoutDate": "2026-02-03 10:15:00",
    }


def page(rows, number, total):
    return {
        "status": "SUCCESS",
        "settlementDetailList": rows,
        "paginatorPageNum": number,
        "paginatorTotalPage": total,
    }


@responses.activate
def test_settlement_lines_page_through_every_page_with_a_checksum(hospital):
    provider = make_provider(hospital=hospital)
    responses.post(
        LIST_URL,
        json=page([row("T1", "ACQUIRING", "1500.00", "30.00", "5.40", "1464.60", "UTR1", "SKNBILL1")], 1, 2),
    )
    responses.post(
        LIST_URL,
        json=page([row("T2", "REFUND", "200.00", "0.00", "0.00", "-200.00", "UTR1", "SKNBILL2")], 2, 2),
    )

    lines = provider.fetch_settlement_lines(on=date(2026, 2, 2))

    sent = [json.loads(call.request.body) for call in responses.calls]
    assert [body["pageNum"] for body in sent] == ["1", "2"]
    first = dict(sent[0])
    checksum = first.pop("checksumHash")
    assert first == {"MID": MID, "utrProcessedStartTime": "2026-02-02", "pageNum": "1", "pageSize": "20"}
    assert PaytmChecksum.verifySignature(first, KEY, checksum) is True
    payment, refund = lines
    assert (payment.entity_id, payment.entity_type, payment.reference, payment.settlement_utr) == (
        "T1",
        "payment",
        "SKNBILL1",
        "UTR1",
    )
    assert (payment.amount, payment.fee, payment.tax, payment.credit, payment.debit) == (
        Decimal("1500.00"),
        Decimal("35.40"),
        Decimal("5.40"),
        Decimal("1464.60"),
        Decimal("0.00"),
    )
    assert (refund.entity_type, refund.credit, refund.debit) == ("refund", Decimal("0.00"), Decimal("200.00"))
    assert payment.settled_at.isoformat() == "2026-02-03T10:15:00+05:30"
    assert GatewayTransactionLog.objects.filter(operation="fetch_settlement_lines").count() == 2


@responses.activate
def test_settlements_group_lines_by_utr(hospital):
    provider = make_provider(hospital=hospital)
    rows = [
        row("T1", "ACQUIRING", "1500.00", "30.00", "5.40", "1464.60", "UTR1", "B1"),
        row("T2", "ACQUIRING", "100.00", "2.00", "0.36", "97.64", "UTR1", "B2"),
        row("T3", "ACQUIRING", "50.00", "1.00", "0.18", "48.82", "UTR2", "B3"),
    ]
    responses.post(LIST_URL, json=page(rows, 1, 1))

    settlements = provider.fetch_settlements(on=date(2026, 2, 2))

    summary = [(item.utr, item.amount, item.fees, item.tax) for item in settlements]
    assert summary == [
        ("UTR1", Decimal("1562.24"), Decimal("37.76"), Decimal("5.76")),
        ("UTR2", Decimal("48.82"), Decimal("1.18"), Decimal("0.18")),
    ]


@responses.activate
def test_no_records_is_an_empty_day(hospital):
    provider = make_provider(hospital=hospital)
    responses.post(LIST_URL, json={"status": "RECORD_NOT_FOUND"})

    assert provider.fetch_settlement_lines(on=date(2026, 2, 2)) == []


@responses.activate
def test_a_failed_listing_raises(hospital):
    provider = make_provider(hospital=hospital)
    responses.post(
        LIST_URL, json={"status": "FAILURE", "resultCode": "401", "errorMessage": "Invalid checksum"}
    )

    with pytest.raises(GatewayAPIError) as caught:
        provider.fetch_settlement_lines(on=date(2026, 2, 2))

    assert (caught.value.code, caught.value.gateway_message) == ("401", "Invalid checksum")
