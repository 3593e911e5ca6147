"""Reading and authenticating requests in each of Paytm's three request styles."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpRequest, HttpResponse

from skinspire.core import json_input
from skinspire.sandbox.models import SandboxMerchant
from skinspire.sandbox.paytm import checksum, selectors
from skinspire.sandbox.paytm.errors import PaytmRejected


@dataclass(frozen=True)
class Codes:
    """The failure code and message each API family answers for a broken request."""

    malformed: tuple[str, str]
    unknown_mid: tuple[str, str]
    bad_checksum: tuple[str, str]


@dataclass(frozen=True)
class Inbound:
    merchant: SandboxMerchant
    head: dict
    body: dict


def answers_bad_requests_with(answer: Callable[[], HttpResponse]):
    """Mark a view with its answer to a request Django refused before the view ran
    (skinspire.core.error_views.bad_request): the family's malformed-request failure, in Paytm's
    shape and with HTTP 200, as Paytm answers every API failure."""

    def mark(view):
        view.bad_request_response = lambda message: answer()
        return view

    return mark


def _json_object(request: HttpRequest, codes: Codes) -> tuple[str, dict]:
    try:
        raw = request.body.decode("utf-8")
        parsed = json_input.loads(raw, parse_float=Decimal)  # amounts stay exact
    except (UnicodeDecodeError, json_input.JSONInputError) as error:
        raise PaytmRejected(*codes.malformed) from error
    if not isinstance(parsed, dict):
        raise PaytmRejected(*codes.malformed)
    return raw, parsed


def _merchant(mid, codes: Codes) -> SandboxMerchant:
    merchant = selectors.merchant_by_mid(mid=mid if isinstance(mid, str) else "")
    if merchant is None:
        raise PaytmRejected(*codes.unknown_mid)
    return merchant


def head_body_request(request: HttpRequest, *, codes: Codes, mid_hint: str = "") -> Inbound:
    """PG and link APIs: `{"head":{"signature"},"body":{...}}`, signed over the body text."""
    raw, envelope = _json_object(request, codes)
    head, body = envelope.get("head"), envelope.get("body")
    if not isinstance(head, dict) or not isinstance(body, dict):
        raise PaytmRejected(*codes.malformed)
    merchant = _merchant(body.get("mid") or mid_hint, codes)
    if not checksum.is_valid(checksum.raw_body_text(raw) or "", merchant.key_secret, head.get("signature")):
        raise PaytmRejected(*codes.bad_checksum, merchant=merchant)
    return Inbound(merchant=merchant, head=head, body=body)


def payout_request(request: HttpRequest, *, codes: Codes) -> Inbound:
    """Payout APIs: a flat JSON body, `x-mid` header and `x-checksum` over the raw body."""
    raw, body = _json_object(request, codes)
    merchant = _merchant(request.headers.get("x-mid", ""), codes)
    if not checksum.is_valid(raw, merchant.key_secret, request.headers.get("x-checksum")):
        raise PaytmRejected(*codes.bad_checksum, merchant=merchant)
    return Inbound(merchant=merchant, head={}, body=body)


def settlement_request(request: HttpRequest, *, codes: Codes) -> Inbound:
    """Settlement list: `checksumHash` inside the flat body, over the other params as a dict.

    Which form Paytm verifies is unconfirmed (reference §3.5); the sandbox takes the dict
    form Paytm's own samples use, with every value as a string.
    """
    _raw, body = _json_object(request, codes)
    merchant = _merchant(body.get("MID", ""), codes)
    params = {key: str(value) for key, value in body.items() if key != "checksumHash"}
    if not checksum.is_valid(params, merchant.key_secret, body.get("checksumHash")):
        raise PaytmRejected(*codes.bad_checksum, merchant=merchant)
    return Inbound(merchant=merchant, head={}, body=body)
