import json
import logging
from decimal import Decimal

import pytest
import requests
import responses
from urllib3.exceptions import MaxRetryError, NewConnectionError

from skinspire.gateways.errors import (
    GatewayAPIError,
    GatewayTimeoutError,
    GatewayUnreachableError,
    UnsupportedOperationError,
)
from skinspire.gateways.models import GatewayTransactionLog
from skinspire.gateways.providers.interface import PayoutStatus
from skinspire.gateways.tests.test_paytm_support import (
    ACCOUNT,
    KEY,
    MID,
    PAYOUT_BASE,
    SUBWALLET,
    VPA,
    bank_payout,
    fixture,
    make_provider,
    upi_payout,
    verifies,
)

BANK_URL = f"{PAYOUT_BASE}/bpay/api/v1/disburse/order/bank"
QUERY_URL = f"{PAYOUT_BASE}/bpay/api/v1/disburse/order/query"
ACCEPTED = {"status": "ACCEPTED", "statusCode": "DE_002", "statusMessage": "Accepted", "result": {}}


def status_document(status="SUCCESS", code="DE_001", **result):
    base = fixture("payout_status_response_success")
    base.update(status=status, statusCode=code)
    base["result"].update(orderId="SKNPAY0001", **result)
    return base


@responses.activate
def test_bank_payout_sends_the_signed_body_byte_for_byte(hospital):
    provider = make_provider(hospital=hospital)
    responses.post(BANK_URL, json=ACCEPTED)

    result = provider.create_payout(bank_payout())

    request = responses.calls[0].request
    assert (
        request.body
        == (
            f'{{"orderId":"SKNPAY0001","subwalletGuid":"{SUBWALLET}","amount":"1500.00","purpose":"OTHERS",'
            f'"transferMode":"IMPS","beneficiaryAccount":"{ACCOUNT}","beneficiaryIFSC":"PYTM0123456",'
            '"beneficiaryName":"Apollo Pharma","callbackUrl":"https://skinspire.example/api/gateway/webhook/paytm",'
            '"comments":"Invoice INV-77"}'
        ).encode()
    )
    assert request.headers["x-mid"] == MID
    assert request.headers["Content-Type"] == "application/json"
    assert verifies(request.body.decode(), request.headers["x-checksum"]) is True
    assert result.status == PayoutStatus.PENDING
    assert result.gateway_status == "ACCEPTED"
    assert result.reference_id == "SKNPAY0001"


@responses.activate
def test_upi_payout_sends_the_vpa_and_upi_mode(hospital):
    provider = make_provider(hospital=hospital)
    responses.post(BANK_URL, json=ACCEPTED)

    provider.create_payout(upi_payout(amount=Decimal("75.5")))

    sent = json.loads(responses.calls[0].request.body)
    assert sent["transferMode"] == "UPI"
    assert sent["beneficiaryVPA"] == VPA
    assert sent["amount"] == "75.50"
    assert "beneficiaryAccount" not in sent


@pytest.mark.parametrize(
    ("name", "status", "utr", "fee", "tax", "amount", "failure"),
    [
        (
            "payout_status_response_success",
            PayoutStatus.PROCESSED,
            "111012803504",
            "3.54",
            "0.54",
            "1.00",
            ("", ""),
        ),
        ("payout_status_response_pending", PayoutStatus.PROCESSING, "", "2.36", "0.36", "10.00", ("", "")),
        (
            "payout_reversal_webhook",
            PayoutStatus.REVERSED,
            "016100034853",
            "1.43",
            "0.22",
            "21.00",
            ("FRESH_REVERSAL", "Fresh reversal"),
        ),
        (
            "payout_callback_test_payload",
            PayoutStatus.PROCESSED,
            "39885896709",
            "0.00",
            "0.00",
            "100.00",
            ("", ""),
        ),
    ],
)
@responses.activate
def test_status_query_fixtures_map_to_our_statuses(hospital, name, status, utr, fee, tax, amount, failure):
    provider = make_provider(hospital=hospital)
    document = fixture(name)
    order_id = document["result"]["orderId"]
    responses.post(QUERY_URL, json=document)

    result = provider.fetch_payout(reference_id=order_id)

    assert json.loads(responses.calls[0].request.body) == {"orderId": order_id}
    assert verifies(
        responses.calls[0].request.body.decode(), responses.calls[0].request.headers["x-checksum"]
    )
    assert (result.status, result.utr, result.fee, result.tax) == (status, utr, Decimal(fee), Decimal(tax))
    assert result.amount == Decimal(amount)
    assert (result.failure_code, result.failure_reason) == failure
    assert (result.gateway_payout_id, result.reference_id) == (document["result"]["paytmOrderId"], order_id)


@pytest.mark.parametrize(
    ("status", "code", "message", "reversal", "mapped", "failure"),
    [
        (
            "FAILURE",
            "DE_111",
            "Beneficiary bank rejected the transfer",
            None,
            PayoutStatus.FAILED,
            ("DE_111", "Beneficiary bank rejected the transfer"),
        ),
        (
            "FAILURE",
            "DE_685",
            "",
            "FRESH_REVERSAL",
            PayoutStatus.REVERSED,
            ("FRESH_REVERSAL", "FRESH_REVERSAL"),
        ),
        # Paytm's cancellation code is not published: a made-up one, passed through.
        ("CANCELLED", "DE_TEST", "Cancelled", None, PayoutStatus.CANCELLED, ("DE_TEST", "Cancelled")),
        ("PENDING", "DE_101", "Your request is in process", None, PayoutStatus.PROCESSING, ("", "")),
    ],
)
@responses.activate
def test_failure_code_is_paytms_code_and_failure_reason_its_message(
    hospital, status, code, message, reversal, mapped, failure
):
    provider = make_provider(hospital=hospital)
    document = status_document(status, code, reversalReason=reversal)
    document["statusMessage"] = message
    responses.post(QUERY_URL, json=document)

    result = provider.fetch_payout(reference_id="SKNPAY0001")

    assert (result.status, result.failure_code, result.failure_reason) == (mapped, *failure)


@responses.activate
def test_a_repeated_order_id_is_answered_from_the_status_query_not_read_as_failure(hospital):
    provider = make_provider(hospital=hospital)
    responses.post(
        BANK_URL, json={"status": "FAILURE", "statusCode": "DE_019", "statusMessage": "Duplicate order id"}
    )
    responses.post(QUERY_URL, json=status_document())

    result = provider.create_payout(bank_payout())

    assert [call.request.url for call in responses.calls] == [BANK_URL, QUERY_URL]
    assert result.status == PayoutStatus.PROCESSED
    assert result.utr == "111012803504"
    operations = list(GatewayTransactionLog.objects.order_by("id").values_list("operation", "outcome"))
    assert operations == [("create_payout", "success"), ("fetch_payout", "success")]


@responses.activate
def test_a_failure_for_an_order_paytm_does_not_hold_is_a_definite_rejection(hospital):
    provider = make_provider(hospital=hospital)
    responses.post(
        BANK_URL, json={"status": "FAILURE", "statusCode": "DE_1004", "statusMessage": "Insufficient balance"}
    )
    responses.post(
        QUERY_URL, json={"status": "FAILURE", "statusCode": "DE_xxx", "statusMessage": "Order not found"}
    )

    with pytest.raises(GatewayAPIError) as caught:
        provider.create_payout(bank_payout())

    assert caught.value.provably_failed is True
    assert caught.value.code == "DE_1004"
    assert caught.value.gateway_message == "Insufficient balance"


@responses.activate
def test_a_validation_failure_is_a_definite_rejection_without_a_status_query(hospital):
    provider = make_provider(hospital=hospital)
    responses.post(
        BANK_URL, json={"status": "FAILURE", "statusCode": "DE_012", "statusMessage": "Invalid amount"}
    )

    with pytest.raises(GatewayAPIError) as caught:
        provider.create_payout(bank_payout())

    assert len(responses.calls) == 1
    assert (caught.value.code, caught.value.provably_failed) == ("DE_012", True)
    log = GatewayTransactionLog.objects.get()
    assert (log.outcome, log.error_message) == ("error", "Paytm rejected the payout: Invalid amount")


@responses.activate
def test_a_server_error_leaves_the_outcome_unknown_and_retryable(hospital):
    provider = make_provider(hospital=hospital)
    responses.post(BANK_URL, status=503, body="upstream down")

    with pytest.raises(GatewayAPIError) as caught:
        provider.create_payout(bank_payout())

    assert (caught.value.retryable, caught.value.provably_failed, caught.value.http_status) == (
        True,
        False,
        503,
    )
    assert GatewayTransactionLog.objects.get().http_status == 503


@responses.activate
def test_a_refused_connection_is_unreachable_and_provably_not_sent(hospital):
    provider = make_provider(hospital=hospital)
    refused = MaxRetryError(None, BANK_URL, NewConnectionError(None, "refused"))
    responses.post(BANK_URL, body=requests.ConnectionError(refused))

    with pytest.raises(GatewayUnreachableError) as caught:
        provider.create_payout(bank_payout())

    assert caught.value.provably_failed is True
    assert GatewayTransactionLog.objects.get().outcome == "unreachable"


@responses.activate
def test_a_connection_dropped_after_sending_is_an_unknown_outcome(hospital):
    provider = make_provider(hospital=hospital)
    responses.post(BANK_URL, body=requests.ConnectionError("Connection aborted: RemoteDisconnected"))

    with pytest.raises(GatewayTimeoutError) as caught:
        provider.create_payout(bank_payout())

    assert caught.value.provably_failed is False


@pytest.mark.parametrize(
    ("raised", "expected", "outcome"),
    [
        (requests.ReadTimeout("slow"), GatewayTimeoutError, "timeout"),
        (requests.ConnectTimeout("no route"), GatewayUnreachableError, "unreachable"),
    ],
)
@responses.activate
def test_timeouts(hospital, raised, expected, outcome):
    provider = make_provider(hospital=hospital)
    responses.post(BANK_URL, body=raised)

    with pytest.raises(expected):
        provider.create_payout(bank_payout())

    assert GatewayTransactionLog.objects.get().outcome == outcome


@responses.activate
def test_a_configuration_without_payouts_sends_nothing(hospital):
    provider = make_provider(hospital=hospital, capabilities=["collections", "payment_links"])

    with pytest.raises(UnsupportedOperationError):
        provider.create_payout(bank_payout())

    assert len(responses.calls) == 0
    assert GatewayTransactionLog.objects.count() == 0


@pytest.mark.parametrize("request_factory", [bank_payout, upi_payout], ids=["bank", "upi"])
@responses.activate
def test_no_key_account_number_or_upi_id_reaches_the_log_or_the_application_logs(
    hospital, caplog, request_factory
):
    provider = make_provider(hospital=hospital)
    echoed = {
        **status_document(),
        "result": {**status_document()["result"], "beneficiaryAccount": ACCOUNT, "beneficiaryVPA": VPA},
    }
    responses.post(BANK_URL, json=echoed)
    caplog.set_level(logging.DEBUG)

    provider.create_payout(request_factory())

    log = GatewayTransactionLog.objects.get()
    stored = json.dumps([log.request_body, log.response_body, log.url, log.error_message, log.gateway_ids])
    for secret in (KEY, ACCOUNT, VPA):
        assert secret not in stored
        assert secret not in caplog.text
    assert "XXXX4891" in stored
    assert "su***@okhdfc" in stored
    assert "Paytm disbursal SKNPAY0001" in caplog.text
