"""A bill paid in full closes what still asks the patient for money: each of its open payment
links is cancelled at the gateway (Razorpay `POST /v1/payment_links/:id/cancel`, Paytm
`/link/expire`) and here, so a link sent earlier cannot take the bill's money a second time.

Run after the payment that paid the bill commits (tasks.bill_paid_links_cancel_task), and again
by the status sync for every open link of a paid bill (status_sources.payment_links_open), so
a cancel that failed, or a task that never ran, is tried again at each run. A failure is
recorded once per link in the audit log (`payment_link.cancel_failed`), and the bill's page
names the links still open (`bill_links_open_after_paid`).

Checkout orders cannot be cancelled (neither gateway has an API for it; a Paytm order's
txnToken expires by itself): money that still arrives on one lands, and the bill shows the
excess to refund (services/overpaid.py)."""

import logging

from django.contrib.contenttypes.models import ContentType
from django.db.models import Sum
from django.utils import timezone

from skinspire.collections.models import RECEIVED_STATUSES, Bill, BillStatus, PaymentLink
from skinspire.collections.services.links import (
    OPEN_STATUSES,
    payment_link_cancel,
    payment_link_settle_from_gateway,
)
from skinspire.core.audit import audit_entry_record
from skinspire.core.errors import ApplicationError
from skinspire.core.models import AuditEntry
from skinspire.gateways.errors import GatewayError

logger = logging.getLogger(__name__)


def bill_paid_links_cancel(*, bill_id: int) -> list[str]:
    """Cancel the open links of a bill that is paid; the references of those still open after."""
    bill = Bill.objects.get(pk=bill_id)
    if bill.status != BillStatus.PAID:
        return []  # a refund reopened it meanwhile: its links may be paid again
    reason = f"Bill {bill.number} was paid in full; this link is no longer needed."
    still_open = []
    for link in bill_links_open_after_paid(bill=bill):
        if not _link_closed(link=link, reason=reason):
            still_open.append(link.reference)
    return still_open


def bill_links_open_after_paid(*, bill: Bill) -> list[PaymentLink]:
    """Open links of a paid bill, but not one whose payments already cover it: that link is
    paid, and its own status follows (its payment is recorded before the link's status)."""
    if bill.status != BillStatus.PAID:
        return []
    # One past its expiry cannot be paid (the gateway's link has the same expire_by).
    links = PaymentLink.objects.select_related("bill", "configuration").filter(
        bill=bill, status__in=OPEN_STATUSES, expires_at__gt=timezone.now()
    )
    received = dict(
        PaymentLink.objects.filter(bill=bill, payments__status__in=RECEIVED_STATUSES)
        .values_list("pk")
        .annotate(total=Sum("payments__amount"))
    )
    return [link for link in links if received.get(link.pk, 0) < link.amount]


def _link_closed(*, link: PaymentLink, reason: str) -> bool:
    try:
        link = payment_link_cancel(actor=None, link=link, reason=reason)
    except GatewayError as error:
        if link.gateway_link_id:  # refused, perhaps because the patient has just paid it: ask
            link = _settled_or_failed(link=link, error=error)
        else:  # a lost link its gateway could not be asked about now
            _cancel_failed(link=link, message=error.message)
    except ApplicationError as error:  # a lost link: not findable (Paytm), or too young to tell
        _cancel_failed(link=link, message=error.message)
    link.refresh_from_db()
    return link.status not in OPEN_STATUSES


def _settled_or_failed(*, link: PaymentLink, error: GatewayError) -> PaymentLink:
    try:
        payment_link_settle_from_gateway(link=link, gateway_payment_id="", gateway_order_id="", reason=error.message,
                                         event_reference=f"bill-paid:{link.reference}")  # fmt: skip
    except GatewayError as fetch_error:
        logger.warning(
            "Link %s: could not be asked about after its cancel failed: %s", link.reference, fetch_error
        )
    link.refresh_from_db()
    if link.status in OPEN_STATUSES:
        _cancel_failed(link=link, message=error.message)
    return link


def _cancel_failed(*, link: PaymentLink, message: str) -> None:
    """Once per link in the audit log (the sweep tries again every run), always in the log."""
    logger.warning("Link %s of paid bill %s is still open: %s", link.reference, link.bill.number, message)
    already = AuditEntry.objects.filter(
        action="payment_link.cancel_failed",
        content_type=ContentType.objects.get_for_model(PaymentLink),
        object_id=str(link.pk),
    ).exists()
    if not already:
        audit_entry_record(
            action="payment_link.cancel_failed",
            target=link,
            message=(
                f"Bill {link.bill.number} is paid, but link {link.reference} could not be cancelled and may "
                f"still be paid: {message} It is tried again at each status sync."
            )[:1000],
        )
