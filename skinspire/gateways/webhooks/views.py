"""The receivers: POST /api/gateway/webhook/razorpay and /paytm (DESIGN "public HTTP interface").

CSRF-exempt, no session or login: the signature is the authentication. The size is
checked before the body is read, the view is not wrapped in a transaction
(ATOMIC_REQUESTS is off), and everything else is the receiving service's.
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from skinspire.core.client_ip import client_ip
from skinspire.gateways.webhooks.counters import within_rate
from skinspire.gateways.webhooks.receiving import DUPLICATE, RECEIVED, webhook_receive

RATE_KEY = "webhooks:rate:{provider}:{address}"


def _answer(status: int, message: str) -> HttpResponse:
    """The JSON answer (as JsonResponse would write it); the two every accepted delivery
    gets are encoded once per process, not once per request."""
    content = _ENCODED.get(message)
    if content is None:
        content = _encoded(message)
    return HttpResponse(content, content_type="application/json", status=status)


def _encoded(message: str) -> bytes:
    return json.dumps({"message": message, "extra": {}}, cls=DjangoJSONEncoder).encode()


_ENCODED = {message: _encoded(message) for message in (RECEIVED, DUPLICATE)}


def _declared_length(request: HttpRequest) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None


def _over_rate(provider: str, address: str) -> bool:
    """A fixed one-minute window per address, counted in the shared cache in leases (one
    round trip per lease, not per delivery; see counters.within_rate)."""
    key = RATE_KEY.format(provider=provider, address=address)
    return not within_rate(key, limit=settings.GATEWAY_WEBHOOK_RATE_PER_MINUTE)


def webhook_view(provider: str):
    @csrf_exempt
    @require_POST
    def receive(request: HttpRequest) -> HttpResponse:
        address = client_ip(request)
        if _over_rate(provider, address):
            return _answer(429, "Too many webhook deliveries from this address; retry later.")
        length = _declared_length(request)
        limit = settings.GATEWAY_WEBHOOK_MAX_BODY_BYTES
        if length is None or length < 0:
            return _answer(400, "The Content-Length header is not a number.")
        if length > limit:
            return _answer(413, f"The webhook body is larger than {limit} bytes.")
        body = request.body
        if len(body) > limit:  # pragma: no cover - the server reads no more than declared
            return _answer(413, f"The webhook body is larger than {limit} bytes.")
        receipt = webhook_receive(
            provider=provider, body=body, headers=dict(request.headers), remote_ip=address or None
        )
        return _answer(receipt.status_code, receipt.message)

    receive.__name__ = f"{provider}_webhook"
    return receive


razorpay_webhook = webhook_view("razorpay")
paytm_webhook = webhook_view("paytm")
