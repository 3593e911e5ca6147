"""Payment links: create, fetch, the patient's page, fetchTransaction, expiry."""

import json
from datetime import timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.utils import timezone
from paytmchecksum import PaytmChecksum

from skinspire.sandbox.models import SandboxObject, SandboxWebhookDelivery
from skinspire.sandbox.paytm import ids, testing
from skinspire.sandbox.paytm.services.links import paytm_link_expire_due
from skinspire.sandbox.paytm.testing import MERCHANT_KEY, MID, pg_post

STATUS_CALLBACK = "https://hospital.example/links/paytm/status"


@pytest.fixture
def merchant(db):
    return testing.paytm_merchant_create()


def create(client, **overrides):
    body = {
        "mid": MID,
        "linkType": "FIXED",
        "linkName": "Skinspire Bill 501",
        "linkDescription": "Consultation bill 501",
        "amount": 1200.50,
        "expiryDate": ids.link_datetime(timezone.now() + timedelta(days=2)),
        "statusCallbackUrl": STATUS_CALLBACK,
        "linkNotes": "Bill 501",
        "customerContact": {"customerName": "Asha", "customerMobile": "9999999999"},
        **overrides,
    }
    return pg_post(client, "/link/create", body, head={"tokenType": "AES"})


def link_call(client, operation, **body):
    response = pg_post(client, f"/link/{operation}", {"mid": MID, **body}, head={"tokenType": "AES"})
    assert testing.response_signature_is_valid(response.content.decode())
    return json.loads(response.content)["body"]


def page_path(short_url: str) -> str:
    return urlsplit(short_url).path


def test_create_returns_the_link_signed_with_its_hosted_page(client, merchant):
    response = create(client)
    raw = response.content.decode()
    payload = json.loads(raw)
    assert testing.response_signature_is_valid(raw)
    assert payload["head"]["tokenType"] == "AES"
    body = payload["body"]
    assert body["resultInfo"] == {
        "resultStatus": "SUCCESS",
        "resultCode": "200",
        "resultMessage": "Payment link is created successfully",
    }
    assert (body["linkType"], body["isActive"], body["amount"]) == ("FIXED", True, "1200.50")
    assert body["shortUrl"] == f"http://sandbox.testserver/sandbox/paytm/link/{body['linkId']}/"
    assert (
        body["longUrl"]
        == f"http://sandbox.testserver/sandbox/paytm/link/SkinspireBill501/LL_{body['linkId']}"
    )
    assert client.get(page_path(body["longUrl"])).status_code == 200
    page = client.get(page_path(body["shortUrl"]))
    assert "₹1,200.50" in page.content.decode() and "Consultation bill 501" in page.content.decode()


def test_bad_name_or_checksum_is_failed_and_writes_nothing(client, merchant):
    special = json.loads(create(client, linkName="Bill #501!").content)["body"]
    assert special == {
        "resultInfo": {
            "resultStatus": "FAILED",
            "resultCode": "302",
            "resultMessage": "link name contains sepcial character.",
        }
    }
    body = {"mid": MID, "linkType": "FIXED", "linkName": "B", "linkDescription": "D", "amount": 1}
    bad = json.loads(pg_post(client, "/link/create", body, key="WrongKey_2026xyz").content)["body"]
    assert bad["resultInfo"]["resultStatus"] == "FAILED" and bad["resultInfo"]["resultCode"] == "330"
    assert not SandboxObject.objects.exists()


def test_patient_pays_the_link_and_the_link_webhook_is_signed(client, merchant):
    link = json.loads(create(client).content)["body"]
    result = client.post(
        page_path(link["shortUrl"]),
        {"method": "upi", "outcome": "success", "mobile": "9876543210", "email": "a@b.in"},
    )
    assert "Payment successful" in result.content.decode()
    fetched = link_call(client, "fetch", linkId=link["linkId"])
    assert fetched["links"][0]["isActive"] is False and fetched["links"][0]["linkStatus"] == "PAID"

    deliveries = SandboxWebhookDelivery.objects.order_by("id")
    assert [d.url for d in deliveries] == [testing.WEBHOOK_URL, STATUS_CALLBACK]
    form = dict(parse_qsl(deliveries[0].body))
    assert PaytmChecksum.verifySignature(dict(form), MERCHANT_KEY, form["CHECKSUMHASH"]) is True
    assert (form["MERC_UNQ_REF"], form["LINKNOTES"], form["TXNAMOUNT"]) == (
        f"LI_{link['linkId']}",
        "Bill 501",
        "1200.50",
    )
    assert (form["PAYMENTMOBILENUMBER"], form["PAYMENTEMAILID"], form["STATUS"]) == (
        "9876543210",
        "a@b.in",
        "TXN_SUCCESS",
    )
    assert form["TXNDATETIME"].startswith(form["TXNDATE"]) and len(form["TXNDATE"]) == 10

    transactions = link_call(client, "fetchTransaction", linkId=link["linkId"])
    assert [(o["orderId"], o["orderStatus"], o["txnAmount"]) for o in transactions["orders"]] == [
        (form["ORDERID"], "TXN_SUCCESS", "1200.50")
    ]
    again = client.post(page_path(link["shortUrl"]), {"method": "upi", "outcome": "success"})
    assert "can no longer be paid" in again.content.decode()


def test_a_failed_attempt_leaves_the_link_payable(client, merchant):
    link = json.loads(create(client).content)["body"]
    client.post(page_path(link["shortUrl"]), {"method": "card", "outcome": "failure"})
    assert link_call(client, "fetch", linkId=link["linkId"])["links"][0]["linkStatus"] == "ACTIVE"
    assert (
        link_call(client, "fetchTransaction", linkId=link["linkId"])["orders"][0]["orderStatus"]
        == "TXN_FAILURE"
    )


def test_generic_link_takes_the_amount_from_the_patient(client, merchant):
    link = json.loads(create(client, linkType="GENERIC", amount=None).content)["body"]
    client.post(
        page_path(link["shortUrl"]), {"method": "netbanking", "outcome": "success", "amount": "350.00"}
    )
    assert link_call(client, "fetchTransaction", linkId=link["linkId"])["orders"][0]["txnAmount"] == "350.00"


def test_expire_closes_the_link(client, merchant):
    link = json.loads(create(client).content)["body"]
    expired = link_call(client, "expire", linkId=link["linkId"])
    assert expired["resultInfo"]["resultStatus"] == "SUCCESS"
    assert (expired["isActive"], expired["linkStatus"]) == (False, "EXPIRED")
    assert "expired and can no longer be paid" in client.get(page_path(link["shortUrl"])).content.decode()
    assert link_call(client, "expire", linkId=link["linkId"])["resultInfo"]["resultStatus"] == "FAILED"
    assert not SandboxObject.objects.filter(entity="paytm_order").exists()


def test_links_expire_at_their_expiry_date(client, merchant):
    link = json.loads(create(client).content)["body"]
    assert paytm_link_expire_due(now=timezone.now() + timedelta(days=1)) == 0
    assert paytm_link_expire_due(now=timezone.now() + timedelta(days=3)) == 1
    assert link_call(client, "fetch", linkId=link["linkId"])["links"][0]["linkStatus"] == "EXPIRED"


def test_unknown_link(client, merchant):
    assert link_call(client, "fetch", linkId=123)["resultInfo"]["resultStatus"] == "FAILED"
    assert client.get("/sandbox/paytm/link/123/").status_code == 404
