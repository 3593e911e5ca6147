import json
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from paytmchecksum import PaytmChecksum

from skinspire.gateways.errors import GatewayAPIError
from skinspire.gateways.providers.paytm import signing
from skinspire.gateways.tests.test_paytm_support import KEY, fixture, make_provider, signed_envelope

FORM_HEADERS = {"Content-Type": "application/x-www-form-urlencoded"}
JSON_HEADERS = {"Content-Type": "application/json"}


def signed_form(name: str) -> bytes:
    fields = {key: value for key, value in fixture(name).items() if key != "CHECKSUMHASH"}
    fields["CHECKSUMHASH"] = signing.sign_fields(fields, merchant_key=KEY)
    return urlencode(fields).encode()


def payout_callback(name: str) -> tuple[bytes, dict[str, str]]:
    raw = json.dumps(fixture(name), indent=1)
    return raw.encode(), {**JSON_HEADERS, "X-Checksum": PaytmChecksum.generateSignature(raw, KEY)}


def refund_webhook(name: str) -> bytes:
    return signed_envelope(fixture(name)["body"]).encode()


@pytest.mark.parametrize(
    "build",
    [
        lambda: (signed_form("pg_payment_status_form_success"), FORM_HEADERS),
        lambda: (signed_form("link_payment_status_webhook_form"), FORM_HEADERS),
        lambda: (signed_form("refund_arn_webhook_form"), FORM_HEADERS),
        lambda: payout_callback("payout_reversal_webhook"),
        lambda: payout_callback("payout_callback_test_payload"),
        lambda: (refund_webhook("refund_success_webhook"), JSON_HEADERS),
        lambda: (refund_webhook("refund_accept_webhook_failed"), JSON_HEADERS),
        lambda: (refund_webhook("downtime_notification_webhook"), JSON_HEADERS),
    ],
)
def test_each_webhook_format_verifies_and_fails_when_tampered(hospital, build):
    provider = make_provider(hospital=hospital)
    body, headers = build()

    assert provider.verify_webhook(body=body, headers=headers) is True
    tampered = body.replace(b"1.00", b"9.00").replace(b"21.0", b"99.0").replace(b"100.0", b"900.0")
    tampered = tampered.replace(b"Degradation", b"Improvement").replace(b"70.00", b"79.00")
    assert tampered != body
    assert provider.verify_webhook(body=tampered, headers=headers) is False


@pytest.mark.parametrize(
    "name",
    ["pg_payment_status_form_success", "pg_callback_form_without_checksum", "refund_arn_webhook_form"],
)
def test_paytms_own_samples_and_unsigned_forms_do_not_verify_under_our_key(hospital, name):
    provider = make_provider(hospital=hospital)
    assert provider.verify_webhook(body=urlencode(fixture(name)).encode(), headers=FORM_HEADERS) is False


@pytest.mark.parametrize(
    "name", ["refund_accept_webhook_success", "refund_success_webhook", "downtime_notification_webhook"]
)
def test_paytms_signed_json_samples_do_not_verify_under_our_key(hospital, name):
    provider = make_provider(hospital=hospital)
    assert provider.verify_webhook(body=json.dumps(fixture(name)).encode(), headers=JSON_HEADERS) is False


def test_garbage_is_not_verified(hospital):
    provider = make_provider(hospital=hospital)
    assert provider.verify_webhook(body=b"\xff\xfe", headers={}) is False
    assert provider.verify_webhook(body=b"{not json", headers=JSON_HEADERS) is False
    assert provider.verify_webhook(body=b"{}", headers={"x-checksum": "garbage"}) is False


def test_payment_webhook_is_normalised(hospital):
    provider = make_provider(hospital=hospital)
    event = provider.parse_webhook(body=signed_form("pg_payment_status_form_failure"), headers=FORM_HEADERS)

    assert event.event_id == "payment:ORDERID_98765:TXN_FAILURE:227"
    assert (event.event_type, event.object_type, event.object_id) == (
        "payment.TXN_FAILURE",
        "payment",
        "ORDERID_98765",
    )
    assert (event.status, event.amount, event.utr) == ("TXN_FAILURE", Decimal("1.00"), "62909899")
    assert (event.failure_code, event.failure_reason) == (
        "227",
        fixture("pg_payment_status_form_failure")["RESPMSG"],
    )
    assert event.failure_reason.startswith("Your payment has been declined by your bank.")
    assert (event.reference_id, event.gateway_order_id, event.gateway_payment_id) == (
        "ORDERID_98765",
        "ORDERID_98765",
        "202005081112128XXXXXX68470101509706",
    )


def test_a_successful_payment_has_no_failure_fields(hospital):
    provider = make_provider(hospital=hospital)
    event = provider.parse_webhook(body=signed_form("pg_payment_status_form_success"), headers=FORM_HEADERS)

    assert (event.status, event.failure_code, event.failure_reason) == ("TXN_SUCCESS", "", "")


def test_a_resigned_redelivery_gets_the_same_event_id(hospital):
    provider = make_provider(hospital=hospital)
    first = signed_form("pg_payment_status_form_success")
    second = signed_form("pg_payment_status_form_success")
    assert first != second  # a fresh random salt each time
    assert (
        provider.parse_webhook(body=first, headers=FORM_HEADERS).event_id
        == provider.parse_webhook(body=second, headers=FORM_HEADERS).event_id
    )


def test_link_payment_webhook_points_at_the_link(hospital):
    provider = make_provider(hospital=hospital)
    event = provider.parse_webhook(body=signed_form("link_payment_status_webhook_form"), headers=FORM_HEADERS)

    assert (event.object_type, event.object_id, event.reference_id) == (
        "payment_link",
        "12345",
        "ORDERID_98765",
    )
    assert (event.event_type, event.amount, event.utr) == ("payment.TXN_SUCCESS", Decimal("1.00"), "63240520")


def test_payout_reversal_webhook_is_normalised(hospital):
    provider = make_provider(hospital=hospital)
    body, headers = payout_callback("payout_reversal_webhook")
    event = provider.parse_webhook(body=body, headers=headers)

    # The event id stays keyed on our orderId; object_id is Paytm's id, as gateway_payout_id.
    assert event.event_id == "payout:Nef001:FAILURE:DE_685"
    assert (event.event_type, event.object_type, event.object_id, event.reference_id) == (
        "payout.FAILURE",
        "payout",
        "3213412321312312333",
        "Nef001",
    )
    assert (event.amount, event.fee, event.tax) == (Decimal("21.00"), Decimal("1.43"), Decimal("0.22"))
    assert (event.utr, event.failure_code, event.failure_reason) == (
        "016100034853",
        "FRESH_REVERSAL",
        "Fresh reversal",
    )


def test_payout_success_callback_is_normalised(hospital):
    provider = make_provider(hospital=hospital)
    body, headers = payout_callback("payout_callback_test_payload")
    event = provider.parse_webhook(body=body, headers=headers)

    assert (event.event_type, event.object_id, event.reference_id, event.utr) == (
        "payout.SUCCESS",
        "PAYTM_ORDER_PLACEHOLDER",
        "ORDER_PLACEHOLDER",
        "39885896709",
    )
    assert (event.event_id, event.failure_code, event.failure_reason) == (
        "payout:ORDER_PLACEHOLDER:SUCCESS:DE_001",
        "",
        "",
    )
    assert (event.fee, event.amount) == (Decimal("0.00"), Decimal("100.00"))
    assert event.occurred_at.isoformat() == "2022-04-13T08:05:13+05:30"


def payout_callback_without(*names: str) -> tuple[bytes, dict[str, str]]:
    """The captured SUCCESS callback without the given `result` fields, signed."""
    document = fixture("payout_callback_test_payload")
    for name in names:
        document["result"].pop(name)
    raw = json.dumps(document, indent=1)
    return raw.encode(), {**JSON_HEADERS, "X-Checksum": PaytmChecksum.generateSignature(raw, KEY)}


@pytest.mark.parametrize(
    ("dropped", "said_at"),
    [
        (("processedOn",), "2022-04-13T08:05:09+05:30"),  # createdOn: no word about it is older
        (("processedOn", "createdOn"), None),  # no time: never taken for the newest word
    ],
)
def test_a_payout_callback_without_processed_on_is_not_dated_now(hospital, dropped, said_at):
    """Paytm's processedOn and createdOn appear only in some callbacks (reference §1.4). One
    without processedOn carries the order's creation; one with neither carries no time
    (payouts/services/outcomes.py: such a word never replaces one the gateway dated)."""
    provider = make_provider(hospital=hospital)
    body, headers = payout_callback_without(*dropped)

    event = provider.parse_webhook(body=body, headers=headers)

    assert event.status == "SUCCESS"
    assert (event.occurred_at.isoformat() if event.occurred_at else None) == said_at


@pytest.mark.parametrize(
    ("name", "event_id", "status", "failure", "utr"),
    [
        ("refund_accept_webhook_success", "refund.accept:REFUNDID_98765:SUCCESS:", "SUCCESS", ("", ""), ""),
        (
            "refund_accept_webhook_failed",
            "refund.accept:REFUNDID_98765:FAILED:1",
            "FAILED",
            ("1", "Insufficient balance in your settlement account"),
            "",
        ),
        (
            "refund_success_webhook",
            "refund.success:REFUNDID_98765:SUCCESS:",
            "SUCCESS",
            ("", ""),
            "1735XXXX84",
        ),
    ],
)
def test_refund_webhooks_are_normalised(hospital, name, event_id, status, failure, utr):
    provider = make_provider(hospital=hospital)
    body = fixture(name)["body"]
    event = provider.parse_webhook(body=refund_webhook(name), headers=JSON_HEADERS)

    # The event id stays keyed on our refId; object_id is Paytm's refundId.
    assert (event.event_id, event.status, event.utr) == (event_id, status, utr)
    assert (event.failure_code, event.failure_reason) == failure
    assert (event.object_type, event.object_id, event.reference_id, event.amount) == (
        "refund",
        "20200903XXXXXX801300168821700215705",
        "REFUNDID_98765",
        Decimal("1.00"),
    )
    assert (event.gateway_order_id, event.gateway_payment_id) == (body["orderId"], body["txnId"])
    assert event.event_type == f"refund.{status}"


def test_a_refund_webhook_without_a_refund_id_falls_back_to_our_ref_id(hospital):
    provider = make_provider(hospital=hospital)
    body = {key: value for key, value in fixture("refund_accept_webhook_success")["body"].items()}
    body.pop("refundId")

    event = provider.parse_webhook(body=signed_envelope(body).encode(), headers=JSON_HEADERS)

    assert (event.object_id, event.reference_id, event.event_id) == (
        "REFUNDID_98765",
        "REFUNDID_98765",
        "refund.accept:REFUNDID_98765:SUCCESS:",
    )


def test_refund_arn_and_downtime_notifications_are_normalised(hospital):
    provider = make_provider(hospital=hospital)
    arn = provider.parse_webhook(body=signed_form("refund_arn_webhook_form"), headers=FORM_HEADERS)
    assert (arn.event_type, arn.event_id, arn.object_id, arn.amount) == (
        "refund.ARN",
        "refund.arn:REFUNDMER384617804845:ARN:",
        "202303140203384XXXXXX59549002323111",
        Decimal("70.00"),
    )
    assert (arn.utr, arn.reference_id, arn.gateway_order_id) == (
        "73256633124312285716334",
        "REFUNDMER384617804845",
        "OREDRID_98765",
    )

    downtime = provider.parse_webhook(
        body=refund_webhook("downtime_notification_webhook"), headers=JSON_HEADERS
    )
    assert (downtime.event_type, downtime.object_type, downtime.object_id) == (
        "downtime.NOTIFIED",
        "downtime",
        "34031",
    )


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        (b"STATUS=TXN_SUCCESS", FORM_HEADERS),
        (b"{broken", JSON_HEADERS),
        (b'{"head":{},"body":{"x":1}}', JSON_HEADERS),
        (b'{"head":{},"body":' + b"[" * 1000 + b"]" * 1000 + b"}", JSON_HEADERS),  # RecursionError
    ],
)
def test_malformed_webhooks_raise(hospital, body, headers):
    provider = make_provider(hospital=hospital)
    with pytest.raises(GatewayAPIError) as caught:
        provider.parse_webhook(body=body, headers=headers)
    assert caught.value.code == "malformed_webhook"
