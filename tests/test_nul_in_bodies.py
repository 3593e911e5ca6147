"""NUL (U+0000) in a body that is not urlencoded: a multipart form to any page, JSON to any
view outside the API (the sandbox's gateway endpoints the official SDKs call, the webhook
receivers). PostgreSQL stores no NUL, so each must be refused with a 4xx before a view can
write it; a signed webhook holding one is kept, as the receiver's contract says
(docs/webhooks.md, "Parsing": a signed body of the wrong shape is a 400 and a `rejected` row).

The API's own views (DRF) are in skinspire/core/tests/test_bad_request_bodies.py; admin's
forms in tests/test_admin_bad_posts.py.
"""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from skinspire.core.middleware import MESSAGE as NUL_MESSAGE
from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.gateways.tests.test_paytm_support import fixture as paytm_fixture
from skinspire.gateways.tests.webhook_support import paytm_form, razorpay_headers, razorpay_payout_envelope
from skinspire.gateways.webhooks.models import WebhookEvent
from skinspire.sandbox.models import SandboxObject
from skinspire.sandbox.tests.fuzz_state import razorpay_basics

pytestmark = pytest.mark.django_db

SETTLE_NOW = ["settlement", "recon_item"]  # what /sandbox/control/settle-now makes, whatever the body
WEBHOOKS = "/api/gateway/webhook/"  # served before NullCharacterMiddleware (the fast path)
ACCOUNT = "acc_NulBodies000001"
SECRET = "nul_bodies_whsec_0001"
PAYTM_MID = "NULBODIES0000000001"
PAYTM_KEY = "NulBodiesKey0001"
# The fields the pages outside admin read from request.POST themselves, and one more.
FIELD_NAMES = ["vpa", "holder_name", "account_number", "amount", "method", "outcome", "email", "key_id",
               "order_id", "callback_url", "txnToken", "next", "scope", "razorpay_payment_id", "note"]  # fmt: skip


def page_urls() -> list[str]:
    """Every URL outside admin and the API's DRF views, its parameters filled with a word."""

    def walk(patterns, prefix: str):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if str(pattern.pattern) != "admin/":
                    yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and not hasattr(pattern.callback, "cls"):
                yield "/" + prefix + str(pattern.pattern)

    return sorted(
        {
            re.sub(r"<(int:)?[^>]+>", lambda m: "1" if m[1] else "x", url)
            for url in walk(get_resolver().url_patterns, "")
        }
    )


def test_nul_in_a_multipart_form_is_a_400_on_every_page():
    """Before, the middleware read urlencoded bodies only: the sandbox's hosted checkout took
    a multipart NUL to the database (a 500), as any page reading request.POST could."""
    razorpay_basics()
    client = Client(raise_request_exception=False)
    data = {name: "a\x00b" for name in FIELD_NAMES}
    answers = {url: client.post(url, data) for url in page_urls()}

    assert len(answers) > 60
    served_first = {
        url: response.status_code for url, response in answers.items() if url.startswith(WEBHOOKS)
    }
    assert served_first == {WEBHOOKS + "paytm": 401, WEBHOOKS + "razorpay": 401}  # unsigned: not verified
    # Paytm's protocol answers a malformed request 200, its failure in the body: the refusal
    # Django's 400 handler renders through the view (skinspire.core.error_views).
    paytm = {
        url
        for url, response in answers.items()
        if url.startswith("/sandbox/paytm/") and response.status_code == 200
    }
    assert all(without_head(answers[url]) == without_head(refusal_of(url)) for url in paytm)
    wrong = {url: response.status_code for url, response in answers.items() if response.status_code != 400}
    assert wrong.keys() == served_first.keys() | paytm
    assert SandboxObject.objects.filter(entity="payment").count() == 1  # razorpay_basics' own


@pytest.mark.parametrize("body", [b'{"note": "a\\u0000b"}', b'{"note": "a\x00b"}'])
def test_nul_in_json_to_any_view_outside_the_api_is_never_a_server_error(body):
    state = razorpay_basics()
    client = Client(raise_request_exception=False)
    credentials = {"HTTP_AUTHORIZATION": "Basic " + _basic(state.merchant.key_id, state.merchant.key_secret)}
    objects = SandboxObject.objects.exclude(entity__in=SETTLE_NOW).count()

    answers = {url: client.post(url, body, content_type="application/json", **credentials).status_code
               for url in page_urls()}  # fmt: skip

    assert not {url: status for url, status in answers.items() if status >= 500}
    assert SandboxObject.objects.exclude(entity__in=SETTLE_NOW).count() == objects


@pytest.mark.parametrize("nul", [b"\\u0000", b"\x00"])
def test_a_signed_webhook_holding_nul_is_kept(client, hospital, nul):
    """A `\\u0000` in a string is JSON: signed, verified, kept as malformed (a 400). A raw NUL
    byte in one is not JSON, so it names no account to verify against: kept as unsigned (401)."""
    GatewayConfigurationFactory(hospital=hospital, merchant_id=ACCOUNT, razorpay_webhook_secret=SECRET)
    body = razorpay_payout_envelope(account_id=ACCOUNT, reference="PAY-0001", status="processed")
    body = body.replace(b'"PAY-0001"', b'"PAY-' + nul + b'0001"')

    response = client.post(
        WEBHOOKS + "razorpay", body, content_type="application/json", **razorpay_headers(body, secret=SECRET)
    )

    escaped = nul == b"\\u0000"
    assert response.status_code == (400 if escaped else 401)
    kept = WebhookEvent.objects.get()
    assert (kept.status, kept.signature_valid, bytes(kept.body)) == ("rejected", escaped, body)


def refusal_of(url: str):
    return resolve(url).func.bad_request_response(NUL_MESSAGE)  # type: ignore[attr-defined]


def without_head(response) -> dict:
    """The answer without its time stamp (Paytm's `head`)."""
    return {key: value for key, value in json.loads(response.content).items() if key != "head"}


def _basic(key_id: str, secret: str) -> str:
    import base64

    return base64.b64encode(f"{key_id}:{secret}".encode()).decode()


@pytest.mark.parametrize("field", ["ORDERID", "MID"])
def test_a_paytm_form_webhook_holding_nul_is_never_a_server_error(client, hospital, field):
    GatewayConfigurationFactory(paytm=True, hospital=hospital, key_id=PAYTM_MID, paytm_merchant_key=PAYTM_KEY)
    fields = {**paytm_fixture("pg_payment_status_form_success"), "MID": PAYTM_MID}
    fields[field] = fields[field][:4] + "\x00" + fields[field][4:]
    body = paytm_form(fields, key=PAYTM_KEY)

    response = client.post(WEBHOOKS + "paytm", body, content_type="application/x-www-form-urlencoded")

    # Signed for its MID: kept as malformed. A MID holding NUL names no configuration: unsigned.
    assert response.status_code == (400 if field == "ORDERID" else 401)
    kept = WebhookEvent.objects.get()
    assert (kept.status, kept.signature_valid, bytes(kept.body)) == ("rejected", field == "ORDERID", body)


def test_a_view_reading_its_body_still_reads_it_when_sent_a_multipart_content_type():
    """The middleware parses multipart forms: it must leave the body readable to a view that
    reads it (the sandbox's Paytm routes read JSON, whatever the content type says). Before,
    such a request was a RawPostDataException, a 500 (the sandbox's bad-input fuzz found it)."""
    body = b'{"head": {}, "body": {"mid": "x"}}'
    response = Client(raise_request_exception=False).post(
        "/sandbox/paytm/order/initiate?mid=x", body, content_type="multipart/form-data; boundary=fuzz"
    )

    assert response.status_code == 200  # Paytm's protocol: its failure is in the body
    assert json.loads(response.content)["body"]["resultInfo"]["resultStatus"] == "F"


def test_a_multipart_body_too_large_for_memory_is_still_looked_at_and_never_a_server_error(settings, caplog):
    """Past DATA_UPLOAD_MAX_MEMORY_SIZE the form is parsed from the stream (for its files), so
    NUL in a field is still refused, and a view that would read the raw bytes gets a 400."""
    razorpay_basics()
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    client = Client(raise_request_exception=False)
    upload = SimpleUploadedFile("report.csv", b"x" * 5_000, content_type="text/csv")

    with_nul = client.post("/sandbox/razorpay/v1/checkout/embedded", {"key_id": "a\x00b", "file": upload})
    upload.seek(0)
    to_a_body_reader = client.post("/sandbox/paytm/order/initiate?mid=x", {"note": "x", "file": upload})

    assert with_nul.status_code == 400
    assert NUL_MESSAGE in caplog.text  # Django logs a BadRequest's message (django.security)
    assert to_a_body_reader.status_code in {200, 400}  # Paytm answers its refusals 200
    assert to_a_body_reader.status_code < 500
