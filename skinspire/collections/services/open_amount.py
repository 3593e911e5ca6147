"""What a bill may still be asked for: its open amount less what its open payment links and
its checkout orders still being paid already ask for. Each of those can still be paid, so
asking for the same money twice (a second link, Pay online beside a link, two Pay online
tabs) let the patient pay the bill twice. Called under the bill's row lock by both kinds of
create (services/links.py, services/checkout.py), so two creates at the same moment for one
bill are serialised and the second counts the first."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from skinspire.collections.models import Bill, PatientPayment, PaymentCategory, PaymentLink
from skinspire.collections.services.payments import amount_within_open
from skinspire.core.errors import ConflictError
from skinspire.core.money import format_inr, to_rupees

ZERO = Decimal("0.00")
LINK_OPEN_STATUSES = ("created", "partially_paid")
# A checkout order counts while the patient may still be on the gateway's page: Paytm's
# txnToken lives 15 minutes (reference/paytm.md §2.2), and an order left longer was given up.
# It stays payable at Razorpay (orders have no cancel or expiry there); money that still
# arrives on it lands, and the bill shows the excess to refund (bill_overpaid_amount).
CHECKOUT_ORDER_HOLD = timedelta(minutes=15)


@dataclass(frozen=True)
class OpenRequests:
    links: list[PaymentLink]
    orders: list[PatientPayment]

    @property
    def linked(self) -> Decimal:
        return sum((link.amount - link.amount_paid for link in self.links), ZERO)

    @property
    def ordered(self) -> Decimal:
        return sum((order.amount for order in self.orders), ZERO)

    @property
    def total(self) -> Decimal:
        return self.linked + self.ordered


def bill_open_requests(*, bill: Bill) -> OpenRequests:
    """The bill's open links, issued or not (one whose gateway call is still running, or whose
    answer was lost, may be payable), and its checkout orders started within the hold."""
    now = timezone.now()
    links = PaymentLink.objects.filter(bill=bill, status__in=LINK_OPEN_STATUSES, expires_at__gt=now).only(
        "reference", "amount", "amount_paid", "source", "gateway_link_id", "created_at", "expires_at"
    )
    orders = PatientPayment.objects.filter(
        bill=bill,
        category=PaymentCategory.GATEWAY,
        payment_link__isnull=True,
        status__in=("pending", "authorized"),
        created_at__gt=now - CHECKOUT_ORDER_HOLD,
    ).only("reference", "amount", "created_at")
    return OpenRequests(links=list(links), orders=list(orders))


def amount_not_requested(*, bill: Bill, amount: Decimal | str | None) -> Decimal:
    """The new link's or order's amount, within what the open links and orders leave open
    (all of that when None); a 409 when they cover it or the amount is beyond what they leave.
    Call under the bill's row lock."""
    requests = bill_open_requests(bill=bill)
    asked = requests.total
    left = bill.amount_open - asked
    if asked > 0 and (left <= 0 or (amount is not None and to_rupees(amount) > left)):
        covered = "all that is open on it" if left <= 0 else f"{format_inr(left)} is left to ask for"
        raise ConflictError(
            f"Bill {bill.number} already has {_what_is_open(requests)}, {covered}: {_what_to_do(requests)}",
            {"bill_id": bill.pk, "linked": str(requests.linked), "ordered": str(requests.ordered)},
        )
    return amount_within_open(bill=bill, amount=left if amount is None and asked > 0 else amount)


def _what_is_open(requests: OpenRequests) -> str:
    parts = []
    if requests.links:
        parts.append(f"open payment links for {format_inr(requests.linked)}")
    if requests.orders:
        parts.append(f"online payments being made for {format_inr(requests.ordered)}")
    return " and ".join(parts)


def _what_to_do(requests: OpenRequests) -> str:
    advice = [_links_advice(requests.links)] if requests.links else []
    if requests.orders:
        until = max(order.created_at for order in requests.orders) + CHECKOUT_ORDER_HOLD
        references = ", ".join(order.reference for order in requests.orders)
        orders = (
            f"the patient may still be paying online ({references}): let them finish, release it on the bill's page if they gave up, or ask again after "
            f"{timezone.localtime(until):%H:%M} India time, when an unfinished one stops counting."
        )
        advice.append(orders[0].upper() + orders[1:] if advice else orders)
    return " ".join(advice)


def _links_advice(links: list[PaymentLink]) -> str:
    """An issued link can be sent again or cancelled; one whose create answer was lost cannot
    be sent (we have no gateway URL), and is cancelled only where its gateway can be asked for
    it by our reference (services/link_recovery.py); otherwise this says when it stops counting."""
    # Imported here: link_recovery builds on links.py, which builds on this module.
    from skinspire.collections.services.link_recovery import lost_link_findable, lost_link_refusal

    stuck = [link for link in links if not link.gateway_link_id and not lost_link_findable(link)]
    if not stuck:
        return "send one again, or cancel it before making another."
    advice = " ".join(lost_link_refusal(link) for link in stuck)
    if len(stuck) < len(links):
        return f"send or cancel the others before making another. {advice}"
    return advice
