"""The sandbox's admin actions and its index page."""

import pytest
import responses
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from skinspire.sandbox.models import SandboxObject, SandboxWebhookDelivery
from skinspire.sandbox.tests.factories import SandboxMerchantFactory, razorpay_client

pytestmark = pytest.mark.django_db

ACCOUNT = "7878780080316316"


@pytest.fixture
def admin_client():
    user = get_user_model().objects.create_superuser(
        username="root", password="pw-123456", email="r@example.com"
    )
    browser = Client()
    browser.force_login(user)
    return browser


def _payout(client):
    contact = client.post("/v1/contacts", {"name": "Acme Surgicals"})
    bank = {"name": "Acme Surgicals", "ifsc": "HDFC0000053", "account_number": "123456789012"}
    account = client.post(
        "/v1/fund_accounts",
        {"contact_id": contact["id"], "account_type": "bank_account", "bank_account": bank},
    )
    body = {
        "account_number": ACCOUNT,
        "fund_account_id": account["id"],
        "amount": 1000,
        "currency": "INR",
        "mode": "NEFT",
        "purpose": "payout",
    }
    return client.post("/v1/payouts", body, headers={"X-Payout-Idempotency": "admin-key-1"})


def test_advance_payout_action_moves_it_one_step(admin_client):
    payout = _payout(razorpay_client(SandboxMerchantFactory(account_number=ACCOUNT)))
    row = SandboxObject.objects.get(object_id=payout["id"])

    response = admin_client.post(
        reverse("admin:sandbox_sandboxobject_changelist"),
        {"action": "advance_payout", "_selected_action": [row.pk]},
        follow=True,
    )

    assert response.status_code == 200
    row.refresh_from_db()
    assert row.status == "processed"
    assert f"{payout['id']}: moved to processed" in [str(message) for message in response.context["messages"]]


def test_resend_action_sends_the_same_bytes_again(admin_client):
    merchant = SandboxMerchantFactory(webhook_url="https://hooks.example/razorpay")
    client = razorpay_client(merchant)
    client.payment_link.cancel(client.payment_link.create({"amount": 1000})["id"])
    delivery = SandboxWebhookDelivery.objects.get()

    with responses.RequestsMock() as hooks:
        hooks.add(responses.POST, "https://hooks.example/razorpay", status=200)
        admin_client.post(
            reverse("admin:sandbox_sandboxwebhookdelivery_changelist"),
            {"action": "resend", "_selected_action": [delivery.pk]},
        )
        assert hooks.calls[0].request.body == delivery.body.encode()

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 1)


def test_resend_action_sends_a_delivery_the_drop_knob_held_back(admin_client):
    merchant = SandboxMerchantFactory(
        webhook_url="https://hooks.example/razorpay", webhook_chaos={"drop": True}
    )
    client = razorpay_client(merchant)
    client.payment_link.cancel(client.payment_link.create({"amount": 1000})["id"])
    delivery = SandboxWebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("dropped", 0)

    with responses.RequestsMock() as hooks:
        hooks.add(responses.POST, "https://hooks.example/razorpay", status=200)
        admin_client.post(
            reverse("admin:sandbox_sandboxwebhookdelivery_changelist"),
            {"action": "resend", "_selected_action": [delivery.pk]},
        )
        assert len(hooks.calls) == 1

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 1)


def test_admin_pages_hide_secrets(admin_client):
    merchant = SandboxMerchantFactory()

    page = admin_client.get(reverse("admin:sandbox_sandboxmerchant_change", args=[merchant.pk]))

    assert page.status_code == 200
    assert merchant.key_secret not in page.content.decode()
    assert merchant.webhook_secret not in page.content.decode()


def test_index_lists_key_ids_never_secrets_and_the_magic_values():
    merchant = SandboxMerchantFactory()
    razorpay_client(merchant).order.create({"amount": 1000, "currency": "INR"})

    page = Client().get("/sandbox/")

    text = page.content.decode()
    assert merchant.key_id in text and merchant.key_secret not in text and merchant.webhook_secret not in text
    assert "111111" in text and "failure@razorpay" in text and "TIMEOUT" in text
    assert SandboxObject.objects.get().object_id in text


def test_index_shows_a_posted_callback():
    page = Client(enforce_csrf_checks=True).post(
        "/sandbox/", {"razorpay_payment_id": "pay_X", "razorpay_signature": "abc", "csrfmiddlewaretoken": "-"}
    )

    assert page.status_code == 200
    assert page.context["callback"] == {"razorpay_payment_id": "pay_X", "razorpay_signature": "abc"}


def test_index_documents_settle_now_and_the_validation_magic_values():
    text = Client().get("/sandbox/").content.decode()

    assert "/sandbox/control/settle-now" in text and "x-checksum" in text and "key_id:key_secret" in text
    for magic_value in ("0000", "1111", "2222", "RAVI KUMAR SHARMA", "failure@razorpay"):
        assert magic_value in text.split('id="validation-magic"')[1]
