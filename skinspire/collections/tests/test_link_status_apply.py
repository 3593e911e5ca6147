"""What the gateway says of a payment link, applied forward only (services/links.py,
`payment_link_status_apply`): the paid amount only grows, the status only moves on, and a
stale or contrary answer is recorded as ignored in the link's history, never raised."""

import logging
from decimal import Decimal

import pytest

from skinspire.collections.models import PaymentLink
from skinspire.collections.services.links import payment_link_status_apply
from skinspire.collections.tests.support import history_of
from skinspire.core.models import StatusTransition
from skinspire.gateways.providers.interface import LinkStatus, PaymentLinkResult

pytestmark = pytest.mark.django_db

SYNC = "task:status_sync"


def answer(status: LinkStatus, amount_paid: str) -> PaymentLinkResult:
    """The gateway's answer about the link, as its adapter returns it."""
    return PaymentLinkResult(
        gateway_link_id="plink_1", url="https://rzp.io/i/1", status=status, gateway_status=status.value,
        amount=Decimal("2500.00"), amount_paid=Decimal(amount_paid),
    )  # fmt: skip


def apply(link: PaymentLink, status: LinkStatus, amount_paid: str, reference: str = SYNC) -> PaymentLink:
    payment_link_status_apply(
        link=link, result=answer(status, amount_paid), reason="Gateway", event_reference=reference
    )
    link.refresh_from_db()
    return link


def test_each_answer_in_order_moves_the_link_on(link):
    assert (apply(link, LinkStatus.CREATED, "0.00").status, link.amount_paid) == ("created", Decimal("0.00"))
    assert (apply(link, LinkStatus.PARTIALLY_PAID, "1000.00").status, link.amount_paid) == (
        "partially_paid",
        Decimal("1000.00"),
    )
    assert (apply(link, LinkStatus.PAID, "2500.00").status, link.amount_paid) == ("paid", Decimal("2500.00"))
    assert history_of(link) == [
        ("created", "partially_paid", "applied"),
        ("partially_paid", "paid", "applied"),
    ]


def test_an_answer_older_than_the_last_one_moves_nothing_back(link, caplog):
    apply(link, LinkStatus.PAID, "2500.00", reference="webhook:razorpay:evt_paid")
    updated_at = link.updated_at

    with caplog.at_level(logging.INFO, logger="skinspire.collections.services.links"):
        apply(link, LinkStatus.PARTIALLY_PAID, "1000.00")

    assert (link.status, link.amount_paid, link.updated_at) == ("paid", Decimal("2500.00"), updated_at)
    assert history_of(link) == [("created", "paid", "applied"), ("paid", "partially_paid", "ignored")]
    assert "older than ours, 2500.00; kept ours" in caplog.text


def test_an_older_amount_with_the_same_status_is_kept_out(link):
    apply(link, LinkStatus.PARTIALLY_PAID, "1500.00")

    apply(link, LinkStatus.PARTIALLY_PAID, "1000.00")

    assert (link.status, link.amount_paid) == ("partially_paid", Decimal("1500.00"))
    assert history_of(link) == [
        ("created", "partially_paid", "applied"),
        ("partially_paid", "partially_paid", "ignored"),
    ]


def test_an_answer_still_created_after_a_payment_changes_nothing(link):
    apply(link, LinkStatus.PARTIALLY_PAID, "1000.00")

    apply(link, LinkStatus.CREATED, "0.00")

    assert (link.status, link.amount_paid) == ("partially_paid", Decimal("1000.00"))
    assert history_of(link) == [("created", "partially_paid", "applied")]


def test_a_contrary_end_is_recorded_as_ignored_not_raised(link, caplog):
    """Expired after paid: two ends, so not a stale move but an illegal one, which `transition`
    raises (409). From the gateway it is recorded for a person to look at instead."""
    apply(link, LinkStatus.PAID, "2500.00")

    with caplog.at_level(logging.WARNING, logger="skinspire.core.transitions"):
        apply(link, LinkStatus.EXPIRED, "2500.00", reference="webhook:razorpay:evt_late")

    assert (link.status, link.amount_paid) == ("paid", Decimal("2500.00"))
    assert history_of(link) == [("created", "paid", "applied"), ("paid", "expired", "ignored")]
    ignored = StatusTransition.objects.order_by("id").last()
    assert ignored is not None
    assert (ignored.reason, ignored.event_reference) == (
        "Ignored, not a move from paid: Gateway",
        "webhook:razorpay:evt_late",
    )
    assert "ignored, not a move from paid (webhook:razorpay:evt_late)" in caplog.text
