"""Shared set-up for the collections end-to-end tests (no tests here): a bill in the demo
hospital, a payments-staff client, and the patient paying on each sandbox checkout."""

import re
from decimal import Decimal

from django.test import Client

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


def create_order(staff, bill, provider: str) -> dict:
    response = staff.post(
        "/api/patient-payment/create-order",
        {"bill_id": bill.pk, "amount": "1500.00", "provider": provider},
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
