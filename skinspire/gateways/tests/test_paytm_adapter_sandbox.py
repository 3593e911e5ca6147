"""The adapter end to end against the Paytm sandbox, reached in-process over HTTP.

The sandbox verifies every checksum the adapter makes and signs its answers as Paytm
does, so these tests prove the two agree on the wire, not just with themselves.
"""

from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlencode

import pytest

from skinspire.gateways.credentials import credentials_for
from skinspire.gateways.errors import GatewayNotFoundError
from skinspire.gateways.http import new_session
from skinspire.gateways.models import GatewayTransactionLog
from skinspire.gateways.providers.interface import (
    Customer,
    LinkStatus,
    OrderRequest,
    PaymentLinkRequest,
    PaymentStatus,
    PayoutStatus,
    RefundRequest,
    RefundStatus,
)
from skinspire.gateways.providers.paytm import PaytmProvider
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.gateways.tests.test_paytm_support import bank_payout
from skinspire.sandbox.models import SandboxMerchant, SandboxProvider
from skinspire.sandbox.paytm import checksum, ids, selectors
from skinspire.sandbox.paytm.services.orders import paytm_order_pay
from skinspire.sandbox.paytm.services.outbound import signed_form
from skinspire.sandbox.paytm.services.payouts import paytm_payout_advance

SANDBOX = "http://sandbox.testserver/sandbox/paytm"


@pytest.fixture
def provider(hospital):
    configuration = GatewayConfigurationFactory(
        hospital=hospital, paytm=True, base_url=SANDBOX, payout_base_url=SANDBOX
    )
    credentials = credentials_for(configuration)
    SandboxMerchant.objects.create(
        provider=SandboxProvider.PAYTM,
        name="Skinspire test",
        key_id=credentials.key_id,
        key_secret=credentials.value("merchant_key"),
        account_number=credentials.value("subwallet_guid"),
    )
    return PaytmProvider(configuration=configuration, credentials=credentials, session=new_session())


def test_payout_is_accepted_then_followed_to_processed_and_a_repeat_reads_its_state(provider):
    created = provider.create_payout(bank_payout(callback_url=""))
    assert (created.status, created.gateway_status, created.amount) == (
        PayoutStatus.PENDING,
        "ACCEPTED",
        Decimal("1500.00"),
    )

    payout = selectors.object_by_key(
        merchant=SandboxMerchant.objects.get(), entity=selectors.PAYOUT, key="SKNPAY0001"
    )
    for _ in range(5):  # bounded: the sandbox reaches a final state in fewer steps
        paytm_payout_advance(object_id=payout.object_id)
    fetched = provider.fetch_payout(reference_id="SKNPAY0001")
    assert fetched.status == PayoutStatus.PROCESSED
    assert fetched.utr != ""
    assert fetched.fee == fetched.fee.quantize(Decimal("0.01")) and fetched.fee > 0

    repeated = provider.create_payout(bank_payout(callback_url=""))
    assert (repeated.status, repeated.utr) == (PayoutStatus.PROCESSED, fetched.utr)
    assert SandboxMerchant.objects.get().balance_paise == 10_000_000_00 - int(
        (Decimal("1500.00") + fetched.fee) * 100
    )


def test_collection_refund_and_settlement_round_trip(provider):
    request = OrderRequest(
        amount=Decimal("1500.00"),
        receipt="SKNBILL0042",
        customer=Customer(name="Asha Rao", customer_id="PAT-1"),
    )
    order = provider.create_order(request)
    assert order.checkout["txn_token"]
    with pytest.raises(GatewayNotFoundError, match="No payment has been made"):
        provider.fetch_payment(gateway_order_id="SKNBILL0042")

    sandbox_order = selectors.object_by_key(
        merchant=SandboxMerchant.objects.get(), entity=selectors.ORDER, key="SKNBILL0042"
    )
    paytm_order_pay(order_id=sandbox_order.pk, method="upi", succeed=True, notify=False)
    payment = provider.fetch_payment(gateway_order_id="SKNBILL0042")
    assert (payment.status, payment.amount, payment.method) == (
        PaymentStatus.CAPTURED,
        Decimal("1500.00"),
        "UPI",
    )

    refund = provider.create_refund(
        RefundRequest(
            gateway_payment_id=payment.gateway_payment_id,
            gateway_order_id="SKNBILL0042",
            refund_reference="SKNRFND0001",
            amount=Decimal("500.10"),
        )
    )
    assert (refund.status, refund.amount) == (RefundStatus.PENDING, Decimal("500.10"))
    fetched = provider.fetch_refund(refund_reference="SKNRFND0001", gateway_order_id="SKNBILL0042")
    assert fetched.refund_reference == "SKNRFND0001"
    assert fetched.gateway_refund_id == refund.gateway_refund_id

    settlement_day = (ids.now_ist() + timedelta(days=1)).date()
    lines = provider.fetch_settlement_lines(on=settlement_day)
    sale = next(line for line in lines if line.entity_type == "payment")
    assert (sale.reference, sale.amount, sale.fee, sale.tax) == (
        "SKNBILL0042",
        Decimal("1500.00"),
        Decimal("35.40"),
        Decimal("5.40"),
    )
    assert sale.credit == Decimal("1464.60")
    assert (
        GatewayTransactionLog.objects.filter(outcome="success").count()
        == GatewayTransactionLog.objects.count()
    )


def test_payment_link_create_fetch_and_cancel(provider):
    created = provider.create_payment_link(
        PaymentLinkRequest(
            amount=Decimal("1500.10"),
            reference_id="SKN-LINK-7",
            customer=Customer(name="Asha Rao", email="asha@example.com"),
            description="Bill 7",
        )
    )
    assert (created.status, created.amount) == (LinkStatus.CREATED, Decimal("1500.10"))
    assert created.url

    fetched = provider.fetch_payment_link(created.gateway_link_id)
    assert (fetched.status, fetched.amount, fetched.amount_paid) == (
        LinkStatus.CREATED,
        Decimal("1500.10"),
        Decimal("0.00"),
    )

    cancelled = provider.cancel_payment_link(created.gateway_link_id)
    assert cancelled.status == LinkStatus.CANCELLED


def test_webhooks_signed_by_the_sandbox_verify_and_parse(provider):
    merchant = SandboxMerchant.objects.get()
    key = merchant.key_secret
    form = signed_form(
        fields={"ORDERID": "SKNBILL0042", "STATUS": "TXN_SUCCESS", "TXNAMOUNT": "1500.00", "RESPCODE": "01"},
        merchant=merchant,
    )
    payout_text = checksum.compact_json(
        {
            "status": "SUCCESS",
            "statusCode": "DE_001",
            "result": {"orderId": "SKNPAY0001", "amount": "1500.00"},
        }
    )
    refund_text = checksum.signed_envelope(
        body={
            "refId": "SKNRFND0001",
            "orderId": "SKNBILL0042",
            "refundAmount": "500.10",
            "status": "SUCCESS",
        },
        key=key,
        head={"version": "v1"},
    )
    deliveries = [
        (urlencode(form), {"Content-Type": "application/x-www-form-urlencoded"}, "payment.TXN_SUCCESS"),
        (
            payout_text,
            {"x-mid": merchant.key_id, "x-checksum": checksum.sign(payout_text, key)},
            "payout.SUCCESS",
        ),
        (refund_text, {"Content-Type": "application/json"}, "refund.SUCCESS"),
    ]
    for text, headers, event_type in deliveries:
        assert provider.verify_webhook(body=text.encode(), headers=headers) is True
        assert provider.parse_webhook(body=text.encode(), headers=headers).event_type == event_type
