"""Asking the gateway about objects whose webhook may have been lost, and applying the
answer through the same inbox path as a webhook (stored once, same handler, same locks).

The answer becomes a GatewayEvent with a deterministic id, "sync:<object>:<id>:<status>",
followed by a digest of the words the status alone does not carry (a payout's waiting
reason, a payout link's latest claim) when the answer has any: a queued payout whose reason
changes from low balance to the beneficiary bank being down is a new answer, and asking
twice while nothing changed stores nothing new. An answer the gateway gave before, given
again after another word about the object reached the inbox (low balance, bank down, low
balance again), is new too: its id names the inbox row it follows (":after:<row id>").

The event is marked `fetched`, and its `occurred_at` is the latest time the fetched object
carries by the gateway's own clock (its creation, for a RazorpayX payout), never ours: see
skinspire/payouts/services/outcomes.py, word_said_at. Which ids each object type is
fetched by (StatusQuery's gateway_id / reference_id):

- payout: the gateway's payout id and/or our reference (fetch_payout);
- payment: the gateway's payment id and/or the gateway's order id (fetch_payment; Paytm's
  order id is ours); order: the gateway's order id (fetch_payment by order);
- payment_link: the gateway's link id (fetch_payment_link);
- payout_link: the gateway's link id and/or our reference (fetch_payout_link);
- refund: the gateway's refund id and/or our refund reference (fetch_refund).
"""

import hashlib
import logging
from dataclasses import replace
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from skinspire.gateways.errors import GatewayError, InvalidGatewayRequestError
from skinspire.gateways.models import GatewayConfiguration
from skinspire.gateways.providers.interface import GatewayEvent, PaymentProvider
from skinspire.gateways.providers.registry import provider_for
from skinspire.gateways.webhooks import registry
from skinspire.gateways.webhooks.models import WebhookEvent
from skinspire.gateways.webhooks.processing import webhook_event_process
from skinspire.gateways.webhooks.registry import StatusQuery
from skinspire.gateways.webhooks.serialization import event_to_json
from skinspire.gateways.webhooks.storage import webhook_event_store

logger = logging.getLogger(__name__)


def status_refresh(*, query: StatusQuery) -> WebhookEvent:
    """Ask the gateway now and apply the answer; the inbox row that carried it (a row
    stored earlier when the gateway's answer has not changed since). GatewayError if the
    gateway cannot say."""
    return _answer_apply(query)[0]


def _answer_apply(query: StatusQuery) -> tuple[WebhookEvent, bool]:
    """status_refresh, and whether the answer was new (stored by this call)."""
    configuration = GatewayConfiguration.objects.without_secrets().get(pk=query.configuration_id)
    event = fetched_event(provider=provider_for(configuration), query=query)
    event = replace(event, event_id=_answer_id(event, configuration))
    row, created = webhook_event_store(
        event=event,
        configuration=configuration,
        body=event_to_json(event),
        headers={},
        remote_ip=None,
        source=WebhookEvent.Source.STATUS_SYNC,
        # Processed here rather than by the relay: a person asking wants the answer applied.
        relay=False,
    )
    return (webhook_event_process(event_id=row.pk) if created or not row.is_done else row), created


def status_sync_run(*, now=None) -> dict[str, int]:
    """The periodic job: every registered source's objects pending for longer than
    GATEWAY_STATUS_SYNC_AFTER_SECONDS, each asked about and applied. Counted: asked; applied
    (a new answer, processed); unchanged (the answer stored before: nothing new to apply);
    unanswered (the gateway could not say)."""
    older_than = (now or timezone.now()) - timedelta(seconds=settings.GATEWAY_STATUS_SYNC_AFTER_SECONDS)
    counts = {"asked": 0, "applied": 0, "unchanged": 0, "unanswered": 0}
    for query in registry.pending_queries(older_than=older_than)[: settings.GATEWAY_STATUS_SYNC_BATCH]:
        counts["asked"] += 1
        try:
            row, new = _answer_apply(query)
        except GatewayError as error:
            counts["unanswered"] += 1
            logger.warning("status sync: %s %s not answered: %s", query.object_type, query.gateway_id, error)
            continue
        if not new:
            counts["unchanged"] += 1
        elif row.status == WebhookEvent.Status.PROCESSED:
            counts["applied"] += 1
    return counts


def _answer_id(event: GatewayEvent, configuration: GatewayConfiguration) -> str:
    """The answer's event id, so that the same answer is stored (and applied) once for as
    long as nothing else about the object reaches the inbox: the id of the object's latest
    inbox row if that row is this answer; the plain id if it was never given; else the
    plain id after that latest row (the gateway went back to an earlier word)."""
    plain = event.event_id
    latest = (
        WebhookEvent.objects.filter(
            provider=configuration.provider,
            configuration=configuration,
            object_type=event.object_type,
            object_id=event.object_id,
        )
        .order_by("-id")
        .values_list("pk", "event_id")
        .first()
    )
    if latest is None:
        return plain
    latest_pk, latest_id = latest
    if latest_id == plain or latest_id.startswith(f"{plain}:after:"):
        return latest_id
    given_before = WebhookEvent.objects.filter(provider=configuration.provider, event_id=plain).exists()
    return f"{plain}:after:{latest_pk}" if given_before else plain


def fetched_event(*, provider: PaymentProvider, query: StatusQuery) -> GatewayEvent:
    fetch = FETCHERS.get(query.object_type)
    if fetch is None:
        raise InvalidGatewayRequestError(
            f"The status of {query.object_type or 'this'} objects cannot be asked for.",
            provider=provider.name,
        )
    object_id, fields = fetch(provider, query)
    status = str(fields.pop("status"))
    words = fields.pop("words", ())
    object_id = query.gateway_id or object_id
    event_id = f"sync:{query.object_type}:{object_id or query.reference_id}:{status}"
    if any(words):
        event_id += f":{_digest(words)}"
    return GatewayEvent(
        provider=provider.name,
        event_id=event_id,
        event_type=f"{query.object_type}.{status}",
        object_type=query.object_type,
        object_id=object_id,
        status=status,
        occurred_at=fields.pop("said_at", None),
        fetched=True,
        **fields,
    )


def _digest(words: tuple[str, ...]) -> str:
    """Short and fixed-length, whatever the gateway's descriptions say (the id column is 200)."""
    return hashlib.sha256("\x1f".join(words).encode()).hexdigest()[:16]


def _payout(provider: PaymentProvider, query: StatusQuery) -> tuple[str, dict]:
    result = provider.fetch_payout(gateway_payout_id=query.gateway_id, reference_id=query.reference_id)
    return result.gateway_payout_id, {
        "status": result.gateway_status,
        "amount": result.amount,
        "reference_id": result.reference_id or query.reference_id,
        "utr": result.utr,
        "fee": result.fee,
        "tax": result.tax,
        "failure_reason": result.failure_reason,
        "failure_code": result.failure_code,
        "waiting_reason": result.waiting_reason,  # why it is still held, if it is
        "waiting_code": result.waiting_code,
        "said_at": result.said_at,
        # Status_details can change while the status does not (queued: low balance, then the
        # beneficiary bank down): a different answer.
        "words": (result.waiting_code, result.waiting_reason),
        "raw": result.raw,
    }


def _payment(provider: PaymentProvider, query: StatusQuery) -> tuple[str, dict]:
    if query.object_type == "order":
        result = provider.fetch_payment(gateway_order_id=query.gateway_id or query.reference_id)
        object_id = result.gateway_order_id
    else:
        result = provider.fetch_payment(
            gateway_payment_id=query.gateway_id, gateway_order_id=query.reference_id
        )
        object_id = result.gateway_payment_id
    return object_id, {
        "status": result.gateway_status,
        "amount": result.amount,
        "reference_id": query.reference_id,
        "fee": result.fee,
        "tax": result.tax,
        "failure_reason": result.failure_reason,
        "failure_code": result.failure_code,
        "raw": result.raw,
        "gateway_order_id": result.gateway_order_id,
        "gateway_payment_id": result.gateway_payment_id,
    }


def _payment_link(provider: PaymentProvider, query: StatusQuery) -> tuple[str, dict]:
    result = provider.fetch_payment_link(query.gateway_id)
    return result.gateway_link_id, {
        "status": result.gateway_status,
        "amount": result.amount,
        "reference_id": query.reference_id,
        "raw": result.raw,
        "gateway_payment_id": result.payment_ids[-1] if result.payment_ids else "",
    }


def _payout_link(provider: PaymentProvider, query: StatusQuery) -> tuple[str, dict]:
    result = provider.fetch_payout_link(query.gateway_id, reference_id=query.reference_id)
    return result.gateway_link_id, {
        "status": result.gateway_status,
        "amount": result.amount,
        "reference_id": result.reference_id or query.reference_id,
        "raw": result.raw,
        "gateway_payout_id": result.gateway_payout_id,
        "said_at": result.said_at,
        # A new claim after a failed one is `processing` again, with another payout.
        "words": (result.gateway_payout_id,),
    }


def _refund(provider: PaymentProvider, query: StatusQuery) -> tuple[str, dict]:
    result = provider.fetch_refund(
        gateway_refund_id=query.gateway_id,
        refund_reference=query.reference_id,
        gateway_order_id=query.parent_id,
    )
    return result.gateway_refund_id, {
        "status": result.gateway_status,
        "amount": result.amount,
        "reference_id": result.refund_reference or query.reference_id,
        "failure_reason": result.failure_reason,
        "failure_code": result.failure_code,
        "raw": result.raw,
        "gateway_payment_id": result.gateway_payment_id,
    }


FETCHERS = {
    "payout": _payout,
    "payment": _payment,
    "order": _payment,
    "payment_link": _payment_link,
    "payout_link": _payout_link,
    "refund": _refund,
}
