"""RazorpayX reads: GET /v1/contacts, /v1/fund_accounts, /v1/payout-links; and cancelling a payout link."""

import pytest
import razorpay

from skinspire.sandbox.models import SandboxObject, SandboxWebhookDelivery
from skinspire.sandbox.tests.factories import SandboxMerchantFactory, razorpay_client

pytestmark = pytest.mark.django_db

ACCOUNT = "7878780080316316"


@pytest.fixture
def merchant():
    return SandboxMerchantFactory(account_number=ACCOUNT, webhook_url="https://hooks.example/razorpayx")


@pytest.fixture
def client(merchant):
    return razorpay_client(merchant)


def _payout_link(client, *, contact, receipt):
    body = {"account_number": ACCOUNT, "contact": contact, "amount": 1000, "currency": "INR",
            "purpose": "refund", "description": "Deposit refund", "receipt": receipt}  # fmt: skip
    return client.post("/v1/payout-links", body)


def test_contacts_and_fund_accounts_are_listed_newest_first_with_filters(client):
    acme = client.post("/v1/contacts", {"name": "Acme Surgicals", "type": "vendor", "email": "a@acme.in"})
    staff = client.post("/v1/contacts", {"name": "Asha Rao", "type": "employee"})
    bank = {"name": "Acme Surgicals", "ifsc": "HDFC0000053", "account_number": "123456789012"}
    account = client.post(
        "/v1/fund_accounts", {"contact_id": acme["id"], "account_type": "bank_account", "bank_account": bank}
    )
    vpa = client.post(
        "/v1/fund_accounts",
        {"contact_id": staff["id"], "account_type": "vpa", "vpa": {"address": "asha@okhdfc"}},
    )

    assert client.get("/v1/contacts", {}) == {"entity": "collection", "count": 2, "items": [staff, acme]}
    assert client.get("/v1/contacts", {"type": "vendor"})["items"] == [acme]
    assert client.get("/v1/contacts", {"email": "a@acme.in", "count": 1})["items"] == [acme]
    assert client.get("/v1/contacts", {"count": 1, "skip": 1})["items"] == [acme]
    assert client.get("/v1/fund_accounts", {}) == {
        "entity": "collection",
        "count": 2,
        "items": [vpa, account],
    }
    assert client.get("/v1/fund_accounts", {"contact_id": acme["id"]})["items"] == [account]
    assert client.get("/v1/fund_accounts", {"account_type": "vpa"})["items"] == [vpa]


def test_payout_links_are_listed_with_filters(client):
    first = _payout_link(
        client, contact={"name": "Asha Rao", "contact": "9876543210", "type": "customer"}, receipt="R-1"
    )
    second = _payout_link(
        client, contact={"name": "Ravi Iyer", "email": "ravi@example.in", "type": "customer"}, receipt="R-2"
    )

    assert client.get("/v1/payout-links", {}) == {
        "entity": "collection",
        "count": 2,
        "items": [second, first],
    }
    assert client.get("/v1/payout-links", {"receipt": "R-1"})["items"] == [first]
    assert client.get("/v1/payout-links", {"contact_phone_number": "9876543210"})["items"] == [first]
    assert client.get("/v1/payout-links", {"contact_email": "ravi@example.in"})["items"] == [second]
    assert client.get("/v1/payout-links", {"contact_id": second["contact_id"], "status": "issued"})[
        "items"
    ] == [second]
    assert client.get("/v1/payout-links", {"id": first["id"]})["items"] == [first]


def test_an_issued_payout_link_is_cancelled_once(client):
    link = _payout_link(client, contact={"name": "Asha Rao", "type": "customer"}, receipt="R-3")

    cancelled = client.post(f"/v1/payout-links/{link['id']}/cancel", {})

    assert (cancelled["status"], cancelled["id"]) == ("cancelled", link["id"])
    assert cancelled["cancelled_at"] > 0
    assert client.get(f"/v1/payout-links/{link['id']}", {}) == cancelled
    assert list(SandboxWebhookDelivery.objects.order_by("pk").values_list("event_type", flat=True)) == [
        "payout_link.issued",
        "payout_link.cancelled",
    ]
    with pytest.raises(
        razorpay.errors.BadRequestError, match="^Payout link cannot be cancelled in cancelled state$"
    ):
        client.post(f"/v1/payout-links/{link['id']}/cancel", {})
    with pytest.raises(razorpay.errors.BadRequestError, match="^The id provided does not exist$"):
        client.post("/v1/payout-links/poutlk_DoesNotExist1/cancel", {})
    assert SandboxObject.objects.get(object_id=link["id"]).body == cancelled
    assert SandboxWebhookDelivery.objects.count() == 2  # issued, cancelled: nothing more
