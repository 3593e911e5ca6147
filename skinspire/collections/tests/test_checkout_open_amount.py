"""Checkout orders being paid count against the bill's open amount with its open links: a
Pay online for the whole bill beside a link for it (or two Pay online tabs) let the patient
pay the bill twice, since each can still be paid. An order stops counting when it fails or
when the patient has had the checkout hold (15 minutes) to pay it."""

from decimal import Decimal

import pytest
from django.utils import timezone

from skinspire.collections.models import PatientPayment, PaymentLink
from skinspire.collections.services.open_amount import CHECKOUT_ORDER_HOLD
from skinspire.collections.tests.support import link_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_gateways")]


@pytest.fixture
def staff(client_as):
    return client_as("payments")


def order_create(staff, bill, **body):
    return staff.post("/api/patient-payment/create-order", {"bill_id": bill.pk, **body}, format="json")


def test_a_link_for_money_a_pending_order_asks_for_is_refused(staff, bill):
    order = order_create(staff, bill).json()

    refused = link_create(staff, bill)

    assert refused.status_code == 409
    assert refused.json()["message"] == (
        f"Bill {bill.number} already has online payments being made for ₹1,500.00, all that is open on it: "
        f"the patient may still be paying online ({_reference(order)}): let them finish, release it on the bill's page if they gave up, or ask again after "
        f"{_hold_ends(order)} India time, when an unfinished one stops counting."
    )
    assert PaymentLink.objects.count() == 0


def test_an_order_asks_for_what_the_open_links_leave(staff, bill):
    assert link_create(staff, bill, amount="1000.00").status_code == 201

    too_much = order_create(staff, bill, amount="600.00")
    rest = order_create(staff, bill)

    assert too_much.status_code == 409
    assert too_much.json()["message"].startswith(
        f"Bill {bill.number} already has open payment links for ₹1,000.00, ₹500.00 is left to ask for: "
        "send one again, or cancel it before making another."
    )
    assert (rest.status_code, rest.json()["amount"]) == (201, "500.00")
    assert list(PatientPayment.objects.values_list("amount", flat=True)) == [Decimal("500.00")]


def test_with_links_and_orders_open_the_409_names_both(staff, bill):
    assert link_create(staff, bill, amount="1000.00").status_code == 201
    order = order_create(staff, bill).json()

    refused = order_create(staff, bill)

    assert refused.status_code == 409
    assert refused.json()["message"] == (
        f"Bill {bill.number} already has open payment links for ₹1,000.00 and online payments being made "
        "for ₹500.00, all that is open on it: send one again, or cancel it before making another. "
        f"The patient may still be paying online ({_reference(order)}): let them finish, release it on the bill's page if they gave up, or ask again after "
        f"{_hold_ends(order)} India time, when an unfinished one stops counting."
    )


def test_a_failed_order_and_one_left_beyond_the_hold_leave_nothing(staff, bill):
    failed = order_create(staff, bill).json()
    PatientPayment.objects.filter(pk=failed["payment_id"]).update(status="failed")
    given_up = order_create(staff, bill).json()
    PatientPayment.objects.filter(pk=given_up["payment_id"]).update(
        created_at=timezone.now() - CHECKOUT_ORDER_HOLD
    )

    again = order_create(staff, bill)

    assert (again.status_code, again.json()["amount"]) == (201, "1500.00")


def _reference(order: dict) -> str:
    return PatientPayment.objects.get(pk=order["payment_id"]).reference


def _hold_ends(order: dict) -> str:
    created = PatientPayment.objects.get(pk=order["payment_id"]).created_at
    return f"{timezone.localtime(created + CHECKOUT_ORDER_HOLD):%H:%M}"
