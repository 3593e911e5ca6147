"""A part payment that leaves a bill with less open than its open links ask for cancels those
links, newest first, until the rest fit, at the gateway and here, through the sandboxes: the
counter's cash is never held back by a link, and the link can no longer take more than the
bill still needs. A link the patient paid at that same moment is recorded, not lost. A cancel
that fails is recorded once and tried again by the status sync. (The bill is ₹2,500.)"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from skinspire.collections.models import PatientPayment
from skinspire.collections.tests.support import history_of
from skinspire.gateways.providers.interface import LinkStatus
from skinspire.gateways.webhooks.status_sync import status_sync_run
from tests import e2e_support as e2e
from tests.test_end_to_end_paid_bill_cancels_links import (
    at_gateway,
    audit_of,
    bill_page,
    cancel_down,
    counter_pays,
    link_create,
)

pytestmark = pytest.mark.django_db


def test_cash_at_the_counter_cancels_the_link_that_asks_for_more_than_is_left(
    staff, bill, each_gateway, client, django_capture_on_commit_callbacks
):
    counter_pays(staff, bill, "1100.00", django_capture_on_commit_callbacks)
    link = link_create(staff, bill, amount="1000.00")

    counter_pays(staff, bill, "800.00", django_capture_on_commit_callbacks)  # ₹600 left; the link asks ₹1,000

    link.refresh_from_db()
    assert (link.status, at_gateway(link)) == ("cancelled", LinkStatus.CANCELLED)
    assert history_of(link) == [("created", "cancelled", "applied")]
    reason = (
        f"Bill {bill.number} has ₹600.00 open; this link asked ₹1,000.00, more than is open, so it was "
        "cancelled. Send a new link for what is open."
    )
    assert audit_of(link, "payment_link.cancel") == [reason]
    page = bill_page(client, bill)
    assert reason in page
    assert "Links asking for more than is open" not in page  # nothing is left open beyond it

    again = link_create(staff, bill)  # a new link for what is open
    assert (again.amount, again.status) == (Decimal("600.00"), "created")


def test_the_newest_links_go_until_the_rest_fit(
    staff, bill, each_gateway, django_capture_on_commit_callbacks
):
    older = link_create(staff, bill, amount="500.00")
    newer = link_create(staff, bill, amount="1500.00")

    counter_pays(staff, bill, "1000.00", django_capture_on_commit_callbacks)  # ₹1,500 open; links ask ₹2,000

    older.refresh_from_db()
    newer.refresh_from_db()
    assert (newer.status, at_gateway(newer)) == ("cancelled", LinkStatus.CANCELLED)
    assert (older.status, at_gateway(older)) == ("created", LinkStatus.CREATED)
    assert audit_of(newer, "payment_link.cancel") == [
        f"Bill {bill.number} has ₹1,500.00 open, and its other open links ask ₹500.00 of that; this link "
        "asked ₹1,500.00, more than is open, so it was cancelled. Send a new link for what is open."
    ]
    assert audit_of(older, "payment_link.cancel") == []


def test_a_part_payment_that_leaves_room_for_the_link_leaves_it_open(
    staff, bill, each_gateway, django_capture_on_commit_callbacks
):
    link = link_create(staff, bill, amount="1000.00")

    counter_pays(staff, bill, "1500.00", django_capture_on_commit_callbacks)  # ₹1,000 open: it still fits

    link.refresh_from_db()
    assert (link.status, at_gateway(link)) == ("created", LinkStatus.CREATED)


def test_a_link_paid_at_the_gateway_as_the_counter_takes_part_is_recorded(
    staff, bill, each_gateway, django_capture_on_commit_callbacks
):
    link = link_create(staff, bill, amount="1000.00")
    # The patient pays the link; neither the return nor the webhook has reached us yet.
    paid = e2e.patient_browser().post(e2e.path_of(link.gateway_url), {"method": "upi", "vpa": "asha@okhdfc",
                                                                      "outcome": "success"})  # fmt: skip
    assert paid.status_code in (200, 302)  # Paytm shows its own page; Razorpay redirects to ours
    assert at_gateway(link) == LinkStatus.PAID

    counter_pays(
        staff, bill, "2000.00", django_capture_on_commit_callbacks
    )  # ₹500 left; the link asked ₹1,000

    link.refresh_from_db()
    bill.refresh_from_db()
    assert link.status == "paid"  # the gateway refused the cancel; its payment was asked for
    assert sorted(PatientPayment.objects.values_list("amount", "status")) == [
        (Decimal("1000.00"), "captured"),
        (Decimal("2000.00"), "captured"),
    ]
    assert (bill.amount_paid, bill.status) == (Decimal("3000.00"), "paid")
    assert audit_of(link, "payment_link.cancel_failed") == []


def test_a_cancel_that_fails_after_a_part_payment_is_retried_by_the_status_sync(
    staff, bill, client, monkeypatch, django_capture_on_commit_callbacks
):
    link = link_create(staff, bill, amount="1000.00")
    back_up = cancel_down(monkeypatch, link)
    counter_pays(staff, bill, "1900.00", django_capture_on_commit_callbacks)
    later = timezone.now() + timedelta(hours=1)
    status_sync_run(now=later)  # still down: tried again, not recorded again

    link.refresh_from_db()
    assert (link.status, at_gateway(link)) == ("created", LinkStatus.CREATED)
    assert audit_of(link, "payment_link.cancel_failed") == [
        f"Bill {bill.number} has ₹600.00 open, less than its links ask for, but link {link.reference} could "
        "not be cancelled and may still be paid: The gateway did not answer. It is tried again at each status sync."
    ]
    assert (
        f"The bill has ₹600.00 open, but {link.reference} could not be cancelled yet, so the patient could "
        "still pay more than that." in bill_page(client, bill)
    )

    back_up()
    status_sync_run(now=later)

    link.refresh_from_db()
    assert (link.status, at_gateway(link)) == ("cancelled", LinkStatus.CANCELLED)
    assert "Links asking for more than is open" not in bill_page(client, bill)
