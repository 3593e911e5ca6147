"""A bill whose amount the billing system lowers below what its open payment links ask for
cancels those links at once, newest first, at the gateway and here, through the sandboxes: a
link sent for the old amount cannot take more than the bill now needs. Raising the amount, or
lowering it while the links still fit, leaves them open. (The bill is ₹2,500.)"""

from decimal import Decimal

import pytest

from skinspire.collections.tests.support import history_of
from skinspire.gateways.providers.interface import LinkStatus
from tests.test_end_to_end_paid_bill_cancels_links import at_gateway, audit_of, link_create

pytestmark = pytest.mark.django_db


def amount_set(staff, bill, amount: str, capture) -> None:
    with capture(execute=True):
        response = staff.patch(f"/api/bills/{bill.pk}", {"amount": amount}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["amount"] == amount


def test_a_bill_lowered_below_its_link_cancels_the_link(
    staff, bill, each_gateway, django_capture_on_commit_callbacks
):
    link = link_create(staff, bill)  # for the whole ₹2,500

    amount_set(staff, bill, "1800.00", django_capture_on_commit_callbacks)

    link.refresh_from_db()
    assert (link.status, at_gateway(link)) == ("cancelled", LinkStatus.CANCELLED)
    assert history_of(link) == [("created", "cancelled", "applied")]
    assert audit_of(link, "payment_link.cancel") == [
        f"Bill {bill.number} has ₹1,800.00 open; this link asked ₹2,500.00, more than is open, so it was "
        "cancelled. Send a new link for what is open."
    ]
    again = link_create(staff, bill)  # a new link for what is open now
    assert (again.amount, again.status) == (Decimal("1800.00"), "created")


def test_only_the_newest_go_until_the_rest_fit(staff, bill, each_gateway, django_capture_on_commit_callbacks):
    older = link_create(staff, bill, amount="1000.00")
    newer = link_create(staff, bill, amount="1000.00")

    amount_set(staff, bill, "1500.00", django_capture_on_commit_callbacks)

    older.refresh_from_db()
    newer.refresh_from_db()
    assert (newer.status, at_gateway(newer)) == ("cancelled", LinkStatus.CANCELLED)
    assert (older.status, at_gateway(older)) == ("created", LinkStatus.CREATED)


def test_links_that_still_fit_stay_open(staff, bill, django_capture_on_commit_callbacks):
    link = link_create(staff, bill, amount="1000.00")

    amount_set(staff, bill, "2000.00", django_capture_on_commit_callbacks)  # lowered, the link fits
    amount_set(staff, bill, "3000.00", django_capture_on_commit_callbacks)  # raised

    link.refresh_from_db()
    assert (link.status, at_gateway(link)) == ("created", LinkStatus.CREATED)
    assert audit_of(link, "payment_link.cancel") == []
