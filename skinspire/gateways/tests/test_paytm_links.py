import json
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import responses

from skinspire.gateways.errors import GatewayAPIError, UnsupportedOperationError
from skinspire.gateways.providers.interface import Customer, LinkStatus, PaymentLinkRequest
from skinspire.gateways.tests.test_paytm_support import (
    BASE,
    MID,
    fixture,
    make_provider,
    sent_envelope,
    verifies,
)

INDIA = ZoneInfo("Asia/Kolkata")


def link_request(**overrides):
    fields = {
        "amount": Decimal("1500.10"),
        "reference_id": "SKN-LINK-0042",
        "customer": Customer(name="Asha Rao", email="asha@example.com", phone="9876543210"),
        "description": "Skinspire bill 42 for dermatology consult",
        "expire_by": datetime(2026, 3, 1, 18, 30, tzinfo=INDIA),
        "notify_sms": True,
        "callback_url": "https://skinspire.example/api/gateway/webhook/paytm",
    }
    return PaymentLinkRequest(**{**fields, **overrides})


@responses.activate
def test_create_link_sends_an_exact_numeric_amount_and_aes_head(hospital):
    provider = make_provider(hospital=hospital)
    responses.post(
        f"{BASE}/link/create", json={"head": {"tokenType": "AES"}, **fixture("link_create_response_success")}
    )

    result = provider.create_payment_link(link_request())

    head, body_text, _ = sent_envelope(responses.calls[0])
    assert head["tokenType"] == "AES"
    assert verifies(body_text, head["signature"])
    assert '"amount":1500.10,' in body_text
    sent = json.loads(body_text)
    assert sent["linkName"] == "SKNLINK0042"
    assert sent["linkDescription"] == "Skinspire bill 42 for dermatol"
    assert sent["expiryDate"] == "01/03/2026 18:30:00"
    assert (sent["mid"], sent["linkType"], sent["merchantRequestId"]) == (MID, "FIXED", "SKN-LINK-0042")
    assert sent["customerContact"] == {
        "customerName": "Asha Rao",
        "customerEmail": "asha@example.com",
        "customerMobile": "9876543210",
    }
    assert (result.gateway_link_id, result.url, result.status) == (
        "5861",
        "https://paytm.me/ID-PBo7",
        LinkStatus.CREATED,
    )
    assert result.amount == Decimal("1500.10")


@responses.activate
def test_a_refused_link_is_a_definite_failure(hospital):
    provider = make_provider(hospital=hospital)
    responses.post(f"{BASE}/link/create", json=fixture("link_create_response_failure"))

    with pytest.raises(GatewayAPIError) as caught:
        provider.create_payment_link(link_request())

    assert (caught.value.code, caught.value.provably_failed) == ("302", True)
    assert caught.value.gateway_message == "link name contains sepcial character."


def link_row(**fields):
    row = {
        "linkId": 5861,
        "amount": 1500.10,
        "shortUrl": "https://paytm.me/ID-PBo7",
        "expiryDate": "01/03/2099 18:30:00",
        "isActive": True,
    }
    return {**row, **fields}


def mock_fetch(row, orders=()):
    success = {"resultStatus": "SUCCESS", "resultCode": "200", "resultMessage": "ok"}
    responses.post(
        f"{BASE}/link/fetch", body=json.dumps({"head": {}, "body": {"links": [row], "resultInfo": success}})
    )
    responses.post(
        f"{BASE}/link/fetchTransaction",
        json={"head": {}, "body": {"orders": list(orders), "resultInfo": success}},
    )


@pytest.mark.parametrize(
    ("row", "orders", "status", "paid"),
    [
        (link_row(), [], LinkStatus.CREATED, "0.00"),
        (
            link_row(paymentStatus="PAID", isActive=False),
            [{"orderStatus": "TXN_SUCCESS", "txnAmount": "1500.10", "txnId": "T1"}],
            LinkStatus.PAID,
            "1500.10",
        ),
        (
            link_row(),
            [
                {"orderStatus": "SUCCESS", "txnAmount": "500.00", "txnId": "T2"},
                {"orderStatus": "FAILURE", "txnAmount": "1.00"},
            ],
            LinkStatus.PARTIALLY_PAID,
            "500.00",
        ),
        (link_row(expiryDate="01/01/2020 10:00:00", isActive=False), [], LinkStatus.EXPIRED, "0.00"),
        (link_row(isActive=False), [], LinkStatus.CANCELLED, "0.00"),
    ],
)
@responses.activate
def test_fetch_link_maps_state_and_payments(hospital, row, orders, status, paid):
    provider = make_provider(hospital=hospital)
    mock_fetch(row, orders)

    result = provider.fetch_payment_link("5861")

    assert (result.status, result.amount_paid, result.amount) == (status, Decimal(paid), Decimal("1500.10"))
    _, body_text, _ = sent_envelope(responses.calls[0])
    assert body_text == f'{{"mid":"{MID}","linkId":5861}}'


@responses.activate
def test_cancel_link_expires_it_then_reads_it_back(hospital):
    provider = make_provider(hospital=hospital)
    responses.post(
        f"{BASE}/link/expire", json={"head": {}, "body": {"resultInfo": {"resultStatus": "SUCCESS"}}}
    )
    mock_fetch(link_row(isActive=False))

    result = provider.cancel_payment_link("5861")

    assert [call.request.url.rsplit("/", 1)[1] for call in responses.calls] == [
        "expire",
        "fetch",
        "fetchTransaction",
    ]
    assert result.status == LinkStatus.CANCELLED


def test_payout_links_are_not_offered(hospital):
    provider = make_provider(hospital=hospital)
    with pytest.raises(UnsupportedOperationError):
        provider.create_payout_link(None)


def test_a_link_cannot_be_found_by_our_reference(hospital):
    """/link/fetch filters by linkId, customer and dates, not by merchantRequestId or
    linkOrderId (reference §2.5): a link whose create answer was lost cannot be looked up."""
    provider = make_provider(hospital=hospital)
    assert not provider.finds_payment_links
    with pytest.raises(UnsupportedOperationError, match="no API for finding payment links by reference"):
        provider.find_payment_link(reference_id="LNK-1")
