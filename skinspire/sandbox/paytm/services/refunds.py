"""Refunds: Refund API (async, PENDING 601) → processed (TXN_SUCCESS 10), with webhooks.

Codes are Paytm's legacy refund result codes (reference §2.4): 600 invalid request,
607 order cannot be refunded, 617 refund already raised (duplicate refId), 619 invalid
refund amount, 627 order details mismatch.
"""

import re
from decimal import Decimal

from django.db import IntegrityError, transaction

from skinspire.core.money import MoneyError, to_rupees
from skinspire.sandbox.models import SandboxMerchant, SandboxObject
from skinspire.sandbox.paytm import ids, selectors
from skinspire.sandbox.paytm.errors import PaytmRejected
from skinspire.sandbox.paytm.services import outbound, settlements
from skinspire.sandbox.paytm.services.scheduling import schedule_step

REF_ID = re.compile(r"^[A-Za-z0-9@._-]{1,50}$")
INVALID_REQUEST = ("600", "Invalid refund request or restricted by bank.")
NOT_REFUNDABLE = ("607", "Refund can not be initiated for a cancelled transaction.")
DUPLICATE_REF_ID = ("617", "Refund Already Raised")
INVALID_AMOUNT = ("619", "Invalid refund amount")
PENDING = ("PENDING", "601", "Refund request was raised for this transaction. But it is pending state")
SUCCESS = ("TXN_SUCCESS", "10", "Refund Successfull")
LIVE_STATUSES = ("PENDING", "TXN_SUCCESS")


def _refund_amount(value) -> Decimal:
    try:
        amount = to_rupees(value) if isinstance(value, str) else None
    except MoneyError:
        amount = None
    if amount is None or amount <= 0:
        raise PaytmRejected(*INVALID_AMOUNT)
    return amount


def _refunded(order: SandboxObject) -> Decimal:
    refunds = selectors.objects_of(entity=selectors.REFUND, parent_id=order.object_id)
    return sum(
        (Decimal(refund.body["refundAmount"]) for refund in refunds if refund.status in LIVE_STATUSES),
        Decimal("0.00"),
    )


def _check(*, order: SandboxObject | None, body: dict) -> Decimal:
    if body.get("txnType") != "REFUND" or not REF_ID.match(str(body.get("refId") or "")):
        raise PaytmRejected(*INVALID_REQUEST)
    if order is None or order.status != "TXN_SUCCESS":
        raise PaytmRejected(*NOT_REFUNDABLE)
    if body.get("txnId") != order.body["txnId"]:
        raise PaytmRejected("627", "Order Details Mismatch")
    if selectors.object_by_key(merchant=order.merchant, entity=selectors.REFUND, key=body["refId"]):
        raise PaytmRejected(*DUPLICATE_REF_ID)
    amount = _refund_amount(body.get("refundAmount"))
    if amount > Decimal(order.body["txnAmount"]) - _refunded(order):
        raise PaytmRejected(*INVALID_AMOUNT)
    return amount


def paytm_refund_apply(*, merchant: SandboxMerchant, body: dict) -> SandboxObject:
    """Register a refund (PENDING) and schedule its processing."""
    try:
        with transaction.atomic():
            order = selectors.object_by_key(
                merchant=merchant, entity=selectors.ORDER, key=str(body.get("orderId") or "")
            )
            if order is not None:  # serialise refunds of one order: the amount check reads its refunds
                order = SandboxObject.objects.select_for_update().get(pk=order.pk)
            amount = _check(order=order, body=body)
            assert order is not None  # _check refuses a missing order
            refund_id = ids.paytm_refund_id()
            refund = SandboxObject.objects.create(
                merchant=merchant,
                entity=selectors.REFUND,
                object_id=refund_id,
                parent_id=order.object_id,
                status="PENDING",
                idempotency_key=body["refId"],
                body=_refund_body(order=order, request=body, amount=amount, refund_id=refund_id),
            )
    except IntegrityError as error:
        raise PaytmRejected(*DUPLICATE_REF_ID) from error
    schedule_step(task_name="sandbox_paytm_refund_advance", object_id=refund.object_id)
    return refund


def _refund_body(*, order: SandboxObject, request: dict, amount: Decimal, refund_id: str) -> dict:
    status, code, message = PENDING
    return {
        "orderId": order.body["orderId"],
        "mid": order.merchant.key_id,
        "refId": request["refId"],
        "resultInfo": {"resultStatus": status, "resultCode": code, "resultMsg": message},
        "txnTimestamp": order.body["txnDate"],
        "merchantRefundRequestTimestamp": ids.txn_datetime(),
        "refundId": refund_id,
        "txnId": order.body["txnId"],
        "refundAmount": f"{amount:.2f}",
        "txnAmount": order.body["txnAmount"],
        "refundReason": str(request.get("comments") or ""),
        "agentInfo": request.get("agentInfo") if isinstance(request.get("agentInfo"), dict) else {},
    }


def paytm_refund_advance(*, object_id: str) -> SandboxObject:
    """PENDING → TXN_SUCCESS: accepted (deducted from settlement) and sent to the bank."""
    with transaction.atomic():
        refund = SandboxObject.objects.select_for_update().get(entity=selectors.REFUND, object_id=object_id)
        if refund.status != "PENDING":
            return refund  # already processed: a repeated task changes nothing
        order = SandboxObject.objects.select_for_update().get(
            entity=selectors.ORDER, object_id=refund.parent_id
        )
        amount = Decimal(refund.body["refundAmount"])
        now = ids.txn_datetime()
        status, code, message = SUCCESS
        refund.status = status
        refund.body.update(
            resultInfo={"resultStatus": status, "resultCode": code, "resultMsg": message},
            acceptRefundStatus="SUCCESS",
            acceptRefundTimestamp=now,
            userCreditInitiateStatus="SUCCESS",
            userCreditInitiateTimestamp=now,
            totalRefundAmount=f"{_refunded(order):.2f}",
            refundDetailInfoList=[_detail(order=order, amount=amount)],
        )
        refund.save(update_fields=["status", "body", "updated_at"])
        order.body["refundAmt"] = f"{Decimal(order.body['refundAmt']) + amount:.2f}"
        order.save(update_fields=["body", "updated_at"])
        settlements.paytm_settlement_row_record(
            merchant=refund.merchant, order=order, txn_id=refund.object_id, txn_type="REFUND", amount=amount
        )
        _notify(refund=refund)
    return refund


def _detail(*, order: SandboxObject, amount: Decimal) -> dict:
    return {
        "refundType": "TO_SOURCE",
        "payMethod": {"UPI": "UPI", "DC": "DEBIT_CARD", "NB": "NET_BANKING"}.get(
            order.body["paymentMode"], "BALANCE"
        ),
        "userCreditExpectedDate": (ids.now_ist().date()).isoformat(),
        "refundAmount": f"{amount:.2f}",
        "rrn": ids.rrn(),
    }


def _notify(*, refund: SandboxObject) -> None:
    """Accept Refund then Success Refund webhooks (reference §2.8), shaped as the fixtures."""
    body = refund.body
    common = {
        key: body[key] for key in ("txnId", "orderId", "txnAmount", "refundAmount", "refundId", "refId")
    }
    accept = {
        **common,
        "txnTimestamp": body["txnTimestamp"],
        "merchantRefundRequestTimestamp": body["merchantRefundRequestTimestamp"],
        "acceptRefundTimestamp": body["acceptRefundTimestamp"],
        "refundReason": body["refundReason"],
        "agentInfo": body["agentInfo"],
        "status": "SUCCESS",
    }
    success = {
        "source": "MERCHANT",
        **common,
        "mid": body["mid"],
        "txnTimestamp": body["txnTimestamp"],
        "totalRefundAmount": body["totalRefundAmount"],
        "acceptRefundTimestamp": body["acceptRefundTimestamp"],
        "merchantRefundRequestTimestamp": body["merchantRefundRequestTimestamp"],
        "userCreditInitiateTimestamp": body["userCreditInitiateTimestamp"],
        "refundDetailInfoList": body["refundDetailInfoList"],
        "agentInfo": body["agentInfo"],
    }
    outbound.refund_webhook(merchant=refund.merchant, body=accept, event="accept")
    outbound.refund_webhook(merchant=refund.merchant, body=success, event="success")
