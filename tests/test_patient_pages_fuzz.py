"""The patient's pages (/pay/..., no login) answer unreadable input with a 4xx, never a 500:
every raw body under every content type, to a real payment's and a real link's return page
and to unknown references, through the project's real WSGI entry point."""

import itertools

import pytest

from skinspire.collections.models import PatientPayment, PaymentLink
from skinspire.core.tests import bad_input
from tests import collections_support as support
from tests.collections_support import create_order

pytestmark = pytest.mark.django_db

FORMS = [
    {},
    {"razorpay_payment_id": "pay_x", "razorpay_signature": "0" * 64},
    {"ORDERID": "x", "TXNID": "y", "CHECKSUMHASH": "\x00"},
    {"razorpay_payment_id": "\ud800", "razorpay_signature": "a" * 5000},
]


@pytest.fixture
def targets(hospital, demo_merchants, api_client):
    bill = support.bill_in_demo_hospital(hospital)
    staff = support.staff_client(api_client, bill)
    create_order(staff, bill, "razorpay")
    staff.post("/api/gateway/create-payment-link", {"bill_id": bill.pk, "expire_in_hours": 24}, format="json")
    payment, link = PatientPayment.objects.get(), PaymentLink.objects.get()
    return [
        ("POST", f"/pay/checkout/{payment.reference}/return"),
        ("POST", "/pay/checkout/%ED%A0%80/return"),
        ("POST", f"/pay/link/{link.token}/return"),
        ("GET", f"/pay/link/{link.token}/return?razorpay_signature=%00&razorpay_payment_id=%ED%A0%80"),
        ("GET", f"/pay/link/{link.token}"),
        ("GET", "/pay/link/" + "x" * 3000),
        ("GET", f"/pay/receipt/{payment.reference}"),
        ("GET", f"/pay/checkout/{payment.reference}/cancelled"),
        ("GET", "/pay/checkout/%ED%A0%80/cancelled"),
        ("GET", "/pay/checkout/" + "x" * 3000 + "/cancelled"),
    ]


def test_raw_bodies_never_answer_a_server_error(targets):
    client = bad_input.wsgi_client()
    content_types = [*bad_input.CONTENT_TYPES, "application/x-www-form-urlencoded"]
    for (method, path), body, content_type in itertools.product(targets, bad_input.RAW_BODIES, content_types):
        response = bad_input.send_isolated(bad_input.FuzzRequest(method, path, body, content_type), client)
        context = (method, path, body[:30], content_type, response.status_code)
        if method == "POST":  # nothing readable and signed: refused
            assert 400 <= response.status_code < 500, context
        else:  # the body is ignored; the page answers for its URL
            assert response.status_code < 500, context


def test_signed_looking_forms_are_refused_not_crashed(targets):
    client = bad_input.wsgi_client()
    for (method, path), form in itertools.product(targets, FORMS):
        if method != "POST":
            continue
        body = bad_input.encode_query(form).encode()
        response = bad_input.send_isolated(
            bad_input.FuzzRequest(method, path, body, "application/x-www-form-urlencoded"), client
        )
        assert response.status_code in (400, 404), (path, form, response.status_code)
    assert PatientPayment.objects.get().status == "pending"


# Razorpay's unsigned failure callback (error[...] fields, no signature), with text no
# gateway sends: the patient is told it failed, the text is not shown, nothing moves.
FAILURE_FORMS = [
    {"error[description]": value, "error[code]": "BAD_REQUEST_ERROR"}
    for value in ["\ud800", "a\x00b", "<script>alert(1)</script>", "x" * 5000, "Call 1800-FRAUD for a refund"]
] + [{"error[code]": "\ud800"}, {"error[description]": "x", "razorpay_signature": "\ud800"}]


def test_unsigned_failure_callbacks_never_crash_and_move_nothing(targets):
    client = bad_input.wsgi_client()
    path = next(path for method, path in targets if path.startswith("/pay/checkout/") and "%" not in path)
    for form in FAILURE_FORMS:
        body = bad_input.encode_query(form).encode()
        response = bad_input.send_isolated(
            bad_input.FuzzRequest("POST", path, body, "application/x-www-form-urlencoded"), client
        )
        assert response.status_code in (200, 400), (str(form)[:60], response.status_code)
        page = response.data.decode()
        assert "1800-FRAUD" not in page and "<script>alert" not in page
    assert PatientPayment.objects.get().status == "pending"
