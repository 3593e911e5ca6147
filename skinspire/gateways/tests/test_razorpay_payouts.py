"""RazorpayX payouts: the exact requests sent, and the answers mapped (reference §2)."""

import json
from decimal import Decimal

import pytest
import responses
from responses import matchers

from skinspire.gateways.errors import GatewayNotFoundError, InvalidGatewayRequestError
from skinspire.gateways.models import GatewayTransactionLog
from skinspire.gateways.providers.interface import (
    BankAccount,
    ContactRequest,
    FundAccountRequest,
    PayoutLinkRequest,
    PayoutMode,
    PayoutStatus,
    UpiAddress,
)
from skinspire.gateways.tests.test_razorpay_support import (
    BASE,
    OUR_ACCOUNT,
    SUPPLIER_ACCOUNT,
    SUPPLIER_VPA,
    bank_payout,
    make_provider,
    payout_entity,
    upi_payout,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(hospital):
    return make_provider(hospital=hospital)


@responses.activate
def test_composite_bank_payout_sends_the_documented_body_and_idempotency_header(provider):
    responses.post(f"{BASE}/v1/payouts", json=payout_entity())

    result = provider.create_payout(bank_payout())

    request = responses.calls[0].request
    assert request.headers["X-Payout-Idempotency"] == "0b8f6c1e-7a52-4f0e-9d3a-5c2b1e4f6a70"
    assert request.headers["Authorization"].startswith("Basic ")
    assert json.loads(request.body) == {
        "account_number": OUR_ACCOUNT,
        "amount": 1250050,
        "currency": "INR",
        "mode": "IMPS",
        "purpose": "vendor bill",
        "queue_if_low_balance": True,
        "reference_id": "PAY-000042",
        "narration": "Skinspire INV422026",
        "notes": {"invoice": "INV-42"},
        "fund_account": {
            "account_type": "bank_account",
            "bank_account": {
                "name": "Medi Supply Co",
                "ifsc": "HDFC0000123",
                "account_number": SUPPLIER_ACCOUNT,
            },
            "contact": {
                "name": "Medi Supply Co",
                "type": "vendor",
                "reference_id": "SUP-7",
                "email": "accounts@medisupply.test",
                "contact": "9876543210",
            },
        },
    }
    assert result.gateway_payout_id == "pout_00000000000001"
    assert result.status == PayoutStatus.PROCESSING
    assert result.amount == Decimal("12500.50")
    assert result.fee == Decimal("5.90")
    assert result.tax == Decimal("0.90")
    assert result.utr == ""


@responses.activate
def test_composite_upi_payout_sends_the_vpa(provider):
    responses.post(f"{BASE}/v1/payouts", json=payout_entity(mode="UPI", reference_id="PAY-000043"))

    provider.create_payout(upi_payout())

    body = json.loads(responses.calls[0].request.body)
    assert body["mode"] == "UPI"
    assert body["fund_account"]["account_type"] == "vpa"
    assert body["fund_account"]["vpa"] == {"address": SUPPLIER_VPA}
    assert "fund_account_id" not in body


@responses.activate
def test_payout_to_an_existing_fund_account_sends_only_its_id(provider):
    responses.post(f"{BASE}/v1/payouts", json=payout_entity())

    provider.create_payout(bank_payout(fund_account_id="fa_00000000000001", narration=""))

    body = json.loads(responses.calls[0].request.body)
    assert body["fund_account_id"] == "fa_00000000000001"
    assert "fund_account" not in body
    assert "narration" not in body


def test_mode_and_destination_must_agree_and_nothing_is_sent(provider):
    bank = BankAccount(holder_name="Medi Supply Co", ifsc="HDFC0000123", account_number=SUPPLIER_ACCOUNT)
    with responses.RequestsMock(), pytest.raises(InvalidGatewayRequestError, match="UPI id"):
        provider.create_payout(bank_payout(mode=PayoutMode.UPI, destination=bank))
    with (
        responses.RequestsMock(),
        pytest.raises(InvalidGatewayRequestError, match="NEFT payout needs a bank"),
    ):
        provider.create_payout(bank_payout(mode=PayoutMode.NEFT, destination=UpiAddress("A B", SUPPLIER_VPA)))
    assert GatewayTransactionLog.objects.count() == 0


@pytest.mark.parametrize(
    ("gateway_status", "status"),
    [
        ("queued", PayoutStatus.PENDING),
        ("pending", PayoutStatus.PENDING),
        ("scheduled", PayoutStatus.PENDING),
        ("processing", PayoutStatus.PROCESSING),
        ("processed", PayoutStatus.PROCESSED),
        ("reversed", PayoutStatus.REVERSED),
        ("failed", PayoutStatus.FAILED),
        ("cancelled", PayoutStatus.CANCELLED),
        ("rejected", PayoutStatus.REJECTED),
    ],
)
@responses.activate
def test_fetch_payout_by_id_maps_every_status(provider, gateway_status, status):
    responses.get(f"{BASE}/v1/payouts/pout_00000000000001", json=payout_entity(status=gateway_status))

    result = provider.fetch_payout(gateway_payout_id="pout_00000000000001")

    assert (result.status, result.gateway_status) == (status, gateway_status)


@responses.activate
def test_fetch_payout_by_reference_picks_the_latest_and_masks_our_account_in_the_log(provider):
    older = payout_entity(id="pout_old", status="failed", created_at=100)
    newer = payout_entity(id="pout_new", status="processed", utr="933815233814", created_at=200)
    responses.get(
        f"{BASE}/v1/payouts",
        match=[
            matchers.query_param_matcher(
                {"account_number": OUR_ACCOUNT, "reference_id": "PAY-000042", "count": "10"}
            )
        ],
        json={"entity": "collection", "count": 2, "items": [older, newer]},
    )

    result = provider.fetch_payout(reference_id="PAY-000042")

    assert (result.gateway_payout_id, result.status, result.utr) == (
        "pout_new",
        PayoutStatus.PROCESSED,
        "933815233814",
    )
    row = GatewayTransactionLog.objects.get()
    assert OUR_ACCOUNT not in row.url
    assert "account_number=XXXX6316" in row.url


@responses.activate
def test_fetch_payout_by_unknown_reference_is_not_found(provider):
    responses.get(f"{BASE}/v1/payouts", json={"entity": "collection", "count": 0, "items": []})

    with pytest.raises(GatewayNotFoundError, match="PAY-404"):
        provider.fetch_payout(reference_id="PAY-404")


@responses.activate
def test_cancel_payout_posts_to_cancel(provider):
    responses.post(f"{BASE}/v1/payouts/pout_1/cancel", json=payout_entity(id="pout_1", status="cancelled"))

    assert provider.cancel_payout("pout_1").status == PayoutStatus.CANCELLED


@responses.activate
def test_contact_and_fund_account(provider):
    responses.post(f"{BASE}/v1/contacts", json={"id": "cont_00000000000001", "entity": "contact"})
    responses.post(f"{BASE}/v1/fund_accounts", json={"id": "fa_00000000000001", "entity": "fund_account"})

    contact = provider.create_contact(ContactRequest(name="Medi Supply Co", reference_id="SUP-7"))
    fund_account = provider.create_fund_account(
        FundAccountRequest(
            contact_id=contact.contact_id, destination=UpiAddress("Medi Supply Co", SUPPLIER_VPA)
        )
    )

    assert json.loads(responses.calls[0].request.body) == {
        "name": "Medi Supply Co",
        "type": "vendor",
        "reference_id": "SUP-7",
    }
    assert json.loads(responses.calls[1].request.body) == {
        "contact_id": "cont_00000000000001",
        "account_type": "vpa",
        "vpa": {"address": SUPPLIER_VPA},
    }
    assert fund_account.fund_account_id == "fa_00000000000001"


@responses.activate
def test_payout_link(provider):
    responses.post(
        f"{BASE}/v1/payout-links",
        json={
            "id": "poutlk_0000000001",
            "entity": "payout_link",
            "status": "issued",
            "amount": 50000,
            "short_url": "https://rzp.io/i/abc",
        },
    )

    result = provider.create_payout_link(
        PayoutLinkRequest(
            amount=Decimal("500.00"),
            reference_id="PL-1",
            contact=ContactRequest(name="Medi Supply Co", reference_id="SUP-7", email="a@medisupply.test"),
            description="Invoice 42",
            send_email=True,
        )
    )

    assert json.loads(responses.calls[0].request.body) == {
        "account_number": OUR_ACCOUNT,
        "contact": {"name": "Medi Supply Co", "type": "vendor", "email": "a@medisupply.test"},
        "amount": 50000,
        "currency": "INR",
        "purpose": "vendor bill",
        "description": "Invoice 42",
        "receipt": "PL-1",
        "send_sms": False,
        "send_email": True,
        "notes": {},
    }
    assert (result.gateway_link_id, result.url, result.status, result.amount) == (
        "poutlk_0000000001",
        "https://rzp.io/i/abc",
        "issued",
        Decimal("500.00"),
    )
