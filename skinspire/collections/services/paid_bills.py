"""Open payment links that ask for more than is open on their bill are cancelled at the gateway
(Razorpay `POST /v1/payment_links/:id/cancel`, Paytm `/link/expire`) and here, so a link sent
earlier cannot take more than the bill still needs: all of them once the bill is paid in full,
and, after a part payment (the counter, another link), the newest until the rest fit within
what is open (the rule: services/links_beyond_open.py).

Run after each payment that leaves links beyond what is open commits
(tasks.bill_links_beyond_open_cancel_task), and again by the status sync for every such bill
(status_sources.payment_links_open), so a cancel that failed, or a task that never ran, is
tried again at each run. A failure is recorded once per link in the audit log
(`payment_link.cancel_failed`), and the bill's page names the links still open
(`bill_links_beyond_open`).

Checkout orders cannot be cancelled (neither gateway has an API for it; a Paytm order's
txnToken expires by itself): money that still arrives on one lands, and the bill shows the
excess to refund (services/overpaid.py)."""

import logging

from django.contrib.contenttypes.models import ContentType

from skinspire.collections.models import Bill, PaymentLink
from skinspire.collections.services.links import (
    OPEN_STATUSES,
    payment_link_cancel,
    payment_link_settle_from_gateway,
)
from skinspire.collections.services.links_beyond_open import bill_links_beyond_open
from skinspire.core.audit import audit_entry_record
from skinspire.core.errors import ApplicationError
from skinspire.core.models import AuditEntry
from skinspire.core.money import format_inr
from skinspire.gateways.errors import GatewayError

logger = logging.getLogger(__name__)


def bill_links_beyond_open_cancel(*, bill_id: int) -> list[str]:
    """Cancel the bill's links beyond what is open; the references of those still open after."""
    bill = Bill.objects.get(pk=bill_id)
    still_open = []
    for beyond in bill_links_beyond_open(bill=bill):
        if not _link_closed(link=beyond.link, reason=beyond.reason):
            still_open.append(beyond.link.reference)
    return still_open


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
                                         event_reference=f"beyond-open:{link.reference}")  # fmt: skip
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
    logger.warning("Link %s of bill %s is still open beyond what the bill has open: %s",
                   link.reference, link.bill.number, message)  # fmt: skip
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
                f"{_bill_state(link.bill)}, but link {link.reference} could not be cancelled and may "
                f"still be paid: {message} It is tried again at each status sync."
            )[:1000],
        )


def _bill_state(bill: Bill) -> str:
    if bill.amount_open <= 0:
        return f"Bill {bill.number} is paid"
    return f"Bill {bill.number} has {format_inr(bill.amount_open)} open, less than its links ask for"
