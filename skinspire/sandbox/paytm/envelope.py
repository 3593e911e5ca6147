"""Responses in Paytm's shapes, signed the way Paytm signs them."""

from django.http import HttpResponse

from skinspire.sandbox.models import SandboxMerchant
from skinspire.sandbox.paytm import checksum, ids


def _json(text: str) -> HttpResponse:
    # Paytm answers its API errors with HTTP 200 and the failure in the body.
    return HttpResponse(text, content_type="application/json")


def pg(*, body: dict, merchant: SandboxMerchant | None, request_head: dict | None = None) -> HttpResponse:
    """PG APIs: head{responseTimestamp, version, [clientId], signature} + body."""
    head = {"responseTimestamp": ids.epoch_millis(), "version": "v1"}
    if request_head and request_head.get("clientId"):
        head["clientId"] = request_head["clientId"]
    return _signed(body=body, merchant=merchant, head=head)


def link(*, body: dict, merchant: SandboxMerchant | None) -> HttpResponse:
    """Link APIs: the head of link_create_response_success.json, plus the signature."""
    head = {
        "version": None,
        "timestamp": ids.epoch_millis(),
        "channelId": None,
        "tokenType": "AES",
        "clientId": None,
    }
    return _signed(body=body, merchant=merchant, head=head)


def _signed(*, body: dict, merchant: SandboxMerchant | None, head: dict) -> HttpResponse:
    if merchant is None:  # unknown MID: there is no key to sign with
        return _json(checksum.compact_json({"head": head, "body": body}))
    return _json(checksum.signed_envelope(body=body, key=merchant.key_secret, head=head))


def flat(body: dict) -> HttpResponse:
    """Payout and settlement APIs answer a flat JSON object."""
    return _json(checksum.compact_json(body))


def result_info(status: str, code: str, message: str) -> dict:
    return {"resultInfo": {"resultStatus": status, "resultCode": code, "resultMsg": message}}


def link_result_info(status: str, code: str, message: str) -> dict:
    return {"resultInfo": {"resultStatus": status, "resultCode": code, "resultMessage": message}}
