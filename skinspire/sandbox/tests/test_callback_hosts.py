"""The sandbox posts a request-supplied callback URL (Paytm's payout `callbackUrl`, a
link's `statusCallbackUrl`) only to loopback or SANDBOX_CALLBACK_ALLOWED_HOSTS: it must
not be a way to make this server POST to any address."""

import json

import pytest
import responses

from skinspire.sandbox.delivery import webhook_send
from skinspire.sandbox.models import SandboxWebhookDelivery
from skinspire.sandbox.paytm import testing
from skinspire.sandbox.paytm.testing import SUBWALLET, payout_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def merchant(db):
    return testing.paytm_merchant_create()


def bank_transfer(client, callback_url: str, order_id: str = "PAYOUT_CB1") -> dict:
    body = {
        "subwalletGuid": SUBWALLET,
        "orderId": order_id,
        "beneficiaryAccount": "918008484891",
        "beneficiaryIFSC": "PYTM0123456",
        "amount": "900.00",
        "purpose": "OTHERS",
        "transferMode": "IMPS",
        "callbackUrl": callback_url,
    }
    return json.loads(payout_post(client, "/bpay/api/v1/disburse/order/bank", body).content)


@pytest.mark.parametrize(
    "callback_url",
    [
        "https://attacker.example/collect",
        "http://169.254.169.254/latest/meta-data",
        "http://hospital.example@attacker.example/callback",
        "ftp://hospital.example/callback",
    ],
)
def test_a_callback_to_another_host_is_never_posted(
    client, merchant, callback_url, django_capture_on_commit_callbacks
):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as network:
        network.post(testing.WEBHOOK_URL, status=200)
        with django_capture_on_commit_callbacks(execute=True):
            answer = bank_transfer(client, callback_url)
        posted_to = [call.request.url for call in network.calls]

    assert answer["status"] == "ACCEPTED"  # the payout itself goes ahead
    assert posted_to == [testing.WEBHOOK_URL, testing.WEBHOOK_URL]  # PENDING, SUCCESS: merchant URL only
    assert set(SandboxWebhookDelivery.objects.values_list("url", flat=True)) == {testing.WEBHOOK_URL}


def test_a_configured_host_receives_its_callbacks(client, merchant, django_capture_on_commit_callbacks):
    callback = "https://hospital.example/payouts/paytm/callback"
    with responses.RequestsMock() as network:
        network.post(callback, status=200)
        network.post(testing.WEBHOOK_URL, status=200)
        with django_capture_on_commit_callbacks(execute=True):
            bank_transfer(client, callback)
        posted_to = [call.request.url for call in network.calls]

    assert sorted(posted_to) == sorted([callback, testing.WEBHOOK_URL] * 2)


def test_a_stored_delivery_to_another_host_is_refused_when_sent(merchant):
    delivery = SandboxWebhookDelivery.objects.create(
        merchant=merchant,
        event_id="evt_1",
        event_type="payout.SUCCESS",
        object_id="obj_1",
        url="http://10.0.0.7/internal-admin",
        body="{}",
        headers={"Content-Type": "application/json"},
    )

    with responses.RequestsMock(assert_all_requests_are_fired=False) as network:
        sent = webhook_send(delivery_id=delivery.pk, resend=True)
        assert len(network.calls) == 0

    assert (sent.status, sent.attempts, sent.last_error) == (
        SandboxWebhookDelivery.Status.FAILED,
        0,
        "Not sent: the host is not in SANDBOX_CALLBACK_ALLOWED_HOSTS.",
    )
