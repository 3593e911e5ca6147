import json
from decimal import Decimal

import pytest
import responses

from skinspire.gateways.errors import GatewayAPIError, GatewayNotFoundError, SignatureError
from skinspire.gateways.models import GatewayTransactionLog
from skinspire.gateways.providers.interface import (
    CheckoutVerification,
    Customer,
    OrderRequest,
    OrderStatus,
    PaymentStatus,
)
from skinspire.gateways.providers.paytm import signing
from skinspire.gateways.tests.test_paytm_support import (
    BASE,
    KEY,
    MID,
    fixture,
    make_provider,
    sent_envelope,
    signed_envelope,
    verifies,
)

INITIATE_URL = f"{BASE}/theia/api/v1/initiateTransaction"
STATUS_URL = f"{BASE}/v3/order/status"


def order_request(**overrides):
    fields = {
        "amount": Decimal("1500.00"),
        "receipt": "SKNBILL0009",
        "customer": Customer(
            name="Asha Rao", email="asha@example.com", phone="9876543210", customer_id="PAT-12"
        ),
        "callback_url": "https://skinspire.example/pay/callback",
    }
    return OrderRequest(**{**fields, **overrides})


@responses.activate
def test_create_order_signs_the_body_it_sends_and_returns_the_checkout(hospital):
    provider = make_provider(hospital=hospital)
    answer = fixture("pg_initiate_transaction_response_success")["body"]
    responses.post(INITIATE_URL, body=signed_envelope(answer))

    result = provider.create_order(order_request())

    call = responses.calls[0]
    assert call.request.url == f"{INITIATE_URL}?mid={MID}&orderId=SKNBILL0009"
    head, body_text, _ = sent_envelope(call)
    assert body_text == (
        f'{{"requestType":"Payment","mid":"{MID}","websiteName":"WEBSTAGING","orderId":"SKNBILL0009",'
        '"txnAmount":{"value":"1500.00","currency":"INR"},"userInfo":{"custId":"PAT-12",'
        '"email":"asha@example.com","mobile":"9876543210","firstName":"Asha Rao"},'
        '"callbackUrl":"https://skinspire.example/pay/callback"}'
    )
    assert list(head) == ["signature"]
    assert verifies(body_text, head["signature"]) is True
    assert result.gateway_order_id == "SKNBILL0009"
    assert (result.status, result.gateway_status, result.amount) == (
        OrderStatus.CREATED,
        "S",
        Decimal("1500.00"),
    )
    assert result.checkout == {
        "mid": MID,
        "order_id": "SKNBILL0009",
        "txn_token": "fe8798999efewf889090erfre",
        "amount": "1500.00",
        "checkout_url": f"{BASE}/theia/api/v1/showPaymentPage?mid={MID}&orderId=SKNBILL0009",
        # Show Payment Page's form (https://paytmpayments.com/docs/show-payment-page).
        "checkout_fields": {"mid": MID, "orderId": "SKNBILL0009", "txnToken": "fe8798999efewf889090erfre"},
    }
    log = GatewayTransactionLog.objects.get()
    assert log.response_body["body"]["txnToken"] == "[REDACTED]"
    assert log.request_body["head"]["signature"] == "[REDACTED]"


@responses.activate
def test_a_failed_initiation_is_a_definite_rejection(hospital):
    provider = make_provider(hospital=hospital)
    failure = {
        "resultInfo": {"resultStatus": "F", "resultCode": "2005", "resultMsg": "Checksum provided is invalid"}
    }
    responses.post(INITIATE_URL, body=signed_envelope(failure))

    with pytest.raises(GatewayAPIError) as caught:
        provider.create_order(order_request())

    assert (caught.value.code, caught.value.provably_failed) == ("2005", True)
    assert caught.value.gateway_message == "Checksum provided is invalid"


@pytest.mark.parametrize("signature_key", ["OtherKey16chars!", None])
@responses.activate
def test_an_answer_whose_signature_fails_is_a_signature_error_of_unknown_outcome(hospital, signature_key):
    provider = make_provider(hospital=hospital)
    answer = fixture("pg_initiate_transaction_response_success")
    # Signed with another merchant's key, or carrying the fixture's placeholder signature.
    raw = signed_envelope(answer["body"], key=signature_key) if signature_key else json.dumps(answer)
    responses.post(INITIATE_URL, body=raw)

    with pytest.raises(SignatureError) as caught:
        provider.create_order(order_request())

    assert caught.value.provably_failed is False
    assert GatewayTransactionLog.objects.get().outcome == "error"


@responses.activate
def test_fetch_payment_reads_the_status_api(hospital):
    provider = make_provider(hospital=hospital)
    answer = fixture("pg_order_status_response_txn_success")["body"]
    answer["orderId"] = "SKNBILL0009"
    responses.post(STATUS_URL, body=signed_envelope(answer))

    result = provider.fetch_payment(gateway_order_id="SKNBILL0009")

    head, body_text, _ = sent_envelope(responses.calls[0])
    assert body_text == f'{{"mid":"{MID}","orderId":"SKNBILL0009"}}'
    assert verifies(body_text, head["signature"])
    # The fixture's payment is refunded in full (refundAmt = txnAmount): Paytm still says
    # TXN_SUCCESS, the interface says REFUNDED, as Razorpay's "refunded".
    assert (result.status, result.gateway_status) == (PaymentStatus.REFUNDED, "TXN_SUCCESS")
    assert result.gateway_payment_id == "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
    assert (result.amount, result.amount_refunded, result.method) == (
        Decimal("100.00"),
        Decimal("100.00"),
        "CC",
    )


@pytest.mark.parametrize(
    ("word", "code", "status", "failure"),
    [
        ("TXN_FAILURE", "227", PaymentStatus.FAILED, ("227", "Declined by bank")),
        ("PENDING", "402", PaymentStatus.PENDING, ("", "")),
    ],
)
@responses.activate
def test_fetch_payment_maps_failure_and_pending(hospital, word, code, status, failure):
    provider = make_provider(hospital=hospital)
    answer = {
        "resultInfo": {"resultStatus": word, "resultCode": code, "resultMsg": "Declined by bank"},
        "orderId": "SKNBILL0009",
        "txnId": "20260401111212800110168000000001",
        "txnAmount": "1500.00",
    }
    responses.post(STATUS_URL, body=signed_envelope(answer))

    result = provider.fetch_payment(gateway_order_id="SKNBILL0009")

    assert (result.status, result.amount) == (status, Decimal("1500.00"))
    assert (result.failure_code, result.failure_reason) == failure


@responses.activate
def test_an_answer_about_another_order_is_refused(hospital):
    provider = make_provider(hospital=hospital)
    answer = {
        "resultInfo": {"resultStatus": "TXN_SUCCESS", "resultCode": "01"},
        "orderId": "OTHER",
        "txnId": "T1",
    }
    responses.post(STATUS_URL, body=signed_envelope(answer))

    with pytest.raises(GatewayAPIError) as caught:
        provider.fetch_payment(gateway_order_id="SKNBILL0009")

    assert (caught.value.code, caught.value.provably_failed) == ("order_mismatch", False)


@pytest.mark.parametrize(
    "name",
    ["pg_payment_status_form_success", "pg_callback_form_real_example", "link_payment_status_webhook_form"],
)
def test_verify_checkout_accepts_a_form_signed_with_our_key(hospital, name):
    provider = make_provider(hospital=hospital)
    form = fixture(name)
    form["CHECKSUMHASH"] = signing.sign_fields(
        {key: value for key, value in form.items() if key != "CHECKSUMHASH"}, merchant_key=KEY
    )
    verification = CheckoutVerification(
        gateway_order_id=form["ORDERID"], gateway_payment_id=form["TXNID"], signature="", extra=form
    )

    assert provider.verify_checkout(verification) is True
    assert "CHECKSUMHASH" in form


@pytest.mark.parametrize(
    "name",
    ["pg_payment_status_form_success", "pg_payment_status_form_failure", "pg_callback_form_real_example"],
)
def test_verify_checkout_rejects_paytms_sample_checksums_made_with_another_key(hospital, name):
    provider = make_provider(hospital=hospital)
    form = fixture(name)

    assert (
        provider.verify_checkout(CheckoutVerification(form["ORDERID"], form["TXNID"], "", extra=form))
        is False
    )


def test_verify_checkout_rejects_a_form_without_checksum_or_for_another_order(hospital):
    provider = make_provider(hospital=hospital)
    unsigned = fixture("pg_callback_form_without_checksum")
    assert (
        provider.verify_checkout(CheckoutVerification(unsigned["ORDERID"], "", "", extra=unsigned)) is False
    )

    form = fixture("pg_payment_status_form_success")
    form["CHECKSUMHASH"] = signing.sign_fields(
        {key: value for key, value in form.items() if key != "CHECKSUMHASH"}, merchant_key=KEY
    )
    assert provider.verify_checkout(CheckoutVerification("SOMEONE_ELSE", "", "", extra=form)) is False
    form["TXNAMOUNT"] = "1000.00"
    assert provider.verify_checkout(CheckoutVerification(form["ORDERID"], "", "", extra=form)) is False


@responses.activate
def test_find_order_after_a_lost_initiation_asks_the_status_api(hospital):
    provider = make_provider(hospital=hospital)
    pending = {"resultInfo": {"resultStatus": "PENDING", "resultCode": "402", "resultMsg": "Looking for payment"},
               "orderId": "SKNBILL0009", "txnAmount": "1500.00"}  # fmt: skip
    responses.post(STATUS_URL, body=signed_envelope(pending))

    found = provider.find_order(receipt="SKNBILL0009")

    assert (found.gateway_order_id, found.amount, found.checkout) == ("SKNBILL0009", Decimal("1500.00"), {})
    assert json.loads(responses.calls[0].request.body)["body"] == {"mid": MID, "orderId": "SKNBILL0009"}


@responses.activate
def test_find_order_that_paytm_never_had_is_not_found(hospital):
    provider = make_provider(hospital=hospital)
    unknown = {
        "resultInfo": {"resultStatus": "TXN_FAILURE", "resultCode": "334", "resultMsg": "Invalid Order Id."}
    }
    responses.post(STATUS_URL, body=signed_envelope(unknown))

    with pytest.raises(GatewayNotFoundError, match="Paytm has no order SKNBILL0009"):
        provider.find_order(receipt="SKNBILL0009")
