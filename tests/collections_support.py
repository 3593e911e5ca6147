"""Shared set-up for the collections end-to-end tests (no tests here): a bill in the demo
hospital, a payments-staff client, the patient paying on each sandbox checkout, and the
sandbox settling now."""

import base64
import json
import re
from decimal import Decimal

from django.test import Client
from paytmchecksum import PaytmChecksum

from skinspire.collections.models import PatientPayment
from skinspire.collections.tests.factories import BillFactory, PatientFactory
from skinspire.core.roles import ROLE_PAYMENTS_STAFF
from skinspire.core.tests.factories import BranchFactory, UserFactory
from skinspire.ledger.services import chart_of_accounts_create
from tests import e2e_support as e2e

RECEIVED_LINES = {
    "razorpay": [
        ("1100", Decimal("1500.00"), Decimal("0.00")),
        ("1200", Decimal("0.00"), Decimal("1500.00")),
    ],
    "paytm": [("1110", Decimal("1500.00"), Decimal("0.00")), ("1200", Decimal("0.00"), Decimal("1500.00"))],
}


def bill_in_demo_hospital(hospital):
    """A ₹2,500 bill of Asha Rao's in a branch of `hospital` (whose demo gateways are seeded)."""
    chart_of_accounts_create(hospital=hospital)
    branch = BranchFactory(hospital=hospital)
    patient = PatientFactory(hospital=hospital, name="Asha Rao", email="asha@patients.example")
    return BillFactory(branch=branch, patient=patient, amount=Decimal("2500.00"))


def staff_client(api_client, bill):
    api_client.force_authenticate(UserFactory(hospital=bill.hospital, roles=[ROLE_PAYMENTS_STAFF],
                                              branches=[bill.branch]))  # fmt: skip
    return api_client


def create_order(staff, bill, provider: str, amount: str = "1500.00") -> dict:
    response = staff.post(
        "/api/patient-payment/create-order",
        {"bill_id": bill.pk, "amount": amount, "provider": provider},
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def pay_razorpay(order: dict, *, vpa: str = "success@razorpay") -> dict:
    """As the patient's browser: our page posts Razorpay's Hosted Checkout form (cross-site,
    so no CSRF token), then the patient pays by UPI on the gateway's page."""
    phone = Client(HTTP_HOST=e2e.SANDBOX_HOST, enforce_csrf_checks=True)
    checkout = order["checkout"]
    page = phone.post(e2e.path_of(checkout["checkout_url"]), checkout["checkout_fields"])
    assert page.status_code == 200
    action = re.findall(r'<form method="post" action="([^"]+)"', page.content.decode())[0]
    token = page.cookies["csrftoken"].value
    paid = phone.post(action, {"method": "upi", "vpa": vpa, "outcome": "success", "csrfmiddlewaretoken": token},
                      HTTP_X_CSRFTOKEN=token)  # fmt: skip
    assert paid.status_code == 200
    return paid.context["fields"]


def pay_paytm(order: dict, *, outcome: str = "success") -> dict:
    phone = e2e.patient_browser()
    checkout = order["checkout"]
    # Our hand-over page's form (Show Payment Page: mid, orderId, txnToken), then the patient's choice.
    form = {**checkout["checkout_fields"], "method": "upi", "outcome": outcome}
    page = phone.post(e2e.path_of(order["checkout_url"]), form)
    assert page.status_code == 200
    return page.context["fields"]  # the signed form the browser POSTs to our return page


def settle_now(merchant) -> dict:
    """The sandbox's settle-now control, authenticated as each gateway's API is."""
    sandbox = Client(HTTP_HOST=e2e.SANDBOX_HOST)
    if merchant.provider == "razorpay":
        token = base64.b64encode(f"{merchant.key_id}:{merchant.key_secret}".encode()).decode()
        response = sandbox.post("/sandbox/control/settle-now", HTTP_AUTHORIZATION=f"Basic {token}")
    else:
        body = json.dumps({"mid": merchant.key_id})
        response = sandbox.post(
            "/sandbox/control/settle-now",
            body,
            content_type="application/json",
            HTTP_X_MID=merchant.key_id,
            HTTP_X_CHECKSUM=PaytmChecksum.generateSignature(body, merchant.key_secret),
        )
    assert response.status_code == 200, response.content
    return response.json()


def paid(api_client, bill, provider: str) -> PatientPayment:
    staff = staff_client(api_client, bill)
    order = create_order(staff, bill, provider)
    if provider == "razorpay":
        fields = pay_razorpay(order)
        body = {"payment_id": order["payment_id"], "gateway_order_id": fields["razorpay_order_id"],
                "gateway_payment_id": fields["razorpay_payment_id"], "signature": fields["razorpay_signature"]}  # fmt: skip
    else:
        form = pay_paytm(order)
        body = {"payment_id": order["payment_id"], "gateway_order_id": form["ORDERID"],
                "gateway_payment_id": form["TXNID"], "signature": form["CHECKSUMHASH"], "callback": form}  # fmt: skip
    verified = e2e.patient_browser().post(
        "/api/patient-payment/verify", body, content_type="application/json"
    )
    assert (verified.status_code, verified.json()["status"]) == (200, "captured")
    return PatientPayment.objects.get(pk=order["payment_id"])
