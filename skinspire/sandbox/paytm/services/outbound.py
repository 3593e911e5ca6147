"""Callbacks and webhooks the sandbox sends, signed and shaped as Paytm sends them.

Three shapes (reference §0.5): a form with CHECKSUMHASH for payments, JSON head/body
for refunds, flat JSON with an `x-checksum` header for payouts.
"""

import logging
from urllib.parse import urlencode

from django.db import transaction
from django.utils import timezone

from skinspire.sandbox.delivery import callback_host_allowed, webhook_enqueue
from skinspire.sandbox.models import SandboxMerchant, SandboxWebhookDelivery
from skinspire.sandbox.paytm import checksum

logger = logging.getLogger(__name__)


def signed_form(*, fields: dict[str, str], merchant: SandboxMerchant) -> dict[str, str]:
    """The fields plus CHECKSUMHASH over all of them (dict form: sorted values, `|`)."""
    return {**fields, "CHECKSUMHASH": checksum.sign(dict(fields), merchant.key_secret)}


def deliver(
    *, merchant: SandboxMerchant, url: str, event_id: str, event_type: str, object_id: str, body: str, headers
) -> SandboxWebhookDelivery | None:
    """Send to `url` with the sandbox's retrying delivery (to the merchant's webhook URL by default)."""
    if not url or url == merchant.webhook_url:
        return webhook_enqueue(
            merchant=merchant,
            event_id=event_id,
            event_type=event_type,
            object_id=object_id,
            body=body,
            headers=headers,
        )
    # A per-request URL (payout callbackUrl, link statusCallbackUrl): same delivery and
    # retry machinery, another destination, if it is a host the sandbox may post to.
    if not callback_host_allowed(url):
        logger.warning(
            "sandbox callback for %s not sent: host not in SANDBOX_CALLBACK_ALLOWED_HOSTS", event_id
        )
        return None
    delivery = SandboxWebhookDelivery.objects.create(
        merchant=merchant,
        event_id=event_id,
        event_type=event_type,
        object_id=object_id,
        url=url,
        body=body,
        headers=headers,
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(lambda: _send_later(delivery.pk))
    return delivery


def _send_later(delivery_id: int) -> None:
    from skinspire.sandbox.tasks import sandbox_webhook_send

    sandbox_webhook_send.apply_async(args=[delivery_id])


def payment_webhook(*, merchant: SandboxMerchant, fields: dict[str, str], url: str = "") -> None:
    """The S2S payment webhook: form-urlencoded key-values with CHECKSUMHASH."""
    form = signed_form(fields=fields, merchant=merchant)
    deliver(
        merchant=merchant,
        url=url,
        event_id=f"{fields['TXNID']}:{fields['STATUS']}",
        event_type=f"payment.{fields['STATUS']}",
        object_id=fields["TXNID"],
        body=urlencode(form),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )


def refund_webhook(*, merchant: SandboxMerchant, body: dict, event: str) -> None:
    """Accept/Success refund webhooks: `{"head":{"signature","version"},"body":{...}}`."""
    text = checksum.signed_envelope(body=body, key=merchant.key_secret, head={"version": "v1"})
    # signed_envelope puts the signature last in head; Paytm's samples put it first,
    # which no receiver depends on (it is read by name).
    deliver(
        merchant=merchant,
        url="",
        event_id=f"{body['refundId']}:{event}",
        event_type=f"refund.{event}",
        object_id=body["refundId"],
        body=text,
        headers={"Content-Type": "application/json"},
    )


def payout_callback(*, merchant: SandboxMerchant, body: dict, callback_url: str) -> None:
    """Payout status: the §1.4 JSON, `x-mid` and `x-checksum` over the exact body text."""
    text = checksum.compact_json(body)
    headers = {
        "Content-Type": "application/json",
        "x-mid": merchant.key_id,
        "x-checksum": checksum.sign(text, merchant.key_secret),
    }
    event = {
        "event_id": f"{body['result']['paytmOrderId']}:{body['statusCode']}",
        "event_type": f"payout.{body['status']}",
        "object_id": body["result"]["paytmOrderId"],
    }
    # The payout's own callbackUrl first, then the merchant's webhook URL (once if they are the same).
    urls = [url for url in dict.fromkeys((callback_url, merchant.webhook_url)) if url]
    for url in urls:
        deliver(merchant=merchant, url=url, body=text, headers=headers, **event)
