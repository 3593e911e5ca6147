"""Payment link APIs: /link/create, /link/fetch, /link/fetchTransaction, /link/expire."""

from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from skinspire.sandbox.paytm import envelope, inbound, selectors
from skinspire.sandbox.paytm.errors import PaytmRejected
from skinspire.sandbox.paytm.services import links

# Link APIs answer FAILED; the codes for these three are not published (ours, documented).
LINK_CODES = inbound.Codes(
    malformed=("400", "Invalid request parameters"),
    unknown_mid=("335", "Mid is invalid"),
    bad_checksum=("330", "Checksum provided is invalid"),
)


def _answer(view):
    """Authenticate, run the operation, answer SUCCESS or FAILED in the link envelope."""

    @inbound.answers_bad_requests_with(lambda: _failed(PaytmRejected(*LINK_CODES.malformed), merchant=None))
    @csrf_exempt
    @require_POST
    def wrapped(request):
        merchant = None
        try:
            signed = inbound.head_body_request(request, codes=LINK_CODES)
            merchant = signed.merchant
            body = view(signed)
        except PaytmRejected as rejection:
            return _failed(rejection, merchant=merchant)
        return envelope.link(body=body, merchant=merchant)

    return wrapped


def _failed(rejection: PaytmRejected, *, merchant):
    failed = envelope.link_result_info("FAILED", rejection.code, rejection.message)
    return envelope.link(body=failed, merchant=merchant or rejection.merchant)


def _link(signed: inbound.Inbound):
    link = selectors.object_by_id(entity=selectors.LINK, object_id=f"LL_{signed.body.get('linkId')}")
    if link is None or link.merchant_id != signed.merchant.pk:
        raise PaytmRejected(*links.NOT_FOUND)
    return link


@_answer
def create(signed):
    link = links.paytm_link_create(merchant=signed.merchant, body=signed.body)
    return {**selectors.public(link.body), **envelope.link_result_info(*links.CREATED)}


@_answer
def fetch(signed):
    links.paytm_link_expire_due()
    if signed.body.get("linkId") is not None:
        found = [_link(signed)]
    else:
        found = list(selectors.links_of(merchant=signed.merchant))
    return {
        "links": [selectors.public(link.body) for link in found],
        "totalCount": len(found),
        **envelope.link_result_info("SUCCESS", "200", "Success"),
    }


@_answer
def fetch_transaction(signed):
    link = _link(signed)
    return {
        "orders": selectors.link_orders(link=link),
        **envelope.link_result_info("SUCCESS", "200", "Success"),
    }


@_answer
def expire(signed):
    link = links.paytm_link_expire(link=_link(signed))
    return {
        **selectors.public(link.body),
        **envelope.link_result_info("SUCCESS", "200", "Payment link is expired successfully"),
    }
