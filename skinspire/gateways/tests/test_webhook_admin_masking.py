"""The inbox page masks account numbers and UPI ids the gateway put in a delivery, for
every role that may open it; the row itself keeps the exact signed bytes."""

import json

import pytest
from django.urls import reverse

from skinspire.core.roles import ROLE_GATEWAY_ADMIN
from skinspire.core.tests.factories import UserFactory
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.gateways.webhooks.models import WebhookEvent

pytestmark = pytest.mark.django_db

ACCOUNT_NUMBER = "765432123456789"
VPA = "suppliername@okhdfc"


def validation_event(hospital):
    configuration = GatewayConfigurationFactory(hospital=hospital, merchant_id="acc_Mask0000000001")
    body = {
        "entity": "event",
        "account_id": "acc_Mask0000000001",
        "event": "fund_account.validation.completed",
        "payload": {
            "fund_account.validation": {
                "entity": {
                    "id": "fav_Mask00000001",
                    "fund_account": {
                        "account_type": "bank_account",
                        "bank_account": {"ifsc": "HDFC0000123", "account_number": ACCOUNT_NUMBER},
                        "vpa": {"address": VPA},
                    },
                }
            }
        },
    }
    return WebhookEvent.objects.create(
        provider="razorpay",
        configuration=configuration,
        hospital=hospital,
        event_id="EvtMask00000001",
        event_type="fund_account.validation.completed",
        object_type="fund_account.validation",
        object_id="fav_Mask00000001",
        body=json.dumps(body).encode(),
        headers={"x-razorpay-event-id": "EvtMask00000001", "x-razorpay-signature": "a" * 64},
        signature_valid=True,
        status="ignored",
    )


@pytest.mark.parametrize("superuser", [False, True], ids=["gateway admin", "superuser"])
def test_the_inbox_page_masks_accounts_and_signatures(client, hospital, superuser):
    event = validation_event(hospital)
    if superuser:
        user = UserFactory(is_superuser=True, is_staff=True)
    else:
        user = UserFactory(hospital=hospital, roles=[ROLE_GATEWAY_ADMIN])
    client.force_login(user)

    html = client.get(reverse("admin:gateways_webhookevent_change", args=[event.pk])).content.decode()

    assert ACCOUNT_NUMBER not in html and VPA not in html and "a" * 64 not in html
    assert "XXXX6789" in html and "su***@okhdfc" in html
    assert bytes(WebhookEvent.objects.get(pk=event.pk).body).count(ACCOUNT_NUMBER.encode()) == 1


def test_a_body_that_is_not_json_is_masked_as_text(client, hospital):
    event = validation_event(hospital)
    WebhookEvent.objects.filter(pk=event.pk).update(
        body=f"STATUS=TXN_SUCCESS&VPA={VPA}&ACC={ACCOUNT_NUMBER}".encode()
    )
    client.force_login(UserFactory(hospital=hospital, roles=[ROLE_GATEWAY_ADMIN]))

    html = client.get(reverse("admin:gateways_webhookevent_change", args=[event.pk])).content.decode()

    assert ACCOUNT_NUMBER not in html and VPA not in html
    assert "STATUS=TXN_SUCCESS" in html
