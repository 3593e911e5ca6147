"""Webhook delivery from the sandbox to a merchant's URL, as the real gateways do it.

The caller builds and signs the exact body and headers for its protocol; this module
records the delivery, sends it after commit, and retries on non-2xx with backoff.
Chaos knobs on the merchant (`webhook_chaos`) let tests exercise the receiver's defences:
`drop` (never sent), `duplicate` (sent twice), `delay_seconds`, `out_of_order`
(held back until the next event for the merchant has been sent).

Callback URLs can come from a request (Paytm's payout `callbackUrl`), so the sandbox posts
only to hosts in settings.SANDBOX_CALLBACK_ALLOWED_HOSTS (loopback and the test names by
default): it must not become a way to make this server POST to any address.
"""

import logging
from datetime import timedelta
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from skinspire.gateways.http import new_session
from skinspire.sandbox.models import SandboxMerchant, SandboxWebhookDelivery

logger = logging.getLogger(__name__)

# Razorpay retries for 24 hours with exponential backoff (schedule unpublished). Ours:
# 1 min, 5 min, 30 min, 2 h, 6 h, 12 h after the previous attempt; then it gives up.
RETRY_DELAYS = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
    timedelta(hours=12),
]
DELIVERY_TIMEOUT_SECONDS = 5  # Razorpay counts no answer within 5 s as a failure


def callback_host_allowed(url: str) -> bool:
    """Whether the sandbox may POST to `url` (its host is a configured callback host)."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or parts.username or parts.password:
        return False
    allowed = {host.lower().strip("[]") for host in settings.SANDBOX_CALLBACK_ALLOWED_HOSTS}
    return (parts.hostname or "") in allowed


def webhook_enqueue(
    *,
    merchant: SandboxMerchant,
    event_id: str,
    event_type: str,
    object_id: str,
    body: str,
    headers: dict[str, str],
) -> SandboxWebhookDelivery | None:
    """Record one event for the merchant's webhook URL and send it after commit.

    Returns None when the merchant has no webhook URL (nothing to deliver to).
    """
    if not merchant.webhook_url:
        return None
    chaos = merchant.webhook_chaos or {}
    delivery = SandboxWebhookDelivery.objects.create(
        merchant=merchant,
        event_id=event_id,
        event_type=event_type,
        object_id=object_id,
        url=merchant.webhook_url,
        body=body,
        headers=headers,
        status=SandboxWebhookDelivery.Status.DROPPED
        if chaos.get("drop")
        else SandboxWebhookDelivery.Status.PENDING,
        next_attempt_at=timezone.now() + timedelta(seconds=int(chaos.get("delay_seconds", 0))),
    )
    if delivery.status == SandboxWebhookDelivery.Status.DROPPED:
        return delivery
    if chaos.get("out_of_order"):
        # Held back: released (after the newer one) by the next event for this merchant.
        delivery.next_attempt_at = None
        delivery.save(update_fields=["next_attempt_at"])
        return delivery
    held_back = list(
        SandboxWebhookDelivery.objects.filter(
            merchant=merchant, status=SandboxWebhookDelivery.Status.PENDING, next_attempt_at__isnull=True
        ).exclude(pk=delivery.pk)
    )
    transaction.on_commit(lambda: _schedule([delivery.pk] + [held.pk for held in held_back], chaos))
    return delivery


def _schedule(delivery_ids: list[int], chaos: dict) -> None:
    from skinspire.sandbox.tasks import sandbox_webhook_send

    for delivery_id in delivery_ids:
        sandbox_webhook_send.apply_async(args=[delivery_id], countdown=int(chaos.get("delay_seconds", 0)))
        if chaos.get("duplicate"):
            sandbox_webhook_send.apply_async(args=[delivery_id], kwargs={"resend": True})


def webhook_send(*, delivery_id: int, resend: bool = False) -> SandboxWebhookDelivery:
    """Make one attempt. `resend` sends a settled event again: a duplicate (chaos) or an
    admin's resend, which also sends a delivery the drop knob held back."""
    delivery = SandboxWebhookDelivery.objects.get(pk=delivery_id)
    settled = (
        SandboxWebhookDelivery.Status.DELIVERED,
        SandboxWebhookDelivery.Status.FAILED,
        SandboxWebhookDelivery.Status.DROPPED,
    )
    if delivery.status in settled and not resend:
        return delivery
    if not callback_host_allowed(delivery.url):
        delivery.status, delivery.next_attempt_at = SandboxWebhookDelivery.Status.FAILED, None
        delivery.last_error = "Not sent: the host is not in SANDBOX_CALLBACK_ALLOWED_HOSTS."
        delivery.save(update_fields=["status", "next_attempt_at", "last_error"])
        logger.warning("sandbox webhook %s not sent: host not allowed", delivery.event_id)
        return delivery
    delivery.attempts += 1
    try:
        response = new_session().post(
            delivery.url,
            data=delivery.body.encode(),
            headers=delivery.headers,
            timeout=DELIVERY_TIMEOUT_SECONDS,
        )
        delivery.last_status_code, delivery.last_error = response.status_code, ""
        succeeded = 200 <= response.status_code < 300
    except requests.RequestException as error:
        delivery.last_status_code, delivery.last_error, succeeded = None, str(error)[:1000], False
    now = timezone.now()
    if succeeded:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = (
            SandboxWebhookDelivery.Status.DELIVERED,
            now,
            None,
        )
    elif not resend and delivery.attempts <= len(RETRY_DELAYS):
        delivery.next_attempt_at = now + RETRY_DELAYS[delivery.attempts - 1]
    elif not resend:
        delivery.status, delivery.next_attempt_at = SandboxWebhookDelivery.Status.FAILED, None
    delivery.save()
    logger.info(
        "sandbox webhook %s %s -> %s", delivery.event_type, delivery.event_id, delivery.last_status_code
    )
    return delivery


def webhook_retry_due(*, now=None) -> int:
    """Send every pending delivery whose retry time has come. Run periodically by beat."""
    now = now or timezone.now()
    due = SandboxWebhookDelivery.objects.filter(
        status=SandboxWebhookDelivery.Status.PENDING, attempts__gt=0, next_attempt_at__lte=now
    ).values_list("pk", flat=True)
    count = 0
    for delivery_id in list(due):
        webhook_send(delivery_id=delivery_id)
        count += 1
    return count
