"""After a webhook secret is replaced, the previous one verifies for the grace window only."""

from datetime import timedelta

import pytest

from skinspire.gateways.models import GatewayConfiguration
from skinspire.gateways.services import gateway_configuration_update
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.gateways.tests.test_paytm_support import fixture
from skinspire.gateways.tests.webhook_support import (
    PAYTM_URL,
    RAZORPAY_URL,
    paytm_form,
    post,
    razorpay_headers,
    razorpay_payout_envelope,
    rows,
)
from skinspire.gateways.webhooks.routing import routing_cache_clear

pytestmark = pytest.mark.django_db

ACCOUNT = "acc_GraceWindow001"
OLD, NEW = "grace_old_whsec_0001", "grace_new_whsec_0002"


@pytest.fixture
def configuration(hospital):
    configuration = GatewayConfigurationFactory(
        hospital=hospital, merchant_id=ACCOUNT, razorpay_webhook_secret=OLD
    )
    return gateway_configuration_update(
        configuration=configuration, changes={}, values={"webhook_secret": NEW}
    )


def signed_with(client, secret: str, event_id: str):
    body = razorpay_payout_envelope(account_id=ACCOUNT, reference=event_id, status="processed")
    return post(
        client, RAZORPAY_URL, body, razorpay_headers(body, secret=secret, event_id=event_id)
    ).status_code


def stored(configuration) -> dict:
    row = GatewayConfiguration.objects.get(pk=configuration.pk)
    return {
        "webhook_secret": row.secrets.get("webhook_secret", ""),
        "webhook_secret_previous": row.webhook_secret_previous,
        "webhook_secret_rotated_at": row.webhook_secret_rotated_at,
    }


def test_replacing_the_secret_keeps_the_old_one_with_the_time(configuration):
    values = stored(configuration)
    assert (values["webhook_secret"], values["webhook_secret_previous"]) == (NEW, OLD)
    assert values["webhook_secret_rotated_at"] is not None


def test_the_previous_secret_verifies_within_the_window_and_not_after(client, configuration, settings):
    settings.GATEWAY_WEBHOOK_SECRET_GRACE_SECONDS = 3600

    within = [signed_with(client, NEW, "EvtNew000001"), signed_with(client, OLD, "EvtOld000001")]
    GatewayConfiguration.objects.filter(pk=configuration.pk).update(
        webhook_secret_rotated_at=stored(configuration)["webhook_secret_rotated_at"] - timedelta(seconds=3601)
    )
    routing_cache_clear()  # the update went around save(): as when the cached route lapses
    after = [signed_with(client, NEW, "EvtNew000002"), signed_with(client, OLD, "EvtOld000002")]

    assert (within, after) == ([200, 200], [200, 401])
    assert [(row.event_id, row.status) for row in rows()] == [
        ("EvtNew000001", "received"),
        ("EvtOld000001", "received"),
        ("EvtNew000002", "received"),
        ("", "rejected"),
    ]


def test_a_secret_that_was_never_rotated_has_no_window(client, hospital):
    GatewayConfigurationFactory(hospital=hospital, merchant_id=ACCOUNT, razorpay_webhook_secret=NEW)

    assert [signed_with(client, NEW, "EvtNew000001"), signed_with(client, OLD, "EvtOld000001")] == [200, 401]


def test_typing_the_same_secret_again_opens_no_window(hospital):
    configuration = GatewayConfigurationFactory(
        hospital=hospital, merchant_id=ACCOUNT, razorpay_webhook_secret=NEW
    )

    gateway_configuration_update(configuration=configuration, changes={}, values={"webhook_secret": NEW})

    assert stored(configuration) == {
        "webhook_secret": NEW,
        "webhook_secret_previous": "",
        "webhook_secret_rotated_at": None,
    }


def test_a_paytm_merchant_key_rotation_has_the_same_window(client, hospital, settings):
    settings.GATEWAY_WEBHOOK_SECRET_GRACE_SECONDS = 3600
    mid = "INTEGR7769XXXXXX9383"
    configuration = GatewayConfigurationFactory(
        paytm=True,
        hospital=hospital,
        key_id=mid,
        paytm_merchant_key="OldMerchantKey01",
        capabilities=["payouts", "collections", "payment_links"],
    )
    gateway_configuration_update(
        configuration=configuration, changes={}, values={"merchant_key": "NewMerchantKey02"}
    )
    form = fixture("pg_payment_status_form_success")

    answers = [
        post(client, PAYTM_URL, paytm_form({**form, "ORDERID": order}, key=key), {},
             content_type="application/x-www-form-urlencoded").status_code
        for order, key in [("ORD-1", "OldMerchantKey01"), ("ORD-2", "NewMerchantKey02"), ("ORD-3", "Stranger16Chars!")]
    ]  # fmt: skip

    assert answers == [200, 200, 401]
