"""Payouts API: bank/UPI transfer and the disbursal status query (flat JSON, x-checksum)."""

from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from skinspire.sandbox.paytm import envelope, inbound, selectors
from skinspire.sandbox.paytm.errors import PaytmRejected
from skinspire.sandbox.paytm.services import payouts

# Paytm's codes for a bad checksum / malformed body are unpublished; ours are documented.
PAYOUT_CODES = inbound.Codes(
    malformed=("DE_011", "Invalid parameter value"),
    unknown_mid=("DE_1002", "Invalid merchant"),
    bad_checksum=("DE_401", "Checksum provided is invalid"),
)


def _failure(rejection: PaytmRejected):
    # No `result`: Paytm holds no order for a rejected request, and a client reads a
    # `result.orderId` equal to its own as "Paytm holds this order".
    return envelope.flat(
        {
            "status": "FAILURE",
            "statusCode": rejection.code,
            "statusMessage": rejection.message,
            "result": None,
        }
    )


@inbound.answers_bad_requests_with(lambda: _failure(PaytmRejected(*PAYOUT_CODES.malformed)))
@csrf_exempt
@require_POST
def bank_transfer(request):
    try:
        signed = inbound.payout_request(request, codes=PAYOUT_CODES)
        payout = payouts.paytm_payout_create(merchant=signed.merchant, body=signed.body)
    except PaytmRejected as rejection:
        return _failure(rejection)
    return envelope.flat(selectors.public(payout.body))


@inbound.answers_bad_requests_with(lambda: _failure(PaytmRejected(*PAYOUT_CODES.malformed)))
@csrf_exempt
@require_POST
def status_query(request):
    try:
        signed = inbound.payout_request(request, codes=PAYOUT_CODES)
        payout = selectors.object_by_key(
            merchant=signed.merchant, entity=selectors.PAYOUT, key=str(signed.body.get("orderId") or "")
        )
        if payout is None:
            raise PaytmRejected("DE_040", "Order not found")  # code not published; ours
    except PaytmRejected as rejection:
        return _failure(rejection)
    return envelope.flat(selectors.public(payout.body))
