"""Every kind of page carries the strict Content-Security-Policy; a hosted payment page that
hands the result to the merchant adds the callback's origin to form-action, and only that."""

import pytest
from django.test import Client

from skinspire.core.tests.factories import UserFactory
from skinspire.sandbox.paytm import testing as paytm
from skinspire.sandbox.tests.factories import SandboxMerchantFactory, razorpay_client

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
CALLBACK_ORIGIN = "https://hospital.example"


def policy(response) -> dict[str, list[str]]:
    """The header as {directive: sources}; django-csp does not keep the directives' order."""
    directives = (part.split() for part in response["Content-Security-Policy"].split(";"))
    return {name: sources for name, *sources in directives}


def with_callback_origin() -> dict[str, list[str]]:
    return {**POLICY, "form-action": ["'self'", CALLBACK_ORIGIN]}


@pytest.fixture
def superuser_client():
    client = Client()
    client.force_login(UserFactory(hospital=None, is_superuser=True))
    return client


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/admin/", 200),
        ("/admin/gateways/gatewayconfiguration/", 200),
        ("/admin/gateways/gatewayconfiguration/add/", 200),
        ("/admin/django_celery_beat/periodictask/add/", 200),
        ("/api/schema/", 200),
        ("/sandbox/", 200),
        ("/no-such-page/", 404),
    ],
)
def test_staff_pages_api_docs_and_errors_carry_the_policy(superuser_client, path, status):
    response = superuser_client.get(path)
    assert response.status_code == status
    assert policy(response) == POLICY


@pytest.mark.parametrize(
    ("path", "worker_src"),
    [("/api/docs/", None), ("/api/docs/?script=", None), ("/api/redoc/", ["'self'", "blob:"])],
)
def test_the_api_docs_relax_styles_only_for_what_their_bundles_inject(superuser_client, path, worker_src):
    response = superuser_client.get(path)
    expected = {**POLICY, "style-src": ["'self'", "'unsafe-inline'"]}
    if worker_src:
        expected["worker-src"] = worker_src
    assert response.status_code == 200
    assert policy(response) == expected
    assert policy(response)["script-src"] == ["'self'"]


def test_the_api_docs_page_keeps_its_page_styles_in_a_file(superuser_client):
    html = superuser_client.get("/api/docs/").content.decode()
    assert "<style" not in html
    assert '<link rel="stylesheet" href="/static/skinspire/api-docs.css">' in html


def test_the_login_page_json_answers_and_redirects_carry_the_policy():
    login = Client().get("/admin/login/")
    unauthenticated = Client().get("/sandbox/razorpay/v1/orders/order_SomeOrder00001")
    redirect = Client().get("/admin/")
    assert login.status_code == 200
    assert (unauthenticated.status_code, unauthenticated["Content-Type"]) == (401, "application/json")
    assert redirect.status_code == 302
    assert policy(login) == policy(unauthenticated) == policy(redirect) == POLICY


def test_razorpay_checkout_hands_the_result_to_the_callback_origin_only():
    merchant = SandboxMerchantFactory()
    order = razorpay_client(merchant).order.create({"amount": 50000, "currency": "INR"})
    browser = Client(HTTP_HOST="sandbox.testserver")
    path = f"/sandbox/razorpay/checkout/{order['id']}/"
    callback = f"{CALLBACK_ORIGIN}/pay/return?bill=7"

    page = browser.get(path, {"callback_url": callback})
    paid = browser.post(
        path, {"method": "upi", "vpa": "a@upi", "outcome": "success", "callback_url": callback}
    )

    assert (page.status_code, paid.status_code) == (200, 200)
    assert policy(page) == POLICY  # its form posts here; the next page posts to the merchant
    assert paid.templates[0].name == "sandbox/razorpay/callback_post.html"
    assert policy(paid) == with_callback_origin()


def test_razorpay_payment_link_page_allows_the_redirect_to_its_callback():
    merchant = SandboxMerchantFactory()
    sdk = razorpay_client(merchant)
    with_callback = sdk.payment_link.create(
        {"amount": 1000, "callback_url": f"{CALLBACK_ORIGIN}/links/done", "callback_method": "get"}
    )
    without_callback = sdk.payment_link.create({"amount": 1000})
    browser = Client(HTTP_HOST="sandbox.testserver")

    page = browser.get(f"/sandbox/razorpay/l/{with_callback['id']}/")
    paid = browser.post(
        f"/sandbox/razorpay/l/{with_callback['id']}/", {"method": "card", "outcome": "success"}
    )
    plain = browser.get(f"/sandbox/razorpay/l/{without_callback['id']}/")

    assert (page.status_code, paid.status_code, plain.status_code) == (200, 302, 200)
    assert paid["Location"].startswith(f"{CALLBACK_ORIGIN}/links/done?razorpay_payment_id=pay_")
    assert policy(page) == policy(paid) == with_callback_origin()
    assert policy(plain) == POLICY


def test_paytm_checkout_posts_the_signed_result_to_the_callback_origin_only(client):
    paytm.paytm_merchant_create()
    body = {
        "requestType": "Payment",
        "mid": paytm.MID,
        "websiteName": "WEBSTAGING",
        "orderId": "ORDER_CSP_1",
        "txnAmount": {"value": "10.00", "currency": "INR"},
        "userInfo": {"custId": "PATIENT_1"},
        "callbackUrl": f"{CALLBACK_ORIGIN}:8443/paytm/callback",
    }
    initiated = paytm.pg_post(
        client, f"/theia/api/v1/initiateTransaction?mid={paytm.MID}&orderId=ORDER_CSP_1", body
    )
    path = paytm.checkout_path(order_id="ORDER_CSP_1")

    page = client.get(path)
    paid = paytm.checkout_pay(client, order_id="ORDER_CSP_1")

    assert (initiated.status_code, page.status_code, paid.status_code) == (200, 200, 200)
    assert policy(initiated) == policy(page) == POLICY
    assert paytm.callback_form(paid.content.decode())[0] == f"{CALLBACK_ORIGIN}:8443/paytm/callback"
    assert policy(paid) == {**POLICY, "form-action": ["'self'", f"{CALLBACK_ORIGIN}:8443"]}


def test_a_callback_url_cannot_smuggle_directives_into_the_policy():
    merchant = SandboxMerchantFactory()
    order = razorpay_client(merchant).order.create({"amount": 50000, "currency": "INR"})
    hostile = "https://a; script-src * 'unsafe-inline'/x"

    paid = Client(HTTP_HOST="sandbox.testserver").post(
        f"/sandbox/razorpay/checkout/{order['id']}/",
        {"method": "upi", "vpa": "a@upi", "outcome": "success", "callback_url": hostile},
    )

    assert paid.status_code == 200
    assert policy(paid) == POLICY


def test_the_newer_pages_keep_the_strict_policy(superuser_client):
    """Pages added with payout links, the checkout hand-over and the reconciliation reports:
    only the hand-over page may send a form to another host (tested in
    workspace/tests/test_pay_online.py); these keep every directive, form-action 'self'
    included, on success and on refusal."""
    merchant = SandboxMerchantFactory(webhook_url="", account_number="7878780080316316")
    link = razorpay_client(merchant).post(
        "/v1/payout-links",
        {"account_number": "7878780080316316", "amount": 250000, "currency": "INR", "purpose": "vendor bill", "description": "INV-7",
         "contact": {"name": "Acme", "email": "a@acme.example", "type": "vendor"}},
    )  # fmt: skip
    claim_page = f"/sandbox/razorpay/payout-links/{link['id']}/"
    answers = [
        Client().get(claim_page),
        Client().post(claim_page, {"account_type": "vpa", "vpa": "not a vpa"}),  # refused: 400
        Client().get("/pay/checkout/NOSUCHREF/cancelled"),
        Client().post("/pay/checkout/NOSUCHREF/return", {"error[description]": "x"}),
        superuser_client.get("/workspace/reconciliation/"),
        superuser_client.get("/workspace/reconciliation/reports/fees.xlsx"),
        superuser_client.get("/workspace/reconciliation/reports/nothing.xlsx"),
        superuser_client.post("/workspace/bills/999999/pay-online", {"amount": "1.00"}),
    ]

    assert [response.status_code for response in answers] == [200, 400, 404, 404, 200, 200, 404, 404]
    for response in answers:
        assert policy(response) == POLICY, response.request["PATH_INFO"]
