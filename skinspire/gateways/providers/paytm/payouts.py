"""Paytm Payouts: bank (IMPS/NEFT/RTGS) and UPI disbursals, and their status query.

Paytm's idempotency key for a disbursal is its `orderId` (reference §5.2): our payment's
reference_id is sent as orderId on the first call and on every retry, so a retry can
never pay twice. Paytm rejects a repeated orderId; that rejection is not a payout
failure, so on any non-validation FAILURE the status query is asked for the truth.
"""

import logging
from typing import Any

from skinspire.core.redaction import mask_account
from skinspire.gateways.calllog import gateway_call
from skinspire.gateways.errors import GatewayAPIError, InvalidGatewayRequestError
from skinspire.gateways.providers.interface import (
    BankAccount,
    PayoutMode,
    PayoutRequest,
    PayoutResult,
    UpiAddress,
)
from skinspire.gateways.providers.paytm import mapping
from skinspire.gateways.providers.paytm.client import PROVIDER, PaytmClient

logger = logging.getLogger(__name__)

DISBURSE_BANK = "/bpay/api/v1/disburse/order/bank"
DISBURSE_QUERY = "/bpay/api/v1/disburse/order/query"
# Paytm's purposes are salary/reimbursement/bonus/incentive/others; supplier bills are OTHERS.
PURPOSE = "OTHERS"
# Request-validation failures (reference §1.4): Paytm did not create the order.
VALIDATION_CODES = {"DE_010", "DE_011", "DE_012", "DE_013", "DE_014", "DE_015", "DE_016"}
COMMENT_LENGTH = 50


def payout_body(request: PayoutRequest, *, subwallet_guid: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "orderId": request.reference_id,
        "subwalletGuid": subwallet_guid,
        "amount": mapping.rupees_text(request.amount),
        "purpose": PURPOSE,
        "transferMode": request.mode.value.upper(),
    }
    destination = request.destination
    if isinstance(destination, UpiAddress):
        if request.mode != PayoutMode.UPI:
            raise InvalidGatewayRequestError(
                "A UPI id can only be paid by UPI.", provider=PROVIDER, code="mode"
            )
        body.update(beneficiaryVPA=destination.vpa, beneficiaryName=destination.holder_name)
    elif isinstance(destination, BankAccount):
        if request.mode == PayoutMode.UPI:
            raise InvalidGatewayRequestError(
                "A bank account is paid by IMPS, NEFT or RTGS.", provider=PROVIDER, code="mode"
            )
        body.update(
            beneficiaryAccount=destination.account_number,
            beneficiaryIFSC=destination.ifsc,
            beneficiaryName=destination.holder_name,
        )
    if request.callback_url:
        body["callbackUrl"] = request.callback_url
    comments = request.narration or request.purpose
    if comments:
        body["comments"] = comments[:COMMENT_LENGTH]
    return body


def payout_result(document: dict[str, Any], *, reference_id: str = "") -> PayoutResult:
    result = document.get("result") or {}
    status, code = str(document.get("status") or ""), str(document.get("statusCode") or "")
    reversal_reason = str(result.get("reversalReason") or "")
    mapped = mapping.payout_status(status, status_code=code, reversal_reason=reversal_reason)
    fee, tax = mapping.fee_including_tax(result.get("commissionAmount"), result.get("tax"))
    order_id = str(result.get("orderId") or reference_id)
    return PayoutResult(
        gateway_payout_id=str(result.get("paytmOrderId") or order_id),
        reference_id=order_id,
        status=mapped,
        gateway_status=status,
        amount=mapping.amount_or_zero(result.get("amount")),
        fee=fee,
        tax=tax,
        utr=str(result.get("rrn") or ""),
        **mapping.payout_failure(document, status=mapped),
        **mapping.payout_waiting(document, status=mapped),
        said_at=mapping.payout_said_at(result),
        raw=document,
    )


def payout_create(*, client: PaytmClient, configuration, request: PayoutRequest) -> PayoutResult:
    body = payout_body(request, subwallet_guid=client.credentials.value("subwallet_guid"))
    with gateway_call(
        operation="create_payout",
        provider=PROVIDER,
        configuration=configuration,
        object_ref=request.reference_id,
        idempotency_key=request.idempotency_key,
    ) as record:
        document = client.payout(DISBURSE_BANK, body)
        record.add_gateway_ids(paytm_order_id=str((document.get("result") or {}).get("paytmOrderId") or ""))
        status, code = str(document.get("status") or ""), str(document.get("statusCode") or "")
        if status == "FAILURE" and code in VALIDATION_CODES:
            raise _rejection(document, provably_failed=True)
    logger.info(
        "Paytm disbursal %s (%s to %s) answered %s",
        request.reference_id,
        request.mode.value,
        _masked_destination(request),
        status,
    )
    if status != "FAILURE":
        return payout_result(document, reference_id=request.reference_id)
    # Possibly a repeat of an orderId Paytm already holds: its state is the answer.
    current = payout_fetch(client=client, configuration=configuration, reference_id=request.reference_id)
    if current is not None:
        return current
    raise _rejection(document, provably_failed=True)


def payout_fetch(*, client: PaytmClient, configuration, reference_id: str) -> PayoutResult | None:
    """The disbursal Paytm holds under our orderId, or None if it holds none."""
    with gateway_call(
        operation="fetch_payout", provider=PROVIDER, configuration=configuration, object_ref=reference_id
    ) as record:
        document = client.payout(DISBURSE_QUERY, {"orderId": reference_id})
        result = document.get("result") or {}
        record.add_gateway_ids(paytm_order_id=str(result.get("paytmOrderId") or ""))
        if str(result.get("orderId") or "") != reference_id:
            return None
        return payout_result(document, reference_id=reference_id)


def _rejection(document: dict[str, Any], *, provably_failed: bool) -> GatewayAPIError:
    message = str(document.get("statusMessage") or "Paytm rejected the payout.")
    return GatewayAPIError(
        f"Paytm rejected the payout: {message}",
        provider=PROVIDER,
        code=str(document.get("statusCode") or ""),
        gateway_message=message,
        provably_failed=provably_failed,
    )


def _masked_destination(request: PayoutRequest) -> str:
    destination = request.destination
    if isinstance(destination, UpiAddress):
        return mask_account(destination.vpa)
    return mask_account(destination.account_number)
