"""A payment link whose create answer was lost: recorded first, the gateway called, then a
timeout or a 5xx, so we hold an open link with no gateway id. The gateway may hold a link the
patient was sent and can pay, so ours counts against the bill (services/links.py) until it
expires; nothing could ask about it, nor cancel it, since both go by the gateway's id.

Where the gateway can find a link by our reference (`find_payment_link`; Razorpay:
GET /v1/payment_links?reference_id=..., a reference_id being unique per link), it is asked:
- found: its id and URL are recorded and its state applied (paid, cancelled...), and from
  then on it is a link like any other: synced, cancelled by its id;
- not found: the create never reached the gateway, nobody can pay that link, and ours is
  cancelled, so the bill may take another. Only once the link is older than
  `SETTLED_AFTER`: before that the create call itself may still be running (the same ten
  minutes as migration 0018), and a "none" then proves nothing.

Paytm's /link/fetch filters by link id, customer and dates, not by our reference, so a Paytm
link whose answer was lost cannot be looked up: it is left to expire (`lost_link_refusal`).
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from skinspire.collections.models import PaymentLink
from skinspire.collections.services.links import OPEN_STATUSES, payment_link_settle_from_gateway
from skinspire.core import locks
from skinspire.core.audit import audit_entry_record
from skinspire.core.models import User
from skinspire.core.transitions import transition
from skinspire.gateways.errors import GatewayNotFoundError
from skinspire.gateways.providers.registry import provider_class, provider_for

logger = logging.getLogger(__name__)

SETTLED_AFTER = timedelta(minutes=10)
NEVER_CREATED = (
    "The gateway holds no link with its reference: the create never reached it (its answer was lost)."
)


def lost_link_findable(link: PaymentLink) -> bool:
    """Whether the link's gateway can be asked for it by our reference."""
    return bool(link.source) and provider_class(link.source).finds_payment_links


def payment_link_recover(*, link: PaymentLink, actor: User | None = None) -> PaymentLink:
    """Learn the lost link of `link` from its gateway, or cancel ours when the gateway holds
    none (and the create can no longer be running). Answers the link as it then is: still
    created without an id only when the gateway had none and the link is too young to tell.
    GatewayError when the gateway cannot say now (asked again at the next sync);
    UnsupportedOperationError when it has no API for it (Paytm)."""
    reference = f"recover:{link.reference}"
    try:
        found = provider_for(link.configuration).find_payment_link(reference_id=link.reference)
    except GatewayNotFoundError:
        if timezone.now() - link.created_at < SETTLED_AFTER:
            return link
        _never_created(link=link, actor=actor, event_reference=reference)
        link.refresh_from_db()
        return link
    # Conditional: a late answer of the original call, or its webhook, may have written it.
    PaymentLink.objects.filter(pk=link.pk, gateway_link_id="").update(
        gateway_link_id=found.gateway_link_id, gateway_url=found.url, updated_at=timezone.now()
    )
    logger.warning("Link %s: its lost gateway id %s recovered from the gateway.", link.reference,
                   found.gateway_link_id)  # fmt: skip
    link.refresh_from_db()
    payment_link_settle_from_gateway(link=link, gateway_payment_id="", gateway_order_id="",
                                     reason="Its lost answer recovered from the gateway", event_reference=reference)  # fmt: skip
    link.refresh_from_db()
    return link


def _never_created(*, link: PaymentLink, actor: User | None, event_reference: str) -> None:
    with transaction.atomic():
        locked = locks.lock_row(PaymentLink, pk=link.pk)
        if locked.gateway_link_id or locked.status not in OPEN_STATUSES:
            return  # its answer or its webhook came meanwhile: it is a link like any other now
        transition(
            instance=locked,
            to="cancelled",
            reason=NEVER_CREATED,
            actor=actor,
            event_reference=event_reference,
        )
        audit_entry_record(
            action="payment_link.not_issued", actor=actor, target=locked, message=NEVER_CREATED
        )


def lost_link_refusal(link: PaymentLink) -> str:
    """Why a lost link cannot be cancelled now, and what happens to it instead."""
    expires = f"{timezone.localtime(link.expires_at):%d %b %Y %H:%M} India time"
    if not lost_link_findable(link):
        return (
            f"Link {link.reference}: the gateway has not answered its create (the answer was lost, or the call "
            f"is still running) and offers no way to look it up, so the patient may have it and can pay it. "
            f"It cannot be cancelled; it counts "
            f"against the bill until it expires at {expires}."
        )
    retry = f"{timezone.localtime(link.created_at + SETTLED_AFTER):%H:%M} India time"
    return (
        f"Link {link.reference}: the gateway has no link for it yet, but its create may still be running. "
        f"Try again after {retry}; it expires at {expires} in any case."
    )
