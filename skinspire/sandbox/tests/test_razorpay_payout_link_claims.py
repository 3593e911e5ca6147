"""The payout link's hosted page: the recipient claims it with a UPI id or a bank account,
the sandbox pays through the ordinary payout lifecycle, and the link follows its payout."""

import itertools
import time

import pytest
from django.test import Client

from skinspire.core.tests import bad_input
from skinspire.sandbox.models import SandboxObject, SandboxWebhookDelivery
from skinspire.sandbox.razorpay.services.payout_lifecycle import payout_advance
from skinspire.sandbox.razorpay.services.payout_link_claims import payout_links_expire_due
from skinspire.sandbox.tests import fuzzing
from skinspire.sandbox.tests.factories import SandboxMerchantFactory, razorpay_client

pytestmark = pytest.mark.django_db

ACCOUNT = "7878780080316316"


@pytest.fixture
def merchant():
    return SandboxMerchantFactory(webhook_url="https://hooks.example/razorpayx", account_number=ACCOUNT)


@pytest.fixture
def sdk(merchant):
    return razorpay_client(merchant)


def _link(sdk, **overrides):
    body = {
        "account_number": ACCOUNT,
        "contact": {"name": "Acme Surgicals", "email": "accounts@acme.example", "type": "vendor"},
        "amount": 250000,
        "currency": "INR",
        "purpose": "vendor bill",
        "description": "Invoice INV-7",
        "receipt": "SPREF0001",
        **overrides,
    }
    return sdk.post("/v1/payout-links", body)


def _page(link_id: str) -> str:
    return f"/sandbox/razorpay/payout-links/{link_id}/"


def _events(merchant) -> list[str]:
    return list(
        SandboxWebhookDelivery.objects.filter(merchant=merchant)
        .order_by("pk")
        .values_list("event_type", flat=True)
    )


def test_the_page_offers_the_form_while_issued(sdk):
    link = _link(sdk)

    page = Client().get(_page(link["id"]))

    assert page.status_code == 200
    html = page.content.decode()
    assert "₹2,500.00" in html
    assert 'name="vpa"' in html and 'name="account_number"' in html


def test_claim_by_upi_pays_and_the_link_follows_the_payout(sdk, merchant):
    link = _link(sdk)

    page = Client().post(_page(link["id"]), {"account_type": "vpa", "vpa": "acme@okhdfc"})

    assert page.status_code == 200
    assert "being processed" in page.content.decode()
    claimed = sdk.get(f"/v1/payout-links/{link['id']}", {})
    assert (claimed["status"], claimed["attempt_count"]) == ("processing", 1)
    payout = sdk.get(f"/v1/payouts/{claimed['payout_id']}", {})
    assert (payout["status"], payout["mode"], payout["amount"]) == ("processing", "UPI", 250000)
    assert payout["fund_account_id"] == claimed["fund_account_id"]
    payout_advance(payout_id=payout["id"])

    assert sdk.get(f"/v1/payout-links/{link['id']}", {})["status"] == "processed"
    assert sdk.get(f"/v1/payouts/{payout['id']}", {})["utr"]
    assert _events(merchant) == [
        "payout_link.issued",
        "payout_link.processing",
        "payout.initiated",
        "payout.processed",
        "payout_link.processed",
    ]


def test_claim_by_bank_account_is_imps(sdk):
    link = _link(sdk)
    details = {"account_type": "bank_account", "holder_name": "Acme Surgicals", "ifsc": "hdfc0000053",
               "account_number": "50100123456789"}  # fmt: skip

    Client().post(_page(link["id"]), details)

    claimed = sdk.get(f"/v1/payout-links/{link['id']}", {})
    payout = sdk.get(f"/v1/payouts/{claimed['payout_id']}", {})
    fund_account = sdk.get(f"/v1/fund_accounts/{payout['fund_account_id']}", {})
    assert payout["mode"] == "IMPS"
    assert fund_account["bank_account"]["ifsc"] == "HDFC0000053"
    assert fund_account["contact_id"] == claimed["contact_id"]


def test_bad_details_are_shown_and_nothing_is_made(sdk):
    link = _link(sdk)

    page = Client().post(_page(link["id"]), {"account_type": "vpa", "vpa": "not a vpa"})

    assert page.status_code == 400
    assert "Invalid VPA" in page.content.decode()
    assert sdk.get(f"/v1/payout-links/{link['id']}", {})["status"] == "issued"
    assert not SandboxObject.objects.filter(entity="payout").exists()


def test_a_failed_payout_brings_the_link_back_for_another_attempt(sdk, merchant):
    link = _link(sdk)
    Client().post(_page(link["id"]), {"account_type": "vpa", "vpa": "failure@razorpay"})
    first = sdk.get(f"/v1/payout-links/{link['id']}", {})

    payout_advance(payout_id=first["payout_id"])

    again = sdk.get(f"/v1/payout-links/{link['id']}", {})
    assert (again["status"], again["attempt_count"]) == ("issued", 1)
    assert _events(merchant)[-2:] == ["payout.failed", "payout_link.attempted"]
    assert "did not go through" in Client().get(_page(link["id"])).content.decode()
    Client().post(_page(link["id"]), {"account_type": "vpa", "vpa": "acme@okhdfc"})
    second = sdk.get(f"/v1/payout-links/{link['id']}", {})
    assert (second["status"], second["attempt_count"]) == ("processing", 2)
    assert second["payout_id"] != first["payout_id"]


def test_an_expired_link_cannot_be_claimed(sdk, merchant):
    link = _link(sdk, expire_by=int(time.time()) + 1)
    SandboxObject.objects.filter(object_id=link["id"]).update(
        body={**SandboxObject.objects.get(object_id=link["id"]).body, "expire_by": int(time.time()) - 1}
    )

    page = Client().post(_page(link["id"]), {"account_type": "vpa", "vpa": "acme@okhdfc"})

    assert "has expired" in page.content.decode()
    fetched = sdk.get(f"/v1/payout-links/{link['id']}", {})
    assert fetched["status"] == "expired" and fetched["expired_at"]
    assert _events(merchant) == ["payout_link.issued", "payout_link.expired"]
    assert not SandboxObject.objects.filter(entity="payout").exists()


def test_the_periodic_task_expires_due_links(sdk, merchant):
    due = _link(sdk, expire_by=int(time.time()) + 3600)
    later = _link(sdk, expire_by=int(time.time()) + 3600)
    row = SandboxObject.objects.get(object_id=due["id"])
    row.body["expire_by"] = int(time.time()) - 5
    row.save()

    assert payout_links_expire_due() == 1

    assert SandboxObject.objects.get(object_id=due["id"]).status == "expired"
    assert SandboxObject.objects.get(object_id=later["id"]).status == "issued"


def test_a_cancelled_link_cannot_be_claimed(sdk):
    link = _link(sdk)
    sdk.post(f"/v1/payout-links/{link['id']}/cancel", {})

    page = Client().post(_page(link["id"]), {"account_type": "vpa", "vpa": "acme@okhdfc"})

    assert "has been cancelled" in page.content.decode()
    assert not SandboxObject.objects.filter(entity="payout").exists()


def test_an_unknown_link_is_404():
    assert Client().get(_page("poutlk_00000000000000")).status_code == 404


# What a browser would not send: NUL, lone surrogates, huge or numeric-looking text, in each
# field either kind of claim reads (the route fuzz fills only the checkout pages' fields).
CLAIM_FIELDS = {
    "vpa": ("account_type", "vpa"),
    "bank_account": ("account_type", "holder_name", "ifsc", "account_number"),
}
VALID = {"vpa": "acme@okhdfc", "holder_name": "Acme", "ifsc": "HDFC0000053", "account_number": "123456789012"}
# Letters and digits make a valid holder's name (Razorpay: a-z, 0-9, space and ' - _ / ( ) .)
# and a valid account number (5 to 35 letters or digits).
ACCEPTED = {
    ("bank_account", "holder_name", "1e999"),
    ("bank_account", "holder_name", "NaN"),
    ("bank_account", "account_number", "1e999"),
}
EVIL = ["\x00", "\ud800", "x" * 5000, "9" * 5000, "1e999", "NaN", "", " ", "😀", "<b>x</b>"]


def test_bad_details_in_every_field_are_refused_not_crashed_and_nothing_is_made(sdk):
    link = _link(sdk)
    client = bad_input.wsgi_client()
    answers = {}
    for account_type, fields in CLAIM_FIELDS.items():
        for field, value in itertools.product(fields, EVIL):
            body = bad_input.encode_query({"account_type": account_type, **VALID, field: value}).encode()
            request = bad_input.FuzzRequest(
                "POST", _page(link["id"]), body, "application/x-www-form-urlencoded", fuzzing.CSRF_HEADERS
            )

            answers[(account_type, field, value[:8])] = bad_input.send_isolated(request, client).status_code

    refused = {key for key, status in answers.items() if status == 400}
    assert set(answers) - refused == ACCEPTED
    for body, content_type in itertools.product(bad_input.RAW_BODIES, bad_input.CONTENT_TYPES):
        request = bad_input.FuzzRequest("POST", _page(link["id"]), body, content_type, fuzzing.CSRF_HEADERS)
        assert bad_input.send_isolated(request, client).status_code == 400, (body[:20], content_type)
    assert sdk.get(f"/v1/payout-links/{link['id']}", {})["status"] == "issued"
    assert not SandboxObject.objects.filter(entity="payout").exists()
