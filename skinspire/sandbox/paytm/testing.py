"""Test helpers: a Paytm sandbox merchant, and requests signed exactly as a Paytm client signs them.

Used by the sandbox's tests and by adapter tests that want to drive the sandbox directly.
"""

import json
import re
from html.parser import HTMLParser

from paytmchecksum import PaytmChecksum

from skinspire.sandbox.models import SandboxMerchant, SandboxProvider
from skinspire.sandbox.paytm import checksum

MID = "SBXTST00000000000001"
MERCHANT_KEY = "TestKey_2026abcd"  # 16 characters: AES-128, as Paytm's keys
SUBWALLET = "0b8f3a52-6c1d-4e7a-9f20-3d5c8e1a7b64"
WEBHOOK_URL = "https://hospital.example/api/gateway/webhook/paytm"
PREFIX = "/sandbox/paytm"


def paytm_merchant_create(**overrides) -> SandboxMerchant:
    values = {
        "provider": SandboxProvider.PAYTM,
        "name": "Test Hospital (Paytm sandbox)",
        "key_id": MID,
        "key_secret": MERCHANT_KEY,
        "account_number": SUBWALLET,
        "webhook_url": WEBHOOK_URL,
        **overrides,
    }
    return SandboxMerchant.objects.create(**values)


def signed_pg_request(body: dict, *, key: str = MERCHANT_KEY, head: dict | None = None) -> str:
    """`{"head":{...,"signature"},"body":{...}}` with the signature over the body text sent."""
    body_text = json.dumps(body, separators=(",", ":"))
    head = {**(head or {}), "signature": PaytmChecksum.generateSignature(body_text, key)}
    return '{"head":' + json.dumps(head) + ', "body": ' + body_text + "}"


def pg_post(client, path: str, body: dict, *, key: str = MERCHANT_KEY, head: dict | None = None):
    return client.post(
        PREFIX + path, data=signed_pg_request(body, key=key, head=head), content_type="application/json"
    )


def payout_post(client, path: str, body: dict, *, key: str = MERCHANT_KEY, mid: str = MID):
    text = json.dumps(body)
    return client.post(
        PREFIX + path,
        data=text,
        content_type="application/json",
        headers={"x-mid": mid, "x-checksum": PaytmChecksum.generateSignature(text, key)},
    )


def response_signature_is_valid(raw: str, *, key: str = MERCHANT_KEY) -> bool:
    """What a Paytm client does: verify head.signature over the received body text."""
    signature = json.loads(raw)["head"]["signature"]
    return PaytmChecksum.verifySignature(checksum.raw_body_text(raw), key, signature)


class _FormFields(HTMLParser):
    def __init__(self):
        super().__init__()
        self.action = ""
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and attributes.get("id") == "paytm-callback":
            self.action = attributes.get("action") or ""
        if (
            tag == "input"
            and attributes.get("type") == "hidden"
            and attributes.get("name") != "csrfmiddlewaretoken"
        ):
            self.fields[attributes["name"]] = attributes.get("value") or ""


def callback_form(html: str) -> tuple[str, dict[str, str]]:
    """The (action, fields) of the auto-submitting callback form on a page."""
    parser = _FormFields()
    parser.feed(html)
    return parser.action, parser.fields


def checkout_path(*, mid: str = MID, order_id: str) -> str:
    return f"{PREFIX}/theia/api/v1/showPaymentPage?mid={mid}&orderId={order_id}"


def checkout_pay(client, *, order_id: str, method: str = "upi", outcome: str = "success", mid: str = MID):
    """What the patient's browser posts from the checkout page: the choice, with the page's
    hidden mid / orderId / txnToken (the token is what authenticates the POST)."""
    from skinspire.sandbox.paytm import selectors

    merchant = selectors.merchant_by_mid(mid=mid)
    assert merchant is not None, f"no sandbox merchant {mid}"
    order = selectors.object_by_key(merchant=merchant, entity=selectors.ORDER, key=order_id)
    assert order is not None, f"no sandbox order {order_id}"
    form = {"mid": mid, "orderId": order_id, "txnToken": order.body["_sandbox"]["txnToken"]}
    return client.post(
        checkout_path(mid=mid, order_id=order_id), {**form, "method": method, "outcome": outcome}
    )


LINK_ID_IN_URL = re.compile(r"/link/(\d+)/$")
