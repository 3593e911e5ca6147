"""RazorpayX fund account validation: penny drop for bank accounts, VPA check, magic outcomes, webhooks."""

import json

import pytest
import razorpay

from skinspire.sandbox.models import SandboxObject, SandboxWebhookDelivery
from skinspire.sandbox.razorpay.services.validations import fund_account_validation_complete
from skinspire.sandbox.tests.factories import SandboxMerchantFactory, razorpay_client

pytestmark = pytest.mark.django_db

ACCOUNT = "7878780080316316"


@pytest.fixture
def merchant():
    return SandboxMerchantFactory(account_number=ACCOUNT, webhook_url="https://hooks.example/razorpayx")


@pytest.fixture
def client(merchant):
    return razorpay_client(merchant)


def _fund_account(client, *, account_number: str = "", vpa: str = ""):
    contact = client.post("/v1/contacts", {"name": "Acme Surgicals Pvt", "type": "vendor"})
    if vpa:
        details = {"account_type": "vpa", "vpa": {"address": vpa}}
    else:
        bank = {"name": "Acme Surgicals", "ifsc": "HDFC0000053", "account_number": account_number}
        details = {"account_type": "bank_account", "bank_account": bank}
    return client.post("/v1/fund_accounts", {"contact_id": contact["id"], **details})


def _validate(client, fund_account, captured, **extra):
    body = {"account_number": ACCOUNT, "fund_account": {"id": fund_account["id"]}, **extra}
    with captured(execute=True):  # the completion step runs after commit
        created = client.post("/v1/fund_accounts/validations", body)
    return created, client.get(f"/v1/fund_accounts/validations/{created['id']}", {})


def _webhook(event: str) -> dict:
    delivery = SandboxWebhookDelivery.objects.get(event_type=event)
    return json.loads(delivery.body)


def test_a_bank_account_penny_drop_completes_active_with_the_holders_name(
    client, django_capture_on_commit_callbacks
):
    account = _fund_account(client, account_number="123456789012")

    created, done = _validate(client, account, django_capture_on_commit_callbacks, notes={"supplier": "S-1"})

    assert created["id"].startswith("fav_")
    assert {key: created[key] for key in ("entity", "status", "amount", "currency", "results", "utr")} == {
        "entity": "fund_account.validation",
        "status": "created",
        "amount": 100,
        "currency": "INR",
        "results": {"account_status": None, "registered_name": None},
        "utr": None,
    }
    assert created["fund_account"] == account and created["notes"] == {"supplier": "S-1"}
    assert done == {
        **created,
        "status": "completed",
        "results": {"account_status": "active", "registered_name": "Acme Surgicals"},
        "utr": done["utr"],
    }
    assert len(done["utr"]) == 12 and done["utr"].isdigit()
    event = _webhook("fund_account.validation.completed")
    assert (event["contains"], event["payload"]["fund_account.validation"]["entity"]) == (
        ["fund_account.validation"],
        done,
    )


@pytest.mark.parametrize(
    ("fund_account", "status", "results", "has_utr", "event"),
    [
        ({"account_number": "123456780000"}, "completed", {"account_status": "invalid", "registered_name": None}, False, "completed"),
        ({"account_number": "123456781111"}, "completed", {"account_status": "active", "registered_name": "RAVI KUMAR SHARMA"}, True, "completed"),
        ({"account_number": "123456782222"}, "failed", {"account_status": None, "registered_name": None}, False, "failed"),
        ({"vpa": "acme@okhdfc"}, "completed", {"account_status": "active", "registered_name": "Acme Surgicals Pvt"}, False, "completed"),
        ({"vpa": "failure@razorpay"}, "completed", {"account_status": "invalid", "registered_name": None}, False, "completed"),
    ],
)  # fmt: skip
def test_magic_values_pick_the_outcome(
    client, django_capture_on_commit_callbacks, fund_account, status, results, has_utr, event
):
    account = _fund_account(client, **fund_account)

    _, done = _validate(client, account, django_capture_on_commit_callbacks)

    assert (done["status"], done["results"], done["utr"] is not None) == (status, results, has_utr)
    assert (
        _webhook(f"fund_account.validation.{event}")["payload"]["fund_account.validation"]["entity"] == done
    )


def test_completion_is_idempotent_and_validations_are_listed(client, django_capture_on_commit_callbacks):
    account = _fund_account(client, account_number="123456789012")
    _, done = _validate(client, account, django_capture_on_commit_callbacks, amount=200)

    again = fund_account_validation_complete(validation_id=done["id"])

    assert again.body == done and done["amount"] == 200
    assert (
        SandboxWebhookDelivery.objects.filter(event_type__startswith="fund_account.validation").count() == 1
    )
    listed = client.get("/v1/fund_accounts/validations", {"account_number": ACCOUNT})
    assert listed == {"entity": "collection", "count": 1, "items": [done]}
    # "validations" is not taken for a fund account id.
    assert client.get(f"/v1/fund_accounts/{account['id']}", {}) == account


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"fund_account": {"id": "fa_x"}}, "The account number field is required."),
        ({"account_number": "1234", "fund_account": {"id": "fa_x"}}, "The account number is invalid."),
        ({"account_number": ACCOUNT}, "The fund account id field is required."),
        (
            {"account_number": ACCOUNT, "fund_account": {"id": "fa_DoesNotExist01"}},
            "The id provided does not exist",
        ),
        ({"account_number": ACCOUNT, "fund_account": "fa_x"}, "The fund account id field is required."),
    ],
)
def test_bad_requests_create_nothing(client, body, message):
    with pytest.raises(razorpay.errors.BadRequestError, match=f"^{message}$"):
        client.post("/v1/fund_accounts/validations", body)
    assert not SandboxObject.objects.filter(entity="fund_account_validation").exists()


def test_the_list_needs_the_account_number(client):
    with pytest.raises(razorpay.errors.BadRequestError, match="^The account number field is required.$"):
        client.get("/v1/fund_accounts/validations", {})
