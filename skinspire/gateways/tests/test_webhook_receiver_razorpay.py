"""POST /api/gateway/webhook/razorpay: verified, stored once, handled once; every refusal
answers 4xx and handles nothing."""

import hashlib
import json

import pytest

from skinspire.core.tests.state_machine_app.models import TrialPayout
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.gateways.tests.test_razorpay_support import fixture
from skinspire.gateways.tests.webhook_support import (
    RAZORPAY_URL,
    history,
    post,
    razorpay_headers,
    razorpay_payout_envelope,
    rows,
)
from skinspire.gateways.webhooks import counters
from skinspire.gateways.webhooks.models import WebhookEvent

pytestmark = pytest.mark.django_db

ACCOUNT = "acc_BFQ7uQEaa7j2z7"
SECRET = "inbox_test_whsec_0001"


@pytest.fixture
def configuration(hospital):
    return GatewayConfigurationFactory(hospital=hospital, merchant_id=ACCOUNT, razorpay_webhook_secret=SECRET)


@pytest.fixture
def payout():
    return TrialPayout.objects.create(reference="PAY-0001")


def deliver(client, body, headers, capture):
    with capture(execute=True):
        return post(client, RAZORPAY_URL, body, headers)


def test_a_signed_payout_event_is_stored_and_handled_once(
    client, configuration, payout, payout_handler, django_capture_on_commit_callbacks
):
    body = razorpay_payout_envelope(account_id=ACCOUNT, reference="PAY-0001", status="processed")

    response = deliver(
        client, body, razorpay_headers(body, secret=SECRET), django_capture_on_commit_callbacks
    )

    assert response.status_code == 200
    assert response.json() == {"message": "Received.", "extra": {}}
    [row] = rows()
    assert (row.status, row.attempts, row.signature_valid, row.relay_pending) == ("processed", 1, True, False)
    assert (row.event_id, row.event_type, row.object_type, row.object_id) == (
        "HK890egfiItP3H",
        "payout.processed",
        "payout",
        "pout_Trial0001",
    )
    assert row.configuration == configuration and row.hospital == configuration.hospital
    assert bytes(row.body) == body
    assert set(row.headers) == {"content-type", "x-razorpay-signature", "x-razorpay-event-id"}
    payout.refresh_from_db()
    assert payout.status == "processed"
    assert history(payout) == [("queued", "processed", "applied")]


def test_the_sdk_payment_fixture_with_no_payment_handler_is_ignored(
    client, configuration, no_collections_handlers, django_capture_on_commit_callbacks
):
    envelope = {**fixture("fake_payment_authorized_webhook"), "account_id": ACCOUNT}
    body = json.dumps(envelope).encode()

    response = deliver(
        client, body, razorpay_headers(body, secret=SECRET), django_capture_on_commit_callbacks
    )

    assert response.status_code == 200
    [row] = rows()
    assert (row.status, row.object_type, row.object_id) == ("ignored", "payment", "pay_6koWN7bvxujzxM")
    assert row.last_error == "No handler is registered for payment events."


def test_an_unknown_event_type_is_stored_and_ignored(
    client, configuration, django_capture_on_commit_callbacks
):
    body = json.dumps(
        {
            "entity": "event",
            "account_id": ACCOUNT,
            "event": "fund_account.validation.completed",
            "contains": ["fund_account.validation"],
            "payload": {},
            "created_at": 1755693679,
        }  # fmt: skip
    ).encode()

    response = deliver(
        client, body, razorpay_headers(body, secret=SECRET), django_capture_on_commit_callbacks
    )

    assert response.status_code == 200
    assert [(row.event_type, row.status) for row in rows()] == [
        ("fund_account.validation.completed", "ignored")
    ]


def test_the_same_event_id_twice_is_one_row_and_one_handling(
    client, configuration, payout, payout_handler, django_capture_on_commit_callbacks
):
    body = razorpay_payout_envelope(account_id=ACCOUNT, reference="PAY-0001", status="processing")
    headers = razorpay_headers(body, secret=SECRET)

    first = deliver(client, body, headers, django_capture_on_commit_callbacks)
    second = deliver(client, body, headers, django_capture_on_commit_callbacks)

    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json()["message"] == "Duplicate; already received."
    assert len(rows()) == 1
    assert history(payout) == [("queued", "processing", "applied")]


def test_a_captured_body_replayed_under_a_new_event_id_is_a_duplicate(
    client, configuration, payout, payout_handler, django_capture_on_commit_callbacks
):
    body = razorpay_payout_envelope(account_id=ACCOUNT, reference="PAY-0001", status="processing")

    first = deliver(client, body, razorpay_headers(body, secret=SECRET, event_id="EvtOriginal0001"),
                    django_capture_on_commit_callbacks)  # fmt: skip
    replay = deliver(client, body, razorpay_headers(body, secret=SECRET, event_id="EvtReplayed0002"),
                     django_capture_on_commit_callbacks)  # fmt: skip

    assert (first.status_code, replay.status_code) == (200, 200)
    assert [row.event_id for row in rows()] == ["EvtOriginal0001"]
    assert history(payout) == [("queued", "processing", "applied")]


@pytest.mark.parametrize("change", ["tampered body", "wrong secret", "no signature", "unknown account"])
def test_an_unverified_delivery_is_401_stored_rejected_and_handles_nothing(
    client, configuration, payout, payout_handler, change, django_capture_on_commit_callbacks
):
    body = razorpay_payout_envelope(account_id=ACCOUNT, reference="PAY-0001", status="processed")
    headers = razorpay_headers(body, secret=SECRET)
    if change == "tampered body":
        body = body.replace(b"150000", b"950000")
    elif change == "wrong secret":
        headers = razorpay_headers(body, secret="someone_elses_secret")
    elif change == "no signature":
        headers = {}
    else:
        body = razorpay_payout_envelope(
            account_id="acc_NobodyKnows01", reference="PAY-0001", status="processed"
        )
        headers = razorpay_headers(body, secret=SECRET)

    response = deliver(client, body, headers, django_capture_on_commit_callbacks)

    assert response.status_code == 401
    [row] = rows()
    assert (row.status, row.signature_valid, row.event_id, row.relay_pending) == (
        "rejected",
        False,
        "",
        False,
    )
    assert row.configuration == (None if change == "unknown account" else configuration)
    payout.refresh_from_db()
    assert payout.status == "queued"
    assert history(payout) == []


def test_another_hospitals_secret_does_not_verify(
    client, configuration, payout, payout_handler, django_capture_on_commit_callbacks
):
    other = GatewayConfigurationFactory(
        merchant_id="acc_OtherHospital1", razorpay_webhook_secret="other_whsec_0002"
    )
    body = razorpay_payout_envelope(account_id=ACCOUNT, reference="PAY-0001", status="processed")

    response = deliver(
        client, body, razorpay_headers(body, secret="other_whsec_0002"), django_capture_on_commit_callbacks
    )

    assert response.status_code == 401
    assert [(row.status, row.configuration_id) for row in rows()] == [("rejected", configuration.pk)]
    assert other.hospital != configuration.hospital
    payout.refresh_from_db()
    assert payout.status == "queued"


def test_a_signed_body_that_is_not_an_event_is_400_and_handles_nothing(
    client, configuration, django_capture_on_commit_callbacks
):
    body = json.dumps({"account_id": ACCOUNT, "hello": "world"}).encode()

    response = deliver(
        client, body, razorpay_headers(body, secret=SECRET), django_capture_on_commit_callbacks
    )

    assert response.status_code == 400
    assert response.json()["message"] == "The Razorpay webhook has no event or payload."
    [row] = rows()
    assert (row.status, row.signature_valid, row.last_error) == (
        "rejected",
        True,
        "malformed: The Razorpay webhook has no event or payload.",
    )


def test_over_one_mebibyte_is_413_before_anything_is_read(client, configuration):
    body = b"{" + b" " * (1024 * 1024) + b"}"

    response = post(client, RAZORPAY_URL, body, {})

    assert response.status_code == 413
    assert not WebhookEvent.objects.exists()


def test_only_post_is_accepted(client):
    assert client.get(RAZORPAY_URL).status_code == 405
    assert not WebhookEvent.objects.exists()


def test_rejected_rows_are_rate_limited_per_address(client, configuration, settings):
    settings.GATEWAY_WEBHOOK_REJECTED_ROWS_PER_MINUTE = 3
    body = razorpay_payout_envelope(account_id=ACCOUNT, reference="PAY-0001", status="processed")

    answers = [
        post(client, RAZORPAY_URL, body, {"HTTP_X_RAZORPAY_SIGNATURE": "0" * 64}).status_code
        for _ in range(6)
    ]

    assert answers == [401] * 6
    assert WebhookEvent.objects.filter(status="rejected").count() == 3


def test_deliveries_over_the_rate_are_429(client, configuration, settings, monkeypatch):
    settings.GATEWAY_WEBHOOK_RATE_PER_MINUTE = 2
    # The rate counts per clock minute: four deliveries that straddled a minute's end would
    # see two windows (seen once in CI, on a loaded machine). Halfway through minute 1000.
    monkeypatch.setattr(counters.time, "time", lambda: 1000 * 60 + 30.0)
    body = razorpay_payout_envelope(account_id=ACCOUNT, reference="PAY-0001", status="processed")

    answers = [post(client, RAZORPAY_URL, body, {}).status_code for _ in range(4)]

    assert answers == [401, 401, 429, 429]


def test_the_ip_allow_list_refuses_other_addresses(
    client, configuration, no_payout_handler, django_capture_on_commit_callbacks
):
    configuration.webhook_allowed_ips = ["10.20.0.0/16"]
    configuration.save(update_fields=["webhook_allowed_ips"])
    body = razorpay_payout_envelope(account_id=ACCOUNT, reference="PAY-0001", status="processed")
    headers = razorpay_headers(body, secret=SECRET)

    refused = deliver(client, body, headers, django_capture_on_commit_callbacks)
    accepted = deliver(
        client, body, {**headers, "REMOTE_ADDR": "10.20.3.4"}, django_capture_on_commit_callbacks
    )

    assert (refused.status_code, accepted.status_code) == (401, 200)
    assert [(row.status, row.remote_ip) for row in rows()] == [
        ("rejected", "127.0.0.1"),
        ("ignored", "10.20.3.4"),
    ]


def test_a_signed_event_whose_entity_is_not_an_object_is_400(
    client, configuration, django_capture_on_commit_callbacks
):
    body = json.dumps(
        {
            "entity": "event",
            "account_id": ACCOUNT,
            "event": "payout.processed",
            "contains": ["payout"],
            "payload": {"payout": {"entity": {"id": "pout_1", "amount": "lots"}}},
            "created_at": 1755693679,
        }  # fmt: skip
    ).encode()

    response = deliver(
        client, body, razorpay_headers(body, secret=SECRET), django_capture_on_commit_callbacks
    )

    assert response.status_code == 400
    assert response.json()["message"].startswith("The Razorpay webhook does not have the documented shape:")
    assert [row.status for row in rows()] == ["rejected"]


def test_a_signed_event_with_a_time_no_calendar_holds_is_400(
    client, configuration, django_capture_on_commit_callbacks
):
    body = json.dumps(
        {
            "entity": "event",
            "account_id": ACCOUNT,
            "event": "payout.processed",
            "contains": ["payout"],
            "payload": {"payout": {"entity": {"id": "pout_1", "status": "processed"}}},
            "created_at": 10**30,
        }  # fmt: skip
    ).encode()

    response = deliver(
        client, body, razorpay_headers(body, secret=SECRET), django_capture_on_commit_callbacks
    )

    assert response.status_code == 400
    assert [row.status for row in rows()] == ["rejected"]


def test_a_signed_event_with_more_paise_than_a_decimal_holds_is_400(
    client, configuration, django_capture_on_commit_callbacks
):
    # A whole number JSON allows, beyond the 28 digits of Decimal's context: it was a 500.
    body = json.dumps(
        {
            "entity": "event",
            "account_id": ACCOUNT,
            "event": "payment.captured",
            "contains": ["payment"],
            "payload": {"payment": {"entity": {"id": "pay_1", "amount": 10**30, "status": "captured"}}},
            "created_at": 1755693679,
        }  # fmt: skip
    ).encode()

    response = deliver(
        client, body, razorpay_headers(body, secret=SECRET), django_capture_on_commit_callbacks
    )

    assert response.status_code == 400
    assert response.json()["message"] == (
        "The Razorpay webhook does not have the documented shape: "
        "'1000000000000000000000000000000' paise is too large to be an amount."
    )
    assert [row.status for row in rows()] == ["rejected"]


def test_an_event_id_longer_than_the_column_is_kept_by_its_digest(
    client, configuration, django_capture_on_commit_callbacks
):
    body = razorpay_payout_envelope(account_id=ACCOUNT, reference="PAY-0001", status="processed")
    long_id = "E" * 500

    answers = [
        deliver(
            client,
            body,
            razorpay_headers(body, secret=SECRET, event_id=long_id),
            django_capture_on_commit_callbacks,
        ).status_code
        for _ in range(2)
    ]

    assert answers == [200, 200]
    [row] = rows()
    assert row.event_id == "sha256:" + hashlib.sha256(long_id.encode()).hexdigest()
