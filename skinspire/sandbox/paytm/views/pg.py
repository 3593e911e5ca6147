"""PG JSON APIs: Initiate Transaction, Transaction Status, Refund, Refund Status."""

from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from skinspire.sandbox.paytm import envelope, inbound, selectors
from skinspire.sandbox.paytm.errors import PaytmRejected
from skinspire.sandbox.paytm.services import orders, refunds

# Initiate answers S/F (codes from Paytm's own test suite: 2005 bad checksum, 2006 bad MID).
INITIATE_CODES = inbound.Codes(
    malformed=("1001", "Request parameters are not valid"),
    unknown_mid=("2006", "Mid is invalid"),
    bad_checksum=("2005", "Checksum provided is invalid"),
)
# Status and refund APIs answer TXN_FAILURE with the legacy codes 330/335.
STATUS_CODES = inbound.Codes(
    malformed=("501", "System Error"),
    unknown_mid=("335", "Mid is invalid"),
    bad_checksum=("330", "Checksum provided is invalid"),
)
REFUND_CODES = inbound.Codes(
    malformed=("600", "Invalid refund request or restricted by bank."),
    unknown_mid=("335", "Mid is invalid"),
    bad_checksum=("330", "Checksum provided is invalid"),
)


def _malformed(codes: inbound.Codes, status: str):
    return inbound.answers_bad_requests_with(
        lambda: _failure(PaytmRejected(*codes.malformed), status=status, signed=None)
    )


def _failure(
    rejection: PaytmRejected, *, status: str, signed: inbound.Inbound | None, echo: dict | None = None
):
    body = {
        **(echo or {}),
        **envelope.result_info(rejection.status or status, rejection.code, rejection.message),
    }
    merchant = signed.merchant if signed else rejection.merchant
    return envelope.pg(body=body, merchant=merchant, request_head=signed.head if signed else None)


@_malformed(INITIATE_CODES, "F")
@csrf_exempt
@require_POST
def initiate_transaction(request):
    signed = None
    try:
        signed = inbound.head_body_request(request, codes=INITIATE_CODES, mid_hint=request.GET.get("mid", ""))
        order = orders.paytm_order_initiate(
            merchant=signed.merchant,
            body=signed.body,
            query_mid=request.GET.get("mid", ""),
            query_order_id=request.GET.get("orderId", ""),
        )
    except PaytmRejected as rejection:
        return _failure(rejection, status="F", signed=signed)
    body = {
        **envelope.result_info("S", "0000", "Success"),
        "txnToken": order.body["_sandbox"]["txnToken"],
        "isPromoCodeValid": False,
        "authenticated": False,
    }
    return envelope.pg(body=body, merchant=signed.merchant, request_head=signed.head)


@_malformed(STATUS_CODES, "TXN_FAILURE")
@csrf_exempt
@require_POST
def order_status(request):
    signed = None
    try:
        signed = inbound.head_body_request(request, codes=STATUS_CODES)
        order = selectors.object_by_key(
            merchant=signed.merchant, entity=selectors.ORDER, key=str(signed.body.get("orderId") or "")
        )
        if order is None:
            raise PaytmRejected("334", "Invalid Order Id.")
    except PaytmRejected as rejection:
        return _failure(rejection, status="TXN_FAILURE", signed=signed)
    return envelope.pg(body=selectors.public(order.body), merchant=signed.merchant, request_head=signed.head)


@_malformed(REFUND_CODES, "TXN_FAILURE")
@csrf_exempt
@require_POST
def refund_apply(request):
    signed = None
    try:
        signed = inbound.head_body_request(request, codes=REFUND_CODES)
        refund = refunds.paytm_refund_apply(merchant=signed.merchant, body=signed.body)
    except PaytmRejected as rejection:
        echo = _echo(signed, ("orderId", "mid", "txnId", "refId", "refundAmount"))
        return _failure(rejection, status="TXN_FAILURE", signed=signed, echo=echo)
    keys = ("txnTimestamp", "orderId", "mid", "refId", "resultInfo", "refundId", "txnId", "refundAmount")
    body = {key: refund.body[key] for key in keys}
    return envelope.pg(body=body, merchant=signed.merchant, request_head=signed.head)


@_malformed(REFUND_CODES, "TXN_FAILURE")
@csrf_exempt
@require_POST
def refund_status(request):
    signed = None
    try:
        signed = inbound.head_body_request(request, codes=REFUND_CODES)
        refund = selectors.object_by_key(
            merchant=signed.merchant, entity=selectors.REFUND, key=str(signed.body.get("refId") or "")
        )
        if refund is None or refund.body["orderId"] != signed.body.get("orderId"):
            raise PaytmRejected("631", "Record not found")
    except PaytmRejected as rejection:
        return _failure(
            rejection, status="TXN_FAILURE", signed=signed, echo=_echo(signed, ("orderId", "mid", "refId"))
        )
    return envelope.pg(body=selectors.public(refund.body), merchant=signed.merchant, request_head=signed.head)


def _echo(signed: inbound.Inbound | None, keys: tuple[str, ...]) -> dict:
    if signed is None:
        return {}
    return {key: signed.body[key] for key in keys if isinstance(signed.body.get(key), str)}
