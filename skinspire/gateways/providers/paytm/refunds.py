"""Paytm refunds: apply, then read the status (refunds are asynchronous, reference §2.4).

Our refund_reference is Paytm's refId. Paytm rejects a repeated refId ("already raised",
codes 617/701/703), so that answer is read as "ask the status API", never as a failure.
"""

from typing import Any

from skinspire.gateways.calllog import gateway_call
from skinspire.gateways.errors import GatewayAPIError, GatewayNotFoundError
from skinspire.gateways.providers.interface import RefundRequest, RefundResult, RefundStatus
from skinspire.gateways.providers.paytm import mapping
from skinspire.gateways.providers.paytm.client import PROVIDER, PaytmClient
from skinspire.gateways.providers.paytm.payments import payment_fetch

APPLY = "/refund/apply"
STATUS = "/v2/refund/status"
ALREADY_RAISED_CODES = {"617", "701", "703"}
SYSTEM_ERROR_CODES = {"501"}
NOT_FOUND_CODE = "631"  # "Record not found": Paytm holds no refund with this refId


def refund_create(*, client: PaytmClient, configuration, request: RefundRequest) -> RefundResult:
    amount = request.amount
    if amount is None:
        # "None = full refund": whatever of the payment is not refunded yet.
        payment = payment_fetch(client=client, configuration=configuration, order_id=request.gateway_order_id)
        amount = payment.amount - payment.amount_refunded
    body = {
        "mid": client.mid,
        "txnType": "REFUND",
        "orderId": request.gateway_order_id,
        "txnId": request.gateway_payment_id,
        "refId": request.refund_reference,
        "refundAmount": mapping.rupees_text(amount),
    }
    if request.notes.get("reason"):
        body["comments"] = request.notes["reason"][:100]
    with gateway_call(
        operation="create_refund",
        provider=PROVIDER,
        configuration=configuration,
        object_ref=request.refund_reference,
        idempotency_key=request.refund_reference,
    ) as record:
        answer = client.pg(APPLY, body)
        record.add_gateway_ids(refund_id=str(answer.get("refundId") or ""))
        result_info = answer.get("resultInfo") or {}
        word, code = str(result_info.get("resultStatus") or ""), str(result_info.get("resultCode") or "")
        if code in SYSTEM_ERROR_CODES:
            raise _refund_error(result_info, definite=False)
        if word == "TXN_FAILURE" and code not in ALREADY_RAISED_CODES:
            raise _refund_error(result_info, definite=True)
    if code in ALREADY_RAISED_CODES:
        return refund_fetch(
            client=client,
            configuration=configuration,
            order_id=request.gateway_order_id,
            refund_reference=request.refund_reference,
        )
    return refund_result(answer, refund_reference=request.refund_reference, fallback_amount=amount)


def refund_fetch(*, client: PaytmClient, configuration, order_id: str, refund_reference: str) -> RefundResult:
    body = {"mid": client.mid, "orderId": order_id, "refId": refund_reference}
    with gateway_call(
        operation="fetch_refund", provider=PROVIDER, configuration=configuration, object_ref=refund_reference
    ) as record:
        answer = client.pg(STATUS, body)
        record.add_gateway_ids(refund_id=str(answer.get("refundId") or ""))
        result_info = answer.get("resultInfo") or {}
        if str(result_info.get("resultCode") or "") == NOT_FOUND_CODE:
            raise GatewayNotFoundError(
                f"Paytm has no refund {refund_reference} on order {order_id}.",
                provider=PROVIDER,
                code="not_found",
                gateway_message=str(result_info.get("resultMsg") or ""),
            )
        if str(answer.get("refId") or refund_reference) != refund_reference:
            raise GatewayAPIError(
                "Paytm answered about a different refund.",
                provider=PROVIDER,
                code="refund_mismatch",
                provably_failed=False,
            )
    return refund_result(answer, refund_reference=refund_reference)


def refund_result(answer: dict[str, Any], *, refund_reference: str, fallback_amount=None) -> RefundResult:
    word = str((answer.get("resultInfo") or {}).get("resultStatus") or "")
    status = mapping.refund_status(word)
    amount = mapping.amount(answer.get("refundAmount"))
    ref_id = str(answer.get("refId") or refund_reference)
    return RefundResult(
        # Paytm's refundId; our refId stands in until Paytm has given one (base.py).
        gateway_refund_id=str(answer.get("refundId") or ref_id),
        gateway_payment_id=str(answer.get("txnId") or ""),
        status=status,
        gateway_status=word,
        amount=amount if amount is not None else (fallback_amount or mapping.amount_or_zero(None)),
        refund_reference=ref_id,
        **mapping.refund_failure(answer, failed=status == RefundStatus.FAILED),
        raw=answer,
    )


def _refund_error(result_info: dict[str, Any], *, definite: bool) -> GatewayAPIError:
    message = str(result_info.get("resultMsg") or "")
    return GatewayAPIError(
        f"Paytm did not accept the refund: {message}" if message else "Paytm did not accept the refund.",
        provider=PROVIDER,
        code=str(result_info.get("resultCode") or ""),
        gateway_message=message,
        retryable=not definite,
        provably_failed=definite,
    )
