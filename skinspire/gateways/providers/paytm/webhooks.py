"""Paytm's three webhook formats (reference §0.5), verified and normalised.

- form key-value with CHECKSUMHASH: PG payment, link payment, refund ARN notification;
- JSON {head:{signature}, body}: accept/success refund, downtime notification;
- JSON payout callback, checksum in the `x-checksum` header over the raw body.

Paytm sends no event id. Retries may be re-signed (a fresh random salt changes the
checksum), so a hash of the raw bytes would not catch a redelivery. The event id is
therefore built from signed content: kind, object, status and status code
(reliability.md §1.2: dedupe on signed content; reference §5.1 for the keys).
"""

import hashlib
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl

from skinspire.core import json_input
from skinspire.core.money import MoneyError
from skinspire.gateways.errors import GatewayAPIError
from skinspire.gateways.providers.interface import GatewayEvent, PayoutStatus
from skinspire.gateways.providers.paytm import mapping, signing
from skinspire.gateways.providers.paytm.client import PROVIDER

EVENT_ID_LENGTH = 100


def header(headers: dict[str, str], name: str) -> str:
    wanted = name.lower()
    return next((str(value) for key, value in headers.items() if key.lower() == wanted), "")


def webhook_verify(*, body: bytes, headers: dict[str, str], merchant_key: str) -> bool:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    payout_checksum = header(headers, "x-checksum")
    if payout_checksum:
        return signing.verify_text(text, merchant_key=merchant_key, checksum=payout_checksum)
    if text.lstrip().startswith("{"):
        document = _json_document(text, storable_text=False)  # only looked at: see webhook_merchant_id
        return document is not None and signing.verify_enveloped(text, document, merchant_key=merchant_key)
    return signing.verify_form(dict(parse_qsl(text, keep_blank_values=True)), merchant_key=merchant_key)


def webhook_merchant_id(*, body: bytes, headers: dict[str, str]) -> str:
    """The MID an unverified webhook names: the payout callback's `x-mid` header or
    `result.mid`, a form's MID, a JSON body's `mid` (reference §0.5). Empty if none."""
    mid = header(headers, "x-mid")
    if mid:
        return mid
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return ""
    if not text.lstrip().startswith("{"):
        return dict(parse_qsl(text, keep_blank_values=True)).get("MID", "")
    # NUL elsewhere in the body does not hide the MID: a signed delivery must verify, and
    # then be kept as malformed (webhook_parse), not be refused as unsigned.
    document = _json_document(text, storable_text=False) or {}
    for part in ("result", "body"):
        inner = document.get(part)
        if isinstance(inner, dict) and isinstance(inner.get("mid"), str):
            return inner["mid"]
    return ""


def webhook_parse(*, body: bytes, headers: dict[str, str]) -> GatewayEvent:
    """Normalise a webhook (verify it first). Malformed input raises GatewayAPIError."""
    try:
        return _parsed(body=body, headers=headers)
    except (MoneyError, ValueError, TypeError, AttributeError, KeyError, IndexError, OverflowError) as error:
        # Signed but not the documented shape (an amount that is no amount, a result that
        # is no object): malformed, never a crash.
        raise _malformed(f"The Paytm webhook does not have the documented shape: {error}") from error


def _parsed(*, body: bytes, headers: dict[str, str]) -> GatewayEvent:
    text = body.decode("utf-8", "replace")
    if not text.lstrip().startswith("{"):
        return _form_event(dict(parse_qsl(text, keep_blank_values=True)))
    document = _json_document(text)
    if document is None:
        raise _malformed("The Paytm webhook is not JSON.")
    if header(headers, "x-checksum") or "statusCode" in document:
        return _payout_event(document)
    payload = document.get("body")
    if not isinstance(payload, dict):
        raise _malformed("The Paytm webhook has no body.")
    if "downtimeId" in payload:
        return _event("downtime", "downtime", str(payload["downtimeId"]), "NOTIFIED", raw=document)
    if "refId" in payload:
        return _refund_event(payload, raw=document)
    raise _malformed("The Paytm webhook is of an unknown kind.")


def _form_event(fields: dict[str, str]) -> GatewayEvent:
    if fields.get("REFID") and fields.get("ARN") is not None:
        return _refund_arn_event(fields)
    if not fields.get("ORDERID") or not fields.get("STATUS"):
        raise _malformed("The Paytm payment webhook lacks ORDERID or STATUS.")
    status = fields["STATUS"]
    link_reference = fields.get("MERC_UNQ_REF", "")
    is_link = "LINKNOTES" in fields or "LINKDESCRIPTION" in fields
    return _event(
        "payment",
        "payment_link" if is_link else "payment",
        # Paytm PG's order id is our ORDERID; a link payment is about the link (base.py).
        _link_id(link_reference) if is_link else fields["ORDERID"],
        status,
        raw=fields,
        code=fields.get("RESPCODE", ""),
        dedupe_object=fields["ORDERID"],
        amount=mapping.amount(fields.get("TXNAMOUNT")),
        reference_id=fields["ORDERID"],
        utr=fields.get("BANKTXNID", ""),
        **mapping.failure(
            failed=status == "TXN_FAILURE", code=fields.get("RESPCODE"), message=fields.get("RESPMSG")
        ),
        occurred_at=mapping.india_datetime(fields.get("TXNDATETIME") or fields.get("TXNDATE")),
        gateway_order_id=fields["ORDERID"],
        gateway_payment_id=fields.get("TXNID", ""),
    )


def _refund_arn_event(fields: dict[str, str]) -> GatewayEvent:
    return _event(
        "refund.arn",
        "refund",
        fields.get("REFUNDID") or fields["REFID"],
        "ARN",
        raw=fields,
        dedupe_object=fields["REFID"],
        amount=mapping.amount(fields.get("REFUNDAMOUNT")),
        reference_id=fields["REFID"],
        utr=fields.get("ARN") or fields.get("RRN", ""),
        occurred_at=mapping.india_datetime(fields.get("REFUNDDATETIME")),
        gateway_order_id=fields.get("ORDERID", ""),
        gateway_payment_id=fields.get("TXNID", ""),
    )


def _payout_event(document: dict[str, Any]) -> GatewayEvent:
    result = document.get("result") or {}
    order_id, status = str(result.get("orderId") or ""), str(document.get("status") or "")
    if not order_id or not status:
        raise _malformed("The Paytm payout callback lacks orderId or status.")
    code = str(document.get("statusCode") or "")
    mapped = mapping.payout_status(
        status, status_code=code, reversal_reason=str(result.get("reversalReason") or "")
    )
    fee, tax = mapping.fee_including_tax(result.get("commissionAmount"), result.get("tax"))
    return _event(
        "payout",
        "payout",
        # Paytm's id, as PayoutResult.gateway_payout_id; the event id stays keyed on ours.
        str(result.get("paytmOrderId") or order_id),
        status,
        raw=document,
        code=code,
        dedupe_object=order_id,
        amount=mapping.amount(result.get("amount")),
        reference_id=order_id,
        utr=str(result.get("rrn") or ""),
        fee=fee,
        tax=tax,
        **mapping.payout_failure(document, status=mapped),
        **mapping.payout_waiting(document, status=mapped),
        occurred_at=mapping.payout_said_at(result),
    )


def payout_event_status(event: GatewayEvent) -> PayoutStatus:
    """A payout callback's status, read from its signed document as _payout_event read it."""
    document = event.raw or {}
    result = document.get("result") or {}
    return mapping.payout_status(
        event.status,
        status_code=str(document.get("statusCode") or ""),
        reversal_reason=str(result.get("reversalReason") or ""),
    )


def _refund_event(payload: dict[str, Any], *, raw: dict[str, Any]) -> GatewayEvent:
    # Accept webhooks carry status SUCCESS/FAILED; the success webhook has no status at
    # all: it means the refund reached the bank.
    status = str(payload.get("status") or "SUCCESS")
    kind = "refund.accept" if "status" in payload else "refund.success"
    rrn = next(
        (str(item.get("rrn")) for item in payload.get("refundDetailInfoList") or [] if item.get("rrn")), ""
    )
    ref_id = str(payload["refId"])
    return _event(
        kind,
        "refund",
        # Paytm's refundId, as RefundResult.gateway_refund_id; refId is ours.
        str(payload.get("refundId") or ref_id),
        status,
        raw=raw,
        code=str(payload.get("rejectRefundReasonCode") or ""),
        dedupe_object=ref_id,
        amount=mapping.amount(payload.get("refundAmount")),
        reference_id=ref_id,
        utr=rrn,
        **mapping.refund_failure(payload, failed=status == "FAILED"),
        occurred_at=mapping.india_datetime(
            payload.get("userCreditInitiateTimestamp") or payload.get("acceptRefundTimestamp")
        ),
        gateway_order_id=str(payload.get("orderId") or ""),
        gateway_payment_id=str(payload.get("txnId") or ""),
    )


def _event(
    kind: str,
    object_type: str,
    object_id: str,
    status: str,
    *,
    raw: dict[str, Any],
    code: str = "",
    dedupe_object: str = "",
    **fields: Any,
) -> GatewayEvent:
    event_id = f"{kind}:{dedupe_object or object_id}:{status}:{code}"
    if len(event_id) > EVENT_ID_LENGTH:
        event_id = f"{kind}:sha256:{hashlib.sha256(event_id.encode()).hexdigest()}"
    return GatewayEvent(
        provider=PROVIDER,
        event_id=event_id,
        event_type=f"{kind.split('.')[0]}.{status}",
        object_type=object_type,
        object_id=object_id,
        status=status,
        raw=raw,
        **fields,
    )


def _link_id(merchant_unique_reference: str) -> str:
    # Link payments echo the link as MERC_UNQ_REF "LI_<linkId>" (reference §2.5 sample).
    return merchant_unique_reference.removeprefix("LI_")


def _json_document(text: str, *, storable_text: bool = True) -> dict[str, Any] | None:
    try:
        document = json_input.loads(text, parse_float=Decimal, storable_text=storable_text)
    except ValueError:
        return None
    return document if isinstance(document, dict) else None


def _malformed(message: str) -> GatewayAPIError:
    return GatewayAPIError(message, provider=PROVIDER, code="malformed_webhook")
