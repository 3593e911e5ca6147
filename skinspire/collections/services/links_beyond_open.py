"""Which open payment links ask for more than is open on their bill, and must go.

A link may only be made for what is open (services/open_amount.py), but a payment recorded
after it (cash at the counter, which open links never hold back, or another link) leaves less
open, and the link could still take all it asks for: a ₹1,000 link on a bill with ₹600 left
would take ₹400 too much. The rule: the bill's open links, newest first, are cancelled until
what the remaining ones still ask for fits within what is open. Newest first because the
oldest is the one the patient is most likely to have had time to open. A bill paid in full
has nothing open, so all its links go. Checkout orders are not counted: neither gateway can
cancel one, and one paid anyway lands and shows the excess (services/overpaid.py).

The cancelling is services/paid_bills.py, started after commit by
`links_beyond_open_cancel_after_commit` when money comes in or a bill's amount is lowered."""

import functools
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import DecimalField, F, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from skinspire.collections.models import RECEIVED_STATUSES, Bill, PaymentLink
from skinspire.collections.tasks import bill_links_beyond_open_cancel_task
from skinspire.core.money import format_inr

ZERO = Decimal("0.00")
LINK_OPEN_STATUSES = ("created", "partially_paid")


@dataclass(frozen=True)
class LinkBeyondOpen:
    link: PaymentLink
    asks: Decimal  # what the link can still take
    bill_open: Decimal  # what is open on its bill
    kept_asks: Decimal  # what the bill's links that stay open still ask for

    @property
    def reason(self) -> str:
        """The history's and the audit entry's words."""
        bill = self.link.bill
        if self.bill_open <= 0:
            return f"Bill {bill.number} was paid in full; this link is no longer needed."
        others = (
            f", and its other open links ask {format_inr(self.kept_asks)} of that" if self.kept_asks else ""
        )
        return (
            f"Bill {bill.number} has {format_inr(self.bill_open)} open{others}; this link asked {format_inr(self.asks)}, "
            "more than is open, so it was cancelled. Send a new link for what is open."
        )


def bill_links_beyond_open(*, bill: Bill) -> list[LinkBeyondOpen]:
    """The links to cancel, newest first. A link its own payments already cover is left alone:
    it is paid, and its status follows (its payment is recorded before the link's status)."""
    asking = [(link, asks) for link, asks in _open_links_asking(bill=bill) if asks > 0]
    bill_open = bill.amount_open
    remaining = sum((asks for _, asks in asking), ZERO)
    beyond = []
    for link, asks in asking:  # newest first
        if remaining <= bill_open:
            break
        remaining -= asks
        beyond.append((link, asks))
    return [
        LinkBeyondOpen(link=link, asks=asks, bill_open=bill_open, kept_asks=remaining)
        for link, asks in beyond
    ]


def _open_links_asking(*, bill: Bill) -> list[tuple[PaymentLink, Decimal]]:
    # One past its expiry cannot be paid (the gateway's link has the same expire_by).
    received = (
        PaymentLink.objects.filter(pk=OuterRef("pk"), payments__status__in=RECEIVED_STATUSES)
        .values("pk")
        .annotate(total=Sum("payments__amount"))
        .values("total")
    )
    links = (
        PaymentLink.objects.select_related("bill", "configuration")
        .filter(bill=bill, status__in=LINK_OPEN_STATUSES, expires_at__gt=timezone.now())
        .annotate(received=Coalesce(Subquery(received), ZERO, output_field=DecimalField()))
        .order_by("-created_at", "-id")
    )
    # What the gateway reported paid, or what we recorded, whichever is further along.
    return [(link, link.amount - max(link.amount_paid, link.received)) for link in links]


def bills_with_links_beyond_open() -> QuerySet[Bill]:
    """Bills whose open links may ask for more than is open: what the status sync retries.
    Counted from the links' paid amounts, which may lag their payments; the rule above then
    decides from both."""
    asked = (
        PaymentLink.objects.filter(
            bill=OuterRef("pk"), status__in=LINK_OPEN_STATUSES, expires_at__gt=timezone.now()
        )
        .values("bill")
        .annotate(total=Sum(F("amount") - F("amount_paid")))
        .values("total")
    )
    # Only bills with an open link are looked at: there are few of those, and millions of bills.
    with_open_links = PaymentLink.objects.filter(
        status__in=LINK_OPEN_STATUSES, expires_at__gt=timezone.now()
    ).values("bill_id")
    return (
        Bill.objects.filter(pk__in=with_open_links)
        .annotate(asked=Subquery(asked, output_field=DecimalField(max_digits=14, decimal_places=2)))
        .filter(asked__gt=F("amount") - F("amount_paid"))
        .filter(asked__gt=0)
    )


def bill_has_links_beyond_open(*, bill: Bill) -> bool:
    """Cheap enough to ask under the bill's lock, after each payment (services/payments.py)."""
    return bills_with_links_beyond_open().filter(pk=bill.pk).exists()


def links_beyond_open_cancel_after_commit(*, bill: Bill) -> None:
    """Less is open than before (money came in, or the bill's amount was lowered): open links
    that now ask for more than is open (all of them, once the bill is paid) are cancelled at
    the gateway once this transaction commits (never inside the bill's lock: a gateway call
    can take seconds; services/paid_bills.py)."""
    if bill_has_links_beyond_open(bill=bill):
        transaction.on_commit(functools.partial(bill_links_beyond_open_cancel_task.delay, bill.pk))
