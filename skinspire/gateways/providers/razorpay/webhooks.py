"""Razorpay webhooks: signature over the raw body, and normalised events (reference §4.3, §5)."""

import hashlib
import hmac
from typing import Any

from skinspire.core import json_input
from skinspire.core.money import MoneyError
from skinspire.gateways.errors import MalformedWebhookError
from skinspire.gateways.providers.interface import GatewayEvent, PayoutStatus
from skinspire.gateways.providers.razorpay.client import RazorpayBase
from skinspire.gateways.providers.razorpay.errors import PROVIDER
from skinspire.gateways.providers.razorpay.mapping import (
    PAYOUT_STATUSES,
    from_unix,
    optional_rupees,
    payment_failure,
    payment_tax,
    payout_failure,
    payout_waiting,
)

# What a signed body of the wrong shape makes the normalising code raise.
MALFORMED_SHAPES = (
    MoneyError,
    ValueError,
    TypeError,
    AttributeError,
    KeyError,
    IndexError,
    OverflowError,
    OSError,
)
# Event-name prefix -> the payload entity the event is about.
PRIMARY_ENTITY = {
    "payout": "payout",
    "payout_link": "payout_link",
    "payment": "payment",
    "order": "order",
    "payment_link": "payment_link",
    "refund": "refund",
    "settlement": "settlement",
}


def lower_keys(headers: dict[str, str]) -> dict[str, str]:
    return {str(key).lower().replace("_", "-"): value for key, value in headers.items()}


def entity(envelope: dict[str, Any], name: str) -> dict[str, Any]:
    found = (envelope.get("payload") or {}).get(name)
    return (found.get("entity") or {}) if isinstance(found, dict) else {}


def fields_for(object_type: str, data: dict[str, Any], envelope: dict[str, Any]) -> dict[str, Any]:
    """The normalised fields of the event's primary entity."""
    payment = entity(envelope, "payment")
    if object_type == "payout":
        return {
            "reference_id": data.get("reference_id") or "",
            "utr": data.get("utr") or "",
            "fee": optional_rupees(data.get("fees")),
            "tax": optional_rupees(data.get("tax")),
            **payout_failure(data),
            **payout_waiting(data),
        }
    if object_type == "payout_link":
        # https://razorpay.com/docs/webhooks/payout-links/ : the link entity; payout_id is
        # the payout its recipient's claim made, once they have claimed it.
        return {"reference_id": data.get("receipt") or "", "gateway_payout_id": data.get("payout_id") or ""}
    if object_type == "payment":
        return {
            "fee": optional_rupees(data.get("fee")),
            "tax": payment_tax(data),
            **payment_failure(data),
            "gateway_order_id": data.get("order_id") or "",
            "gateway_payment_id": data.get("id") or "",
        }
    if object_type in ("order", "payment_link"):
        order = entity(envelope, "order")
        return {
            "reference_id": data.get("receipt") or data.get("reference_id") or "",
            "fee": optional_rupees(payment.get("fee")),
            "tax": payment_tax(payment) if payment else None,
            "gateway_order_id": order.get("id") or data.get("order_id") or "",
            "gateway_payment_id": payment.get("id") or "",
        }
    if object_type == "refund":
        acquirer = data.get("acquirer_data") or {}
        return {
            "reference_id": data.get("receipt") or "",
            "utr": acquirer.get("utr") or acquirer.get("arn") or acquirer.get("rrn") or "",
            "gateway_payment_id": data.get("payment_id") or "",
            "gateway_order_id": payment.get("order_id") or "",
        }
    if object_type == "settlement":
        return {
            "utr": data.get("utr") or "",
            "fee": optional_rupees(data.get("fees")),
            "tax": optional_rupees(data.get("tax")),
        }
    return {}


class WebhookOperations(RazorpayBase):
    webhook_secret_field = "webhook_secret"

    @classmethod
    def webhook_merchant_id(cls, *, body: bytes, headers: dict[str, str]) -> str:
        """The envelope's `account_id` ("acc_…"), the merchant the event belongs to (§4.3).
        NUL elsewhere in the body does not hide it: a signed delivery must verify, and then
        be kept as malformed (parse_webhook), not be refused as unsigned."""
        try:
            envelope = json_input.loads(body, storable_text=False)
        except ValueError:
            return ""
        account_id = envelope.get("account_id") if isinstance(envelope, dict) else None
        return account_id if isinstance(account_id, str) else ""

    def verify_webhook(self, *, body: bytes, headers: dict[str, str]) -> bool:
        """hex HMAC-SHA256 of the raw bytes with the webhook secret. The SDK helper needs
        a str body (reference §4.3), and re-encoding could change the bytes, so not used."""
        signature = lower_keys(headers).get("x-razorpay-signature", "")
        secret = self.credentials.value("webhook_secret")
        if not (signature and secret):
            return False
        expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        # As bytes: compare_digest raises TypeError on a str with non-ASCII characters.
        return hmac.compare_digest(expected.encode(), str(signature).encode())

    def parse_webhook(self, *, body: bytes, headers: dict[str, str]) -> GatewayEvent:
        try:
            return self._parsed(body, headers)
        except MALFORMED_SHAPES as error:
            # Signed, JSON, but not the documented shape (an amount that is no amount, an
            # entity that is no object): malformed, never a crash.
            raise MalformedWebhookError(
                f"The Razorpay webhook does not have the documented shape: {error}", provider=PROVIDER
            ) from error

    def _parsed(self, body: bytes, headers: dict[str, str]) -> GatewayEvent:
        try:
            envelope = json_input.loads(body)
        except ValueError as error:
            raise MalformedWebhookError(
                "The Razorpay webhook body is not JSON.", provider=PROVIDER
            ) from error
        if (
            not isinstance(envelope, dict)
            or not envelope.get("event")
            or not isinstance(envelope.get("payload"), dict)
        ):
            raise MalformedWebhookError("The Razorpay webhook has no event or payload.", provider=PROVIDER)
        event_type = str(envelope["event"])
        object_type = PRIMARY_ENTITY.get(event_type.split(".")[0], "")
        if event_type.startswith("payout.downtime") or not object_type:
            object_type = str((envelope.get("contains") or [""])[0])
        data = entity(envelope, object_type)
        return GatewayEvent(
            provider=PROVIDER,
            event_id=self.event_id(body, headers),
            event_type=event_type,
            object_type=object_type,
            object_id=str(data.get("id") or ""),
            status=str(data.get("status") or ""),
            amount=optional_rupees(data.get("amount")),
            occurred_at=from_unix(envelope.get("created_at") or data.get("created_at")),
            raw=envelope,
            **fields_for(object_type, data, envelope),
        )

    def payout_event_status(self, event: GatewayEvent) -> PayoutStatus:
        # As payout_result: an unknown word is still in flight, so the status sync asks again.
        return PAYOUT_STATUSES.get(event.status, PayoutStatus.PROCESSING)

    @staticmethod
    def event_id(body: bytes, headers: dict[str, str]) -> str:
        """X-Razorpay-Event-Id, the documented dedupe key (§4.4). Should it ever be missing,
        the body digest still makes a redelivery of the same bytes a duplicate."""
        event_id = lower_keys(headers).get("x-razorpay-event-id", "")
        return str(event_id) or f"sha256:{hashlib.sha256(body).hexdigest()[:40]}"
