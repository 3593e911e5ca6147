"""POST /api/gateway/webhook/paytm with Paytm's own sample payloads, signed by hand with
the configuration's merchant key: each of the three formats is routed by its MID,
verified, stored once and handled once."""

import pytest

from skinspire.core.tests.state_machine_app.models import TrialPayout
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.gateways.tests.test_paytm_support import fixture
from skinspire.gateways.tests.webhook_support import (
    PAYTM_URL,
    history,
    paytm_envelope,
    paytm_form,
    paytm_payout_callback,
    post,
    rows,
)

pytestmark = pytest.mark.django_db

MID = "INTEGR7769XXXXXX9383"  # the MID in Paytm's samples
KEY = "InboxTestKey0001"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def configuration(hospital):
    return GatewayConfigurationFactory(paytm=True, hospital=hospital, key_id=MID, paytm_merchant_key=KEY)


def deliver(client, body, headers, capture, content_type="application/json"):
    with capture(execute=True):
        return post(client, PAYTM_URL, body, headers, content_type=content_type)


def test_the_payment_form_is_stored_and_ignored_without_a_payment_handler(
    client, configuration, no_collections_handlers, django_capture_on_commit_callbacks
):
    body = paytm_form(fixture("pg_payment_status_form_success"), key=KEY)

    response = deliver(client, body, {}, django_capture_on_commit_callbacks, content_type=FORM)

    assert response.status_code == 200
    [row] = rows()
    assert (row.status, row.object_type, row.event_type, row.configuration) == (
        "ignored",
        "payment",
        "payment.TXN_SUCCESS",
        configuration,
    )


def test_a_re_signed_retry_of_the_same_form_is_a_duplicate(
    client, configuration, django_capture_on_commit_callbacks
):
    # Paytm's checksum has a random salt: a retry has other bytes but the same signed content.
    first = paytm_form(fixture("pg_payment_status_form_success"), key=KEY)
    retry = paytm_form(fixture("pg_payment_status_form_success"), key=KEY)
    assert first != retry

    answers = [
        deliver(client, body, {}, django_capture_on_commit_callbacks, content_type=FORM).status_code
        for body in (first, retry)
    ]

    assert answers == [200, 200]
    assert len(rows()) == 1


def test_the_payout_callback_moves_the_payout_once(
    client, configuration, payout_handler, django_capture_on_commit_callbacks
):
    document = fixture("payout_callback_test_payload")
    payout = TrialPayout.objects.create(reference=document["result"]["orderId"])
    body, headers = paytm_payout_callback(document, key=KEY, mid=MID)

    answers = [
        deliver(client, body, headers, django_capture_on_commit_callbacks).status_code for _ in range(2)
    ]

    assert answers == [200, 200]
    [row] = rows()
    assert (row.status, row.object_type, row.event_id) == (
        "processed",
        "payout",
        "payout:ORDER_PLACEHOLDER:SUCCESS:DE_001",
    )
    assert history(payout) == [("queued", "processed", "applied")]


def test_the_refund_webhook_envelope_is_routed_by_the_mid_in_its_body(
    client, configuration, no_collections_handlers, django_capture_on_commit_callbacks
):
    body = paytm_envelope(fixture("refund_success_webhook")["body"], key=KEY)

    response = deliver(client, body, {}, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert [(row.object_type, row.status) for row in rows()] == [("refund", "ignored")]


def test_a_form_signed_with_another_merchants_key_is_401(
    client, configuration, django_capture_on_commit_callbacks
):
    GatewayConfigurationFactory(
        paytm=True, key_id="OTHERM0000000000001", paytm_merchant_key="OtherMerchKey001"
    )
    body = paytm_form(fixture("pg_payment_status_form_success"), key="OtherMerchKey001")

    response = deliver(client, body, {}, django_capture_on_commit_callbacks, content_type=FORM)

    assert response.status_code == 401
    assert [(row.status, row.configuration) for row in rows()] == [("rejected", configuration)]


def test_paytms_own_checksum_is_not_ours(client, configuration, django_capture_on_commit_callbacks):
    body = "&".join(f"{name}={value}" for name, value in fixture("link_payment_status_webhook_form").items())

    response = deliver(client, body.encode(), {}, django_capture_on_commit_callbacks, content_type=FORM)

    assert response.status_code == 401
    assert [row.status for row in rows()] == ["rejected"]


def test_a_signed_form_without_an_order_is_400(client, configuration, django_capture_on_commit_callbacks):
    body = paytm_form({"MID": MID, "STATUS": "TXN_SUCCESS", "TXNAMOUNT": "1.00"}, key=KEY)

    response = deliver(client, body, {}, django_capture_on_commit_callbacks, content_type=FORM)

    assert response.status_code == 400
    assert response.json()["message"] == "The Paytm payment webhook lacks ORDERID or STATUS."
    assert [(row.status, row.signature_valid) for row in rows()] == [("rejected", True)]


def test_the_downtime_notice_names_no_merchant_and_is_401(
    client, configuration, django_capture_on_commit_callbacks
):
    body = paytm_envelope(fixture("downtime_notification_webhook")["body"], key=KEY)

    response = deliver(client, body, {}, django_capture_on_commit_callbacks)

    assert response.status_code == 401
    assert [(row.status, row.configuration) for row in rows()] == [("rejected", None)]


def test_a_signed_form_whose_amount_is_no_amount_is_400(
    client, configuration, django_capture_on_commit_callbacks
):
    body = paytm_form({"MID": MID, "ORDERID": "ORD-1", "STATUS": "TXN_SUCCESS", "TXNAMOUNT": ":"}, key=KEY)

    response = deliver(client, body, {}, django_capture_on_commit_callbacks, content_type=FORM)

    assert response.status_code == 400
    assert (
        response.json()["message"]
        == "The Paytm webhook does not have the documented shape: ':' is not an amount."
    )
    assert [row.status for row in rows()] == ["rejected"]


@pytest.mark.parametrize("checksum", [":", "====="])
def test_a_checksum_header_that_decodes_to_nothing_is_401(client, configuration, checksum):
    body = paytm_form(fixture("pg_payment_status_form_success"), key=KEY)

    response = post(
        client, PAYTM_URL, body, {"HTTP_X_MID": MID, "HTTP_X_CHECKSUM": checksum}, content_type=FORM
    )

    assert response.status_code == 401
    assert [row.status for row in rows()] == ["rejected"]
