"""The rule for which open links ask for more than their bill has open (services/
links_beyond_open.py): newest first until the rest fit; a paid bill's all go; an expired,
closed or already covered link is not counted; and a payment starts the cancel only when it
leaves links beyond what is open. (The bill is ₹1,500.)"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from skinspire.collections.models import PaymentLink
from skinspire.collections.services.links_beyond_open import (
    bill_links_beyond_open,
    bills_with_links_beyond_open,
)
from skinspire.collections.services.payments import bill_paid_amount_refresh
from skinspire.collections.tests.factories import PatientPaymentFactory
from skinspire.core.tests.money_rows import create_in

pytestmark = pytest.mark.django_db


def link_for(bill, amount: str, *, status: str | None = None, hours: int = 24, **fields) -> PaymentLink:
    return create_in(
        PaymentLink, hospital=bill.hospital, branch=bill.branch, bill=bill, amount=Decimal(amount),
        source="razorpay", expires_at=timezone.now() + timedelta(hours=hours), status=status, **fields,
    )  # fmt: skip


def paid(bill, amount: str, link: PaymentLink | None = None) -> None:
    PatientPaymentFactory(bill=bill, amount=Decimal(amount), status="captured", payment_link=link)
    bill_paid_amount_refresh(bill_id=bill.pk)
    bill.refresh_from_db()


def beyond(bill) -> list[tuple[str, Decimal, Decimal, Decimal]]:
    return [
        (item.link.reference, item.asks, item.bill_open, item.kept_asks)
        for item in bill_links_beyond_open(bill=bill)
    ]


def test_links_that_fit_within_what_is_open_stay(bill):
    link_for(bill, "500.00")
    link_for(bill, "1000.00")

    assert beyond(bill) == []
    assert list(bills_with_links_beyond_open()) == []


def test_the_newest_go_until_the_rest_fit(bill):
    oldest = link_for(bill, "300.00")
    middle = link_for(bill, "400.00")
    newest = link_for(bill, "500.00")
    paid(bill, "900.00")  # ₹600 open; the links ask ₹1,200

    assert beyond(bill) == [
        (newest.reference, Decimal("500.00"), Decimal("600.00"), Decimal("300.00")),
        (middle.reference, Decimal("400.00"), Decimal("600.00"), Decimal("300.00")),
    ]
    assert bill_links_beyond_open(bill=bill)[-1].reason == (
        f"Bill {bill.number} has ₹600.00 open, and its other open links ask ₹300.00 of that; this link asked "
        "₹400.00, more than is open, so it was cancelled. Send a new link for what is open."
    )
    assert list(bills_with_links_beyond_open()) == [bill]
    assert oldest.reference not in [reference for reference, *_ in beyond(bill)]


def test_a_paid_bill_has_all_its_links_go_but_the_one_that_paid_it(bill):
    other = link_for(bill, "1000.00")
    paying = link_for(bill, "1500.00")
    paid(bill, "1500.00", link=paying)  # the link's own status has not followed yet

    assert beyond(bill) == [(other.reference, Decimal("1000.00"), Decimal("0.00"), Decimal("0.00"))]
    assert bill_links_beyond_open(bill=bill)[0].reason == (
        f"Bill {bill.number} was paid in full; this link is no longer needed."
    )


def test_a_part_paid_link_asks_only_for_the_rest(bill):
    link_for(bill, "1000.00", status="partially_paid", amount_paid=Decimal("600.00"))
    paid(bill, "1000.00")  # ₹500 open; the link can still take ₹400

    assert beyond(bill) == []


def test_expired_and_closed_links_are_not_counted(bill):
    link_for(bill, "1000.00", hours=-1)
    link_for(bill, "1000.00", status="cancelled")
    paid(bill, "1000.00")

    assert beyond(bill) == []
    assert list(bills_with_links_beyond_open()) == []


def test_a_payment_starts_the_cancel_only_when_it_leaves_links_beyond_what_is_open(
    bill, django_capture_on_commit_callbacks
):
    link_for(bill, "1000.00")

    with django_capture_on_commit_callbacks() as fits:
        paid(bill, "500.00")  # ₹1,000 open: the link fits
    with django_capture_on_commit_callbacks() as beyond_open:
        paid(bill, "100.00")  # ₹900 open

    assert [callback.func.__self__.name for callback in fits] == []
    assert [callback.func.__self__.name for callback in beyond_open] == [
        "skinspire.collections.tasks.bill_links_beyond_open_cancel_task"
    ]
