"""A bill's open payment links together ask for no more than is open on it: each can still be
paid, so a second link for the whole bill (made instead of sending the first again) let the
patient pay it twice (a ₹1,245.50 bill received ₹2,484.00). A new link asks for what the open
links leave, and none when they cover it all; cancelled and expired links leave nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from skinspire.collections.models import PaymentLink
from skinspire.collections.tests.support import link_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_gateways")]


@pytest.fixture
def staff(client_as):
    return client_as("payments")


def test_a_second_link_for_a_bill_its_open_link_covers_is_refused(staff, bill):
    assert link_create(staff, bill).status_code == 201

    second = link_create(staff, bill)

    assert second.status_code == 409
    assert second.json()["message"] == (
        f"Bill {bill.number} already has open payment links for ₹1,500.00, all that is open on it: "
        "send one again, or cancel it before making another."
    )
    assert PaymentLink.objects.count() == 1


def test_a_new_link_asks_for_what_the_open_links_leave(staff, bill):
    assert link_create(staff, bill, amount="1000.00").status_code == 201

    rest = link_create(staff, bill)
    too_much = link_create(staff, bill, amount="600.00")

    assert (rest.status_code, rest.json()["amount"]) == (201, "500.00")
    assert too_much.status_code == 409
    assert sorted(PaymentLink.objects.values_list("amount", flat=True)) == [
        Decimal("500.00"),
        Decimal("1000.00"),
    ]


def test_cancelled_and_expired_links_leave_nothing(staff, bill):
    cancelled = link_create(staff, bill).json()["id"]
    assert staff.post(f"/api/payment-links/{cancelled}/cancel").status_code == 200
    expired = link_create(staff, bill).json()["id"]
    PaymentLink.objects.filter(pk=expired).update(expires_at=timezone.now() - timedelta(minutes=1))

    again = link_create(staff, bill)

    assert (again.status_code, again.json()["amount"]) == (201, "1500.00")
