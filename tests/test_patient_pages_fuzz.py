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
