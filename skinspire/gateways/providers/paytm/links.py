"""Paytm payment links (reference §2.5): create, fetch (+ its transactions), expire.

Link calls carry `head.tokenType = "AES"`; `amount` is a JSON number, written from the
Decimal's own digits. A FIXED, single-payment link is made per patient bill.
"""

import dataclasses
import re
from decimal import Decimal
from typing import Any

from skinspire.core.money import to_rupees
from skinspire.gateways.calllog import gateway_call
from skinspire.gateways.errors import GatewayAPIError, GatewayNotFoundError
from skinspire.gateways.providers.interface import LinkStatus, PaymentLinkRequest, PaymentLinkResult
from skinspire.gateways.providers.paytm import mapping, signing
from skinspire.gateways.providers.paytm.client import PROVIDER, PaytmClient

CREATE, FETCH, TRANSACTIONS, EXPIRE = "/link/create", "/link/fetch", "/link/fetchTransaction", "/link/expire"
NAME_LENGTH, DESCRIPTION_LENGTH = 64, 30
_NOT_ALPHANUMERIC = re.compile(r"[^A-Za-z0-9]")
LINK_REFERENCE_PREFIX = "LI_"  # a link payment's MERC_UNQ_REF is "LI_<linkId>"
NOT_FOUND_CODE = "404"  # the link APIs' "Link not found" (docs/sandbox-paytm.md: assumed)


def link_create_body(*, mid: str, request: PaymentLinkRequest) -> dict[str, Any]:
    # linkName goes into the long URL and may hold letters and digits only (302/5007).
    name = _NOT_ALPHANUMERIC.sub("", request.reference_id)[:NAME_LENGTH] or "Payment"
    body: dict[str, Any] = {
        "mid": mid,
        "linkType": "FIXED",
        "linkName": name,
        "linkDescription": (request.description or name)[:DESCRIPTION_LENGTH],
        "amount": to_rupees(request.amount),
        "merchantRequestId": request.reference_id,
        "linkOrderId": request.reference_id,
        "maxPaymentsAllowed": 1,
        "singleTransactionOnly": "true",
        "partialPayment": "false",
        "sendSms": request.notify_sms,
        "sendEmail": request.notify_email,
    }
    contact = {
        "customerName": request.customer.name,
        "customerEmail": request.customer.email,
        "customerMobile": request.customer.phone,
    }
    body["customerContact"] = {key: value for key, value in contact.items() if value}
    if request.expire_by is not None:
        body["expiryDate"] = mapping.link_expiry_text(request.expire_by)
    if request.callback_url:
        body["statusCallbackUrl"] = request.callback_url
    return body


def link_create(*, client: PaytmClient, configuration, request: PaymentLinkRequest) -> PaymentLinkResult:
    body = link_create_body(mid=client.mid, request=request)
    with gateway_call(
        operation="create_payment_link",
        provider=PROVIDER,
        configuration=configuration,
        object_ref=request.reference_id,
        idempotency_key=request.reference_id,
    ) as record:
        answer = _succeeded(client.pg(CREATE, body, links=True), "Paytm would not create the link")
        record.add_gateway_ids(link_id=str(answer.get("linkId") or ""))
    return link_result(answer, fallback_amount=to_rupees(request.amount))


def link_fetch(*, client: PaytmClient, configuration, link_id: str) -> PaymentLinkResult:
    with gateway_call(
        operation="fetch_payment_link", provider=PROVIDER, configuration=configuration, object_ref=link_id
    ):
        answer = _succeeded(
            client.pg(FETCH, {"mid": client.mid, "linkId": _link_number(link_id)}, links=True),
            "Paytm would not show the link",
        )
        links = [item for item in answer.get("links") or [] if str(item.get("linkId")) == link_id]
        if not links:
            raise GatewayNotFoundError(f"Paytm has no link {link_id}.", provider=PROVIDER, code="not_found")
    paid, payment_ids, order_ids = link_payments(client=client, configuration=configuration, link_id=link_id)
    return link_result(links[0], amount_paid=paid, payment_ids=payment_ids, payment_order_ids=order_ids)


def link_payments(
    *, client: PaytmClient, configuration, link_id: str
) -> tuple[Decimal, tuple[str, ...], tuple[str, ...]]:
    """What the link's successful payments add up to, their TXNIDs, and their ORDERIDs (the
    key Paytm's status API wants: without it a link payment found only here could not be
    looked up and recorded)."""
    with gateway_call(
        operation="fetch_payment_link_transactions",
        provider=PROVIDER,
        configuration=configuration,
        object_ref=link_id,
    ):
        body = {"mid": client.mid, "linkId": _link_number(link_id), "fetchAllTxns": True}
        answer = _succeeded(
            client.pg(TRANSACTIONS, body, links=True), "Paytm would not list the link's payments"
        )
    paid = [
        order
        for order in answer.get("orders") or []
        if order.get("orderStatus") in mapping.LINK_ORDER_SUCCESS
    ]
    total = sum((mapping.amount_or_zero(order.get("txnAmount")) for order in paid), Decimal("0.00"))
    payment_ids = tuple(str(order.get("txnId") or order.get("orderId") or "") for order in paid)
    return total, payment_ids, tuple(str(order.get("orderId") or "") for order in paid)


def link_expire(*, client: PaytmClient, configuration, link_id: str) -> PaymentLinkResult:
    with gateway_call(
        operation="cancel_payment_link", provider=PROVIDER, configuration=configuration, object_ref=link_id
    ):
        _succeeded(
            client.pg(EXPIRE, {"mid": client.mid, "linkId": _link_number(link_id)}, links=True),
            "Paytm would not expire the link",
        )
    current = link_fetch(client=client, configuration=configuration, link_id=link_id)
    # Paytm has no "cancelled": a link ended on request reads EXPIRED, which the mapping
    # turns into CANCELLED while its expiry date is ahead. The caller asked for a
    # cancellation and got one, so that is what this answer says even at the boundary.
    if current.status == LinkStatus.EXPIRED:
        return dataclasses.replace(current, status=LinkStatus.CANCELLED)
    return current


def link_callback_verify(*, client: PaytmClient, params: dict[str, str]) -> bool:
    """The link payment form posted to statusCallbackUrl (reference §2.5, §2.6): the same
    CHECKSUMHASH form as the payment webhook, so the same check. ORDERID and STATUS must be
    there, or it says nothing about a payment."""
    fields = {str(key): str(value) for key, value in (params or {}).items()}
    if not (fields.get("ORDERID") and fields.get("STATUS")):
        return False
    return signing.verify_form(fields, merchant_key=client.merchant_key)


def link_callback_link_id(params: dict[str, str]) -> str:
    """The link a link payment form names, inside what CHECKSUMHASH signs: MERC_UNQ_REF, "the
    link id", "LI_<linkId>" in Paytm's sample (reference §2.5); read as the webhook reads it
    (webhooks._link_id). "" when the form has none."""
    return str((params or {}).get("MERC_UNQ_REF") or "").removeprefix(LINK_REFERENCE_PREFIX)


def link_result(
    link: dict[str, Any],
    *,
    fallback_amount: Decimal | None = None,
    amount_paid: Decimal = Decimal("0.00"),
    payment_ids: tuple[str, ...] = (),
    payment_order_ids: tuple[str, ...] = (),
) -> PaymentLinkResult:
    expire_by = mapping.india_datetime(link.get("expiryDate"))
    is_active = link.get("isActive")
    word = str(link.get("paymentStatus") or link.get("linkStatus") or "")
    status = mapping.link_status(
        payment_status_word=word,
        is_active=is_active if isinstance(is_active, bool) else None,
        expire_by=expire_by,
    )
    amount = mapping.amount(link.get("amount"))
    if payment_ids and amount_paid and status == LinkStatus.CREATED:
        status = LinkStatus.PAID if amount is None or amount_paid >= amount else LinkStatus.PARTIALLY_PAID
    return PaymentLinkResult(
        gateway_link_id=str(link.get("linkId") or ""),
        url=str(link.get("shortUrl") or link.get("longUrl") or ""),
        status=status,
        gateway_status=word or ("ACTIVE" if is_active else "INACTIVE"),
        amount=amount if amount is not None else (fallback_amount or Decimal("0.00")),
        amount_paid=amount_paid,
        expire_by=expire_by,
        payment_ids=payment_ids,
        payment_order_ids=payment_order_ids,
        raw=link,
    )


def _link_number(link_id: str) -> int | str:
    # Paytm's linkId is a long (reference §2.5); keep any other shape as given.
    # ASCII digits alone: isdigit() also takes "²", which int() refuses.
    return int(link_id) if link_id.isascii() and link_id.isdigit() else link_id


def _succeeded(answer: dict[str, Any], summary: str) -> dict[str, Any]:
    result_info = answer.get("resultInfo") or {}
    if str(result_info.get("resultStatus") or "") == "SUCCESS":
        return answer
    message = str(result_info.get("resultMessage") or result_info.get("resultMsg") or "")
    code = str(result_info.get("resultCode") or "")
    if code == NOT_FOUND_CODE:
        raise GatewayNotFoundError(
            f"{summary}: {message}", provider=PROVIDER, code="not_found", gateway_message=message
        )
    raise GatewayAPIError(
        f"{summary}: {message}" if message else f"{summary}.",
        provider=PROVIDER,
        code=code,
        gateway_message=message,
    )
